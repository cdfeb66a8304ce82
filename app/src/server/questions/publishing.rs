//! Answers becoming posts: an answer is a post of the `hoi-dap` category linked to its question,
//! written in the same editor as any post. Starting it, marking the question answered (with
//! the citizen's e-mail put in the outbox), publishing it, what its page says of the question,
//! and the counts of the statistics page.

use sqlx::SqlitePool;
use time::Date;

use super::mail;
use super::store::{check_open, code_text, day, may_handle, row};
use crate::error::AppError;
use crate::format::iso_date;
use crate::model::questions::QuestionStatus;
use crate::model::{Official, PostEdit, Role, SaveOutcome};
use crate::server::accounts::{audit, Actor};
use crate::server::content::{editing, schedule::Schedule, workflow};
use crate::server::internal;
use crate::server::time::{local_input, Clock};

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
    let now = state.clock.stored();
    let edit = PostEdit {
        id: None,
        base_version: 0,
        slug: String::new(),
        title: q.title.clone(),
        lead: q.body.clone(),
        body_html: String::new(),
        description: String::new(),
        category_id: category,
        published_local: local_input(&now).unwrap_or_default(),
        image_id: None,
        image_alt: String::new(),
    };
    let SaveOutcome::Saved {
        id: post_id, slug, ..
    } = editing::save(pool, schedule, official, actor, &edit).await?
    else {
        return Err(AppError::Internal);
    };
    let linked = sqlx::query(
        "UPDATE questions SET post_id = ?, updated_at = ? WHERE id = ? AND post_id IS NULL",
    )
    .bind(post_id)
    .bind(&now)
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
    clock: &Clock,
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
    if q.status == QuestionStatus::Answered {
        return Ok(());
    }
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("question transaction"))?;
    sqlx::query(
        "UPDATE questions SET status = 'answered', answered_at = COALESCE(answered_at, ?1),
                updated_at = ?1
         WHERE id = ?2",
    )
    .bind(clock.stored())
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
    if let (true, Some(to)) = (mail_enabled, super::typed::email_of(&q.contact)) {
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
    clock: &Clock,
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
        Some(id) => match mark_answered(pool, clock, actor, official, id, mail_enabled, site).await
        {
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

/// Answers and publishes: marks answered, then publishes the answer's post.
pub async fn publish(
    pool: &SqlitePool,
    schedule: &Schedule,
    actor: &Actor,
    official: &Official,
    id: i64,
    mail_enabled: bool,
    site: &str,
) -> Result<(), AppError> {
    let clock = schedule.clock();
    mark_answered(pool, clock, actor, official, id, mail_enabled, site).await?;
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

/// What a published answer's page shows between the question and the answer, for the post
/// `post_id`: who asked (as the official chose; empty: not named), the field and the day
/// asked. None for a post that answers no question.
pub async fn post_question(
    pool: &SqlitePool,
    post_id: i64,
) -> Result<Option<(String, String, String)>, AppError> {
    let found: Option<(String, String, String)> = sqlx::query_as(
        "SELECT q.public_name, f.name, q.received_on FROM questions q
         JOIN question_fields f ON f.id = q.field_id WHERE q.post_id = ?",
    )
    .bind(post_id)
    .fetch_optional(pool)
    .await
    .map_err(internal("reading a post's question"))?;
    Ok(found.map(|(name, field, received)| (name, field, day(&received))))
}

/// For the statistics page: questions received, answered and overdue now, over a period.
pub async fn period_counts(
    pool: &SqlitePool,
    from: Date,
    to: Date,
    today: Date,
) -> Result<(i64, i64, i64), AppError> {
    sqlx::query_as(
        "SELECT COUNT(*),
                COALESCE(SUM(status = 'answered' OR post_id IN (SELECT id FROM posts WHERE status = 'published')), 0),
                COALESCE(SUM(status IN ('received', 'assigned') AND due_on < ?), 0)
         FROM questions WHERE received_on BETWEEN ? AND ?",
    )
    .bind(iso_date(today))
    .bind(iso_date(from))
    .bind(iso_date(to))
    .fetch_one(pool)
    .await
    .map_err(internal("counting questions for the statistics"))
}
