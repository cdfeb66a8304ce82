//! Configuration from the environment.
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `LEPTOS_SITE_ADDR` | listen address | `127.0.0.1:3000` |
//! | `LEPTOS_SITE_ROOT` | built site (wasm, js, css, public files) | `target/site` |
//! | `PORTAL_DATA_DIR` | data directory, holds `portal.db` | `./data` |
//! | `DATABASE_URL` | overrides the SQLite file in the data directory | `sqlite://<data dir>/portal.db` |
//! | `RUST_LOG` | log filter | `info` |

use std::net::SocketAddr;
use std::path::PathBuf;

use leptos::prelude::LeptosOptions;

use crate::StartError;

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub leptos_options: LeptosOptions,
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
        })
    }
}

/// `sqlite://` URL of a database file, created if missing.
pub fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}
