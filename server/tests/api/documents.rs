//! Văn bản: the documents list and its filters, a document's page, and the links posts get to
//! the documents they cite.

use app::server::doc_refs::DocNumber;
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
