//! Which requests count: views of posts and visits of the site.
//!
//! A browser is known by the session cookie `portal_visit`: a random 64-bit identifier and the
//! time of its last request, `<16 hex digits>.<unix seconds>`. Nothing else about the reader is
//! kept. A request after [`CountingConfig::visit_idle`](crate::server::counting::counters::CountingConfig) without
//! one starts a new visit.

use http::{HeaderMap, Method};

use crate::server::cookies::cookie;

/// Name of the session cookie that identifies a browser and the time of its last request.
pub const VISIT_COOKIE: &str = "portal_visit";

/// The browser a request comes from, put in the request's extensions by the visit middleware.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Visitor(pub u64);

/// A reader opening a post: the opening counts as a view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewer {
    /// The browser, when known: its repeats within the window count once.
    pub visitor: Option<u64>,
}

/// The viewer of a request that opens a post, or None when the opening counts no view.
pub fn viewer(parts: &http::request::Parts) -> Option<Viewer> {
    match parts.extensions.get::<Visitor>() {
        // The middleware has already told this browser from a crawler.
        Some(Visitor(id)) => ((parts.method == Method::GET || parts.method == Method::POST)
            && !is_prefetch(&parts.headers))
        .then_some(Viewer { visitor: Some(*id) }),
        None => counts_as_view(&parts.method, &parts.headers).then_some(Viewer { visitor: None }),
    }
}

/// Whether the request is a reader opening a page, not a prefetch, a HEAD probe, a crawler or
/// another site's page loading ours as an image, a frame or a script.
pub fn counts_as_view(method: &Method, headers: &HeaderMap) -> bool {
    (method == Method::GET || method == Method::POST)
        && !is_prefetch(headers)
        && !is_crawler(headers)
        && !is_embedded_elsewhere(headers)
}

/// A request the browser makes for another site's page, other than following a link to ours
/// (Fetch Metadata): `<img src>`, `<iframe>`, a script's fetch. It carries no visit cookie
/// (`SameSite=Lax`), so without this every such load would count.
fn is_embedded_elsewhere(headers: &HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match header("sec-fetch-dest") {
        None | Some("document") => false,
        Some("empty") => header("sec-fetch-site") == Some("cross-site"),
        Some(_) => true,
    }
}

/// Fragments of crawler and tool User-Agents, lowercase, from `crawlers.txt`.
fn crawler_fragments() -> &'static [String] {
    static FRAGMENTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    FRAGMENTS.get_or_init(|| {
        include_str!("crawlers.txt")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::to_ascii_lowercase)
            .collect()
    })
}

/// Whether the User-Agent is missing or names a crawler, link previewer, monitor or HTTP tool.
pub fn is_crawler(headers: &HeaderMap) -> bool {
    let Some(agent) = headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
    else {
        return true;
    };
    let agent = agent.to_ascii_lowercase();
    crawler_fragments()
        .iter()
        .any(|fragment| agent.contains(fragment.as_str()))
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

/// The header by which a citizen's page fetches the next reading page when it follows a link in
/// place (`reading_pages.js`): a page load, though the browser calls it a fetch.
pub const IN_PLACE_HEADER: &str = "portal-navigation";

/// Whether a request is a browser loading a page: not an asset, a server function, a
/// prefetch or a HEAD probe.
pub fn is_document_request(method: &Method, headers: &HeaderMap) -> bool {
    if method != Method::GET || is_prefetch(headers) {
        return false;
    }
    if headers.contains_key(IN_PLACE_HEADER) {
        return true;
    }
    match headers.get("sec-fetch-dest").and_then(|v| v.to_str().ok()) {
        Some(dest) => dest == "document",
        // Browsers without Fetch Metadata: a page load asks for HTML.
        None => headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html")),
    }
}

/// A browser's visit cookie, read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VisitCookie {
    pub id: u64,
    /// Unix seconds of the browser's last request, as of the last time the cookie was set.
    pub last_seen: u64,
}

pub fn read_visit_cookie(headers: &HeaderMap) -> Option<VisitCookie> {
    let (id, last_seen) = cookie(headers, VISIT_COOKIE)?.split_once('.')?;
    if id.len() != 16 {
        return None;
    }
    Some(VisitCookie {
        id: u64::from_str_radix(id, 16).ok()?,
        last_seen: last_seen.parse().ok()?,
    })
}

/// The `Set-Cookie` value for a browser seen at `now`. No expiry: it ends with the browser
/// session. `Secure` by the session cookie's rule ([`crate::server::accounts::auth::secure`]).
pub fn visit_cookie(id: u64, now: u64, secure: bool) -> String {
    crate::server::cookies::set(VISIT_COOKIE, &format!("{id:016x}.{now}"), secure)
}

/// What the visit middleware does with a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tracked {
    pub visitor: u64,
    /// The request starts a visit: a new browser, or one back after `visit_idle`.
    pub new_visit: bool,
    /// The response sets the cookie again, with the new time of the last request.
    pub set_cookie: bool,
}

/// Tells a browser's page loads and server-function calls (its activity) from everything else.
/// Assets, prefetches and crawlers are not tracked, and only a page load makes a new browser
/// known. The cookie is set again when the one sent is `visit_idle / 30` old or older, so the
/// end of a visit is measured to within 1/30 of `visit_idle` (one minute of 30).
pub fn track(
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    now: u64,
    visit_idle: u64,
) -> Option<Tracked> {
    // Monitoring asks for its health every minute or so; that is nobody's visit.
    if path == "/healthz" {
        return None;
    }
    let page = is_document_request(method, headers);
    let server_fn_call = path.starts_with("/api/") && !is_prefetch(headers);
    if !page && !server_fn_call {
        return None;
    }
    match read_visit_cookie(headers) {
        Some(cookie) => {
            let idle = now.saturating_sub(cookie.last_seen);
            let new_visit = idle >= visit_idle;
            Some(Tracked {
                visitor: cookie.id,
                new_visit,
                set_cookie: new_visit || idle >= visit_idle / 30,
            })
        }
        None if page && !is_crawler(headers) => Some(Tracked {
            visitor: uuid::Uuid::new_v4().as_u64_pair().0,
            new_visit: true,
            set_cookie: true,
        }),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const CHROME_ANDROID: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

    /// Request headers of a phone browser, plus `pairs`.
    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("user-agent", HeaderValue::from_static(CHROME_ANDROID));
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
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
        // Another site's page loading ours: an image, a frame, a script's fetch.
        for dest in ["image", "iframe", "script"] {
            assert!(!counts_as_view(
                &Method::GET,
                &headers(&[("sec-fetch-dest", dest), ("sec-fetch-site", "cross-site")])
            ));
        }
        assert!(!counts_as_view(
            &Method::GET,
            &headers(&[
                ("sec-fetch-dest", "empty"),
                ("sec-fetch-site", "cross-site")
            ])
        ));
        // A link followed from another site, and our own pages' calls, count.
        assert!(counts_as_view(
            &Method::GET,
            &headers(&[
                ("sec-fetch-dest", "document"),
                ("sec-fetch-site", "cross-site")
            ])
        ));
        assert!(counts_as_view(
            &Method::POST,
            &headers(&[
                ("sec-fetch-dest", "empty"),
                ("sec-fetch-site", "same-origin")
            ])
        ));
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

    fn agent(ua: &'static str) -> HeaderMap {
        headers(&[("user-agent", ua)])
    }

    #[test]
    fn crawlers_and_tools_are_not_readers() {
        for ua in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
            "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
            "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
            "TelegramBot (like TwitterBot)",
            "curl/8.5.0",
            "python-requests/2.31.0",
            "Go-http-client/1.1",
            "",
        ] {
            assert!(is_crawler(&agent(ua)), "{ua:?} is a crawler or tool");
            assert!(!counts_as_view(&Method::GET, &agent(ua)), "{ua:?}");
        }
        assert!(is_crawler(&HeaderMap::new()), "no User-Agent at all");
    }

    #[test]
    fn phone_and_in_app_browsers_are_readers() {
        for ua in [
            CHROME_ANDROID,
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/124.0.168 Chrome/118.0.5993.168 Safari/537.36",
            "Mozilla/5.0 (Linux; Android 12; SM-A125F Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 Zalo android/12110213 ZaloTheme/light ZaloLanguage/vi",
            "Mozilla/5.0 (Linux; Android 13; SM-A135F Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/447.0.0.33.116;]",
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        ] {
            assert!(!is_crawler(&agent(ua)), "{ua:?} is a reader");
            assert!(counts_as_view(&Method::GET, &agent(ua)), "{ua:?}");
        }
    }

    #[test]
    fn only_document_loads_start_visits() {
        let doc = |pairs: &[(&'static str, &'static str)]| {
            track(&Method::GET, "/", &headers(pairs), 1000, 1800).is_some_and(|t| t.new_visit)
        };
        assert!(doc(&[("sec-fetch-dest", "document")]));
        assert!(!doc(&[("sec-fetch-dest", "script")]));
        assert!(!doc(&[("sec-fetch-dest", "empty")]));
        // A reading page fetching the next one, to show it in place.
        assert!(doc(&[
            ("sec-fetch-dest", "empty"),
            ("portal-navigation", "in-place")
        ]));
        assert!(doc(&[("accept", "text/html,*/*")]));
        assert!(!doc(&[("accept", "*/*")]));
        assert!(!doc(&[
            ("accept", "text/html"),
            ("sec-purpose", "prefetch")
        ]));
        assert!(!doc(&[
            ("accept", "text/html"),
            ("user-agent", "Mozilla/5.0 (compatible; Googlebot/2.1)")
        ]));
        assert!(track(
            &Method::POST,
            "/",
            &headers(&[("accept", "text/html")]),
            1000,
            1800
        )
        .is_none());
        // A server function call without the cookie neither starts a visit nor sets the cookie.
        assert!(track(&Method::POST, "/api/open_post", &headers(&[]), 1000, 1800).is_none());
    }

    #[test]
    fn a_visit_ends_after_the_idle_time() {
        let known = |last_seen: u64, now: u64, path: &str| {
            let cookie = format!("a=1; portal_visit={:016x}.{last_seen}", 0xabcu64);
            let mut h = headers(&[("accept", "text/html")]);
            h.insert("cookie", HeaderValue::from_str(&cookie).unwrap());
            track(&Method::GET, path, &h, now, 1800)
        };
        let same = known(1000, 1030, "/").unwrap();
        assert_eq!(
            same,
            Tracked {
                visitor: 0xabc,
                new_visit: false,
                set_cookie: false
            }
        );
        let refreshed = known(1000, 1060, "/").unwrap();
        assert!(!refreshed.new_visit && refreshed.set_cookie);
        assert!(!known(1000, 2799, "/").unwrap().new_visit);
        let back = known(1000, 2800, "/api/posts").unwrap();
        assert!(back.new_visit && back.set_cookie && back.visitor == 0xabc);
        // Clocks that disagree never count a visit twice.
        assert!(!known(5000, 1000, "/").unwrap().new_visit);
        // Assets are not activity, even from a known browser.
        let mut asset = headers(&[("sec-fetch-dest", "style")]);
        asset.insert(
            "cookie",
            HeaderValue::from_static("portal_visit=0000000000000abc.1000"),
        );
        assert_eq!(
            track(&Method::GET, "/pkg/portal.css", &asset, 9000, 1800),
            None
        );
    }

    #[test]
    fn the_visit_cookie_is_read_among_others_and_holds_only_an_id_and_a_time() {
        let cookie = visit_cookie(0x0123_4567_89ab_cdef, 1_700_000_000, false);
        assert!(!cookie.contains("Secure"));
        assert!(visit_cookie(1, 1_700_000_000, true).contains("; Secure"));
        assert!(
            cookie.starts_with("portal_visit=0123456789abcdef.1700000000;"),
            "{cookie}"
        );
        assert!(
            cookie.contains("HttpOnly") && !cookie.contains("Max-Age"),
            "{cookie}"
        );
        let read = |value: &'static str| read_visit_cookie(&headers(&[("cookie", value)]));
        assert_eq!(
            read("a=1; portal_visit=0123456789abcdef.1700000000; b=2"),
            Some(VisitCookie {
                id: 0x0123_4567_89ab_cdef,
                last_seen: 1_700_000_000
            })
        );
        for bad in [
            "portal_visit_old=0123456789abcdef.1",
            "portal_visit=abc",
            "portal_visit=0123456789abcdefab.1",
            "portal_visit=0123456789abcdeg.1",
            "portal_visit=0123456789abcdef.",
            "",
        ] {
            assert_eq!(read(bad), None, "{bad:?}");
        }
    }
}
