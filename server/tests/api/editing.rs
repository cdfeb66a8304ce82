//! Officials edit posts: saves that carry their version, the sanitiser, the workflow and its
//! rights, scheduled publication, the trash, revisions with diffs and restore.

use std::time::Duration;

use app::model::Role;
use serde_json::{json, Value};

use crate::helpers::*;

const PASSWORD: &str = "mật khẩu thật dài 2024";

/// The post as the editor opens it.
async fn open(app: &TestApp, id: i64, cookie: &str) -> Value {
    let (status, data) = app
        .get_json(&format!("/api/edit_post?id={id}"), Some(cookie))
        .await;
    assert_eq!(status, 200, "{data}");
    data["post"].clone()
}

/// What the editor sends for `post` (as `open` gave it) with `changes` applied.
fn edit_of(post: &Value, changes: Value) -> Value {
    let mut edit = json!({
        "id": post["id"],
        "base_version": post["version"],
        "slug": post["slug"],
        "title": post["title"],
        "lead": post["lead"],
        "body_html": post["body_html"],
        "description": post["description"],
        "category_id": post["category_id"],
        "published_local": post["published_local"],
    });
    for (k, v) in changes.as_object().unwrap() {
        edit[k] = v.clone();
    }
    edit
}

pub(crate) async fn save(app: &TestApp, edit: Value, cookie: &str) -> (u16, Value) {
    app.call_json("save_post", &json!({ "edit": edit }), Some(cookie))
        .await
}

pub(crate) fn new_post(title: &str, body: &str) -> Value {
    json!({
        "id": null, "base_version": 0, "slug": "", "title": title, "lead": "Tóm tắt.",
        "body_html": body, "description": "", "category_id": 3, "published_local": "",
    })
}

pub(crate) async fn stage(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT stage FROM posts WHERE id = ?")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xss_payloads_saved_come_back_inert() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let post = open(&app, 1, &editor).await;
    let payloads = [
        "<script>alert('x1')</script>",
        "<img src=x onerror=\"alert('x2')\">",
        "<a href=\"javascript:alert('x3')\">bấm</a>",
        "<a href=\"  JaVaScRiPt:alert('x4')\">bấm</a>",
        "<svg onload=\"alert('x5')\"><script>alert('x5b')</script></svg>",
        "<p style=\"background:url(javascript:alert('x6'))\" onclick=\"alert('x6b')\">đoạn</p>",
        "<iframe src=\"javascript:alert('x7')\"></iframe>",
        "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
        "<math><mi xlink:href=\"javascript:alert('x9')\">x</mi></math>",
        "<details open ontoggle=\"alert('x10')\">d</details>",
        "<form action=\"javascript:alert('x11')\"><button>g</button></form>",
        "<style>body{background:url(\"javascript:alert('x12')\")}</style>",
        "<object data=\"javascript:alert('x13')\"></object>",
        "<a href=\"&#106;avascript:alert('x14')\">mã hóa</a>",
        "<p>Đoạn văn thật giữ nguyên.</p>",
    ];
    let body = payloads.concat();
    let (status, answer) = save(
        &app,
        edit_of(
            &post,
            json!({ "title": "Tiêu đề <script>alert('t')</script>", "body_html": body }),
        ),
        &editor,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let stored: String = sqlx::query_scalar("SELECT body_html FROM posts WHERE id = 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let lower = stored.to_lowercase();
    for bad in [
        "<script",
        "onerror",
        "onload",
        "onclick",
        "ontoggle",
        "javascript:",
        "<svg",
        "style",
        "<iframe",
        "data:",
        "<object",
        "<form",
        "alert(",
    ] {
        assert!(!lower.contains(bad), "{bad} stored in {stored}");
    }
    assert!(stored.contains("<p>Đoạn văn thật giữ nguyên.</p>"));
    assert_eq!(
        answer["Saved"]["body_html"], stored,
        "the editor gets what was kept"
    );

    // The citizen's page: the title is text, and nothing of the payloads runs.
    let page = app.page(&format!("/bai-viet/{SAMPLE_SLUG}"), None).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Tiêu đề &lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;")
            || page
                .body
                .contains("Tiêu đề &lt;script&gt;alert('t')&lt;/script&gt;")
    );
    for n in 1..=14 {
        assert!(
            !page.body.contains(&format!("alert('x{n}")),
            "payload {n} on the page"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_over_a_newer_version_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.add_user("lan", Role::Editor, PASSWORD).await;
    app.add_user("minh", Role::Editor, PASSWORD).await;
    let lan = app.sign_in("lan", PASSWORD).await.unwrap();
    let minh = app.sign_in("minh", PASSWORD).await.unwrap();
    let by_lan = open(&app, 1, &lan).await;
    let by_minh = open(&app, 1, &minh).await;
    assert_eq!(by_lan["version"], by_minh["version"]);

    let (status, saved) = save(
        &app,
        edit_of(&by_lan, json!({ "title": "Bản của Lan" })),
        &lan,
    )
    .await;
    assert_eq!(status, 200);
    let version = saved["Saved"]["version"].as_i64().unwrap();
    assert_eq!(version, by_lan["version"].as_i64().unwrap() + 1);

    let (status, answer) = save(
        &app,
        edit_of(&by_minh, json!({ "title": "Bản của Minh" })),
        &minh,
    )
    .await;
    assert_eq!(status, 200);
    let theirs = &answer["Conflict"]["current"];
    assert_eq!(theirs["title"], "Bản của Lan", "{answer}");
    assert_eq!(theirs["version"], version);
    assert_eq!(theirs["saved_by"], "lan");
    let title: String = sqlx::query_scalar("SELECT title FROM posts WHERE id = 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(title, "Bản của Lan");

    // Saved again from the version now current, Minh's text goes in.
    let (_, answer) = save(
        &app,
        edit_of(
            &by_minh,
            json!({ "title": "Bản của Minh", "base_version": version }),
        ),
        &minh,
    )
    .await;
    assert_eq!(answer["Saved"]["version"], version + 1);
    let page = app.page(&format!("/bai-viet/{SAMPLE_SLUG}"), None).await;
    assert!(page.body.contains("Bản của Minh"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_vietnamese_message_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let post = open(&app, 1, &editor).await;
    let before: (String, i64) = sqlx::query_as("SELECT title, version FROM posts WHERE id = 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    for (changes, expected) in [
        (json!({ "title": "  " }), "cần có tiêu đề"),
        (
            json!({ "title": "x".repeat(301) }),
            "Tiêu đề dài quá 300 ký tự",
        ),
        (
            json!({ "published_local": "2022-02-31T10:00" }),
            "Thời gian đăng không hợp lệ",
        ),
        (
            json!({ "published_local": "14/03/2022" }),
            "Thời gian đăng không hợp lệ",
        ),
        (json!({ "slug": "?!" }), "Đường dẫn phải có chữ hoặc số"),
        (
            json!({ "category_id": 999 }),
            "Chuyên mục đã chọn không còn tồn tại",
        ),
        (
            json!({ "slug": "gioi-thieu" }),
            "đã được dùng cho một bài viết khác",
        ),
    ] {
        let (status, answer) = save(&app, edit_of(&post, changes.clone()), &editor).await;
        assert_eq!(status, 400, "{changes}");
        let message = answer["BadRequest"].as_str().unwrap_or_default();
        assert!(message.contains(expected), "{changes}: {answer}");
    }
    let after: (String, i64) = sqlx::query_as("SELECT title, version FROM posts WHERE id = 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(before, after);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_draft_and_submit_editors_publish() {
    let app = TestApp::spawn().await;
    app.add_user("phongvien", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let writer = app.sign_in("phongvien", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();

    // Nobody signed in can do nothing.
    let (status, _) = save(&app, new_post("Thông báo", "<p>x</p>"), "portal_session=x").await;
    assert_eq!(status, 401);
    let (status, _) = app
        .call_json("clean_pasted", &json!({ "html": "<p>x</p>" }), None)
        .await;
    assert_eq!(status, 401);

    let (status, saved) = save(
        &app,
        new_post(
            "Thông báo lịch tiếp công dân tháng 12",
            "<p>Thứ Năm hằng tuần.</p>",
        ),
        &writer,
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let id = saved["Saved"]["id"].as_i64().unwrap();
    let slug = saved["Saved"]["slug"].as_str().unwrap().to_string();
    assert_eq!(slug, "thong-bao-lich-tiep-cong-dan-thang-12");
    assert_eq!(stage(&app, id).await, "draft");
    let path = format!("/bai-viet/{slug}");
    assert_eq!(
        app.page(&path, None).await.status,
        404,
        "drafts are not public"
    );

    // A second post of the same title gets its own address.
    let (_, again) = save(
        &app,
        new_post("Thông báo lịch tiếp công dân tháng 12", "<p>y</p>"),
        &writer,
    )
    .await;
    assert_eq!(
        again["Saved"]["slug"],
        "thong-bao-lich-tiep-cong-dan-thang-12-2"
    );

    // The writer may not publish, nor edit the editors' published post.
    let (status, _) = app
        .call(
            "post_action",
            &[("id", &id.to_string()), ("action", "publish")],
            Some(&writer),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app.get_json("/api/edit_post?id=1", Some(&writer)).await;
    assert_eq!(status, 403);
    let sample = open(&app, 1, &editor).await;
    let (status, _) = save(
        &app,
        edit_of(&sample, json!({ "title": "Sửa trộm" })),
        &writer,
    )
    .await;
    assert_eq!(status, 403);

    let (status, _) = app
        .call(
            "post_action",
            &[("id", &id.to_string()), ("action", "submit")],
            Some(&writer),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(stage(&app, id).await, "review");
    let (_, list) = app
        .get_json("/api/official_posts?stage=review", Some(&editor))
        .await;
    assert_eq!(list["rows"][0]["id"], id, "{list}");

    // The officials' bar counts what waits: the editors' review, the writer's own drafts
    // (the second post); nobody signed in gets nothing.
    let (status, me) = app.get_json("/api/me", Some(&editor)).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["waiting"], json!({ "stage": "review", "count": 1 }));
    let (_, me) = app.get_json("/api/me", Some(&writer)).await;
    assert_eq!(me["waiting"], json!({ "stage": "draft", "count": 1 }));
    let (_, me) = app.get_json("/api/me", None).await;
    assert_eq!(me, json!(null));

    let (status, body) = app
        .call(
            "post_action",
            &[("id", &id.to_string()), ("action", "publish")],
            Some(&editor),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(stage(&app, id).await, "published");
    let page = app.page(&path, None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Thứ Năm hằng tuần."));
    let found = app
        .page("/tim-kiem?q=tiep%20cong%20dan%20thang%2012", None)
        .await;
    assert!(
        found.body.contains(&path),
        "search finds the published post"
    );

    // Once published, it is the editors' to change.
    let mine = open(&app, id, &editor).await;
    let (status, _) = save(&app, edit_of(&mine, json!({ "title": "Đổi" })), &writer).await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_post_appears_at_its_time_without_anyone_visiting() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    // In an hour (to the minute, as the form sends it).
    let soon =
        app::server::time::local_input(&app::server::time::utc_timestamp(app.clock.now() + 3600))
            .unwrap();
    let mut post = new_post("Lịch cắt điện ngày mai", "<p>Từ 7 giờ đến 11 giờ.</p>");
    post["published_local"] = json!(soon);
    let (_, saved) = save(&app, post, &editor).await;
    let id = saved["Saved"]["id"].as_i64().unwrap();
    let (status, body) = app
        .call(
            "post_action",
            &[("id", &id.to_string()), ("action", "publish")],
            Some(&editor),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body, "\"scheduled\"");
    let path = format!("/bai-viet/{}", saved["Saved"]["slug"].as_str().unwrap());
    assert_eq!(
        app.page(&path, None).await.status,
        404,
        "not before its time"
    );

    // An hour later, with no request in between: the timer publishes it.
    app.clock.advance(3600);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while stage(&app, id).await != "published" {
        assert!(
            std::time::Instant::now() < deadline,
            "the timer did not publish"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(app.page(&path, None).await.status, 200);
    let audit: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'Đăng bài viết theo giờ hẹn'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audit, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trash_hides_a_post_until_an_editor_restores_it() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let path = format!("/bai-viet/{SAMPLE_SLUG}");
    let (status, _) = app
        .call(
            "post_action",
            &[("id", "1"), ("action", "trash")],
            Some(&editor),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.page(&path, None).await.status, 404);
    assert_eq!(app.page(&path, Some(&editor)).await.status, 404);
    let (_, trash) = app
        .get_json("/api/official_posts?stage=trash", Some(&editor))
        .await;
    assert_eq!(trash["rows"][0]["title"], SAMPLE_TITLE);
    let (status, answer) = app.get_json("/api/edit_post?id=1", Some(&editor)).await;
    assert_eq!(status, 400);
    assert!(answer["BadRequest"].as_str().unwrap().contains("thùng rác"));

    let (status, _) = app
        .call(
            "post_action",
            &[("id", "1"), ("action", "restore")],
            Some(&editor),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(stage(&app, 1).await, "draft");
    let (status, _) = app
        .call(
            "post_action",
            &[("id", "1"), ("action", "publish")],
            Some(&editor),
        )
        .await;
    assert_eq!(status, 200);
    let page = app.page(&path, None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(SAMPLE_PARAGRAPHS[2]), "nothing was lost");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_save_is_a_revision_that_can_be_compared_and_restored() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let first = open(&app, 1, &editor).await;
    let v1 = first["version"].as_i64().unwrap();
    let (_, saved) = save(
        &app,
        edit_of(&first, json!({ "title": "Tiêu đề thứ hai" })),
        &editor,
    )
    .await;
    let v2 = saved["Saved"]["version"].as_i64().unwrap();
    let second = open(&app, 1, &editor).await;
    let (_, saved) = save(
        &app,
        edit_of(&second, json!({ "body_html": "<p>Chỉ còn một đoạn.</p>" })),
        &editor,
    )
    .await;
    let v3 = saved["Saved"]["version"].as_i64().unwrap();

    let (status, history) = app
        .get_json(
            &format!("/api/load_history?id=1&from={v1}&to={v3}"),
            Some(&editor),
        )
        .await;
    assert_eq!(status, 200, "{history}");
    let versions: Vec<i64> = history["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_i64().unwrap())
        .collect();
    // Newest first, down to the text as seeded (the sample post's version 1, before the
    // portal's own update of its last sentence).
    assert_eq!(versions, vec![v3, v2, v1, v1 - 1]);
    // By the name the portal shows for the official, not their user name.
    assert_eq!(history["revisions"][0]["author"], "Cán bộ bientap");
    let lines = history["diff"]["lines"].as_array().unwrap();
    let has = |change: &str, text: &str| {
        lines
            .iter()
            .any(|l| l["change"] == change && l["text"].as_str().unwrap().contains(text))
    };
    assert!(has("-", &format!("Tiêu đề: {SAMPLE_TITLE}")));
    assert!(has("+", "Tiêu đề: Tiêu đề thứ hai"));
    assert!(has("-", "Xây dựng kế hoạch và đề ra giải pháp"));
    assert!(has("+", "Chỉ còn một đoạn."));

    // Restoring the first version saves it again, as the newest.
    let (status, answer) = app
        .call(
            "restore_revision",
            &[
                ("id", "1"),
                ("version", &v1.to_string()),
                ("base_version", &v3.to_string()),
            ],
            Some(&editor),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let page = app.page(&format!("/bai-viet/{SAMPLE_SLUG}"), None).await;
    assert!(page.body.contains(SAMPLE_TITLE));
    assert!(page.body.contains(SAMPLE_PARAGRAPHS[2]));
    let (_, history) = app.get_json("/api/load_history?id=1", Some(&editor)).await;
    assert_eq!(
        history["revisions"][0]["note"],
        format!("Khôi phục phiên bản {v1}")
    );
    assert_eq!(history["version"], v3 + 1);

    // A restore from a stale page is refused.
    let (_, answer) = app
        .call(
            "restore_revision",
            &[
                ("id", "1"),
                ("version", &v2.to_string()),
                ("base_version", &v3.to_string()),
            ],
            Some(&editor),
        )
        .await;
    assert!(answer.contains("Conflict"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasted_word_html_keeps_its_structure_and_loses_the_office_markup() {
    let app = TestApp::spawn().await;
    app.add_user("phongvien", Role::Writer, PASSWORD).await;
    let writer = app.sign_in("phongvien", PASSWORD).await.unwrap();
    let word = r#"<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style></head><body lang=VI>
<!--StartFragment--><p class=MsoNormal style='mso-margin-top-alt:auto'><b><span style='font-size:14.0pt;mso-bidi-font-family:"Times New Roman"'>Điều 1.<o:p></o:p></span></b></p>
<ul style='margin-top:0cm'><li class=MsoNormal style='mso-list:l0 level1 lfo1'>Một</li></ul><!--EndFragment--></body></html>"#;
    let (status, clean) = app
        .call_json("clean_pasted", &json!({ "html": word }), Some(&writer))
        .await;
    assert_eq!(status, 200);
    assert_eq!(clean, json!("<p><b>Điều 1.</b></p>\n<ul><li>Một</li></ul>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_change_the_slogan_and_contact_details_all_or_nothing() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    let slogan = json!({ "pairs": [["slogan", "Chào mừng Đại hội Đảng bộ xã"]] });
    let (status, _) = app.call_json("save_settings", &slogan, Some(&editor)).await;
    assert_eq!(status, 403);
    assert!(app.page("/", None).await.body.contains(SLOGAN));

    // One wrong value: nothing is stored.
    let (status, answer) = app
        .call_json(
            "save_settings",
            &json!({ "pairs": [["contact_phone", "0221 3 123 456"], ["contact_email", "không phải thư"]] }),
            Some(&admin),
        )
        .await;
    assert_eq!(status, 400);
    assert!(answer["BadRequest"]
        .as_str()
        .unwrap()
        .contains("thư điện tử không hợp lệ"));
    assert!(!app.page("/", None).await.body.contains("0221 3 123 456"));

    let (status, _) = app.call_json("save_settings", &slogan, Some(&admin)).await;
    assert_eq!(status, 200);
    let (status, _) = app
        .call_json(
            "save_settings",
            &json!({ "pairs": [["contact_phone", "0221 3 123 456"], ["contact_email", "ubnd@duongquang.gov.vn"]] }),
            Some(&admin),
        )
        .await;
    assert_eq!(status, 200);
    let home = app.page("/", None).await;
    assert!(home.body.contains("Chào mừng Đại hội Đảng bộ xã"));
    assert!(home.body.contains("href=\"tel:02213123456\""));
    assert!(home.body.contains("ubnd@duongquang.gov.vn"));
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'Sửa cài đặt cổng' AND username = 'quantri'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, 3);
}
