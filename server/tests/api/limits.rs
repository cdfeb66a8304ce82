//! Limits that keep one client from taking the server, or an account, from everyone else:
//! half-sent requests, connections per address, lockouts that cost the guesser and not the
//! account's owner, addresses behind proxies and IPv6 prefixes.

use std::time::{Duration, Instant};

use app::model::Role;
use server::connections::ConnectionLimits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;

use crate::helpers::*;

const PASSWORD: &str = "mật khẩu đủ dài 123";

/// A connection from `source` (an address of the loopback range) to the server.
async fn connect_from(
    source: &str,
    to: std::net::SocketAddr,
) -> std::io::Result<tokio::net::TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(format!("{source}:0").parse().unwrap())?;
    socket.connect(to).await
}

/// Whether the server has closed `stream` (end of file or reset), waiting at most `wait`.
async fn closed_by_server(stream: &mut tokio::net::TcpStream, wait: Duration) -> bool {
    let mut buf = [0u8; 256];
    matches!(
        tokio::time::timeout(wait, stream.read(&mut buf)).await,
        Ok(Ok(0)) | Ok(Err(_))
    )
}

/// 2,000 connections from one address that send half a request head and then nothing: the
/// server keeps only that address's share of them, closes the rest at once and the kept ones
/// when the head is late, and citizens reading from elsewhere are served as usual. Before, all
/// of them stayed open for as long as the client liked, and past the open-file limit readers
/// timed out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_from_one_address_neither_pile_up_nor_slow_readers() {
    let app = TestApp::spawn_with(Settings {
        connections: ConnectionLimits {
            header_timeout: Duration::from_secs(3),
            per_address: Some(50),
        },
        ..Settings::default()
    })
    .await;
    // Warm: the home page is rendered once and served from the render cache after.
    assert_eq!(app.page("/", None).await.status, 200);

    let mut attackers = Vec::new();
    let mut refused = 0;
    for _ in 0..2000 {
        match connect_from("127.0.0.2", app.addr).await {
            Ok(mut stream) => {
                // Part of a request head, never finished.
                if stream
                    .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow")
                    .await
                    .is_err()
                {
                    refused += 1;
                    continue;
                }
                attackers.push(stream);
            }
            Err(_) => refused += 1,
        }
    }
    // Readers from another address are served, and quickly.
    let mut times = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let res = app
            .client
            .get(app.url("/"))
            .header("Accept-Encoding", "gzip, br")
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .expect("a reader is answered");
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    eprintln!(
        "2,000 half-open connections: readers' median {median:?}, slowest {:?}",
        times[times.len() - 1]
    );
    assert!(median < Duration::from_millis(100), "{times:?}");
    assert!(times[times.len() - 1] < Duration::from_secs(1), "{times:?}");

    // Only the address's share stayed open: the others were closed at once.
    let mut open = 0;
    for stream in attackers.iter_mut() {
        if !closed_by_server(stream, Duration::from_millis(5)).await {
            open += 1;
        }
    }
    assert!(
        open <= 50,
        "{open} half-open connections kept ({refused} refused at connect)"
    );
    // And those are closed once their head is late (a connection's timer, not the portal's
    // clock): awaited as they close instead of a fixed sleep past the limit.
    for stream in attackers.iter_mut() {
        assert!(closed_by_server(stream, Duration::from_secs(5)).await);
    }
}

/// A kept-alive connection that sends nothing more is closed after the head's time limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_kept_alive_connection_is_closed() {
    let app = TestApp::spawn_with(Settings {
        connections: ConnectionLimits {
            header_timeout: Duration::from_secs(1),
            per_address: Some(50),
        },
        ..Settings::default()
    })
    .await;
    let mut stream = connect_from("127.0.0.3", app.addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut answer = vec![0u8; 4096];
    let n = stream.read(&mut answer).await.unwrap();
    assert!(
        answer[..n].starts_with(b"HTTP/1.1 "),
        "{:?}",
        String::from_utf8_lossy(&answer[..n])
    );
    let started = Instant::now();
    assert!(closed_by_server(&mut stream, Duration::from_secs(5)).await);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

/// Signs in with `password` as the browser holding `cookies`, from `ip` (behind the proxy);
/// the status and the cookies set.
async fn sign_in_from(
    app: &TestApp,
    ip: &str,
    cookies: &str,
    username: &str,
    password: &str,
) -> (u16, Vec<String>) {
    let mut req = app
        .client
        .post(app.url("/api/sign_in"))
        .header("X-Forwarded-For", ip)
        .form(&[("username", username), ("password", password)]);
    if !cookies.is_empty() {
        req = req.header("cookie", cookies);
    }
    let res = req.send().await.unwrap();
    let set = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect();
    (res.status().as_u16(), set)
}

/// A scanner behind the commune's address guesses until the address is refused: a newcomer
/// there is refused too, but the official whose browser signed in before still gets in with
/// the right password, so the guesser pays and not the account's owner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_from_a_shared_address_do_not_lock_out_an_official_who_signed_in_there_before() {
    let app = TestApp::spawn_with(behind_a_proxy(Settings::default())).await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let office = "203.0.113.7";

    // Monday: the admin signs in from the office; the browser is remembered for 400 days.
    let (status, set) = sign_in_from(&app, office, "", "quantri", PASSWORD).await;
    assert_eq!(status, 200);
    let known = set
        .iter()
        .find(|c| c.starts_with("portal_browser="))
        .expect("a known-browser cookie");
    assert!(
        known.contains("HttpOnly") && known.contains("Max-Age=34560000"),
        "{known}"
    );
    let known = known.split(';').next().unwrap().to_string();

    // A scanner at the same address tries fifty names, then the admin's.
    // Ten at a time, so that the server checks every one (a busy answer counts for nothing).
    for batch in 0..5 {
        let guesses = (0..10).map(|j| {
            let name = format!("ten{}", batch * 10 + j);
            let app = &app;
            async move {
                sign_in_from(app, office, "", &name, "đoán mò 12345")
                    .await
                    .0
            }
        });
        for status in futures::future::join_all(guesses).await {
            assert!([400, 429].contains(&status), "{status}");
        }
    }
    for _ in 0..10 {
        sign_in_from(&app, office, "", "quantri", "đoán mò 12345").await;
    }
    // A browser that never signed in there is refused, even with the right password...
    let (status, _) = sign_in_from(&app, office, "", "bientap", PASSWORD).await;
    assert_eq!(status, 429);
    let (status, _) = sign_in_from(&app, office, "", "quantri", PASSWORD).await;
    assert_eq!(status, 429);
    // ...but the admin's own browser gets in.
    let (status, set) = sign_in_from(&app, office, &known, "quantri", PASSWORD).await;
    assert_eq!(status, 200, "{set:?}");
    assert!(set.iter().any(|c| c.starts_with("portal_session=")));
    // Its cookie is the admin's alone: it lets no one else past the address's refusal.
    let (status, _) = sign_in_from(&app, office, &known, "bientap", PASSWORD).await;
    assert_eq!(status, 429);
    // A forged cookie is worth nothing.
    let forged = format!("portal_browser={}", "ab".repeat(32));
    let (status, _) = sign_in_from(&app, office, &forged, "quantri", PASSWORD).await;
    assert_eq!(status, 429);
}

/// Behind a proxy that writes the client's port (`1.2.3.4:5678`, `[2001:db8::1]:443`), the
/// address is read without it, not replaced by the proxy's; and an IPv6 client is counted by
/// its /64, so changing the last bits is no way past the limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_addresses_with_ports_and_ipv6_prefixes_are_one_client() {
    let app = TestApp::spawn_with(behind_a_proxy(Settings::default())).await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    // 50 failures from one IPv6 /64, each from another address in it, with ports.
    // Ten at a time, so that the server checks every one (a busy answer counts for nothing).
    for batch in 0..5 {
        let guesses = (0..10).map(|j| {
            let i = batch * 10 + j;
            let ip = format!("[2001:db8:5:6::{:x}]:4{i:03}", i + 1);
            let name = format!("khac{i}");
            let app = &app;
            async move { sign_in_from(app, &ip, "", &name, "đoán mò 12345").await.0 }
        });
        for status in futures::future::join_all(guesses).await {
            assert_eq!(status, 400);
        }
    }
    let (status, _) = sign_in_from(&app, "2001:db8:5:6:ffff::9", "", "quantri", PASSWORD).await;
    assert_eq!(status, 429, "the /64 is one client");
    // Another /64, and an IPv4 client with a port, are others.
    let (status, _) = sign_in_from(&app, "2001:db8:5:7::1", "", "quantri", PASSWORD).await;
    assert_eq!(status, 200);
    let audit: Vec<String> =
        sqlx::query_scalar("SELECT ip FROM audit_log WHERE action = 'Đăng nhập' ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(audit, vec!["2001:db8:5:7::1".to_string()]);
    let (status, _) = sign_in_from(&app, "198.51.100.4:5678", "", "quantri", PASSWORD).await;
    assert_eq!(status, 200);
    let last: String =
        sqlx::query_scalar("SELECT ip FROM audit_log WHERE action = 'Đăng nhập' ORDER BY id DESC")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(last, "198.51.100.4");
}

/// Over HTTPS (the proxy says so), the visit cookie is `Secure` like the session's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_visit_cookie_is_secure_over_https() {
    let app = TestApp::spawn().await;
    let cookie = |https: bool| {
        let mut req = app
            .client
            .get(app.url("/"))
            .header(
                "User-Agent",
                "Mozilla/5.0 (Linux; Android 13) Chrome/142.0 Mobile",
            )
            .header("Sec-Fetch-Dest", "document")
            .header("Accept", "text/html");
        if https {
            req = req.header("X-Forwarded-Proto", "https");
        }
        async move {
            let res = req.send().await.unwrap();
            res.headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|c| c.starts_with("portal_visit="))
                .map(str::to_string)
                .expect("a visit cookie")
        }
    };
    assert!(cookie(true).await.contains("; Secure"));
    assert!(!cookie(false).await.contains("Secure"));
}

/// An admin's own password is changed with the current one ("Đổi mật khẩu"), not reset from
/// the accounts page: a session left open is not enough to take the account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_cannot_reset_their_own_password_without_the_current_one() {
    let app = TestApp::spawn().await;
    let me = app.add_user("quantri", Role::Admin, PASSWORD).await;
    let other = app.add_user("bientap", Role::Editor, PASSWORD).await;
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    let (status, body) = app
        .call(
            "reset_account_password",
            &[("id", &me.to_string()), ("password", "mật khẩu mới 98765")],
            Some(&admin),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("Đổi mật khẩu"), "{body}");
    assert!(app.sign_in("quantri", "mật khẩu mới 98765").await.is_err());
    // Others' passwords are still reset from there.
    let (status, _) = app
        .call(
            "reset_account_password",
            &[
                ("id", &other.to_string()),
                ("password", "mật khẩu mới 98765"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(status, 200);
    assert!(app.sign_in("bientap", "mật khẩu mới 98765").await.is_ok());
}
