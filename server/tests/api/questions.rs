//! Hỏi đáp over HTTP: a citizen's form (every rule and bad input), the tracking code, the
//! officials' queue and steps with their role checks, the working-day deadline, the answer as a
//! published, searchable post, the e-mail through a local SMTP listener, and comments on drafts.

use app::model::Role;
use reqwest::header::ORIGIN;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use time::{Date, Duration, Weekday};

use crate::helpers::{
    self, behind_a_proxy, form_ticket, solve, strip_tags, Page, Settings, TestApp,
};

const PASSWORD: &str = "mat-khau-dai-du-10";

/// A citizen's question with every field right; `change` alters it before it is sent.
fn question_fields() -> Vec<(&'static str, String)> {
    vec![
        ("ho-ten", "Nguyễn Văn An".into()),
        ("lien-he", "an.nguyen@example.vn".into()),
        ("thon", "Thôn Đông".into()),
        ("linh-vuc", "dat-dai".into()),
        (
            "tieu-de",
            "Thủ tục cấp giấy chứng nhận quyền sử dụng đất".into(),
        ),
        (
            "chi-tiet",
            "Gia đình tôi muốn làm sổ đỏ cho thửa đất thổ cư.\n\nCần chuẩn bị giấy tờ gì?".into(),
        ),
    ]
}

struct Sent {
    status: u16,
    location: String,
    page: Page,
}

/// Opens the form, fills it (`fields`, then the ticket and the sum unless `guard` overrides
/// them), attaches `file`, and sends it as a browser would.
async fn ask(
    app: &TestApp,
    fields: &[(&str, String)],
    guard: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> Sent {
    let values = fill(app, fields, guard).await;
    send(app, values, file, None).await
}

/// Opens the form and fills it: `fields`, then the ticket and the sum unless `guard` overrides
/// them.
async fn fill(
    app: &TestApp,
    fields: &[(&str, String)],
    guard: &[(&str, &str)],
) -> Vec<(String, String)> {
    let form_page = app.page("/hoi-dap/gui-cau-hoi", None).await;
    assert_eq!(form_page.status, 200);
    assert!(form_page.body.contains("action=\"/hoi-dap/gui-cau-hoi\""));
    let mut values: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    values.push(("phieu".into(), form_ticket(&form_page.body)));
    values.push(("tra-loi-kiem-tra".into(), solve(&form_page.body)));
    values.push(("trang-web".into(), String::new()));
    for (k, v) in guard {
        values.retain(|(name, _)| name != k);
        values.push((k.to_string(), v.to_string()));
    }
    values
}

/// Sends a filled question form with `file`, as a browser at `ip` (through the proxy's
/// `X-Forwarded-For`) or at the connection's address.
async fn send(
    app: &TestApp,
    values: Vec<(String, String)>,
    file: Option<(&str, Vec<u8>)>,
    ip: Option<&str>,
) -> Sent {
    let mut form = Form::new();
    for (k, v) in values {
        form = form.text(k, v);
    }
    form = match file {
        Some((name, bytes)) => form.part("tep", Part::bytes(bytes).file_name(name.to_string())),
        None => form.part("tep", Part::bytes(Vec::new()).file_name("")),
    };
    let mut req = app
        .client
        .post(app.url("/hoi-dap/gui-cau-hoi"))
        .header(ORIGIN, app.url(""))
        .multipart(form);
    if let Some(ip) = ip {
        req = req.header("x-forwarded-for", ip);
    }
    let sent = req.send().await;
    // A body refused before it is all read may be answered (and the connection closed) while
    // the client still sends: status 0 then.
    let res = match sent {
        Ok(res) => res,
        Err(err) if err.is_request() => {
            return Sent {
                status: 0,
                location: String::new(),
                page: Page {
                    status: 0,
                    body: String::new(),
                    set_cookie: None,
                    content_type: String::new(),
                },
            }
        }
        Err(err) => panic!("{err}"),
    };
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let status = res.status().as_u16();
    Sent {
        status,
        location,
        page: Page::read(res).await,
    }
}

/// The code in a redirect to the tracking page.
fn code_of(location: &str) -> String {
    location
        .split("ma=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .expect("a code in the address")
        .to_string()
}

async fn count(app: &TestApp, table: &'static str) -> i64 {
    sqlx::QueryBuilder::<sqlx::Sqlite>::new("SELECT COUNT(*) FROM ")
        .push(table)
        .build_query_scalar()
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// A form posted by an official (urlencoded), with the answer's status, redirect and text.
async fn post_form(
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> (u16, String, String) {
    let (status, location, page) = helpers::post_form(app, path, form, cookie).await;
    (status, location, page.body)
}

fn error_of(body: &str) -> String {
    let page = Page {
        status: 0,
        body: body.to_string(),
        set_cookie: None,
        content_type: String::new(),
    };
    page.test_text("form-error").unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_asks_and_follows_the_question_by_its_code_alone() {
    let app = TestApp::spawn().await;
    let sent = ask(&app, &question_fields(), &[], None).await;
    assert_eq!(sent.status, 303, "{}", error_of(&sent.page.body));
    let code = code_of(&sent.location);
    assert_eq!(code.len(), 8);
    assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");

    let tracked = app.page(&sent.location, None).await;
    assert_eq!(tracked.status, 200);
    let shown = format!("{}-{}", &code[..4], &code[4..]);
    assert_eq!(tracked.test_text("tracking-code").unwrap(), shown);
    assert_eq!(tracked.test_text("status").unwrap(), "Đã tiếp nhận");
    let text = strip_tags(&tracked.body);
    assert!(text.contains("Thủ tục cấp giấy chứng nhận quyền sử dụng đất"));
    // Nothing personal on the tracking page: not the name, the contact or the hamlet.
    for private in ["Nguyễn Văn An", "an.nguyen@example.vn", "Thôn Đông"] {
        assert!(!text.contains(private), "{private} shown");
    }
    // Typed in lower case with spaces, the code still finds it.
    let typed = format!(
        "/hoi-dap/tra-cuu?ma={}+{}",
        code[..4].to_lowercase(),
        &code[4..]
    );
    assert_eq!(
        app.page(&typed, None).await.test_text("status").unwrap(),
        "Đã tiếp nhận"
    );

    // A second citizen's code shows only their own question.
    let mut other = question_fields();
    other[4].1 = "Đăng ký khai sinh cho con".into();
    other[3].1 = "ho-tich".into();
    let second = code_of(&ask(&app, &other, &[], None).await.location);
    let theirs = strip_tags(
        &app.page(&format!("/hoi-dap/tra-cuu?ma={second}"), None)
            .await
            .body,
    );
    assert!(theirs.contains("Đăng ký khai sinh cho con"));
    assert!(!theirs.contains("quyền sử dụng đất"));
    // An unknown or malformed code finds nothing and says how codes look.
    for wrong in ["ABCDEFGH", "K7PM-3QX0", "<script>x</script>"] {
        let page = app
            .page(
                &format!("/hoi-dap/tra-cuu?ma={}", app::format::query_value(wrong)),
                None,
            )
            .await;
        assert_eq!(page.status, 404, "{wrong}");
        assert!(page
            .test_text("form-error")
            .unwrap()
            .contains("Không tìm thấy câu hỏi"));
        assert!(!page.body.contains("<script>x"), "escaped");
        assert!(!strip_tags(&page.body).contains("quyền sử dụng đất"));
    }
    // Stored as typed, in NFC, with its deadline.
    let (name, due, received): (String, String, String) =
        sqlx::query_as("SELECT name, due_on, received_on FROM questions WHERE code = ?")
            .bind(&code)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(name, "Nguyễn Văn An");
    assert!(due > received);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_input_is_refused_with_its_reason_keeping_what_was_typed() {
    let app = TestApp::spawn().await;
    let with = |name: &str, value: &str| {
        let mut fields = question_fields();
        fields.retain(|(k, _)| *k != name);
        fields.push((
            Box::leak(name.to_string().into_boxed_str()),
            value.to_string(),
        ));
        fields
    };
    let long_body = "a".repeat(2001);
    let long_title = "Đ".repeat(201);
    // The fields, the guard's fields overridden, the status and the reason.
    type Case<'a> = (
        Vec<(&'a str, String)>,
        Vec<(&'a str, &'a str)>,
        u16,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            with("ho-ten", "   "),
            vec![],
            400,
            "Vui lòng nhập họ và tên",
        ),
        (with("thon", ""), vec![], 400, "Vui lòng nhập thôn"),
        (
            with("chi-tiet", ""),
            vec![],
            400,
            "Vui lòng nhập nội dung câu hỏi",
        ),
        (
            with("chi-tiet", &long_body),
            vec![],
            400,
            "quá giới hạn 2000 ký tự",
        ),
        (
            with("tieu-de", &long_title),
            vec![],
            400,
            "quá giới hạn 200 ký tự",
        ),
        (
            with("linh-vuc", "khong-co"),
            vec![],
            400,
            "Vui lòng chọn lĩnh vực",
        ),
        (
            with("lien-he", "goi toi nhe"),
            vec![],
            400,
            "Số điện thoại hoặc thư điện tử chưa đúng",
        ),
        (
            question_fields(),
            vec![("tra-loi-kiem-tra", "99")],
            400,
            "Câu trả lời kiểm tra chưa đúng",
        ),
        (
            question_fields(),
            vec![("tra-loi-kiem-tra", "")],
            400,
            "Vui lòng trả lời câu hỏi kiểm tra",
        ),
        (
            question_fields(),
            vec![("trang-web", "http://spam.example")],
            400,
            "phải để trống",
        ),
        (
            question_fields(),
            vec![("phieu", "1.abc.def")],
            400,
            "Biểu mẫu đã hết hạn",
        ),
    ];
    for (fields, guard, status, reason) in cases {
        let sent = ask(&app, &fields, &guard, None).await;
        assert_eq!(sent.status, status, "{reason}");
        let error = sent.page.test_text("form-error").unwrap_or_default();
        assert!(error.contains(reason), "{reason}: {error}");
        // The form comes back with what was typed (but a new sum to answer).
        if !guard.is_empty() || reason.contains("lĩnh vực") {
            assert!(
                sent.page.body.contains("value=\"Nguyễn Văn An\""),
                "{reason}"
            );
            assert!(
                sent.page.body.contains("Cần chuẩn bị giấy tờ gì?"),
                "{reason}"
            );
        }
        assert!(sent.page.body.contains("data-challenge="), "{reason}");
        // Complete without JavaScript: the form is in the page, not a loading placeholder.
        assert!(!sent.page.body.contains("Đang tải…"), "{reason}");
    }
    // A file that is neither an image nor a PDF, and one over 5 MB.
    let sent = ask(
        &app,
        &question_fields(),
        &[],
        Some(("bao-cao.docx", b"PK\x03\x04 not really".to_vec())),
    )
    .await;
    assert_eq!(sent.status, 400);
    assert!(
        sent.page.test_text("form-error").unwrap().contains("Tệp"),
        "{:?}",
        sent.page.test_text("form-error")
    );
    assert!(sent.page.body.contains("chọn lại tệp"));
    let big = vec![b'%'; 5 * 1024 * 1024 + 10];
    let sent = ask(&app, &question_fields(), &[], Some(("lon.pdf", big))).await;
    assert!(matches!(sent.status, 413 | 0), "{}", sent.status);
    assert_eq!(
        count(&app, "questions").await,
        0,
        "nothing refused was stored"
    );
    assert_eq!(count(&app, "attachments").await, 0);

    // A real PDF is kept with the question, for officials only.
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let sent = ask(&app, &question_fields(), &[], Some(("giay-to.pdf", pdf))).await;
    assert_eq!(sent.status, 303, "{:?}", sent.page.test_text("form-error"));
    let token: String = sqlx::query_scalar(
        "SELECT a.token FROM questions q JOIN attachments a ON a.id = q.attachment_id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let file = app.page(&format!("/tep/{token}/giay-to.pdf"), None).await;
    assert_eq!(file.status, 404, "a citizen's file is not public");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_sent_too_fast_or_over_the_hour_limit_is_refused() {
    let app = TestApp::spawn_with(Settings {
        form_min_seconds: 30,
        ..Settings::default()
    })
    .await;
    let sent = ask(&app, &question_fields(), &[], None).await;
    assert_eq!(sent.status, 400);
    assert!(sent
        .page
        .test_text("form-error")
        .unwrap()
        .contains("quá nhanh"));
    assert!(
        sent.page.body.contains("Thủ tục cấp giấy chứng nhận"),
        "typed text kept"
    );
    assert_eq!(count(&app, "questions").await, 0);
    drop(app);

    let app = TestApp::spawn_with(Settings {
        questions_per_hour: 2,
        ..Settings::default()
    })
    .await;
    for _ in 0..2 {
        assert_eq!(ask(&app, &question_fields(), &[], None).await.status, 303);
    }
    let sent = ask(&app, &question_fields(), &[], None).await;
    assert_eq!(sent.status, 429);
    assert!(sent
        .page
        .test_text("form-error")
        .unwrap()
        .contains("trong một giờ qua"));
    assert!(sent.page.body.contains("value=\"Nguyễn Văn An\""));
    assert_eq!(count(&app, "questions").await, 2);
    // The address is kept only as a keyed hash.
    let senders: Vec<String> = sqlx::query_scalar("SELECT sender FROM questions")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(senders
        .iter()
        .all(|s| s.len() == 32 && !s.contains("127.0.0.1")));
}

/// The weekdays after `from` that are not in `off`, counted to `n`.
fn nth_working_day(from: Date, n: u32, off: &[Date]) -> Date {
    let mut at = from;
    let mut left = n;
    while left > 0 {
        at += Duration::days(1);
        if !matches!(at.weekday(), Weekday::Saturday | Weekday::Sunday) && !off.contains(&at) {
            left -= 1;
        }
    }
    at
}

fn vietnam_today() -> Date {
    time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+7))
        .date()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_is_fifteen_working_days_and_admins_keep_the_holidays() {
    let app = TestApp::spawn().await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let today = vietnam_today();
    // Three working days off from tomorrow on (a Tết announced late, say).
    let added: Vec<Date> = (1..=3).map(|n| nth_working_day(today, n, &[])).collect();
    for day in &added {
        let iso = app::format::iso_date(*day);
        let (status, location, _) = post_form(
            &app,
            "/quan-tri/hoi-dap",
            &[
                ("thao-tac", "them-ngay-nghi"),
                ("ngay", &iso),
                ("ten", "Nghỉ bù"),
            ],
            Some(&admin),
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/quan-tri/hoi-dap?xong=ngay-nghi")
        );
    }
    // Editors and citizens cannot change the calendar.
    let iso = app::format::iso_date(added[0]);
    let (status, _, _) = post_form(
        &app,
        "/quan-tri/hoi-dap",
        &[("thao-tac", "xoa-ngay-nghi"), ("ngay", &iso)],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, _) = post_form(
        &app,
        "/quan-tri/hoi-dap",
        &[("thao-tac", "xoa-ngay-nghi"), ("ngay", &iso)],
        None,
    )
    .await;
    assert_eq!(status, 401);
    let (status, _, body) = post_form(
        &app,
        "/quan-tri/hoi-dap",
        &[
            ("thao-tac", "them-ngay-nghi"),
            ("ngay", "2027-02-30"),
            ("ten", "Tết"),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(status, 400);
    assert!(error_of(&body).contains("Ngày nghỉ không hợp lệ"));

    let code = code_of(&ask(&app, &question_fields(), &[], None).await.location);
    let mut off: Vec<Date> = sqlx::query_scalar::<_, String>("SELECT day FROM holidays")
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .iter()
        .filter_map(|d| app::format::parse_date(d))
        .collect();
    off.extend(&added);
    let expected = nth_working_day(today, 15, &off);
    let due: String = sqlx::query_scalar("SELECT due_on FROM questions WHERE code = ?")
        .bind(&code)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(due, app::format::iso_date(expected));
    assert!(
        expected >= today + Duration::days(21),
        "15 working days span at least three weeks"
    );
    // A holiday removed moves the deadline of the open question back.
    let (status, _, _) = post_form(
        &app,
        "/quan-tri/hoi-dap",
        &[("thao-tac", "xoa-ngay-nghi"), ("ngay", &iso)],
        Some(&admin),
    )
    .await;
    assert_eq!(status, 303);
    off.retain(|d| *d != added[0]);
    let due: String = sqlx::query_scalar("SELECT due_on FROM questions WHERE code = ?")
        .bind(&code)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(due, app::format::iso_date(nth_working_day(today, 15, &off)));

    // The queue shows the days left; once past the deadline, the row is marked overdue and
    // the officials' bar counts it.
    let queue = app.page("/quan-tri/hoi-dap", Some(&editor)).await;
    assert_eq!(queue.status, 200);
    assert!(
        queue.test_text("days-left").unwrap().starts_with("Còn "),
        "{:?}",
        queue.test_text("days-left")
    );
    let past = app::format::iso_date(today - Duration::days(7));
    sqlx::query("UPDATE questions SET due_on = ?")
        .bind(&past)
        .execute(&app.pool)
        .await
        .unwrap();
    let queue = app
        .page("/quan-tri/hoi-dap?xem=qua-han", Some(&editor))
        .await;
    // The row is marked (the order of its attributes is the renderer's).
    assert!(queue
        .body
        .contains("data-test=\"queue-row\" class=\"qa-overdue\""));
    assert!(queue
        .test_text("days-left")
        .unwrap()
        .starts_with("Quá hạn "));
    let (_, me) = app.get_json("/api/me", Some(&editor)).await;
    assert_eq!(me["questions"], json!([1, 1]));
    let stats = app.page("/quan-tri/thong-ke", Some(&editor)).await;
    let line = stats.test_text("stats-questions").unwrap();
    assert!(
        line.starts_with("1 câu hỏi") && line.contains("0 đã trả lời, 1 đang quá hạn"),
        "{line}"
    );
    // Citizens do not see the queue.
    assert_eq!(app.page("/quan-tri/hoi-dap", None).await.status, 401);
    assert_eq!(app.get_json("/api/question_queue", None).await.0, 401);
}

async fn edit_data(app: &TestApp, id: i64, cookie: &str) -> Value {
    let (status, data) = app
        .get_json(&format!("/api/edit_post?id={id}"), Some(cookie))
        .await;
    assert_eq!(status, 200, "{data}");
    data["post"].clone()
}

/// Question 1 started by `cookie` ("Soạn câu trả lời") and `answer` saved into its post; the
/// post's id.
async fn answered(app: &TestApp, answer: &str, cookie: &str) -> i64 {
    let (status, _, _) = post_form(
        app,
        "/quan-tri/hoi-dap/1",
        &[("thao-tac", "soan")],
        Some(cookie),
    )
    .await;
    assert_eq!(status, 303);
    let post_id: i64 = sqlx::query_scalar("SELECT post_id FROM questions WHERE id = 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    write_answer(app, post_id, answer, "Câu hỏi.", cookie).await;
    post_id
}

/// Writes `answer` into the post of question `id` through the editor's save, as `cookie`.
async fn write_answer(app: &TestApp, post_id: i64, answer: &str, lead: &str, cookie: &str) {
    let post = edit_data(app, post_id, cookie).await;
    let edit = json!({
        "id": post["id"], "base_version": post["version"], "slug": post["slug"],
        "title": post["title"], "lead": lead, "body_html": answer,
        "description": "", "category_id": post["category_id"],
        "published_local": post["published_local"],
    });
    let (status, saved) = app
        .call_json("save_post", &json!({ "edit": edit }), Some(cookie))
        .await;
    assert_eq!(status, 200, "{saved}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn officials_assign_answer_and_publish_with_their_roles_checked() {
    let app = TestApp::spawn().await;
    let writer_id = app.add_user("vietbai", Role::Writer, PASSWORD).await;
    app.add_user("vietbai2", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let writer = app.sign_in("vietbai", PASSWORD).await.unwrap();
    let other_writer = app.sign_in("vietbai2", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let code = code_of(&ask(&app, &question_fields(), &[], None).await.location);
    let id: i64 = sqlx::query_scalar("SELECT id FROM questions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let path = format!("/quan-tri/hoi-dap/{id}");

    // Anonymous: nothing; a writer not assigned: no step; only editors assign.
    for step in [
        "giao",
        "soan",
        "da-tra-loi",
        "dang",
        "khong-dang",
        "ten-hien-thi",
    ] {
        assert_eq!(
            post_form(&app, &path, &[("thao-tac", step)], None).await.0,
            401,
            "{step}"
        );
    }
    assert_eq!(app.page(&path, None).await.status, 401);
    let writer_id_text = writer_id.to_string();
    assert_eq!(
        post_form(
            &app,
            &path,
            &[("thao-tac", "giao"), ("can-bo", &writer_id_text)],
            Some(&writer)
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post_form(&app, &path, &[("thao-tac", "soan")], Some(&writer))
            .await
            .0,
        403
    );
    let detail = app.page(&path, Some(&editor)).await;
    assert!(
        strip_tags(&detail.body).contains("an.nguyen@example.vn"),
        "officials see the contact"
    );

    let (status, location, _) = post_form(
        &app,
        &path,
        &[("thao-tac", "giao"), ("can-bo", &writer_id_text)],
        Some(&editor),
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("{path}?xong=giao").as_str())
    );
    assert_eq!(
        app.page(&format!("/hoi-dap/tra-cuu?ma={code}"), None)
            .await
            .test_text("status")
            .unwrap(),
        "Đang xử lý"
    );
    // The assigned writer starts the answer: a draft post of Hỏi đáp, opened in the editor.
    let (status, _, body) =
        post_form(&app, &path, &[("thao-tac", "soan")], Some(&other_writer)).await;
    assert_eq!(status, 403, "{}", strip_tags(&body));
    let (status, location, _) =
        post_form(&app, &path, &[("thao-tac", "soan")], Some(&writer)).await;
    assert_eq!(status, 303);
    assert!(
        location.starts_with("/bai-viet/") && location.ends_with("?sua=1"),
        "{location}"
    );
    let (post_id, stage, category): (i64, String, String) = sqlx::query_as(
        "SELECT p.id, p.stage, c.slug FROM questions q JOIN posts p ON p.id = q.post_id
         JOIN categories c ON c.id = p.category_id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((stage.as_str(), category.as_str()), ("draft", "hoi-dap"));
    // Before there is an answer, it cannot be sent or published.
    let (status, _, body) = post_form(&app, &path, &[("thao-tac", "dang")], Some(&editor)).await;
    assert_eq!(status, 400);
    assert!(error_of(&body).contains("chưa có câu trả lời"));
    write_answer(
        &app,
        post_id,
        "<p>Hồ sơ gồm đơn đăng ký và giấy tờ về quyền sử dụng đất.</p><script>alert(1)</script>",
        "Gia đình tôi muốn làm sổ đỏ cho thửa đất thổ cư. Cần chuẩn bị giấy tờ gì?",
        &writer,
    )
    .await;
    // A writer cannot publish; the editor names the asker and publishes.
    assert_eq!(
        post_form(&app, &path, &[("thao-tac", "dang")], Some(&writer))
            .await
            .0,
        403
    );
    let (status, _, _) = post_form(
        &app,
        &path,
        &[
            ("thao-tac", "ten-hien-thi"),
            ("ten", "Anh N.V.A. (thôn Đông)"),
        ],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 303);
    let (status, location, _) =
        post_form(&app, &path, &[("thao-tac", "dang")], Some(&editor)).await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("{path}?xong=dang").as_str())
    );
    let tracked = app.page(&format!("/hoi-dap/tra-cuu?ma={code}"), None).await;
    assert_eq!(tracked.test_text("status").unwrap(), "Đã đăng");
    assert_eq!(tracked.count("answer"), 1, "the answer once");
    let answer = tracked.test_text("answer").unwrap();
    assert!(answer.contains("Hồ sơ gồm đơn đăng ký"), "{answer}");
    assert!(
        !tracked.body.contains("<script>alert"),
        "the answer went through the sanitiser"
    );

    // Public: the list, its field filter and its search, the post page, site search, sitemap, feed.
    let list = app.page("/hoi-dap", None).await;
    assert!(list
        .test_text("qa-list")
        .unwrap()
        .contains("Thủ tục cấp giấy chứng nhận"));
    assert!(list.body.contains("Anh N.V.A. (thôn Đông)"));
    assert!(!list.body.contains("Nguyễn Văn An") && !list.body.contains("an.nguyen@"));
    let searched = app.page("/hoi-dap?q=so+do&linh-vuc=dat-dai", None).await;
    assert!(
        searched.test_text("qa-list").is_some(),
        "folded search finds “sổ đỏ”"
    );
    let other_field = app.page("/hoi-dap?linh-vuc=ho-tich", None).await;
    assert!(other_field.test_text("qa-empty").is_some());
    assert_eq!(
        app.page("/hoi-dap?linh-vuc=khong-co", None).await.status,
        404
    );
    let slug: String = sqlx::query_scalar("SELECT slug FROM posts WHERE id = ?")
        .bind(post_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let post = app.page(&format!("/bai-viet/{slug}"), None).await;
    assert_eq!(post.status, 200);
    assert!(post
        .test_text("qa-asker")
        .unwrap()
        .contains("Anh N.V.A. (thôn Đông)"));
    assert!(!strip_tags(&post.body).contains("Nguyễn Văn An"));
    let search = app
        .page("/tim-kiem?q=giay+chung+nhan+quyen+su+dung+dat", None)
        .await;
    assert!(
        search.body.contains(&format!("/bai-viet/{slug}")),
        "site search finds it"
    );
    assert!(app.page("/sitemap.xml", None).await.body.contains(&slug));
    assert!(app.page("/rss.xml", None).await.body.contains(&slug));
    // Audit lines for each step.
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    for action in [
        "Giao xử lý câu hỏi",
        "Trả lời câu hỏi",
        "Đặt tên hiển thị người hỏi",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }

    // Another question is declined with a reason its asker reads; it cannot be declined empty.
    let second = code_of(&ask(&app, &question_fields(), &[], None).await.location);
    let id2: i64 = sqlx::query_scalar("SELECT id FROM questions WHERE code = ?")
        .bind(&second)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let path2 = format!("/quan-tri/hoi-dap/{id2}");
    let (status, _, body) = post_form(
        &app,
        &path2,
        &[("thao-tac", "khong-dang"), ("ly-do", " ")],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 400);
    assert!(error_of(&body).contains("Vui lòng nhập lý do"));
    assert_eq!(
        post_form(
            &app,
            &path2,
            &[
                ("thao-tac", "khong-dang"),
                ("ly-do", "Trùng câu hỏi đã trả lời.")
            ],
            Some(&writer)
        )
        .await
        .0,
        403
    );
    let (status, _, _) = post_form(
        &app,
        &path2,
        &[
            ("thao-tac", "khong-dang"),
            ("ly-do", "Trùng câu hỏi đã trả lời."),
        ],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 303);
    let tracked = app
        .page(&format!("/hoi-dap/tra-cuu?ma={second}"), None)
        .await;
    assert_eq!(tracked.test_text("status").unwrap(), "Không đăng");
    assert!(strip_tags(&tracked.body).contains("Trùng câu hỏi đã trả lời."));
}

/// A mail server on 127.0.0.1 that accepts every message and hands each one's text over.
async fn fake_smtp() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 fake ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(text) = data.as_mut() {
                        if line == "." {
                            let _ = tx.send(data.take().unwrap());
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            text.push_str(&line);
                            text.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-fake\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go on\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (url, rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizen_is_emailed_through_the_outbox_when_answered() {
    let (url, mut inbox) = fake_smtp().await;
    let app = TestApp::spawn_with(Settings {
        mail: Some(
            server::mail::MailConfig::new(&url, "Cổng thông tin xã <no-reply@xa.example.vn>")
                .unwrap(),
        ),
        ..Settings::default()
    })
    .await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let code = code_of(&ask(&app, &question_fields(), &[], None).await.location);
    let path = "/quan-tri/hoi-dap/1";
    answered(
        &app,
        "<p>Mời anh mang hồ sơ tới bộ phận một cửa.</p>",
        &editor,
    )
    .await;
    let (status, _, _) = post_form(&app, path, &[("thao-tac", "da-tra-loi")], Some(&editor)).await;
    assert_eq!(status, 303);
    assert_eq!(
        app.page(&format!("/hoi-dap/tra-cuu?ma={code}"), None)
            .await
            .test_text("status")
            .unwrap(),
        "Đã trả lời"
    );
    let mail = tokio::time::timeout(std::time::Duration::from_secs(20), inbox.recv())
        .await
        .expect("an e-mail within 20 s")
        .unwrap();
    assert!(mail.contains("an.nguyen@example.vn"), "{mail}");
    let shown = format!("{}-{}", &code[..4], &code[4..]);
    assert!(
        mail.contains(&shown),
        "the mail's subject gives the code: {mail}"
    );
    // Recorded as sent once the mail server has taken it.
    let mut sent: Option<String> = None;
    for _ in 0..50 {
        sent = sqlx::query_scalar("SELECT sent_at FROM mail_outbox")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        if sent.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(sent.is_some(), "recorded as sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_never_waits_for_a_mail_server_that_does_not_answer() {
    // Accepts connections and never says a word (lettre would wait 30 s for its greeting).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let app = TestApp::spawn_with(Settings {
        mail: Some(server::mail::MailConfig::new(&url, "no-reply@xa.example.vn").unwrap()),
        ..Settings::default()
    })
    .await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    ask(&app, &question_fields(), &[], None).await;
    answered(&app, "<p>Trả lời.</p>", &editor).await;
    let started = std::time::Instant::now();
    let (status, _, _) = post_form(
        &app,
        "/quan-tri/hoi-dap/1",
        &[("thao-tac", "dang")],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 303);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // The mail waits in the outbox, unsent.
    let (to, sent): (String, Option<String>) =
        sqlx::query_as("SELECT to_addr, sent_at FROM mail_outbox")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((to.as_str(), sent), ("an.nguyen@example.vn", None));
    held.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_mail_server_nothing_is_queued_and_the_tracking_page_is_the_channel() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    ask(&app, &question_fields(), &[], None).await;
    answered(&app, "<p>Trả lời.</p>", &editor).await;
    assert_eq!(
        post_form(
            &app,
            "/quan-tri/hoi-dap/1",
            &[("thao-tac", "da-tra-loi")],
            Some(&editor)
        )
        .await
        .0,
        303
    );
    assert_eq!(count(&app, "mail_outbox").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_take_comments_until_their_day_then_close() {
    let app = TestApp::spawn().await;
    app.add_user("vietbai", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let writer = app.sign_in("vietbai", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    // Not a draft: no form, and a comment is refused.
    let page = app.page("/van-ban/1/gop-y", None).await;
    assert!(page
        .test_text("comments-closed")
        .unwrap()
        .contains("không lấy ý kiến"));
    let today = vietnam_today();
    let until = app::format::iso_date(today + Duration::days(10));
    assert_eq!(
        post_form(
            &app,
            "/van-ban/1/gop-y",
            &[("thao-tac", "han"), ("han", &until)],
            Some(&writer)
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post_form(
            &app,
            "/van-ban/1/gop-y",
            &[("thao-tac", "han"), ("han", &until)],
            None
        )
        .await
        .0,
        401
    );
    let (status, location, _) = post_form(
        &app,
        "/van-ban/1/gop-y",
        &[("thao-tac", "han"), ("han", &until)],
        Some(&editor),
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/van-ban/1"));
    let document = app.page("/van-ban/1", None).await;
    assert!(document
        .test_text("draft-comments")
        .unwrap()
        .contains("đến hết ngày"));

    // A citizen comments through the form's rules.
    let app = &app;
    let comment = move |body: &'static str| async move {
        let form = app.page("/van-ban/1/gop-y", None).await;
        assert!(
            form.body.contains("action=\"/van-ban/1/gop-y\""),
            "the form posts where it is handled"
        );
        let ticket = form_ticket(&form.body);
        let answer = solve(&form.body);
        post_form(
            app,
            "/van-ban/1/gop-y",
            &[
                ("ho-ten", "Trần Thị Bình"),
                ("lien-he", "0912 345 678"),
                ("thon", "Xóm 3"),
                ("chi-tiet", body),
                ("phieu", &ticket),
                ("tra-loi-kiem-tra", &answer),
                ("trang-web", ""),
            ],
            None,
        )
        .await
    };
    let (status, location, _) = comment("Đề nghị bổ sung lịch tiếp dân buổi chiều.").await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/van-ban/1/gop-y?da-gui=1")
    );
    assert!(app
        .page(&location, None)
        .await
        .test_text("comment-received")
        .is_some());
    let (status, _, body) = comment("").await;
    assert_eq!(status, 400);
    assert!(error_of(&body).contains("Vui lòng nhập nội dung góp ý"));
    // Editors read it with who sent it; a writer reads it without; citizens cannot.
    assert_eq!(app.page("/quan-tri/gop-y/1", None).await.status, 401);
    let list = app.page("/quan-tri/gop-y/1", Some(&editor)).await;
    let text = list.test_text("comments").unwrap();
    assert!(
        text.contains("Trần Thị Bình")
            && text.contains("0912 345 678")
            && text.contains("Đề nghị bổ sung lịch tiếp dân"),
        "{text}"
    );
    let list = app.page("/quan-tri/gop-y/1", Some(&writer)).await;
    assert_eq!(list.status, 200);
    let text = list.test_text("comments").unwrap();
    assert!(text.contains("Đề nghị bổ sung lịch tiếp dân"), "{text}");
    let (status, data) = app
        .get_json("/api/draft_comments?id=1", Some(&writer))
        .await;
    assert_eq!(status, 200);
    for body in [list.body.as_str(), data.to_string().as_str()] {
        assert!(
            !body.contains("Trần Thị Bình") && !body.contains("0912 345 678"),
            "a writer reads no sender: {}",
            strip_tags(body)
        );
    }

    // Once its day has passed, it is closed, even to a form opened before.
    let form = app.page("/van-ban/1/gop-y", None).await;
    let (ticket, answer) = (form_ticket(&form.body), solve(&form.body));
    let yesterday = app::format::iso_date(today - Duration::days(1));
    post_form(
        app,
        "/van-ban/1/gop-y",
        &[("thao-tac", "han"), ("han", &yesterday)],
        Some(&editor),
    )
    .await;
    let late = [
        ("ho-ten", "Trần Thị Bình"),
        ("thon", "Xóm 3"),
        ("chi-tiet", "Góp ý muộn."),
        ("phieu", ticket.as_str()),
        ("tra-loi-kiem-tra", answer.as_str()),
    ];
    let (status, _, body) = post_form(app, "/van-ban/1/gop-y", &late, None).await;
    assert_eq!(status, 400);
    assert!(strip_tags(&body).contains("Đã hết thời hạn góp ý cho dự thảo này"));
    assert!(app
        .page("/van-ban/1", None)
        .await
        .test_text("comments-closed")
        .is_some());
    assert_eq!(count(app, "draft_comments").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_serves_once_and_a_body_of_invented_fields_is_refused_at_once() {
    let app = TestApp::spawn().await;
    let form_page = app.page("/hoi-dap/gui-cau-hoi", None).await;
    let (ticket, answer) = (form_ticket(&form_page.body), solve(&form_page.body));
    let send = |extra: usize| {
        let mut form = Form::new();
        for (k, v) in question_fields() {
            form = form.text(k, v);
        }
        for i in 0..extra {
            form = form.text(format!("f{i}"), "");
        }
        form = form
            .text("phieu", ticket.clone())
            .text("tra-loi-kiem-tra", answer.clone())
            .text("trang-web", "");
        app.client
            .post(app.url("/hoi-dap/gui-cau-hoi"))
            .header(ORIGIN, app.url(""))
            .multipart(form)
            .send()
    };
    assert_eq!(send(0).await.unwrap().status().as_u16(), 303);
    let again = Page::read(send(0).await.unwrap()).await;
    assert_eq!(again.status, 400);
    assert!(again
        .test_text("form-error")
        .unwrap()
        .contains("đã được gửi một lần"));
    // Refused after its 40th part: the answer may come (and the connection close) before the
    // client has sent all of it.
    match send(5000).await {
        Ok(res) => {
            let many = Page::read(res).await;
            assert_eq!(many.status, 400);
            assert!(many
                .test_text("form-error")
                .unwrap()
                .contains("không đúng dạng"));
        }
        Err(err) => assert!(err.is_request(), "{err}"),
    }
    assert_eq!(count(&app, "questions").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_question_is_never_published_and_holidays_stay_in_range() {
    let app = TestApp::spawn().await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    ask(&app, &question_fields(), &[], None).await;
    let post_id = answered(&app, "<p>Trả lời.</p>", &admin).await;
    let (status, _, _) = post_form(
        &app,
        "/quan-tri/hoi-dap/1",
        &[
            ("thao-tac", "khong-dang"),
            ("ly-do", "Không thuộc thẩm quyền của xã."),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(status, 303);
    // Publishing its post from the post's own page is refused too.
    let id = post_id.to_string();
    let (status, body) = app
        .call(
            "post_action",
            &[("id", &id), ("action", "publish")],
            Some(&admin),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("không đăng"), "{body}");
    assert!(app
        .page("/hoi-dap", None)
        .await
        .test_text("qa-empty")
        .is_some());
    for day in ["0000-01-01", "9999-12-31"] {
        let (status, _, body) = post_form(
            &app,
            "/quan-tri/hoi-dap",
            &[
                ("thao-tac", "them-ngay-nghi"),
                ("ngay", day),
                ("ten", "Tết"),
            ],
            Some(&admin),
        )
        .await;
        assert_eq!(status, 400, "{day}");
        assert!(error_of(&body).contains("Ngày nghỉ không hợp lệ"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_an_editor_started_is_the_assigned_writers_to_write() {
    let app = TestApp::spawn().await;
    let writer_id = app.add_user("vietbai", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let writer = app.sign_in("vietbai", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    ask(&app, &question_fields(), &[], None).await;
    // Named by initials until an official chooses otherwise.
    let public: String = sqlx::query_scalar("SELECT public_name FROM questions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(public, "N.V.A. (Thôn Đông)");
    post_form(
        &app,
        "/quan-tri/hoi-dap/1",
        &[("thao-tac", "soan")],
        Some(&editor),
    )
    .await;
    let post_id: i64 = sqlx::query_scalar("SELECT post_id FROM questions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let id = writer_id.to_string();
    let (status, _, _) = post_form(
        &app,
        "/quan-tri/hoi-dap/1",
        &[("thao-tac", "giao"), ("can-bo", &id)],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 303);
    write_answer(
        &app,
        post_id,
        "<p>Câu trả lời của cán bộ được giao.</p>",
        "Câu hỏi.",
        &writer,
    )
    .await;
}

/// `K7PM-3QXA`: a code as pages show it.
fn shown(code: &str) -> String {
    format!("{}-{}", &code[..4], &code[4..])
}

async fn question_id(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM questions WHERE code = ?")
        .bind(code)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Who opened the details of the question shown as `code`, in the audit log's order.
async fn opened_by(app: &TestApp, code: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT username FROM audit_log WHERE action = 'Xem thông tin người hỏi' AND target = ?
         ORDER BY id",
    )
    .bind(shown(code))
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_sees_only_the_questions_given_to_them_and_every_opening_is_audited() {
    let app = TestApp::spawn().await;
    let writer_id = app.add_user("vietbai", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let writer = app.sign_in("vietbai", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    // Two questions nobody was given (the first with a file), and one given to the writer.
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let first = ask(&app, &question_fields(), &[], Some(("giay-to.pdf", pdf))).await;
    assert_eq!(
        first.status,
        303,
        "{:?}",
        first.page.test_text("form-error")
    );
    let hidden = code_of(&first.location);
    let hidden_id = question_id(&app, &hidden).await;
    let token: String = sqlx::query_scalar(
        "SELECT a.token FROM questions q JOIN attachments a ON a.id = q.attachment_id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(ask(&app, &question_fields(), &[], None).await.status, 303);
    let mut fields = question_fields();
    for (name, value) in fields.iter_mut() {
        match *name {
            "ho-ten" => *value = "Trần Thị Bình".into(),
            "lien-he" => *value = "0987 654 321".into(),
            "tieu-de" => *value = "Hỏi về trợ cấp cho người cao tuổi".into(),
            _ => {}
        }
    }
    let given = code_of(&ask(&app, &fields, &[], None).await.location);
    let given_id = question_id(&app, &given).await;
    let writer_text = writer_id.to_string();
    let (status, _, _) = post_form(
        &app,
        &format!("/quan-tri/hoi-dap/{given_id}"),
        &[("thao-tac", "giao"), ("can-bo", &writer_text)],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 303);
    let secrets = [
        "Nguyễn Văn An".to_string(),
        "an.nguyen@example.vn".to_string(),
        shown(&hidden),
        hidden.clone(),
        "giay-to.pdf".to_string(),
        token.clone(),
    ];
    let shows_none = |what: &str, body: &str| {
        for secret in &secrets {
            assert!(!body.contains(secret.as_str()), "{what} shows {secret}");
        }
    };

    // The queue, as a page and as its server function: only the question given to them.
    let queue = app.page("/quan-tri/hoi-dap", Some(&writer)).await;
    assert_eq!(queue.status, 200);
    assert_eq!(queue.count("queue-row"), 1);
    assert!(strip_tags(&queue.body).contains(&shown(&given)));
    shows_none("the writer's queue", &queue.body);
    for tab in ["", "?xem=moi", "?xem=qua-han"] {
        let (status, data) = app
            .get_json(&format!("/api/question_queue{tab}"), Some(&writer))
            .await;
        assert_eq!(status, 200, "{tab}");
        shows_none("the queue's server function", &data.to_string());
    }
    let editors_queue = app.page("/quan-tri/hoi-dap", Some(&editor)).await;
    assert_eq!(editors_queue.count("queue-row"), 3);
    // The bar's count: theirs only (one open, given to them); an editor's: two new.
    let (_, me) = app.get_json("/api/me", Some(&writer)).await;
    assert_eq!(me["questions"], json!([1, 0]), "{me}");
    let (_, me) = app.get_json("/api/me", Some(&editor)).await;
    assert_eq!(me["questions"], json!([2, 0]), "{me}");

    // A question not given to them: its page, its server function and its file are refused.
    let path = format!("/quan-tri/hoi-dap/{hidden_id}");
    let page = app.page(&path, Some(&writer)).await;
    assert_eq!(page.status, 403);
    shows_none("the page of a question not given to them", &page.body);
    let (status, data) = app
        .get_json(
            &format!("/api/question_detail?id={hidden_id}"),
            Some(&writer),
        )
        .await;
    assert_eq!(status, 403);
    shows_none("the question's server function", &data.to_string());
    let file = app
        .page(&format!("/tep/{token}/giay-to.pdf"), Some(&writer))
        .await;
    assert_eq!(file.status, 404, "the citizen's file");
    // A step refused shows the page refused too.
    let (status, _, body) = post_form(&app, &path, &[("thao-tac", "soan")], Some(&writer)).await;
    assert_eq!(status, 403);
    shows_none("a refused step", &body);
    assert!(opened_by(&app, &hidden).await.is_empty());

    // The question given to them: who asked, the code, and their opening on record.
    let page = app
        .page(&format!("/quan-tri/hoi-dap/{given_id}"), Some(&writer))
        .await;
    assert_eq!(page.status, 200);
    let text = strip_tags(&page.body);
    for shown_to_them in ["Trần Thị Bình", "0987 654 321", &shown(&given)] {
        assert!(text.contains(shown_to_them), "{shown_to_them}");
    }
    assert_eq!(opened_by(&app, &given).await, ["vietbai"]);

    // An editor sees the other whole, with its file; also on record.
    let page = app.page(&path, Some(&editor)).await;
    assert_eq!(page.status, 200);
    let text = strip_tags(&page.body);
    assert!(text.contains("an.nguyen@example.vn") && text.contains("giay-to.pdf"));
    assert_eq!(opened_by(&app, &hidden).await, ["bientap"]);
    let file = app
        .page(&format!("/tep/{token}/giay-to.pdf"), Some(&editor))
        .await;
    assert_eq!(file.status, 200);
    let ip: String = sqlx::query_scalar(
        "SELECT ip FROM audit_log WHERE action = 'Xem thông tin người hỏi' ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(ip, "127.0.0.1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_forms_sent_at_once_from_one_address_keep_to_the_hours_limit() {
    let app = TestApp::spawn_with(Settings {
        questions_per_hour: 5,
        ..Settings::default()
    })
    .await;
    // Comments on a draft count against the same limit.
    let until = app::format::iso_date(vietnam_today() + Duration::days(10));
    sqlx::query("UPDATE documents SET comments_until = ? WHERE id = 1")
        .bind(&until)
        .execute(&app.pool)
        .await
        .unwrap();
    // Forty forms opened first, each with its own ticket and sum.
    let mut questions = Vec::new();
    for _ in 0..30 {
        questions.push(fill(&app, &question_fields(), &[]).await);
    }
    let mut comments = Vec::new();
    for _ in 0..10 {
        let form = app.page("/van-ban/1/gop-y", None).await;
        comments.push((form_ticket(&form.body), solve(&form.body)));
    }
    type Sending<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = (u16, String)> + 'a>>;
    let mut sending: Vec<Sending> = Vec::new();
    for values in questions {
        let app = &app;
        sending.push(Box::pin(async move {
            let sent = send(app, values, None, None).await;
            (sent.status, sent.page.body)
        }));
    }
    for (ticket, answer) in comments {
        let app = &app;
        sending.push(Box::pin(async move {
            let (status, _, body) = post_form(
                app,
                "/van-ban/1/gop-y",
                &[
                    ("ho-ten", "Trần Thị Bình"),
                    ("thon", "Xóm 3"),
                    ("chi-tiet", "Đề nghị bổ sung lịch tiếp dân."),
                    ("phieu", &ticket),
                    ("tra-loi-kiem-tra", &answer),
                    ("trang-web", ""),
                ],
                None,
            )
            .await;
            (status, body)
        }));
    }
    let answers = futures::future::join_all(sending).await;
    let accepted = answers.iter().filter(|(status, _)| *status == 303).count();
    assert_eq!(
        accepted,
        5,
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    for (status, body) in answers.iter().filter(|(status, _)| *status != 303) {
        assert_eq!(*status, 429, "{}", error_of(body));
        assert!(
            error_of(body).contains("trong một giờ qua"),
            "{}",
            error_of(body)
        );
    }
    assert_eq!(
        count(&app, "questions").await + count(&app, "draft_comments").await,
        5
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_from_one_ipv6_64_count_as_one_address() {
    let app = TestApp::spawn_with(behind_a_proxy(Settings {
        questions_per_hour: 2,
        ..Settings::default()
    }))
    .await;
    let mut statuses = Vec::new();
    for i in 1..=8 {
        let values = fill(&app, &question_fields(), &[]).await;
        let ip = format!("2001:db8:5:6:{i:x}::{i:x}");
        statuses.push(send(&app, values, None, Some(&ip)).await.status);
    }
    assert_eq!(statuses, [303, 303, 429, 429, 429, 429, 429, 429]);
    // Another /64 is another address.
    let values = fill(&app, &question_fields(), &[]).await;
    let sent = send(&app, values, None, Some("2001:db8:5:7::1")).await;
    assert_eq!(sent.status, 303);
    assert_eq!(count(&app, "questions").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracking_codes_cannot_be_guessed_from_one_address() {
    let app = TestApp::spawn_with(behind_a_proxy(Settings::default())).await;
    let code = code_of(&ask(&app, &question_fields(), &[], None).await.location);
    let alphabet: Vec<char> = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".chars().collect();
    // The page as a browser asks for it; the server function as the hydrated page calls it.
    let track = |path: String, ip: String| {
        let accept = if path.starts_with("/api/") {
            "application/json"
        } else {
            "text/html"
        };
        app.client
            .get(app.url(&path))
            .header("x-forwarded-for", ip)
            .header(reqwest::header::ACCEPT, accept)
            .send()
    };
    // Thirty wrong codes, each from another address of one IPv6 /64, through the server
    // function and the page alike: each is told no question has it.
    for i in 0..30usize {
        let guess = format!("ZZZZ-ZZ{}{}", alphabet[i / 32], alphabet[i % 32]);
        assert_ne!(guess.replace('-', ""), code);
        let ip = format!("2001:db8:9:9::{:x}", i + 1);
        if i % 2 == 0 {
            let res = track(format!("/api/track_question?ma={guess}"), ip)
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 200, "{i}");
            let data: Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
            assert_eq!(data["status"], 404, "{i}: {data}");
        } else {
            let page = Page::read(
                track(format!("/hoi-dap/tra-cuu?ma={guess}"), ip)
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!(page.status, 404, "{i}");
        }
    }
    // Then every lookup from that /64 is refused, the right code too, in Vietnamese.
    for path in [
        "/api/track_question?ma=ZZZZ-ZZZZ".to_string(),
        format!("/api/track_question?ma={code}"),
        format!("/hoi-dap/tra-cuu?ma={code}"),
    ] {
        let res = track(path.clone(), "2001:db8:9:9:ffff::1".into())
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 429, "{path}");
        let body = res.text().await.unwrap();
        assert!(
            body.contains("nhập sai mã tra cứu quá nhiều lần"),
            "{path}: {body}"
        );
        assert!(!body.contains("Thủ tục cấp giấy chứng nhận"), "{path}");
    }
    // Other addresses still look their codes up, and see nothing personal.
    for ip in ["2001:db8:9:a::1", "203.0.113.7"] {
        let page = Page::read(
            track(format!("/hoi-dap/tra-cuu?ma={code}"), ip.into())
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(page.status, 200, "{ip}");
        assert_eq!(page.test_text("status").unwrap(), "Đã tiếp nhận");
        let text = strip_tags(&page.body);
        assert!(!text.contains("Nguyễn Văn An") && !text.contains("an.nguyen@"));
    }
    // Guesses sent all at once are counted before any is answered: at most thirty are
    // checked (the right lookups above gave their counts back).
    let at_once = (0..200usize).map(|i| {
        let guess = format!(
            "YYYY-Y{}{}{}",
            alphabet[i / 1024 % 32],
            alphabet[i / 32 % 32],
            alphabet[i % 32]
        );
        let ip = format!("2001:db8:9:b::{:x}", i + 1);
        let request = track(format!("/hoi-dap/tra-cuu?ma={guess}"), ip);
        async move { request.await.unwrap().status().as_u16() }
    });
    let statuses = futures::future::join_all(at_once).await;
    let checked = statuses.iter().filter(|s| **s == 404).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (30, 170), "{statuses:?}");
}
