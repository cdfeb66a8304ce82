//! A post's past: its versions, the differences between two of them, and the restore of an old
//! one (saved again, through the editor's save, as the newest). Each save stores its revision
//! in `editing`; this reads them.

use similar::{ChangeTag, TextDiff};
use sqlx::SqlitePool;

use super::editing::{load, save_noted};
use super::schedule::Schedule;
use crate::error::AppError;
use crate::model::{
    DiffLine, Official, PostEdit, PostHistory, RevisionDiff, RevisionInfo, Role, SaveOutcome,
};
use crate::server::accounts::Actor;
use crate::server::html::text_of;
use crate::server::internal;

/// Revisions listed on a post's history page.
const HISTORY_LIMIT: i64 = 500;

/// The text a diff compares: the title, address, lead and summary, then the body a line per
/// block.
fn diff_text(r: &Revision) -> String {
    format!(
        "Tiêu đề: {}\nĐường dẫn: {}\nTóm tắt: {}\nMô tả cho máy tìm kiếm: {}\nThời gian đăng: {}\nẢnh đại diện: {}\n\n{}\n",
        r.title,
        r.slug,
        r.lead,
        r.description,
        crate::format::parse_utc(&r.published_at)
            .map(|t| crate::format::datetime_vn(&t))
            .unwrap_or_default(),
        match r.image_id {
            Some(id) => format!("tệp số {id} ({})", r.image_alt),
            None => "không có".into(),
        },
        text_of(&r.body_html)
    )
}

#[derive(sqlx::FromRow)]
struct Revision {
    slug: String,
    title: String,
    lead: String,
    body_html: String,
    description: String,
    category_id: Option<i64>,
    published_at: String,
    image_id: Option<i64>,
    image_alt: String,
}

async fn revision(pool: &SqlitePool, id: i64, version: i64) -> Result<Revision, AppError> {
    sqlx::query_as(
        "SELECT slug, title, lead, body_html, description, category_id, published_at,
                image_id, image_alt
         FROM post_revisions WHERE post_id = ? AND version = ?",
    )
    .bind(id)
    .bind(version)
    .fetch_optional(pool)
    .await
    .map_err(internal("reading a revision"))?
    .ok_or_else(|| AppError::NotFound(format!("Bài viết không có phiên bản {version}.")))
}

/// A post's versions, newest first, and the differences from version `from` to `to` (by
/// default, the latest against the one before).
pub async fn history(
    pool: &SqlitePool,
    official: &Official,
    id: i64,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<PostHistory, AppError> {
    let post = load(pool, id).await?;
    // Earlier versions hold what the post said as a draft: only who may edit it reads them.
    if !official.may_edit(post.stage, post.created_by) && !official.can(Role::Editor) {
        return Err(AppError::Forbidden);
    }
    let revisions: Vec<RevisionInfo> = sqlx::query_as(
        // Who saved each version by the name the portal shows for them (the user name kept
        // with the revision, if the account is gone).
        "SELECT r.version, COALESCE(u.display_name, r.username) AS author, r.note, r.created_at
         FROM post_revisions r LEFT JOIN users u ON u.id = r.user_id
         WHERE r.post_id = ? ORDER BY r.version DESC LIMIT ?",
    )
    .bind(id)
    .bind(HISTORY_LIMIT)
    .fetch_all(pool)
    .await
    .map_err(internal("listing revisions"))?;
    let pair = match (from, to) {
        (Some(a), Some(b)) => Some((a.min(b), a.max(b))),
        (Some(a), None) | (None, Some(a)) => Some((a, post.version)),
        (None, None) => {
            (revisions.len() >= 2).then(|| (revisions[1].version, revisions[0].version))
        }
    };
    let diff = match pair {
        Some((from, to)) => {
            let old = diff_text(&revision(pool, id, from).await?);
            let new = diff_text(&revision(pool, id, to).await?);
            let lines = TextDiff::from_lines(&old, &new)
                .iter_all_changes()
                .map(|change| DiffLine {
                    change: match change.tag() {
                        ChangeTag::Delete => '-',
                        ChangeTag::Insert => '+',
                        ChangeTag::Equal => ' ',
                    },
                    text: change.value().trim_end_matches('\n').to_string(),
                })
                .collect();
            Some(RevisionDiff { from, to, lines })
        }
        None => None,
    };
    Ok(PostHistory {
        id,
        slug: post.slug,
        title: post.title,
        version: post.version,
        stage: post.stage,
        revisions,
        diff,
    })
}

/// Saves version `version`'s content again as the newest version, if the post is still at
/// `base_version`.
pub async fn restore(
    pool: &SqlitePool,
    schedule: &Schedule,
    official: &Official,
    actor: &Actor,
    id: i64,
    version: i64,
    base_version: i64,
) -> Result<SaveOutcome, AppError> {
    let old = revision(pool, id, version).await?;
    let published_local = crate::server::time::local_input(&old.published_at).unwrap_or_default();
    let edit = PostEdit {
        id: Some(id),
        base_version,
        slug: old.slug,
        title: old.title,
        lead: old.lead,
        body_html: old.body_html,
        description: old.description,
        category_id: old.category_id,
        published_local,
        image_id: old.image_id,
        image_alt: old.image_alt,
    };
    let note = format!("Khôi phục phiên bản {version}");
    save_noted(pool, schedule, official, actor, &edit, &note).await
}
