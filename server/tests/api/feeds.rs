//! The RSS feed, the sitemap and robots.txt, read by real parsers.

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rss_feed_lists_published_posts_newest_first() {
    let app = TestApp::spawn().await;
    app.add_posts(2).await;
    sqlx::query(
        "INSERT INTO posts (slug, title, status, published_at) VALUES ('nhap', 'Bản nháp & <bí mật>', 'draft', '2030-01-01 00:00:00')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let res = app.client.get(app.url("/rss.xml")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/rss+xml; charset=utf-8"
    );
    let body = res.bytes().await.unwrap();
    let channel = rss::Channel::read_from(&body[..]).expect("a valid RSS 2.0 feed");
    assert_eq!(channel.title(), "Cổng thông tin điện tử xã Dương Quang");
    assert_eq!(channel.language(), Some("vi"));
    let base = format!("http://{}", app.addr);
    assert_eq!(channel.link(), format!("{base}/"));
    let titles: Vec<&str> = channel.items().iter().filter_map(|i| i.title()).collect();
    assert_eq!(titles, ["Thông báo số 2", "Thông báo số 1", SAMPLE_TITLE]);
    let sample = &channel.items()[2];
    assert_eq!(
        sample.link(),
        Some(format!("{base}/bai-viet/{SAMPLE_SLUG}").as_str())
    );
    assert_eq!(sample.pub_date(), Some("Mon, 14 Mar 2022 08:00:00 +0000"));
    assert_eq!(sample.guid().map(|g| g.is_permalink()), Some(true));
    assert!(sample
        .description()
        .unwrap()
        .starts_with("Thực hiện Kế hoạch số 181/KH-UBND"));

    // Behind a proxy that says HTTPS, links are https.
    let res = app
        .client
        .get(app.url("/rss.xml"))
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap();
    let channel = rss::Channel::read_from(&res.bytes().await.unwrap()[..]).unwrap();
    assert!(channel.link().starts_with("https://"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sitemap_and_robots_txt_lead_search_engines_to_public_pages_only() {
    let app = TestApp::spawn().await;
    sqlx::query(
        "INSERT INTO posts (slug, title, status, published_at) VALUES ('nhap', 'Nháp', 'draft', '2030-01-01 00:00:00')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let res = app
        .client
        .get(app.url("/sitemap.xml"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
    let text = res.text().await.unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let base = format!("http://{}", app.addr);
    let mut locs = Vec::new();
    for url in root.children().filter(|n| n.is_element()) {
        assert_eq!(url.tag_name().name(), "url");
        let child = |name: &str| {
            url.children()
                .find(|n| n.tag_name().name() == name)
                .and_then(|n| n.text())
                .map(str::to_string)
        };
        // What the sitemaps.org schema allows: loc (required, at most 2,048 characters),
        // lastmod, changefreq from its list, priority; nothing else.
        for element in url.children().filter(|n| n.is_element()) {
            assert!(
                ["loc", "lastmod", "changefreq", "priority"].contains(&element.tag_name().name()),
                "unexpected <{}>",
                element.tag_name().name()
            );
        }
        if let Some(freq) = child("changefreq") {
            assert!(
                ["always", "hourly", "daily", "weekly", "monthly", "yearly", "never"]
                    .contains(&freq.as_str()),
                "{freq}"
            );
        }
        let loc = child("loc").expect("every url has a loc");
        assert!(loc.len() <= 2048);
        assert!(loc.starts_with(&base), "absolute: {loc}");
        // Posts and pages say when they changed; lists need not.
        let lastmod = child("lastmod");
        assert!(
            lastmod.is_some()
                || !loc.contains("/bai-viet/")
                    && !loc.contains("/trang/")
                    && !loc.contains("/van-ban/"),
            "{loc} has a lastmod"
        );
        if let Some(lastmod) = lastmod {
            assert!(
                lastmod.len() == 10 && lastmod.as_bytes()[4] == b'-',
                "W3C date: {lastmod}"
            );
        }
        locs.push(loc);
    }
    let expected: Vec<String> = [
        "/",
        "/so-do-trang",
        "/chuyen-muc/tin-tuc-su-kien",
        "/chuyen-muc/cai-cach-hanh-chinh",
        "/chuyen-muc/thong-bao",
        "/van-ban",
        "/van-ban/1",
        "/van-ban/2",
        "/chuyen-muc/hoi-dap",
        "/trang/gioi-thieu",
        "/trang/lien-he",
        "/trang/nguon-tin-rss",
        "/hoi-dap",
        "/hoi-dap/gui-cau-hoi",
    ]
    .iter()
    .map(|path| format!("{base}{path}"))
    .chain([format!("{base}/bai-viet/{SAMPLE_SLUG}")])
    .collect();
    let mut sorted = locs.clone();
    sorted.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(sorted, expected_sorted, "the draft is not listed");

    let robots = app.client.get(app.url("/robots.txt")).send().await.unwrap();
    assert_eq!(
        robots.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    let robots = robots.text().await.unwrap();
    assert!(
        robots.contains(&format!("Sitemap: {base}/sitemap.xml")),
        "{robots}"
    );
    assert!(robots.contains("Disallow: /quan-tri/") && robots.contains("Disallow: /api/"));
}
