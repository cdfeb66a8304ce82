use serde_json::Value;

use crate::helpers::*;

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
