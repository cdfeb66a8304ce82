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
    use crate::server::{documents, paging};
    let state = crate::server::state()?;
    let page = paging::parse_page(trang.as_deref())?;
    let filters = documents::Filters::parse(loai, co_quan, linh_vuc, nam, q)?;
    documents::list(&state.pool, state.clock.today(), &filters, page).await
}

/// A document's page, by its id.
#[server(endpoint = "document", input = leptos::server_fn::codec::GetUrl)]
pub async fn open_document(id: String) -> Result<DocumentPage, AppError> {
    use crate::server::documents;
    let state = crate::server::state()?;
    let id = id
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(documents::not_found)?;
    let mut page = documents::open(&state.pool, state.clock.today(), id).await?;
    let official = crate::server::accounts::auth::current_official();
    page.comments = crate::api::questions::document_comments(&state, id, official.as_ref()).await?;
    Ok(page)
}

/// The documents form (editors): document `id` as stored, or a blank one prefilled with what
/// the list of missing documents knows (`loai`, `so`, `ngay`).
#[server(endpoint = "document_editor", input = leptos::server_fn::codec::GetUrl)]
pub async fn document_editor(
    id: Option<i64>,
    loai: Option<String>,
    so: Option<String>,
    ngay: Option<String>,
) -> Result<crate::model::DocumentEditor, AppError> {
    use crate::model::{DocumentEdit, Role};
    use crate::server::{accounts::auth, documents};
    auth::require(Role::Editor)?;
    let state = crate::server::state()?;
    let prefill = DocumentEdit {
        kind: loai.unwrap_or_default(),
        number: so.unwrap_or_default(),
        issued_on: ngay.unwrap_or_default(),
        ..Default::default()
    };
    documents::editor(&state.pool, id, prefill).await
}

/// Adds or changes a document (editors); returns its id.
#[server(endpoint = "save_document", input = leptos::server_fn::codec::Json)]
pub async fn save_document(edit: crate::model::DocumentEdit) -> Result<i64, AppError> {
    use crate::model::Role;
    use crate::server::{accounts::auth, accounts::Actor, documents};
    let editor = auth::require(Role::Editor)?;
    let state = crate::server::state()?;
    let actor = Actor::official(&editor, auth::client_ip());
    documents::save(&state.pool, &actor, &edit, &state.clock.stored()).await
}

/// The documents posts cite that the portal does not have yet, and those it has without a
/// file (officials).
#[server(endpoint = "missing_documents", input = leptos::server_fn::codec::GetUrl)]
pub async fn missing_documents() -> Result<crate::model::MissingDocuments, AppError> {
    use crate::model::Role;
    use crate::server::{accounts::auth, documents::references};
    auth::require(Role::Writer)?;
    let state = crate::server::state()?;
    Ok(crate::model::MissingDocuments {
        cited: references::missing(&state.pool).await?,
        without_files: references::without_files(&state.pool).await?,
    })
}
