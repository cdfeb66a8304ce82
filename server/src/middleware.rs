//! Middleware: refusing oversized URLs, knowing browsers and counting visits, statuses of
//! server function errors.

use app::error::AppError;
use app::server::{counters, visitors, AppState};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use http::{header, HeaderValue, StatusCode};

/// Longest URL (path and query) answered; longer ones get 414 before any work is done.
pub const MAX_URI_LEN: usize = 2048;

pub async fn limit_uri(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if len > MAX_URI_LEN {
        return (
            StatusCode::URI_TOO_LONG,
            Html(message_page(
                "Địa chỉ quá dài",
                "Địa chỉ (URL) bạn gửi dài quá mức cho phép nên không thể xử lý. Vui lòng kiểm tra lại đường dẫn.",
            )),
        )
            .into_response();
    }
    next.run(req).await
}

/// Knows browsers by their visit cookie: counts a visit when a new browser loads a page or a
/// known one comes back after the idle time, tells the app which browser a page load or server
/// function call comes from (for the repeat-view window), and sets the cookie again when the time
/// of the last request in it is getting old. Assets, prefetches and crawlers pass untouched.
pub async fn track_visitors(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let counters = &state.counters;
    if !counters.enabled() {
        return next.run(req).await;
    }
    let now = counters::unix_now();
    let Some(tracked) = visitors::track(
        req.method(),
        req.uri().path(),
        req.headers(),
        now,
        counters.config().visit_idle.as_secs(),
    ) else {
        return next.run(req).await;
    };
    if tracked.new_visit {
        counters.record_visit();
    }
    req.extensions_mut()
        .insert(visitors::Visitor(tracked.visitor));
    let mut response = next.run(req).await;
    if tracked.set_cookie {
        if let Ok(cookie) = HeaderValue::from_str(&visitors::visit_cookie(tracked.visitor, now)) {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
    }
    response
}

/// Server functions answer every error with status 500; this gives an [`AppError`] answer
/// its own status (400 for bad arguments, 404 for a missing post, ...).
pub async fn server_fn_error_status(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response
            .headers()
            .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// A small standalone Vietnamese page for answers given before the app renders.
fn message_page(heading: &str, text: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{heading}</title><link rel=\"stylesheet\" href=\"/pkg/portal.css\"></head>\
         <body><main class=\"message\"><h1>{heading}</h1><p>{text}</p>\
         <p><a href=\"/\">Về trang chủ</a></p></main></body></html>"
    )
}
