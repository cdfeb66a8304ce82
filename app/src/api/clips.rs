use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Clip;

/// All clips, for the officials' panel of the widget.
#[server(endpoint = "clips", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_clips() -> Result<Vec<Clip>, AppError> {
    use crate::model::Role;
    use crate::server::{accounts::auth, media::clips};
    auth::require(Role::Editor)?;
    let state = crate::server::state()?;
    clips::list(&state.pool, &state.counters).await
}

/// Adds a YouTube clip and shows it.
#[server(endpoint = "add_youtube_clip")]
pub async fn add_youtube_clip(title: String, link: String) -> Result<(), AppError> {
    use crate::model::{ClipSource, Role};
    use crate::server::{accounts, accounts::auth, media::clips};
    let editor = auth::require(Role::Editor)?;
    let state = crate::server::state()?;
    let title = clips::parse_title(&title)?;
    let id = clips::parse_youtube(&link)?;
    let actor = accounts::Actor::official(&editor, auth::client_ip());
    clips::add(&state.pool, &actor, &title, &ClipSource::YouTube { id }, 0).await?;
    Ok(())
}

/// Shows another clip of the list.
#[server(endpoint = "set_current_clip")]
pub async fn set_current_clip(id: i64) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::server::{accounts, accounts::auth, media::clips};
    let editor = auth::require(Role::Editor)?;
    let state = crate::server::state()?;
    let actor = accounts::Actor::official(&editor, auth::client_ip());
    clips::set_current(&state.pool, &actor, id).await
}

/// A reader pressed play: one view, counted like a post's. Returns the number to show.
#[server(endpoint = "clip_view")]
pub async fn clip_view(id: i64) -> Result<i64, AppError> {
    use crate::server::{accounts::auth, counting::visitors, media::clips};
    let state = crate::server::state()?;
    let viewer = use_context::<http::request::Parts>()
        .filter(|_| auth::current_official().is_none())
        .and_then(|parts| visitors::viewer(&parts));
    clips::view(&state.pool, &state.counters, id, viewer).await
}
