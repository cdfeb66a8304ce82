//! A document as stored: its row, read by id, and its files. What the list, the page and the
//! form all read.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::doc_refs::DocNumber;
use crate::error::AppError;
use crate::model::{Attachment, Day, DocumentRow};
use crate::server::internal;
use crate::server::media::attachments;

#[derive(sqlx::FromRow)]
pub(super) struct Row {
    pub(super) id: i64,
    pub(super) kind: String,
    pub(super) number: i64,
    pub(super) number_year: Option<i64>,
    pub(super) symbol: String,
    pub(super) issued_on: Day,
    pub(super) effective_on: Option<Day>,
    pub(super) expires_on: Option<Day>,
    pub(super) issuer: String,
    pub(super) signer: String,
    pub(super) field: String,
    pub(super) summary: String,
    pub(super) replaced_by: Option<i64>,
}

impl Row {
    pub(super) fn number_text(&self) -> String {
        DocNumber::format(self.number, self.number_year, &self.symbol)
    }

    pub(super) fn summary_row(&self, today: Day) -> DocumentRow {
        DocumentRow {
            id: self.id,
            kind: self.kind.clone(),
            number: self.number_text(),
            issued_on: self.issued_on,
            issuer: self.issuer.clone(),
            summary: self.summary.clone(),
            expired: self.expired(today),
        }
    }

    fn expired(&self, today: Day) -> bool {
        self.replaced_by.is_some() || self.expires_on.is_some_and(|d| d <= today)
    }
}

pub(super) const COLUMNS: &str =
    "id, kind, number, number_year, symbol, issued_on, effective_on, expires_on,
    issuer, signer, field, summary, replaced_by";

/// Document `id` as stored, if there is one.
pub(super) async fn by_id(pool: &SqlitePool, id: i64) -> Result<Option<Row>, sqlx::Error> {
    let mut query = QueryBuilder::<Sqlite>::new("SELECT ");
    query
        .push(COLUMNS)
        .push(" FROM documents WHERE id = ")
        .push_bind(id);
    query.build_query_as().fetch_optional(pool).await
}

pub fn not_found() -> AppError {
    AppError::NotFound("Không có văn bản này trên cổng. Đường dẫn có thể đã bị sai.".into())
}

/// A document's files, in order.
pub async fn files(pool: &SqlitePool, id: i64) -> Result<Vec<Attachment>, AppError> {
    let stored: Vec<attachments::Stored> = sqlx::query_as(
        "SELECT a.id, a.token, a.sha256, a.filename, a.ext, a.content_type, a.size, a.width, a.height
         FROM document_files f JOIN attachments a ON a.id = f.attachment_id
         WHERE f.document_id = ? ORDER BY f.position",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(internal("listing a document's files"))?;
    Ok(stored.iter().map(attachments::Stored::public).collect())
}
