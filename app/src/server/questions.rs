//! Hỏi đáp: citizens ask through a form (no account, no JavaScript), get a tracking code, and
//! officials answer within 15 working days; comments on draft documents go through the same
//! form rules (`drafts`).
//!
//! - **An answer is a post** of the `hoi-dap` category, linked to its question: it is written in
//!   the same in-place editor, sanitised, revised, audited, published, searched, fed and put in
//!   the sitemap like any post. Its title is the question's title and its lead the question as
//!   it will be published (officials may take personal details out of it); the body is the
//!   answer. Its page names the asker only as the official chose (`public_name`).
//! - **Status:** `received`, `assigned` (to an official), `answered` (sent to the citizen),
//!   `declined` (with a reason); published is the answer's post being published.
//! - **Personal data** (name, contact, the address's keyed hash, the file) and the tracking code
//!   are shown only to editors, admins and the official a question is given to (a writer's
//!   queue and count hold only the questions given to them), and each opening of a question's
//!   page is audited ("Xem thông tin người hỏi"). The tracking page shows only the one question
//!   its code names, without them; wrong codes are limited per address (`intake`).
//! - **E-mail** is put in an outbox that a task of the server empties (`mail`): no request
//!   waits on the mail server.

pub mod calendar;
pub mod drafts;
pub mod forms;
pub mod intake;
pub mod mail;

use sqlx::{FromRow, SqlitePool};
use time::Date;

use self::calendar::{days_left_text, Holidays};
use self::forms::{paragraphs, Field};
use self::intake::{names, FormGuard, Quota, Sender, Typed};
use crate::error::AppError;
use crate::format::{count_vn, date_text, parse_date, parse_utc};
use crate::markup::escape;
use crate::model::{Official, PostEdit, Role, SaveOutcome};
use crate::server::accounts::{audit, audit_alone, Actor};
use crate::server::content::{editing, schedule::Schedule, workflow};
use crate::server::finding::search::Query;
use crate::server::internal;
use crate::server::media::attachments;
use crate::server::text::one_line;
use crate::server::time::{day_of, day_text, utc_timestamp};

/// The letters and digits of a tracking code: no 0, O, 1 or I, which read alike.
const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const CODE_LEN: usize = 8;
/// Questions on a page of the public list and of the queue.
const PER_PAGE: i64 = 20;

/// A new tracking code: 8 symbols of 32, 40 random bits (256 is a multiple of 32: no bias).
pub fn new_code() -> String {
    crate::server::accounts::auth::random_bytes::<CODE_LEN>()
        .iter()
        .map(|byte| char::from(CODE_ALPHABET[usize::from(byte % 32)]))
        .collect()
}

/// A code as a citizen may type it (`k7pm-3qxa`, with spaces), as stored; None if it cannot be one.
pub fn normalise_code(raw: &str) -> Option<String> {
    let code: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .flat_map(char::to_uppercase)
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// `K7PM-3QXA`: a code as shown, in two halves.
pub fn code_text(code: &str) -> String {
    match (code.get(..4), code.get(4..)) {
        (Some(a), Some(b)) => format!("{a}-{b}"),
        _ => code.to_string(),
    }
}

/// What a citizen reads of a status.
pub fn status_label(status: &str, published: bool) -> &'static str {
    match (status, published) {
        (_, true) => "Đã đăng",
        ("assigned", _) => "Đang xử lý",
        ("answered", _) => "Đã trả lời",
        ("declined", _) => "Không đăng",
        _ => "Đã tiếp nhận",
    }
}

pub async fn fields(pool: &SqlitePool) -> Result<Vec<Field>, AppError> {
    sqlx::query_as("SELECT id, slug, name FROM question_fields ORDER BY position, id")
        .fetch_all(pool)
        .await
        .map_err(internal("reading the question fields"))
}

/// The question form with a new ticket; `typed` and `error` after a refusal.
pub async fn form_html(
    pool: &SqlitePool,
    guard: &FormGuard,
    typed: &Typed,
    error: Option<&str>,
    file_dropped: bool,
    now: u64,
) -> Result<String, AppError> {
    let fields = fields(pool).await?;
    Ok(forms::question_form(
        &fields,
        typed,
        &guard.ticket(now),
        error,
        file_dropped,
    ))
}

/// A citizen's form refused by the server's handler: what was typed and why, for the page
/// rendered in answer (provided as context to that render).
#[derive(Clone, Debug)]
pub struct Refusal {
    pub typed: Typed,
    pub error: String,
    /// A file came with the form and must be chosen again.
    pub file_dropped: bool,
    pub status: u16,
}

/// A question as sent, checked.
#[derive(Clone, Debug)]
pub struct NewQuestion {
    pub sender: Sender,
    pub field_id: i64,
    pub title: String,
    pub body: String,
}

/// Checks every field of the question form (the guard's checks are separate).
pub async fn parse_question(pool: &SqlitePool, typed: &Typed) -> Result<NewQuestion, AppError> {
    let sender = Sender::parse(typed)?;
    let field = typed.get(names::FIELD);
    let field_id = fields(pool)
        .await?
        .into_iter()
        .find(|f| f.slug == field)
        .map(|f| f.id)
        .ok_or_else(|| {
            AppError::BadRequest("Vui lòng chọn lĩnh vực mà câu hỏi liên quan.".into())
        })?;
    Ok(NewQuestion {
        sender,
        field_id,
        title: intake::parse_title(typed)?,
        body: intake::parse_body(typed, "nội dung câu hỏi")?,
    })
}

/// Stores a question received at `now`, due 15 working days after its Vietnam day, if its
/// address has room in its hour's share (`quota`, checked in the same statement). Returns its
/// tracking code.
pub async fn record(
    pool: &SqlitePool,
    question: &NewQuestion,
    attachment_id: Option<i64>,
    quota: &Quota,
    now: u64,
) -> Result<String, AppError> {
    let received = parse_date(&day_text(day_of(now))).ok_or(AppError::Internal)?;
    let due = Holidays::load(pool).await?.due(received);
    for _ in 0..5 {
        let code = new_code();
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO questions (code, received_at, received_on, due_on, name, contact, hamlet,
                                    field_id, title, body, attachment_id, sender, public_name)
             SELECT ",
        );
        let mut values = insert.separated(", ");
        values
            .push_bind(code.clone())
            .push_bind(utc_timestamp(now))
            .push_bind(crate::format::iso_date(received))
            .push_bind(crate::format::iso_date(due))
            .push_bind(question.sender.name.clone())
            .push_bind(question.sender.contact.clone())
            .push_bind(question.sender.hamlet.clone())
            .push_bind(question.field_id)
            .push_bind(question.title.clone())
            .push_bind(question.body.clone())
            .push_bind(attachment_id)
            .push_bind(quota.sender.clone())
            // Initials and hamlet until an official chooses otherwise: never the full name.
            .push_bind(initials(&question.sender.name, &question.sender.hamlet));
        insert.push(" WHERE ");
        quota.push_room(&mut insert);
        // (The WHERE above also tells SQLite's parser that ON CONFLICT is the upsert's.)
        insert.push(" ON CONFLICT (code) DO NOTHING");
        let inserted = insert
            .build()
            .execute(pool)
            .await
            .map_err(internal("storing a question"))?;
        if inserted.rows_affected() == 1 {
            return Ok(code);
        }
        if let Some(refusal) = quota.refused(pool).await? {
            return Err(refusal);
        }
    }
    tracing::error!("five tracking codes in a row were taken");
    Err(AppError::Internal)
}

/// A question with what every page of it needs.
#[derive(Clone, Debug, FromRow)]
struct Row {
    id: i64,
    code: String,
    received_at: String,
    received_on: String,
    due_on: String,
    name: String,
    contact: String,
    hamlet: String,
    field: String,
    title: String,
    body: String,
    attachment_id: Option<i64>,
    status: String,
    assignee_id: Option<i64>,
    assignee: Option<String>,
    post_id: Option<i64>,
    post_slug: Option<String>,
    post_body: Option<String>,
    published: bool,
    public_name: String,
    decline_reason: String,
    answered_at: Option<String>,
}

const SELECT_ROW: &str =
    "SELECT q.id, q.code, q.received_at, q.received_on, q.due_on, q.name, q.contact,
        q.hamlet, f.name AS field, q.title, q.body, q.attachment_id, q.status, q.assignee_id,
        u.display_name AS assignee, q.post_id, p.slug AS post_slug, p.body_html AS post_body,
        COALESCE(p.status = 'published', 0) AS published, q.public_name, q.decline_reason,
        q.answered_at
     FROM questions q
     JOIN question_fields f ON f.id = q.field_id
     LEFT JOIN users u ON u.id = q.assignee_id
     LEFT JOIN posts p ON p.id = q.post_id ";

fn day(text: &str) -> String {
    parse_date(text).map(date_text).unwrap_or_default()
}

fn instant_day(text: &str) -> String {
    parse_utc(text)
        .map(|t| date_text(t.to_offset(crate::format::VIETNAM).date()))
        .unwrap_or_default()
}

impl Row {
    fn open(&self) -> bool {
        matches!(self.status.as_str(), "received" | "assigned")
    }

    fn due(&self) -> Option<Date> {
        parse_date(&self.due_on)
    }

    fn answer_html(&self) -> Option<&str> {
        self.post_body.as_deref().filter(|b| !b.trim().is_empty())
    }
}

async fn row_where(
    pool: &SqlitePool,
    condition: &'static str,
    value: &str,
) -> Result<Option<Row>, AppError> {
    sqlx::QueryBuilder::<sqlx::Sqlite>::new(SELECT_ROW)
        .push(" WHERE ")
        .push(condition)
        .push_bind(value)
        .build_query_as()
        .fetch_optional(pool)
        .await
        .map_err(internal("reading a question"))
}

async fn row(pool: &SqlitePool, id: i64) -> Result<Row, AppError> {
    row_where(pool, "q.id = ", &id.to_string())
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy câu hỏi này.".into()))
}

/// The tracking page's content for the code typed (none: just the form). Only the one question
/// the code names is read, and only its title, dates, status, the reason of a refusal and the
/// answer are shown: never a name, a contact or a file. Answers 404 for an unknown code, which
/// counts against the address `ip` (logged); an address that got too many wrong is refused
/// every lookup for a while (`FormGuard::check_lookup`), so codes cannot be guessed.
pub async fn track_html(
    pool: &SqlitePool,
    guard: &FormGuard,
    ip: &str,
    raw: Option<&str>,
    fresh: bool,
    now: u64,
) -> Result<(u16, String), AppError> {
    let typed = raw.map(str::trim).unwrap_or("");
    let form = format!(
        "<form class=\"form form--inline qa-track\" method=\"get\" action=\"/hoi-dap/tra-cuu\" data-test=\"track-form\">\
         <label for=\"ma\">Mã tra cứu</label>\
         <input id=\"ma\" name=\"ma\" value=\"{}\" maxlength=\"20\" autocapitalize=\"characters\" autocomplete=\"off\" spellcheck=\"false\" required>\
         <button type=\"submit\">Tra cứu</button></form>",
        escape(typed)
    );
    if typed.is_empty() {
        return Ok((
            200,
            format!("<p>Nhập mã tra cứu bạn nhận được khi gửi câu hỏi.</p>{form}"),
        ));
    }
    guard.check_lookup(ip, now)?;
    let found = match normalise_code(typed) {
        Some(code) => row_where(pool, "q.code = ", &code).await?,
        None => None,
    };
    let Some(q) = found else {
        guard.lookup_missed(ip, now);
        return Ok((
            404,
            format!(
                "<p class=\"form-error\" role=\"alert\" data-test=\"form-error\">Không tìm thấy câu hỏi có mã “{}”. \
                 Mã gồm 8 chữ và số (không có số 0, số 1, chữ O, chữ I); vui lòng kiểm tra lại.</p>{form}",
                escape(typed)
            ),
        ));
    };
    guard.lookup_found(ip, now);
    let mut html = String::new();
    if fresh {
        html.push_str(&format!(
            "<div class=\"form-ok qa-received\" role=\"status\" data-test=\"question-received\">\
             <p>Câu hỏi của bạn đã được tiếp nhận. Mã tra cứu của bạn là</p>\
             <p class=\"qa-code\" data-test=\"tracking-code\">{}</p>\
             <p>Hãy ghi lại hoặc chụp lại mã này: dùng mã để xem tình trạng và câu trả lời tại trang này.</p></div>",
            code_text(&q.code)
        ));
    }
    let label = status_label(&q.status, q.published);
    html.push_str(&format!(
        "<dl class=\"qa-facts\" data-test=\"tracked\">\
         <dt>Mã tra cứu</dt><dd>{code}</dd>\
         <dt>Câu hỏi</dt><dd>{title}</dd>\
         <dt>Lĩnh vực</dt><dd>{field}</dd>\
         <dt>Ngày tiếp nhận</dt><dd>{received}</dd>\
         <dt>Hạn trả lời</dt><dd>{due}</dd>\
         <dt>Tình trạng</dt><dd data-test=\"status\"><strong>{label}</strong></dd></dl>",
        code = code_text(&q.code),
        title = escape(&q.title),
        field = escape(&q.field),
        received = day(&q.received_on),
        due = day(&q.due_on),
    ));
    if q.status == "declined" {
        html.push_str(&format!(
            "<section class=\"qa-answer\" aria-labelledby=\"ly-do\"><h2 id=\"ly-do\">Lý do không đăng</h2>{}</section>",
            paragraphs(&q.decline_reason)
        ));
    }
    // The answer once it is sent (answered) or published, with where it is published.
    if let (true, Some(answer)) = (q.status == "answered" || q.published, q.answer_html()) {
        let when = q
            .answered_at
            .as_deref()
            .map(instant_day)
            .unwrap_or_default();
        let link = match (&q.post_slug, q.published) {
            (Some(slug), true) => format!(
                "<p><a href=\"/bai-viet/{}\">Xem câu hỏi và trả lời đã đăng trên cổng</a></p>",
                crate::format::path_segment(slug)
            ),
            _ => String::new(),
        };
        html.push_str(&format!(
            "<section class=\"qa-answer\" aria-labelledby=\"tra-loi\" data-test=\"answer\"><h2 id=\"tra-loi\">Trả lời</h2>\
             <p class=\"qa-meta\">Ngày trả lời: {when}</p>{answer}{link}</section>"
        ));
    }
    if q.open() {
        html.push_str("<p>Câu hỏi đang được cán bộ xử lý. Bạn có thể quay lại trang này để xem câu trả lời.</p>");
    }
    html.push_str(&form);
    Ok((200, html))
}

#[derive(FromRow)]
struct PublicRow {
    slug: String,
    title: String,
    lead: String,
    field: String,
    public_name: String,
    received_on: String,
    published_at: String,
}

/// `/hoi-dap`: published questions and answers, newest first, by field and by words (the
/// search index of posts, with its Vietnamese folding).
pub async fn public_html(
    pool: &SqlitePool,
    field: Option<&str>,
    words: Option<&str>,
    page: i64,
) -> Result<String, AppError> {
    let fields = fields(pool).await?;
    let field = field.filter(|f| !f.is_empty());
    let chosen = match field {
        Some(slug) => Some(
            fields
                .iter()
                .find(|f| f.slug == slug)
                .ok_or_else(|| AppError::NotFound("Không có lĩnh vực này.".into()))?,
        ),
        None => None,
    };
    let query = Query::parse(words.unwrap_or(""))?;
    let mut select = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "SELECT p.slug, p.title, p.lead, f.name AS field, q.public_name, q.received_on,
                p.published_at
         FROM questions q
         JOIN posts p ON p.id = q.post_id AND p.status = 'published'
         JOIN question_fields f ON f.id = q.field_id WHERE 1 = 1",
    );
    if let Some(f) = chosen {
        select.push(" AND q.field_id = ").push_bind(f.id);
    }
    if let Some(query) = &query {
        select
            .push(" AND p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ")
            .push_bind(query.expression())
            .push(")");
    }
    select
        .push(" ORDER BY p.published_at DESC, p.id DESC LIMIT ")
        .push_bind(PER_PAGE + 1)
        .push(" OFFSET ")
        .push_bind((page - 1) * PER_PAGE);
    let mut rows: Vec<PublicRow> = select
        .build_query_as()
        .fetch_all(pool)
        .await
        .map_err(internal("listing the questions and answers"))?;
    let more = rows.len() as i64 > PER_PAGE;
    rows.truncate(PER_PAGE as usize);

    let mut html = String::from(
        "<p class=\"qa-actions\"><a class=\"button\" href=\"/hoi-dap/gui-cau-hoi\" data-test=\"ask\">Gửi câu hỏi</a> \
         <a href=\"/hoi-dap/tra-cuu\">Tra cứu câu hỏi đã gửi</a></p>",
    );
    let mut options = String::from("<option value=\"\">Tất cả lĩnh vực</option>");
    for f in &fields {
        let selected = if chosen.is_some_and(|c| c.id == f.id) {
            " selected"
        } else {
            ""
        };
        options.push_str(&format!(
            "<option value=\"{}\"{selected}>{}</option>",
            escape(&f.slug),
            escape(&f.name)
        ));
    }
    html.push_str(&format!(
        "<form class=\"form form--inline qa-filter\" method=\"get\" action=\"/hoi-dap\" role=\"search\" data-test=\"qa-filter\">\
         <label for=\"qa-q\">Tìm trong hỏi đáp</label><input id=\"qa-q\" name=\"q\" type=\"search\" value=\"{}\" maxlength=\"200\">\
         <label for=\"qa-field\">Lĩnh vực</label><select id=\"qa-field\" name=\"linh-vuc\">{options}</select>\
         <button type=\"submit\">Lọc</button></form>",
        escape(query.as_ref().map(|q| q.text.as_str()).unwrap_or(""))
    ));
    if rows.is_empty() {
        html.push_str(if query.is_some() || chosen.is_some() {
            "<p data-test=\"qa-empty\">Không có câu hỏi nào phù hợp.</p>"
        } else {
            "<p data-test=\"qa-empty\">Chưa có câu hỏi nào được trả lời và đăng.</p>"
        });
    } else {
        html.push_str("<ul class=\"qa-list\" data-test=\"qa-list\">");
        for r in &rows {
            let asker = if r.public_name.is_empty() {
                String::new()
            } else {
                format!("Người hỏi: {} · ", escape(&r.public_name))
            };
            let excerpt: String = r.lead.chars().take(240).collect();
            let ellipsis = if r.lead.chars().count() > 240 {
                "…"
            } else {
                ""
            };
            html.push_str(&format!(
                "<li class=\"qa-item\"><h2 class=\"qa-item__title\"><a href=\"/bai-viet/{slug}\">{title}</a></h2>\
                 <p class=\"qa-meta\">{field} · {asker}Hỏi ngày {asked} · Trả lời ngày {answered}</p>\
                 <p>{excerpt}{ellipsis}</p></li>",
                slug = crate::format::path_segment(&r.slug),
                title = escape(&r.title),
                field = escape(&r.field),
                asked = day(&r.received_on),
                answered = instant_day(&r.published_at),
                excerpt = escape(&excerpt),
            ));
        }
        html.push_str("</ul>");
    }
    let link = |n: i64| {
        let mut href = format!("/hoi-dap?trang={n}");
        if let Some(f) = chosen {
            href.push_str(&format!(
                "&linh-vuc={}",
                crate::format::query_value(&f.slug)
            ));
        }
        if let Some(q) = &query {
            href.push_str(&format!("&q={}", crate::format::query_value(&q.text)));
        }
        escape(&href)
    };
    if page > 1 || more {
        html.push_str("<nav class=\"pagination\" aria-label=\"Phân trang\"><ul>");
        if page > 1 {
            html.push_str(&format!(
                "<li><a href=\"{}\" rel=\"prev\">Trang trước</a></li>",
                link(page - 1)
            ));
        }
        html.push_str(&format!(
            "<li><span aria-current=\"page\">Trang {page}</span></li>"
        ));
        if more {
            html.push_str(&format!(
                "<li><a href=\"{}\" rel=\"next\">Trang sau</a></li>",
                link(page + 1)
            ));
        }
        html.push_str("</ul></nav>");
    }
    if page > 1 && rows.is_empty() {
        return Err(AppError::NotFound(format!(
            "Không có trang {page} của hỏi đáp."
        )));
    }
    Ok(html)
}

/// What waits for `official`: for editors and admins, the new (not assigned) and the overdue
/// questions; for a writer, only the questions given to them still open, and those overdue.
pub async fn counts(
    pool: &SqlitePool,
    official: &Official,
    today: Date,
) -> Result<(i64, i64), AppError> {
    let today = crate::format::iso_date(today);
    let counted = if official.can(Role::Editor) {
        sqlx::query_as(
            "SELECT COALESCE(SUM(status = 'received'), 0),
                    COALESCE(SUM(status IN ('received', 'assigned') AND due_on < ?), 0)
             FROM questions WHERE status IN ('received', 'assigned')",
        )
        .bind(today)
        .fetch_one(pool)
        .await
    } else {
        sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(due_on < ?), 0)
             FROM questions WHERE status IN ('received', 'assigned') AND assignee_id = ?",
        )
        .bind(today)
        .bind(official.id)
        .fetch_one(pool)
        .await
    };
    counted.map_err(internal("counting the questions waiting"))
}

/// Whether `official` may see who sent question `q` (name, contact), its tracking code and its
/// file: editors and admins, and the official it is given to.
fn may_see_sender(official: &Official, q: &Row) -> bool {
    may_see_sender_of(official, q.assignee_id)
}

/// The same, for a question given to `assignee`.
fn may_see_sender_of(official: &Official, assignee: Option<i64>) -> bool {
    official.can(Role::Editor) || assignee == Some(official.id)
}

/// Whether the file `attachment` must stay hidden from `official` (None: a citizen): it is the
/// file of a question and they may not see that question's sender.
pub async fn file_hidden_from(
    pool: &SqlitePool,
    attachment: i64,
    official: Option<&Official>,
) -> Result<bool, AppError> {
    let assignee: Option<Option<i64>> =
        sqlx::query_scalar("SELECT assignee_id FROM questions WHERE attachment_id = ?")
            .bind(attachment)
            .fetch_optional(pool)
            .await
            .map_err(internal("checking a question's file"))?;
    Ok(match (assignee, official) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(assignee), Some(official)) => !may_see_sender_of(official, assignee),
    })
}

/// The tabs of the queue: its `?xem=` value, its label and its condition (one ending in `< `
/// is followed by today).
const TABS: [(&str, &str, &str); 5] = [
    ("", "Cần xử lý", "q.status IN ('received', 'assigned')"),
    ("moi", "Mới", "q.status = 'received'"),
    (
        "qua-han",
        "Quá hạn",
        "q.status IN ('received', 'assigned') AND q.due_on < ",
    ),
    ("da-tra-loi", "Đã trả lời", "q.status = 'answered'"),
    ("khong-dang", "Không đăng", "q.status = 'declined'"),
];

/// `/quan-tri/hoi-dap`: the queue, the tab `tab`, soonest deadline first; overdue rows marked.
/// A writer sees only the questions given to them.
pub async fn queue_html(
    pool: &SqlitePool,
    official: &Official,
    tab: Option<&str>,
    today: Date,
) -> Result<String, AppError> {
    let tab = tab.unwrap_or("");
    let (_, tab_label, condition) = TABS
        .iter()
        .find(|(key, _, _)| *key == tab)
        .ok_or_else(|| AppError::NotFound("Không có mục này trong hỏi đáp.".into()))?;
    let order = if matches!(tab, "da-tra-loi" | "khong-dang") {
        "q.updated_at DESC"
    } else {
        "q.due_on, q.id"
    };
    // The condition and the order are constants of this file; the day is bound.
    let mut select = sqlx::QueryBuilder::<sqlx::Sqlite>::new(SELECT_ROW);
    select.push(" WHERE ").push(*condition);
    if condition.ends_with("< ") {
        select.push_bind(crate::format::iso_date(today));
    }
    let editor = official.can(Role::Editor);
    if !editor {
        select.push(" AND q.assignee_id = ").push_bind(official.id);
    }
    let rows: Vec<Row> = select
        .push(" ORDER BY ")
        .push(order)
        .push(" LIMIT 200")
        .build_query_as()
        .fetch_all(pool)
        .await
        .map_err(internal("reading the questions' queue"))?;
    let holidays = Holidays::load(pool).await?;
    let (new, overdue) = counts(pool, official, today).await?;

    let mut html = format!(
        "<p data-test=\"qa-counts\">{} câu hỏi {}, {} câu hỏi quá hạn. Thời hạn trả lời: 15 ngày làm việc kể từ ngày tiếp nhận.</p>\
         <nav aria-label=\"Lọc câu hỏi\"><ul class=\"stage-tabs\">",
        count_vn(new),
        if editor { "mới" } else { "được giao cho bạn đang chờ trả lời" },
        count_vn(overdue)
    );
    for (key, label, _) in TABS {
        let current = if key == tab {
            " aria-current=\"page\""
        } else {
            ""
        };
        let href = if key.is_empty() {
            "/quan-tri/hoi-dap".to_string()
        } else {
            format!("/quan-tri/hoi-dap?xem={key}")
        };
        html.push_str(&format!("<li><a href=\"{href}\"{current}>{label}</a></li>"));
    }
    html.push_str("</ul></nav>");
    if !editor {
        html.push_str("<p>Danh sách chỉ có các câu hỏi được giao cho bạn; biên tập viên giao việc và đăng câu trả lời.</p>");
    }
    if rows.is_empty() {
        html.push_str(&format!(
            "<p data-test=\"queue-empty\">Không có câu hỏi nào ở mục “{tab_label}”.</p>"
        ));
    } else {
        html.push_str(&format!(
            "<div class=\"table-scroll\"><table class=\"data-table qa-queue\" data-test=\"queue\">\
             <caption>{tab_label}: {} câu hỏi</caption><thead><tr>\
             <th scope=\"col\">Mã</th><th scope=\"col\">Câu hỏi</th><th scope=\"col\">Lĩnh vực</th>\
             <th scope=\"col\">Ngày nhận</th><th scope=\"col\">Hạn trả lời</th><th scope=\"col\">Người xử lý</th>\
             <th scope=\"col\">Tình trạng</th></tr></thead><tbody>",
            count_vn(rows.len() as i64)
        ));
        for q in &rows {
            let (class, state) = match (q.open(), q.due()) {
                (true, Some(due)) => {
                    let left = holidays.days_left(today, due);
                    let class = if left < 0 {
                        " class=\"qa-overdue\""
                    } else {
                        ""
                    };
                    (class, days_left_text(left))
                }
                _ => ("", status_label(&q.status, q.published).to_string()),
            };
            html.push_str(&format!(
                "<tr{class} data-test=\"queue-row\"><td>{code}</td>\
                 <td><a href=\"/quan-tri/hoi-dap/{id}\">{title}</a><br><small>{hamlet}</small></td>\
                 <td>{field}</td><td>{received}</td><td>{due}</td><td>{assignee}</td><td data-test=\"days-left\">{state}</td></tr>",
                code = code_text(&q.code),
                id = q.id,
                title = escape(&q.title),
                hamlet = escape(&q.hamlet),
                field = escape(&q.field),
                received = day(&q.received_on),
                due = day(&q.due_on),
                assignee = escape(q.assignee.as_deref().unwrap_or("—")),
            ));
        }
        html.push_str("</tbody></table></div>");
    }
    html.push_str(&drafts::officials_html(pool, today).await?);
    if official.can(Role::Admin) {
        html.push_str(&calendar::holidays_html(pool, today).await?);
    }
    Ok(html)
}

/// A suggestion for how the published question names who asked: initials and hamlet
/// ("N.V.A., thôn Đông").
pub fn initials(name: &str, hamlet: &str) -> String {
    let letters: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .map(|c| format!("{c}."))
        .collect();
    let mut out = format!("{letters} ({hamlet})");
    if out.chars().count() > 100 {
        out = out.chars().take(100).collect();
    }
    out
}

/// `/quan-tri/hoi-dap/<id>`: the question whole, with who sent it, and the forms that move it on;
/// for editors, admins and the official it is given to (others are refused: it shows the
/// sender). Each opening is written to the audit log as `actor`'s.
pub async fn detail_html(
    pool: &SqlitePool,
    actor: &Actor,
    official: &Official,
    id: i64,
    today: Date,
) -> Result<(String, String), AppError> {
    let q = row(pool, id).await?;
    if !may_see_sender(official, &q) {
        return Err(AppError::Forbidden);
    }
    // Who saw a citizen's details is on record before they are shown.
    audit_alone(pool, actor, "Xem thông tin người hỏi", &code_text(&q.code)).await?;
    let holidays = Holidays::load(pool).await?;
    let editor = official.can(Role::Editor);
    let mine = q.assignee_id == Some(official.id);
    let deadline = match (q.open(), q.due()) {
        (true, Some(due)) => {
            let left = holidays.days_left(today, due);
            let class = if left < 0 { "qa-overdue" } else { "" };
            format!(
                " <span class=\"{class}\" data-test=\"days-left\">({})</span>",
                days_left_text(left)
            )
        }
        _ => String::new(),
    };
    let file = match q.attachment_id {
        Some(file) => match attachments::get(pool, file).await? {
            Some(stored) => {
                let public = stored.public();
                format!(
                    "<a href=\"{}\">{}</a> ({})",
                    escape(&public.url),
                    escape(&public.name),
                    escape(&public.description)
                )
            }
            None => "—".into(),
        },
        None => "Không có".into(),
    };
    let contact = if q.contact.is_empty() {
        "Không để lại".to_string()
    } else {
        escape(&q.contact)
    };
    let mut html = format!(
        "<p><a href=\"/quan-tri/hoi-dap\">← Danh sách câu hỏi</a></p>\
         <dl class=\"qa-facts\" data-test=\"question\">\
         <dt>Mã tra cứu</dt><dd>{code}</dd>\
         <dt>Tình trạng</dt><dd data-test=\"status\">{status}</dd>\
         <dt>Người hỏi</dt><dd>{name}</dd>\
         <dt>Liên hệ</dt><dd>{contact}</dd>\
         <dt>Thôn, xóm</dt><dd>{hamlet}</dd>\
         <dt>Lĩnh vực</dt><dd>{field}</dd>\
         <dt>Ngày nhận</dt><dd>{received}</dd>\
         <dt>Hạn trả lời</dt><dd>{due}{deadline}</dd>\
         <dt>Người xử lý</dt><dd>{assignee}</dd>\
         <dt>Tệp kèm theo</dt><dd>{file}</dd></dl>\
         <section class=\"qa-question\" aria-labelledby=\"cau-hoi-goc\"><h2 id=\"cau-hoi-goc\">Nội dung câu hỏi</h2>{body}</section>",
        code = code_text(&q.code),
        status = status_label(&q.status, q.published),
        name = escape(&q.name),
        hamlet = escape(&q.hamlet),
        field = escape(&q.field),
        received = q.received_at.get(..10).map(|_| {
            parse_utc(&q.received_at)
                .map(|t| crate::format::datetime_vn(&t))
                .unwrap_or_default()
        }).unwrap_or_default(),
        due = day(&q.due_on),
        assignee = escape(q.assignee.as_deref().unwrap_or("Chưa giao")),
        body = paragraphs(&q.body),
    );
    let action = |name: &str, inner: &str, test: &str| {
        format!(
            "<form method=\"post\" action=\"/quan-tri/hoi-dap/{id}\" class=\"form qa-action\" data-test=\"{test}\">\
             <input type=\"hidden\" name=\"thao-tac\" value=\"{name}\">{inner}</form>"
        )
    };
    if let Some(answer) = q.answer_html() {
        html.push_str(&format!(
            "<section class=\"qa-answer\" aria-labelledby=\"tra-loi\"><h2 id=\"tra-loi\">Câu trả lời</h2>{answer}</section>"
        ));
    }
    html.push_str("<h2>Xử lý</h2>");
    if q.status != "declined" {
        if editor && q.status != "answered" {
            let officials: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, display_name FROM users WHERE disabled = 0 ORDER BY display_name",
            )
            .fetch_all(pool)
            .await
            .map_err(internal("listing officials to assign"))?;
            let placeholder = if q.assignee_id.is_none() {
                "<option value=\"\">— Chọn cán bộ —</option>"
            } else {
                ""
            };
            let options: String = std::iter::once(placeholder.to_string())
                .chain(officials.iter().map(|(uid, name)| {
                    let selected = if q.assignee_id == Some(*uid) {
                        " selected"
                    } else {
                        ""
                    };
                    format!(
                        "<option value=\"{uid}\"{selected}>{}</option>",
                        escape(name)
                    )
                }))
                .collect();
            html.push_str(&action(
                "giao",
                &format!(
                    "<label for=\"nguoi-xu-ly\">Giao cho cán bộ</label><select id=\"nguoi-xu-ly\" name=\"can-bo\" required>{options}</select>\
                     <button type=\"submit\">Giao xử lý</button>"
                ),
                "assign",
            ));
        }
        if editor || mine {
            match &q.post_slug {
                Some(slug) => html.push_str(&format!(
                    "<p><a class=\"button\" href=\"/bai-viet/{}?sua=1\" data-test=\"edit-answer\">Sửa câu trả lời</a></p>",
                    crate::format::path_segment(slug)
                )),
                None => html.push_str(&action(
                    "soan",
                    "<p class=\"form-hint\">Câu trả lời được soạn như một bài viết của chuyên mục Hỏi đáp: \
                     tiêu đề và phần tóm tắt là câu hỏi (hãy bỏ thông tin cá nhân trước khi đăng), nội dung là câu trả lời.</p>\
                     <button type=\"submit\" data-test=\"write-answer\">Soạn câu trả lời</button>",
                    "start-answer",
                )),
            }
            let suggested = if q.public_name.is_empty() {
                initials(&q.name, &q.hamlet)
            } else {
                q.public_name.clone()
            };
            html.push_str(&action(
                "ten-hien-thi",
                &format!(
                    "<label for=\"ten-hien-thi\">Tên người hỏi khi đăng</label>\
                     <span class=\"form-hint\" id=\"ten-hien-thi-goi-y\">Không đăng họ tên đầy đủ; ví dụ: chữ cái đầu và thôn.</span>\
                     <input id=\"ten-hien-thi\" name=\"ten\" value=\"{}\" maxlength=\"100\" aria-describedby=\"ten-hien-thi-goi-y\">\
                     <button type=\"submit\">Lưu tên hiển thị</button>",
                    escape(&suggested)
                ),
                "public-name",
            ));
        }
        if editor && q.answer_html().is_some() {
            if q.status != "answered" {
                html.push_str(&action(
                    "da-tra-loi",
                    "<button type=\"submit\" data-test=\"mark-answered\">Gửi câu trả lời cho người hỏi (chưa đăng)</button>",
                    "mark-answered",
                ));
            }
            if !q.published {
                html.push_str(&action(
                    "dang",
                    "<button type=\"submit\" data-test=\"publish-answer\">Trả lời và đăng lên cổng</button>",
                    "publish",
                ));
            }
        }
        if editor && q.status != "answered" && !q.published {
            html.push_str(&action(
                "khong-dang",
                "<label for=\"ly-do\">Lý do không đăng (người hỏi đọc được khi tra cứu)</label>\
                 <textarea id=\"ly-do\" name=\"ly-do\" rows=\"3\" maxlength=\"1000\" required></textarea>\
                 <button type=\"submit\" data-test=\"decline\">Không đăng câu hỏi này</button>",
                "decline",
            ));
        }
    } else {
        html.push_str(&format!(
            "<p>Không đăng. Lý do: {}</p>",
            escape(&q.decline_reason)
        ));
    }
    Ok((q.title, html))
}

fn check_open(q: &Row) -> Result<(), AppError> {
    if q.status == "declined" {
        return Err(AppError::BadRequest(
            "Câu hỏi này đã được đánh dấu không đăng.".into(),
        ));
    }
    Ok(())
}

/// Gives the question to an official (editors and admins).
pub async fn assign(
    pool: &SqlitePool,
    actor: &Actor,
    official: &Official,
    id: i64,
    assignee: &str,
) -> Result<(), AppError> {
    if !official.can(Role::Editor) {
        return Err(AppError::Forbidden);
    }
    let q = row(pool, id).await?;
    check_open(&q)?;
    let assignee: i64 = assignee
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("Vui lòng chọn cán bộ xử lý.".into()))?;
    let name: Option<String> =
        sqlx::query_scalar("SELECT display_name FROM users WHERE id = ? AND disabled = 0")
            .bind(assignee)
            .fetch_optional(pool)
            .await
            .map_err(internal("reading an assignee"))?;
    let name = name.ok_or_else(|| {
        AppError::BadRequest("Không có cán bộ này, hoặc tài khoản đã bị khóa.".into())
    })?;
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("question transaction"))?;
    sqlx::query(
        "UPDATE questions SET assignee_id = ?,
                status = CASE WHEN status = 'received' THEN 'assigned' ELSE status END,
                updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now')
         WHERE id = ?",
    )
    .bind(assignee)
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(internal("assigning a question"))?;
    // The answer already started becomes theirs to write (a writer edits their own drafts).
    sqlx::query("UPDATE posts SET created_by = ? WHERE id = ? AND stage IN ('draft', 'review')")
        .bind(assignee)
        .bind(q.post_id)
        .execute(&mut *tx)
        .await
        .map_err(internal("giving an answer to its writer"))?;
    audit(
        &mut tx,
        actor,
        "Giao xử lý câu hỏi",
        &code_text(&q.code),
        &name,
    )
    .await?;
    tx.commit().await.map_err(internal("question commit"))?;
    Ok(())
}

fn may_handle(official: &Official, q: &Row) -> Result<(), AppError> {
    if may_see_sender(official, q) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// How the published question names who asked.
pub async fn set_public_name(
    pool: &SqlitePool,
    actor: &Actor,
    official: &Official,
    id: i64,
    name: &str,
) -> Result<(), AppError> {
    let q = row(pool, id).await?;
    may_handle(official, &q)?;
    let name = one_line(name);
    if name.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "Tên hiển thị dài quá 100 ký tự.".into(),
        ));
    }
    write_text(
        pool,
        actor,
        &q,
        "UPDATE questions SET public_name = ?,
                updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now') WHERE id = ?",
        &name,
        "Đặt tên hiển thị người hỏi",
    )
    .await
}

/// One text of question `q` written by `update` (binding `text`, then the id), with its audit
/// line `action` naming the text, in one transaction.
async fn write_text(
    pool: &SqlitePool,
    actor: &Actor,
    q: &Row,
    update: &'static str,
    text: &str,
    action: &str,
) -> Result<(), AppError> {
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("question transaction"))?;
    sqlx::query(update)
        .bind(text)
        .bind(q.id)
        .execute(&mut *tx)
        .await
        .map_err(internal("writing a question"))?;
    audit(&mut tx, actor, action, &code_text(&q.code), text).await?;
    tx.commit().await.map_err(internal("question commit"))?;
    Ok(())
}

/// The answer's post, made (a draft of the `hoi-dap` category, by the official) if it is not
/// yet. Returns its slug, for the editor.
pub async fn answer_post(
    state: &crate::server::AppState,
    actor: &Actor,
    official: &Official,
    id: i64,
) -> Result<String, AppError> {
    let (pool, schedule) = (&state.pool, &state.schedule);
    // One answer is started at a time: two officials clicking at once get the same post.
    let _turn = state.starting_answer.lock().await;
    let q = row(pool, id).await?;
    may_handle(official, &q)?;
    check_open(&q)?;
    if let Some(slug) = q.post_slug {
        return Ok(slug);
    }
    let category: Option<i64> =
        sqlx::query_scalar("SELECT id FROM categories WHERE slug = 'hoi-dap'")
            .fetch_optional(pool)
            .await
            .map_err(internal("finding the Hỏi đáp category"))?;
    let edit = PostEdit {
        id: None,
        base_version: 0,
        slug: String::new(),
        title: q.title.clone(),
        lead: q.body.clone(),
        body_html: String::new(),
        description: String::new(),
        category_id: category,
        published_local: crate::server::time::local_input_now(),
        image_id: None,
        image_alt: String::new(),
    };
    let SaveOutcome::Saved {
        id: post_id, slug, ..
    } = editing::save(pool, schedule, official, actor, &edit).await?
    else {
        return Err(AppError::Internal);
    };
    let linked = sqlx::query("UPDATE questions SET post_id = ?, updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now') WHERE id = ? AND post_id IS NULL")
        .bind(post_id)
        .bind(id)
        .execute(pool)
        .await
        .map_err(internal("linking a question to its answer"))?;
    if linked.rows_affected() == 0 {
        // Another official started the answer at the same moment: theirs is the answer.
        return Ok(row(pool, id).await?.post_slug.unwrap_or(slug));
    }
    Ok(slug)
}

/// Marks the question answered (its post must hold an answer) and puts the citizen's e-mail in
/// the outbox when they left an address and mail is set up. `site` is the portal's address.
pub async fn mark_answered(
    pool: &SqlitePool,
    actor: &Actor,
    official: &Official,
    id: i64,
    mail_enabled: bool,
    site: &str,
) -> Result<(), AppError> {
    if !official.can(Role::Editor) {
        return Err(AppError::Forbidden);
    }
    let q = row(pool, id).await?;
    check_open(&q)?;
    if q.answer_html().is_none() {
        return Err(AppError::BadRequest(
            "Câu hỏi chưa có câu trả lời: hãy soạn và lưu câu trả lời trước.".into(),
        ));
    }
    if q.status == "answered" {
        return Ok(());
    }
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("question transaction"))?;
    sqlx::query(
        "UPDATE questions SET status = 'answered',
                answered_at = COALESCE(answered_at, strftime('%Y-%m-%d %H:%M:%S', 'now')),
                updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now')
         WHERE id = ?",
    )
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(internal("marking a question answered"))?;
    audit(
        &mut tx,
        actor,
        "Trả lời câu hỏi",
        &code_text(&q.code),
        &q.title,
    )
    .await?;
    if let (true, Some(to)) = (mail_enabled, intake::email_of(&q.contact)) {
        let body = format!(
            "Kính gửi {name},\n\nCâu hỏi “{title}” (mã tra cứu {code}) bạn gửi ngày {day} đã được trả lời.\n\
             Xem câu trả lời tại: {site}/hoi-dap/tra-cuu?ma={code}\n\n\
             Thư này được gửi tự động từ cổng thông tin điện tử; vui lòng không trả lời thư.",
            name = q.name,
            title = q.title,
            code = q.code,
            day = day(&q.received_on),
        );
        mail::enqueue(
            &mut tx,
            to,
            &format!("Câu hỏi {} đã được trả lời", code_text(&q.code)),
            &body,
        )
        .await?;
    }
    tx.commit().await.map_err(internal("question commit"))?;
    Ok(())
}

/// The question the post `post` answers, if any, marked answered once the post is published
/// from the post's own page.
pub async fn answered_by_post(
    pool: &SqlitePool,
    actor: &Actor,
    official: &Official,
    post: i64,
    mail_enabled: bool,
    site: &str,
) -> Result<(), AppError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM questions WHERE post_id = ? AND status IN ('received', 'assigned')",
    )
    .bind(post)
    .fetch_optional(pool)
    .await
    .map_err(internal("finding a post's question"))?;
    match id {
        // A post published without an answer in it leaves the question open.
        Some(id) => match mark_answered(pool, actor, official, id, mail_enabled, site).await {
            Err(AppError::BadRequest(_)) => Ok(()),
            other => other,
        },
        None => Ok(()),
    }
}

/// Refuses to publish the post `post` when it answers a declined question.
pub async fn check_publishable(pool: &SqlitePool, post: i64) -> Result<(), AppError> {
    let declined: Option<i64> =
        sqlx::query_scalar("SELECT id FROM questions WHERE post_id = ? AND status = 'declined'")
            .bind(post)
            .fetch_optional(pool)
            .await
            .map_err(internal("checking a post's question"))?;
    match declined {
        Some(_) => Err(AppError::BadRequest(
            "Câu hỏi của bài này đã được đánh dấu không đăng nên không thể đăng câu trả lời."
                .into(),
        )),
        None => Ok(()),
    }
}

/// The deadlines of the questions still open, counted again on the holidays as they are now
/// (after an admin added or removed one).
pub async fn recount_deadlines(pool: &SqlitePool) -> Result<(), AppError> {
    let holidays = Holidays::load(pool).await?;
    let open: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, received_on FROM questions WHERE status IN ('received', 'assigned')",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("reading the open questions"))?;
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("deadline transaction"))?;
    for (id, received) in open {
        let Some(received) = parse_date(&received) else {
            continue;
        };
        sqlx::query("UPDATE questions SET due_on = ? WHERE id = ?")
            .bind(crate::format::iso_date(holidays.due(received)))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(internal("moving a deadline"))?;
    }
    tx.commit().await.map_err(internal("deadline commit"))?;
    Ok(())
}

/// Today in Vietnam.
pub fn today() -> Date {
    parse_date(&day_text(day_of(crate::server::time::unix_now()))).unwrap_or(Date::MIN)
}

/// Answers and publishes: marks answered, then publishes the answer's post.
#[allow(clippy::too_many_arguments)]
pub async fn publish(
    pool: &SqlitePool,
    schedule: &Schedule,
    actor: &Actor,
    official: &Official,
    id: i64,
    mail_enabled: bool,
    site: &str,
) -> Result<(), AppError> {
    mark_answered(pool, actor, official, id, mail_enabled, site).await?;
    let post = row(pool, id).await?.post_id.ok_or(AppError::Internal)?;
    workflow::act(
        pool,
        schedule,
        official,
        actor,
        post,
        workflow::Action::Publish,
    )
    .await?;
    Ok(())
}

/// Declines the question, with the reason its asker reads.
pub async fn decline(
    pool: &SqlitePool,
    actor: &Actor,
    official: &Official,
    id: i64,
    reason: &str,
) -> Result<(), AppError> {
    if !official.can(Role::Editor) {
        return Err(AppError::Forbidden);
    }
    let q = row(pool, id).await?;
    check_open(&q)?;
    if q.published || q.status == "answered" {
        return Err(AppError::BadRequest(
            "Câu hỏi đã được trả lời nên không thể đánh dấu không đăng.".into(),
        ));
    }
    let reason = intake::plain_text(reason);
    if reason.is_empty() {
        return Err(AppError::BadRequest(
            "Vui lòng nhập lý do không đăng; người hỏi sẽ đọc được lý do này.".into(),
        ));
    }
    if reason.chars().count() > 1000 {
        return Err(AppError::BadRequest("Lý do dài quá 1000 ký tự.".into()));
    }
    write_text(
        pool,
        actor,
        &q,
        "UPDATE questions SET status = 'declined', decline_reason = ?,
                updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now') WHERE id = ?",
        &reason,
        "Không đăng câu hỏi",
    )
    .await
}

/// What a published answer's page shows between the question and the answer: who asked (as
/// the official chose), the field and the day asked. None for a post that answers no question.
pub async fn post_aside(pool: &SqlitePool, post_id: i64) -> Result<Option<String>, AppError> {
    let found: Option<(String, String, String)> = sqlx::query_as(
        "SELECT q.public_name, f.name, q.received_on FROM questions q
         JOIN question_fields f ON f.id = q.field_id WHERE q.post_id = ?",
    )
    .bind(post_id)
    .fetch_optional(pool)
    .await
    .map_err(internal("reading a post's question"))?;
    Ok(found.map(|(name, field, received)| {
        let asker = if name.is_empty() {
            String::new()
        } else {
            format!("Người hỏi: {} · ", escape(&name))
        };
        format!(
            "<p class=\"qa-meta\" data-test=\"qa-asker\">{asker}Lĩnh vực: {} · Ngày hỏi: {}</p>\
             <h2 class=\"qa-answer__heading\">Trả lời</h2>",
            escape(&field),
            day(&received)
        )
    }))
}

/// For the statistics page: questions received, answered and overdue now, over a period.
pub async fn period_counts(
    pool: &SqlitePool,
    from: Date,
    to: Date,
    today: Date,
) -> Result<(i64, i64, i64), AppError> {
    let (from, to) = (crate::format::iso_date(from), crate::format::iso_date(to));
    sqlx::query_as(
        "SELECT COUNT(*),
                COALESCE(SUM(status = 'answered' OR post_id IN (SELECT id FROM posts WHERE status = 'published')), 0),
                COALESCE(SUM(status IN ('received', 'assigned') AND due_on < ?), 0)
         FROM questions WHERE received_on BETWEEN ? AND ?",
    )
    .bind(crate::format::iso_date(today))
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await
    .map_err(internal("counting questions for the statistics"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unambiguous_and_read_back_however_typed() {
        for _ in 0..200 {
            let code = new_code();
            assert_eq!(code.len(), 8);
            assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");
            assert_eq!(
                normalise_code(&code_text(&code).to_lowercase()),
                Some(code.clone())
            );
        }
        assert_eq!(normalise_code(" k7pm 3qxa "), Some("K7PM3QXA".into()));
        assert_eq!(normalise_code("K7PM-3QX0"), None);
        assert_eq!(normalise_code("K7PM"), None);
        assert_eq!(normalise_code("K7PM-3QXAB"), None);
        assert_eq!(code_text("K7PM3QXA"), "K7PM-3QXA");
    }

    #[test]
    fn the_suggested_public_name_has_initials_only() {
        assert_eq!(initials("Nguyễn Văn An", "thôn Đông"), "N.V.A. (thôn Đông)");
        assert_eq!(initials("đỗ thị hà", "Xóm 3"), "Đ.T.H. (Xóm 3)");
    }

    #[test]
    fn statuses_read_in_vietnamese() {
        assert_eq!(status_label("received", false), "Đã tiếp nhận");
        assert_eq!(status_label("assigned", false), "Đang xử lý");
        assert_eq!(status_label("answered", false), "Đã trả lời");
        assert_eq!(status_label("answered", true), "Đã đăng");
        assert_eq!(status_label("declined", false), "Không đăng");
        assert_eq!(
            paragraphs("a <b>\nc\n\nd"),
            "<p>a &lt;b&gt;<br>c</p><p>d</p>"
        );
    }
}
