//! The documents page's list: its filters, parsed from the query string, and its pages; and
//! the newest documents for the home page.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::doc_refs::DocNumber;
use super::stored::{Row, COLUMNS};
use crate::error::AppError;
use crate::model::Day;
use crate::model::{DocumentFilters, DocumentList, DocumentRow};
use crate::server::internal;
use crate::server::text::fold;

/// Documents per page of the list.
pub const PER_PAGE: i64 = 20;

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
    today: Day,
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
pub async fn newest(pool: &SqlitePool, today: Day, n: i64) -> Result<Vec<DocumentRow>, AppError> {
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
    Ok(rows.iter().map(|r| r.summary_row(today)).collect())
}
