//! Which requests count: views of posts and visits of the site.

use http::{HeaderMap, Method};

/// Name of the session cookie that marks a browser whose visit is already counted.
pub const VISIT_COOKIE: &str = "portal_visit";

/// Whether the request is a reader opening a page, not a prefetch or a HEAD probe.
pub fn counts_as_view(method: &Method, headers: &HeaderMap) -> bool {
    (method == Method::GET || method == Method::POST) && !is_prefetch(headers)
}

/// Browsers mark speculative loads with `Sec-Purpose: prefetch` (older ones `Purpose: prefetch`,
/// Firefox `X-Moz: prefetch`, Chrome's link previews `X-Purpose: preview`).
pub fn is_prefetch(headers: &HeaderMap) -> bool {
    ["sec-purpose", "purpose", "x-moz", "x-purpose"]
        .iter()
        .any(|name| {
            headers
                .get(*name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_ascii_lowercase)
                .is_some_and(|v| v.contains("prefetch") || v.contains("preview"))
        })
}

/// Whether a request is a browser loading a page (not an asset, a server function or a probe),
/// i.e. something that can start a visit.
pub fn is_page_load(method: &Method, headers: &HeaderMap) -> bool {
    if method != Method::GET || is_prefetch(headers) {
        return false;
    }
    match headers.get("sec-fetch-dest").and_then(|v| v.to_str().ok()) {
        Some(dest) => dest == "document",
        None => headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html")),
    }
}

/// Whether the request carries the visit cookie.
pub fn has_visit_cookie(headers: &HeaderMap) -> bool {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|pair| pair.trim().split('=').next() == Some(VISIT_COOKIE))
}

/// `Set-Cookie` value for a new visit: a random identifier, no expiry (ends with the browser
/// session), invisible to scripts.
pub fn new_visit_cookie() -> String {
    format!(
        "{VISIT_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax",
        uuid::Uuid::new_v4().simple()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn prefetches_and_head_requests_are_not_views() {
        assert!(!counts_as_view(
            &Method::GET,
            &headers(&[("x-purpose", "Preview")])
        ));
        assert!(counts_as_view(&Method::GET, &headers(&[])));
        assert!(counts_as_view(&Method::POST, &headers(&[])));
        assert!(!counts_as_view(&Method::HEAD, &headers(&[])));
        assert!(!counts_as_view(
            &Method::GET,
            &headers(&[("sec-purpose", "prefetch")])
        ));
        assert!(!counts_as_view(
            &Method::GET,
            &headers(&[("sec-purpose", "prefetch;prerender")])
        ));
        assert!(!counts_as_view(
            &Method::GET,
            &headers(&[("purpose", "prefetch")])
        ));
    }

    #[test]
    fn only_document_loads_start_visits() {
        assert!(is_page_load(
            &Method::GET,
            &headers(&[("sec-fetch-dest", "document")])
        ));
        assert!(!is_page_load(
            &Method::GET,
            &headers(&[("sec-fetch-dest", "script")])
        ));
        assert!(!is_page_load(
            &Method::GET,
            &headers(&[("sec-fetch-dest", "empty")])
        ));
        assert!(is_page_load(
            &Method::GET,
            &headers(&[("accept", "text/html,*/*")])
        ));
        assert!(!is_page_load(&Method::GET, &headers(&[("accept", "*/*")])));
        assert!(!is_page_load(
            &Method::POST,
            &headers(&[("accept", "text/html")])
        ));
    }

    #[test]
    fn the_visit_cookie_is_found_among_others() {
        assert!(has_visit_cookie(&headers(&[(
            "cookie",
            "a=1; portal_visit=abc"
        )])));
        assert!(!has_visit_cookie(&headers(&[(
            "cookie",
            "portal_visit_old=1"
        )])));
        assert!(!has_visit_cookie(&headers(&[])));
        let cookie = new_visit_cookie();
        assert!(cookie.starts_with("portal_visit="));
        assert!(
            cookie.contains("HttpOnly")
                && !cookie.contains("Expires")
                && !cookie.contains("Max-Age")
        );
    }
}
