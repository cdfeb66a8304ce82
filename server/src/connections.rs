//! Accepting connections: what `axum::serve` does, plus the limits a server on the open
//! internet needs against clients that connect and then say nothing, or almost nothing.
//!
//! - **Request heads in time.** A connection must send a whole request head within
//!   `header_timeout` of connecting, and of its last answer when kept alive; else it is closed.
//!   So a half-sent request ("slowloris") holds a connection for seconds, not forever, and a
//!   kept-alive connection left idle is closed after as long.
//! - **A share per address.** At most `per_address` connections are open from one address (an
//!   IPv6 client: its /64); more are closed as soon as they are accepted. Generous (256), for
//!   one public IPv4 address may be a whole mobile network's customers behind carrier NAT. Behind a reverse proxy
//!   every connection comes from the proxy, so there is no such limit by default when
//!   `PORTAL_CLIENT_IP_HEADER` is set: the proxy's own timeouts and limits do this work.
//! - **Room for files.** The open-file limit is raised to what the system allows at start, and
//!   no more connections are kept than leave room under it for the database, uploads and
//!   media, so a flood of connections cannot make the server unable to open its own files.
//!
//! Shutdown is graceful as with `axum::serve`: the listener closes, connections finish the
//! request they are serving, and [`serve`] returns when the last one has closed.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

/// The limits on connections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// The longest a connection may take to send a request head, counted from when it connects
    /// or from its last answer (the idle limit of kept-alive connections too).
    pub header_timeout: Duration,
    /// Most open connections from one address (IPv6: one /64); None: no limit.
    pub per_address: Option<usize>,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_timeout: Duration::from_secs(10),
            per_address: Some(256),
        }
    }
}

/// File descriptors kept free for everything but connections: the database and its WAL, the
/// media being sent or received, backups, the weather and mail clients.
const RESERVED_FILES: u64 = 256;

/// Raises the soft limit on open files to the hard one, where the system allows it, and
/// returns the most connections that leave [`RESERVED_FILES`] free under the result.
pub fn raise_open_file_limit() -> usize {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    // Without a hard limit, a generous but finite one (some systems refuse "unlimited").
    let wanted = limit.maximum.unwrap_or(1 << 20);
    let current = limit.current.unwrap_or(wanted);
    let soft = if current < wanted {
        match setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(wanted),
                maximum: limit.maximum,
            },
        ) {
            Ok(()) => wanted,
            Err(err) => {
                tracing::warn!(%err, current, wanted, "cannot raise the open-file limit");
                current
            }
        }
    } else {
        current
    };
    soft.saturating_sub(RESERVED_FILES).max(64) as usize
}

/// Serves `router` on `listener` within `limits` until `shutdown` resolves, then lets the
/// open connections finish and returns when they have.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    limits: ConnectionLimits,
    max_connections: usize,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let open = Open::new(limits.per_address, max_connections);
    // Every connection holds a receiver of each: the first tells it to finish, the second's
    // closing tells the server that all have.
    let (finish, _) = tokio::sync::watch::channel(());
    let (all_closed, closed) = tokio::sync::watch::channel(());
    tokio::pin!(shutdown);
    let mut refused_since_log = 0u64;
    let mut last_log: Option<tokio::time::Instant> = None;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    accept_failed(err).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let Some(slot) = open.take(peer.ip()) else {
            // Closed at once: the client's share (or the server's room) is used up.
            drop(stream);
            refused_since_log += 1;
            // The first refusal, then at most one line a minute.
            if last_log.is_none_or(|at| at.elapsed() >= Duration::from_secs(60)) {
                tracing::warn!(
                    refused = refused_since_log,
                    address = %peer.ip(),
                    "connections refused: too many open from one address, or in all"
                );
                refused_since_log = 0;
                last_log = Some(tokio::time::Instant::now());
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(
            stream,
            peer,
            router.clone(),
            limits.header_timeout,
            finish.subscribe(),
            (slot, closed.clone()),
        ));
    }
    drop(listener);
    drop(finish);
    drop(closed);
    all_closed.closed().await;
    Ok(())
}

/// Serves one connection until it closes, or until told to finish (then after the request in
/// flight). `held` is released when it ends.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: axum::Router,
    header_timeout: Duration,
    mut finish: tokio::sync::watch::Receiver<()>,
    held: (Slot, tokio::sync::watch::Receiver<()>),
) {
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let router = router.clone();
        async move {
            let response = router.oneshot(request.map(Body::new)).await;
            Ok::<_, Infallible>(match response {
                Ok(response) => response,
                Err(never) => match never {},
            })
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(true);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(err) = result {
                tracing::trace!(%err, "connection ended with an error");
            }
        }
        _ = finish.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
    drop(held);
}

/// An accept that failed: out of file descriptors (wait for some to close) or a connection
/// that died before it was accepted (nothing to do).
async fn accept_failed(err: std::io::Error) {
    use std::io::ErrorKind::*;
    if matches!(
        err.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!(%err, "accepting a connection failed; waiting a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// The open connections, per address and in all.
#[derive(Clone)]
struct Open {
    by_address: Arc<Mutex<HashMap<String, usize>>>,
    total: Arc<AtomicUsize>,
    per_address: Option<usize>,
    max_total: usize,
}

/// One open connection's place, given back when it is dropped.
struct Slot {
    open: Open,
    key: String,
}

impl Open {
    fn new(per_address: Option<usize>, max_total: usize) -> Open {
        Open {
            by_address: Default::default(),
            total: Default::default(),
            per_address,
            max_total,
        }
    }

    /// A place for a connection from `ip`, if its share and the server's room allow.
    fn take(&self, ip: IpAddr) -> Option<Slot> {
        if self.total.fetch_add(1, Ordering::SeqCst) >= self.max_total {
            self.total.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        let key = app::server::accounts::auth::ip_key(ip);
        let mut by_address = self.by_address.lock().unwrap_or_else(|e| e.into_inner());
        let count = by_address.entry(key.clone()).or_insert(0);
        if self.per_address.is_some_and(|most| *count >= most) {
            drop(by_address);
            self.total.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        *count += 1;
        Some(Slot {
            open: self.clone(),
            key,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut by_address = self
            .open
            .by_address
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(count) = by_address.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                by_address.remove(&self.key);
            }
        }
        drop(by_address);
        self.open.total.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_share_and_the_server_keeps_room() {
        let open = Open::new(Some(2), 5);
        let a: IpAddr = "1.2.3.4".parse().unwrap();
        let first = open.take(a).unwrap();
        let _second = open.take(a).unwrap();
        assert!(open.take(a).is_none());
        // An IPv6 client is its /64.
        let v6 = |s: &str| s.parse::<IpAddr>().unwrap();
        let _x = open.take(v6("2001:db8:0:1::1")).unwrap();
        let _y = open.take(v6("2001:db8:0:1::2")).unwrap();
        assert!(open.take(v6("2001:db8:0:1::3")).is_none());
        // A place given back is free again.
        drop(first);
        let _third = open.take(a).unwrap();
        // The server's room: five in all, whatever the addresses.
        let _fifth = open.take("5.6.7.8".parse().unwrap()).unwrap();
        assert!(open.take("9.9.9.9".parse().unwrap()).is_none());
        assert_eq!(open.total.load(Ordering::SeqCst), 5);
    }

    #[test]
    fn the_open_file_limit_leaves_room_for_files() {
        let most = raise_open_file_limit();
        let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
        let soft = limit.current.unwrap_or(u64::MAX);
        assert!(most as u64 + RESERVED_FILES <= soft.max(64 + RESERVED_FILES));
    }
}
