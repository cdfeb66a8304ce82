//! The references posts make to documents, recognised when a post is saved and kept in
//! `post_references`: each is linked to its document once the portal has it, and those it
//! has not yet make the officials' list "văn bản chưa có trên cổng".

use std::collections::HashMap;

use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::error::AppError;
use crate::model::{Link, MissingReference};
use crate::server::documents::doc_refs::{references, DocNumber, Reference};
use crate::server::internal;

/// Replaces the stored references of post `id` by those its lead and body text make now.
pub async fn store(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    lead: &str,
    body_text: &str,
) -> Result<(), AppError> {
    let text = format!("{lead}\n{body_text}");
    let found: Vec<Reference> = references(&text);
    sqlx::query("DELETE FROM post_references WHERE post_id = ?")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(internal("clearing a post's references"))?;
    for reference in &found {
        // Read through the save's own transaction: it holds a connection already.
        let document = resolve(&mut **tx, reference).await?;
        sqlx::query(
            "INSERT INTO post_references
                (post_id, kind, number, number_year, symbol, symbol_folded, issued_on, written,
                 document_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(reference.kind)
        .bind(i64::from(reference.number.number))
        .bind(reference.number.year.map(i64::from))
        .bind(&reference.number.symbol)
        .bind(reference.number.folded_symbol())
        .bind(reference.date.map(date_text))
        .bind(&text[reference.span.clone()])
        .bind(document)
        .execute(&mut **tx)
        .await
        .map_err(internal("storing a post's references"))?;
    }
    sqlx::query("UPDATE posts SET references_scanned = 1 WHERE id = ?")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(internal("marking a post's references"))?;
    Ok(())
}

/// Recognises the references of posts saved before references were kept (at start).
pub async fn backfill(pool: &SqlitePool) -> Result<usize, AppError> {
    let mut done = 0;
    loop {
        let batch: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, lead, body_text FROM posts WHERE references_scanned = 0 LIMIT 200",
        )
        .fetch_all(pool)
        .await
        .map_err(internal("finding posts to scan for references"))?;
        if batch.is_empty() {
            return Ok(done);
        }
        let mut tx = pool
            .begin()
            .await
            .map_err(internal("references transaction"))?;
        for (id, lead, body_text) in &batch {
            store(&mut tx, *id, lead, body_text).await?;
        }
        tx.commit().await.map_err(internal("references commit"))?;
        done += batch.len();
    }
}

/// Links the stored references that name document `id` (just added or changed) to it.
pub async fn link_document(tx: &mut Transaction<'_, Sqlite>, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE post_references SET document_id = NULL WHERE document_id = ?")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(internal("unlinking references"))?;
    sqlx::query(
        "UPDATE post_references SET document_id = d.id
         FROM documents d
         WHERE d.id = ? AND post_references.document_id IS NULL
           AND post_references.kind = d.kind AND post_references.number = d.number
           AND post_references.symbol_folded = d.symbol_folded
           AND post_references.number_year IS d.number_year
           AND (post_references.issued_on IS NULL OR post_references.issued_on = d.issued_on)",
    )
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(internal("linking references to a document"))?;
    Ok(())
}

/// The documents the portal has without any file, most cited first, then the newest.
pub async fn without_files(
    pool: &SqlitePool,
) -> Result<Vec<crate::model::DocumentWithoutFile>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        kind: String,
        number: i64,
        number_year: Option<i64>,
        symbol: String,
        issued_on: crate::model::Day,
        summary: String,
        cited_by: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT d.id, d.kind, d.number, d.number_year, d.symbol, d.issued_on, d.summary,
                (SELECT COUNT(DISTINCT r.post_id) FROM post_references r
                 JOIN posts p ON p.id = r.post_id
                 WHERE r.document_id = d.id AND p.stage <> 'trash') AS cited_by
         FROM documents d
         WHERE NOT EXISTS (SELECT 1 FROM document_files f WHERE f.document_id = d.id)
         ORDER BY cited_by DESC, d.issued_on DESC, d.id DESC LIMIT 500",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("listing documents without files"))?;
    Ok(rows
        .into_iter()
        .map(|r| crate::model::DocumentWithoutFile {
            id: r.id,
            number: DocNumber::format(r.number, r.number_year, &r.symbol),
            kind: r.kind,
            issued_on: r.issued_on,
            summary: r.summary,
            cited_by: r.cited_by,
        })
        .collect())
}

/// The documents posts cite that the portal does not have, most cited first.
pub async fn missing(pool: &SqlitePool) -> Result<Vec<MissingReference>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        kind: String,
        number: i64,
        number_year: Option<i64>,
        symbol: String,
        symbol_folded: String,
        issued_on: Option<crate::model::Day>,
        written: String,
        posts: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.kind, r.number, r.number_year, MIN(r.symbol) AS symbol, r.symbol_folded,
                r.issued_on, MIN(r.written) AS written,
                COUNT(DISTINCT r.post_id) AS posts
         FROM post_references r JOIN posts p ON p.id = r.post_id
         WHERE r.document_id IS NULL AND p.stage <> 'trash'
         GROUP BY r.kind, r.number, r.number_year, r.symbol_folded, r.issued_on
         ORDER BY posts DESC, r.kind, r.number LIMIT 500",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("listing missing documents"))?;
    // The latest five posts citing each missing document, all in one query.
    #[derive(sqlx::FromRow)]
    struct Citing {
        kind: String,
        number: i64,
        number_year: Option<i64>,
        symbol_folded: String,
        issued_on: Option<crate::model::Day>,
        title: String,
        slug: String,
        post_kind: String,
    }
    let citing: Vec<Citing> = sqlx::query_as(
        "SELECT kind, number, number_year, symbol_folded, issued_on, title, slug, post_kind
             FROM (SELECT DISTINCT r.kind, r.number, r.number_year, r.symbol_folded, r.issued_on,
                          p.id, p.title, p.slug, p.kind AS post_kind
                   FROM post_references r JOIN posts p ON p.id = r.post_id
                   WHERE r.document_id IS NULL AND p.stage <> 'trash')
             ORDER BY id DESC",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("listing posts citing missing documents"))?;
    // Newest first, at most five per missing document.
    let mut by_document: HashMap<_, Vec<Link>> = HashMap::new();
    for c in citing {
        let posts = by_document
            .entry((
                c.kind,
                c.number,
                c.number_year,
                c.symbol_folded,
                c.issued_on,
            ))
            .or_default();
        if posts.len() < 5 {
            posts.push(Link {
                href: crate::links::post_path(&c.post_kind, &c.slug),
                label: c.title,
            });
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let key = (
            row.kind.clone(),
            row.number,
            row.number_year,
            row.symbol_folded,
            row.issued_on,
        );
        let posts = by_document.remove(&key).unwrap_or_default();
        let number = DocNumber::format(row.number, row.number_year, &row.symbol);
        out.push(MissingReference {
            kind: row.kind,
            number,
            issued_on: row.issued_on,
            written: row.written,
            count: row.posts,
            posts,
        });
    }
    Ok(out)
}

/// The documents one post cites, as `post_references` holds them: recognised when the post was
/// saved, linked when each document was added ([`link_document`]). Read in one query, so a
/// post's view costs one lookup however many documents it cites.
#[derive(Debug, Default)]
pub struct Citations {
    cited: Vec<Citation>,
    /// The first file (the full text) of each cited document that has files.
    files: HashMap<i64, crate::model::Attachment>,
}

#[derive(Debug, sqlx::FromRow)]
struct Citation {
    kind: String,
    number: i64,
    number_year: Option<i64>,
    symbol_folded: String,
    issued_on: Option<String>,
    document_id: i64,
}

impl Citations {
    /// The linked citations of post `id`. A post written to the database by other means than
    /// a save (an import: `scanned` is false) is scanned first, once.
    pub async fn of_post(pool: &SqlitePool, id: i64, scanned: bool) -> Result<Citations, AppError> {
        let unscanned: Option<(String, String)> = if scanned {
            None
        } else {
            sqlx::query_as("SELECT lead, body_text FROM posts WHERE id = ?")
                .bind(id)
                .fetch_optional(pool)
                .await
                .map_err(internal("reading a post to scan for citations"))?
        };
        if let Some((lead, body_text)) = unscanned {
            let mut tx = pool
                .begin()
                .await
                .map_err(internal("citations transaction"))?;
            store(&mut tx, id, &lead, &body_text).await?;
            tx.commit().await.map_err(internal("citations commit"))?;
        }
        let cited: Vec<Citation> = sqlx::query_as(
            "SELECT kind, number, number_year, symbol_folded, issued_on, document_id
             FROM post_references WHERE post_id = ? AND document_id IS NOT NULL",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .map_err(internal("reading a post's citations"))?;
        if cited.is_empty() {
            return Ok(Citations::default());
        }
        #[derive(sqlx::FromRow)]
        struct FirstFile {
            document_id: i64,
            #[sqlx(flatten)]
            stored: crate::server::media::attachments::Stored,
        }
        let first: Vec<FirstFile> = sqlx::query_as(
            "SELECT f.document_id, a.id, a.token, a.sha256, a.filename, a.ext, a.content_type,
                    a.size, a.width, a.height
             FROM document_files f JOIN attachments a ON a.id = f.attachment_id
             WHERE f.document_id IN (SELECT document_id FROM post_references
                                     WHERE post_id = ?1 AND document_id IS NOT NULL)
               AND f.position = (SELECT MIN(g.position) FROM document_files g
                                 WHERE g.document_id = f.document_id)",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .map_err(internal("reading the files of a post's citations"))?;
        Ok(Citations {
            cited,
            files: first
                .into_iter()
                .map(|f| (f.document_id, f.stored.public()))
                .collect(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.cited.is_empty()
    }

    /// The full text of document `id`: its first file, if it has any.
    pub fn file(&self, id: i64) -> Option<&crate::model::Attachment> {
        self.files.get(&id)
    }

    /// The document a reference in the post's text names: same kind, number and symbol, and
    /// the same date when the text gives one here.
    pub fn document(&self, reference: &Reference) -> Option<i64> {
        let date = reference.date.map(date_text);
        let symbol = reference.number.folded_symbol();
        self.cited
            .iter()
            .find(|c| {
                c.kind == reference.kind
                    && c.number == i64::from(reference.number.number)
                    && c.number_year == reference.number.year.map(i64::from)
                    && c.symbol_folded == symbol
                    && (date.is_none() || c.issued_on == date)
            })
            .map(|c| c.document_id)
    }
}

/// A reference's date `(d, m, y)` as stored, `YYYY-MM-DD`.
fn date_text((d, m, y): (u8, u8, u16)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// The document a reference names, if the portal has it: same kind, number and symbol, and,
/// when the reference gives a date, issued that day.
pub async fn resolve<'e>(
    db: impl sqlx::SqliteExecutor<'e>,
    reference: &Reference,
) -> Result<Option<i64>, AppError> {
    let date = reference.date.map(date_text);
    sqlx::query_scalar(
        "SELECT id FROM documents
         WHERE kind = ? AND number = ? AND symbol_folded = ? AND number_year IS ?
           AND (? IS NULL OR issued_on = ?)
         ORDER BY issued_on DESC LIMIT 1",
    )
    .bind(reference.kind)
    .bind(reference.number.number as i64)
    .bind(reference.number.folded_symbol())
    .bind(reference.number.year.map(i64::from))
    .bind(&date)
    .bind(&date)
    .fetch_optional(db)
    .await
    .map_err(internal("resolving a document reference"))
}
