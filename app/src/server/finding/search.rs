//! Vietnamese search over published posts and pages.
//!
//! The index (`posts_fts`, migration 0008) is kept by triggers inside each write's
//! transaction. Its tokenizer folds case and every tone and vowel mark; this module folds the
//! query the same way, so "ke hoach papi", "Kế hoạch PAPI", NFD input and old-style tone
//! placement ("hoà" / "hòa") all meet the same words. Posts with every word in the title come
//! first, then the others, newest first; snippets and marks are cut from the original text.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

use crate::error::AppError;
use crate::model::{Fragment, SearchHit, SearchResults, POSTS_PER_PAGE, SEARCH_COUNT_LIMIT};
use crate::server::text::fold;
use crate::server::{internal, sql};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Words of a query used; more add nothing but cost.
const MAX_TERMS: usize = 12;
/// Words in a result's snippet.
const SNIPPET_WORDS: usize = 36;
/// Words shown before the first match in a snippet.
const SNIPPET_LEAD_IN: usize = 8;

/// A search request: the text as typed (NFC) and its folded words.
#[derive(Debug, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub terms: Vec<String>,
}

impl Query {
    /// None for an empty query (the search page then shows only its form).
    pub fn parse(raw: &str) -> Result<Option<Query>, AppError> {
        let text: String = raw.trim().nfc().collect();
        if text.is_empty() {
            return Ok(None);
        }
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(AppError::BadRequest(format!(
                "Từ khóa tìm kiếm quá dài: tối đa {MAX_QUERY_CHARS} ký tự."
            )));
        }
        let mut terms: Vec<String> = Vec::new();
        for word in words(&fold(&text)) {
            if !terms.iter().any(|t| t == word) && terms.len() < MAX_TERMS {
                terms.push(word.to_string());
            }
        }
        if terms.is_empty() {
            return Err(AppError::BadRequest(
                "Hãy nhập từ cần tìm bằng chữ hoặc số, ví dụ: kế hoạch.".into(),
            ));
        }
        Ok(Some(Query { text, terms }))
    }

    /// The FTS5 expression: every word, each quoted so nothing in it is syntax.
    pub fn expression(&self) -> String {
        self.terms
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn matches(&self, word: &str) -> bool {
        let folded = fold(word);
        self.terms.contains(&folded)
    }
}

/// The words of a text, as the index's tokenizer splits them (letters and digits).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// A text cut into words and what lies between them.
fn tokens(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_word = None;
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric() || is_combining_mark(c);
        if in_word != Some(word) {
            if let Some(was_word) = in_word {
                out.push((&text[start..i], was_word));
            }
            start = i;
            in_word = Some(word);
        }
    }
    if let Some(was_word) = in_word {
        out.push((&text[start..], was_word));
    }
    out
}

/// Fragments of `tokens`, matched words marked, neighbours of the same kind merged.
fn mark(query: &Query, tokens: &[(&str, bool)]) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    for &(text, is_word) in tokens {
        let hit = is_word && query.matches(text);
        match out.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(text),
            _ => out.push(Fragment {
                text: text.to_string(),
                hit,
            }),
        }
    }
    // Matched words separated by spaces only are one mark: "<mark>Kế hoạch</mark>".
    let mut merged: Vec<Fragment> = Vec::with_capacity(out.len());
    let mut rest = out.into_iter().peekable();
    while let Some(fragment) = rest.next() {
        let joins = !fragment.hit
            && fragment.text.chars().all(char::is_whitespace)
            && merged.last().is_some_and(|f| f.hit)
            && rest.peek().is_some_and(|f| f.hit);
        if joins {
            let next = rest.next().expect("peeked");
            let last = merged.last_mut().expect("checked");
            last.text.push_str(&fragment.text);
            last.text.push_str(&next.text);
        } else {
            merged.push(fragment);
        }
    }
    merged
}

/// The whole title, matches marked.
pub fn highlight(query: &Query, text: &str) -> Vec<Fragment> {
    mark(query, &tokens(text))
}

/// About `SNIPPET_WORDS` words of `text` around its first match (from the start if none),
/// matches marked, with "…" where text was cut.
pub fn snippet(query: &Query, text: &str) -> Vec<Fragment> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let tokens = tokens(&text);
    let word_at: Vec<usize> = (0..tokens.len()).filter(|&i| tokens[i].1).collect();
    let first_hit = word_at
        .iter()
        .position(|&i| query.matches(tokens[i].0))
        .unwrap_or(0);
    let first = first_hit.saturating_sub(SNIPPET_LEAD_IN);
    let last = (first + SNIPPET_WORDS).min(word_at.len());
    if word_at.is_empty() {
        return Vec::new();
    }
    let from = word_at[first];
    // Through the word, and the punctuation right after it if the text ends there.
    let to = if last == word_at.len() {
        tokens.len()
    } else {
        word_at[last - 1] + 1
    };
    let mut out = mark(query, &tokens[from..to]);
    let ellipsis = |out: &mut Vec<Fragment>, front: bool| {
        let piece = Fragment {
            text: "…".into(),
            hit: false,
        };
        if front {
            match out.first_mut() {
                Some(f) if !f.hit => f.text.insert(0, '…'),
                _ => out.insert(0, piece),
            }
        } else {
            match out.last_mut() {
                Some(f) if !f.hit => f.text.push_str(" …"),
                _ => out.push(piece),
            }
        }
    };
    if from > 0 {
        ellipsis(&mut out, true);
    }
    if to < tokens.len() {
        ellipsis(&mut out, false);
    }
    out
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    slug: String,
    title: String,
    lead: String,
    body_text: String,
    published_at: crate::model::Instant,
    kind: String,
    published: bool,
    category: Option<String>,
}

/// How many published rows match `expression`, counting no further than
/// `SEARCH_COUNT_LIMIT + 1`: the index hands out matches in rowid order and stops there, so a
/// word found in most posts costs no more than a rare one.
async fn count(pool: &SqlitePool, expression: &str) -> Result<i64, AppError> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? LIMIT ?)",
    )
    .bind(expression)
    .bind(SEARCH_COUNT_LIMIT + 1)
    .fetch_one(pool)
    .await
    .map_err(internal("counting search results"))
}

/// Ids of the rows of `table` matching `expression`, newest first (highest id), at most
/// `limit`: the index walks its lists backwards and stops there.
async fn newest(
    pool: &SqlitePool,
    table: &'static str,
    expression: &str,
    limit: i64,
) -> Result<Vec<i64>, AppError> {
    // The table is one of two names, written here; everything else is bound.
    QueryBuilder::<Sqlite>::new("SELECT rowid FROM ")
        .push(table)
        .push(" WHERE ")
        .push(table)
        .push(" MATCH ")
        .push_bind(expression)
        .push(" ORDER BY rowid DESC LIMIT ")
        .push_bind(limit)
        .build_query_scalar()
        .fetch_all(pool)
        .await
        .map_err(internal("searching posts"))
}

/// Page `page` of the published posts and pages matching `query`: those with every word in
/// the title first, then the others, each group newest first (by id, the order of writing).
/// The indexes hold only published rows, so no join filters the matches, and every index
/// read is bounded (at most about 2,000 rows); only the page's rows are read from `posts`.
pub async fn search(
    pool: &SqlitePool,
    query: &Query,
    page: i64,
) -> Result<SearchResults, AppError> {
    let all = query.expression();
    let counted = count(pool, &all).await?;
    let more = counted > SEARCH_COUNT_LIMIT;
    let total = counted.min(SEARCH_COUNT_LIMIT);
    let total_pages = ((total + POSTS_PER_PAGE - 1) / POSTS_PER_PAGE).max(1);
    if page > total_pages {
        return Err(AppError::NotFound(format!(
            "Không có trang {page}: kết quả tìm kiếm chỉ có {total_pages} trang."
        )));
    }
    let offset = ((page - 1) * POSTS_PER_PAGE) as usize;
    let page_size = POSTS_PER_PAGE as usize;
    let mut ids = Vec::new();
    if total > 0 {
        let titled = newest(pool, "titles_fts", &all, SEARCH_COUNT_LIMIT).await?;
        ids.extend(titled.iter().skip(offset).take(page_size));
        if ids.len() < page_size {
            // The rest: every match, newest first, without the title matches already shown.
            let skip = offset.saturating_sub(titled.len());
            let wanted = page_size - ids.len();
            let limit = (skip + wanted + titled.len()) as i64;
            let rest = newest(pool, "posts_fts", &all, limit).await?;
            ids.extend(
                rest.into_iter()
                    .filter(|id| !titled.contains(id))
                    .skip(skip)
                    .take(wanted),
            );
        }
    }
    let hits = if ids.is_empty() {
        Vec::new()
    } else {
        // By id only: a status condition here would tempt the planner into the status index,
        // a scan of every published post (20 ms at 100,000). The index holds only published
        // rows; the status is checked again below for a row unpublished meanwhile.
        let mut select = QueryBuilder::new(
            "SELECT p.id, p.slug, p.title, p.lead, p.body_text, p.published_at, p.kind,
                    p.status = 'published' AS published, c.name AS category
             FROM posts p LEFT JOIN categories c ON c.id = p.category_id
             WHERE p.id IN ",
        );
        sql::push_ids(&mut select, &ids);
        let mut rows = select
            .build_query_as::<Row>()
            .fetch_all(pool)
            .await
            .map_err(internal("reading search results"))?;
        rows.retain(|row| row.published);
        rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
        rows.into_iter().map(|row| hit(query, row)).collect()
    };
    Ok(SearchResults {
        query: query.text.clone(),
        total,
        more,
        page,
        total_pages,
        hits,
    })
}

fn hit(query: &Query, row: Row) -> SearchHit {
    let text = format!("{}\n{}", row.lead, row.body_text);
    let (href, section) = if row.kind == "page" {
        (format!("/trang/{}", row.slug), "Trang".to_string())
    } else {
        (
            format!("/bai-viet/{}", row.slug),
            row.category.unwrap_or_default(),
        )
    };
    SearchHit {
        href,
        title: highlight(query, &row.title),
        snippet: snippet(query, &text),
        published_at: (row.kind != "page").then_some(row.published_at),
        section,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(raw: &str) -> Vec<String> {
        Query::parse(raw).unwrap().unwrap().terms
    }

    fn marked(fragments: &[Fragment]) -> Vec<&str> {
        fragments
            .iter()
            .filter(|f| f.hit)
            .map(|f| f.text.as_str())
            .collect()
    }

    #[test]
    fn folding_erases_marks_case_and_the_stroke_of_d() {
        assert_eq!(fold("Kế hoạch PAPI"), "ke hoach papi");
        assert_eq!(fold("Dương Quang"), "duong quang");
        assert_eq!(fold("ĐƯỜNG đi"), "duong di");
        // Old-style and new-style tone placement, NFC and NFD.
        let nfd: String = "hòa".nfd().collect();
        assert_eq!(fold("hoà"), "hoa");
        assert_eq!(fold("hòa"), "hoa");
        assert_eq!(fold(&nfd), "hoa");
        assert_eq!(fold("Thủy / Thuỷ"), "thuy / thuy");
        assert_eq!(fold("Nghị quyết số 12/NQ-HĐND"), "nghi quyet so 12/nq-hdnd");
    }

    #[test]
    fn queries_become_distinct_folded_words() {
        assert_eq!(terms("  ke hoach papi "), ["ke", "hoach", "papi"]);
        assert_eq!(terms("Kế hoạch, kế HOẠCH!"), ["ke", "hoach"]);
        assert_eq!(terms("19/KH-UBND"), ["19", "kh", "ubnd"]);
        // Quotes and FTS syntax are words or nothing, never syntax.
        assert_eq!(terms("\"papi\" OR NEAR(x"), ["papi", "or", "near", "x"]);
        assert_eq!(Query::parse("   "), Ok(None));
        assert!(matches!(Query::parse("?!…"), Err(AppError::BadRequest(_))));
        assert!(matches!(
            Query::parse(&"a".repeat(MAX_QUERY_CHARS + 1)),
            Err(AppError::BadRequest(_))
        ));
        assert_eq!(
            terms(&"a ".repeat(100)).len(),
            1,
            "repeated words count once"
        );
    }

    #[test]
    fn titles_mark_the_words_searched_for_in_their_own_spelling() {
        let query = Query::parse("ke hoach papi").unwrap().unwrap();
        let title = highlight(&query, "Kế hoạch tuyên truyền (PAPI) năm 2022");
        assert_eq!(marked(&title), ["Kế hoạch", "PAPI"]);
        let text: String = title.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(text, "Kế hoạch tuyên truyền (PAPI) năm 2022");
    }

    #[test]
    fn snippets_start_near_the_first_match_and_say_where_text_was_cut() {
        let query = Query::parse("duong quang").unwrap().unwrap();
        let mut text = "một ".repeat(50);
        text.push_str("xã Dương Quang ");
        text.push_str(&"hai ".repeat(50));
        let snippet = snippet(&query, &text);
        assert_eq!(marked(&snippet), ["Dương Quang"]);
        let joined: String = snippet.iter().map(|f| f.text.as_str()).collect();
        assert!(joined.starts_with('…'), "{joined}");
        assert!(joined.ends_with('…'), "{joined}");
        assert_eq!(
            joined.split_whitespace().filter(|w| *w != "…").count(),
            SNIPPET_WORDS
        );

        let short = super::snippet(&query, "Xã Dương Quang.");
        let joined: String = short.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(joined, "Xã Dương Quang.");
    }
}
