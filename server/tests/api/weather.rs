//! The weather widget against a fake weather service on loopback that answers in Open-Meteo's
//! format: good, slow, failing and malformed answers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::model::Role;
use app::server::site::weather::WeatherConfig;
use axum::{extract::State, http::StatusCode, response::IntoResponse, routing::get, Router};

use crate::helpers::*;

/// An answer of the real API (2026-11-27, Hưng Yên), trimmed of nothing.
const FORECAST: &str = r#"{"latitude":20.625,"longitude":106.0625,"generationtime_ms":0.07,"utc_offset_seconds":25200,"timezone":"Asia/Ho_Chi_Minh","timezone_abbreviation":"GMT+7","elevation":5.0,"current_units":{"time":"iso8601","interval":"seconds","temperature_2m":"°C","relative_humidity_2m":"%","weather_code":"wmo code","wind_speed_10m":"km/h","wind_direction_10m":"°"},"current":{"time":"2026-11-27T14:30","interval":900,"temperature_2m":24.6,"relative_humidity_2m":78,"weather_code":80,"wind_speed_10m":9.4,"wind_direction_10m":135},"daily_units":{"time":"iso8601","weather_code":"wmo code","temperature_2m_max":"°C","temperature_2m_min":"°C","precipitation_probability_max":"%"},"daily":{"time":["2026-11-27","2026-11-28","2026-11-29","2026-11-30"],"weather_code":[80,3,61,0],"temperature_2m_max":[26.1,25.0,23.4,27.9],"temperature_2m_min":[19.8,18.2,17.5,16.9],"precipitation_probability_max":[70,20,85,0]}}"#;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Good,
    Slow,
    Failing,
    Malformed,
}

#[derive(Clone)]
struct Fake {
    mode: Arc<Mutex<Mode>>,
    calls: Arc<AtomicUsize>,
    last_query: Arc<Mutex<String>>,
    url: String,
}

impl Fake {
    async fn start(mode: Mode) -> Fake {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let fake = Fake {
            mode: Arc::new(Mutex::new(mode)),
            calls: Arc::new(AtomicUsize::new(0)),
            last_query: Arc::new(Mutex::new(String::new())),
            url: format!("http://{}", listener.local_addr().unwrap()),
        };
        let app = Router::new()
            .route("/v1/forecast", get(forecast))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        fake
    }

    fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    fn config(&self) -> WeatherConfig {
        WeatherConfig {
            base_url: self.url.clone(),
            timeout: Duration::from_millis(500),
            ..WeatherConfig::default()
        }
    }
}

async fn forecast(
    State(fake): State<Fake>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> impl IntoResponse {
    fake.calls.fetch_add(1, Ordering::SeqCst);
    *fake.last_query.lock().unwrap() = query.unwrap_or_default();
    let mode = *fake.mode.lock().unwrap();
    match mode {
        Mode::Good => (StatusCode::OK, FORECAST.to_string()),
        Mode::Slow => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            (StatusCode::OK, FORECAST.to_string())
        }
        Mode::Failing => (
            StatusCode::BAD_REQUEST,
            r#"{"error":true,"reason":"Cannot initialize WeatherVariable from invalid String value"}"#
                .to_string(),
        ),
        Mode::Malformed => (StatusCode::OK, r#"{"current":{"temperature_2m":"#.to_string()),
    }
}

/// The sidebar of the home page, read by a browser whose visit is already counted.
async fn widget(app: &TestApp) -> Page {
    let started = Instant::now();
    let page = app
        .page(
            "/",
            Some(&format!(
                "portal_visit=00000000000000ff.{}",
                app.clock.now()
            )),
        )
        .await;
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "the page waited for the weather service: {:?}",
        started.elapsed()
    );
    page
}

/// Waits until the fake has been called `n` times.
async fn called(fake: &Fake, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while fake.calls() < n {
        assert!(
            Instant::now() < deadline,
            "the weather service was not called"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Let the answer be stored.
    tokio::time::sleep(Duration::from_millis(100)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sidebar_shows_the_service_s_weather_in_vietnamese_from_one_call() {
    let fake = Fake::start(Mode::Good).await;
    let app = TestApp::spawn_weather(fake.config()).await;
    called(&fake, 1).await;
    let query = fake.last_query.lock().unwrap().clone();
    assert!(
        query.contains("latitude=20.6464&longitude=106.0511"),
        "{query}"
    );
    assert!(query.contains("timezone=Asia%2FHo_Chi_Minh"), "{query}");

    let page = widget(&app).await;
    let text = page.test_text("weather").expect("the widget");
    for expected in [
        "Hưng Yên",
        "25 °C",
        "Mưa rào nhẹ",
        "Độ ẩm78 %",
        "9 km/h, hướng Đông Nam",
        "Thứ Bảy 28/11",
        "18–25 °C",
        "Mưa 20 %",
        "Chủ nhật 29/11",
        "Cập nhật lúc",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text:?}");
    }
    assert!(page.body.contains(r#"role="img" aria-label="Nhiều mây""#));
    // A thousand readers, no more calls: the answer is shared.
    for _ in 0..50 {
        widget(&app).await;
    }
    assert_eq!(fake.calls(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_failing_or_garbled_service_never_delays_pages_and_the_last_good_data_stays() {
    let fake = Fake::start(Mode::Slow).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("portal.db");
    let app = TestApp::spawn_on_with(
        db.clone(),
        Settings {
            weather: fake.config(),
            ..Settings::default()
        },
    )
    .await;
    called(&fake, 1).await;
    let page = widget(&app).await;
    assert_eq!(
        page.test_text("weather-none").as_deref(),
        Some("Chưa có dữ liệu thời tiết.")
    );
    assert!(app
        .weather
        .refresh(&app.server_pool, &app.clock)
        .await
        .unwrap_err()
        .contains("no answer"));

    fake.set(Mode::Good);
    app.weather
        .refresh(&app.server_pool, &app.clock)
        .await
        .unwrap();
    let good = widget(&app).await.test_text("weather-time").unwrap();

    for mode in [Mode::Failing, Mode::Malformed, Mode::Slow] {
        fake.set(mode);
        let err = app
            .weather
            .refresh(&app.server_pool, &app.clock)
            .await
            .unwrap_err();
        assert!(!err.is_empty(), "{mode:?}");
        let page = widget(&app).await;
        assert_eq!(
            page.test_text("weather-condition").as_deref(),
            Some("Mưa rào nhẹ"),
            "{mode:?}"
        );
        assert_eq!(
            page.test_text("weather-time").as_deref(),
            Some(good.as_str())
        );
    }

    // After a restart, with the service down, the stored answer is shown at once.
    app.stop().await;
    fake.set(Mode::Failing);
    let again = TestApp::spawn_on_with(
        db,
        Settings {
            weather: fake.config(),
            ..Settings::default()
        },
    )
    .await;
    assert_eq!(
        widget(&again).await.test_text("weather-time").as_deref(),
        Some(good.as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_move_the_widget_and_the_service_is_asked_for_the_new_place() {
    let fake = Fake::start(Mode::Good).await;
    let app = TestApp::spawn_weather(fake.config()).await;
    called(&fake, 1).await;
    app.add_user("quantri", Role::Admin, "mật khẩu quản trị 1")
        .await;
    app.add_user("bientap", Role::Editor, "mật khẩu biên tập 1")
        .await;
    let admin = app.sign_in("quantri", "mật khẩu quản trị 1").await.unwrap();
    let editor = app.sign_in("bientap", "mật khẩu biên tập 1").await.unwrap();
    let place = [
        ("name", "Dương Quang"),
        ("latitude", "20,9716"),
        ("longitude", "105,9870"),
    ];

    assert_eq!(app.call("set_weather_place", &place, None).await.0, 401);
    assert_eq!(
        app.call("set_weather_place", &place, Some(&editor)).await.0,
        403
    );
    let (status, body) = app
        .call(
            "set_weather_place",
            &[
                ("name", "Dương Quang"),
                ("latitude", "200"),
                ("longitude", "105"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        body.contains("Vĩ độ phải là một số từ -90 đến 90"),
        "{body}"
    );
    assert_eq!(fake.calls(), 1);

    let (status, body) = app.call("set_weather_place", &place, Some(&admin)).await;
    assert_eq!(status, 200, "{body}");
    called(&fake, 2).await;
    let query = fake.last_query.lock().unwrap().clone();
    assert!(
        query.contains("latitude=20.9716&longitude=105.987"),
        "{query}"
    );
    assert!(widget(&app)
        .await
        .test_text("weather")
        .unwrap()
        .contains("Dương Quang"));
    let audit: String = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audit, "Đổi địa điểm thời tiết");
}
