//! Cookies of the portal, read from a request and written for a response, through the `cookie`
//! crate: the session and the visit live only as long as the browser session (the known-browser
//! cookie of officials lasts), for the whole site, never reach scripts and stay on same-site requests. A leaf.

use cookie::{Cookie, SameSite};
use http::HeaderMap;

/// The value of the cookie `name` among the request's cookies. Malformed pairs are skipped.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name_raw() == Some(name))
        .and_then(|c| c.value_raw())
}

/// The `Set-Cookie` value of a portal cookie: `Path=/`, HttpOnly, SameSite=Lax, no expiry (it
/// ends with the browser session), `Secure` when asked.
pub fn set(name: &str, value: &str, secure: bool) -> String {
    portal_cookie(name, value, secure).to_string()
}

/// The `Set-Cookie` value of a portal cookie that outlives the browser session: as [`set`],
/// kept `days` days.
pub fn set_lasting(name: &str, value: &str, secure: bool, days: i64) -> String {
    let mut cookie = portal_cookie(name, value, secure);
    cookie.set_max_age(cookie::time::Duration::days(days));
    cookie.to_string()
}

/// The `Set-Cookie` value that removes the cookie `name`.
pub fn clear(name: &str, secure: bool) -> String {
    let mut cookie = portal_cookie(name, "", secure);
    cookie.set_max_age(cookie::time::Duration::ZERO);
    cookie.to_string()
}

fn portal_cookie<'c>(name: &'c str, value: &'c str, secure: bool) -> Cookie<'c> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cookies: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for c in cookies {
            headers.append(http::header::COOKIE, c.parse().unwrap());
        }
        headers
    }

    #[test]
    fn cookies_are_found_by_exact_name_in_any_header() {
        let h = headers(&["a=1; portal_session=abc", "b=2;c=3"]);
        assert_eq!(cookie(&h, "portal_session"), Some("abc"));
        assert_eq!(cookie(&h, "c"), Some("3"));
        assert_eq!(cookie(&h, "portal"), None);
        assert_eq!(cookie(&headers(&["garbage; d=4"]), "d"), Some("4"));
    }

    #[test]
    fn set_cookies_carry_the_portal_attributes() {
        let set = set("portal_session", "abc", true);
        assert!(set.starts_with("portal_session=abc"), "{set}");
        for part in ["Path=/", "HttpOnly", "SameSite=Lax", "Secure"] {
            assert!(set.contains(part), "{part} missing in {set}");
        }
        assert!(
            !set.contains("Expires") && !set.contains("Max-Age"),
            "{set}"
        );
        let clear = clear("portal_session", false);
        assert!(
            clear.starts_with("portal_session=;") && clear.contains("Max-Age=0"),
            "{clear}"
        );
        assert!(!clear.contains("Secure"), "{clear}");
    }
}
