//! What citizens do in Hỏi đáp: ask (the form, its checks, storing the question with its
//! tracking code), track a question by its code, and read the published questions and answers.

use sqlx::{FromRow, SqlitePool};

use super::calendar::Holidays;
use super::intake::{names, FormGuard, Quota, Typed};
use super::store::{
    code_text, day, fields, initials, instant_day, new_code, normalise_code, row_where, PER_PAGE,
};
use super::typed::{self, Sender};
use crate::error::AppError;
use crate::format::parse_date;
use crate::model::questions::{
    CitizenForm, PublicItem, PublicQuestions, QuestionForm, QuestionStatus, TrackFound, Tracked,
    TrackedAnswer, Tracking,
};
use crate::server::finding::search::Query;
use crate::server::internal;
use crate::server::time::{day_of, day_text, utc_timestamp};

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

/// The question form with a new ticket given out at `now`; `typed` and `error` after a refusal.
pub async fn question_form(
    pool: &SqlitePool,
    guard: &FormGuard,
    typed: &Typed,
    error: Option<&str>,
    file_dropped: bool,
    now: u64,
) -> Result<QuestionForm, AppError> {
    Ok(QuestionForm {
        fields: fields(pool).await?,
        form: CitizenForm {
            typed: typed.clone(),
            ticket: guard.ticket(now).view(),
            error: error.map(str::to_string),
        },
        file_dropped,
    })
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
        title: typed::parse_title(typed)?,
        body: typed::parse_body(typed, "nội dung câu hỏi")?,
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
                                    field_id, title, body, attachment_id, sender, public_name,
                                    updated_at)
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
            .push_bind(initials(&question.sender.name, &question.sender.hamlet))
            .push_bind(utc_timestamp(now));
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

/// The tracking page for the code typed (none: just the form), and its status. Only the one
/// question the code names is read, and only its title, dates, status, the reason of a refusal
/// and the answer are shown: never a name, a contact or a file. Answers 404 for an unknown
/// code, which counts against the address `ip` (logged); an address that got too many wrong
/// is refused every lookup for a while (`FormGuard::check_lookup`), so codes cannot be guessed.
pub async fn track(
    pool: &SqlitePool,
    guard: &FormGuard,
    ip: &str,
    raw: Option<&str>,
    fresh: bool,
    now: u64,
) -> Result<(u16, Tracking), AppError> {
    let typed = raw.map(str::trim).unwrap_or("").to_string();
    if typed.is_empty() {
        return Ok((
            200,
            Tracking {
                typed,
                found: TrackFound::Nothing,
            },
        ));
    }
    guard.check_lookup(ip, now)?;
    let found = match normalise_code(&typed) {
        Some(code) => row_where(pool, "q.code = ", &code).await?,
        None => None,
    };
    let Some(q) = found else {
        guard.lookup_missed(ip, now);
        return Ok((
            404,
            Tracking {
                typed,
                found: TrackFound::Unknown,
            },
        ));
    };
    guard.lookup_found(ip, now);
    // The answer once it is sent (answered) or published, with where it is published.
    let shown = q.status == QuestionStatus::Answered || q.published;
    let answer = match (shown, q.answer_html()) {
        (true, Some(body)) => Some(TrackedAnswer {
            day: q
                .answered_at
                .as_deref()
                .map(instant_day)
                .unwrap_or_default(),
            body_html: body.to_string(),
            published: q.post_slug.clone().filter(|_| q.published),
        }),
        _ => None,
    };
    let tracked = Tracked {
        fresh,
        code: code_text(&q.code),
        title: q.title.clone(),
        field: q.field.clone(),
        received: day(&q.received_on),
        due: day(&q.due_on),
        label: q.label().to_string(),
        declined: (q.status == QuestionStatus::Declined).then(|| q.decline_reason.clone()),
        answer,
        open: q.open(),
    };
    Ok((
        200,
        Tracking {
            typed,
            found: TrackFound::Question(Box::new(tracked)),
        },
    ))
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
pub async fn public(
    pool: &SqlitePool,
    field: Option<&str>,
    words: Option<&str>,
    page: i64,
) -> Result<PublicQuestions, AppError> {
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
    if page > 1 && rows.is_empty() {
        return Err(AppError::NotFound(format!(
            "Không có trang {page} của hỏi đáp."
        )));
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
        href
    };
    let items = rows
        .into_iter()
        .map(|r| {
            let mut excerpt: String = r.lead.chars().take(240).collect();
            if r.lead.chars().count() > 240 {
                excerpt.push('…');
            }
            PublicItem {
                slug: r.slug,
                title: r.title,
                field: r.field,
                asker: r.public_name,
                asked: day(&r.received_on),
                answered: instant_day(&r.published_at),
                excerpt,
            }
        })
        .collect();
    Ok(PublicQuestions {
        chosen: chosen.map(|f| f.slug.clone()),
        words: query.as_ref().map(|q| q.text.clone()).unwrap_or_default(),
        filtered: query.is_some() || chosen.is_some(),
        items,
        page,
        prev: (page > 1).then(|| link(page - 1)),
        next: more.then(|| link(page + 1)),
        fields,
    })
}
