use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_session_counts_one_visit() {
    let app = TestApp::spawn().await;
    let before = app.visits().await;
    assert_eq!(
        before, 42_359_882,
        "the sample's counter is where counting starts"
    );

    let first = app.page("/", None).await;
    let cookie = first.cookie();
    assert!(first.set_cookie.as_deref().unwrap().contains("HttpOnly"));
    assert_eq!(app.visits().await, before + 1);

    // Further pages and reloads of the same session do not count.
    for path in [
        "/",
        &format!("/bai-viet/{SAMPLE_SLUG}"),
        "/?trang=1",
        "/khong-co",
    ] {
        let page = app.page(path, Some(&cookie)).await;
        assert!(page.set_cookie.is_none(), "{path}");
        assert_eq!(
            page.test_text("visit-count").as_deref(),
            Some("42.359.883"),
            "{path}"
        );
    }
    assert_eq!(app.visits().await, before + 1);

    // Another browser is another visit.
    app.page("/", None).await;
    assert_eq!(app.visits().await, before + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_server_functions_prefetches_and_crawlers_do_not_count_visits() {
    let app = TestApp::spawn().await;
    let before = app.visits().await;
    app.client
        .get(app.url("/pkg/portal.css"))
        .send()
        .await
        .unwrap();
    app.client.get(app.url("/api/posts")).send().await.unwrap();
    app.client
        .get(app.url("/"))
        .header("Accept", "text/html")
        .header("Sec-Purpose", "prefetch")
        .send()
        .await
        .unwrap();
    app.client
        .get(app.url("/"))
        .header("Accept", "text/html")
        .header("Sec-Fetch-Dest", "image")
        .send()
        .await
        .unwrap();
    app.client
        .get(app.url("/"))
        .header("Accept", "text/html")
        .header(
            "User-Agent",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(app.visits().await, before);
}
