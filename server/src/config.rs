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

use std::net::SocketAddr;
use std::path::PathBuf;

use std::time::Duration;

use app::server::counters::CountingConfig;
use leptos::prelude::LeptosOptions;

use crate::StartError;

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub leptos_options: LeptosOptions,
    pub counting: CountingConfig,
}

impl Config {
    pub fn from_env() -> Result<Config, StartError> {
        let leptos_options = leptos::config::get_configuration(None)
            .map_err(|e| StartError::Config(e.to_string()))?
            .leptos_options;
        let database_url = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => url,
            _ => {
                let dir = std::env::var_os("PORTAL_DATA_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| PathBuf::from("data"));
                std::fs::create_dir_all(&dir).map_err(|e| {
                    StartError::Config(format!(
                        "cannot create data directory {}: {e}",
                        dir.display()
                    ))
                })?;
                sqlite_url(&dir.join("portal.db"))
            }
        };
        Ok(Config {
            addr: leptos_options.site_addr,
            database_url,
            leptos_options,
            counting: counting_from_env()?,
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
