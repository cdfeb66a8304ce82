use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{DocumentList, DocumentPage};

/// A page of the documents list, filtered by kind, issuing body, field and year, and searched
/// by number/symbol or words of the summary (`trang` is the raw `?trang=` value).
#[server(endpoint = "documents", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_documents(
    loai: Option<String>,
    co_quan: Option<String>,
    linh_vuc: Option<String>,
    nam: Option<String>,
    q: Option<String>,
    trang: Option<String>,
) -> Result<DocumentList, AppError> {
    use crate::server::{documents, posts, AppState};
    let state = use_context::<AppState>().ok_or(AppError::Internal)?;
    let page = posts::parse_page(trang.as_deref())?;
    let filters = documents::Filters::parse(loai, co_quan, linh_vuc, nam, q)?;
    documents::list(&state.pool, &filters, page).await
}

/// A document's page, by its id.
#[server(endpoint = "document", input = leptos::server_fn::codec::GetUrl)]
pub async fn open_document(id: String) -> Result<DocumentPage, AppError> {
    use crate::server::{documents, AppState};
    let state = use_context::<AppState>().ok_or(AppError::Internal)?;
    let id = id
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(documents::not_found)?;
    documents::open(&state.pool, id).await
}
