//! The portal's HTTP server: configuration, database, router, middleware.
//! `main.rs` only reads the environment and calls [`run`].

pub mod config;
pub mod db;
pub mod middleware;
pub mod router;

use std::net::SocketAddr;

use app::server::AppState;
use tokio::net::TcpListener;

pub use config::Config;

/// A bound, migrated, ready-to-serve portal.
pub struct Portal {
    pub listener: TcpListener,
    pub router: axum::Router,
    pub state: AppState,
}

impl Portal {
    /// Opens (creating and migrating if needed) the database and binds the listen address.
    pub async fn build(config: Config) -> Result<Portal, StartError> {
        let pool = db::connect(&config.database_url).await?;
        let state = AppState {
            leptos_options: config.leptos_options,
            pool,
        };
        let router = router::build(state.clone());
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
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight and closes the
    /// database.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let Portal {
            listener,
            router,
            state,
        } = self;
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await?;
        state.pool.close().await;
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("cannot open the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}
