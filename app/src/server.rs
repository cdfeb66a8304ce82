//! Server-only code: SQL, counters, slugs. Compiled only with the `ssr` feature, so nothing
//! here reaches the wasm build.

pub mod accounts;
pub mod attachments;
pub mod auth;
pub mod categories;
pub mod clips;
pub mod counters;
pub mod csp;
pub mod doc_refs;
pub mod documents;
pub mod editing;
pub mod feeds;
pub mod html;
pub mod posts;
pub mod references;
pub mod search;
pub mod site;
pub mod slug;
pub mod text;
pub mod visitors;
pub mod weather;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::SqlitePool;

/// Everything a request handler or server function needs, provided as context by the router.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    pub counters: counters::Counters,
    pub auth: auth::AuthConfig,
    pub throttle: auth::Throttle,
    pub weather: weather::WeatherService,
    pub media: clips::MediaConfig,
    pub thumbnail_failures: clips::ThumbnailFailures,
    /// Publishes scheduled posts at their time.
    pub schedule: editing::Schedule,
    /// The site's public address (`https://duongquang.gov.vn`) for absolute links in feeds and
    /// the sitemap; None: taken from each request.
    pub public_url: Option<String>,
}

/// Logs a database failure once, here where it is handled, and hides it from the caller.
pub(crate) fn internal(
    context: &'static str,
) -> impl FnOnce(sqlx::Error) -> crate::error::AppError {
    move |err| {
        tracing::error!(error = %err, "{context}");
        crate::error::AppError::Internal
    }
}
