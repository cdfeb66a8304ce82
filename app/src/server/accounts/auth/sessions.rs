//! Server-side sessions and the browsers officials signed in from: random tokens, of which the
//! database keeps only the SHA-256.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

use super::cookies::{AuthConfig, KNOWN_BROWSER_COOKIE};
use crate::error::AppError;
use crate::model::{Official, Role};
use crate::server::internal;
use crate::server::time::{hex, Clock};

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

/// How long a known browser is remembered after its last sign-in (the most browsers keep a
/// cookie).
const KNOWN_BROWSER_DAYS: i64 = 400;
/// The most browsers remembered per account; the least recently used go first.
const KNOWN_BROWSERS_PER_ACCOUNT: i64 = 20;

/// Whether `token` marks a browser that signed in to the account `username` before (within
/// [`KNOWN_BROWSER_DAYS`]).
pub async fn is_known_browser(
    pool: &SqlitePool,
    clock: &Clock,
    username: &str,
    token: &str,
) -> Result<bool, AppError> {
    let since = clock.now() as i64 - KNOWN_BROWSER_DAYS * 86_400;
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
    clock: &Clock,
    user: i64,
    held: Option<&str>,
    secure: bool,
) -> Result<String, AppError> {
    let now = clock.now() as i64;
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
pub async fn start_session(
    pool: &SqlitePool,
    clock: &Clock,
    user: i64,
    ip: &str,
) -> Result<String, AppError> {
    let token = random_hex(32);
    let now = clock.now() as i64;
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
    clock: &Clock,
    config: &AuthConfig,
    token: &str,
) -> Result<Option<Official>, AppError> {
    let now = clock.now() as i64;
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
