//! Officials' sign-in: names and passwords parsed, argon2id hashing off the async workers,
//! server-side sessions, the throttle on failed attempts, and the checks every server function
//! that changes data makes on its caller.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use http::HeaderMap;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use unicode_normalization::UnicodeNormalization;

use crate::error::AppError;
use crate::model::{Official, Role};
use crate::server::internal;
use crate::server::time::unix_now;

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

/// The client's address, put in the request's extensions by the server's middleware.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub String);

impl ClientIp {
    /// What limits count this client by: see [`address_key`].
    pub fn limit_key(&self) -> String {
        address_key(&self.0)
    }
}

/// The key that per-address limits count a client by. An IPv4 address is itself; an IPv6
/// address stands for its /64, since one home or phone connection is handed a whole /64 and
/// can change the last 64 bits at will. An IPv4 address written in IPv6 (`::ffff:1.2.3.4`) is
/// the IPv4 address. Anything unreadable is kept as it is.
pub fn address_key(ip: &str) -> String {
    match ip.trim().parse() {
        Ok(ip) => ip_key(ip),
        Err(_) => ip.to_string(),
    }
}

/// [`address_key`] of an address already parsed.
pub fn ip_key(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The session token of a signed-in request, beside its [`Official`] in the extensions.
#[derive(Clone, Debug)]
pub struct SessionToken(pub String);

/// A login name: 3 to 32 of a-z, 0-9, `.`, `_`, `-`; compared without case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Username, AppError> {
        let name = raw.trim().to_lowercase();
        let valid = (3..=32).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if valid {
            Ok(Username(name))
        } else {
            Err(AppError::BadRequest(
                "Tên đăng nhập phải dài 3–32 ký tự, chỉ gồm chữ cái không dấu, chữ số và các dấu . _ -"
                    .into(),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's name as shown to other officials: NFC, 1 to 100 characters, control and
/// invisible characters (bidirectional overrides, zero-width spaces) dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, AppError> {
        let name = crate::server::text::one_line(raw);
        let length = name.chars().count();
        if (1..=100).contains(&length) {
            Ok(DisplayName(name))
        } else {
            Err(AppError::BadRequest(
                "Họ và tên phải có từ 1 đến 100 ký tự.".into(),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_CHARS: usize = 128;

/// A password chosen for an account: at least 10 characters.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<NewPassword, AppError> {
        let length = raw.chars().count();
        if length < MIN_PASSWORD_CHARS {
            return Err(AppError::BadRequest(format!(
                "Mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự."
            )));
        }
        if length > MAX_PASSWORD_CHARS {
            return Err(AppError::BadRequest(format!(
                "Mật khẩu không được dài quá {MAX_PASSWORD_CHARS} ký tự."
            )));
        }
        Ok(NewPassword(raw.nfc().collect()))
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

/// argon2id with OWASP's first recommended setting: 19 MiB of memory, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The password checks (and hashings) that may run at once, and how long a request waits for
/// one. Each holds 19 MiB and tens of milliseconds of a core: unlimited, a burst of wrong
/// sign-ins, which needs no account, took the server to gigabytes. So at most a few run (one
/// per core, 2 to 4), a few dozen wait their turn for a short while, and the rest are told at
/// once that the server is busy (503). The sign-in throttle is applied before a check queues.
#[derive(Clone)]
pub struct PasswordChecks {
    permits: Arc<tokio::sync::Semaphore>,
    waiting: Arc<std::sync::atomic::AtomicUsize>,
    max_waiting: usize,
    max_wait: Duration,
}

impl Default for PasswordChecks {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        PasswordChecks::new(cores.clamp(2, 4), 32, Duration::from_secs(5))
    }
}

impl PasswordChecks {
    pub fn new(at_once: usize, max_waiting: usize, max_wait: Duration) -> PasswordChecks {
        PasswordChecks {
            permits: Arc::new(tokio::sync::Semaphore::new(at_once.max(1))),
            waiting: Default::default(),
            max_waiting,
            max_wait,
        }
    }

    /// Runs `work` on a blocking thread once a turn is free; Busy if none comes soon.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        use std::sync::atomic::Ordering;
        // Counted before waiting, so a burst sees itself and the excess is refused at once.
        let waiting = self.waiting.fetch_add(1, Ordering::SeqCst);
        let turn = if waiting >= self.max_waiting {
            None
        } else {
            tokio::time::timeout(self.max_wait, self.permits.clone().acquire_owned())
                .await
                .ok()
                .and_then(Result::ok)
        };
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let Some(turn) = turn else {
            tracing::warn!(
                waiting,
                "password checks saturated; a request was told to retry"
            );
            return Err(AppError::Busy);
        };
        tokio::task::spawn_blocking(move || {
            let done = work();
            drop(turn);
            done
        })
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "password task failed");
            AppError::Internal
        })
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: NewPassword) -> Result<String, AppError> {
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()
                .hash_password(password.0.as_bytes(), &salt)
                .map(|hash| hash.to_string())
        })
        .await?
        .map_err(|err| {
            tracing::error!(error = %err, "hashing a password");
            AppError::Internal
        })
    }

    /// Checks `password` against `hash`. Without a hash (no such account) it checks against a
    /// fixed one, so both answers take the same time.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, AppError> {
        self.run(move || {
            let hash = hash.unwrap_or_else(|| dummy_hash().to_string());
            let Ok(parsed) = PasswordHash::new(&hash) else {
                tracing::error!("a stored password hash cannot be read");
                return false;
            };
            let password: String = password.nfc().collect();
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .await
    }
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(b"not a password of anyone", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `N` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// What the database stores of a session token: its SHA-256, in hex.
pub fn session_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
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
/// How long a known browser is remembered after its last sign-in (the most browsers keep a
/// cookie).
const KNOWN_BROWSER_DAYS: i64 = 400;
/// The most browsers remembered per account; the least recently used go first.
const KNOWN_BROWSERS_PER_ACCOUNT: i64 = 20;

/// The known-browser token the request carries, if any.
pub fn read_known_browser_cookie(headers: &HeaderMap) -> Option<&str> {
    crate::server::cookies::cookie(headers, KNOWN_BROWSER_COOKIE)
        .filter(|token| token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether `token` marks a browser that signed in to the account `username` before (within
/// [`KNOWN_BROWSER_DAYS`]).
pub async fn is_known_browser(
    pool: &SqlitePool,
    username: &str,
    token: &str,
) -> Result<bool, AppError> {
    let since = unix_now() as i64 - KNOWN_BROWSER_DAYS * 86_400;
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM known_browsers k JOIN users u ON u.id = k.user_id
         WHERE k.token_hash = ? AND u.username = ? AND k.last_used_at > ?",
    )
    .bind(session_hash(token))
    .bind(username.trim().to_lowercase())
    .bind(since)
    .fetch_optional(pool)
    .await
    .map_err(internal("reading a known browser"))?;
    Ok(found.is_some())
}

/// Remembers the browser `user` just signed in from: the token it already holds for this
/// account is renewed; else a new one is made. Returns the `Set-Cookie` value.
pub async fn remember_browser(
    pool: &SqlitePool,
    user: i64,
    held: Option<&str>,
    secure: bool,
) -> Result<String, AppError> {
    let now = unix_now() as i64;
    let renewed =
        match held {
            Some(token) => sqlx::query(
                "UPDATE known_browsers SET last_used_at = ? WHERE token_hash = ? AND user_id = ?",
            )
            .bind(now)
            .bind(session_hash(token))
            .bind(user)
            .execute(pool)
            .await
            .map_err(internal("renewing a known browser"))?
            .rows_affected()
                > 0,
            None => false,
        };
    let token = match (renewed, held) {
        (true, Some(token)) => token.to_string(),
        _ => {
            let token = random_hex(32);
            sqlx::query(
                "INSERT INTO known_browsers (token_hash, user_id, created_at, last_used_at)
                 VALUES (?, ?, ?, ?)",
            )
            .bind(session_hash(&token))
            .bind(user)
            .bind(now)
            .bind(now)
            .execute(pool)
            .await
            .map_err(internal("remembering a browser"))?;
            sqlx::query(
                "DELETE FROM known_browsers WHERE user_id = ?1 AND token_hash NOT IN (
                     SELECT token_hash FROM known_browsers WHERE user_id = ?1
                     ORDER BY last_used_at DESC LIMIT ?2)",
            )
            .bind(user)
            .bind(KNOWN_BROWSERS_PER_ACCOUNT)
            .execute(pool)
            .await
            .map_err(internal("forgetting old browsers"))?;
            token
        }
    };
    Ok(crate::server::cookies::set_lasting(
        KNOWN_BROWSER_COOKIE,
        &token,
        secure,
        KNOWN_BROWSER_DAYS,
    ))
}

/// Starts a session for `user`; returns the token for the cookie.
pub async fn start_session(pool: &SqlitePool, user: i64, ip: &str) -> Result<String, AppError> {
    let token = random_hex(32);
    let now = unix_now() as i64;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(session_hash(&token))
    .bind(user)
    .bind(now)
    .bind(now)
    .bind(ip)
    .execute(pool)
    .await
    .map_err(internal("starting a session"))?;
    Ok(token)
}

/// The official a session token belongs to, if the session is live and the account enabled.
/// An expired session is deleted; a live one has its last request time updated (at most once a
/// minute).
pub async fn session_official(
    pool: &SqlitePool,
    config: &AuthConfig,
    token: &str,
) -> Result<Option<Official>, AppError> {
    let now = unix_now() as i64;
    let hash = session_hash(token);
    let row: Option<(i64, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, u.role, s.created_at, s.last_seen_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND u.disabled = 0",
    )
    .bind(&hash)
    .fetch_optional(pool)
    .await
    .map_err(internal("reading a session"))?;
    let Some((id, username, display_name, role, created_at, last_seen_at)) = row else {
        return Ok(None);
    };
    let expired = now - last_seen_at >= config.idle_timeout.as_secs() as i64
        || now - created_at >= config.lifetime.as_secs() as i64;
    let role = Role::parse(&role);
    if expired || role.is_none() {
        end_session(pool, token).await?;
        return Ok(None);
    }
    if now - last_seen_at >= 60 {
        sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
            .bind(now)
            .bind(&hash)
            .execute(pool)
            .await
            .map_err(internal("touching a session"))?;
    }
    Ok(role.map(|role| Official {
        id,
        username,
        display_name,
        role,
        waiting: None,
        questions: None,
    }))
}

pub async fn end_session(pool: &SqlitePool, token: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(session_hash(token))
        .execute(pool)
        .await
        .map_err(internal("ending a session"))?;
    Ok(())
}

/// Failed sign-ins, per account name typed and per client address. A few are free; then each
/// attempt waits longer; then attempts are refused for a while. The same for names that have no
/// account, so the answers say nothing about which accounts exist.
#[derive(Clone, Default)]
pub struct Throttle {
    failures: Arc<Mutex<HashMap<String, Failures>>>,
}

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    last: u64,
}

/// Failures are forgotten this long after the last one; refusals last as long.
const THROTTLE_WINDOW_SECS: u64 = 15 * 60;
/// The longest wait before an attempt is checked.
const MAX_DELAY_SECS: u64 = 3;
/// Most keys remembered; beyond it the stale ones go, then the oldest.
const THROTTLE_CAPACITY: usize = 10_000;

struct Limits {
    /// Failures before attempts wait (1 s more for each, up to [`MAX_DELAY_SECS`]).
    free: u32,
    /// Failures after which attempts are refused until the window passes; None: never.
    refuse_at: Option<u32>,
}

/// An account name is public knowledge (`admin`), so failures against it only slow it down:
/// refusing it would let anyone lock its owner out.
const PER_ACCOUNT: Limits = Limits {
    free: 3,
    refuse_at: None,
};
/// One address guessing one account's password is refused after ten failures.
const PER_ACCOUNT_AND_ADDRESS: Limits = Limits {
    free: 3,
    refuse_at: Some(10),
};
/// An address may be a whole commune office behind one NAT: more room.
const PER_ADDRESS: Limits = Limits {
    free: 10,
    refuse_at: Some(50),
};

/// Where a sign-in attempt comes from, for the throttle.
#[derive(Clone, Copy, Debug)]
pub enum AttemptFrom<'a> {
    /// A client address (IPv6 counted by its /64: [`address_key`]).
    Address(&'a str),
    /// A browser that signed in to this account before: its known-browser cookie's token.
    /// Its attempts count against it alone, not against the address it shares with others.
    KnownBrowser(&'a str),
}

impl Throttle {
    fn keys(username: &str, from: AttemptFrom) -> Vec<(String, Limits)> {
        let name = username.trim().to_lowercase();
        let mut keys = vec![(format!("u:{name}"), PER_ACCOUNT)];
        match from {
            AttemptFrom::Address(ip) => {
                let ip = address_key(ip);
                keys.push((format!("ui:{name}\u{0}{ip}"), PER_ACCOUNT_AND_ADDRESS));
                keys.push((format!("ip:{ip}"), PER_ADDRESS));
            }
            AttemptFrom::KnownBrowser(token) => {
                keys.push((
                    format!("kb:{}", session_hash(token)),
                    PER_ACCOUNT_AND_ADDRESS,
                ));
            }
        }
        keys
    }

    /// Registers a sign-in attempt, counted as failed until [`Throttle::succeeded`] says
    /// otherwise (so guesses sent all at once are counted before any of them is checked).
    /// Returns how long it must wait first, or the refusal.
    pub fn attempt(&self, username: &str, from: AttemptFrom) -> Result<Duration, AppError> {
        let now = unix_now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut delay = Duration::ZERO;
        for (key, limits) in Self::keys(username, from) {
            let Some(f) = failures.get(&key) else {
                continue;
            };
            let age = now.saturating_sub(f.last);
            if age >= THROTTLE_WINDOW_SECS {
                continue;
            }
            if limits
                .refuse_at
                .is_some_and(|refuse_at| f.count >= refuse_at)
            {
                let minutes = (THROTTLE_WINDOW_SECS - age).div_ceil(60);
                return Err(AppError::TooManyAttempts(format!(
                    "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút."
                )));
            }
            if f.count >= limits.free {
                let seconds = u64::from(f.count - limits.free + 1).min(MAX_DELAY_SECS);
                delay = delay.max(Duration::from_secs(seconds));
            }
        }
        if failures.len() >= THROTTLE_CAPACITY {
            failures.retain(|_, f| now.saturating_sub(f.last) < THROTTLE_WINDOW_SECS);
            while failures.len() >= THROTTLE_CAPACITY {
                let oldest = failures
                    .iter()
                    .min_by_key(|(_, f)| f.last)
                    .map(|(k, _)| k.clone());
                match oldest {
                    Some(key) => failures.remove(&key),
                    None => break,
                };
            }
        }
        for (key, _) in Self::keys(username, from) {
            let entry = failures.entry(key).or_insert(Failures {
                count: 0,
                last: now,
            });
            if now.saturating_sub(entry.last) >= THROTTLE_WINDOW_SECS {
                entry.count = 0;
            }
            entry.count += 1;
            entry.last = now;
        }
        Ok(delay)
    }

    /// The attempt was never checked (the server was busy): it counts for nothing, so a flood
    /// of others' guesses cannot turn an owner's busy answers into a lockout.
    pub fn not_checked(&self, username: &str, from: AttemptFrom) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in Self::keys(username, from) {
            if let Some(f) = failures.get_mut(&key) {
                f.count = f.count.saturating_sub(1);
            }
        }
    }

    /// The attempt was right: the account's failures are forgotten, and the address's count
    /// loses this attempt.
    pub fn succeeded(&self, username: &str, from: AttemptFrom) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in Self::keys(username, from) {
            if key.starts_with("ip:") {
                if let Some(f) = failures.get_mut(&key) {
                    f.count = f.count.saturating_sub(1);
                }
            } else {
                failures.remove(&key);
            }
        }
    }
}
/// The signed-in official of the request being served, if any.
pub fn current_official() -> Option<Official> {
    leptos::prelude::use_context::<http::request::Parts>()?
        .extensions
        .get::<Official>()
        .cloned()
}

/// The check each server function that changes data makes first: a signed-in official whose
/// role is `role` or above. 401 without a session, 403 with too small a role.
pub fn require(role: Role) -> Result<Official, AppError> {
    allowed(current_official(), role)
}

/// The same check for a route outside server functions (uploads), given who is asking.
pub fn allowed(official: Option<Official>, role: Role) -> Result<Official, AppError> {
    match official {
        None => Err(AppError::Unauthorized),
        Some(official) if official.can(role) => Ok(official),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// The client's address of the request being served, for the audit log and the throttle.
pub fn client_ip() -> String {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientIp>().map(|ip| ip.0.clone()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        assert_eq!(address_key("1.2.3.4"), "1.2.3.4");
        assert_eq!(address_key("::ffff:1.2.3.4"), "1.2.3.4");
        assert_eq!(
            address_key("2001:db8:aa:bb:1:2:3:4"),
            address_key("2001:db8:aa:bb:ffff:ffff:ffff:ffff")
        );
        assert_eq!(address_key("2001:db8:aa:bb::9"), "2001:db8:aa:bb::/64");
        assert_ne!(
            address_key("2001:db8:aa:bb::1"),
            address_key("2001:db8:aa:bc::1")
        );
    }

    #[test]
    fn usernames_are_plain_and_case_blind() {
        assert_eq!(
            Username::parse(" BienTap.01 ").unwrap().as_str(),
            "bientap.01"
        );
        for bad in ["ab", "nguyễn", "a b c", "x@y", &"a".repeat(33), ""] {
            assert!(Username::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_have_at_least_ten_characters() {
        assert!(NewPassword::parse("ngắn quá").is_err());
        assert!(NewPassword::parse("123456789").is_err());
        // Ten characters, not ten bytes.
        assert!(NewPassword::parse("mậtkhẩuđủ1").is_ok());
        assert!(NewPassword::parse(&"x".repeat(129)).is_err());
        assert_eq!(
            format!("{:?}", NewPassword::parse("bí mật lắm đấy").unwrap()),
            "NewPassword(..)"
        );
    }

    #[test]
    fn display_names_are_nfc() {
        let nfd = "Nguye\u{302}\u{303}n Va\u{306}n A";
        assert_eq!(DisplayName::parse(nfd).unwrap().as_str(), "Nguyễn Văn A");
        assert!(DisplayName::parse("  ").is_err());
        assert!(DisplayName::parse("\u{202E}\u{7}").is_err());
        assert_eq!(
            DisplayName::parse("Tr\u{202E}ần\u{200B} Văn\nB")
                .unwrap()
                .as_str(),
            "Trần Văn B"
        );
    }

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify_only_the_right_password() {
        let checks = PasswordChecks::default();
        let hash = checks
            .hash(NewPassword::parse("mật khẩu đúng rồi").unwrap())
            .await
            .unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(checks
            .verify("mật khẩu đúng rồi".into(), Some(hash.clone()))
            .await
            .unwrap());
        // Typed in NFD, it is the same password.
        let nfd: String = "mật khẩu đúng rồi".nfd().collect();
        assert!(checks.verify(nfd, Some(hash.clone())).await.unwrap());
        assert!(!checks
            .verify("mật khẩu sai rồi".into(), Some(hash))
            .await
            .unwrap());
        assert!(!checks.verify("bất kỳ".into(), None).await.unwrap());
    }

    #[tokio::test]
    async fn a_burst_of_checks_runs_a_few_at_once_and_the_excess_is_told_to_retry() {
        let checks = PasswordChecks::new(2, 4, Duration::from_secs(5));
        let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let (checks, running, most) = (checks.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    checks
                        .run(move || {
                            use std::sync::atomic::Ordering::SeqCst;
                            let now = running.fetch_add(1, SeqCst) + 1;
                            most.fetch_max(now, SeqCst);
                            std::thread::sleep(Duration::from_millis(50));
                            running.fetch_sub(1, SeqCst);
                        })
                        .await
                })
            })
            .collect();
        let mut done = 0;
        let mut busy = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(()) => done += 1,
                Err(AppError::Busy) => busy += 1,
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 2);
        // Four wait their turn (and get it within 5 s); the others are refused at once.
        assert!(done >= 4 && busy >= 1 && done + busy == 10, "{done} {busy}");
        assert_eq!(AppError::Busy.status(), 503);
    }

    #[test]
    fn failed_sign_ins_slow_down_then_refuse() {
        let throttle = Throttle::default();
        for _ in 0..PER_ACCOUNT.free {
            assert_eq!(
                throttle
                    .attempt("admin", AttemptFrom::Address("1.2.3.4"))
                    .unwrap(),
                Duration::ZERO
            );
        }
        // The account is slowed for everyone, whatever the address.
        assert_eq!(
            throttle
                .attempt("ADMIN", AttemptFrom::Address("5.6.7.8"))
                .unwrap(),
            Duration::from_secs(1)
        );
        for _ in PER_ACCOUNT.free..10 {
            throttle
                .attempt("admin", AttemptFrom::Address("1.2.3.4"))
                .unwrap();
        }
        // The guessing address is refused for this account...
        let refused = throttle
            .attempt("admin", AttemptFrom::Address("1.2.3.4"))
            .unwrap_err();
        assert!(matches!(refused, AppError::TooManyAttempts(ref m) if m.contains("15 phút")));
        // ...but the owner, elsewhere, still signs in: slowed by at most MAX_DELAY_SECS.
        assert_eq!(
            throttle
                .attempt("admin", AttemptFrom::Address("9.9.9.9"))
                .unwrap(),
            Duration::from_secs(MAX_DELAY_SECS)
        );
        throttle.succeeded("admin", AttemptFrom::Address("9.9.9.9"));
        assert_eq!(
            throttle
                .attempt("admin", AttemptFrom::Address("9.9.9.9"))
                .unwrap(),
            Duration::ZERO
        );
        // Another account from the guessing address is not refused: the address has more room.
        assert!(throttle
            .attempt("bientap", AttemptFrom::Address("1.2.3.4"))
            .is_ok());
    }

    #[test]
    fn an_address_guessing_many_accounts_is_refused() {
        let throttle = Throttle::default();
        for i in 0..50 {
            assert!(throttle
                .attempt(&format!("user{i}"), AttemptFrom::Address("1.2.3.4"))
                .is_ok());
        }
        assert!(throttle
            .attempt("user50", AttemptFrom::Address("1.2.3.4"))
            .is_err());
        assert!(throttle
            .attempt("user50", AttemptFrom::Address("5.6.7.8"))
            .is_ok());
        // An IPv6 client is its /64: changing the last 64 bits is no way around the limit.
        for i in 0..50 {
            let ip = format!("2001:db8:1:2::{i:x}");
            assert!(throttle
                .attempt(&format!("v6user{i}"), AttemptFrom::Address(&ip))
                .is_ok());
        }
        assert!(throttle
            .attempt("v6user50", AttemptFrom::Address("2001:db8:1:2:abcd::1"))
            .is_err());
        // A browser that signed in to the account before is not refused for its address's
        // guesses: the guesser pays, not the account's owner.
        let known = random_hex(32);
        assert!(throttle
            .attempt("user49", AttemptFrom::KnownBrowser(&known))
            .is_ok());
        for _ in 0..10 {
            throttle
                .attempt("user49", AttemptFrom::KnownBrowser(&known))
                .ok();
        }
        // ...though that browser guessing wrong is refused in its turn.
        assert!(throttle
            .attempt("user49", AttemptFrom::KnownBrowser(&known))
            .is_err());
    }

    #[test]
    fn attempts_the_server_was_too_busy_to_check_count_for_nothing() {
        let throttle = Throttle::default();
        for _ in 0..100 {
            throttle
                .attempt("admin", AttemptFrom::Address("10.9.9.9"))
                .unwrap();
            throttle.not_checked("admin", AttemptFrom::Address("10.9.9.9"));
        }
        assert_eq!(
            throttle
                .attempt("admin", AttemptFrom::Address("10.9.9.9"))
                .unwrap(),
            Duration::ZERO
        );
    }

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
