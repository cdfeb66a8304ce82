//! Middleware: refusing oversized URLs, counting visits, statuses of server function errors.

use app::error::AppError;
use app::server::{site, visitors, AppState};
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

/// Counts a visit when a browser without the visit cookie loads a page, and gives it the
/// cookie, which lasts as long as the browser session.
pub async fn count_visits(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // The cookie test is the cheap one: most requests stop there.
    let new_visit = !visitors::has_visit_cookie(req.headers())
        && visitors::is_page_load(req.method(), req.headers());
    if new_visit {
        // A failure is logged inside and must not keep the citizen from the page.
        let _ = site::record_visit(&state.pool).await;
    }
    let mut response = next.run(req).await;
    if new_visit {
        if let Ok(cookie) = HeaderValue::from_str(&visitors::new_visit_cookie()) {
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
