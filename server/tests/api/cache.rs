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
    headers: reqwest::header::HeaderMap,
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
    let headers = res.headers().clone();
    Answer {
        status,
        cache,
        nonce,
        policy,
        etag,
        headers,
        page: Page::read(res).await,
    }
}

/// The numbers of `html` shaped like the render cache's sentinels (`counting::live`: 16
/// digits, random, written `4.820.117.365.092.301` in the text and `4820117365092301` in the
/// page's data) that stand alone, not inside a name (`TextSizeIsland_15620111190824323209`): a
/// sentinel the cache failed to splice. No count a commune shows comes near 16 digits.
fn sentinels(html: &str) -> Vec<String> {
    html.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .map(|word| word.trim_matches('.'))
        .filter(|word| {
            let digits = word.bytes().filter(u8::is_ascii_digit).count();
            digits >= 16 && word.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn a_sentinel_left_in_a_page_is_found() {
    let base = 4_820_117_365_092_301_i64;
    let page = format!(
        "<p>Lượt xem {}</p><script>{{\"views\":{base}}}</script><p>1.234 và 42.359.882.</p>\
         <leptos-island data-component=\"Ready_13377690821656400980\">",
        app::format::count_vn(base + 1)
    );
    assert_eq!(
        sentinels(&page),
        ["4.820.117.365.092.302", "4820117365092301"]
    );
    assert!(sentinels("<p>Lượt xem 1.234</p><p>42.359.882</p>").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_get_the_cached_page_with_exact_numbers_and_a_fresh_nonce() {
    let app = TestApp::spawn().await;
    // A post read over a thousand times: its count is grouped with dots, as the visits are.
    sqlx::query("UPDATE posts SET view_count = 1232 WHERE slug = ?")
        .bind(SAMPLE_SLUG)
        .execute(&app.pool)
        .await
        .unwrap();
    let path = format!("/bai-viet/{SAMPLE_SLUG}");
    let first = get(&app, &path, &[]).await;
    assert_eq!((first.status, first.cache.as_str()), (200, "miss"));
    // Every sentinel of the render was replaced by its number, in the text and in data.
    assert_eq!(
        sentinels(&first.page.body),
        Vec::<String>::new(),
        "no sentinel is left"
    );
    assert_eq!(
        first.page.test_text("view-count").as_deref(),
        Some("Lượt xem 1.233")
    );
    assert_eq!(
        first.page.test_text("visit-count").as_deref(),
        Some("42.359.883")
    );

    let second = get(&app, &path, &[]).await;
    assert_eq!((second.status, second.cache.as_str()), (200, "hit"));
    // Spliced from the cache too: every sentinel was replaced by its number.
    assert_eq!(
        sentinels(&second.page.body),
        Vec::<String>::new(),
        "no sentinel is left"
    );
    // A new browser: a new visit and a new view, both counted and both shown.
    assert_eq!(
        second.page.test_text("view-count").as_deref(),
        Some("Lượt xem 1.234")
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
        Some("Lượt xem 1.235")
    );
    assert_eq!(
        third.page.test_text("visit-count").as_deref(),
        Some("42.359.885")
    );
    app.flush().await;
    assert_eq!(app.views(SAMPLE_SLUG).await, 1235);
    assert_eq!(app.visits().await, 42_359_885);

    // A browser that has already seen the post counts no new view, from the cache as from a
    // render; the home page lists the post with its views spliced in too.
    let cookie = third.page.cookie();
    let again = get(&app, &path, &[(COOKIE, &cookie)]).await;
    assert_eq!(
        again.page.test_text("view-count").as_deref(),
        Some("Lượt xem 1.235")
    );
    get(&app, "/", &[(COOKIE, &cookie)]).await;
    let home = get(&app, "/", &[(COOKIE, &cookie)]).await;
    assert_eq!(home.cache, "hit");
    assert_eq!(
        sentinels(&home.page.body),
        Vec::<String>::new(),
        "no sentinel is left"
    );
    assert!(
        strip_tags(&home.page.body).contains("Lượt xem 1.235"),
        "the list's count is live"
    );
    assert_eq!(
        home.page.test_text("visit-count").as_deref(),
        Some("42.359.885")
    );
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
async fn a_not_modified_answer_repeats_the_headers_caches_keep_the_page_by() {
    use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_LOCATION, DATE, EXPIRES, VARY};
    let app = TestApp::spawn().await;
    // As browsers ask: with Accept-Encoding (the compressed bodies are not looked at).
    let gzip = (ACCEPT_ENCODING, "gzip, br");
    let first = get(&app, "/van-ban", std::slice::from_ref(&gzip)).await;
    let cookie = first.page.cookie();
    let seen = get(&app, "/van-ban", &[gzip.clone(), (COOKIE, &cookie)]).await;
    assert_eq!((seen.status, seen.cache.as_str()), (200, "hit"));
    let same = get(
        &app,
        "/van-ban",
        &[gzip, (COOKIE, &cookie), (IF_NONE_MATCH, &seen.etag)],
    )
    .await;
    assert_eq!(same.status, 304);
    let values = |answer: &Answer, name: &reqwest::header::HeaderName| -> Vec<String> {
        answer
            .headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_ascii_lowercase())
            .collect()
    };
    // The page depends on Accept-Encoding, and says so once, in both answers.
    assert_eq!(values(&seen, &VARY), ["accept-encoding"]);
    // RFC 9110 §15.4.5: what the 200 would carry of these, the 304 carries the same.
    for name in [
        CACHE_CONTROL,
        reqwest::header::ETAG,
        VARY,
        CONTENT_LOCATION,
        EXPIRES,
    ] {
        assert_eq!(values(&same, &name), values(&seen, &name), "{name}");
    }
    assert_eq!(values(&same, &DATE).len(), 1, "a 304 is dated");
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
