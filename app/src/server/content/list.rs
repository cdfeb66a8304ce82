//! The officials' list of posts, by stage. Only reads; apart from editing because it touches
//! no single post.

use sqlx::SqlitePool;

use crate::error::AppError;
use crate::model::{Official, OfficialPostList, OfficialPostRow, PostsWaiting, Role, Stage};
use crate::server::internal;

/// Rows of the officials' list.
const LIST_LIMIT: i64 = 200;

/// The officials' list of posts at `stage`, newest change first, with each stage's count.
/// A writer sees, of posts not published, only their own: others' drafts are not theirs to
/// read.
pub async fn list(
    pool: &SqlitePool,
    official: &Official,
    stage: Stage,
) -> Result<OfficialPostList, AppError> {
    let everyone = official.can(Role::Editor);
    let counted: Vec<(Stage, i64)> = sqlx::query_as(
        "SELECT stage, COUNT(*) FROM posts
         WHERE ? OR stage = 'published' OR created_by = ? GROUP BY stage",
    )
    .bind(everyone)
    .bind(official.id)
    .fetch_all(pool)
    .await
    .map_err(internal("counting posts by stage"))?;
    let counts = Stage::ALL
        .into_iter()
        .map(|s| {
            (
                s,
                counted.iter().find(|(c, _)| *c == s).map_or(0, |(_, n)| *n),
            )
        })
        .collect();
    let rows: Vec<OfficialPostRow> = sqlx::query_as(
        "SELECT p.id, p.slug, p.title, p.kind, p.updated_at, p.published_at,
                COALESCE(u.display_name, '') AS author
         FROM posts p LEFT JOIN users u ON u.id = p.created_by
         WHERE p.stage = ? AND (? OR p.stage = 'published' OR p.created_by = ?)
         ORDER BY p.updated_at DESC, p.id DESC LIMIT ?",
    )
    .bind(stage)
    .bind(everyone)
    .bind(official.id)
    .bind(LIST_LIMIT)
    .fetch_all(pool)
    .await
    .map_err(internal("listing posts for officials"))?;
    Ok(OfficialPostList {
        stage,
        counts,
        rows,
    })
}

/// What waits for `official`: posts in review for editors (anyone's), drafts for writers
/// (their own).
pub async fn waiting(pool: &SqlitePool, official: &Official) -> Result<PostsWaiting, AppError> {
    let everyone = official.can(Role::Editor);
    let stage = if everyone {
        Stage::Review
    } else {
        Stage::Draft
    };
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM posts WHERE stage = ? AND (? OR created_by = ?)")
            .bind(stage)
            .bind(everyone)
            .bind(official.id)
            .fetch_one(pool)
            .await
            .map_err(internal("counting waiting posts"))?;
    Ok(PostsWaiting { stage, count })
}
