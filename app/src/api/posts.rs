use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{CategoryPage, Post, PostList};

/// One page of published posts, newest first. `page` is the raw `?trang=` value.
#[server(endpoint = "posts", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_posts(page: Option<String>) -> Result<PostList, AppError> {
    use crate::server::{content::posts, paging};
    let state = crate::server::state()?;
    let page = paging::parse_page(page.as_deref())?;
    posts::list_published(&state.pool, &state.counters, page).await
}

/// Opens a published post for reading: returns it and counts one view, which the returned
/// count includes. Prefetches and HEAD requests read without counting.
#[server(endpoint = "open_post")]
pub async fn open_post(slug: String) -> Result<Post, AppError> {
    use crate::server::{content::posts, counting::visitors};
    let state = crate::server::state()?;
    let official = crate::server::accounts::auth::current_official();
    // Officials' own readings are not counted; they also see drafts.
    let viewer = use_context::<http::request::Parts>()
        .filter(|_| official.is_none())
        .and_then(|parts| visitors::viewer(&parts));
    let mut post = posts::open(
        &state.pool,
        &state.counters,
        posts::Kind::Post,
        &slug,
        viewer,
        official.as_ref(),
    )
    .await?;
    // An answer to a citizen's question says who asked, in what field and when.
    if let Some(aside) = crate::api::questions::post_aside(&state.pool, post.id).await? {
        post.question = Some(aside);
    }
    Ok(post)
}

/// A static page (Giới thiệu, Liên hệ). Pages count no views.
#[server(endpoint = "open_page", input = leptos::server_fn::codec::GetUrl)]
pub async fn open_page(slug: String) -> Result<Post, AppError> {
    use crate::server::{content::posts, site};
    let state = crate::server::state()?;
    let official = crate::server::accounts::auth::current_official();
    let mut page = posts::open(
        &state.pool,
        &state.counters,
        posts::Kind::Page,
        &slug,
        None,
        official.as_ref(),
    )
    .await?;
    if page.slug == site::contact::PAGE {
        page.contact = Some(site::contact(&state.pool).await?);
    }
    Ok(page)
}

/// A category's page of posts (`page` is the raw `?trang=` value).
#[server(endpoint = "category", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_category(slug: String, page: Option<String>) -> Result<CategoryPage, AppError> {
    use crate::server::{content::posts, paging};
    let state = crate::server::state()?;
    let page = paging::parse_page(page.as_deref())?;
    posts::category_page(&state.pool, &state.counters, &slug, page).await
}
