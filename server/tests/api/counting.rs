//! Views and visits: counted in memory, shown at once, written in batches, exactly.

use std::time::Duration;

use app::server::counting::counters::CountingConfig;

use crate::helpers::*;

/// Counting that never writes on its own: only the tests' explicit flushes do.
fn no_timer() -> CountingConfig {
    CountingConfig {
        flush_interval: Duration::from_secs(3600),
        ..CountingConfig::default()
    }
}

fn post_path() -> String {
    format!("/bai-viet/{SAMPLE_SLUG}")
}

async fn shown_views(app: &TestApp, cookie: Option<&str>) -> String {
    app.page(&post_path(), cookie)
        .await
        .test_text("view-count")
        .expect("the post page shows its views")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_views_from_distinct_browsers_count_exactly() {
    let app = TestApp::spawn_counting(no_timer()).await;
    const N: i64 = 200;
    let mut readers = tokio::task::JoinSet::new();
    for _ in 0..N {
        let client = app.client.clone();
        let url = app.url(&post_path());
        readers.spawn(async move {
            let res = client
                .get(url)
                .header("Accept", "text/html")
                .send()
                .await
                .expect("request");
            assert_eq!(res.status(), 200);
            assert!(res.headers().contains_key("set-cookie"), "a new browser");
        });
    }
    while let Some(done) = readers.join_next().await {
        done.unwrap();
    }
    // Shown before anything is written, and written exactly once.
    assert_eq!(app.visits_shown().await, "42.360.082");
    assert_eq!(app.views(SAMPLE_SLUG).await, 6 + N);
    assert_eq!(app.visits().await, 42_359_882 + N);
    let (days, views): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), SUM(views) FROM post_views_daily")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((days, views), (1, N), "one row for the post and today");
    let visits: i64 = sqlx::query_scalar("SELECT SUM(visits) FROM site_visits_daily")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(visits, N);
    assert_eq!(shown_views(&app, None).await, "Lượt xem 207");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_shown_include_views_not_yet_written_and_never_twice() {
    let app = TestApp::spawn_counting(no_timer()).await;
    assert_eq!(shown_views(&app, None).await, "Lượt xem 7");
    assert_eq!(shown_views(&app, None).await, "Lượt xem 8");
    let stored: i64 = sqlx::query_scalar("SELECT view_count FROM posts WHERE slug = ?")
        .bind(SAMPLE_SLUG)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 6, "nothing written before the flush");
    assert_eq!(app.views(SAMPLE_SLUG).await, 8);
    assert_eq!(shown_views(&app, None).await, "Lượt xem 9");
    // The home page's list shows the same number.
    let home = app.page("/", None).await;
    assert_eq!(home.test_text("view-count").as_deref(), Some("Lượt xem 9"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_reopening_a_post_within_the_window_counts_once() {
    let app = TestApp::spawn_counting(no_timer()).await;
    let first = app.page(&post_path(), None).await;
    let cookie = first.cookie();
    assert_eq!(first.test_text("view-count").as_deref(), Some("Lượt xem 7"));
    for _ in 0..3 {
        assert_eq!(shown_views(&app, Some(&cookie)).await, "Lượt xem 7");
        let res = app
            .client
            .post(app.url("/api/open_post"))
            .header("Cookie", &cookie)
            .form(&[("slug", SAMPLE_SLUG)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        // A citizen's page following a link in place fetches the post (`reading_pages.js`).
        let res = app
            .client
            .get(app.url(&post_path()))
            .header("Cookie", &cookie)
            .header("Sec-Fetch-Dest", "empty")
            .header("Portal-Navigation", "in-place")
            .send()
            .await
            .unwrap();
        let page = Page::read(res).await;
        assert_eq!(page.status, 200);
        assert_eq!(page.test_text("view-count").as_deref(), Some("Lượt xem 7"));
    }
    // Another browser counts.
    assert_eq!(shown_views(&app, None).await, "Lượt xem 8");
    assert_eq!(app.views(SAMPLE_SLUG).await, 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_window_the_same_browser_counts_again() {
    let app = TestApp::spawn_counting(CountingConfig {
        repeat_view_window: Duration::from_secs(60),
        ..no_timer()
    })
    .await;
    let cookie = app.page(&post_path(), None).await.cookie();
    assert_eq!(shown_views(&app, Some(&cookie)).await, "Lượt xem 7");
    app.clock.advance(59);
    assert_eq!(
        shown_views(&app, Some(&cookie)).await,
        "Lượt xem 7",
        "within the window"
    );
    app.clock.advance(2);
    assert_eq!(shown_views(&app, Some(&cookie)).await, "Lượt xem 8");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_back_after_the_idle_time_starts_a_new_visit() {
    let app = TestApp::spawn_counting(no_timer()).await;
    let first = app.page("/", None).await;
    let cookie = first.cookie();
    let id = cookie
        .strip_prefix("portal_visit=")
        .and_then(|v| v.split('.').next())
        .expect("an identifier")
        .to_string();
    assert_eq!(id.len(), 16);
    assert_eq!(app.visits().await, 42_359_883);

    // 29 minutes after its last request: the same visit, and its cookie gets the new time.
    let recent = format!("portal_visit={id}.{}", app.clock.now() - 29 * 60);
    let page = app.page("/", Some(&recent)).await;
    let renewed = page.cookie();
    assert!(
        renewed.starts_with(&format!("portal_visit={id}.")),
        "{renewed}"
    );
    assert_eq!(app.visits().await, 42_359_883);

    // 31 minutes: a new visit of the same browser.
    let idle = format!("portal_visit={id}.{}", app.clock.now() - 31 * 60);
    let page = app.page("/", Some(&idle)).await;
    assert_eq!(page.test_text("visit-count").as_deref(), Some("42.359.884"));
    assert!(page.cookie().starts_with(&format!("portal_visit={id}.")));
    assert_eq!(app.visits().await, 42_359_884);

    // Client-side navigation after a long pause is activity too.
    let idle = format!("portal_visit={id}.{}", app.clock.now() - 40 * 60);
    let res = app
        .client
        .post(app.url("/api/open_post"))
        .header("Cookie", idle)
        .form(&[("slug", SAMPLE_SLUG)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("set-cookie"));
    assert_eq!(app.visits().await, 42_359_885);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_flush_keeps_the_counts_and_the_next_one_writes_them() {
    let app = TestApp::spawn_counting(no_timer()).await;
    // The database refuses the counters' writes, as a full disk would.
    sqlx::query(
        "CREATE TRIGGER refuse_counts BEFORE INSERT ON post_views_daily
         BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    for _ in 0..5 {
        app.page(&post_path(), None).await;
    }
    assert!(app.counters.flush(&app.server_pool).await.is_err());
    assert!(app.counters.flush(&app.server_pool).await.is_err());
    // Pages still answer, with every view counted.
    let started = std::time::Instant::now();
    assert_eq!(shown_views(&app, None).await, "Lượt xem 12");
    assert!(started.elapsed() < Duration::from_secs(1));
    let stored: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT view_count FROM posts WHERE slug = ?),
                (SELECT value FROM counters WHERE name = 'visits')",
    )
    .bind(SAMPLE_SLUG)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(stored, (6, 42_359_882), "a failed flush writes nothing");

    sqlx::query("DROP TRIGGER refuse_counts")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.views(SAMPLE_SLUG).await, 12);
    assert_eq!(app.visits().await, 42_359_888);
    assert_eq!(shown_views(&app, None).await, "Lượt xem 13");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_timer_writes_the_counts_within_the_interval() {
    let app = TestApp::spawn_counting(CountingConfig {
        flush_interval: Duration::from_millis(100),
        ..CountingConfig::default()
    })
    .await;
    app.page(&post_path(), None).await;
    // No flush from the test: the timer's own write is awaited, up to a deadline.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let stored: i64 = sqlx::query_scalar("SELECT view_count FROM posts WHERE slug = ?")
            .bind(SAMPLE_SLUG)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        if stored == 7 {
            break;
        }
        assert_eq!(stored, 6);
        assert!(
            std::time::Instant::now() < deadline,
            "the timer did not write"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_counting_off_nothing_counts_and_no_cookie_is_set() {
    let app = TestApp::spawn_counting(CountingConfig {
        enabled: false,
        ..CountingConfig::default()
    })
    .await;
    let page = app.page(&post_path(), None).await;
    assert_eq!(page.test_text("view-count").as_deref(), Some("Lượt xem 6"));
    assert!(page.set_cookie.is_none());
    assert_eq!(app.views(SAMPLE_SLUG).await, 6);
    assert_eq!(app.visits().await, 42_359_882);
}

/// Another site's page that loads a post as an image or a frame counts no view: only a reader
/// opening it does, also when they come by a link from another site.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_site_embedding_a_post_counts_no_view() {
    let app = TestApp::spawn_counting(no_timer()).await;
    let from_another_site = |dest: &'static str| {
        app.client
            .get(app.url(&post_path()))
            .header("Sec-Fetch-Dest", dest)
            .header("Sec-Fetch-Site", "cross-site")
            .send()
    };
    for dest in ["image", "iframe", "script"] {
        assert_eq!(from_another_site(dest).await.unwrap().status(), 200);
    }
    assert_eq!(app.views(SAMPLE_SLUG).await, 6);
    // A link followed from another site.
    assert_eq!(from_another_site("document").await.unwrap().status(), 200);
    assert_eq!(app.views(SAMPLE_SLUG).await, 7);
}
