//! Văn bản: the documents list and its filters, a document's page, and the links posts get to
//! the documents they cite.

use app::server::documents::doc_refs::DocNumber;
use app::server::documents::search_text;

use crate::helpers::*;

/// The numbers listed on the documents page for `query`, in order.
async fn listed(app: &TestApp, query: &str) -> Vec<String> {
    let page = app.page(&format!("/van-ban{query}"), None).await;
    assert_eq!(page.status, 200, "{query}: {}", page.body);
    page.body
        .split("data-test=\"document-row\"")
        .skip(1)
        .map(|row| {
            let link = &row[row.find("<a ").unwrap()..];
            let text = &link[link.find('>').unwrap() + 1..];
            text[..text.find('<').unwrap()].to_string()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sample_post_links_the_two_plans_it_cites() {
    let app = TestApp::spawn().await;
    let post = app.page(&format!("/bai-viet/{SAMPLE_SLUG}"), None).await;
    assert!(
        post.body.contains(
            "<a href=\"/van-ban/1\" class=\"doc-ref\">Kế hoạch số 181/KH-UBND ngày 29/12/2021</a>"
        ),
        "the lead's reference is a link"
    );
    assert!(
        post.body
            .contains("<a href=\"/van-ban/2\" class=\"doc-ref\">Kế hoạch số 19/KH-UBND</a>"),
        "the body's reference is a link"
    );
    // The text around them is unchanged.
    assert!(post.body.contains("ban hành <a href=\"/van-ban/2\""));
    assert!(post.body.contains("</a> về Tuyên truyền"));

    // A reference to a document the portal does not have stays text.
    sqlx::query(
        "INSERT INTO posts (slug, title, lead, body_html, body_text, status, published_at)
         VALUES ('qd', 'Thông báo', 'Theo Quyết định số 12/QĐ-UBND và Kế hoạch 19/KH-UBND.',
                 '<p>Xem <a href=\"/khac\">Kế hoạch số 19/KH-UBND</a>.</p>', '', 'published', '2024-01-01 00:00:00')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let post = app.page("/bai-viet/qd", None).await;
    assert!(post
        .body
        .contains("Theo Quyết định số 12/QĐ-UBND và <a href=\"/van-ban/2\""));
    assert!(
        post.body
            .contains("<a href=\"/khac\">Kế hoạch số 19/KH-UBND</a>"),
        "an existing link is left alone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_documents_page_filters_and_searches_with_vietnamese_folding() {
    let app = TestApp::spawn().await;
    let all = listed(&app, "").await;
    assert_eq!(all, ["19/KH-UBND", "181/KH-UBND"], "newest first");
    let page = app.page("/van-ban", None).await;
    assert!(page.body.contains("<thead>") && page.body.contains("<tbody>"));
    assert_eq!(
        page.test_text("documents-summary").as_deref(),
        Some("Có 2 văn bản.")
    );

    assert_eq!(listed(&app, "?nam=2021").await, ["181/KH-UBND"]);
    assert_eq!(listed(&app, "?q=19%2FKH-UBND").await, ["19/KH-UBND"]);
    assert_eq!(listed(&app, "?q=19+%2F+kh-ubnd").await, ["19/KH-UBND"]);
    // The symbol's first parts, as people say it; not a part cut in the middle.
    assert_eq!(listed(&app, "?q=19%2FKH").await, ["19/KH-UBND"]);
    assert_eq!(listed(&app, "?q=181%2Fkh").await, ["181/KH-UBND"]);
    assert!(listed(&app, "?q=19%2FKH-UB").await.is_empty());
    assert!(listed(&app, "?q=19%2FQ%C4%90").await.is_empty());
    assert_eq!(listed(&app, "?q=papi").await.len(), 2);
    assert_eq!(
        listed(&app, "?q=TUY%C3%8AN+TRUY%E1%BB%80N").await,
        ["19/KH-UBND"]
    );
    assert_eq!(listed(&app, "?q=tuyen+truyen").await, ["19/KH-UBND"]);
    assert_eq!(
        listed(&app, "?loai=K%E1%BA%BF+ho%E1%BA%A1ch&co_quan=%E1%BB%A6y+ban+nh%C3%A2n+d%C3%A2n+th%C3%A0nh+ph%E1%BB%91+H%C6%B0ng+Y%C3%AAn").await.len(),
        2
    );
    let none = app
        .page("/van-ban?loai=Quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh", None)
        .await;
    assert!(none.body.contains("Không có văn bản nào phù hợp."));

    let bad = app.page("/van-ban?nam=abc", None).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Năm “abc” không hợp lệ"));
    assert_eq!(app.page("/van-ban?trang=2", None).await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_page_shows_its_identity_validity_and_the_posts_citing_it() {
    let app = TestApp::spawn().await;
    let page = app.page("/van-ban/2", None).await;
    assert_eq!(page.status, 200);
    let text = page.test_text("document").unwrap();
    assert!(text.contains("Kế hoạch số 19/KH-UBND"), "{text}");
    assert!(text.contains("Ngày ban hành17/01/2022"), "{text}");
    assert!(text.contains("Cơ quan ban hànhỦy ban nhân dân thành phố Hưng Yên"));
    assert_eq!(page.test_text("validity").as_deref(), Some("Còn hiệu lực"));
    assert_eq!(page.test_text("cited-by").as_deref(), Some(SAMPLE_TITLE));

    // Expired, and replaced.
    sqlx::query(
        "INSERT INTO documents (kind, number, symbol, symbol_folded, issued_on, expires_on, issuer, summary, search_text)
         VALUES ('Quyết định', 7, 'QĐ-UBND', 'qd-ubnd', '2020-01-02', '2021-01-01', 'Ủy ban nhân dân xã Dương Quang', 'Quy chế cũ', 'x')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let old = app.page("/van-ban/3", None).await;
    assert_eq!(
        old.test_text("validity").as_deref(),
        Some("Hết hiệu lực từ 01/01/2021")
    );
    assert!(listed(&app, "").await.contains(&"7/QĐ-UBND".to_string()));
    let list = app.page("/van-ban", None).await;
    assert!(list.body.contains("Hết hiệu lực"));

    assert_eq!(app.page("/van-ban/99", None).await.status, 404);
    assert_eq!(app.page("/van-ban/abc", None).await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_is_one_record_and_its_search_text_is_folded_like_queries() {
    let app = TestApp::spawn().await;
    let seeds: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT number, symbol, kind, summary, issuer, search_text FROM documents ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for (number, symbol, kind, summary, issuer, stored) in seeds {
        let number = DocNumber::parse(&format!("{number}/{symbol}")).unwrap();
        assert_eq!(stored, search_text(&number, &kind, &summary, &issuer));
    }
    // The same kind, number and symbol from the same body in the same year is refused.
    let again = sqlx::query(
        "INSERT INTO documents (kind, number, symbol, symbol_folded, issued_on, issuer, summary, search_text)
         VALUES ('Kế hoạch', 19, 'KH-UBND', 'kh-ubnd', '2022-05-05', 'Ủy ban nhân dân thành phố Hưng Yên', 'Khác', 'x')",
    )
    .execute(&app.pool)
    .await;
    assert!(again.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn officials_add_the_documents_posts_cite_and_the_references_link_themselves() {
    use app::model::Role;
    use serde_json::{json, Value};
    const PASSWORD: &str = "mật khẩu thật dài 2024";
    let app = TestApp::spawn().await;
    app.add_user("phongvien", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let writer = app.sign_in("phongvien", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();

    // The sample post's three references (two to plan 19) were recognised at the first
    // start, and found.
    let linked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM post_references WHERE post_id = 1 AND document_id IS NOT NULL",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(linked, 3);

    let post = json!({ "edit": {
        "id": null, "base_version": 0, "slug": "", "title": "Thành lập tổ hòa giải thôn Đông",
        "lead": "Thực hiện Quyết định số 12/QĐ-UBND ngày 05/03/2026 của Ủy ban nhân dân xã.",
        "body_html": "<p>Tổ gồm 5 thành viên.</p>", "description": "", "category_id": 3,
        "published_local": "",
    }});
    let (status, saved) = app.call_json("save_post", &post, Some(&editor)).await;
    assert_eq!(status, 200, "{saved}");
    let slug = saved["Saved"]["slug"].as_str().unwrap().to_string();
    let id = saved["Saved"]["id"].as_i64().unwrap();
    app.call(
        "post_action",
        &[("id", &id.to_string()), ("action", "publish")],
        Some(&editor),
    )
    .await;

    let (status, missing) = app.get_json("/api/missing_documents", Some(&writer)).await;
    assert_eq!(status, 200);
    let first = &missing["cited"][0];
    assert_eq!(first["written"], "Quyết định số 12/QĐ-UBND ngày 05/03/2026");
    assert_eq!(first["number"], "12/QĐ-UBND");
    assert_eq!(
        first["issued_on"],
        serde_json::to_value(app::format::parse_date("2026-03-05")).unwrap(),
        "the cited day, typed"
    );
    assert_eq!(first["posts"][0]["href"], format!("/bai-viet/{slug}"));
    assert_eq!(missing["cited"].as_array().unwrap().len(), 1);

    let document = |changes: Value| {
        let mut edit = json!({
            "id": null, "base_version": 0, "kind": "Quyết định", "number": "12/QĐ-UBND",
            "issued_on": "2026-03-05", "effective_on": "", "expires_on": "",
            "issuer": "Ủy ban nhân dân xã Dương Quang", "signer": "Nguyễn Văn Nam",
            "field": "Hòa giải ở cơ sở", "summary": "Về việc thành lập tổ hòa giải thôn Đông",
            "files": [],
        });
        for (k, v) in changes.as_object().unwrap() {
            edit[k] = v.clone();
        }
        json!({ "edit": edit })
    };
    let (status, _) = app
        .call_json("save_document", &document(json!({})), Some(&writer))
        .await;
    assert_eq!(status, 403, "writers do not add documents");
    for (changes, expected) in [
        (json!({ "number": "12-QĐ" }), "19/KH-UBND"),
        (
            json!({ "issued_on": "2026-02-30" }),
            "Ngày ban hành không hợp lệ",
        ),
        (json!({ "issuer": " " }), "cơ quan ban hành"),
        (json!({ "kind": "Thư tình" }), "loại văn bản"),
        (
            json!({ "expires_on": "2026-01-01" }),
            "không thể trước ngày ban hành",
        ),
    ] {
        let (status, answer) = app
            .call_json("save_document", &document(changes.clone()), Some(&editor))
            .await;
        assert_eq!(status, 400, "{changes}");
        assert!(
            answer["BadRequest"]
                .as_str()
                .unwrap_or_default()
                .contains(expected),
            "{changes}: {answer}"
        );
    }
    let (status, new_id) = app
        .call_json("save_document", &document(json!({})), Some(&editor))
        .await;
    assert_eq!(status, 200, "{new_id}");
    let doc_id = new_id.as_i64().unwrap();

    // The post's reference is now a link, and the list of missing documents is empty.
    let page = app.page(&format!("/bai-viet/{slug}"), None).await;
    assert!(page.body.contains(&format!("<a href=\"/van-ban/{doc_id}\" class=\"doc-ref\">Quyết định số 12/QĐ-UBND ngày 05/03/2026</a>")), "{}", page.body);
    let (_, missing) = app.get_json("/api/missing_documents", Some(&writer)).await;
    assert_eq!(missing["cited"], json!([]));

    let (status, answer) = app
        .call_json("save_document", &document(json!({})), Some(&editor))
        .await;
    assert_eq!(status, 400);
    assert!(answer["BadRequest"]
        .as_str()
        .unwrap()
        .contains("đã có trên cổng"));

    // Edits carry their version.
    let edit = document(json!({ "id": doc_id, "base_version": 1, "signer": "Trần Văn Bình" }));
    let (status, _) = app.call_json("save_document", &edit, Some(&editor)).await;
    assert_eq!(status, 200);
    let (status, answer) = app.call_json("save_document", &edit, Some(&editor)).await;
    assert_eq!(status, 400);
    assert!(answer["BadRequest"]
        .as_str()
        .unwrap()
        .contains("vừa được người khác sửa"));
    let page = app.page(&format!("/van-ban/{doc_id}"), None).await;
    assert!(page.body.contains("Trần Văn Bình"));
    let revisions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM document_revisions WHERE document_id = ?")
            .bind(doc_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(revisions, 2);

    // Replaced by a newer document: marked so on its page, and listed on the newer one's.
    for bad in [json!(999), json!(doc_id)] {
        let edit = document(json!({ "id": doc_id, "base_version": 2, "replaced_by": bad }));
        let (status, answer) = app.call_json("save_document", &edit, Some(&editor)).await;
        assert_eq!(status, 400, "{answer}");
        assert!(answer["BadRequest"]
            .as_str()
            .unwrap()
            .contains("Văn bản thay thế"));
    }
    let edit = document(json!({ "id": doc_id, "base_version": 2, "replaced_by": 2 }));
    let (status, _) = app.call_json("save_document", &edit, Some(&editor)).await;
    assert_eq!(status, 200);
    let page = app.page(&format!("/van-ban/{doc_id}"), None).await;
    assert_eq!(
        page.test_text("validity").as_deref(),
        Some("Hết hiệu lực (đã được thay thế)")
    );
    let newer = app.page("/van-ban/2", None).await;
    assert!(
        newer.body.contains(&format!("/van-ban/{doc_id}")),
        "listed under what it replaces"
    );
}
