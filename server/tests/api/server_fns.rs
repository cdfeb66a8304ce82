use serde_json::Value;

use crate::helpers::*;

const PASSWORD: &str = "mật khẩu thật dài 2024";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_a_post_through_the_server_function_counts_one_view_each_time() {
    let app = TestApp::spawn().await;
    for expected in [7, 8, 9] {
        let res = app
            .client
            .post(app.url("/api/open_post"))
            .form(&[("slug", SAMPLE_SLUG)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let post: Value = res.json_value().await;
        assert_eq!(post["view_count"], expected);
        assert_eq!(post["title"], SAMPLE_TITLE);
    }
    assert_eq!(app.views(SAMPLE_SLUG).await, 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_views_count_once_per_opening_and_not_for_prefetch_head_or_crawlers() {
    let app = TestApp::spawn().await;
    let path = format!("/bai-viet/{SAMPLE_SLUG}");
    assert_eq!(
        app.page(&path, None)
            .await
            .test_text("view-count")
            .as_deref(),
        Some("Lượt xem 7")
    );
    assert_eq!(
        app.page(&path, None)
            .await
            .test_text("view-count")
            .as_deref(),
        Some("Lượt xem 8")
    );

    let prefetch = app
        .client
        .get(app.url(&path))
        .header("Sec-Purpose", "prefetch")
        .send()
        .await
        .unwrap();
    assert_eq!(prefetch.status(), 200);
    let head = app.client.head(app.url(&path)).send().await.unwrap();
    assert_eq!(head.status(), 200);
    for crawler in [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "curl/8.5.0",
    ] {
        let res = app
            .client
            .get(app.url(&path))
            .header("User-Agent", crawler)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{crawler}: crawlers still read the page");
        let res = app
            .client
            .post(app.url("/api/open_post"))
            .header("User-Agent", crawler)
            .form(&[("slug", SAMPLE_SLUG)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    assert_eq!(
        app.views(SAMPLE_SLUG).await,
        8,
        "prefetch, HEAD and crawlers do not count"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_functions_answer_typed_vietnamese_errors_with_statuses() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(app.url("/api/posts?page=abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let err: Value = res.json_value().await;
    assert!(err["BadRequest"]
        .as_str()
        .unwrap()
        .contains("Số trang không hợp lệ"));

    let res = app
        .client
        .post(app.url("/api/open_post"))
        .form(&[("slug", "khong-co")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let err: Value = res.json_value().await;
    assert!(err["NotFound"]
        .as_str()
        .unwrap()
        .contains("Không tìm thấy bài viết"));

    // A call without its argument is a bad request, not a crash.
    let res = app
        .client
        .post(app.url("/api/open_post"))
        .form(&[("x", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(app.views(SAMPLE_SLUG).await, 6);

    let res = app.client.get(app.url("/api/posts")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let list: Value = res.json_value().await;
    assert_eq!(list["total_pages"], 1);
    assert_eq!(list["posts"][0]["slug"], SAMPLE_SLUG);
}

trait JsonValue {
    async fn json_value(self) -> Value;
}

impl JsonValue for reqwest::Response {
    async fn json_value(self) -> Value {
        let text = self.text().await.unwrap();
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reading_pages_come_as_html_made_on_the_server() {
    let app = TestApp::spawn().await;

    // A post: each opening counts one view (a POST, as a prefetch must not count); its HTML
    // shows the count, and the head's fields come beside it.
    let (status, body) = app.call("read/post", &[("slug", SAMPLE_SLUG)], None).await;
    assert_eq!(status, 200);
    let post: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(post["page"]["title"], SAMPLE_TITLE);
    assert_eq!(post["page"]["path"], format!("/bai-viet/{SAMPLE_SLUG}"));
    assert_eq!(post["page"]["article"], true);
    let text = strip_tags(post["page"]["html"].as_str().unwrap());
    assert!(text.contains("Lượt xem 7"), "{text}");
    assert!(text.contains("Toàn văn: Kế hoạch số 19/KH-UBND"), "{text}");
    assert_eq!(app.views(SAMPLE_SLUG).await, 7);
    let get = app
        .client
        .get(app.url(&format!("/api/read/post?slug={SAMPLE_SLUG}")))
        .send()
        .await
        .unwrap();
    assert_ne!(get.status(), 200, "a GET does not open a post");
    assert_eq!(app.views(SAMPLE_SLUG).await, 7);
    let (missing, _) = app.call("read/post", &[("slug", "khong-co")], None).await;
    assert_eq!(missing, 404);

    // Search: the words asked for come back as text, never as markup; results are noindex.
    let (status, search) = app
        .get_json("/api/read/search?q=%3Cx-pwn%3E%20papi", None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(search["noindex"], true);
    let html = search["html"].as_str().unwrap();
    assert!(!html.contains("<x-pwn>"), "{html}");
    assert!(html.contains("&lt;x-pwn&gt; papi"), "{html}");

    // The documents list: the way to add one is in the editors' HTML only.
    app.add_user("bientap", app::model::Role::Editor, PASSWORD)
        .await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let (_, citizen) = app.get_json("/api/read/documents", None).await;
    let (_, official) = app.get_json("/api/read/documents", Some(&editor)).await;
    let new_document = "data-test=\"new-document\"";
    assert!(!citizen["html"].as_str().unwrap().contains(new_document));
    assert!(official["html"].as_str().unwrap().contains(new_document));
    assert_eq!(official["title"], "Văn bản");
    let (bad, _) = app.get_json("/api/read/documents?nam=abc", None).await;
    assert_eq!(bad, 400);
}
