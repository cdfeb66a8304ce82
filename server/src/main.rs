use server::{Config, Portal};
use tracing_subscriber::EnvFilter;

fn main() -> std::process::ExitCode {
    keep_large_blocks_apart();
    // Rendering deep pages takes more stack than tokio's 2 MiB default in unoptimised builds;
    // 8 MiB of address space per worker costs nothing until used.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(8 * 1024 * 1024)
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(run()),
        Err(err) => {
            eprintln!("cannot start the async runtime: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> std::process::ExitCode {
    let cli = <server::cli::Cli as clap::Parser>::parse();
    if let Some(command) = cli.command {
        return server::cli::run(command).await;
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();

    let started = async {
        let config = Config::from_env()?;
        tracing::info!(database = %config.database_url, "opening the database");
        Portal::build(config).await
    };
    let portal = match started.await {
        Ok(portal) => portal,
        Err(err) => {
            tracing::error!("{err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    tracing::info!("listening on http://{}", portal.local_addr());
    if let Err(err) = portal.serve(shutdown_signal()).await {
        tracing::error!("server error: {err}");
        return std::process::ExitCode::FAILURE;
    }
    tracing::info!("stopped");
    std::process::ExitCode::SUCCESS
}

/// glibc serves a large block from its own mapping, given back to the system when freed, but
/// raises that threshold to the size of each such block freed (up to 32 MiB). After the first
/// password check, each check's 19 MiB came from the heap and stayed in the process: a burst of
/// sign-ins left hundreds of megabytes behind. A fixed threshold keeps blocks of 1 MiB and more
/// in their own mappings, so memory goes back to its idle level after a burst.
fn keep_large_blocks_apart() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's settings; called first, on the only thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
