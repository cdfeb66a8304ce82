//! Who runs the portal and what the home page offers besides the news (issue 18, items 8, 9
//! and 12): the header's agency and province, the emblem an admin sets, the footer's office
//! hours, licence and map link, the home page's blocks, and citations that lead to full texts.

use app::model::Role;
use serde_json::json;

use crate::attachments::{pdf, png, upload};
use crate::helpers::*;

const PASSWORD: &str = "mật khẩu thật dài 2024";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_says_who_runs_the_site_and_the_footer_how_to_reach_them() {
    let app = TestApp::spawn().await;
    let home = app.page("/", None).await;
    let brand = home.test_text("site-brand").unwrap();
    assert!(
        brand.contains("Ủy ban nhân dân xã Dương Quang") && brand.contains("Tỉnh Hưng Yên"),
        "{brand}"
    );
    // Empty settings are not shown; the map searches the address until a place is set.
    assert!(!home.body.contains("Giờ làm việc"));
    assert!(!home.body.contains("Giấy phép"));
    assert!(home.body.contains(
        "href=\"https://www.openstreetmap.org/search?query=X%C3%A3+D%C6%B0%C6%A1ng+Quang%2C+t%E1%BB%89nh+H%C6%B0ng+Y%C3%AAn\""
    ));

    app.add_user("bientap", Role::Editor, PASSWORD).await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    let settings = json!({ "pairs": [
        ["office_hours", "Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu"],
        ["licence", "Giấy phép số 12/GP-TTĐT do Sở Thông tin và Truyền thông tỉnh Hưng Yên cấp ngày 05/03/2024"],
        ["map_location", "20.9651, 106.0103"],
        ["province", "Tỉnh Hưng Yên mới"],
    ]});
    let (status, _) = app
        .call_json("save_settings", &settings, Some(&editor))
        .await;
    assert_eq!(status, 403, "only admins change the settings");
    for (pairs, refusal) in [
        (
            json!([["office_hours", "Cả ngày"], ["map_location", "Dương Quang"]]),
            "vĩ độ và kinh độ",
        ),
        (
            json!([["office_hours", "Cả ngày\u{2028}và đêm"]]),
            "một dòng",
        ),
        (
            json!([["contact_email", "ubnd@duongquang.gov.vn?cc=ke@gian.example"]]),
            "không hợp lệ",
        ),
    ] {
        let (status, answer) = app
            .call_json("save_settings", &json!({ "pairs": pairs }), Some(&admin))
            .await;
        assert_eq!(status, 400, "{pairs}");
        assert!(
            answer["BadRequest"].as_str().unwrap().contains(refusal),
            "{pairs}: {answer}"
        );
    }
    assert!(
        !app.page("/", None).await.body.contains("Cả ngày"),
        "nothing is stored when one value is wrong"
    );

    let (status, answer) = app
        .call_json("save_settings", &settings, Some(&admin))
        .await;
    assert_eq!(status, 200, "{answer}");
    let home = app.page("/", None).await;
    assert!(home
        .test_text("site-brand")
        .unwrap()
        .contains("Tỉnh Hưng Yên mới"));
    let footer = home.test_text("site-footer").unwrap();
    assert!(footer.contains("Giờ làm việc: Sáng 7:30–11:30, chiều 13:30–17:00"));
    assert!(footer.contains("Giấy phép số 12/GP-TTĐT"));
    assert!(home.body.contains(
        "href=\"https://www.openstreetmap.org/?mlat=20.9651&amp;mlon=106.0103#map=17/20.9651/106.0103\""
    ));
    let contact = app.page("/trang/lien-he", None).await;
    let details = contact.test_text("contact").unwrap();
    assert!(details.contains("Giờ làm việc") && details.contains("Sáng 7:30–11:30"));
    assert!(details.contains("Xem vị trí trên OpenStreetMap"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_the_emblem_and_every_page_shows_it() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    let drawn = "src=\"/bieu-trung.svg\"";
    assert!(
        app.page("/", None).await.body.contains(drawn),
        "the drawn one"
    );
    // The drawn one's file loads in the browser tests (end2end/tests/officials.spec.mjs).

    let (status, image) = upload(&app, Some(&admin), "quoc-huy.png", png(64, 64)).await;
    assert_eq!(status, 200, "{image}");
    let url = image["url"].as_str().unwrap().to_string();
    let id = image["id"].as_i64().unwrap();
    let anonymous = |url: String| {
        let client = app.client.clone();
        let full = app.url(&url);
        async move { client.get(full).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(
        anonymous(url.clone()).await,
        404,
        "not public before it is set"
    );

    let (status, _) = app
        .call_json("set_emblem", &json!({ "attachment": id }), Some(&editor))
        .await;
    assert_eq!(status, 403, "editors do not change the emblem");
    let (status, file) = upload(&app, Some(&admin), "quoc-huy.pdf", pdf()).await;
    assert_eq!(status, 200, "{file}");
    let (status, answer) = app
        .call_json(
            "set_emblem",
            &json!({ "attachment": file["id"] }),
            Some(&admin),
        )
        .await;
    assert_eq!(status, 400);
    assert!(answer["BadRequest"]
        .as_str()
        .unwrap()
        .contains("phải là một ảnh"));
    // Another official's private upload stays private: it is not found.
    let (_, private) = upload(&app, Some(&editor), "rieng.png", png(32, 32)).await;
    let (status, _) = app
        .call_json(
            "set_emblem",
            &json!({ "attachment": private["id"] }),
            Some(&admin),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        anonymous(private["url"].as_str().unwrap().to_string()).await,
        404
    );
    // Wide but light: a phone would decode all of it for a 56-pixel icon.
    let (_, wide) = upload(&app, Some(&admin), "rong.png", png(1100, 8)).await;
    let (status, answer) = app
        .call_json(
            "set_emblem",
            &json!({ "attachment": wide["id"] }),
            Some(&admin),
        )
        .await;
    assert_eq!(status, 400, "{wide}");
    assert!(answer["BadRequest"]
        .as_str()
        .unwrap()
        .contains("1024 × 1024"));
    let (_, big) = upload(&app, Some(&admin), "lon.png", png(640, 640)).await;
    let (status, answer) = app
        .call_json(
            "set_emblem",
            &json!({ "attachment": big["id"] }),
            Some(&admin),
        )
        .await;
    assert_eq!(status, 400, "{big}");
    assert!(answer["BadRequest"]
        .as_str()
        .unwrap()
        .contains("tối đa 300 KB"));

    let (status, answer) = app
        .call_json("set_emblem", &json!({ "attachment": id }), Some(&admin))
        .await;
    assert_eq!(status, 200, "{answer}");
    for path in ["/", "/van-ban", "/trang/lien-he"] {
        let page = app.page(path, None).await;
        assert!(
            page.body.contains(&format!("src=\"{url}\"")),
            "{path} shows the emblem"
        );
        assert!(!page.body.contains(drawn));
    }
    assert_eq!(anonymous(url.clone()).await, 200, "citizens load it");

    let (status, _) = app
        .call_json("set_emblem", &json!({ "attachment": null }), Some(&admin))
        .await;
    assert_eq!(status, 200);
    assert!(app.page("/", None).await.body.contains(drawn));
    assert_eq!(anonymous(url).await, 404, "private again");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'Đổi biểu trưng' AND username = 'quantri'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_shows_notices_new_documents_and_service_links() {
    let app = TestApp::spawn().await;
    let home = app.page("/", None).await;
    assert!(home
        .test_text("home-notices")
        .unwrap()
        .contains("Chưa có thông báo nào."));
    let documents = home.test_text("home-documents").unwrap();
    let newest = documents.find("Kế hoạch số 19/KH-UBND").unwrap();
    let older = documents.find("Kế hoạch số 181/KH-UBND").unwrap();
    assert!(newest < older, "newest first: {documents}");
    assert!(documents.contains("17/01/2022"));
    let links = home.test_text("service-links").unwrap();
    assert!(links.contains("Thủ tục hành chính") && links.contains("Cổng Dịch vụ công quốc gia"));
    assert!(home.body.contains("href=\"https://dichvucong.gov.vn\""));
    // One heading for the page, the blocks and the news under it.
    assert_eq!(home.body.matches("<h1").count(), 1);

    // A notice, in a subcategory of "Thông báo", and a post elsewhere.
    sqlx::query("INSERT INTO categories (id, slug, name, parent_id, position) VALUES (9, 'lich-tiep-dan', 'Lịch tiếp dân', 3, 1)")
        .execute(&app.pool)
        .await
        .unwrap();
    for (slug, title, category) in [
        (
            "lich-tiep-cong-dan-thang-12",
            "Lịch tiếp công dân tháng 12/2026",
            9,
        ),
        ("tin-the-thao", "Giải bóng chuyền hơi của xã", 1),
    ] {
        sqlx::query(
            "INSERT INTO posts (slug, title, lead, body_html, body_text, status, published_at, category_id)
             VALUES (?, ?, '', '<p>x</p>', 'x', 'published', '2026-11-28 01:00:00', ?)",
        )
        .bind(slug)
        .bind(title)
        .bind(category)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    app::server::changes::changed();
    let home = app.page("/", None).await;
    let notices = home.test_text("home-notices").unwrap();
    assert!(
        notices.contains("Lịch tiếp công dân tháng 12/2026"),
        "{notices}"
    );
    assert!(notices.contains("28/11/2026"));
    assert!(!notices.contains("Giải bóng chuyền"));
    assert!(home.body.contains("href=\"/chuyen-muc/thong-bao\""));
    // Later pages of the news are the news alone.
    app.add_posts(12).await;
    let second = app.page("/?trang=2", None).await;
    assert_eq!(second.status, 200);
    assert_eq!(second.count("home-notices"), 0);
    assert_eq!(second.count("service-links"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sample_post_names_the_plan_and_citations_lead_to_the_full_text() {
    let app = TestApp::spawn().await;
    let post = app.page(&format!("/bai-viet/{SAMPLE_SLUG}"), None).await;
    assert!(!post.body.contains("tại đây"));
    assert!(
        post.body.contains(
            "Toàn văn: <a href=\"/van-ban/2\" class=\"doc-ref\">Kế hoạch số 19/KH-UBND ngày 17/01/2022</a>"
        ),
        "{}",
        post.body
    );
    let revisions: Vec<String> = sqlx::query_scalar(
        "SELECT note FROM post_revisions r JOIN posts p ON p.id = r.post_id WHERE p.slug = ? ORDER BY r.version",
    )
    .bind(SAMPLE_SLUG)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        revisions.len(),
        2,
        "the change is a revision: {revisions:?}"
    );

    // Both plans lack their full text: the officials' list says so, most cited first.
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let (status, missing) = app.get_json("/api/missing_documents", Some(&editor)).await;
    assert_eq!(status, 200);
    let without = missing["without_files"].as_array().unwrap();
    assert_eq!(without.len(), 2, "{missing}");
    assert_eq!(without[0]["number"], "19/KH-UBND");
    assert_eq!(without[0]["cited_by"], 1);
    let (status, _) = app.get_json("/api/missing_documents", None).await;
    assert_eq!(status, 401);

    // Another official's private upload cannot be made public as a document's file.
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    let (_, secret) = upload(&app, Some(&admin), "bi-mat.pdf", pdf()).await;
    let document = |file: &serde_json::Value| {
        json!({ "edit": {
            "id": 2, "base_version": 1, "kind": "Kế hoạch", "number": "19/KH-UBND",
            "issued_on": "2022-01-17", "effective_on": "", "expires_on": "",
            "issuer": "Ủy ban nhân dân thành phố Hưng Yên", "signer": "",
            "field": "Cải cách hành chính",
            "summary": "Tuyên truyền nâng cao Chỉ số Hiệu quả quản trị và hành chính công (PAPI) thành phố Hưng Yên năm 2022",
            "files": [file],
        }})
    };
    let (status, answer) = app
        .call_json("save_document", &document(&secret), Some(&editor))
        .await;
    assert_eq!(status, 400, "{answer}");
    let res = app
        .client
        .get(app.url(secret["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404, "still private");

    // Plan 19 gets its file: the post's citation leads to it, saying what it is.
    let (status, file) = upload(&app, Some(&editor), "ke-hoach-19.pdf", pdf()).await;
    assert_eq!(status, 200, "{file}");
    let (status, answer) = app
        .call_json("save_document", &document(&file), Some(&editor))
        .await;
    assert_eq!(status, 200, "{answer}");
    let url = file["url"].as_str().unwrap();
    let post = app.page(&format!("/bai-viet/{SAMPLE_SLUG}"), None).await;
    assert!(
        post.body.contains(&format!(
            "Toàn văn: <a href=\"{url}\" class=\"doc-ref doc-ref--file\">Kế hoạch số 19/KH-UBND ngày 17/01/2022 (PDF, "
        )),
        "{}",
        post.body
    );
    let res = app.client.get(app.url(url)).send().await.unwrap();
    assert_eq!(res.status(), 200, "citizens open the full text");
    let (_, missing) = app.get_json("/api/missing_documents", Some(&editor)).await;
    let without = missing["without_files"].as_array().unwrap();
    assert_eq!(without.len(), 1);
    assert_eq!(without[0]["number"], "181/KH-UBND");
}
