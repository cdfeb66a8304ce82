use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SiteInfo;

/// The commune's name, slogan and visit counter, shown around every page.
#[server(endpoint = "site", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_site_info() -> Result<SiteInfo, AppError> {
    use crate::server::{site, AppState};
    let state = use_context::<AppState>().ok_or(AppError::Internal)?;
    site::info(&state.pool, &state.counters).await
}
