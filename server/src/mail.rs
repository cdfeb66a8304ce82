//! Sending the outbox (`app::server::questions::mail`): a task that wakes every few seconds,
//! sends what waits through the mail server of `PORTAL_SMTP_URL`, and records each success or
//! failure (a failure is tried again later, up to a limit). Requests only write to the outbox.

use std::time::Duration;

use app::server::questions::mail;
use app::server::AppState;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::StartError;

/// Time between two looks at the outbox.
const POLL: Duration = Duration::from_secs(3);

#[derive(Clone, Debug)]
pub struct MailConfig {
    pub url: String,
    pub from: Mailbox,
}

impl MailConfig {
    /// From `PORTAL_SMTP_URL` and `PORTAL_MAIL_FROM`; None when no mail server is set.
    pub fn from_env() -> Result<Option<MailConfig>, StartError> {
        let url = match std::env::var("PORTAL_SMTP_URL") {
            Ok(url) if !url.trim().is_empty() => url,
            _ => return Ok(None),
        };
        let from = std::env::var("PORTAL_MAIL_FROM")
            .ok()
            .filter(|f| !f.trim().is_empty())
            .unwrap_or_else(|| "Cổng thông tin điện tử <no-reply@localhost>".into());
        MailConfig::new(&url, &from).map(Some)
    }

    /// A mail server's URL and the sender's address, both checked.
    pub fn new(url: &str, from: &str) -> Result<MailConfig, StartError> {
        let url = url.trim().to_string();
        AsyncSmtpTransport::<Tokio1Executor>::from_url(&url).map_err(|e| {
            StartError::Config(format!("PORTAL_SMTP_URL is not a mail server URL: {e}"))
        })?;
        let from = from.parse::<Mailbox>().map_err(|e| {
            StartError::Config(format!("PORTAL_MAIL_FROM is not an e-mail address: {e}"))
        })?;
        Ok(MailConfig { url, from })
    }
}

/// Starts the sender; None when mail is not set up.
pub fn spawn(state: &AppState, config: Option<MailConfig>) -> Option<tokio::task::JoinHandle<()>> {
    let config = config?;
    let transport = match AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.url) {
        Ok(builder) => builder.timeout(Some(Duration::from_secs(30))).build(),
        Err(err) => {
            tracing::error!(%err, "the mail server's URL was refused");
            return None;
        }
    };
    let pool = state.pool.clone();
    let clock = state.clock.clone();
    Some(tokio::spawn(async move {
        loop {
            send_pending(&pool, &clock, &transport, &config.from).await;
            tokio::time::sleep(POLL).await;
        }
    }))
}

async fn send_pending(
    pool: &sqlx::SqlitePool,
    clock: &app::server::time::Clock,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
) {
    let Ok(waiting) = mail::pending(pool, clock, 20).await else {
        return;
    };
    for item in waiting {
        let message = item
            .to_addr
            .parse::<Mailbox>()
            .map_err(|e| e.to_string())
            .and_then(|to| {
                Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(item.subject.clone())
                    .header(ContentType::TEXT_PLAIN)
                    .body(item.body.clone())
                    .map_err(|e| e.to_string())
            });
        let result = match message {
            Ok(message) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(err) => Err(err),
        };
        let recorded = match result {
            Ok(()) => mail::sent(pool, clock, item.id).await,
            Err(err) => {
                tracing::warn!(mail = item.id, error = %err, "an e-mail could not be sent");
                mail::failed(pool, clock, item.id, &err).await
            }
        };
        if recorded.is_err() {
            return;
        }
    }
}
