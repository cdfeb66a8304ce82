//! Góp ý dự thảo: an editor opens a document of `/van-ban` for comments until a Vietnam date;
//! citizens comment through a form with the rules of the question form (`intake`), until the
//! end of that day; officials read the comments of each draft.

use sqlx::SqlitePool;
use time::Date;

use super::intake::{self, FormGuard, Quota, Sender, Typed};
use crate::error::AppError;
use crate::format::{count_vn, date_text, iso_date, parse_date, parse_utc};
use crate::markup::escape;
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
/// them; else the deadline and a link to the form (or that it has closed); for officials the
/// number of comments, and for editors a form to set the deadline.
pub async fn document_html(
    pool: &SqlitePool,
    id: i64,
    today: Date,
    official: Option<&Official>,
) -> Result<String, AppError> {
    let d = draft(pool, id).await?;
    let mut html = String::new();
    if let Some(until) = d.until {
        html.push_str("<section class=\"draft-comments\" aria-labelledby=\"gop-y\" data-test=\"draft-comments\"><h2 id=\"gop-y\">Góp ý dự thảo</h2>");
        if today <= until {
            html.push_str(&format!(
                "<p>Dự thảo đang được lấy ý kiến nhân dân đến hết ngày {}.</p>\
                 <p><a class=\"button\" href=\"/van-ban/{id}/gop-y\" data-test=\"comment-link\">Gửi góp ý cho dự thảo</a></p>",
                date_text(until)
            ));
        } else {
            html.push_str(&format!(
                "<p data-test=\"comments-closed\">Đã hết thời hạn góp ý (đến ngày {}).</p>",
                date_text(until)
            ));
        }
        if official.is_some() {
            let n: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM draft_comments WHERE document_id = ?")
                    .bind(id)
                    .fetch_one(pool)
                    .await
                    .map_err(internal("counting a draft's comments"))?;
            html.push_str(&format!(
                "<p><a href=\"/quan-tri/gop-y/{id}\" data-test=\"comments-for-officials\">Xem {} góp ý đã nhận</a></p>",
                count_vn(n)
            ));
        }
        html.push_str("</section>");
    }
    if official.is_some_and(|o| o.can(Role::Editor)) {
        html.push_str(&format!(
            "<form method=\"post\" action=\"/van-ban/{id}/gop-y\" class=\"form form--inline\" data-test=\"comments-until-form\">\
             <input type=\"hidden\" name=\"thao-tac\" value=\"han\">\
             <label for=\"han-gop-y\">Lấy ý kiến góp ý đến hết ngày (để trống: không lấy ý kiến)</label>\
             <input id=\"han-gop-y\" type=\"date\" name=\"han\" value=\"{}\">\
             <button type=\"submit\">Lưu thời hạn góp ý</button></form>",
            d.until.map(iso_date).unwrap_or_default()
        ));
    }
    Ok(html)
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

/// The comment page's content: the form (with `typed` and `error` after a refusal), or why
/// there is none. The first value is the page's title.
#[allow(clippy::too_many_arguments)]
pub async fn form_html(
    pool: &SqlitePool,
    guard: &FormGuard,
    id: i64,
    today: Date,
    typed: &Typed,
    error: Option<&str>,
    sent: bool,
    now: u64,
) -> Result<(String, String), AppError> {
    let d = draft(pool, id).await?;
    let title = format!("Góp ý dự thảo {}", d.title);
    let back = format!("<p><a href=\"/van-ban/{id}\">← Xem văn bản dự thảo</a></p>");
    if sent {
        return Ok((
            title,
            format!(
                "<p class=\"form-ok\" role=\"status\" data-test=\"comment-received\">Cảm ơn bạn đã góp ý. \
                 Ý kiến của bạn đã được gửi tới cán bộ tổng hợp.</p>{back}"
            ),
        ));
    }
    let html = match d.until {
        Some(until) if today <= until => format!(
            "{back}<p>Ý kiến góp ý được nhận đến hết ngày {}. Cán bộ tổng hợp các ý kiến để hoàn thiện văn bản.</p>{}",
            date_text(until),
            super::forms::comment_form(id, typed, &guard.ticket(now), error)
        ),
        Some(until) => format!(
            "{back}<p class=\"form-error\" role=\"alert\" data-test=\"comments-closed\">Đã hết thời hạn góp ý cho dự thảo này (đến ngày {}).</p>",
            date_text(until)
        ),
        None => format!(
            "{}{back}<p data-test=\"comments-closed\">Văn bản này không lấy ý kiến góp ý.</p>",
            // An editor's deadline refused on a document not yet open for comments.
            error
                .map(|e| format!("<p class=\"form-error\" role=\"alert\" data-test=\"form-error\">{}</p>", escape(e)))
                .unwrap_or_default()
        ),
    };
    Ok((title, html))
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
    let body = intake::parse_body(typed, "nội dung góp ý")?;
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
/// only for editors and admins.
pub async fn comments_html(
    pool: &SqlitePool,
    official: &Official,
    id: i64,
) -> Result<(String, String), AppError> {
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
    let mut html = format!(
        "<p><a href=\"/van-ban/{id}\">← Văn bản dự thảo</a> · <a href=\"/quan-tri/hoi-dap\">Hỏi đáp và góp ý</a></p>\
         <p data-test=\"comment-count\">{} góp ý.{}</p>",
        count_vn(rows.len() as i64),
        d.until
            .map(|u| format!(" Thời hạn góp ý: đến hết ngày {}.", date_text(u)))
            .unwrap_or_default()
    );
    html.push_str("<ol class=\"comment-list\" data-test=\"comments\">");
    for (at, name, contact, hamlet, body) in &rows {
        let when = parse_utc(at)
            .map(|t| crate::format::datetime_vn(&t))
            .unwrap_or_default();
        // A writer reads what was said, not who said it.
        let (name, contact) = if editor {
            (escape(name), contact.as_str())
        } else {
            ("Người góp ý".to_string(), "")
        };
        let contact = if contact.is_empty() {
            String::new()
        } else {
            format!(" · {}", escape(contact))
        };
        html.push_str(&format!(
            "<li class=\"comment\"><p class=\"qa-meta\"><strong>{name}</strong> ({}){contact} · {when}</p>{}</li>",
            escape(hamlet),
            super::forms::paragraphs(body)
        ));
    }
    html.push_str("</ol>");
    Ok((format!("Góp ý cho {}", d.title), html))
}

/// The drafts open for comments or closed in the last 90 days, for the officials' queue.
pub async fn officials_html(pool: &SqlitePool, today: Date) -> Result<String, AppError> {
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
    let mut html = String::from(
        "<section aria-labelledby=\"du-thao\" data-test=\"drafts\"><h2 id=\"du-thao\">Góp ý dự thảo</h2>",
    );
    if rows.is_empty() {
        html.push_str("<p>Không có dự thảo nào đang lấy ý kiến. Để lấy ý kiến, mở văn bản trong mục Văn bản và đặt thời hạn góp ý.</p>");
    } else {
        html.push_str("<ul>");
        for (id, kind, number, symbol, until, n) in rows {
            let until = parse_date(&until).map(date_text).unwrap_or_default();
            html.push_str(&format!(
                "<li><a href=\"/quan-tri/gop-y/{id}\">{} số {number}/{}</a>: {} góp ý, hạn {until}</li>",
                escape(&kind),
                escape(&symbol),
                count_vn(n)
            ));
        }
        html.push_str("</ul>");
    }
    html.push_str("</section>");
    Ok(html)
}
