use std::net::SocketAddr;
use std::path::PathBuf;

use app::model::Role;
use app::server::accounts::auth::{DisplayName, NewPassword, Username};
use app::server::accounts::{self, Actor};
use app::server::counting::counters::{Counters, CountingConfig};
use app::server::media::MediaConfig;
use app::server::site::weather::{WeatherConfig, WeatherService};
use leptos::prelude::LeptosOptions;
use reqwest::header::{ACCEPT, COOKIE, SET_COOKIE};
use server::{config::sqlite_url, Config, Portal};
use sqlx::SqlitePool;
use tokio::sync::{oneshot, Mutex, MutexGuard};

pub const SAMPLE_SLUG: &str =
    "ke-hoach-tuyen-truyen-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-papi-thanh-pho-hung-yen-nam-2022";
pub const SAMPLE_TITLE: &str =
    "Kế hoạch tuyên truyền nâng cao Chỉ số hiệu quả quản trị và hành chính công (PAPI) thành phố Hưng Yên năm 2022";
pub const SLOGAN: &str = "TOÀN ĐẢNG, TOÀN QUÂN, TOÀN DÂN XÃ DƯƠNG QUANG RA SỨC THI ĐUA THỰC HIỆN THẮNG LỢI KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2024";

/// A phone browser: requests of this client are a citizen reading.
pub const BROWSER_UA: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

/// The paragraphs of the sample post (shared/seed/sample-page.txt), trimmed.
pub const SAMPLE_PARAGRAPHS: [&str; 5] = [
    "Thực hiện Kế hoạch số 181/KH-UBND ngày 29/12/2021 của Ủy ban nhân dân thành phố Hưng Yên về việc nâng cao Chỉ số Hiệu quả quản trị và hành chính công (PAPI) thành phố Hưng Yên năm 2022.",
    "Ngày\u{a0} 17/01/2022 Ủy ban nhân dân thành phố ban hành Kế hoạch số 19/KH-UBND về Tuyên truyền nâng cao Chỉ số Hiệu quả quản trị và hành chính công (PAPI)\u{a0} thành phố Hưng Yên năm 2022. Nhằm phát huy sự tham gia của mọi tầng lớp Nhân dân vào quá trình xây dựng, thực thi và giám sát việc thực thi chính sách, góp phần nâng cao chất lượng điều hành, quản trị và hành chính công của bộ máy chính quyền các cấp, xây dựng nền hành chính minh bạch, liêm chính, chuyên nghiệp, thống nhất, nâng cao chất lượng phục vụ và uy tín của chính quyền các cấp với nhân dân.",
    "Xây dựng kế hoạch và đề ra giải pháp thực hiện điều hành lĩnh vực quản lý nhà nước được giao đảm bảo thông suốt, hiệu lực, hiệu quả, góp phần nâng cao chất lượng công tác chỉ đạo, điều hành, tổ chức thực hiện các nhiệm vụ cải cách hành chính của UBND thành phố.",
    "Kế hoạch Tuyên truyền nâng cao Chỉ số Hiệu quả quản trị và hành chính công (PAPI)\u{a0} thành phố Hưng Yên năm 2022 được triển khai đồng bộ đến các cấp chính quyền; tập trung trọng điểm tại các phường, xã trên địa bàn thành phố. Quá trình thực hiện cần kết hợp chặt chẽ với thực hiện nhiệm vụ chuyên môn của các phòng, ban, đơn vị và nhiệm vụ phát triển kinh tế - chính trị xã hội của thành phố; xác định cải thiện và nâng cao chỉ số PAPI là nhiệm vụ thường xuyên, lâu dài, kiên trì, liên tục của các cơ quan, đơn vị. Đẩy mạnh công tác tuyên truyền rộng rãi đến cả hệ thống chính trị, toàn xã hội, cải thiện đánh giá của người dân; góp phần cải thiện Chỉ số PAPI của thành phố.",
    "Toàn văn: Kế hoạch số 19/KH-UBND ngày 17/01/2022 của Ủy ban nhân dân thành phố Hưng Yên.",
];

/// Tests run one portal at a time. Several Leptos servers, each on its own test runtime,
/// running at once in one process were seen to stall a request now and then (about every other run);
/// one server per process, as in production, never did (1,600 requests, 16 at a time).
static SERIAL: Mutex<()> = Mutex::const_new(());

/// The runtime every test portal runs on. Serving each portal on its own test's runtime (which
/// ends with the test) still stalled a request about once in three full runs, with all threads
/// idle: something process-wide in the stack had bound itself to an earlier test's runtime.
/// One runtime for all servers is how the portal runs in production.
fn server_runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("test-portals")
            .build()
            .expect("the test portals' runtime")
    })
}

/// A running portal on its own database file.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub db_path: PathBuf,
    pub pool: SqlitePool,
    pub counters: Counters,
    pub weather: WeatherService,
    /// The server's own pool, for flushing as its timer does.
    pub server_pool: SqlitePool,
    /// The portal's clock: a test moves it (`advance`) instead of sleeping.
    pub clock: app::server::time::Clock,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: Option<tempfile::TempDir>,
    _serial: MutexGuard<'static, ()>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(Settings::default()).await
    }

    /// A portal counting with `counting` on a fresh database.
    pub async fn spawn_counting(counting: CountingConfig) -> TestApp {
        TestApp::spawn_with(Settings {
            counting,
            ..Settings::default()
        })
        .await
    }

    /// A portal whose weather comes from `weather` (a fake service), on a fresh database.
    pub async fn spawn_weather(weather: WeatherConfig) -> TestApp {
        TestApp::spawn_with(Settings {
            weather,
            ..Settings::default()
        })
        .await
    }

    /// A portal set up with `settings` on a fresh database.
    pub async fn spawn_with(settings: Settings) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = TestApp::spawn_on_with(dir.path().join("portal.db"), settings).await;
        app._dir = Some(dir);
        app
    }

    /// Starts a portal on an existing (or new) database file.
    pub async fn spawn_on(db_path: PathBuf) -> TestApp {
        TestApp::spawn_on_with(db_path, Settings::default()).await
    }

    /// Starts a portal on `db_path` with `settings`.
    pub async fn spawn_on_with(db_path: PathBuf, settings: Settings) -> TestApp {
        let Settings {
            counting,
            weather,
            thumbnails,
            auth,
            site_root,
            backups,
            disk_min_free_bytes,
            form_min_seconds,
            questions_per_hour,
            mail,
            connections,
        } = settings;
        let serial = SERIAL.lock().await;
        let leptos_options = LeptosOptions::builder()
            .output_name("portal")
            .site_root(site_root)
            .build();
        let config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            database_url: sqlite_url(&db_path),
            leptos_options,
            counting,
            auth,
            weather,
            media: MediaConfig {
                dir: db_path.parent().expect("a directory").join("media"),
                max_video_bytes: 1024 * 1024,
                max_attachment_bytes: 8 * 1024 * 1024,
                thumbnail_base: thumbnails,
            },
            public_url: None,
            page_cache_bytes: 64 * 1024 * 1024,
            data_dir: db_path.parent().expect("a directory").to_path_buf(),
            backups,
            disk_min_free_bytes,
            form_min_seconds,
            questions_per_hour,
            mail,
            connections,
        };
        // The portal is built and served on the one server runtime, as in production; the
        // test's own runtime only drives the client.
        let (stop, stopped) = oneshot::channel::<()>();
        let (ready, started) = oneshot::channel();
        let server = server_runtime().spawn(async move {
            let portal = Portal::build(config).await.expect("portal starts");
            let _ = ready.send((
                portal.local_addr(),
                portal.state.counters.clone(),
                portal.state.weather.clone(),
                portal.state.pool.clone(),
                portal.state.clock.clone(),
            ));
            portal
                .serve(async {
                    let _ = stopped.await;
                })
                .await
        });
        let (addr, counters, weather, server_pool, clock) = started.await.expect("portal starts");
        // A separate pool on the same file, for checking what the server wrote.
        let pool = SqlitePool::connect(&sqlite_url(&db_path))
            .await
            .expect("test pool");
        TestApp {
            addr,
            client: reqwest::Client::builder()
                .user_agent(BROWSER_UA)
                .redirect(reqwest::redirect::Policy::none())
                // A stalled answer fails its test instead of holding CI to its limit.
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .unwrap(),
            db_path,
            pool,
            counters,
            weather,
            server_pool,
            clock,
            stop: Some(stop),
            server: Some(server),
            _dir: None,
            _serial: serial,
        }
    }

    /// Stops the server gracefully and waits until it has closed its database.
    pub async fn stop(mut self) -> PathBuf {
        self.pool.close().await;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task")
                .expect("server stops cleanly");
        }
        self.db_path.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A GET as a browser loading a page, with the given cookie (if any).
    pub async fn page(&self, path: &str, cookie: Option<&str>) -> Page {
        let mut req = self.client.get(self.url(path)).header(ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            req = req.header(COOKIE, cookie);
        }
        Page::read(req.send().await.expect("request")).await
    }

    /// Writes the counts still in the server's memory, as its timer would.
    pub async fn flush(&self) {
        self.counters
            .flush(&self.server_pool)
            .await
            .expect("counters written");
    }

    /// The visit counter as a page shows it, asked by a browser whose visit is already counted.
    pub async fn visits_shown(&self) -> String {
        let known = format!("portal_visit=00000000000000ff.{}", self.clock.now());
        self.page("/", Some(&known))
            .await
            .test_text("visit-count")
            .expect("the sidebar shows the visits")
    }

    /// The visit counter in the database, after a flush.
    pub async fn visits(&self) -> i64 {
        self.flush().await;
        sqlx::query_scalar("SELECT value FROM counters WHERE name = 'visits'")
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// The view count in the database, after a flush.
    pub async fn views(&self, slug: &str) -> i64 {
        self.flush().await;
        sqlx::query_scalar("SELECT view_count FROM posts WHERE slug = ?")
            .bind(slug)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// Creates an account, as `server user add` would; returns its id.
    pub async fn add_user(&self, username: &str, role: Role, password: &str) -> i64 {
        accounts::create(
            &self.pool,
            &Default::default(),
            &Actor::command_line(),
            &Username::parse(username).unwrap(),
            &DisplayName::parse(&format!("Cán bộ {username}")).unwrap(),
            role,
            NewPassword::parse(password).unwrap(),
        )
        .await
        .expect("account created")
    }

    /// Signs in through the server function; the session cookie (`name=value`) on success.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<String, (u16, String)> {
        let res = self
            .client
            .post(self.url("/api/sign_in"))
            .form(&[("username", username), ("password", password)])
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        let cookie = res
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("portal_session="))
            .map(|v| v.split(';').next().unwrap().to_string());
        let body = res.text().await.unwrap_or_default();
        match (status, cookie) {
            (200, Some(cookie)) => Ok(cookie),
            _ => Err((status, body)),
        }
    }

    /// A server function called with `form`, as the browser of `cookie` (if any).
    pub async fn call(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> (u16, String) {
        let mut req = self
            .client
            .post(self.url(&format!("/api/{endpoint}")))
            .form(form);
        if let Some(cookie) = cookie {
            req = req.header(COOKIE, cookie);
        }
        let res = req.send().await.expect("request");
        (res.status().as_u16(), res.text().await.unwrap_or_default())
    }

    /// Calls a server function whose input is JSON (`{"arg": value}`); the answer as JSON (or
    /// `Value::String` of its text when it is not JSON).
    pub async fn call_json(
        &self,
        endpoint: &str,
        body: &serde_json::Value,
        cookie: Option<&str>,
    ) -> (u16, serde_json::Value) {
        let mut req = self
            .client
            .post(self.url(&format!("/api/{endpoint}")))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        if let Some(cookie) = cookie {
            req = req.header(COOKIE, cookie);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        let value = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        (status, value)
    }

    /// A GET server function's answer as JSON.
    pub async fn get_json(&self, path: &str, cookie: Option<&str>) -> (u16, serde_json::Value) {
        let mut req = self.client.get(self.url(path));
        if let Some(cookie) = cookie {
            req = req.header(COOKIE, cookie);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        let value = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        (status, value)
    }

    /// Adds `n` published posts dated after the sample post, as an editor would have.
    pub async fn add_posts(&self, n: usize) {
        for i in 1..=n {
            sqlx::query(
                "INSERT INTO posts (slug, title, lead, body_html, status, published_at)
                 VALUES (?, ?, ?, '<p>Nội dung.</p>', 'published', ?)",
            )
            .bind(format!("thong-bao-so-{i}"))
            .bind(format!("Thông báo số {i}"))
            .bind(format!("Tóm tắt thông báo số {i}."))
            .bind(format!("2024-01-01 08:{:02}:{:02}", i / 60, i % 60))
            .execute(&self.pool)
            .await
            .unwrap();
        }
    }
}

/// Nothing listens there: no test calls a real service on the internet.
const NOWHERE: &str = "http://127.0.0.1:9";

/// How a test portal is set up; uploads are limited to 1 MiB.
pub struct Settings {
    pub counting: CountingConfig,
    pub weather: WeatherConfig,
    /// Where YouTube thumbnails come from.
    pub thumbnails: String,
    pub auth: app::server::accounts::auth::AuthConfig,
    /// Where the built assets are (`pkg/` under it).
    pub site_root: String,
    /// Scheduled backups (none by default).
    pub backups: app::server::operations::backups::BackupConfig,
    /// `/healthz` asks for a person below this much free space.
    pub disk_min_free_bytes: u64,
    /// A citizen's form sent sooner than this after it was given out is refused (0 here).
    pub form_min_seconds: u64,
    /// Questions and comments an address may send in an hour (many here).
    pub questions_per_hour: i64,
    /// Where e-mails to citizens go (none by default).
    pub mail: Option<server::mail::MailConfig>,
    /// Time limits and shares of connections: the server's, but no share per address, since
    /// every test browser comes from 127.0.0.1 (`limits.rs` sets one).
    pub connections: server::connections::ConnectionLimits,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            counting: CountingConfig::default(),
            weather: WeatherConfig {
                base_url: NOWHERE.into(),
                ..WeatherConfig::default()
            },
            thumbnails: NOWHERE.into(),
            auth: Default::default(),
            site_root: "target/site".into(),
            backups: Default::default(),
            disk_min_free_bytes: 0,
            form_min_seconds: 0,
            questions_per_hour: 1000,
            mail: None,
            connections: server::connections::ConnectionLimits {
                per_address: None,
                ..Default::default()
            },
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub struct Page {
    pub status: u16,
    pub body: String,
    pub set_cookie: Option<String>,
    pub content_type: String,
}

impl Page {
    pub async fn read(res: reqwest::Response) -> Page {
        let status = res.status().as_u16();
        let set_cookie = res
            .headers()
            .get(SET_COOKIE)
            .map(|v| v.to_str().unwrap().to_string());
        let content_type = res
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = res.text().await.expect("body");
        Page {
            status,
            body,
            set_cookie,
            content_type,
        }
    }

    /// The `name=value` part of the Set-Cookie header.
    pub fn cookie(&self) -> String {
        self.set_cookie
            .as_deref()
            .expect("a Set-Cookie header")
            .split(';')
            .next()
            .unwrap()
            .to_string()
    }

    /// The text of the element marked `data-test="<name>"`, tags stripped.
    pub fn test_text(&self, name: &str) -> Option<String> {
        let marker = format!("data-test=\"{name}\"");
        let start = self.body.find(&marker)?;
        let open_end = start + self.body[start..].find('>')? + 1;
        let rest = &self.body[open_end..];
        let tag_start = self.body[..start].rfind('<')? + 1;
        let tag: String = self.body[tag_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let close = rest.find(&format!("</{tag}>"))?;
        Some(strip_tags(&rest[..close]))
    }

    /// How many elements are marked `data-test="<name>"`.
    pub fn count(&self, name: &str) -> usize {
        self.body.matches(&format!("data-test=\"{name}\"")).count()
    }
}

/// Text of an HTML fragment: tags and comments removed, the common entities decoded.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Runs `server <command> <args>` on the data directory `data` (no other database, no
/// backup directory from the environment); what it printed is in the output.
pub fn cli(data: &std::path::Path, command: &[&str], args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(command)
        .args(args)
        .env("PORTAL_DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .env_remove("DATABASE_URL")
        .env_remove("PORTAL_BACKUP_DIR")
        .output()
        .expect("the server binary starts")
}

/// The sum a citizen's form asks, answered from its words ("Bảy cộng hai bằng mấy?").
pub fn solve(body: &str) -> String {
    let words = [
        "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    ];
    let start = body.find("data-challenge=\"").expect("a challenge") + 16;
    let question = body[start..].split('"').next().unwrap().to_lowercase();
    let mut parts = question.split(" cộng ");
    let a = parts.next().unwrap().trim();
    let b = parts.next().unwrap().split(" bằng").next().unwrap().trim();
    let n = |w: &str| words.iter().position(|x| *x == w).expect("a number word");
    (n(a) + n(b)).to_string()
}

/// The ticket of a citizen's form.
pub fn form_ticket(body: &str) -> String {
    let start = body
        .find("name=\"phieu\" value=\"")
        .unwrap_or_else(|| panic!("a ticket in {}", strip_tags(body)))
        + 20;
    body[start..].split('"').next().unwrap().to_string()
}

/// A form posted by the browser itself (urlencoded), as `cookie` if any: the status, the
/// redirect and the page answered.
pub async fn post_form(
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> (u16, String, Page) {
    let mut req = app
        .client
        .post(app.url(path))
        .header("Origin", app.url(""))
        .form(form);
    if let Some(cookie) = cookie {
        req = req.header(COOKIE, cookie);
    }
    let res = req.send().await.unwrap();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (res.status().as_u16(), location, Page::read(res).await)
}

/// `settings` for a portal that reads the client's address from `X-Forwarded-For`, as behind
/// one proxy.
pub fn behind_a_proxy(settings: Settings) -> Settings {
    Settings {
        auth: app::server::accounts::auth::AuthConfig {
            client_ip_header: Some("x-forwarded-for".into()),
            trusted_proxies: 1,
            ..Default::default()
        },
        ..settings
    }
}
