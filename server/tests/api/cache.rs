//! The render cache: citizens' pages come from memory with their live numbers exact and a
//! fresh nonce each time; a save that has returned is seen by the next reader; officials never
//! get a cached page; browsers revalidate with ETags.

use app::model::Role;
use reqwest::header::{ACCEPT, CONTENT_SECURITY_POLICY, COOKIE, ETAG, IF_NONE_MATCH};
use serde_json::json;

use crate::helpers::*;

const PASSWORD: &str = "mật khẩu thật dài 2024";

struct Answer {
    status: u16,
    cache: String,
    nonce: String,
    policy: String,
    etag: String,
    page: Page,
}

async fn get(app: &TestApp, path: &str, headers: &[(reqwest::header::HeaderName, &str)]) -> Answer {
    let mut req = app.client.get(app.url(path)).header(ACCEPT, "text/html");
    for (name, value) in headers {
        req = req.header(name, *value);
    }
    let res = req.send().await.expect("request");
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let cache = header("x-cache");
    let etag = header(ETAG.as_str());
    let policy = header(CONTENT_SECURITY_POLICY.as_str());
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_default()
        .to_string();
    let status = res.status().as_u16();
    Answer {
        status,
        cache,
        nonce,
        policy,
        etag,
        page: Page::read(res).await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_get_the_cached_page_with_exact_numbers_and_a_fresh_nonce() {
    let app = TestApp::spawn().await;
    let path = format!("/bai-viet/{SAMPLE_SLUG}");
    let first = get(&app, &path, &[]).await;
    assert_eq!((first.status, first.cache.as_str()), (200, "miss"));
    assert_eq!(
        first.page.test_text("view-count").as_deref(),
        Some("Lượt xem 7")
    );
    assert_eq!(
        first.page.test_text("visit-count").as_deref(),
        Some("42.359.883")
    );

    let second = get(&app, &path, &[]).await;
    assert_eq!((second.status, second.cache.as_str()), (200, "hit"));
    // A new browser: a new visit and a new view, both counted and both shown.
    assert_eq!(
        second.page.test_text("view-count").as_deref(),
        Some("Lượt xem 8")
    );
    assert_eq!(
        second.page.test_text("visit-count").as_deref(),
        Some("42.359.884")
    );
    // A citizen's reading page brings only its islands to life: it carries no data for
    // hydration, so the numbers are nowhere else to go stale.
    assert!(
        second.page.body.contains("__RESOLVED_RESOURCES=[];"),
        "no resources in the page"
    );
    assert!(
        !second.page.body.contains("42359884"),
        "visits only as shown"
    );
    assert!(
        !second.page.body.contains("9007199254"),
        "no sentinel is left"
    );
    assert!(
        !second.page.body.contains("9.007.199.254"),
        "no sentinel is left"
    );

    // Each answer has its own nonce, and every script of the page carries it.
    assert!(first.nonce.len() >= 16 && second.nonce.len() >= 16);
    assert_ne!(first.nonce, second.nonce);
    let scripts = second.page.body.matches("<script").count();
    assert_eq!(
        second
            .page
            .body
            .matches(&format!("nonce=\"{}\"", second.nonce))
            .count(),
        scripts
    );
    assert!(!second.page.body.contains(&first.nonce));

    // Written to the database meanwhile, still counted exactly once.
    app.flush().await;
    let third = get(&app, &path, &[]).await;
    assert_eq!(third.cache, "hit");
    assert_eq!(
        third.page.test_text("view-count").as_deref(),
        Some("Lượt xem 9")
    );
    assert_eq!(
        third.page.test_text("visit-count").as_deref(),
        Some("42.359.885")
    );
    app.flush().await;
    assert_eq!(app.views(SAMPLE_SLUG).await, 9);
    assert_eq!(app.visits().await, 42_359_885);

    // A browser that has already seen the post counts no new view, from the cache as from a
    // render; the home page lists the post with its views spliced in too.
    let cookie = third.page.cookie();
    let again = get(&app, &path, &[(COOKIE, &cookie)]).await;
    assert_eq!(
        again.page.test_text("view-count").as_deref(),
        Some("Lượt xem 9")
    );
    get(&app, "/", &[(COOKIE, &cookie)]).await;
    let home = get(&app, "/", &[(COOKIE, &cookie)]).await;
    assert_eq!(home.cache, "hit");
    assert!(
        strip_tags(&home.page.body).contains("Lượt xem 9"),
        "the list's count is live"
    );
    assert!(!home.page.body.contains("9.007.199.254"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_that_has_returned_is_what_the_next_reader_sees() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let path = format!("/bai-viet/{SAMPLE_SLUG}");
    assert_eq!(get(&app, "/", &[]).await.cache, "miss");
    assert_eq!(get(&app, "/", &[]).await.cache, "hit");
    assert_eq!(get(&app, &path, &[]).await.cache, "miss");
    assert_eq!(get(&app, &path, &[]).await.cache, "hit");

    let (status, data) = app.get_json("/api/edit_post?id=1", Some(&editor)).await;
    assert_eq!(status, 200, "{data}");
    let post = &data["post"];
    let edit = json!({
        "id": post["id"], "base_version": post["version"], "slug": post["slug"],
        "title": "Kế hoạch PAPI năm 2022 (đã sửa)", "lead": post["lead"],
        "body_html": post["body_html"], "description": post["description"],
        "category_id": post["category_id"], "published_local": post["published_local"],
    });
    let (status, saved) = app
        .call_json("save_post", &json!({ "edit": edit }), Some(&editor))
        .await;
    assert_eq!(status, 200, "{saved}");

    for page in ["/", path.as_str()] {
        let after = get(&app, page, &[]).await;
        assert_eq!(
            after.cache, "miss",
            "{page} is rendered again after the save"
        );
        assert!(
            after.page.body.contains("Kế hoạch PAPI năm 2022 (đã sửa)"),
            "{page} shows the saved title"
        );
    }

    // The official sees the live page, never a cached one.
    let mine = get(&app, &path, &[(COOKIE, &editor)]).await;
    assert_eq!(mine.status, 200);
    assert_eq!(mine.cache, "", "no cached page for officials");
    assert!(mine.page.body.contains("data-test=\"official-bar\""));
    let citizen = get(&app, &path, &[]).await;
    assert_eq!(citizen.cache, "hit");
    assert!(
        !citizen.page.body.contains("official-bar"),
        "the official's page did not become the citizens'"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browsers_revalidate_with_etags() {
    let app = TestApp::spawn().await;
    let first = get(&app, "/van-ban", &[]).await;
    let cookie = first.page.cookie();
    let seen = get(&app, "/van-ban", &[(COOKIE, &cookie)]).await;
    assert_eq!(seen.cache, "hit");
    assert!(seen.etag.starts_with("W/\""), "{}", seen.etag);
    // Nothing changed for this browser: 304, no body.
    let same = get(
        &app,
        "/van-ban",
        &[(COOKIE, &cookie), (IF_NONE_MATCH, &seen.etag)],
    )
    .await;
    assert_eq!(same.status, 304);
    assert!(same.page.body.is_empty());
    // No policy: the browser keeps the one stored with its page (and that page's nonce).
    assert_eq!(same.policy, "", "a 304 must not replace the page's policy");
    // Another reader's visit changes the counter it shows: the page is sent again.
    get(&app, "/van-ban", &[]).await;
    let changed = get(
        &app,
        "/van-ban",
        &[(COOKIE, &cookie), (IF_NONE_MATCH, &seen.etag)],
    )
    .await;
    assert_eq!(changed.status, 200);
    assert_ne!(changed.etag, seen.etag);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_readers_type_is_never_taken_for_a_live_number() {
    let app = TestApp::spawn().await;
    // Numbers shaped like the cache's placeholders, in a search (the query is shown back).
    for q in [
        "9.007.199.254.000.000",
        "9007199254000001",
        "1.000.000.000.000.000",
    ] {
        let path = format!("/tim-kiem?q={}", app::format::query_value(q));
        for _ in 0..2 {
            let page = get(&app, &path, &[]).await.page;
            assert!(
                strip_tags(&page.body).contains(&format!("«{q}»")),
                "{q} is shown as typed"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_host_name_does_not_poison_the_page_others_get() {
    let app = TestApp::spawn().await;
    let forged = get(
        &app,
        "/so-do-trang",
        &[
            (reqwest::header::HOST, "evil.example"),
            (
                reqwest::header::HeaderName::from_static("x-forwarded-proto"),
                "https",
            ),
        ],
    )
    .await;
    assert!(forged
        .page
        .body
        .contains("https://evil.example/so-do-trang"));
    let plain = get(&app, "/so-do-trang", &[]).await;
    assert!(
        !plain.page.body.contains("evil.example"),
        "the forged address stays with the request that sent it"
    );
    assert_eq!(get(&app, "/so-do-trang", &[]).await.cache, "hit");
}
