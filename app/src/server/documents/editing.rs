//! The documents form: a document to edit, and its save, checked, with its files, a revision
//! and the audit line, in one transaction.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::doc_refs::{DocNumber, TYPES};
use super::references;
use super::stored::{by_id, files, not_found};
use crate::error::AppError;
use crate::format::iso_date;
use crate::model::{CategoryChoice, Day, DocumentEdit, DocumentEditor};
use crate::server::accounts::{audit, Actor};
use crate::server::internal;
use crate::server::media::attachments;
use crate::server::text::fold;

/// What the documents page's search reads: number, kind, summary and issuer, folded.
pub fn search_text(number: &DocNumber, kind: &str, summary: &str, issuer: &str) -> String {
    fold(&format!("{} {kind} {summary} {issuer}", number.text()))
}

/// The documents form: document `id` as stored, or a blank one (`prefill` from the officials'
/// list of missing documents: kind, number, date).
pub async fn editor(
    pool: &SqlitePool,
    id: Option<i64>,
    prefill: DocumentEdit,
) -> Result<DocumentEditor, AppError> {
    let document = match id {
        None => prefill,
        Some(id) => {
            let row = by_id(pool, id)
                .await
                .map_err(internal("opening a document to edit"))?
                .ok_or_else(not_found)?;
            let version: i64 = sqlx::query_scalar("SELECT version FROM documents WHERE id = ?")
                .bind(id)
                .fetch_one(pool)
                .await
                .map_err(internal("reading a document's version"))?;
            DocumentEdit {
                id: Some(id),
                base_version: version,
                number: row.number_text(),
                kind: row.kind,
                issued_on: iso_date(row.issued_on),
                effective_on: row.effective_on.map(iso_date).unwrap_or_default(),
                expires_on: row.expires_on.map(iso_date).unwrap_or_default(),
                issuer: row.issuer,
                signer: row.signer,
                field: row.field,
                summary: row.summary,
                files: files(pool, id).await?,
                replaced_by: row.replaced_by,
            }
        }
    };
    let others = sqlx::query_as::<_, (i64, String, i64, Option<i64>, String, Day)>(
        "SELECT id, kind, number, number_year, symbol, issued_on FROM documents
         WHERE id IS NOT ? ORDER BY issued_on DESC, id DESC LIMIT 2000",
    )
    .bind(document.id)
    .fetch_all(pool)
    .await
    .map_err(internal("listing documents to choose from"))?
    .into_iter()
    .map(
        |(id, kind, number, year, symbol, issued_on)| CategoryChoice {
            id,
            label: match year {
                Some(year) => format!(
                    "{kind} {number}/{year}/{symbol} ({})",
                    crate::format::date_vn(&issued_on)
                ),
                None => format!(
                    "{kind} {number}/{symbol} ({})",
                    crate::format::date_vn(&issued_on)
                ),
            },
        },
    )
    .collect();
    Ok(DocumentEditor {
        document,
        kinds: TYPES.iter().map(|(name, _)| name.to_string()).collect(),
        others,
    })
}

fn one_line(raw: &str, max: usize, what: &str, required: bool) -> Result<String, AppError> {
    let value = crate::server::text::one_line(raw);
    if required && value.is_empty() {
        return Err(AppError::BadRequest(format!("Hãy nhập {what}.")));
    }
    if value.chars().count() > max {
        return Err(AppError::BadRequest(format!("{what} dài quá {max} ký tự.")));
    }
    Ok(value)
}

/// `YYYY-MM-DD` of a real day, or None for an empty optional date.
fn check_date(raw: &str, what: &str, required: bool) -> Result<Option<String>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return if required {
            Err(AppError::BadRequest(format!("Hãy nhập {what}.")))
        } else {
            Ok(None)
        };
    }
    let valid = crate::format::parse_date(raw).filter(|_| raw.len() == 10);
    valid.map(|_| Some(raw.to_string())).ok_or_else(|| {
        AppError::BadRequest(format!(
            "{} không hợp lệ: hãy chọn một ngày có thật, ví dụ 17/01/2022.",
            capitalize(what)
        ))
    })
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// The columns a save writes, a new document or a changed one, with their values: one list,
/// bound in one place, for the INSERT (`(columns) VALUES (values)`) and the UPDATE (`SET
/// (columns) = (values)`, SQLite's row-value assignment).
struct Written<'a> {
    kind: &'a str,
    number: &'a DocNumber,
    issued_on: &'a str,
    effective_on: Option<&'a str>,
    expires_on: Option<&'a str>,
    issuer: &'a str,
    signer: &'a str,
    field: &'a str,
    summary: &'a str,
    search_text: &'a str,
    replaced_by: Option<i64>,
}

impl Written<'_> {
    /// The columns, in the order [`Written::push_values`] binds their values.
    const COLUMNS: &'static str = "kind, number, number_year, symbol, symbol_folded, issued_on,
        effective_on, expires_on, issuer, signer, field, summary, search_text, replaced_by";

    /// `?, ?, …`: the values of [`Written::COLUMNS`], bound.
    fn push_values(&self, query: &mut QueryBuilder<Sqlite>) {
        query
            .separated(", ")
            .push_bind(self.kind)
            .push_bind(i64::from(self.number.number))
            .push_bind(self.number.year.map(i64::from))
            .push_bind(self.number.symbol.as_str())
            .push_bind(self.number.folded_symbol())
            .push_bind(self.issued_on)
            .push_bind(self.effective_on)
            .push_bind(self.expires_on)
            .push_bind(self.issuer)
            .push_bind(self.signer)
            .push_bind(self.field)
            .push_bind(self.summary)
            .push_bind(self.search_text)
            .push_bind(self.replaced_by);
    }
}

/// Adds or changes a document (editors): checked, refused as a duplicate of one the portal
/// has, refused over a newer version; with its files, a revision, the audit line, and the
/// posts citing it linked to it, in one transaction. Returns its id. `now` is the time it is
/// saved at, as stored (`Clock::stored`).
pub async fn save(
    pool: &SqlitePool,
    actor: &Actor,
    edit: &DocumentEdit,
    now: &str,
) -> Result<i64, AppError> {
    let kind = TYPES
        .iter()
        .map(|(name, _)| *name)
        .find(|name| *name == edit.kind.trim())
        .ok_or_else(|| AppError::BadRequest("Hãy chọn loại văn bản.".into()))?;
    if edit.number.trim().is_empty() {
        return Err(AppError::BadRequest(
            "Hãy nhập số ký hiệu, ví dụ 19/KH-UBND.".into(),
        ));
    }
    let number = DocNumber::parse(&edit.number)?;
    let issued_on = check_date(&edit.issued_on, "ngày ban hành", true)?.unwrap_or_default();
    let effective_on = check_date(&edit.effective_on, "ngày có hiệu lực", false)?;
    let expires_on = check_date(&edit.expires_on, "ngày hết hiệu lực", false)?;
    if expires_on
        .as_deref()
        .is_some_and(|e| e < issued_on.as_str())
    {
        return Err(AppError::BadRequest(
            "Ngày hết hiệu lực không thể trước ngày ban hành.".into(),
        ));
    }
    let issuer = one_line(&edit.issuer, 200, "cơ quan ban hành", true)?;
    let signer = one_line(&edit.signer, 100, "người ký", false)?;
    let field = one_line(&edit.field, 100, "lĩnh vực", false)?;
    let summary = one_line(&edit.summary, 2000, "trích yếu", true)?;
    if edit.files.len() > 20 {
        return Err(AppError::BadRequest("Một văn bản có tối đa 20 tệp.".into()));
    }
    // A document's files are public: only files the official uploaded, or already public, may
    // be named (ids are sequential; another official's private upload would be published).
    if let Some(user) = actor.user_id {
        for file in &edit.files {
            if !attachments::writer_may_use(pool, file.id, user).await? {
                return Err(AppError::BadRequest(
                    "Không dùng được một tệp đã chọn. Hãy tải tệp lên lại rồi lưu.".into(),
                ));
            }
        }
    }
    if let Some(other) = edit.replaced_by {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM documents WHERE id = ?")
            .bind(other)
            .fetch_optional(pool)
            .await
            .map_err(internal("checking a replacing document"))?;
        if exists.is_none() || edit.id == Some(other) {
            return Err(AppError::BadRequest(
                "Văn bản thay thế đã chọn không hợp lệ. Hãy chọn một văn bản khác trong danh sách."
                    .into(),
            ));
        }
    }
    let search = search_text(&number, kind, &summary, &issuer);
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("document transaction"))?;
    let fields = Written {
        kind,
        number: &number,
        issued_on: &issued_on,
        effective_on: effective_on.as_deref(),
        expires_on: expires_on.as_deref(),
        issuer: &issuer,
        signer: &signer,
        field: &field,
        summary: &summary,
        search_text: &search,
        replaced_by: edit.replaced_by,
    };
    let mut write = match edit.id {
        None => {
            let mut insert = QueryBuilder::<Sqlite>::new("INSERT INTO documents (");
            insert.push(Written::COLUMNS).push(", created_by) VALUES (");
            fields.push_values(&mut insert);
            insert
                .push(", ")
                .push_bind(actor.user_id)
                .push(") RETURNING id, version");
            insert
        }
        // The version is checked in the UPDATE itself: no other save can come between.
        Some(id) => {
            let mut update = QueryBuilder::<Sqlite>::new("UPDATE documents SET (");
            update.push(Written::COLUMNS).push(") = (");
            fields.push_values(&mut update);
            update
                .push("), version = version + 1, updated_at = ")
                .push_bind(now)
                .push(" WHERE id = ")
                .push_bind(id)
                .push(" AND version = ")
                .push_bind(edit.base_version)
                .push(" RETURNING id, version");
            update
        }
    };
    let written = write
        .build_query_as::<(i64, i64)>()
        .fetch_optional(&mut *tx)
        .await;
    let (id, version) = match written {
        Ok(Some(row)) => row,
        Ok(None) => {
            tx.rollback().await.map_err(internal("document rollback"))?;
            return Err(AppError::BadRequest(
                "Văn bản vừa được người khác sửa trong khi bạn đang sửa, nên chưa lưu. Hãy mở lại văn bản để xem bản mới nhất; nội dung bạn nhập vẫn còn trong biểu mẫu.".into(),
            ));
        }
        Err(err)
            if err
                .as_database_error()
                .is_some_and(|e| e.is_unique_violation()) =>
        {
            tx.rollback().await.map_err(internal("document rollback"))?;
            return Err(AppError::BadRequest(format!(
                "Văn bản {kind} số {} của {issuer} năm {} đã có trên cổng.",
                number.text(),
                &issued_on[..4]
            )));
        }
        Err(err) => return Err(internal("saving a document")(err)),
    };
    sqlx::query("DELETE FROM document_files WHERE document_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal("clearing a document's files"))?;
    for (position, file) in edit.files.iter().enumerate() {
        sqlx::query(
            "INSERT OR IGNORE INTO document_files (document_id, attachment_id, position)
             SELECT ?, id, ? FROM attachments WHERE id = ?",
        )
        .bind(id)
        .bind(position as i64)
        .bind(file.id)
        .execute(&mut *tx)
        .await
        .map_err(internal("storing a document's files"))?;
    }
    let snapshot = serde_json::json!({
        "kind": kind, "number": number.text(), "issued_on": issued_on,
        "effective_on": effective_on, "expires_on": expires_on, "issuer": issuer,
        "signer": signer, "field": field, "summary": summary,
        "files": edit.files.iter().map(|f| f.id).collect::<Vec<_>>(),
        "replaced_by": edit.replaced_by,
    });
    sqlx::query(
        "INSERT INTO document_revisions (document_id, version, data, user_id, username)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(version)
    .bind(snapshot.to_string())
    .bind(actor.user_id)
    .bind(&actor.username)
    .execute(&mut *tx)
    .await
    .map_err(internal("storing a document revision"))?;
    references::link_document(&mut tx, id).await?;
    let action = if edit.id.is_some() {
        "Sửa văn bản"
    } else {
        "Thêm văn bản"
    };
    audit(
        &mut tx,
        actor,
        action,
        &format!("{kind} {}", number.text()),
        &format!("/van-ban/{id} (phiên bản {version})"),
    )
    .await?;
    tx.commit().await.map_err(internal("document commit"))?;
    Ok(id)
}
