//! The citizens' reading pages, made on the server (`model::Reading`): each loads what the
//! page shows through the server function that serves it as data, then renders the page's
//! components to HTML. The browser only puts that HTML in place.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{PostReading, Reading};

/// The home page (`trang` is the raw `?trang=` value).
#[server(endpoint = "read/home", input = leptos::server_fn::codec::GetUrl)]
pub async fn home(trang: Option<String>) -> Result<Reading, AppError> {
    let data = super::site::home_page(trang).await?;
    let name = crate::server::site::commune_name(&crate::server::state()?.pool).await?;
    Ok(crate::pages::home::render(data, &name))
}

/// A post. A POST, as opening it counts a view (`posts::open_post`).
#[server(endpoint = "read/post")]
pub async fn post(slug: String) -> Result<PostReading, AppError> {
    let post = super::posts::open_post(slug).await?;
    Ok(crate::pages::post::render(
        post,
        &super::site::public_url()?,
    ))
}

/// A static page (`/trang/…`).
#[server(endpoint = "read/page", input = leptos::server_fn::codec::GetUrl)]
pub async fn static_page(slug: String) -> Result<Reading, AppError> {
    let page = super::posts::open_page(slug).await?;
    Ok(crate::pages::static_page::render(
        page,
        &super::site::public_url()?,
    ))
}

/// A category, a page of its posts at a time.
#[server(endpoint = "read/category", input = leptos::server_fn::codec::GetUrl)]
pub async fn category(slug: String, trang: Option<String>) -> Result<Reading, AppError> {
    let category = super::posts::list_category(slug, trang).await?;
    Ok(crate::pages::category::render(category))
}

/// Search results.
#[server(endpoint = "read/search", input = leptos::server_fn::codec::GetUrl)]
pub async fn search(q: Option<String>, trang: Option<String>) -> Result<Reading, AppError> {
    let results = super::search::search(q, trang).await?;
    Ok(crate::pages::search::render(results))
}

/// The site map, with the main menu.
#[server(endpoint = "read/site_map", input = leptos::server_fn::codec::GetUrl)]
pub async fn site_map() -> Result<Reading, AppError> {
    let map = super::site::site_map().await?;
    let menu = crate::server::site::menu(&crate::server::state()?.pool).await?;
    Ok(crate::pages::site_map::render(map, menu))
}

/// The documents list; editors see the way to add one.
#[server(endpoint = "read/documents", input = leptos::server_fn::codec::GetUrl)]
pub async fn documents(
    loai: Option<String>,
    co_quan: Option<String>,
    linh_vuc: Option<String>,
    nam: Option<String>,
    q: Option<String>,
    trang: Option<String>,
) -> Result<Reading, AppError> {
    use crate::model::Role;
    let list = super::documents::list_documents(loai, co_quan, linh_vuc, nam, q, trang).await?;
    let editor = crate::server::accounts::auth::current_official()
        .is_some_and(|official| official.can(Role::Editor));
    Ok(crate::pages::documents::render_list(list, editor))
}

/// A document, and its id for the editors' form.
#[server(endpoint = "read/document", input = leptos::server_fn::codec::GetUrl)]
pub async fn document(id: String) -> Result<(i64, Reading), AppError> {
    let document = super::documents::open_document(id).await?;
    let id = document.summary.id;
    Ok((id, crate::pages::documents::render_document(document)))
}
