//! The officials' side of Hỏi đáp: the queue with its tabs and counts, a question's page with
//! who sent it (audited at each opening), and the steps that move a question on before its
//! answer: giving it to an official, naming the asker for publication, declining it.

use sqlx::SqlitePool;
use time::Date;

use super::calendar::{self, days_left_text, Holidays};
use super::drafts;
use super::store::{
    check_open, code_text, day, initials, may_handle, may_see_sender, row, Row, SELECT_ROW,
};
use super::typed;
use crate::error::AppError;
use crate::format::parse_utc;
use crate::model::questions::{
    Actions, Assign, QuestionDetail, QuestionFile, QuestionStatus, Queue, QueueRow, QueueTab,
};
use crate::model::{Official, Role};
use crate::server::accounts::{audit, audit_alone, Actor};
use crate::server::internal;
use crate::server::media::attachments;
use crate::server::text::one_line;
use crate::server::time::Clock;

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

/// A tab's condition on the questions (one ending in `< ` is followed by today) and its order.
fn condition(tab: QueueTab) -> (&'static str, &'static str) {
    match tab {
        QueueTab::Open => ("q.status IN ('received', 'assigned')", "q.due_on, q.id"),
        QueueTab::New => ("q.status = 'received'", "q.due_on, q.id"),
        QueueTab::Overdue => (
            "q.status IN ('received', 'assigned') AND q.due_on < ",
            "q.due_on, q.id",
        ),
        QueueTab::Answered => ("q.status = 'answered'", "q.updated_at DESC"),
        QueueTab::Declined => ("q.status = 'declined'", "q.updated_at DESC"),
    }
}

/// `/quan-tri/hoi-dap`: the queue, the tab `tab`, soonest deadline first; overdue rows marked.
/// A writer sees only the questions given to them.
pub async fn queue(
    pool: &SqlitePool,
    official: &Official,
    tab: Option<&str>,
    today: Date,
) -> Result<Queue, AppError> {
    let tab = QueueTab::parse(tab.unwrap_or(""))
        .ok_or_else(|| AppError::NotFound("Không có mục này trong hỏi đáp.".into()))?;
    let (condition, order) = condition(tab);
    // The condition and the order are constants of this file; the day is bound.
    let mut select = sqlx::QueryBuilder::<sqlx::Sqlite>::new(SELECT_ROW);
    select.push(" WHERE ").push(condition);
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
    let rows = rows
        .into_iter()
        .map(|q| {
            let (overdue, state) = match (q.open(), q.due()) {
                (true, Some(due)) => {
                    let left = holidays.days_left(today, due);
                    (left < 0, days_left_text(left))
                }
                _ => (false, q.label().to_string()),
            };
            QueueRow {
                id: q.id,
                code: code_text(&q.code),
                received: day(&q.received_on),
                due: day(&q.due_on),
                title: q.title,
                hamlet: q.hamlet,
                field: q.field,
                assignee: q.assignee,
                overdue,
                state,
            }
        })
        .collect();
    let holidays = if official.can(Role::Admin) {
        Some(calendar::holidays_from(pool, today).await?)
    } else {
        None
    };
    Ok(Queue {
        tab,
        editor,
        new,
        overdue,
        rows,
        drafts: drafts::open_drafts(pool, today).await?,
        holidays,
    })
}

/// `/quan-tri/hoi-dap/<id>`: the question whole, with who sent it, and the steps `official` may
/// take; for editors, admins and the official it is given to (others are refused: it shows the
/// sender). Each opening is written to the audit log as `actor`'s. Returns its title too.
pub async fn detail(
    pool: &SqlitePool,
    actor: &Actor,
    official: &Official,
    id: i64,
    today: Date,
) -> Result<(String, QuestionDetail), AppError> {
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
            Some((left < 0, days_left_text(left)))
        }
        _ => None,
    };
    let file = match q.attachment_id {
        Some(file) => match attachments::get(pool, file).await? {
            Some(stored) => {
                let public = stored.public();
                QuestionFile::File {
                    url: public.url,
                    name: public.name,
                    description: public.description,
                }
            }
            None => QuestionFile::Missing,
        },
        None => QuestionFile::None,
    };
    let mut actions = Actions::default();
    if q.status != QuestionStatus::Declined {
        if editor && q.status != QuestionStatus::Answered {
            let officials: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, display_name FROM users WHERE disabled = 0 ORDER BY display_name",
            )
            .fetch_all(pool)
            .await
            .map_err(internal("listing officials to assign"))?;
            actions.assign = Some(Assign {
                officials,
                current: q.assignee_id,
            });
        }
        if editor || mine {
            actions.answer = Some(q.post_slug.clone());
            actions.public_name = Some(if q.public_name.is_empty() {
                initials(&q.name, &q.hamlet)
            } else {
                q.public_name.clone()
            });
        }
        if editor && q.answer_html().is_some() {
            actions.mark_answered = q.status != QuestionStatus::Answered;
            actions.publish = !q.published;
        }
        actions.decline = editor && q.status != QuestionStatus::Answered && !q.published;
    }
    let detail = QuestionDetail {
        id: q.id,
        code: code_text(&q.code),
        status: q.status,
        label: q.label().to_string(),
        contact: q.contact.clone(),
        hamlet: q.hamlet.clone(),
        field: q.field.clone(),
        received: parse_utc(&q.received_at)
            .map(|t| crate::format::datetime_vn(&t))
            .unwrap_or_default(),
        due: day(&q.due_on),
        deadline,
        assignee: q.assignee.clone(),
        file,
        body: q.body.clone(),
        answer_html: q.answer_html().map(str::to_string),
        decline_reason: q.decline_reason.clone(),
        actions,
        name: q.name,
    };
    Ok((q.title, detail))
}

/// Gives the question to an official (editors and admins).
pub async fn assign(
    pool: &SqlitePool,
    clock: &Clock,
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
                updated_at = ?
         WHERE id = ?",
    )
    .bind(assignee)
    .bind(clock.stored())
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

/// How the published question names who asked.
pub async fn set_public_name(
    pool: &SqlitePool,
    clock: &Clock,
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
        clock,
        actor,
        &q,
        "UPDATE questions SET public_name = ?, updated_at = ? WHERE id = ?",
        &name,
        "Đặt tên hiển thị người hỏi",
    )
    .await
}

/// Declines the question, with the reason its asker reads.
pub async fn decline(
    pool: &SqlitePool,
    clock: &Clock,
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
    if q.published || q.status == QuestionStatus::Answered {
        return Err(AppError::BadRequest(
            "Câu hỏi đã được trả lời nên không thể đánh dấu không đăng.".into(),
        ));
    }
    let reason = typed::plain_text(reason);
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
        clock,
        actor,
        &q,
        "UPDATE questions SET status = 'declined', decline_reason = ?, updated_at = ?
         WHERE id = ?",
        &reason,
        "Không đăng câu hỏi",
    )
    .await
}

/// One text of question `q` written by `update` (binding `text`, now, then the id), with its
/// audit line `action` naming the text, in one transaction.
async fn write_text(
    pool: &SqlitePool,
    clock: &Clock,
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
        .bind(clock.stored())
        .bind(q.id)
        .execute(&mut *tx)
        .await
        .map_err(internal("writing a question"))?;
    audit(&mut tx, actor, action, &code_text(&q.code), text).await?;
    tx.commit().await.map_err(internal("question commit"))?;
    Ok(())
}
