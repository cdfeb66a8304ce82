//! Configuration from the environment.
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `LEPTOS_SITE_ADDR` | listen address | `127.0.0.1:3000` |
//! | `LEPTOS_SITE_ROOT` | built site (wasm, js, css, public files) | `target/site` |
//! | `PORTAL_DATA_DIR` | data directory, holds `portal.db` | `./data` |
//! | `DATABASE_URL` | overrides the SQLite file in the data directory | `sqlite://<data dir>/portal.db` |
//! | `RUST_LOG` | log filter | `info` |
//! | `PORTAL_COUNTING` | `off` counts no views and no visits | `on` |
//! | `PORTAL_FLUSH_INTERVAL_MS` | time between two writes of the counters (the most a crash loses) | `1000` |
//! | `PORTAL_REPEAT_VIEW_SECS` | a browser reopening a post within this time counts no new view | `1800` |
//! | `PORTAL_VISIT_IDLE_SECS` | a visit ends after this long without a request | `1800` |
//! | `PORTAL_VIEW_MEMORY` | most (browser, post) pairs remembered for the repeat window | `100000` |
//! | `PORTAL_SECURE_COOKIES` | `auto` (when `X-Forwarded-Proto: https`), `on` or `off` | `auto` |
//! | `PORTAL_SESSION_IDLE_MINUTES` | an official's session ends after this long without a request | `120` |
//! | `PORTAL_SESSION_HOURS` | and this long after sign-in in any case | `12` |
//! | `PORTAL_HEADER_TIMEOUT_SECS` | a connection must send a request head within this long of connecting or of its last answer | `10` |
//! | `PORTAL_MAX_CONNECTIONS_PER_ADDRESS` | most open connections from one address (IPv6: a /64); `0`: no limit | `256`, or `0` with `PORTAL_CLIENT_IP_HEADER` |
//! | `PORTAL_CLIENT_IP_HEADER` | header with the client's address behind a proxy (`X-Forwarded-For`) | none |
//! | `PORTAL_TRUSTED_PROXIES` | how many proxies of yours add to that header (the client is the entry the farthest one added) | `1` |
//! | `PORTAL_WEATHER_URL` | base URL of the forecast API (Open-Meteo's format) | `https://api.open-meteo.com` |
//! | `PORTAL_WEATHER_REFRESH_MINUTES` | time between two calls to it | `30` |
//! | `PORTAL_WEATHER_TIMEOUT_MS` | the longest a call may take | `5000` |
//! | `PORTAL_PUBLIC_URL` | the site's public address, for absolute links in the feed and sitemap | from each request |
//! | `PORTAL_MAX_VIDEO_MB` | largest video file an editor may upload | `200` |
//! | `PORTAL_MAX_ATTACHMENT_MB` | largest attachment (PDF, office file, image) an official may upload | `20` |
//! | `PORTAL_PAGE_CACHE_MB` | most memory the cache of rendered pages holds; `0` turns it off | `64` |
//! | `PORTAL_YOUTUBE_THUMBNAIL_URL` | where YouTube thumbnails are fetched from, once each | `https://i.ytimg.com` |
//! | `PORTAL_BACKUP_DIR` | where the server writes its scheduled backups; unset: none | none |
//! | `PORTAL_BACKUP_EVERY_HOURS` | time between two scheduled backups | `24` |
//! | `PORTAL_BACKUP_KEEP_DAILY` | the newest backup of each of this many days is kept | `7` |
//! | `PORTAL_BACKUP_KEEP_WEEKLY` | and the newest of each of this many weeks | `4` |
//! | `PORTAL_DISK_MIN_FREE_MB` | `/healthz` asks for a person below this much free space in the data directory | `1024` |
//! | `PORTAL_FORM_MIN_SECONDS` | a citizen's question or comment sent sooner than this after the form was opened is refused | `5` |
//! | `PORTAL_QUESTIONS_PER_HOUR` | questions and comments one address may send in an hour | `5` |
//! | `PORTAL_SMTP_URL` | mail server for telling citizens their question was answered (`smtps://user:pass@host`, `smtp://host:25?tls=required`); unset: no e-mail | none |
//! | `PORTAL_MAIL_FROM` | the sender of those e-mails | `Cổng thông tin điện tử <no-reply@localhost>` |

use std::net::SocketAddr;
use std::path::PathBuf;

use std::time::Duration;

use app::server::accounts::auth::{AuthConfig, SecureCookies};
use app::server::counting::counters::CountingConfig;
use app::server::media::MediaConfig;
use app::server::operations::backups::BackupConfig;
use app::server::site::weather::WeatherConfig;
use leptos::prelude::LeptosOptions;

use crate::StartError;

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub leptos_options: LeptosOptions,
    pub counting: CountingConfig,
    pub auth: AuthConfig,
    pub weather: WeatherConfig,
    pub media: MediaConfig,
    pub public_url: Option<String>,
    /// Most bytes of rendered pages the render cache holds; 0 turns it off.
    pub page_cache_bytes: usize,
    /// Holds the database (unless `DATABASE_URL` says otherwise) and the first admin's
    /// password file.
    pub data_dir: PathBuf,
    pub backups: BackupConfig,
    /// Less free space than this in the data directory makes `/healthz` ask for a person.
    pub disk_min_free_bytes: u64,
    /// Least seconds between opening a citizen's form and sending it.
    pub form_min_seconds: u64,
    /// Questions and comments one address may send in an hour.
    pub questions_per_hour: i64,
    /// Where e-mails to citizens go out; None: none are sent.
    pub mail: Option<crate::mail::MailConfig>,
    /// Time limits and shares of connections.
    pub connections: crate::connections::ConnectionLimits,
}

impl Config {
    pub fn from_env() -> Result<Config, StartError> {
        let leptos_options = leptos::config::get_configuration(None)
            .map_err(|e| StartError::Config(e.to_string()))?
            .leptos_options;
        let data_dir = data_dir_from_env();
        std::fs::create_dir_all(&data_dir).map_err(|e| {
            StartError::Config(format!(
                "cannot create data directory {}: {e}",
                data_dir.display()
            ))
        })?;
        let database_url = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => url,
            _ => sqlite_url(&data_dir.join("portal.db")),
        };
        let auth = auth_from_env()?;
        let connections = connections_from_env(auth.client_ip_header.is_some())?;
        Ok(Config {
            addr: leptos_options.site_addr,
            database_url,
            leptos_options,
            counting: counting_from_env()?,
            auth,
            weather: weather_from_env()?,
            media: MediaConfig {
                dir: data_dir.join("media"),
                max_video_bytes: number("PORTAL_MAX_VIDEO_MB", 1, 200)? * 1024 * 1024,
                max_attachment_bytes: number("PORTAL_MAX_ATTACHMENT_MB", 1, 20)? * 1024 * 1024,
                thumbnail_base: std::env::var("PORTAL_YOUTUBE_THUMBNAIL_URL")
                    .ok()
                    .filter(|url| url.starts_with("http://") || url.starts_with("https://"))
                    .unwrap_or_else(|| "https://i.ytimg.com".into()),
            },
            public_url: public_url_from_env()?,
            page_cache_bytes: number("PORTAL_PAGE_CACHE_MB", 0, 64)? as usize * 1024 * 1024,
            data_dir,
            backups: backups_from_env()?,
            disk_min_free_bytes: number("PORTAL_DISK_MIN_FREE_MB", 0, 1024)? * 1024 * 1024,
            form_min_seconds: number("PORTAL_FORM_MIN_SECONDS", 0, 5)?,
            questions_per_hour: number("PORTAL_QUESTIONS_PER_HOUR", 1, 5)? as i64,
            mail: crate::mail::MailConfig::from_env()?,
            connections,
        })
    }
}

fn counting_from_env() -> Result<CountingConfig, StartError> {
    let defaults = CountingConfig::default();
    let enabled = match std::env::var("PORTAL_COUNTING").as_deref().map(str::trim) {
        Err(_) | Ok("" | "on") => true,
        Ok("off") => false,
        Ok(other) => {
            return Err(StartError::Config(format!(
                "PORTAL_COUNTING must be `on` or `off`, not {other:?}"
            )))
        }
    };
    let flush_ms = number(
        "PORTAL_FLUSH_INTERVAL_MS",
        1,
        defaults.flush_interval.as_millis() as u64,
    )?;
    Ok(CountingConfig {
        enabled,
        flush_interval: Duration::from_millis(flush_ms),
        repeat_view_window: Duration::from_secs(number(
            "PORTAL_REPEAT_VIEW_SECS",
            0,
            defaults.repeat_view_window.as_secs(),
        )?),
        visit_idle: Duration::from_secs(number(
            "PORTAL_VISIT_IDLE_SECS",
            1,
            defaults.visit_idle.as_secs(),
        )?),
        max_remembered_views: number(
            "PORTAL_VIEW_MEMORY",
            1,
            defaults.max_remembered_views as u64,
        )? as usize,
    })
}

fn auth_from_env() -> Result<AuthConfig, StartError> {
    let defaults = AuthConfig::default();
    let secure_cookies = match std::env::var("PORTAL_SECURE_COOKIES")
        .as_deref()
        .map(str::trim)
    {
        Err(_) | Ok("" | "auto") => SecureCookies::Auto,
        Ok("on") => SecureCookies::Always,
        Ok("off") => SecureCookies::Never,
        Ok(other) => {
            return Err(StartError::Config(format!(
                "PORTAL_SECURE_COOKIES must be `auto`, `on` or `off`, not {other:?}"
            )))
        }
    };
    let idle = number(
        "PORTAL_SESSION_IDLE_MINUTES",
        1,
        defaults.idle_timeout.as_secs() / 60,
    )?;
    let hours = number(
        "PORTAL_SESSION_HOURS",
        1,
        defaults.lifetime.as_secs() / 3600,
    )?;
    let client_ip_header = std::env::var("PORTAL_CLIENT_IP_HEADER")
        .ok()
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty());
    if let Some(header) = &client_ip_header {
        http::HeaderName::from_bytes(header.as_bytes()).map_err(|_| {
            StartError::Config(format!(
                "PORTAL_CLIENT_IP_HEADER is not a header name: {header:?}"
            ))
        })?;
    }
    let trusted_proxies =
        number("PORTAL_TRUSTED_PROXIES", 1, defaults.trusted_proxies as u64)? as usize;
    Ok(AuthConfig {
        secure_cookies,
        idle_timeout: Duration::from_secs(idle * 60),
        lifetime: Duration::from_secs(hours * 3600),
        client_ip_header,
        trusted_proxies,
    })
}

/// Behind a proxy (a client-address header is set) every connection comes from the proxy, so
/// there is no per-address share unless one is asked for.
fn connections_from_env(
    behind_proxy: bool,
) -> Result<crate::connections::ConnectionLimits, StartError> {
    let defaults = crate::connections::ConnectionLimits::default();
    let default_share = if behind_proxy {
        0
    } else {
        defaults.per_address.unwrap_or(0) as u64
    };
    let per_address = number("PORTAL_MAX_CONNECTIONS_PER_ADDRESS", 0, default_share)?;
    Ok(crate::connections::ConnectionLimits {
        header_timeout: Duration::from_secs(number(
            "PORTAL_HEADER_TIMEOUT_SECS",
            1,
            defaults.header_timeout.as_secs(),
        )?),
        per_address: (per_address > 0).then_some(per_address as usize),
    })
}

fn public_url_from_env() -> Result<Option<String>, StartError> {
    match std::env::var("PORTAL_PUBLIC_URL") {
        Ok(url) if url.trim().is_empty() => Ok(None),
        Ok(url) if url.starts_with("http://") || url.starts_with("https://") => {
            Ok(Some(url.trim().trim_end_matches('/').to_string()))
        }
        Ok(url) => Err(StartError::Config(format!(
            "PORTAL_PUBLIC_URL must start with http:// or https://, not {url:?}"
        ))),
        Err(_) => Ok(None),
    }
}

fn weather_from_env() -> Result<WeatherConfig, StartError> {
    let defaults = WeatherConfig::default();
    let base_url = match std::env::var("PORTAL_WEATHER_URL") {
        Ok(url) if url.starts_with("http://") || url.starts_with("https://") => url,
        Ok(url) if !url.trim().is_empty() => {
            return Err(StartError::Config(format!(
                "PORTAL_WEATHER_URL must start with http:// or https://, not {url:?}"
            )))
        }
        _ => defaults.base_url,
    };
    let refresh = number(
        "PORTAL_WEATHER_REFRESH_MINUTES",
        1,
        defaults.refresh.as_secs() / 60,
    )?;
    let timeout = number(
        "PORTAL_WEATHER_TIMEOUT_MS",
        100,
        defaults.timeout.as_millis() as u64,
    )?;
    Ok(WeatherConfig {
        base_url,
        refresh: Duration::from_secs(refresh * 60),
        retry: defaults.retry.min(Duration::from_secs(refresh * 60)),
        timeout: Duration::from_millis(timeout),
    })
}

/// `PORTAL_DATA_DIR`, or `./data`.
pub fn data_dir_from_env() -> PathBuf {
    std::env::var_os("PORTAL_DATA_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("data"))
}

fn backups_from_env() -> Result<BackupConfig, StartError> {
    let dir = std::env::var_os("PORTAL_BACKUP_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from);
    Ok(BackupConfig {
        dir,
        every: Duration::from_secs(number("PORTAL_BACKUP_EVERY_HOURS", 1, 24)? * 3600),
        keep_daily: number("PORTAL_BACKUP_KEEP_DAILY", 1, 7)? as usize,
        keep_weekly: number("PORTAL_BACKUP_KEEP_WEEKLY", 0, 4)? as usize,
    })
}

/// A whole number from the environment, at least `min`; `default` when unset.
fn number(name: &str, min: u64, default: u64) -> Result<u64, StartError> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(raw) => match raw.trim().parse::<u64>() {
            Ok(n) if n >= min => Ok(n),
            _ => Err(StartError::Config(format!(
                "{name} must be a whole number of at least {min}, not {raw:?}"
            ))),
        },
    }
}

/// `sqlite://` URL of a database file, created if missing.
pub fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}
