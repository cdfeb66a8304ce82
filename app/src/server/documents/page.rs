//! A document's page: its fields, its validity, the documents it replaces or is replaced by,
//! and the published posts that cite it.

use sqlx::SqlitePool;

use super::doc_refs::{references, DocNumber};
use super::stored::{by_id, files, not_found, Row};
use crate::error::AppError;
use crate::model::Day;
use crate::model::{DocumentPage, Link};
use crate::server::internal;
use crate::server::text::fold;

/// A document's page: its fields, its validity, what it replaces or is replaced by, and the
/// published posts that cite it.
pub async fn open(pool: &SqlitePool, today: Day, id: i64) -> Result<DocumentPage, AppError> {
    let row = by_id(pool, id)
        .await
        .map_err(internal("opening a document"))?
        .ok_or_else(not_found)?;
    let link_to = |id: i64, number: String, kind: String| Link {
        label: format!("{kind} số {number}"),
        href: format!("/van-ban/{id}"),
    };
    let related = |sql: &'static str| async move {
        let rows: Vec<(i64, String, i64, Option<i64>, String)> = sqlx::query_as(sql)
            .bind(id)
            .fetch_all(pool)
            .await
            .map_err(internal("reading related documents"))?;
        Ok::<_, AppError>(
            rows.into_iter()
                .map(|(id, kind, number, year, symbol)| {
                    link_to(id, DocNumber::format(number, year, &symbol), kind)
                })
                .collect::<Vec<_>>(),
        )
    };
    let replaced_by = related(
        "SELECT d.id, d.kind, d.number, d.number_year, d.symbol FROM documents d
         JOIN documents me ON me.replaced_by = d.id WHERE me.id = ?",
    )
    .await?;
    let replaces = related(
        "SELECT id, kind, number, number_year, symbol FROM documents WHERE replaced_by = ?
         ORDER BY issued_on",
    )
    .await?;
    let cited_by = citing_posts(pool, &row).await?;
    let files = files(pool, row.id).await?;
    Ok(DocumentPage {
        summary: row.summary_row(today),
        effective_on: row.effective_on,
        expires_on: row.expires_on,
        signer: row.signer,
        field: row.field,
        replaced_by,
        replaces,
        cited_by,
        files,
        comments: None,
    })
}

/// Published posts whose text cites the document: the index finds the posts holding its
/// number's words in a row, and the recogniser confirms each.
async fn citing_posts(pool: &SqlitePool, row: &Row) -> Result<Vec<Link>, AppError> {
    let phrase = fold(&row.number_text())
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let candidates: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT p.slug, p.title, p.lead, p.body_text, p.kind FROM posts p
         WHERE p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? LIMIT 200)
           AND p.status = 'published'
         ORDER BY p.published_at DESC",
    )
    .bind(format!("\"{phrase}\""))
    .fetch_all(pool)
    .await
    .map_err(internal("finding posts that cite a document"))?;
    let number = DocNumber {
        number: row.number as u32,
        year: row.number_year.map(|y| y as u16),
        symbol: row.symbol.clone(),
    };
    Ok(candidates
        .into_iter()
        .filter(|(_, _, lead, body, _)| {
            references(&format!("{lead}\n{body}"))
                .iter()
                .any(|r| r.kind == row.kind && same_number(&r.number, &number))
        })
        .map(|(slug, title, _, _, kind)| Link {
            label: title,
            href: crate::links::post_path(&kind, &slug),
        })
        .collect())
}

fn same_number(a: &DocNumber, b: &DocNumber) -> bool {
    a.number == b.number && a.year == b.year && a.folded_symbol() == b.folded_symbol()
}
