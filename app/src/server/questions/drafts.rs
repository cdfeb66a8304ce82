//! Góp ý dự thảo: an editor opens a document of `/van-ban` for comments until a Vietnam date;
//! citizens comment through a form with the rules of the question form (`intake`), until the
//! end of that day; officials read the comments of each draft.

use sqlx::SqlitePool;
use time::Date;

use super::intake::{FormGuard, Quota, Typed};
use super::typed::{self, Sender};
use crate::error::AppError;
use crate::format::{date_text, iso_date, parse_date, parse_utc};
use crate::model::questions::{
    CitizenForm, CommentLine, CommentPage, CommentState, DocumentComments, DraftComments, DraftLine,
};
use crate::model::{Official, Role};
use crate::server::accounts::{audit, Actor};
use crate::server::internal;
use crate::server::time::utc_timestamp;

/// A document's title as the portal names it ("Kế hoạch số 181/KH-UBND"), and its deadline.
struct Draft {
    title: String,
    until: Option<Date>,
}

async fn draft(pool: &SqlitePool, id: i64) -> Result<Draft, AppError> {
    let found: Option<(String, i64, String, Option<String>)> =
        sqlx::query_as("SELECT kind, number, symbol, comments_until FROM documents WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(internal("reading a draft document"))?;
    let (kind, number, symbol, until) =
        found.ok_or_else(|| AppError::NotFound("Không tìm thấy văn bản này.".into()))?;
    Ok(Draft {
        title: format!("{kind} số {number}/{symbol}"),
        until: until.as_deref().and_then(parse_date),
    })
}

/// What the document's page says of comments: nothing for a document that never asked for
/// them; else the deadline (and whether it is still open); for officials the number of
/// comments, and for editors the deadline as the form to set it shows it.
pub async fn document_comments(
    pool: &SqlitePool,
    id: i64,
    today: Date,
    official: Option<&Official>,
) -> Result<DocumentComments, AppError> {
    let d = draft(pool, id).await?;
    let received = match (d.until, official) {
        (Some(_), Some(_)) => Some(
            sqlx::query_scalar("SELECT COUNT(*) FROM draft_comments WHERE document_id = ?")
                .bind(id)
                .fetch_one(pool)
                .await
                .map_err(internal("counting a draft's comments"))?,
        ),
        _ => None,
    };
    Ok(DocumentComments {
        document_id: id,
        until: d.until.map(|until| (date_text(until), today <= until)),
        received,
        editor_until: official
            .is_some_and(|o| o.can(Role::Editor))
            .then(|| d.until.map(iso_date).unwrap_or_default()),
    })
}

/// Opens (a date) or closes (empty) the document for comments; editors and admins.
pub async fn set_deadline(
    pool: &SqlitePool,
    actor: &Actor,
    official: &Official,
    id: i64,
    raw: &str,
) -> Result<(), AppError> {
    if !official.can(Role::Editor) {
        return Err(AppError::Forbidden);
    }
    let d = draft(pool, id).await?;
    let raw = raw.trim();
    let until = if raw.is_empty() {
        None
    } else {
        Some(
            parse_date(raw)
                .filter(|d| raw.len() == 10 && (2000..=2100).contains(&d.year()))
                .ok_or_else(|| AppError::BadRequest("Ngày hết hạn góp ý không hợp lệ.".into()))?,
        )
    };
    let mut tx = pool.begin().await.map_err(internal("draft transaction"))?;
    sqlx::query("UPDATE documents SET comments_until = ? WHERE id = ?")
        .bind(until.map(iso_date))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal("setting a draft's deadline"))?;
    let detail = until
        .map(|u| format!("đến hết ngày {}", date_text(u)))
        .unwrap_or_else(|| "không lấy ý kiến".into());
    audit(
        &mut tx,
        actor,
        "Đặt thời hạn góp ý dự thảo",
        &d.title,
        &detail,
    )
    .await?;
    tx.commit().await.map_err(internal("draft commit"))?;
    Ok(())
}

/// The comment page of draft `id`: the form (with `typed` and `error` after a refusal, a new
/// ticket given out at `now`), or why there is none. Returns the page's title too.
#[allow(clippy::too_many_arguments)]
pub async fn comment_page(
    pool: &SqlitePool,
    guard: &FormGuard,
    id: i64,
    today: Date,
    typed: &Typed,
    error: Option<&str>,
    sent: bool,
    now: u64,
) -> Result<(String, CommentPage), AppError> {
    let d = draft(pool, id).await?;
    let title = format!("Góp ý dự thảo {}", d.title);
    let state = match d.until {
        _ if sent => CommentState::Sent,
        Some(until) if today <= until => CommentState::Open {
            until: date_text(until),
            form: CitizenForm {
                typed: typed.clone(),
                ticket: guard.ticket(now).view(),
                error: error.map(str::to_string),
            },
        },
        Some(until) => CommentState::Closed {
            until: date_text(until),
        },
        // An editor's deadline refused on a document not yet open for comments.
        None => CommentState::NotAsked {
            error: error.map(str::to_string),
        },
    };
    Ok((
        title,
        CommentPage {
            document_id: id,
            state,
        },
    ))
}

/// Stores a comment, if the draft is still open today (`today`) and its address has room in
/// its hour's share (`quota`, checked in the same statement).
pub async fn submit(
    pool: &SqlitePool,
    id: i64,
    typed: &Typed,
    quota: &Quota,
    today: Date,
    now: u64,
) -> Result<(), AppError> {
    let d = draft(pool, id).await?;
    match d.until {
        Some(until) if today <= until => {}
        Some(until) => {
            return Err(AppError::BadRequest(format!(
                "Đã hết thời hạn góp ý cho dự thảo này (đến ngày {}).",
                date_text(until)
            )))
        }
        None => {
            return Err(AppError::BadRequest(
                "Văn bản này không lấy ý kiến góp ý.".into(),
            ))
        }
    }
    let sender = Sender::parse(typed)?;
    let body = typed::parse_body(typed, "nội dung góp ý")?;
    let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "INSERT INTO draft_comments (document_id, received_at, name, contact, hamlet, body, sender)
         SELECT ",
    );
    insert
        .separated(", ")
        .push_bind(id)
        .push_bind(utc_timestamp(now))
        .push_bind(sender.name)
        .push_bind(sender.contact)
        .push_bind(sender.hamlet)
        .push_bind(body)
        .push_bind(quota.sender.clone());
    insert.push(" WHERE ");
    quota.push_room(&mut insert);
    let inserted = insert
        .build()
        .execute(pool)
        .await
        .map_err(internal("storing a comment"))?;
    if inserted.rows_affected() == 0 {
        return Err(match quota.refused(pool).await? {
            Some(refusal) => refusal,
            None => {
                tracing::error!("a comment was not stored, with room in its address's share");
                AppError::Internal
            }
        });
    }
    Ok(())
}

/// `/quan-tri/gop-y/<id>`: every comment on a draft, oldest first; who sent it (name, contact)
/// only for editors and admins. Returns the page's title too.
pub async fn comments(
    pool: &SqlitePool,
    official: &Official,
    id: i64,
) -> Result<(String, DraftComments), AppError> {
    let editor = official.can(Role::Editor);
    let d = draft(pool, id).await?;
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT received_at, name, contact, hamlet, body FROM draft_comments
         WHERE document_id = ? ORDER BY id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(internal("reading a draft's comments"))?;
    let comments = rows
        .into_iter()
        .map(|(at, name, contact, hamlet, body)| CommentLine {
            // A writer reads what was said, not who said it.
            name: editor.then_some(name),
            contact: if editor { contact } else { String::new() },
            hamlet,
            when: parse_utc(&at)
                .map(|t| crate::format::datetime_vn(&t))
                .unwrap_or_default(),
            body,
        })
        .collect();
    Ok((
        format!("Góp ý cho {}", d.title),
        DraftComments {
            document_id: id,
            until: d.until.map(date_text),
            comments,
        },
    ))
}

/// The drafts open for comments or closed in the last 90 days, for the officials' queue.
pub async fn open_drafts(pool: &SqlitePool, today: Date) -> Result<Vec<DraftLine>, AppError> {
    let since = iso_date(today.saturating_sub(time::Duration::days(90)));
    let rows: Vec<(i64, String, i64, String, String, i64)> = sqlx::query_as(
        "SELECT d.id, d.kind, d.number, d.symbol, d.comments_until,
                (SELECT COUNT(*) FROM draft_comments c WHERE c.document_id = d.id)
         FROM documents d WHERE d.comments_until >= ? ORDER BY d.comments_until DESC",
    )
    .bind(since)
    .fetch_all(pool)
    .await
    .map_err(internal("listing the drafts"))?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, number, symbol, until, comments)| DraftLine {
            id,
            title: format!("{kind} số {number}/{symbol}"),
            comments,
            until: parse_date(&until).map(date_text).unwrap_or_default(),
        })
        .collect())
}
