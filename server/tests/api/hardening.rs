//! Attacks tried as an attacker would, each against the real server: hostile text in every field
//! a user controls, private drafts' files, image bombs, redirects elsewhere, forged client
//! addresses, lockouts of the real owner, status codes of malformed calls.

use std::sync::atomic::Ordering;

use app::model::Role;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use serde_json::{json, Value};

use crate::attachments::pdf;
use crate::helpers::*;

const PASSWORD: &str = "mật khẩu thật dài 2024";

/// Text that becomes an element `<x-pwn>` and attributes `x-pwn`, `onerror` wherever it is
/// written unescaped: in text, in a double- or single-quoted attribute, in `<title>`,
/// `<script>` or `<textarea>`. 89 characters, so it fits a display name too.
const HOSTILE: &str =
    "\"'></title></script></textarea><x-pwn x-pwn=1><img x-pwn src=x onerror=alert(1)>";

/// What an HTML page holds that the hostile text would add: elements named `x-pwn` and
/// attributes `x-pwn` or `on…`, as a browser's parser reads the page.
fn injected(html: &str) -> Vec<String> {
    use html5ever::tendril::TendrilSink;
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
    let mut found = Vec::new();
    fn walk(node: &Handle, found: &mut Vec<String>) {
        if let NodeData::Element { name, attrs, .. } = &node.data {
            if &*name.local == "x-pwn" {
                found.push("element x-pwn".into());
            }
            for attr in attrs.borrow().iter() {
                let attr_name = &*attr.name.local;
                if attr_name == "x-pwn" || attr_name.starts_with("on") {
                    found.push(format!("<{} {attr_name}>", &*name.local));
                }
            }
        }
        for child in node.children.borrow().iter() {
            walk(child, found);
        }
    }
    walk(&dom.document, &mut found);
    found
}

/// An upload by a signed-in official.
async fn upload(app: &TestApp, cookie: &str, name: &str, bytes: Vec<u8>) -> (u16, Value) {
    crate::attachments::upload(app, Some(cookie), name, bytes).await
}

fn new_post(title: &str, lead: &str, body: &str) -> Value {
    json!({ "edit": {
        "id": null, "base_version": 0, "slug": "", "title": title, "lead": lead,
        "body_html": body, "description": "", "category_id": 3, "published_local": "",
    }})
}

/// Saves a new post as `cookie`'s official; its id and slug.
async fn save_new(app: &TestApp, cookie: &str, post: Value) -> (i64, String) {
    let (status, saved) = app.call_json("save_post", &post, Some(cookie)).await;
    assert_eq!(status, 200, "{saved}");
    (
        saved["Saved"]["id"].as_i64().unwrap(),
        saved["Saved"]["slug"].as_str().unwrap().to_string(),
    )
}

async fn act(app: &TestApp, cookie: &str, id: i64, action: &str) {
    let (status, body) = app
        .call(
            "post_action",
            &[("id", &id.to_string()), ("action", action)],
            Some(cookie),
        )
        .await;
    assert_eq!(status, 200, "{action}: {body}");
}

async fn status_of(app: &TestApp, path: &str, cookie: Option<&str>) -> u16 {
    let mut req = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        req = req.header("Cookie", cookie);
    }
    req.send().await.unwrap().status().as_u16()
}

/// Whether a page shows the hostile text as text (escaped), not a page that merely lost it.
fn shows_hostile(html: &str) -> bool {
    html.contains("x-pwn x-pwn=1&gt;") || html.contains("x-pwn x-pwn=1&#x3E;")
}

/// A page's own content, its `<main>`: not the frame around it (header, officials' bar, sidebar,
/// footer), which shows the hostile settings and names on every page.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |end| start + end);
    &html[start..end]
}

/// A citizen's form (the question's at `/hoi-dap/gui-cau-hoi`, or a draft's comment form)
/// opened, filled with `fields`, its ticket and its sum, and sent: the status, the redirect
/// and the page answered. A question is sent as multipart, with `file` if any.
async fn send_citizen_form(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(String, Vec<u8>)>,
) -> (u16, String, Page) {
    let form = app.page(path, None).await;
    assert_eq!(form.status, 200, "{path}");
    let (ticket, answer) = (form_ticket(&form.body), solve(&form.body));
    let mut values = fields.to_vec();
    values.extend([
        ("phieu", ticket.as_str()),
        ("tra-loi-kiem-tra", answer.as_str()),
    ]);
    values.push(("trang-web", ""));
    if path != "/hoi-dap/gui-cau-hoi" {
        return post_form(app, path, &values, None).await;
    }
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in values {
        form = form.text(name.to_string(), value.to_string());
    }
    let (name, bytes) = file.unwrap_or_default();
    form = form.part(
        "tep",
        reqwest::multipart::Part::bytes(bytes).file_name(name),
    );
    let res = app
        .client
        .post(app.url(path))
        .header("Origin", app.url(""))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (res.status().as_u16(), location, Page::read(res).await)
}

/// Hỏi đáp and the comments on drafts, whose pages are HTML made by hand with `escape()`: a
/// question field named by the hostile text, a question whose every field is hostile (with a
/// file named by it), handled by the hostile-named `editor`, answered and published under a
/// hostile public name; another declined for a hostile reason; a comment on the draft
/// `document`; and both forms refused and shown again with everything the citizen typed. Every
/// page that shows any of it, as `(what, page)`, and the answer's post's slug.
async fn questions_and_comments(
    app: &TestApp,
    editor: &str,
    document: i64,
) -> (Vec<(String, Page)>, String) {
    let mut pages = Vec::new();
    sqlx::query("UPDATE question_fields SET name = ? WHERE slug = 'dat-dai'")
        .bind(HOSTILE)
        .execute(&app.pool)
        .await
        .unwrap();
    let body = format!("{HOSTILE}\n{HOSTILE}\n\n{HOSTILE}");
    let question = |contact: &'static str| {
        [
            ("ho-ten", HOSTILE),
            ("lien-he", contact),
            ("thon", HOSTILE),
            ("linh-vuc", "dat-dai"),
            ("tieu-de", HOSTILE),
            ("chi-tiet", body.as_str()),
        ]
    };
    let ask = "/hoi-dap/gui-cau-hoi";
    pages.push((ask.to_string(), app.page(ask, None).await));

    // Refused (a hostile contact is neither a phone number nor an e-mail address): the form
    // again with all the citizen typed.
    let (status, _, refused) = send_citizen_form(app, ask, &question(HOSTILE), None).await;
    assert_eq!(status, 400);
    for typed in ["ho-ten", "lien-he", "thon", "tieu-de"] {
        // Inside a double-quoted attribute only `"` and `&` end or change it: `'` may stay.
        let value = format!("name=\"{typed}\" value=\"&quot;'&gt;&lt;/title&gt;");
        assert!(refused.body.contains(&value), "{typed} is shown again");
    }
    pages.push(("the question form refused".into(), refused));

    // Accepted, one with a file named by the hostile text; the second is declined.
    let (status, location, _) = send_citizen_form(
        app,
        ask,
        &question("an.nguyen@example.vn"),
        Some((format!("{HOSTILE}.pdf"), pdf())),
    )
    .await;
    assert_eq!(status, 303, "{location}");
    let (status, declined, _) = send_citizen_form(app, ask, &question(""), None).await;
    assert_eq!(status, 303);
    let ids: Vec<(i64, String)> = sqlx::query_as("SELECT id, code FROM questions ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let [(id, code), (declined_id, declined_code)] = &ids[..] else {
        panic!("two questions: {ids:?}");
    };
    assert!(declined.contains(declined_code.as_str()));
    let detail = format!("/quan-tri/hoi-dap/{id}");

    // The editor (named by the hostile text) takes it and names the asker by it.
    let editor_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'bientap'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let editor_id = editor_id.to_string();
    for step in [
        [("thao-tac", "giao"), ("can-bo", editor_id.as_str())],
        [("thao-tac", "ten-hien-thi"), ("ten", HOSTILE)],
    ] {
        let (status, _, page) = post_form(app, &detail, &step, Some(editor)).await;
        assert_eq!(status, 303, "{step:?}: {}", strip_tags(&page.body));
    }
    pages.push((
        "/quan-tri/hoi-dap".into(),
        app.page("/quan-tri/hoi-dap", Some(editor)).await,
    ));
    pages.push((detail.clone(), app.page(&detail, Some(editor)).await));
    pages.push((
        "/hoi-dap/tra-cuu, received".into(),
        app.page(&format!("/hoi-dap/tra-cuu?ma={code}"), None).await,
    ));

    // Answered (the answer's post has the question's title) and published.
    let (status, _, _) = post_form(app, &detail, &[("thao-tac", "soan")], Some(editor)).await;
    assert_eq!(status, 303);
    let post_id: i64 = sqlx::query_scalar("SELECT post_id FROM questions WHERE id = ?")
        .bind(*id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (status, data) = app
        .get_json(&format!("/api/edit_post?id={post_id}"), Some(editor))
        .await;
    assert_eq!(status, 200, "{data}");
    let post = &data["post"];
    let edit = json!({ "edit": {
        "id": post_id, "base_version": post["version"], "slug": post["slug"],
        "title": post["title"], "lead": HOSTILE, "body_html": format!("<p>{HOSTILE}</p>"),
        "description": "", "category_id": post["category_id"],
        "published_local": post["published_local"],
    }});
    let (status, saved) = app.call_json("save_post", &edit, Some(editor)).await;
    assert_eq!(status, 200, "{saved}");
    let (status, _, page) = post_form(app, &detail, &[("thao-tac", "dang")], Some(editor)).await;
    assert_eq!(status, 303, "{}", strip_tags(&page.body));
    let answer_slug: String = sqlx::query_scalar("SELECT slug FROM posts WHERE id = ?")
        .bind(post_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();

    // The other declined, for a reason its asker reads.
    let declined_detail = format!("/quan-tri/hoi-dap/{declined_id}");
    let (status, _, _) = post_form(
        app,
        &declined_detail,
        &[("thao-tac", "khong-dang"), ("ly-do", HOSTILE)],
        Some(editor),
    )
    .await;
    assert_eq!(status, 303);

    let query = app::format::query_value(HOSTILE);
    for (path, cookie) in [
        ("/hoi-dap".to_string(), None),
        (format!("/hoi-dap?q={query}"), None),
        (format!("/bai-viet/{answer_slug}"), None),
        (format!("/hoi-dap/tra-cuu?ma={code}"), None),
        (format!("/hoi-dap/tra-cuu?ma={declined_code}"), None),
        (format!("/hoi-dap/tra-cuu?ma={query}"), None),
        (detail.clone(), Some(editor)),
        (declined_detail, Some(editor)),
        ("/quan-tri/hoi-dap?xem=da-tra-loi".into(), Some(editor)),
        ("/quan-tri/hoi-dap?xem=khong-dang".into(), Some(editor)),
    ] {
        let who = if cookie.is_some() {
            "an editor"
        } else {
            "a citizen"
        };
        pages.push((format!("{path} as {who}"), app.page(&path, cookie).await));
    }

    // A draft open for comments, commented on by the hostile text, and its form refused.
    let until = app.clock.today() + time::Duration::days(10);
    let comments = format!("/van-ban/{document}/gop-y");
    let (status, _, _) = post_form(
        app,
        &comments,
        &[("thao-tac", "han"), ("han", &app::format::iso_date(until))],
        Some(editor),
    )
    .await;
    assert_eq!(status, 303);
    let comment = |contact: &'static str| {
        [
            ("ho-ten", HOSTILE),
            ("lien-he", contact),
            ("thon", HOSTILE),
            ("chi-tiet", body.as_str()),
        ]
    };
    let (status, location, page) =
        send_citizen_form(app, &comments, &comment("0912 345 678"), None).await;
    assert_eq!(status, 303, "{}", strip_tags(&page.body));
    assert!(location.ends_with("?da-gui=1"), "{location}");
    let (status, _, refused) = send_citizen_form(app, &comments, &comment(HOSTILE), None).await;
    assert_eq!(status, 400);
    for typed in ["ho-ten", "lien-he", "thon"] {
        // Inside a double-quoted attribute only `"` and `&` end or change it: `'` may stay.
        let value = format!("name=\"{typed}\" value=\"&quot;'&gt;&lt;/title&gt;");
        assert!(refused.body.contains(&value), "{typed} is shown again");
    }
    pages.push(("the comment form refused".into(), refused));
    let list = format!("/quan-tri/gop-y/{document}");
    pages.push((list.clone(), app.page(&list, Some(editor)).await));
    (pages, answer_slug)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_text_in_any_field_stays_text_on_every_page() {
    let app = TestApp::spawn().await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();

    // Site settings (the names reach every page's head and footer), one at a time so that the
    // required ones stay filled.
    for key in [
        "commune_name",
        "site_title",
        "slogan",
        "owner_agency",
        "owner_responsible",
        "contact_address",
        "contact_phone",
        "province",
        "office_hours",
        "licence",
    ] {
        let (status, answer) = app
            .call_json(
                "save_settings",
                &json!({ "pairs": [[key, HOSTILE]] }),
                Some(&admin),
            )
            .await;
        assert_eq!(status, 200, "{key}: {answer}");
    }
    // An account whose display name is hostile, and who writes the post.
    let (status, body) = app
        .call(
            "create_account",
            &[
                ("username", "bientap"),
                ("display_name", HOSTILE),
                ("role", "editor"),
                ("password", PASSWORD),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();

    // A file whose name is hostile, linked from the post.
    let (status, file) = upload(&app, &editor, &format!("{HOSTILE}.pdf"), pdf()).await;
    assert_eq!(status, 200, "{file}");
    let body = format!(
        "<p>{HOSTILE}</p><p><a href=\"{}\">{HOSTILE}</a></p>",
        file["url"].as_str().unwrap()
    );
    let mut post = new_post(HOSTILE, HOSTILE, &body);
    post["edit"]["slug"] = json!(HOSTILE);
    post["edit"]["description"] = json!(HOSTILE);
    let (post_id, slug) = save_new(&app, &editor, post).await;
    act(&app, &editor, post_id, "publish").await;

    // A document, a clip and a category, each named by the hostile text.
    let (status, document) = app
        .call_json(
            "save_document",
            &json!({ "edit": {
                "id": null, "base_version": 0, "kind": "Quyết định", "number": "7/QĐ-UBND",
                "issued_on": "2026-03-05", "effective_on": "", "expires_on": "",
                "issuer": HOSTILE, "signer": HOSTILE, "field": HOSTILE, "summary": HOSTILE,
                "files": [file],
            }}),
            Some(&editor),
        )
        .await;
    assert_eq!(status, 200, "{document}");
    let (status, body) = app
        .call(
            "add_youtube_clip",
            &[("title", HOSTILE), ("link", "https://youtu.be/dQw4w9WgXcQ")],
            Some(&editor),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    sqlx::query("UPDATE categories SET name = ? WHERE id = 3")
        .bind(HOSTILE)
        .execute(&app.pool)
        .await
        .unwrap();
    let category: String = sqlx::query_scalar("SELECT slug FROM categories WHERE id = 3")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    let (mut made_by_hand, answer_slug) =
        questions_and_comments(&app, &editor, document.as_i64().unwrap()).await;

    // The statistics' charts and tables (made by hand too) name the most read posts, their
    // categories and the clips played.
    for path in [
        format!("/bai-viet/{slug}"),
        format!("/bai-viet/{answer_slug}"),
    ] {
        assert_eq!(app.page(&path, None).await.status, 200, "{path}");
    }
    let clip: i64 = sqlx::query_scalar("SELECT id FROM clips WHERE title = ?")
        .bind(HOSTILE)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (status, _) = app
        .call("clip_view", &[("id", &clip.to_string())], None)
        .await;
    assert_eq!(status, 200);
    app.flush().await;
    let statistics = app.page("/quan-tri/thong-ke", Some(&editor)).await;
    made_by_hand.push(("/quan-tri/thong-ke".into(), statistics));
    // Each of these pages shows the text in its own content, and only as text.
    for (what, page) in &made_by_hand {
        assert!(
            [200, 400, 404].contains(&page.status),
            "{what}: {}",
            page.status
        );
        let found = injected(&page.body);
        assert!(found.is_empty(), "{what}: {found:?}");
        assert!(
            shows_hostile(main_of(&page.body)),
            "{what} shows the hostile text"
        );
    }
    let (_, statistics) = made_by_hand.last().unwrap();
    for table in ["top-posts", "by-category", "by-clip"] {
        let text = statistics.test_text(table).unwrap_or_default();
        assert!(text.contains(HOSTILE), "{table}: {text}");
    }

    let query = app::format::query_value(HOSTILE);
    let citizen_pages = [
        "/".to_string(),
        format!("/bai-viet/{slug}"),
        format!("/chuyen-muc/{category}"),
        format!("/tim-kiem?q={query}"),
        format!("/tim-kiem?q={}", app::format::query_value("Quyết định")),
        "/van-ban".to_string(),
        format!("/van-ban?q={query}"),
        format!("/van-ban/{document}"),
        "/so-do-trang".to_string(),
        format!("/dang-nhap?tiep={query}"),
        format!("/khong-co-trang-nay/{query}"),
    ];
    let official_pages = [
        format!("/bai-viet/{slug}"),
        "/quan-tri/bai-viet?trang-thai=published".to_string(),
        format!("/quan-tri/bai-viet/{post_id}/lich-su"),
        "/quan-tri/tai-khoan".to_string(),
        "/quan-tri/nhat-ky".to_string(),
        "/quan-tri/van-ban-chua-co".to_string(),
        format!("/van-ban/moi?id={document}"),
    ];
    let mut shown = 0;
    for (path, cookie) in citizen_pages
        .iter()
        .map(|p| (p, None))
        .chain(official_pages.iter().map(|p| (p, Some(admin.as_str()))))
    {
        let page = app.page(path, cookie).await;
        assert!([200, 404].contains(&page.status), "{path}: {}", page.status);
        let found = injected(&page.body);
        assert!(found.is_empty(), "{path} as {cookie:?}: {found:?}");
        // The text is there, shown as text (not a page that merely lost it).
        if shows_hostile(&page.body) {
            shown += 1;
        }
    }
    assert!(
        shown >= 12,
        "the hostile text was shown on only {shown} pages"
    );
    // The title in the head is escaped, for the post and for the search results.
    let page = app.page(&format!("/bai-viet/{slug}"), None).await;
    let title = &page.body[page.body.find("<title>").unwrap()..page.body.find("</title>").unwrap()];
    assert!(title.contains("&lt;/title&gt;"), "{title}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drafts_files_are_for_officials_until_its_post_is_published() {
    let app = TestApp::spawn().await;
    app.add_user("phongvien", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let writer = app.sign_in("phongvien", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let (_, file) = upload(&app, &writer, "du-thao-quyet-dinh.pdf", pdf()).await;
    let url = file["url"].as_str().unwrap().to_string();
    let token = &url[5..37];
    assert!(
        token.bytes().all(|b| b.is_ascii_hexdigit()),
        "the address holds a random token, not the id: {url}"
    );
    let id = file["id"].as_i64().unwrap();
    assert_eq!(
        status_of(&app, &format!("/tep/{id}/x.pdf"), None).await,
        404
    );
    assert_eq!(
        status_of(&app, &format!("/tep/{id}/x.pdf"), Some(&writer)).await,
        404
    );

    // Uploaded, or linked from a draft: officials only.
    assert_eq!(status_of(&app, &url, None).await, 404);
    let (post_id, _) = save_new(
        &app,
        &writer,
        new_post(
            "Dự thảo quyết định",
            "Chưa công bố.",
            &format!("<p><a href=\"{url}\">Dự thảo</a></p>"),
        ),
    )
    .await;
    assert_eq!(status_of(&app, &url, None).await, 404);
    let res = app
        .client
        .get(app.url(&url))
        .header("Cookie", &writer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "private, no-store");

    // Published: citizens too, cached a day (not a year: it may be taken down).
    act(&app, &editor, post_id, "publish").await;
    let res = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "public, max-age=86400");
    let policy = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("sandbox") && policy.contains("default-src 'none'"));
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");

    // Taken down: private again.
    act(&app, &editor, post_id, "unpublish").await;
    assert_eq!(status_of(&app, &url, None).await, 404);
}

/// A PNG that declares `width` × `height` pixels in 67 bytes: its IHDR says so, its one IDAT
/// holds almost nothing.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
        out
    };
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_declaring_too_many_pixels_are_refused_before_decoding() {
    let app = TestApp::spawn().await;
    app.add_user("phongvien", Role::Writer, PASSWORD).await;
    let writer = app.sign_in("phongvien", PASSWORD).await.unwrap();
    // Six at once, as an attacker would send them.
    let uploads = (0..6).map(|i| {
        let writer = writer.clone();
        let app = &app;
        async move {
            let size = 20_000 - i;
            upload(
                app,
                &writer,
                &format!("bom-{i}.png"),
                png_declaring(size, size),
            )
            .await
        }
    });
    for (status, answer) in futures::future::join_all(uploads).await {
        assert_eq!(status, 400, "{answer}");
        let message = answer["BadRequest"].as_str().unwrap_or_default();
        assert!(message.contains("Ảnh quá lớn"), "{answer}");
        assert!(message.contains("50 triệu điểm ảnh"), "{answer}");
    }
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attachments")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    let dir = app.db_path.parent().unwrap().join("media/files");
    let left = std::fs::read_dir(dir).map_or(0, |d| d.count());
    assert_eq!(left, 0, "nothing of the refused images is kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_answer_redirects_to_another_site() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    // A form sent without JavaScript whose server function fails: Leptos answers with a
    // redirect to the page in Referer, which the other site chose.
    let res = app
        .client
        .post(app.url("/api/sign_in"))
        .header("Accept", "text/html")
        .header("Referer", "https://evil.example/phish")
        .form(&[("username", "bientap"), ("password", "sai mật khẩu")])
        .send()
        .await
        .unwrap();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    assert!(
        location
            .as_deref()
            .is_none_or(|l| l.starts_with('/') && !l.starts_with("//")),
        "{location:?}"
    );
    for referer in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example/x",
    ] {
        let res = app
            .client
            .get(app.url("/api/site"))
            .header("Accept", "text/html")
            .header("Referer", referer)
            .send()
            .await
            .unwrap();
        if let Some(location) = res.headers().get("location") {
            let location = location.to_str().unwrap();
            assert!(app::links::local_path(location).is_some(), "{location}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_address_is_the_one_the_trusted_proxy_saw() {
    let app = TestApp::spawn_with(Settings {
        auth: app::server::accounts::auth::AuthConfig {
            client_ip_header: Some("x-forwarded-for".into()),
            trusted_proxies: 1,
            ..Default::default()
        },
        ..Settings::default()
    })
    .await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let sign_in = |forwarded: String, password: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/sign_in"))
                .header("X-Forwarded-For", forwarded)
                .form(&[("username", "quantri"), ("password", password)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // An attacker at 203.0.113.9 writes a new address at the left of the header each time:
    // the proxy's entry, at the right, is what counts, so ten failures refuse it.
    for i in 0..10 {
        let status = sign_in(format!("10.0.0.{i}, 203.0.113.9"), "sai mật khẩu rồi").await;
        assert_eq!(status, 400, "attempt {i}");
    }
    let status = sign_in("10.0.0.99, 203.0.113.9".into(), PASSWORD).await;
    assert_eq!(
        status, 429,
        "the guessing address is refused, even with the password"
    );

    // The owner, at another address, still signs in: the account name is not locked.
    assert_eq!(sign_in("198.51.100.7".into(), PASSWORD).await, 200);
    let addresses: Vec<String> =
        sqlx::query_scalar("SELECT ip FROM audit_log WHERE action = 'Đăng nhập'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(addresses, ["198.51.100.7"]);
}

/// Signed in: a writer, another writer and an editor (their session cookies).
async fn two_writers_and_an_editor(app: &TestApp) -> (String, String, String) {
    app.add_user("phongvien", Role::Writer, PASSWORD).await;
    app.add_user("phongvien2", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    (
        app.sign_in("phongvien", PASSWORD).await.unwrap(),
        app.sign_in("phongvien2", PASSWORD).await.unwrap(),
        app.sign_in("bientap", PASSWORD).await.unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_reads_no_other_writers_draft_history() {
    let app = TestApp::spawn().await;
    let (author, other, editor) = two_writers_and_an_editor(&app).await;
    let (id, _) = save_new(
        &app,
        &author,
        new_post(
            "Nhân sự dự kiến",
            "Bí mật.",
            "<p>Danh sách chưa công bố.</p>",
        ),
    )
    .await;
    let path = format!("/api/load_history?id={id}");
    let (status, answer) = app.get_json(&path, Some(&other)).await;
    assert_eq!(status, 403, "{answer}");
    assert!(!answer.to_string().contains("Nhân sự dự kiến"));
    let (status, _) = app.get_json(&path, Some(&author)).await;
    assert_eq!(status, 200);
    let (status, _) = app.get_json(&path, Some(&editor)).await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thumbnails_are_fetched_only_for_clips_and_failures_are_remembered() {
    let (thumbnails, calls) = crate::clips::fake_thumbnails(false).await;
    let app = TestApp::spawn_with(Settings {
        thumbnails,
        ..Settings::default()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(
            status_of(&app, "/media/youtube/aaaaaaaaaaa.jpg", None).await,
            404
        );
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0, "no clip shows that video");

    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let (status, body) = app
        .call(
            "add_youtube_clip",
            &[
                ("title", "Hội nghị"),
                ("link", "https://youtu.be/dQw4w9WgXcQ"),
            ],
            Some(&editor),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    for _ in 0..3 {
        assert_eq!(
            status_of(&app, "/media/youtube/dQw4w9WgXcQ.jpg", None).await,
            404
        );
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "a failure is not fetched again at once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invisible_characters_are_dropped_from_names() {
    let app = TestApp::spawn().await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    let (status, file) = upload(&app, &admin, "hoa-don\u{202E}fdp.exe.pdf", pdf()).await;
    assert_eq!(status, 200, "{file}");
    assert_eq!(file["name"], "hoa-donfdp.exe.pdf");
    let (status, _) = app
        .call(
            "create_account",
            &[
                ("username", "bientap"),
                ("display_name", "Trần\u{202E} Thị\u{200B} Biên"),
                ("role", "editor"),
                ("password", PASSWORD),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(status, 200);
    let name: String =
        sqlx::query_scalar("SELECT display_name FROM users WHERE username = 'bientap'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(name, "Trần Thị Biên");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_oversized_calls_are_the_clients_error() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let send = |body: Vec<u8>| {
        let app = &app;
        let editor = editor.clone();
        async move {
            let res = app
                .client
                .post(app.url("/api/save_post"))
                .header("Content-Type", "application/json")
                .header("Cookie", editor)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            (status, res.text().await.unwrap())
        }
    };
    let (status, body) = send(b"{\"edit\": {not json".to_vec()).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("không hợp lệ"), "{body}");
    let big = format!(
        "{{\"edit\": {{\"title\": \"{}\"}}}}",
        "a".repeat(3 * 1024 * 1024)
    );
    let (status, body) = send(big.into_bytes()).await;
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("quá lớn"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_strict_content_security_policy_with_their_scripts_nonce() {
    let app = TestApp::spawn().await;
    for path in ["/", "/tim-kiem?q=ke+hoach", "/khong-co"] {
        let res = app
            .client
            .get(app.url(path))
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap();
        let policy = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        let body = res.text().await.unwrap();
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {policy}"));
        assert!(nonce.len() >= 16, "{nonce}");
        for part in [
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'self'",
            "frame-src https://www.youtube-nocookie.com",
        ] {
            assert!(policy.contains(part), "{path}: {policy} lacks {part}");
        }
        assert!(
            !policy.contains("'unsafe-inline' 'strict-dynamic'")
                && !policy.contains("script-src 'self' 'unsafe-inline'")
        );
        let scripts = body.matches("<script").count();
        let nonced = body.matches(&format!("nonce=\"{nonce}\"")).count();
        assert!(
            scripts >= 2 && nonced == scripts,
            "{path}: {nonced} of {scripts} scripts carry the nonce"
        );
    }
    // Each response its own nonce.
    let policy = |res: reqwest::Response| {
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string()
    };
    let a = policy(app.client.get(app.url("/")).send().await.unwrap());
    let b = policy(app.client.get(app.url("/")).send().await.unwrap());
    assert_ne!(a, b);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasted_and_saved_html_keeps_no_image_or_link_leading_elsewhere() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let hostile = "<p><img src=\"//other.host/a.png\" alt=\"a\"><img src=\"\\\\other.host\\b.png\" alt=\"b\">\
        <img src=\"https://other.host/c.png\" alt=\"c\"><a href=\"/\\other.host/d\">d</a>\
        <a href=\"//other.host/e\">e</a><a href=\"https://dichvucong.gov.vn/\">Cổng dịch vụ công</a></p>";
    let (status, pasted) = app
        .call_json("clean_pasted", &json!({ "html": hostile }), Some(&editor))
        .await;
    assert_eq!(status, 200, "{pasted}");
    let (id, slug) = save_new(&app, &editor, new_post("Ảnh từ nơi khác", "Thử.", hostile)).await;
    act(&app, &editor, id, "publish").await;
    let page = app.page(&format!("/bai-viet/{slug}"), None).await;
    let stored: String = sqlx::query_scalar("SELECT body_html FROM posts WHERE id = ?")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    for html in [pasted.as_str().unwrap(), &stored] {
        assert!(!html.contains("other.host"), "{html}");
        assert!(
            html.contains("href=\"https://dichvucong.gov.vn/\""),
            "{html}"
        );
    }
    assert!(!page.body.contains("other.host"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_reads_no_other_writers_draft_nor_borrows_its_image() {
    let app = TestApp::spawn().await;
    let (author, other, editor) = two_writers_and_an_editor(&app).await;
    let png = {
        let img = image::RgbImage::from_pixel(8, 8, image::Rgb([200, 30, 30]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let (_, image) = upload(&app, &author, "anh-bi-mat.png", png).await;
    let mut draft = new_post(
        "Nhân sự dự kiến",
        "Bí mật.",
        "<p>Danh sách chưa công bố.</p>",
    );
    draft["edit"]["image_id"] = image["id"].clone();
    draft["edit"]["image_alt"] = json!("Ảnh");
    let (_, slug) = save_new(&app, &author, draft).await;

    // The draft's page and its server function: the author and editors only.
    let path = format!("/bai-viet/{slug}");
    assert_eq!(app.page(&path, Some(&other)).await.status, 404);
    let (status, answer) = app
        .call("open_post", &[("slug", &slug)], Some(&other))
        .await;
    assert_eq!(status, 404, "{answer}");
    assert!(!answer.contains("Danh sách chưa công bố"));
    assert_eq!(app.page(&path, Some(&author)).await.status, 200);
    assert_eq!(app.page(&path, Some(&editor)).await.status, 200);
    // The list of drafts shows another writer's drafts to editors, not to writers.
    let (_, list) = app
        .get_json("/api/official_posts?stage=draft", Some(&other))
        .await;
    assert!(!list.to_string().contains("Nhân sự dự kiến"), "{list}");
    let (_, list) = app
        .get_json("/api/official_posts?stage=draft", Some(&editor))
        .await;
    assert!(list.to_string().contains("Nhân sự dự kiến"), "{list}");

    // Naming the draft's image by its (sequential) id does not lend it to another writer.
    let mut borrowed = new_post("Ảnh của người khác", "Thử.", "<p>x</p>");
    borrowed["edit"]["image_id"] = image["id"].clone();
    borrowed["edit"]["image_alt"] = json!("Ảnh");
    let (status, answer) = app.call_json("save_post", &borrowed, Some(&other)).await;
    assert_eq!(status, 400, "{answer}");
    assert!(!answer
        .to_string()
        .contains(&image["url"].as_str().unwrap()[5..37]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_the_current_password_from_an_open_session_is_throttled() {
    let app = TestApp::spawn().await;
    app.add_user("phongvien", Role::Writer, PASSWORD).await;
    let session = app.sign_in("phongvien", PASSWORD).await.unwrap();
    let mut statuses = Vec::new();
    for i in 0..11 {
        let guess = format!("đoán sai lần {i}");
        let (status, _) = app
            .call(
                "change_password",
                &[
                    ("current", guess.as_str()),
                    ("new", "mật khẩu mới rất dài"),
                    ("confirm", "mật khẩu mới rất dài"),
                ],
                Some(&session),
            )
            .await;
        statuses.push(status);
    }
    assert_eq!(statuses[..10], [400; 10]);
    assert_eq!(statuses[10], 429, "{statuses:?}");
}
