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

mod asking;
mod drafts;
mod mail;
mod officials;

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
