//! Middleware: refusing oversized URLs, knowing browsers and counting visits, statuses of
//! server function errors.

use std::net::SocketAddr;

use app::error::AppError;
use app::model::Official;
use app::server::accounts::auth::{self, AuthConfig, ClientIp, SessionToken};
use app::server::{counting::visitors, AppState};
use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use http::{header, HeaderMap, HeaderValue, StatusCode};

/// Longest URL (path and query) answered; longer ones get 414 before any work is done.
pub const MAX_URI_LEN: usize = 2048;

/// Built assets whose names carry a hash of their content (`app::server::assets`) never
/// change under their name: browsers keep them for a year without asking again. Pages are
/// revalidated instead (`cache`). Every answer under `/pkg/` depends on `Accept-Encoding`
/// (a brotli or gzip copy, or the file itself), and says so, or a shared cache could hand a
/// brotli body to a browser that cannot read it.
pub async fn immutable_assets(req: Request, next: Next) -> Response {
    let asset = req.uri().path().starts_with("/pkg/");
    let mut response = next.run(req).await;
    if !asset {
        return response;
    }
    let headers = response.headers_mut();
    let varies = headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("accept-encoding"));
    if !varies {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if response.status().is_success()
        && app::server::assets::Assets::loaded().is_some_and(|a| a.hashed)
    {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    response
}

/// Longest segment of a path answered: longer ones name no page or file (file systems refuse
/// names over 255 bytes, which the static files would answer with a bare 500).
const MAX_SEGMENT_LEN: usize = 255;

pub async fn limit_uri(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if req
        .uri()
        .path()
        .split('/')
        .any(|s| s.len() > MAX_SEGMENT_LEN)
        && len <= MAX_URI_LEN
    {
        return (
            StatusCode::NOT_FOUND,
            Html(message_page(
                "Không tìm thấy trang",
                "Không có trang nào ở địa chỉ này. Vui lòng kiểm tra lại đường dẫn.",
            )),
        )
            .into_response();
    }
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

/// A citizen's page (light, in `app::routes::PAGES`) has one address: with a slash at its end
/// (`/van-ban/`, `/bai-viet/x/`) it is sent to the address without (301), which is the one its
/// head, the render cache, the islands and search engines know.
pub async fn one_address(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let trimmed = path.trim_end_matches('/');
    let get = req.method() == http::Method::GET || req.method() == http::Method::HEAD;
    if get
        && trimmed.len() < path.len()
        && app::routes::page_of(trimmed).is_some_and(|page| page.life == app::routes::Life::Light)
    {
        let location = match req.uri().query() {
            Some(query) => format!("{trimmed}?{query}"),
            None => trimmed.to_string(),
        };
        if let Ok(location) = HeaderValue::from_str(&location) {
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response();
        }
    }
    next.run(req).await
}

/// Scheduled posts become public at their time: when one is due, it is published before the
/// request is served, so no page shows it late even if the timer has not fired yet. Otherwise
/// this costs one atomic read.
pub async fn publish_scheduled(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if state.schedule.is_due() {
        // A failure is logged where it happens; the page is served as it stands.
        let _ = state.schedule.publish_due(&state.pool).await;
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
    // Officials at work are not readers: they count no visit and no view.
    if !counters.enabled() || req.extensions().get::<Official>().is_some() {
        return next.run(req).await;
    }
    let now = state.clock.now();
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
    let secure = auth::secure(&state.auth, req.headers());
    let mut response = next.run(req).await;
    if tracked.set_cookie {
        let cookie = visitors::visit_cookie(tracked.visitor, now, secure);
        if let Ok(cookie) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
    }
    response
}

/// A refusal of a request that carries a body may go out before the body was read (a
/// cross-site upload, an upload without a session). The server then drops the connection, and a
/// client that reused it for its next request would see that request fail under it ("broken
/// pipe"). Saying `Connection: close` on such answers keeps clients from reusing it.
pub async fn close_after_refused_bodies(req: Request, next: Next) -> Response {
    let has_body = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v != "0")
        || req.headers().contains_key(header::TRANSFER_ENCODING);
    let mut response = next.run(req).await;
    if has_body && (response.status().is_client_error() || response.status().is_server_error()) {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Refuses requests that change data (anything but GET, HEAD and OPTIONS) sent by a page of
/// another site: `Sec-Fetch-Site` says so in current browsers, `Origin` in older ones. Nothing
/// runs; the answer is 403 with the Vietnamese [`AppError::CrossOrigin`].
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    use http::Method;
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || !is_cross_site(req.headers())
    {
        return next.run(req).await;
    }
    tracing::warn!(
        method = %req.method(),
        path = %req.uri().path(),
        origin = ?req.headers().get(header::ORIGIN),
        "refused a cross-site request"
    );
    refuse(AppError::CrossOrigin, req.headers())
}

fn is_cross_site(headers: &http::HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        // "none": typed in the address bar or a bookmark.
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = text("origin") else {
        // Not a browser page: it carries no one else's cookies.
        return false;
    };
    let origin_host = origin
        .split_once("://")
        .map_or(origin, |(_, host)| host)
        .trim_end_matches('/');
    ![text("x-forwarded-host"), text("host")]
        .into_iter()
        .flatten()
        .any(|host| host.eq_ignore_ascii_case(origin_host))
}

/// Tells who is asking: the client's address, and the official whose live session the cookie
/// holds. A cookie of an ended or expired session is removed. Pages of signed-in officials are
/// never stored by caches.
pub async fn identify(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let ip = client_ip(&state.auth, &req);
    req.extensions_mut().insert(ClientIp(ip));
    let token = auth::read_session_cookie(req.headers()).map(str::to_string);
    let mut signed_in = false;
    let mut stale = false;
    if let Some(token) = token {
        match auth::session_official(&state.pool, &state.clock, &state.auth, &token).await {
            Ok(Some(official)) => {
                req.extensions_mut().insert(official);
                req.extensions_mut().insert(SessionToken(token));
                signed_in = true;
            }
            Ok(None) => stale = true,
            // Logged inside; the request goes on as a citizen's.
            Err(_) => {}
        }
    }
    let secure = auth::secure(&state.auth, req.headers());
    let mut response = next.run(req).await;
    let sets_session = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(auth::SESSION_COOKIE.as_bytes()));
    if stale && !sets_session {
        if let Ok(clear) = HeaderValue::from_str(&auth::clear_session_cookie(secure)) {
            response.headers_mut().append(header::SET_COOKIE, clear);
        }
    }
    if signed_in || sets_session {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

/// Behind proxies, the address the farthest trusted proxy put in the configured header (the
/// `trusted_proxies`-th from the right); else the connection's peer.
fn client_ip(config: &AuthConfig, req: &Request) -> String {
    let from_header = config.client_ip_header.as_deref().and_then(|name| {
        // Several headers of the name are one list, in order.
        let entries: Vec<&str> = req
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let index = entries.len().checked_sub(config.trusted_proxies.max(1))?;
        parse_forwarded_address(entries[index]).map(|ip| ip.to_string())
    });
    if from_header.is_none() && config.client_ip_header.is_none() {
        warn_once_if_proxied(req.headers());
    }
    from_header
        .or_else(|| {
            req.extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string())
        })
        .unwrap_or_default()
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`,
/// `[2001:db8::1]:443`, or quoted (`"[2001:db8::1]"`, as in `Forwarded`).
fn parse_forwarded_address(entry: &str) -> Option<std::net::IpAddr> {
    let entry = entry.trim().trim_matches('"');
    if let Ok(ip) = entry.parse() {
        return Some(ip);
    }
    if let Ok(addr) = entry.parse::<SocketAddr>() {
        return Some(addr.ip());
    }
    // `[v6]` without a port.
    entry
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|inner| inner.parse().ok())
}

/// Requests that carry a proxy's forwarding headers while no client-address header is set
/// (`PORTAL_CLIENT_IP_HEADER`) all seem to come from the proxy: every per-address limit then
/// counts the whole commune as one client. Said once in the log, at the first such request.
fn warn_once_if_proxied(headers: &http::HeaderMap) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    // Every request of an unconfigured server passes here: after the warning, one load.
    if WARNED.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let forwarded = ["x-forwarded-for", "x-real-ip", "forwarded"]
        .into_iter()
        .find(|name| headers.contains_key(*name));
    if let Some(name) = forwarded {
        if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
            tracing::warn!(
                header = name,
                "requests arrive through a proxy, but PORTAL_CLIENT_IP_HEADER is not set: every \
                 client seems to be the proxy, so limits per address count everyone together. \
                 Set PORTAL_CLIENT_IP_HEADER (and PORTAL_TRUSTED_PROXIES)"
            );
        }
    }
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

/// A form sent without JavaScript that a server function refuses is sent back to the form
/// with the error encoded in its address (`?__path=…&__err=…`), which nobody can read. This
/// puts a short code in its place (`?loi=sai`), whose fixed message the form's page shows
/// (`AppError::no_script_message`).
pub async fn no_script_errors(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    if !response.status().is_redirection() {
        return response;
    }
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
    else {
        return response;
    };
    let Some((base, query)) = location.split_once('?') else {
        return response;
    };
    let mut code = None;
    let mut kept = Vec::new();
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "__err" => {
                let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
                let error =
                    leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(&value);
                code = Some(error.no_script_code());
            }
            "__path" | "loi" => {}
            _ => kept.push(pair),
        }
    }
    let Some(code) = code else {
        return response;
    };
    kept.push("loi=");
    let location = format!("{base}?{}{code}", kept.join("&"));
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// A small standalone Vietnamese page for answers given before the app renders. Both texts
/// are escaped: an error's message may quote what the user sent.
pub(crate) fn message_page(heading: &str, text: &str) -> String {
    let heading = app::server::html::escape(heading);
    let text = app::server::html::escape(text);
    let css = app::server::assets::Assets::loaded().map_or("/pkg/portal.css", |a| a.css.as_str());
    format!(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{heading}</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body><main class=\"message\"><h1>{heading}</h1><p>{text}</p>\
         <p><a href=\"/\">Về trang chủ</a></p></main></body></html>"
    )
}

/// Every answer gets a Content-Security-Policy: a page of the app brings its own (with the
/// nonce of its scripts); a page written by hand gets one that runs no script; anything else
/// (uploaded files, feeds, JSON) one that makes it inert even when opened on its own. A 304
/// gets none.
pub async fn content_security_policy(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    // A 304 updates the headers the browser stored with the page it already has: a policy
    // here would replace that page's own (and its nonce) and stop its scripts.
    if response.status() == StatusCode::NOT_MODIFIED {
        return response;
    }
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let html = headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
        let policy = if html {
            app::server::csp::PLAIN_PAGE
        } else {
            app::server::csp::NOT_A_PAGE
        };
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy),
        );
    }
    response
}

/// No answer sends the browser to another site: a `Location` that is not a path here (or this
/// host's own absolute address) becomes the home page. Server functions called by a form
/// without JavaScript answer with a redirect to the page in `Referer`, which another site
/// chooses.
pub async fn same_origin_redirects(req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut response = next.run(req).await;
    let location = response.headers().get(header::LOCATION);
    if let Some(location) = location {
        let allowed = location
            .to_str()
            .is_ok_and(|l| is_same_origin(l, host.as_deref()));
        if !allowed {
            tracing::warn!(?location, "refused a redirect to another site");
            response
                .headers_mut()
                .insert(header::LOCATION, HeaderValue::from_static("/"));
        }
    }
    response
}

fn is_same_origin(location: &str, host: Option<&str>) -> bool {
    if app::links::local_path(location).is_some() {
        return true;
    }
    let Some(rest) = location
        .strip_prefix("https://")
        .or_else(|| location.strip_prefix("http://"))
    else {
        return false;
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    host.is_some_and(|host| host.eq_ignore_ascii_case(authority))
        && (path.is_empty() || app::links::local_path(path).is_some())
}

/// An error answer: JSON for `fetch`, a Vietnamese page for a form sent without JavaScript.
pub(crate) fn refuse(error: AppError, headers: &HeaderMap) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    if is_navigation(headers) {
        let page = message_page(error.heading(), &error.to_string());
        return (status, axum::response::Html(page)).into_response();
    }
    let body = serde_json::to_string(&error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

pub(crate) fn is_navigation(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-mode")
        .is_some_and(|mode| mode == "navigate")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_are_read_with_or_without_a_port() {
        let read = |s: &str| parse_forwarded_address(s).map(|ip| ip.to_string());
        assert_eq!(read("1.2.3.4").as_deref(), Some("1.2.3.4"));
        assert_eq!(read(" 1.2.3.4:5678 ").as_deref(), Some("1.2.3.4"));
        assert_eq!(read("2001:db8::1").as_deref(), Some("2001:db8::1"));
        assert_eq!(read("[2001:db8::1]:443").as_deref(), Some("2001:db8::1"));
        assert_eq!(read("\"[2001:db8::1]\"").as_deref(), Some("2001:db8::1"));
        assert_eq!(read("unknown"), None);
        assert_eq!(read("1.2.3.4:x"), None);
    }
}
