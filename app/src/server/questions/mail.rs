//! The outbox: e-mails to citizens are written here inside the transaction of the change they
//! tell of, and the server's mail task (`server/src/mail.rs`) sends them, so no request waits
//! on the mail server and a mail server that is down loses nothing (it is tried again).

use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::error::AppError;
use crate::server::internal;
use crate::server::time::Clock;

/// Attempts before a mail is given up (its error stays in the table).
pub const MAX_ATTEMPTS: i64 = 8;

pub async fn enqueue(
    tx: &mut Transaction<'_, Sqlite>,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO mail_outbox (to_addr, subject, body) VALUES (?, ?, ?)")
        .bind(to)
        .bind(subject)
        .bind(body)
        .execute(&mut **tx)
        .await
        .map_err(internal("queueing an e-mail"))?;
    Ok(())
}

/// A mail waiting to be sent.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Mail {
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub body: String,
}

pub async fn pending(pool: &SqlitePool, clock: &Clock, limit: i64) -> Result<Vec<Mail>, AppError> {
    sqlx::query_as(
        "SELECT id, to_addr, subject, body FROM mail_outbox
         WHERE sent_at IS NULL AND attempts < ? AND try_after <= ?
         ORDER BY id LIMIT ?",
    )
    .bind(MAX_ATTEMPTS)
    .bind(clock.stored())
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(internal("reading the outbox"))
}

pub async fn sent(pool: &SqlitePool, clock: &Clock, id: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE mail_outbox SET sent_at = ?, attempts = attempts + 1, last_error = ''
         WHERE id = ?",
    )
    .bind(clock.stored())
    .bind(id)
    .execute(pool)
    .await
    .map_err(internal("marking a mail sent"))?;
    Ok(())
}

/// A mail that could not be sent: tried again after 2, 4, 8, … minutes (at most 1024).
pub async fn failed(
    pool: &SqlitePool,
    clock: &Clock,
    id: i64,
    error: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?,
                try_after = strftime('%Y-%m-%d %H:%M:%S', ?,
                                     '+' || (1 << min(attempts, 10)) || ' minutes')
         WHERE id = ?",
    )
    .bind(error)
    .bind(clock.stored())
    .bind(id)
    .execute(pool)
    .await
    .map_err(internal("marking a mail failed"))?;
    Ok(())
}
