use app::model::Role;
use unicode_normalization::is_nfc;

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_shows_the_commune_the_slogan_and_the_sample_post() {
    let app = TestApp::spawn().await;
    let page = app.page("/", None).await;
    assert_eq!(page.status, 200);
    assert!(
        page.content_type.starts_with("text/html"),
        "{}",
        page.content_type
    );
    assert!(page.body.contains("<html lang=\"vi\""));
    assert!(page.body.contains("Xã Dương Quang"));
    assert_eq!(page.test_text("slogan").as_deref(), Some(SLOGAN));
    assert_eq!(page.count("post-card"), 1);
    assert!(page.body.contains(SAMPLE_TITLE));
    assert!(page
        .body
        .contains(&format!("href=\"/bai-viet/{SAMPLE_SLUG}\"")));
    assert!(page.body.contains("14/03/2022"));
    assert_eq!(page.test_text("view-count").as_deref(), Some("Lượt xem 6"));
    assert!(
        page.body.contains(SAMPLE_PARAGRAPHS[0]),
        "the lead paragraph is listed"
    );
    // This page load is the browser's first: its visit is counted and shown.
    assert_eq!(page.test_text("visit-count").as_deref(), Some("42.359.883"));
    assert!(is_nfc(&page.body));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_has_a_readable_url_and_shows_the_sample_text_exactly() {
    let app = TestApp::spawn().await;
    let page = app.page(&format!("/bai-viet/{SAMPLE_SLUG}"), None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!(
        "<title>{SAMPLE_TITLE} – Cổng thông tin điện tử xã Dương Quang</title>"
    )));
    assert!(page.body.contains("14/03/2022"));
    // The sample said "Lượt xem 6"; this opening is the seventh.
    assert_eq!(page.test_text("view-count").as_deref(), Some("Lượt xem 7"));
    let post = page.test_text("post").expect("the post article");
    for paragraph in SAMPLE_PARAGRAPHS {
        assert!(post.contains(paragraph), "missing paragraph: {paragraph}");
    }
    assert!(is_nfc(&page.body));
    // The URL is the slug of the title.
    assert_eq!(
        app::server::slug::Slug::from_title(SAMPLE_TITLE)
            .unwrap()
            .as_str(),
        SAMPLE_SLUG
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_urls_get_a_vietnamese_404_page() {
    let app = TestApp::spawn().await;
    for path in [
        "/khong-co-trang-nay",
        "/bai-viet/khong-co-bai-nay",
        "/bai-viet/a/b",
        "/pkg/khong-co.js",
    ] {
        let page = app.page(path, None).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(
            page.body.contains("Không tìm thấy"),
            "{path}: {}",
            page.body
        );
        // Still the whole frame, so the citizen can go on from here.
        assert!(page.body.contains("Xã Dương Quang"), "{path}");
        assert!(page.body.contains("href=\"/\""), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_are_paginated_newest_first() {
    let app = TestApp::spawn().await;
    app.add_posts(25).await; // with the sample post: 26 posts, 3 pages of 10
    let first = app.page("/", None).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.count("post-card"), 10);
    let newest = first
        .body
        .find("Thông báo số 25<")
        .expect("newest post on page 1");
    let older = first
        .body
        .find("Thông báo số 24<")
        .expect("next newest on page 1");
    assert!(newest < older, "newest first");
    assert!(first.body.contains("href=\"/?trang=2\""));
    assert!(first.body.contains("href=\"/?trang=3\""));

    let last = app.page("/?trang=3", None).await;
    assert_eq!(last.status, 200);
    assert_eq!(last.count("post-card"), 6);
    assert!(
        last.body.contains(SAMPLE_TITLE),
        "the oldest post is on the last page"
    );
    assert!(last.body.contains("aria-current=\"page\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_page_numbers_get_a_vietnamese_answer_and_the_right_status() {
    let app = TestApp::spawn().await;
    for (query, status) in [
        ("abc", 400),
        ("0", 400),
        ("-2", 400),
        ("1.5", 400),
        ("99999999999999999999", 400),
        ("2", 404),
        ("1000", 404),
    ] {
        let page = app.page(&format!("/?trang={query}"), None).await;
        assert_eq!(page.status, status, "?trang={query}");
        let error = page.test_text("error").expect("an error message");
        assert!(error.contains("trang"), "?trang={query}: {error}");
        assert!(page.body.contains("Xã Dương Quang"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_url_gets_414_in_vietnamese() {
    let app = TestApp::spawn().await;
    let page = app.page(&format!("/?q={}", "a".repeat(5000)), None).await;
    assert_eq!(page.status, 414);
    assert!(page.body.contains("Địa chỉ quá dài"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_errors_are_generic_not_sql() {
    let app = TestApp::spawn().await;
    sqlx::query("DROP TABLE posts")
        .execute(&app.pool)
        .await
        .unwrap();
    let page = app.page("/", None).await;
    assert_eq!(page.status, 500);
    assert!(page.body.contains("Hệ thống đang gặp sự cố"));
    for leak in ["no such table", "SELECT", "sqlx", "posts WHERE"] {
        assert!(!page.body.contains(leak), "leaked {leak:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_start_on_the_same_database_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("portal.db");
    let first = TestApp::spawn_on(db.clone()).await;
    let visits = first.visits().await;
    first.stop().await;
    let second = TestApp::spawn_on(db).await;
    let posts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM posts WHERE kind = 'post'")
        .fetch_one(&second.pool)
        .await
        .unwrap();
    let settings: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM site_settings")
        .fetch_one(&second.pool)
        .await
        .unwrap();
    assert_eq!(posts, 1);
    // Commune name, site title, slogan, the weather's place (3), the current clip, the
    // owner's agency, person responsible, address, phone and e-mail, the province, office
    // hours, licence, map place and emblem.
    assert_eq!(settings, 17);
    let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&second.pool)
        .await
        .unwrap();
    assert_eq!(admins, 1, "the first admin is made once");
    assert_eq!(second.visits().await, visits);
    let wal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&second.pool)
        .await
        .unwrap();
    assert_eq!(wal, "wal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_published_after_midnight_in_vietnam_shows_that_day() {
    let app = TestApp::spawn().await;
    // 01:33 on 30/11/2026 in Vietnam is 18:33 on 29/11 in UTC.
    sqlx::query(
        "INSERT INTO posts (slug, title, lead, body_html, status, published_at)
         VALUES ('hop-dan-sau-nua-dem', 'Họp dân sau nửa đêm', 'Tóm tắt.', '<p>Nội dung.</p>',
                 'published', '2026-11-29 18:33:00')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    for path in [
        "/bai-viet/hop-dan-sau-nua-dem",
        "/",
        "/tim-kiem?q=h%E1%BB%8Dp+d%C3%A2n",
    ] {
        let page = app.page(path, None).await;
        assert!(page.body.contains("30/11/2026"), "{path}");
        assert!(!page.body.contains("29/11/2026"), "{path}");
        assert!(
            page.body.contains("datetime=\"2026-11-29T18:33:00Z\""),
            "{path}"
        );
    }
}

/// A citizen's page brings only its islands to life (`reading_pages.js`): the reading pages,
/// Hỏi đáp, the forms and the 404. Signing in, the officials' pages, and every page an
/// official sees, hydrate the whole app from its own chunk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_pages_come_to_life_as_islands_and_the_rest_as_the_whole_app() {
    let app = TestApp::spawn().await;
    let islands = |page: &Page| {
        page.body.contains("id=\"reading-pages\"") && page.body.contains("<leptos-island")
    };
    let whole = |page: &Page| page.body.contains("hydrate_whole") && !islands(page);
    for path in [
        "/".to_string(),
        format!("/bai-viet/{SAMPLE_SLUG}"),
        "/van-ban".to_string(),
        "/tim-kiem?q=papi".to_string(),
        "/hoi-dap".to_string(),
        "/hoi-dap/gui-cau-hoi".to_string(),
        "/hoi-dap/tra-cuu".to_string(),
        "/van-ban/2/gop-y".to_string(),
        "/trang-khong-co".to_string(),
    ] {
        let page = app.page(&path, None).await;
        assert!(
            islands(&page) && !whole(&page),
            "{path} is a page of islands"
        );
    }
    for path in ["/dang-nhap", "/viet-bai", "/quan-tri/hoi-dap"] {
        let page = app.page(path, None).await;
        assert!(whole(&page), "{path} hydrates the whole app");
    }
    app.add_user("bientap", Role::Editor, "mật khẩu đủ dài 123")
        .await;
    let session = app.sign_in("bientap", "mật khẩu đủ dài 123").await.unwrap();
    let page = app.page("/", Some(&session)).await;
    assert!(
        whole(&page),
        "an official's home page hydrates the whole app"
    );
}

/// Every page of the table (`app::routes::PAGES`) answers as it says who may see it: an
/// official's page shows a visitor without a session only "Cần đăng nhập" (401), and a page
/// for everyone never asks to sign in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_the_table_is_seen_only_by_whom_it_names() {
    use app::routes::{Segment, Who, PAGES};
    let app = TestApp::spawn().await;
    for page in PAGES {
        let path: String = page
            .segments()
            .map(|segment| match segment {
                Segment::Static(text) => format!("/{text}"),
                Segment::Param("slug") => format!("/{SAMPLE_SLUG}"),
                Segment::Param(_) => "/1".to_string(),
            })
            .collect::<String>();
        let path = if path.is_empty() {
            "/".to_string()
        } else {
            path
        };
        let seen = app.page(&path, None).await;
        match page.who {
            Who::Official(_) => {
                assert_eq!(seen.status, 401, "{path} asks a visitor to sign in");
                assert!(seen.body.contains("Cần đăng nhập"), "{path}");
            }
            Who::Everyone => assert!(
                seen.status != 401 && seen.status != 403,
                "{path} is for everyone: {}",
                seen.status
            ),
        }
    }
}

/// A reading page asked for with a slash at the end is sent to its one address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reading_address_with_a_slash_at_its_end_is_sent_to_the_one_without() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (asked, sent_to) in [
        ("/van-ban/".to_string(), "/van-ban".to_string()),
        (
            "/van-ban/?q=papi".to_string(),
            "/van-ban?q=papi".to_string(),
        ),
        (
            format!("/bai-viet/{SAMPLE_SLUG}/"),
            format!("/bai-viet/{SAMPLE_SLUG}"),
        ),
    ] {
        let res = client.get(app.url(&asked)).send().await.unwrap();
        assert_eq!(res.status(), 301, "{asked}");
        assert_eq!(res.headers()["location"], sent_to.as_str(), "{asked}");
    }
    // The home page, other pages and another site's address are left alone.
    for path in ["/", "/dang-nhap/", "//example.com/"] {
        let res = client.get(app.url(path)).send().await.unwrap();
        assert_ne!(res.status(), 301, "{path}");
    }
}
