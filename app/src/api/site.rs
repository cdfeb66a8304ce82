use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SiteInfo;

/// The address the site is reached at: the configured one, or the request's host.
#[cfg(feature = "ssr")]
pub(crate) fn public_url() -> Result<String, AppError> {
    let state = crate::server::state()?;
    let headers = use_context::<http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    Ok(crate::server::site::public_base(
        state.public_url.as_deref(),
        &headers,
    ))
}

/// The commune's name, slogan and visit counter, shown around every page.
#[server(endpoint = "site", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_site_info() -> Result<SiteInfo, AppError> {
    use crate::server::site;
    let state = crate::server::state()?;
    let public_url = public_url()?;
    site::info(&state.pool, &state.counters, &state.weather, public_url).await
}

/// The home page: a page of the news (`page` is the raw `?trang=` value) and, on the first,
/// the blocks: the latest announcements, the newest documents, services links. One call, so
/// the page waits for one answer.
#[server(endpoint = "home", input = leptos::server_fn::codec::GetUrl)]
pub async fn home_page(page: Option<String>) -> Result<crate::model::HomeData, AppError> {
    use crate::server::{content::posts, paging};
    let state = crate::server::state()?;
    let page = paging::parse_page(page.as_deref())?;
    let list = posts::list_published(&state.pool, &state.counters, page).await?;
    let blocks = if page == 1 {
        Some(home_blocks(&state).await?)
    } else {
        None
    };
    Ok(crate::model::HomeData { list, blocks })
}

#[cfg(feature = "ssr")]
async fn home_blocks(
    state: &crate::server::AppState,
) -> Result<crate::model::HomeBlocks, AppError> {
    use crate::server::{content::posts, documents, site};
    let notices = match posts::category_page(&state.pool, &state.counters, NOTICES, 1).await {
        Ok(page) => Some(page.list.posts),
        Err(AppError::NotFound(_)) => None,
        Err(err) => return Err(err),
    };
    Ok(crate::model::HomeBlocks {
        notices_href: notices.is_some().then(|| format!("/chuyen-muc/{NOTICES}")),
        notices: notices
            .unwrap_or_default()
            .into_iter()
            .take(HOME_BLOCK_ITEMS)
            .collect(),
        documents: documents::newest(&state.pool, state.clock.today(), HOME_BLOCK_ITEMS as i64)
            .await?,
        links: site::service_links(&state.pool).await?,
    })
}

/// The category whose posts the home page's "Thông báo" block lists.
pub const NOTICES: &str = "thong-bao";
/// Items in each of the home page's blocks.
pub const HOME_BLOCK_ITEMS: usize = 5;

/// The HTML site map: categories with their post counts, and the static pages.
#[server(endpoint = "site_map", input = leptos::server_fn::codec::GetUrl)]
pub async fn site_map() -> Result<crate::model::SiteMap, AppError> {
    use crate::server::content::categories;
    let state = crate::server::state()?;
    categories::site_map(&state.pool).await
}

/// Admins move the weather widget to another place; the service is asked again at once.
#[server(endpoint = "set_weather_place")]
pub async fn set_weather_place(
    name: String,
    latitude: String,
    longitude: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::server::{accounts, accounts::auth, site, site::weather};
    let admin = auth::require(Role::Admin)?;
    let state = crate::server::state()?;
    let place = weather::parse_place(&name, &latitude, &longitude)?;
    let actor = accounts::Actor::official(&admin, auth::client_ip());
    site::set_place(&state.pool, &actor, &place).await?;
    state.weather.refresh_soon();
    Ok(())
}

/// Admins set the header's emblem to an uploaded image (`attachment`), or back to the plain
/// drawn one (None).
#[server(endpoint = "set_emblem", input = leptos::server_fn::codec::Json)]
pub async fn set_emblem(attachment: Option<i64>) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::server::{accounts::auth, accounts::Actor, site};
    let admin = auth::require(Role::Admin)?;
    let state = crate::server::state()?;
    let actor = Actor::official(&admin, auth::client_ip());
    site::set_emblem(&state.pool, &actor, attachment).await
}

/// Admins change the site's settings in place (slogan, names, contact details): all the pairs
/// given, or none if one is wrong.
#[server(endpoint = "save_settings", input = leptos::server_fn::codec::Json)]
pub async fn save_settings(pairs: Vec<(String, String)>) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::server::{accounts::auth, accounts::Actor, site};
    let admin = auth::require(Role::Admin)?;
    let state = crate::server::state()?;
    if pairs.len() > site::EDITABLE.len() {
        return Err(AppError::BadRequest("Quá nhiều mục cài đặt.".into()));
    }
    let actor = Actor::official(&admin, auth::client_ip());
    site::set_many(&state.pool, &actor, &pairs).await
}
