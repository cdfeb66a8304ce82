//! Citizens find things: Vietnamese search, categories with breadcrumbs, static pages, the
//! site map, per-category feeds and each page's metadata.

use crate::helpers::*;
use unicode_normalization::UnicodeNormalization;

/// Adds a published post in a category (by slug, or none), with its text for search.
async fn add_post(app: &TestApp, slug: &str, title: &str, body: &str, category: Option<&str>) {
    sqlx::query(
        "INSERT INTO posts (slug, title, lead, body_html, body_text, status, published_at, category_id)
         VALUES (?, ?, '', ?, ?, 'published', '2024-05-01 08:00:00',
                 (SELECT id FROM categories WHERE slug = ?))",
    )
    .bind(slug)
    .bind(title)
    .bind(format!("<p>{body}</p>"))
    .bind(body)
    .bind(category)
    .execute(&app.pool)
    .await
    .unwrap();
}

/// The links of the search results page for `q`, in order.
async fn found(app: &TestApp, q: &str) -> Vec<String> {
    // These tests write with SQL behind the portal's back: its page cache must be told.
    app::server::changes::changed();
    let page = app
        .page(
            &format!("/tim-kiem?q={}", app::format::query_value(q)),
            None,
        )
        .await;
    assert_eq!(page.status, 200, "{q:?}: {}", page.body);
    page.body
        .split("data-test=\"search-hit\"")
        .skip(1)
        .map(|hit| {
            let href = &hit[hit.find("href=\"").unwrap() + 6..];
            href[..href.find('"').unwrap()].to_string()
        })
        .collect()
}

fn post(slug: &str) -> String {
    format!("/bai-viet/{slug}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_posts_with_or_without_diacritics_in_any_spelling() {
    let app = TestApp::spawn().await;
    add_post(
        &app,
        "duong-lang",
        "Nâng cấp đường giao thông nông thôn",
        "Tuyến đường liên thôn của xã Dương Quang được trải nhựa, bà con hoà thuận góp công.",
        Some("tin-tuc-su-kien"),
    )
    .await;
    add_post(
        &app,
        "thuy-loi",
        "Nạo vét kênh mương thủy lợi",
        "Công tác thuỷ lợi chuẩn bị cho vụ xuân.",
        Some("thong-bao"),
    )
    .await;
    let sample = post(SAMPLE_SLUG);

    // The examples of the issue.
    assert_eq!(found(&app, "ke hoach papi").await, [sample.as_str()]);
    assert_eq!(found(&app, "KẾ HOẠCH PAPI").await, [sample.as_str()]);
    assert!(found(&app, "duong quang")
        .await
        .contains(&post("duong-lang")));
    assert!(found(&app, "Dương Quang")
        .await
        .contains(&post("duong-lang")));
    // 'đ' and 'd' meet.
    assert_eq!(found(&app, "đường giao thông").await, [post("duong-lang")]);
    assert_eq!(found(&app, "duong giao thong").await, [post("duong-lang")]);
    // NFD input, and old-style against new-style tone placement, both ways.
    let nfd: String = "hòa thuận".nfd().collect();
    assert_eq!(found(&app, &nfd).await, [post("duong-lang")]);
    assert_eq!(found(&app, "hòa thuận").await, [post("duong-lang")]);
    assert_eq!(found(&app, "thủy lợi").await, [post("thuy-loi")]);
    assert_eq!(found(&app, "thuỷ lợi").await, [post("thuy-loi")]);
    // Document numbers are words too; every word must be present.
    assert_eq!(found(&app, "19/KH-UBND").await, [sample.as_str()]);
    assert!(found(&app, "papi thuy").await.is_empty());
    // Static pages are found at their own address.
    assert!(found(&app, "lien he")
        .await
        .contains(&"/trang/lien-he".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn title_matches_come_first_and_matched_words_are_marked() {
    let app = TestApp::spawn().await;
    // Written first (older), but the words are in its title.
    add_post(
        &app,
        "trong-tieu-de",
        "Phương án phòng chống ngập lụt mùa mưa bão",
        "Ủy ban nhân dân xã ban hành phương án.",
        None,
    )
    .await;
    add_post(
        &app,
        "trong-than",
        "Lịch tiêm phòng cho đàn gia súc",
        "Phòng chống ngập lụt: kiểm tra đê; ngập lụt năm trước; ngập lụt ở vùng trũng; ngập lụt.",
        None,
    )
    .await;
    add_post(
        &app,
        "trong-than-moi",
        "Tin mới",
        "Sau đợt ngập lụt, xã dọn vệ sinh.",
        None,
    )
    .await;
    assert_eq!(
        found(&app, "ngap lut").await,
        [
            post("trong-tieu-de"),
            post("trong-than-moi"),
            post("trong-than")
        ],
        "title matches first, then the newest"
    );
    let page = app.page("/tim-kiem?q=ngap+lut", None).await;
    assert!(
        page.body.contains("<mark>ngập lụt</mark>"),
        "matched words are marked in their own spelling"
    );
    assert!(
        page.body.contains("<mark>Ngập lụt</mark>")
            || page.body.contains("chống <mark>ngập lụt</mark>")
    );
    assert_eq!(
        page.test_text("search-summary").as_deref(),
        Some("Tìm thấy 3 kết quả cho «ngap lut».")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn very_common_words_are_counted_to_a_thousand_and_paged() {
    let app = TestApp::spawn().await;
    let mut tx = app.pool.begin().await.unwrap();
    for i in 0..1_005 {
        sqlx::query(
            "INSERT INTO posts (slug, title, body_text, status, published_at)
             VALUES (?, ?, 'Kiểm tra đê điều trước mùa mưa.', 'published', '2024-01-01 00:00:00')",
        )
        .bind(format!("de-{i}"))
        .bind(format!("Tin số {i}"))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let first = app.page("/tim-kiem?q=de+dieu", None).await;
    assert_eq!(
        first.test_text("search-summary").as_deref(),
        Some("Tìm thấy hơn 1.000 kết quả cho «de dieu». Thêm từ để thu hẹp kết quả.")
    );
    assert_eq!(first.count("search-hit"), 10);
    assert!(
        first.body.contains("/bai-viet/de-1004\""),
        "the newest first"
    );
    let last = app.page("/tim-kiem?q=de+dieu&trang=100", None).await;
    assert_eq!(last.status, 200);
    assert_eq!(last.count("search-hit"), 10);
    assert_eq!(
        app.page("/tim-kiem?q=de+dieu&trang=101", None).await.status,
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_follows_every_write_and_shows_only_published_posts() {
    let app = TestApp::spawn().await;
    add_post(
        &app,
        "cu",
        "Thông báo lịch phun thuốc muỗi",
        "Nội dung.",
        None,
    )
    .await;
    assert_eq!(found(&app, "phun thuoc").await, [post("cu")]);

    // A new title: the old words are gone, the new ones found.
    sqlx::query("UPDATE posts SET title = 'Thông báo lịch trực Tết' WHERE slug = 'cu'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(found(&app, "phun thuoc").await.is_empty());
    assert_eq!(found(&app, "truc tet").await, [post("cu")]);

    // A write rolled back leaves the index as it was.
    let mut tx = app.pool.begin().await.unwrap();
    sqlx::query("UPDATE posts SET title = 'Khác hẳn' WHERE slug = 'cu'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(found(&app, "truc tet").await, [post("cu")]);
    assert!(found(&app, "khac han").await.is_empty());

    // Drafts are not found; deleted posts are gone from the index.
    sqlx::query("UPDATE posts SET status = 'draft' WHERE slug = 'cu'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(found(&app, "truc tet").await.is_empty());
    let indexed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM posts_fts WHERE posts_fts MATCH 'truc tet'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(indexed, 0, "drafts are not in the index");
    sqlx::query("UPDATE posts SET status = 'published' WHERE slug = 'cu'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(found(&app, "truc tet").await, [post("cu")]);
    sqlx::query("DELETE FROM posts WHERE slug = 'cu'")
        .execute(&app.pool)
        .await
        .unwrap();
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM posts_fts WHERE posts_fts MATCH 'truc tet'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_search_input_gets_a_vietnamese_message() {
    let app = TestApp::spawn().await;
    let page = app.page("/tim-kiem", None).await;
    assert_eq!(page.status, 200);
    assert!(page
        .test_text("search-summary")
        .unwrap()
        .starts_with("Nhập từ cần tìm"));

    let long = "a".repeat(201);
    let page = app.page(&format!("/tim-kiem?q={long}"), None).await;
    assert_eq!(page.status, 400);
    assert!(page
        .body
        .contains("Từ khóa tìm kiếm quá dài: tối đa 200 ký tự."));

    let page = app.page("/tim-kiem?q=%22%29%28*", None).await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("Hãy nhập từ cần tìm bằng chữ hoặc số"));
    assert!(!page.body.to_lowercase().contains("fts5"), "no SQL text");

    let page = app.page("/tim-kiem?q=papi&trang=9", None).await;
    assert_eq!(page.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn categories_list_their_subtree_and_show_where_they_are() {
    let app = TestApp::spawn().await;
    add_post(
        &app,
        "tb-1",
        "Thông báo tuyển dụng",
        "Nội dung.",
        Some("thong-bao"),
    )
    .await;

    // The sample post sits in Cải cách hành chính, under Tin tức – Sự kiện.
    let parent = app.page("/chuyen-muc/tin-tuc-su-kien", None).await;
    assert_eq!(parent.status, 200);
    assert_eq!(
        parent.test_text("category-title").as_deref(),
        Some("Tin tức – Sự kiện")
    );
    assert_eq!(parent.count("post-card"), 1);
    assert!(parent.body.contains(SAMPLE_TITLE));
    assert!(parent
        .body
        .contains("href=\"/chuyen-muc/cai-cach-hanh-chinh\""));

    let child = app.page("/chuyen-muc/cai-cach-hanh-chinh", None).await;
    assert_eq!(
        child.test_text("breadcrumbs").as_deref(),
        Some("Trang chủTin tức – Sự kiệnCải cách hành chính")
    );
    assert!(child.body.contains(SAMPLE_TITLE));
    assert!(!child.body.contains("Thông báo tuyển dụng"));

    let post = app.page(&format!("/bai-viet/{SAMPLE_SLUG}"), None).await;
    assert_eq!(
        post.test_text("breadcrumbs"),
        Some(format!(
            "Trang chủTin tức – Sự kiệnCải cách hành chính{SAMPLE_TITLE}"
        ))
    );

    let empty = app.page("/chuyen-muc/hoi-dap", None).await;
    assert_eq!(empty.status, 200);
    assert!(empty.body.contains("Chưa có bài viết nào được đăng."));

    let missing = app.page("/chuyen-muc/khong-co", None).await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Không có chuyên mục này."));
    assert_eq!(
        app.page("/chuyen-muc/thong-bao?trang=2", None).await.status,
        404
    );
    assert_eq!(
        app.page("/chuyen-muc/thong-bao?trang=x", None).await.status,
        400
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_pages_live_apart_from_the_news() {
    let app = TestApp::spawn().await;
    let about = app.page("/trang/gioi-thieu", None).await;
    assert_eq!(about.status, 200);
    assert!(about
        .test_text("static-page")
        .unwrap()
        .contains("kênh thông tin chính thức"));
    let contact = app.page("/trang/lien-he", None).await;
    assert!(contact
        .test_text("contact")
        .unwrap()
        .contains("Xã Dương Quang, tỉnh Hưng Yên"));

    // Not news: not on the home page, not in the feed, not at a post's address.
    let home = app.page("/", None).await;
    assert_eq!(home.count("post-card"), 1);
    assert_eq!(app.page("/bai-viet/gioi-thieu", None).await.status, 404);
    assert_eq!(
        app.page(&format!("/trang/{SAMPLE_SLUG}"), None)
            .await
            .status,
        404
    );
    let feed = app.client.get(app.url("/rss.xml")).send().await.unwrap();
    let channel = rss::Channel::read_from(&feed.bytes().await.unwrap()[..]).unwrap();
    assert_eq!(channel.items().len(), 1);

    // Found by search, as a page: no publication date beside it (a post keeps its date).
    let results = app
        .page("/tim-kiem?q=kenh+thong+tin+chinh+thuc", None)
        .await;
    let hits = results
        .body
        .split("data-test=\"search-hit\"")
        .skip(1)
        .collect::<Vec<_>>();
    let page_hit = hits
        .iter()
        .find(|h| h.contains("/trang/gioi-thieu"))
        .expect("the page is found");
    let page_hit = page_hit.split("</li>").next().unwrap();
    assert!(
        page_hit.contains("Trang") && !page_hit.contains("<time"),
        "{page_hit}"
    );
    let results = app.page("/tim-kiem?q=papi", None).await;
    assert!(
        results.body.contains("<time datetime=\"2022-03-14"),
        "a post's hit has its date"
    );

    // The footer's "Nguồn tin RSS" explains feeds on a page, which links the feed itself.
    assert!(home.body.contains("href=\"/trang/nguon-tin-rss\""));
    let feeds = app.page("/trang/nguon-tin-rss", None).await;
    assert_eq!(feeds.status, 200);
    assert!(feeds.body.contains("phần mềm") && feeds.body.contains("href=\"/rss.xml\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_category_has_a_valid_feed_of_its_own_posts() {
    let app = TestApp::spawn().await;
    add_post(
        &app,
        "tb-1",
        "Thông báo tuyển dụng & <ứng tuyển>",
        "Nội dung.",
        Some("thong-bao"),
    )
    .await;
    let res = app
        .client
        .get(app.url("/chuyen-muc/thong-bao/rss.xml"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let channel = rss::Channel::read_from(&res.bytes().await.unwrap()[..]).expect("valid RSS");
    assert_eq!(
        channel.title(),
        "Thông báo – Cổng thông tin điện tử xã Dương Quang"
    );
    assert_eq!(
        channel.link(),
        format!("http://{}/chuyen-muc/thong-bao", app.addr)
    );
    let titles: Vec<&str> = channel.items().iter().filter_map(|i| i.title()).collect();
    assert_eq!(titles, ["Thông báo tuyển dụng & <ứng tuyển>"]);

    // The parent's feed holds its subcategory's posts.
    let res = app
        .client
        .get(app.url("/chuyen-muc/tin-tuc-su-kien/rss.xml"))
        .send()
        .await
        .unwrap();
    let channel = rss::Channel::read_from(&res.bytes().await.unwrap()[..]).unwrap();
    let titles: Vec<&str> = channel.items().iter().filter_map(|i| i.title()).collect();
    assert_eq!(titles, [SAMPLE_TITLE]);

    let res = app
        .client
        .get(app.url("/chuyen-muc/khong-co/rss.xml"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_map_page_lists_every_section_with_its_posts_counted() {
    let app = TestApp::spawn().await;
    let page = app.page("/so-do-trang", None).await;
    assert_eq!(page.status, 200);
    let text = page.test_text("site-map").unwrap();
    for entry in [
        "Tin tức – Sự kiện (1 bài viết)",
        "Cải cách hành chính (1 bài viết)",
        "Thông báo (0 bài viết)",
        "Hỏi đáp (0 bài viết)",
        "Giới thiệu",
        "Liên hệ",
    ] {
        assert!(text.contains(entry), "{entry:?} in {text}");
    }
    assert!(page.body.contains("href=\"/chuyen-muc/thong-bao/rss.xml\""));
}

/// The value of `<meta name|property="key" content="...">` in a page's head.
fn meta<'a>(body: &'a str, attribute: &str, key: &str) -> Option<&'a str> {
    let marker = format!("{attribute}=\"{key}\"");
    let tag_start = body[..body.find(&marker)?].rfind('<')?;
    let tag = &body[tag_start..tag_start + body[tag_start..].find('>')?];
    let content = &tag[tag.find("content=\"")? + 9..];
    Some(&content[..content.find('"')?])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_has_its_own_title_description_canonical_og_and_dublin_core() {
    let app = TestApp::spawn().await;
    let base = format!("http://{}", app.addr);
    let mut titles = Vec::new();
    for path in [
        "/".to_string(),
        format!("/bai-viet/{SAMPLE_SLUG}"),
        "/chuyen-muc/tin-tuc-su-kien".into(),
        "/chuyen-muc/thong-bao".into(),
        "/trang/gioi-thieu".into(),
        "/trang/lien-he".into(),
        "/so-do-trang".into(),
        "/tim-kiem?q=papi".into(),
    ] {
        let page = app.page(&path, None).await;
        assert_eq!(page.status, 200, "{path}");
        let body = &page.body;
        let title = &body[body.find("<title>").unwrap() + 7..body.find("</title>").unwrap()];
        assert!(
            title.ends_with("Cổng thông tin điện tử xã Dương Quang"),
            "{title}"
        );
        titles.push(title.to_string());
        assert!(
            !meta(body, "name", "description").unwrap().is_empty(),
            "{path}"
        );
        let canonical_path = path.split('?').next().unwrap();
        let canonical = format!("{base}{canonical_path}");
        assert!(
            body.contains(&format!("<link href=\"{canonical}\" rel=\"canonical\">")),
            "{path}: canonical"
        );
        assert_eq!(
            body.matches("rel=\"canonical\"").count(),
            1,
            "{path}: one canonical"
        );
        assert_eq!(meta(body, "property", "og:url"), Some(canonical.as_str()));
        assert!(meta(body, "property", "og:title").is_some(), "{path}");
        assert_eq!(meta(body, "property", "og:locale"), Some("vi_VN"));
        for dc in [
            "DC.title",
            "DC.creator",
            "DC.description",
            "DC.publisher",
            "DC.identifier",
        ] {
            assert!(
                meta(body, "name", dc).is_some_and(|v| !v.is_empty()),
                "{path}: {dc}"
            );
        }
        assert_eq!(
            meta(body, "name", "DC.publisher"),
            Some("Ủy ban nhân dân xã Dương Quang")
        );
    }
    let mut unique = titles.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), titles.len(), "titles are unique: {titles:?}");

    let post = app.page(&format!("/bai-viet/{SAMPLE_SLUG}"), None).await;
    assert_eq!(meta(&post.body, "name", "DC.date"), Some("2022-03-14"));
    assert_eq!(meta(&post.body, "property", "og:type"), Some("article"));
    assert_eq!(
        meta(&post.body, "property", "article:published_time"),
        Some("2022-03-14T08:00:00Z")
    );
    // Search results are not for search engines.
    let search = app.page("/tim-kiem?q=papi", None).await;
    assert_eq!(
        meta(&search.body, "name", "robots"),
        Some("noindex, follow")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_has_the_menu_the_search_box_and_the_owner_in_its_footer() {
    let app = TestApp::spawn().await;
    sqlx::query("UPDATE site_settings SET value = '0221 3861 234' WHERE key = 'contact_phone'")
        .execute(&app.pool)
        .await
        .unwrap();
    let page = app.page("/chuyen-muc/thong-bao", None).await;
    assert_eq!(
        page.test_text("main-menu").as_deref(),
        Some("Trang chủGiới thiệuTin tức – Sự kiệnThông báoVăn bảnHỏi đápLiên hệSơ đồ trang")
    );
    // The current section is marked.
    assert!(page
        .body
        .contains("<a href=\"/chuyen-muc/thong-bao\" aria-current=\"page\">Thông báo</a>"));
    assert!(page.body.contains("action=\"/tim-kiem\""));
    let footer = page.test_text("site-footer").unwrap();
    assert!(
        footer.contains("Cơ quan chủ quản: Ủy ban nhân dân xã Dương Quang"),
        "{footer}"
    );
    assert!(footer.contains("Địa chỉ: Xã Dương Quang, tỉnh Hưng Yên"));
    assert!(footer.contains("Điện thoại: 0221 3861 234"));
    assert!(page.body.contains("href=\"tel:02213861234\""));
    assert!(
        !footer.contains("Thư điện tử"),
        "an empty setting is not shown"
    );
}
