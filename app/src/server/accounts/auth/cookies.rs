//! The cookies of officials' browsers: the session cookie, the known-browser cookie, and when
//! they are `Secure`.

use std::time::Duration;

use http::HeaderMap;

/// Name of the cookie that holds a signed-in browser's session token.
pub const SESSION_COOKIE: &str = "portal_session";

/// When the session cookie gets the `Secure` attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecureCookies {
    /// When the request came over HTTPS: `X-Forwarded-Proto: https` from the reverse proxy.
    Auto,
    Always,
    Never,
}

#[derive(Clone, Debug)]
pub struct AuthConfig {
    pub secure_cookies: SecureCookies,
    /// A session ends after this long without a request.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, however active.
    pub lifetime: Duration,
    /// Header holding the client's address when behind a reverse proxy (`X-Forwarded-For`,
    /// `X-Real-IP`); without it, the peer address of the connection.
    pub client_ip_header: Option<String>,
    /// How many proxies of the portal's own stand in front of it, each adding the address it
    /// saw to the right of that header. The client's address is the one the farthest of them
    /// added: entries to its left were written by the client and prove nothing.
    pub trusted_proxies: usize,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            secure_cookies: SecureCookies::Auto,
            idle_timeout: Duration::from_secs(2 * 3600),
            lifetime: Duration::from_secs(12 * 3600),
            client_ip_header: None,
            trusted_proxies: 1,
        }
    }
}

/// The session token in the request's cookies, if any.
pub fn read_session_cookie(headers: &HeaderMap) -> Option<&str> {
    crate::server::cookies::cookie(headers, SESSION_COOKIE).filter(|token| token.len() == 64)
}

/// Whether cookies set in answer to a request with these headers get `Secure`.
pub fn secure(config: &AuthConfig, headers: &HeaderMap) -> bool {
    match config.secure_cookies {
        SecureCookies::Always => true,
        SecureCookies::Never => false,
        SecureCookies::Auto => headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https")),
    }
}

/// The `Set-Cookie` value of a new session. No expiry: it also ends when the browser closes.
pub fn session_cookie(token: &str, secure: bool) -> String {
    crate::server::cookies::set(SESSION_COOKIE, token, secure)
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> String {
    crate::server::cookies::clear(SESSION_COOKIE, secure)
}

/// The cookie that marks a browser an official signed in from: a random token, of which the
/// table `known_browsers` keeps the SHA-256. It proves nothing by itself (the password is still
/// checked); it only lets the owner in while their address is refused for someone else's
/// guesses.
pub const KNOWN_BROWSER_COOKIE: &str = "portal_browser";

/// The known-browser token the request carries, if any.
pub fn read_known_browser_cookie(headers: &HeaderMap) -> Option<&str> {
    crate::server::cookies::cookie(headers, KNOWN_BROWSER_COOKIE)
        .filter(|token| token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::accounts::auth::sessions::random_hex;

    #[test]
    fn session_cookies_are_http_only_and_secure_when_asked() {
        let token = random_hex(32);
        assert_eq!(token.len(), 64);
        let cookie = session_cookie(&token, false);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(!cookie.contains("Secure"));
        assert!(session_cookie(&token, true).contains("; Secure"));
        let mut headers = HeaderMap::new();
        headers.insert(
            "cookie",
            format!("portal_visit=1; {SESSION_COOKIE}={token}")
                .parse()
                .unwrap(),
        );
        assert_eq!(read_session_cookie(&headers), Some(token.as_str()));
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        assert!(secure(&AuthConfig::default(), &headers));
        assert!(!secure(&AuthConfig::default(), &HeaderMap::new()));
    }
}
