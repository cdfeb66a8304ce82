//! The portal's HTTP server: configuration, database, router, middleware.
//! `main.rs` only reads the environment and calls [`run`].

pub mod attachments;
pub mod backup;
pub mod cache;
pub mod cli;
pub mod config;
pub mod connections;
pub mod db;
pub mod feeds;
pub mod mail;
pub mod media;
pub mod middleware;
pub mod operations;
pub mod precompress;
pub mod questions;
pub mod router;

use std::net::SocketAddr;

use std::time::Duration;

use app::server::accounts::auth::{PasswordChecks, Throttle};
use app::server::counting::counters::Counters;
use app::server::site::weather::WeatherService;
use app::server::AppState;
use tokio::net::TcpListener;

pub use config::Config;

/// A bound, migrated, ready-to-serve portal.
pub struct Portal {
    pub listener: TcpListener,
    pub router: axum::Router,
    pub state: AppState,
    pub cache: cache::PageCache,
    /// Where the outbox is sent; None: no e-mail.
    pub mail: Option<mail::MailConfig>,
    pub connections: connections::ConnectionLimits,
    /// Most connections open at once, under the open-file limit.
    pub max_connections: usize,
}

impl Portal {
    /// Opens (creating and migrating if needed) the database and binds the listen address.
    pub async fn build(config: Config) -> Result<Portal, StartError> {
        let max_connections = connections::raise_open_file_limit();
        let pool = db::connect(&config.database_url).await?;
        std::fs::create_dir_all(&config.media.dir).map_err(|e| {
            StartError::Config(format!("cannot create {}: {e}", config.media.dir.display()))
        })?;
        // The one clock every "now" of the portal is read from; tests move it.
        let clock = app::server::time::Clock::default();
        let counters = Counters::load(&pool, config.counting, clock.clone()).await?;
        cli::first_admin(&pool, &config.data_dir).await?;
        // References to documents in posts saved before they were kept.
        match app::server::documents::references::backfill(&pool).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(posts = n, "recognised references to documents"),
            Err(err) => tracing::warn!(%err, "recognising references to documents failed"),
        }
        // Links to attachments saved before they were addressed by token.
        match app::server::media::attachments::upgrade_links(&pool).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(posts = n, "moved links to attachments to their tokens"),
            Err(err) => tracing::warn!(%err, "moving links to attachments failed"),
        }
        let weather = WeatherService::new(config.weather);
        // The last good answer from before a restart, shown until the next call succeeds.
        if let Err(err) = weather.load(&pool).await {
            tracing::warn!(%err, "no stored weather");
        }
        let state = AppState::new(app::server::PortalState {
            leptos_options: config.leptos_options,
            pool,
            counters,
            auth: config.auth,
            throttle: Throttle::new(clock.clone()),
            password_checks: PasswordChecks::default(),
            weather,
            media: config.media,
            thumbnail_failures: Default::default(),
            schedule: app::server::content::schedule::Schedule::new(clock.clone()),
            public_url: config.public_url,
            backups: config.backups,
            data_dir: config.data_dir,
            forms: app::server::questions::intake::FormGuard::new(
                config.form_min_seconds,
                config.questions_per_hour,
            ),
            mail_enabled: config.mail.is_some(),
            starting_answer: Default::default(),
            clock,
        });
        let mail = config.mail;
        let connection_limits = config.connections;
        let assets = app::server::assets::Assets::get(&state.leptos_options);
        if assets.hashed {
            tracing::info!(wasm = %assets.wasm, "assets have hashed names");
        }
        let cache = cache::PageCache::new(config.page_cache_bytes);
        let router = router::build(state.clone(), cache.clone(), config.disk_min_free_bytes);
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.addr,
                source,
            })?;
        Ok(Portal {
            listener,
            router,
            state,
            cache,
            mail,
            connections: connection_limits,
            max_connections,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight, writes the
    /// counters a last time and closes the database.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let Portal {
            listener,
            router,
            state,
            mail,
            connections: limits,
            max_connections,
            ..
        } = self;
        let mailer = mail::spawn(&state, mail);
        let (stop_flusher, flusher) = spawn_flusher(&state);
        let weather = spawn_weather(&state);
        let schedule = tokio::spawn(state.schedule.clone().run(state.pool.clone()));
        let backups = operations::spawn_schedule(&state);
        let options = &state.leptos_options;
        precompress::spawn(
            std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref()),
        );
        tracing::info!(
            header_timeout_secs = limits.header_timeout.as_secs(),
            per_address = ?limits.per_address,
            max_connections,
            "connection limits"
        );
        let served = connections::serve(listener, router, limits, max_connections, shutdown).await;
        weather.abort();
        schedule.abort();
        if let Some(backups) = backups {
            backups.abort();
        }
        if let Some(mailer) = mailer {
            mailer.abort();
        }
        let _ = stop_flusher.send(());
        let _ = flusher.await;
        final_flush(&state).await;
        state.pool.close().await;
        served
    }
}

/// Writes the counters every `flush_interval` until told to stop. A failed write is logged and
/// its counts stay in memory for the next tick.
fn spawn_flusher(
    state: &AppState,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let counters = state.counters.clone();
    let pool = state.pool.clone();
    let task = tokio::spawn(async move {
        let every = counters.config().flush_interval;
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failures = 0u32;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = &mut stopped => return,
            }
            match counters.flush(&pool).await {
                Ok(_) if failures > 0 => {
                    tracing::info!(failures, "counters written again after failed attempts");
                    failures = 0;
                }
                Ok(_) => {}
                Err(err) => {
                    failures += 1;
                    let unwritten = counters.unwritten();
                    // The first failure, then every 60th (a minute at the default interval).
                    if failures == 1 || failures.is_multiple_of(60) {
                        tracing::warn!(
                            error = %err,
                            failures,
                            views = unwritten.views,
                            visits = unwritten.visits,
                            "cannot write the counters; they stay in memory and are retried"
                        );
                    }
                }
            }
        }
    });
    (stop, task)
}

/// Calls the weather service at start, then every `refresh` (every `retry` while it fails, and
/// at once when admins move the place). Pages never wait for it.
fn spawn_weather(state: &AppState) -> tokio::task::JoinHandle<()> {
    let weather = state.weather.clone();
    let pool = state.pool.clone();
    let clock = state.clock.clone();
    tokio::spawn(async move {
        let mut failing = false;
        loop {
            let next = match weather.refresh(&pool, &clock).await {
                Ok(()) => {
                    if failing {
                        tracing::info!("the weather service answers again");
                    }
                    failing = false;
                    weather.config().refresh
                }
                Err(reason) => {
                    if !failing {
                        tracing::warn!(%reason, url = %weather.config().base_url, "the weather service did not answer; the last good data stays");
                    }
                    failing = true;
                    weather.config().retry
                }
            };
            weather.wait(next).await;
        }
    })
}

/// The last write at shutdown, retried for a while: what is counted must not be lost to a
/// database that is busy for a moment.
async fn final_flush(state: &AppState) {
    const ATTEMPTS: u32 = 20;
    for attempt in 1..=ATTEMPTS {
        match state.counters.flush(&state.pool).await {
            Ok(flushed) => {
                tracing::info!(
                    views = flushed.views,
                    visits = flushed.visits,
                    "counters written at shutdown"
                );
                return;
            }
            Err(err) if attempt < ATTEMPTS => {
                tracing::warn!(error = %err, attempt, "cannot write the counters at shutdown; retrying");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(err) => {
                let lost = state.counters.unwritten();
                tracing::error!(
                    error = %err,
                    views = lost.views,
                    visits = lost.visits,
                    "giving up writing the counters at shutdown; these counts are lost"
                );
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("cannot open the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot create the first admin account: {0}")]
    FirstAdmin(String),
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}
