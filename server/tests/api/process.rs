//! The real `server` binary as an operator runs it: stopped with SIGTERM, or killed with -9.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use server::config::sqlite_url;
use sqlx::SqlitePool;

use crate::helpers::*;

struct Process {
    child: Child,
    base: String,
}

impl Process {
    /// Starts the binary on a free port of 127.0.0.1 with its data in `data`, and waits until it
    /// listens.
    fn start(data: &Path, flush_ms: u64) -> Process {
        Process::start_with(data, flush_ms, &[])
    }

    /// As [`Process::start`], with more environment.
    fn start_with(data: &Path, flush_ms: u64, env: &[(&str, &str)]) -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
            // Every test browser comes from 127.0.0.1: no share per address.
            .env("PORTAL_MAX_CONNECTIONS_PER_ADDRESS", "0")
            .envs(env.iter().copied())
            .env("PORTAL_DATA_DIR", data)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("PORTAL_FLUSH_INTERVAL_MS", flush_ms.to_string())
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .env_remove("DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads the log until the address shows, then keeps draining it so the server never blocks.
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find("listening on http://") {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(line[at + "listening on ".len()..].trim().to_string());
                    }
                }
            }
        });
        let base = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the server reports its address");
        Process { child, base }
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    fn wait(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `n` post pages loaded at once, each by a new browser; returns how many answered 200.
async fn read_post(base: &str, n: usize) -> usize {
    let client = reqwest::Client::builder()
        .user_agent(BROWSER_UA)
        .build()
        .unwrap();
    let mut readers = tokio::task::JoinSet::new();
    for _ in 0..n {
        let client = client.clone();
        let url = format!("{base}/bai-viet/{SAMPLE_SLUG}");
        readers.spawn(async move {
            client
                .get(url)
                .header("Accept", "text/html")
                .send()
                .await
                .is_ok_and(|res| res.status() == 200)
        });
    }
    let mut ok = 0;
    while let Some(done) = readers.join_next().await {
        ok += usize::from(done.unwrap());
    }
    ok
}

async fn stored(data: &Path) -> (i64, i64, i64) {
    let pool = SqlitePool::connect(&sqlite_url(&data.join("portal.db")))
        .await
        .unwrap();
    let counts = sqlx::query_as(
        "SELECT (SELECT view_count FROM posts WHERE slug = ?),
                (SELECT value FROM counters WHERE name = 'visits'),
                (SELECT COALESCE(SUM(views), 0) FROM post_views_daily)",
    )
    .bind(SAMPLE_SLUG)
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_writes_every_count_served() {
    let data = tempfile::tempdir().unwrap();
    // A flush interval far longer than the test: only the shutdown writes.
    let mut server = Process::start(data.path(), 3_600_000);
    let served = read_post(&server.base, 300).await as i64;
    assert_eq!(served, 300);
    let before = stored(data.path()).await;
    assert_eq!(before, (6, 42_359_882, 0), "nothing written while serving");
    server.signal("-TERM");
    assert!(server.wait().success(), "a clean exit");
    assert_eq!(
        stored(data.path()).await,
        (6 + served, 42_359_882 + served, served)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_at_most_the_last_interval() {
    let data = tempfile::tempdir().unwrap();
    let mut server = Process::start(data.path(), 200);
    let early = read_post(&server.base, 100).await as i64;
    // More than one interval passes: these must be on disk whatever happens next.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let late = read_post(&server.base, 50).await as i64;
    server.signal("-KILL");
    assert!(!server.wait().success());
    let (views, visits, daily) = stored(data.path()).await;
    let written = views - 6;
    assert!(
        (early..=early + late).contains(&written),
        "{written} views on disk: the {early} before the last interval must all be there"
    );
    let visits_written = visits - 42_359_882;
    assert!(
        (early..=early + late).contains(&visits_written),
        "{visits_written} visits on disk"
    );
    assert_eq!(
        daily, written,
        "the day's row and the total are written together"
    );
}

/// `server user add ...` with the password on standard input, as a script would run it.
fn user_add(data: &Path, args: &[&str], password: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["user", "add"])
        .args(args)
        .env("PORTAL_DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_are_added_from_the_command_line() {
    let data = tempfile::tempdir().unwrap();
    let short = user_add(data.path(), &["--role", "editor", "bientap"], "ngắn");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("ít nhất 10 ký tự"));
    let bad_role = user_add(data.path(), &["--role", "vua", "bientap"], "đủ dài rồi 123");
    assert!(!bad_role.status.success());

    let added = user_add(
        data.path(),
        &["--role", "editor", "--name", "Nguyễn Văn Biên", "BienTap"],
        "mật khẩu đủ dài 123",
    );
    assert!(added.status.success(), "{added:?}");
    assert!(String::from_utf8_lossy(&added.stdout)
        .contains("Đã tạo tài khoản “bientap” (Biên tập viên)"));
    let again = user_add(
        data.path(),
        &["--role", "writer", "bientap"],
        "mật khẩu khác 12345",
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("đã có người dùng"));

    // The server signs the account in. It makes a first admin, since there is none yet.
    let server = Process::start(data.path(), 1000);
    let res = reqwest::Client::new()
        .post(format!("{}/api/sign_in", server.base))
        .form(&[("username", "bientap"), ("password", "mật khẩu đủ dài 123")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Nguyễn Văn Biên"));
    assert!(data.path().join("admin-password.txt").exists());
}

/// `server setting set ...`.
fn setting_set(data: &Path, args: &[&str]) -> std::process::Output {
    cli(data, &["setting", "set"], args)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contact_details_are_set_from_the_command_line_and_shown_in_the_footer() {
    let data = tempfile::tempdir().unwrap();
    let unknown = setting_set(data.path(), &["mat_khau", "x"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("Không có mục cài đặt"));
    let email = setting_set(data.path(), &["contact_email", "không phải thư"]);
    assert!(String::from_utf8_lossy(&email.stderr).contains("không hợp lệ"));
    let listed = setting_set(data.path(), &[]);
    assert!(String::from_utf8_lossy(&listed.stderr).contains("contact_phone"));

    for (key, value) in [
        ("contact_phone", "0221 3 861 234"),
        ("contact_email", "ubnd@duongquang.example.vn"),
    ] {
        let out = setting_set(data.path(), &[key, value]);
        assert!(out.status.success(), "{out:?}");
    }
    let server = Process::start(data.path(), 1000);
    let footer = reqwest::get(format!("{}/trang/lien-he", server.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(footer.contains("href=\"tel:02213861234\""));
    assert!(footer.contains("href=\"mailto:ubnd@duongquang.example.vn\""));
}

fn link(data: &Path, args: &[&str]) -> std::process::Output {
    cli(data, &["link"], args)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_pages_service_links_are_changed_from_the_command_line() {
    let data = tempfile::tempdir().unwrap();
    let listed = link(data.path(), &["list"]);
    let text = String::from_utf8_lossy(&listed.stdout).to_string();
    assert!(text.starts_with("1. Thủ tục hành chính"), "{text}");
    for (args, refusal) in [
        (vec!["add", "Trang lạ", "javascript:alert(1)"], "https://"),
        (vec!["add", "Trang lạ", "//evil.example"], "https://"),
        (vec!["add", "Trang lạ", "/\\evil.example/x"], "https://"),
        (
            vec!["add", "Trang lạ", "https://dichvucong.gov.vn@evil.example/"],
            "https://",
        ),
        (vec!["add", "", "/van-ban"], "từ 1 đến 100"),
        (vec!["remove", "9"], "Không có liên kết ở vị trí 9"),
        (vec!["remove", "0"], "Không có liên kết ở vị trí 0"),
    ] {
        let out = link(data.path(), &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(refusal),
            "{args:?}: {out:?}"
        );
    }
    let out = link(
        data.path(),
        &[
            "add",
            "Cổng Dịch vụ công tỉnh",
            "https://dichvucong.hungyen.gov.vn",
            "--description",
            "Thủ tục của tỉnh",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let out = link(data.path(), &["remove", "1"]);
    assert!(out.status.success(), "{out:?}");

    let server = Process::start(data.path(), 1000);
    let home = reqwest::get(format!("{}/", server.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("href=\"https://dichvucong.hungyen.gov.vn\""));
    assert!(home.contains("Thủ tục của tỉnh"));
    assert!(
        !home.contains("Tra cứu thành phần hồ sơ"),
        "the first one is gone"
    );
}

/// The resident memory of process `pid` and its peak so far, in MiB (`VmRSS`, `VmHWM`).
fn memory_mib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kb| kb.parse::<u64>().ok())
            .expect("a memory field")
            / 1024
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// 400 wrong sign-ins at once, each from its own address (behind a proxy that says so), as a
/// botnet would send them: a few password checks run at a time (each holds 19 MiB), the rest
/// wait briefly or are told the server is busy, and the memory goes back down afterwards.
/// Before the limit, 50 at once took the server from 26 MB to 1 GB, and it kept it.
#[tokio::test]
async fn a_burst_of_wrong_sign_ins_keeps_the_memory_bounded_and_gives_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = Process::start_with(
        dir.path(),
        1000,
        &[("PORTAL_CLIENT_IP_HEADER", "X-Forwarded-For")],
    );
    let pid = server.child.id();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let url = format!("{}/api/sign_in", server.base);
    let one = |i: usize| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            client
                .post(&url)
                .header(
                    "X-Forwarded-For",
                    format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256),
                )
                .form(&[("username", "quantri"), ("password", "không phải mật khẩu")])
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }
    };
    // One check first: the hash that unknown names are compared with exists after it.
    assert_eq!(one(100_000).await, 400);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (idle, _) = memory_mib(pid);
    let statuses = futures::future::join_all((0..400).map(one)).await;
    let (_, peak) = memory_mib(pid);
    let checked = statuses.iter().filter(|s| **s == 400).count();
    let busy = statuses.iter().filter(|s| **s == 503).count();
    assert_eq!(checked + busy, 400, "{statuses:?}");
    assert!(busy > 0 && checked >= 4, "checked {checked}, busy {busy}");
    assert!(peak < 300, "peak {peak} MiB (idle {idle} MiB)");
    // Back near the idle level once the burst is over.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (now, _) = memory_mib(pid);
        if now <= idle + 40 {
            eprintln!("sign-in burst: idle {idle} MiB, peak {peak} MiB, after {now} MiB; {checked} checked, {busy} told to retry");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "memory stayed at {now} MiB (idle {idle} MiB, peak {peak} MiB)"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
