//! Văn bản: the documents database, its list and search, and the links posts get to the
//! documents they cite.

pub mod doc_refs;
pub mod references;

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use self::doc_refs::{references, DocNumber, TYPES};
use self::references::Citations;
use super::accounts::{audit, Actor};
use super::html::{escape, link_texts, pieces_html, Piece};
use super::internal;
use super::media::attachments;
use super::text::fold;
use crate::error::AppError;
use crate::format::iso_date;
use crate::model::{
    Attachment, CategoryChoice, Day, DocumentEdit, DocumentEditor, DocumentFilters, DocumentList,
    DocumentPage, DocumentRow, Link,
};

/// Documents per page of the list.
pub const PER_PAGE: i64 = 20;

/// What the documents page's search reads: number, kind, summary and issuer, folded.
pub fn search_text(number: &DocNumber, kind: &str, summary: &str, issuer: &str) -> String {
    fold(&format!("{} {kind} {summary} {issuer}", number.text()))
}

/// The filters of the documents page, parsed from its query string.
#[derive(Debug, Default)]
pub struct Filters {
    pub kind: Option<String>,
    pub issuer: Option<String>,
    pub field: Option<String>,
    pub year: Option<i64>,
    pub query: Option<String>,
}

impl Filters {
    pub fn parse(
        kind: Option<String>,
        issuer: Option<String>,
        field: Option<String>,
        year: Option<String>,
        query: Option<String>,
    ) -> Result<Filters, AppError> {
        use unicode_normalization::UnicodeNormalization;
        let clean = |value: Option<String>| {
            value
                .map(|v| v.trim().nfc().collect::<String>())
                .filter(|v| !v.is_empty())
        };
        let year = match clean(year) {
            None => None,
            Some(year) => Some(
                year.parse::<i64>()
                    .ok()
                    .filter(|y| (1945..=2100).contains(y))
                    .ok_or_else(|| {
                        AppError::BadRequest(format!("Năm “{year}” không hợp lệ, ví dụ: 2022."))
                    })?,
            ),
        };
        let query = clean(query);
        if query.as_ref().is_some_and(|q| q.chars().count() > 200) {
            return Err(AppError::BadRequest(
                "Từ khóa tìm kiếm quá dài: tối đa 200 ký tự.".into(),
            ));
        }
        Ok(Filters {
            kind: clean(kind),
            issuer: clean(issuer),
            field: clean(field),
            year,
            query,
        })
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    number: i64,
    number_year: Option<i64>,
    symbol: String,
    issued_on: Day,
    effective_on: Option<Day>,
    expires_on: Option<Day>,
    issuer: String,
    signer: String,
    field: String,
    summary: String,
    replaced_by: Option<i64>,
}

impl Row {
    fn number_text(&self) -> String {
        DocNumber::format(self.number, self.number_year, &self.symbol)
    }

    fn summary_row(&self, today: Day) -> DocumentRow {
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

const COLUMNS: &str = "id, kind, number, number_year, symbol, issued_on, effective_on, expires_on,
    issuer, signer, field, summary, replaced_by";

/// Document `id` as stored, if there is one.
async fn by_id(pool: &SqlitePool, id: i64) -> Result<Option<Row>, sqlx::Error> {
    let mut query = QueryBuilder::<Sqlite>::new("SELECT ");
    query
        .push(COLUMNS)
        .push(" FROM documents WHERE id = ")
        .push_bind(id);
    query.build_query_as().fetch_optional(pool).await
}

/// Today in Vietnam (UTC+7), `YYYY-MM-DD`: the day documents expire by.
fn today() -> Day {
    crate::format::VietnamDay::vietnam_date(&time::OffsetDateTime::now_utc())
}

/// ` WHERE a = ? AND …` for the filters chosen (nothing when none is), each value bound.
fn push_filters(query: &mut QueryBuilder<Sqlite>, filters: &Filters) {
    let mut any = false;
    // ` WHERE ` before the first condition, ` AND ` before each next one.
    let mut condition = |query: &mut QueryBuilder<Sqlite>, sql: &str| {
        query.push(if any { " AND " } else { " WHERE " }).push(sql);
        any = true;
    };
    if let Some(kind) = &filters.kind {
        condition(query, "kind = ");
        query.push_bind(kind.as_str());
    }
    if let Some(issuer) = &filters.issuer {
        condition(query, "issuer = ");
        query.push_bind(issuer.as_str());
    }
    if let Some(field) = &filters.field {
        condition(query, "field = ");
        query.push_bind(field.as_str());
    }
    if let Some(year) = filters.year {
        condition(query, "issued_year = ");
        query.push_bind(year);
    }
    if let Some(text) = &filters.query {
        match DocNumber::parse(text) {
            // A number and symbol: that document (any year, any body). The symbol may be
            // given by its first parts, as people say it: "19/KH" finds 19/KH-UBND. A folded
            // symbol is letters, digits and hyphens, so it holds no LIKE wildcard.
            Ok(number) => {
                let symbol = number.folded_symbol();
                condition(query, "number = ");
                query
                    .push_bind(i64::from(number.number))
                    .push(" AND (symbol_folded = ")
                    .push_bind(symbol.clone())
                    .push(" OR symbol_folded LIKE ")
                    .push_bind(format!("{symbol}-%"))
                    .push(")");
            }
            // Words: each must appear, folded, in the number, kind, summary or issuer.
            Err(_) => {
                for word in fold(text).split_whitespace().take(12) {
                    condition(query, "instr(search_text, ");
                    query.push_bind(word).push(") > 0");
                }
            }
        }
    }
}

/// Page `page` of the documents the filters select, newest first, with the values the filters
/// can take.
pub async fn list(
    pool: &SqlitePool,
    filters: &Filters,
    page: i64,
) -> Result<DocumentList, AppError> {
    let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM documents");
    push_filters(&mut count, filters);
    let total: i64 = count
        .build_query_scalar()
        .fetch_one(pool)
        .await
        .map_err(internal("counting documents"))?;
    let total_pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    if page > total_pages {
        return Err(AppError::NotFound(format!(
            "Không có trang {page}: danh sách văn bản chỉ có {total_pages} trang."
        )));
    }
    let mut select = QueryBuilder::<Sqlite>::new("SELECT ");
    select.push(COLUMNS).push(" FROM documents");
    push_filters(&mut select, filters);
    select
        .push(" ORDER BY issued_on DESC, id DESC LIMIT ")
        .push_bind(PER_PAGE)
        .push(" OFFSET ")
        .push_bind((page - 1) * PER_PAGE);
    let rows = select
        .build_query_as::<Row>()
        .fetch_all(pool)
        .await
        .map_err(internal("listing documents"))?;
    // The column is one of the names below, written here: no text from a request.
    let choices = |column: &'static str| async move {
        let mut query = QueryBuilder::<Sqlite>::new("SELECT DISTINCT ");
        query
            .push(column)
            .push(" FROM documents WHERE ")
            .push(column)
            .push(" != '' ORDER BY ")
            .push(column);
        query
            .build_query_scalar::<String>()
            .fetch_all(pool)
            .await
            .map_err(internal("reading document filters"))
    };
    let years: Vec<i64> =
        sqlx::query_scalar("SELECT DISTINCT issued_year FROM documents ORDER BY issued_year DESC")
            .fetch_all(pool)
            .await
            .map_err(internal("reading document years"))?;
    let today = today();
    Ok(DocumentList {
        documents: rows.iter().map(|r| r.summary_row(today)).collect(),
        total,
        page,
        total_pages,
        filters: DocumentFilters {
            kinds: choices("kind").await?,
            issuers: choices("issuer").await?,
            fields: choices("field").await?,
            years,
        },
        chosen: [
            filters.kind.clone().unwrap_or_default(),
            filters.issuer.clone().unwrap_or_default(),
            filters.field.clone().unwrap_or_default(),
            filters.year.map(|y| y.to_string()).unwrap_or_default(),
            filters.query.clone().unwrap_or_default(),
        ],
    })
}

/// The `n` documents issued last, for the home page's "Văn bản mới".
pub async fn newest(pool: &SqlitePool, n: i64) -> Result<Vec<DocumentRow>, AppError> {
    let mut select = QueryBuilder::<Sqlite>::new("SELECT ");
    select
        .push(COLUMNS)
        .push(" FROM documents ORDER BY issued_on DESC, id DESC LIMIT ")
        .push_bind(n);
    let rows = select
        .build_query_as::<Row>()
        .fetch_all(pool)
        .await
        .map_err(internal("listing the newest documents"))?;
    let today = today();
    Ok(rows.iter().map(|r| r.summary_row(today)).collect())
}

pub fn not_found() -> AppError {
    AppError::NotFound("Không có văn bản này trên cổng. Đường dẫn có thể đã bị sai.".into())
}

/// A document's page: its fields, its validity, what it replaces or is replaced by, and the
/// published posts that cite it.
pub async fn open(pool: &SqlitePool, id: i64) -> Result<DocumentPage, AppError> {
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
    let today = today();
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
        comments_html: String::new(),
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

/// `text` split where it cites documents the portal has, None if it cites none. Each citation
/// is a link: to the document's full text (its first file) when it has one, the link's words
/// then saying what the file is ("(PDF, 245 KB)"), else to the document's page.
fn cite(text: &str, citations: &Citations) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for reference in references(text) {
        if let Some(id) = citations.document(&reference) {
            pieces.push(Piece::Text(text[at..reference.span.start].to_string()));
            let words = &text[reference.span.clone()];
            pieces.push(match citations.file(id) {
                Some(file) => Piece::Link {
                    href: file.url.clone(),
                    class: "doc-ref doc-ref--file",
                    text: format!("{words} ({})", file.description),
                },
                None => Piece::Link {
                    href: format!("/van-ban/{id}"),
                    class: "doc-ref",
                    text: words.to_string(),
                },
            });
            at = reference.span.end;
        }
    }
    if pieces.is_empty() {
        return None;
    }
    pieces.push(Piece::Text(text[at..].to_string()));
    Some(pieces)
}

/// `text` as HTML (escaped), each reference to a document the portal has made a link to it.
pub fn link_text(text: &str, citations: &Citations) -> String {
    match cite(text, citations) {
        Some(pieces) => pieces_html(&pieces),
        None => escape(text),
    }
}

/// Stored (sanitised) HTML with each reference in its text, outside existing links, made a
/// link to the document.
pub fn link_html(html: &str, citations: &Citations) -> String {
    if citations.is_empty() {
        return html.to_string();
    }
    link_texts(html, |text| cite(text, citations))
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

fn one_line(raw: &str, max: usize, what: &str, required: bool) -> Result<String, AppError> {
    let value = super::text::one_line(raw);
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
/// posts citing it linked to it, in one transaction. Returns its id.
pub async fn save(pool: &SqlitePool, actor: &Actor, edit: &DocumentEdit) -> Result<i64, AppError> {
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
                .push("), version = version + 1, ")
                .push("updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now') WHERE id = ")
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
