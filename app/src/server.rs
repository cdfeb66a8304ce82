//! Server-only code: all SQL, the counters, the rules of each domain. Compiled only with the
//! `ssr` feature, so nothing here reaches the wasm build. Grouped by domain into rooms over
//! small leaf helpers, so that the dependencies form a tree.

// Rooms, one per domain, each a file and a folder of the same name. A room uses leaves and
// rooms below it, never one that uses it back (`app/tests/rooms.rs` fails on any cycle):
//   operations (statistics, backups)   -> media, questions
//   questions (hỏi đáp, drafts' comments, outbox) -> content, finding, media, accounts
//   finding (search, feeds)            -> content, site
//   content (posts, categories, editing) -> documents, media, accounts, counting
//   documents (store, numbers, citations) -> media, accounts
//   site (settings, weather)           -> media, accounts, counting
//   media (attachments, clips)         -> accounts, counting
//   accounts (accounts, sessions, throttle, audit), counting (counters, visitors) -> leaves
pub mod accounts;
pub mod content;
pub mod counting;
pub mod documents;
pub mod finding;
pub mod media;
pub mod operations;
pub mod questions;
pub mod site;

// Leaves: small helpers that need nothing else of the server.
pub mod assets;
pub mod changes;
pub mod cookies;
pub mod csp;
pub mod html;
pub mod paging;
pub mod slug;
pub mod sql;
pub mod text;
pub mod time;

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::SqlitePool;

/// Everything a request handler or server function needs, provided as context by the router.
/// Cloned for every request (by each middleware and route), so it is one pointer: its fields
/// are read through it (`state.pool`).
#[derive(Clone)]
pub struct AppState(Arc<PortalState>);

impl AppState {
    pub fn new(portal: PortalState) -> AppState {
        AppState(Arc::new(portal))
    }
}

impl std::ops::Deref for AppState {
    type Target = PortalState;

    fn deref(&self) -> &PortalState {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos_options.clone()
    }
}

/// What [`AppState`] holds.
pub struct PortalState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    pub counters: counting::counters::Counters,
    pub auth: accounts::auth::AuthConfig,
    pub throttle: accounts::auth::Throttle,
    /// The password checks that may run at once.
    pub password_checks: accounts::auth::PasswordChecks,
    pub weather: site::weather::WeatherService,
    pub media: media::MediaConfig,
    pub thumbnail_failures: media::clips::ThumbnailFailures,
    /// Publishes scheduled posts at their time.
    pub schedule: content::schedule::Schedule,
    /// The site's public address (`https://duongquang.gov.vn`) for absolute links in feeds and
    /// the sitemap; None: taken from each request.
    pub public_url: Option<String>,
    /// Scheduled backups (where, how often, how many kept).
    pub backups: operations::backups::BackupConfig,
    /// Holds the database and the media; `/healthz` reports its free space.
    pub data_dir: std::path::PathBuf,
    /// The guard of the citizens' forms (questions, comments on drafts).
    pub forms: questions::intake::FormGuard,
    /// Whether e-mails to citizens are sent (`PORTAL_SMTP_URL` is set); else none is queued.
    pub mail_enabled: bool,
    /// Held while an answer's post is started: two officials clicking at once get one post.
    pub starting_answer: tokio::sync::Mutex<()>,
    /// Every "now" of the portal (tests move it instead of sleeping).
    pub clock: time::Clock,
}

/// The portal's state, which the router provides to every server function: the first line of
/// each. Missing only if the router was built wrong; that is logged, and the caller gets the
/// generic internal error.
pub fn state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("a server function ran without the portal's state");
        crate::error::AppError::Internal
    })
}

/// Logs a database failure once, here where it is handled, and hides it from the caller.
pub(crate) fn internal(
    context: &'static str,
) -> impl FnOnce(sqlx::Error) -> crate::error::AppError {
    move |err| {
        tracing::error!(error = %err, "{context}");
        crate::error::AppError::Internal
    }
}
