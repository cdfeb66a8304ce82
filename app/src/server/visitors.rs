//! Which requests count: views of posts and visits of the site.

use http::{HeaderMap, Method};

/// Name of the session cookie that marks a browser whose visit is already counted.
pub const VISIT_COOKIE: &str = "portal_visit";

/// Whether the request is a reader opening a page, not a prefetch, a HEAD probe or a crawler.
pub fn counts_as_view(method: &Method, headers: &HeaderMap) -> bool {
    (method == Method::GET || method == Method::POST)
        && !is_prefetch(headers)
        && !is_crawler(headers)
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

/// Whether a request is a browser loading a page (not an asset, a server function or a probe),
/// i.e. something that can start a visit.
pub fn is_page_load(method: &Method, headers: &HeaderMap) -> bool {
    if method != Method::GET || is_prefetch(headers) {
        return false;
    }
    let document = match headers.get("sec-fetch-dest").and_then(|v| v.to_str().ok()) {
        Some(dest) => dest == "document",
        None => headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html")),
    };
    // Last: the User-Agent scan is the costly check, and assets and API calls never need it.
    document && !is_crawler(headers)
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
