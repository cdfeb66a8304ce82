use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SearchResults;

/// Published posts and pages matching `q`, best first, a page at a time (`page` is the raw
/// `?trang=` value). An empty `q` gives no results and no error.
#[server(endpoint = "search", input = leptos::server_fn::codec::GetUrl)]
pub async fn search(q: Option<String>, page: Option<String>) -> Result<SearchResults, AppError> {
    use crate::server::{finding::search, paging};
    let state = crate::server::state()?;
    let page = paging::parse_page(page.as_deref())?;
    match search::Query::parse(q.as_deref().unwrap_or_default())? {
        Some(query) => search::search(&state.pool, &query, page).await,
        None => Ok(SearchResults {
            query: String::new(),
            total: 0,
            more: false,
            page: 1,
            total_pages: 1,
            hits: Vec::new(),
        }),
    }
}
