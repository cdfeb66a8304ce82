//! `/rss.xml`, `/chuyen-muc/<slug>/rss.xml`, `/sitemap.xml` and `/robots.txt`, on the site's public address.

use app::error::AppError;
use app::server::{finding::feeds, AppState};
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use http::{header, HeaderMap};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/rss.xml", get(rss))
        .route("/chuyen-muc/{slug}/rss.xml", get(category_rss))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
}

fn base(state: &AppState, headers: &HeaderMap) -> String {
    app::server::site::public_base(state.public_url.as_deref(), headers)
}

fn xml(
    content_type: &'static str,
    result: Result<String, AppError>,
    headers: &HeaderMap,
) -> Response {
    match result {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            body,
        )
            .into_response(),
        // Logged where it happened.
        Err(error) => crate::middleware::refuse(error, headers),
    }
}

async fn rss(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = base(&state, &headers);
    xml(
        "application/rss+xml; charset=utf-8",
        feeds::rss(&state.pool, &base, None).await,
        &headers,
    )
}

async fn category_rss(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let base = base(&state, &headers);
    xml(
        "application/rss+xml; charset=utf-8",
        feeds::rss(&state.pool, &base, Some(&slug)).await,
        &headers,
    )
}

async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = base(&state, &headers);
    xml(
        "application/xml; charset=utf-8",
        feeds::sitemap(&state.pool, &base).await,
        &headers,
    )
}

async fn robots(State(state): State<AppState>, headers: HeaderMap) -> Response {
    xml(
        "text/plain; charset=utf-8",
        Ok(feeds::robots(&base(&state, &headers))),
        &headers,
    )
}
