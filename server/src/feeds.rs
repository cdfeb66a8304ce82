//! `/rss.xml`, `/sitemap.xml` and `/robots.txt`, on the site's public address.

use app::server::{feeds, AppState};
use axum::{
    extract::State,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use http::{header, HeaderMap, StatusCode};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/rss.xml", get(rss))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
}

/// `PORTAL_PUBLIC_URL` when set; otherwise the scheme the proxy reports (`X-Forwarded-Proto`,
/// else http) and the `Host` the request was sent to, if it looks like a host name.
fn base(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.public_url {
        return url.clone();
    }
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let scheme = match text("x-forwarded-proto") {
        Some(proto) if proto.eq_ignore_ascii_case("https") => "https",
        _ => "http",
    };
    let host = text("host")
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

fn xml(content_type: &'static str, result: Result<String, app::error::AppError>) -> Response {
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
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn rss(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = base(&state, &headers);
    xml(
        "application/rss+xml; charset=utf-8",
        feeds::rss(&state.pool, &base).await,
    )
}

async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = base(&state, &headers);
    xml(
        "application/xml; charset=utf-8",
        feeds::sitemap(&state.pool, &base).await,
    )
}

async fn robots(State(state): State<AppState>, headers: HeaderMap) -> Response {
    xml(
        "text/plain; charset=utf-8",
        Ok(feeds::robots(&base(&state, &headers))),
    )
}
