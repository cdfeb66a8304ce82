//! Officials' writes to a post's text: opening it in the editor, and saves (new posts, and
//! updates that carry the version they started from), each with its revision and audit line.
//! The checks on what is sent are in `check`; the workflow's steps in `workflow`; reading
//! revisions in `revisions`; the publishing timer in `schedule`.
//!
//! Who may do what: a writer creates posts and edits their own while they are drafts or wait
//! for review, and sends them for review; editors and admins edit any post, publish, schedule,
//! unpublish, move to the trash and restore from it.

use sqlx::{QueryBuilder, Sqlite, SqlitePool, Transaction};

use super::check::{check_save, Checked};
use super::schedule::Schedule;
use crate::error::AppError;
use crate::model::{
    CategoryChoice, EditablePost, EditorData, Official, PostEdit, Role, SaveOutcome, Stage,
};
use crate::server::accounts::{audit, Actor};
use crate::server::content::categories;
use crate::server::documents::references;
use crate::server::internal;
use crate::server::media::attachments;
use crate::server::slug::Slug;
use crate::server::time::Clock;

fn slug_taken(slug: &str) -> AppError {
    AppError::BadRequest(format!(
        "Đường dẫn “{slug}” đã được dùng cho một bài viết khác. Hãy chọn đường dẫn khác."
    ))
}

fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

/// The columns every save writes, a new post or an update, with their values: one list, bound
/// in one place, for the INSERT (`(columns) VALUES (values)`) and the UPDATE (`SET (columns) =
/// (values)`, SQLite's row-value assignment).
struct Written<'a> {
    slug: &'a str,
    post: &'a Checked,
    body_text: &'a str,
}

impl Written<'_> {
    /// The columns, in the order [`Written::push_values`] binds their values.
    const COLUMNS: &'static str =
        "slug, title, lead, body_html, body_text, description, category_id, image_id, image_alt";

    /// `?, ?, …`: the values of [`Written::COLUMNS`], bound.
    fn push_values(&self, query: &mut QueryBuilder<Sqlite>) {
        let c = self.post;
        query
            .separated(", ")
            .push_bind(self.slug)
            .push_bind(c.title.as_str())
            .push_bind(c.lead.as_str())
            .push_bind(c.body.as_str())
            .push_bind(self.body_text)
            .push_bind(c.description.as_str())
            .push_bind(c.category_id)
            .push_bind(c.image_id)
            .push_bind(c.image_alt.as_str());
    }
}

/// A post as stored, for the editor.
pub async fn load(pool: &SqlitePool, id: i64) -> Result<EditablePost, AppError> {
    let mut post = sqlx::query_as::<_, EditablePost>(
        "SELECT p.id, p.version, p.stage, p.slug, p.title, p.lead, p.body_html,
                p.description, p.category_id,
                strftime('%Y-%m-%dT%H:%M', p.published_at, '+7 hours') AS published_local,
                p.created_by, p.image_id, p.image_alt,
                COALESCE((SELECT r.username FROM post_revisions r WHERE r.post_id = p.id
                          ORDER BY r.version DESC LIMIT 1), '') AS saved_by,
                p.updated_at AS saved_at
         FROM posts p WHERE p.id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
    .map_err(internal("loading a post to edit"))?
    .ok_or_else(|| AppError::NotFound("Không tìm thấy bài viết này.".into()))?;
    if let Some(image) = post.image_id {
        post.image = attachments::get(pool, image).await?.map(|s| s.public());
    }
    Ok(post)
}

/// What the editor opens: the post (a blank one for `None`) and the categories.
pub async fn editor_data(
    pool: &SqlitePool,
    clock: &Clock,
    official: &Official,
    id: Option<i64>,
) -> Result<EditorData, AppError> {
    let post = match id {
        Some(id) => {
            let post = load(pool, id).await?;
            if !official.may_edit(post.stage, post.created_by) {
                return Err(if post.stage == Stage::Trash {
                    in_trash()
                } else {
                    AppError::Forbidden
                });
            }
            post
        }
        None => EditablePost {
            id: None,
            version: 0,
            stage: Stage::Draft,
            slug: String::new(),
            title: String::new(),
            lead: String::new(),
            body_html: String::new(),
            description: String::new(),
            category_id: None,
            published_local: clock.local_input(),
            created_by: Some(official.id),
            image_id: None,
            image_alt: String::new(),
            image: None,
            saved_by: String::new(),
            saved_at: None,
        },
    };
    Ok(EditorData {
        post,
        categories: category_choices(pool).await?,
    })
}

fn in_trash() -> AppError {
    AppError::BadRequest(
        "Bài viết này đang ở thùng rác. Biên tập viên cần khôi phục bài trước khi sửa.".into(),
    )
}

/// The categories as a flat list in tree order, each name indented by its depth.
async fn category_choices(pool: &SqlitePool) -> Result<Vec<CategoryChoice>, AppError> {
    let all = categories::all(pool).await?;
    let mut out = Vec::with_capacity(all.len());
    fn walk(
        all: &[categories::Category],
        parent: Option<i64>,
        depth: usize,
        out: &mut Vec<CategoryChoice>,
    ) {
        for c in all.iter().filter(|c| c.parent_id == parent) {
            if depth > all.len() {
                return;
            }
            out.push(CategoryChoice {
                id: c.id,
                label: format!("{}{}", "— ".repeat(depth), c.name),
            });
            walk(all, Some(c.id), depth + 1, out);
        }
    }
    walk(&all, None, 0, &mut out);
    Ok(out)
}

/// Stores the post as it is now as its revision `version`, within the save's transaction.
async fn add_revision(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    actor: &Actor,
    note: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO post_revisions
            (post_id, version, slug, title, lead, body_html, description, category_id,
             published_at, image_id, image_alt, user_id, username, note)
         SELECT id, version, slug, title, lead, body_html, description, category_id,
                published_at, image_id, image_alt, ?, ?, ?
         FROM posts WHERE id = ?",
    )
    .bind(actor.user_id)
    .bind(&actor.username)
    .bind(note)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(internal("storing a revision"))?;
    Ok(())
}

/// Saves what the editor sent: a new post (as a draft) when it has no id, otherwise an update
/// that succeeds only if the post is still at `base_version`.
pub async fn save(
    pool: &SqlitePool,
    schedule: &Schedule,
    official: &Official,
    actor: &Actor,
    edit: &PostEdit,
) -> Result<SaveOutcome, AppError> {
    save_noted(pool, schedule, official, actor, edit, "").await
}

/// [`save`], with the note its revision gets (empty: the usual "Lưu"); a restore names the
/// version it brings back.
pub(super) async fn save_noted(
    pool: &SqlitePool,
    schedule: &Schedule,
    official: &Official,
    actor: &Actor,
    edit: &PostEdit,
    note: &str,
) -> Result<SaveOutcome, AppError> {
    let (checked, published_at) = check_save(pool, official, edit).await?;
    let outcome = match edit.id {
        None => {
            let published_at = published_at.unwrap_or_else(|| schedule.clock().stored());
            create(pool, actor, checked, &published_at).await?
        }
        Some(id) => {
            update(
                pool,
                official,
                actor,
                id,
                edit.base_version,
                checked,
                published_at,
                note,
            )
            .await?
        }
    };
    if matches!(outcome, SaveOutcome::Saved { .. }) {
        schedule.publish_due(pool).await?;
    }
    Ok(outcome)
}

async fn create(
    pool: &SqlitePool,
    actor: &Actor,
    c: Checked,
    published_at: &str,
) -> Result<SaveOutcome, AppError> {
    let chosen = c.slug.is_some();
    let base = match &c.slug {
        Some(slug) => slug.as_str().to_string(),
        None => Slug::from_title(&c.title)
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|| "bai-viet".into()),
    };
    let body_text = c.body.text();
    // A slug derived from the title gets a number when it is taken (the second "Thông báo"
    // becomes thong-bao-2); one the official typed is refused instead.
    for n in 1..=50 {
        let slug = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let mut tx = pool.begin().await.map_err(internal("post transaction"))?;
        let written = Written {
            slug: &slug,
            post: &c,
            body_text: &body_text,
        };
        let mut insert = QueryBuilder::<Sqlite>::new("INSERT INTO posts (");
        insert
            .push(Written::COLUMNS)
            .push(", published_at, stage, status, created_by, kind, version) VALUES (");
        written.push_values(&mut insert);
        insert
            .push(", ")
            .push_bind(published_at)
            .push(", 'draft', 'draft', ")
            .push_bind(actor.user_id)
            .push(", 'post', 1) RETURNING id");
        let inserted = insert.build_query_scalar::<i64>().fetch_one(&mut *tx).await;
        let id = match inserted {
            Ok(id) => id,
            Err(err) if is_unique_violation(&err) => {
                // Rolled back now: a dropped transaction would hold the write lock until its
                // connection is next used.
                tx.rollback().await.map_err(internal("post rollback"))?;
                if chosen {
                    return Err(slug_taken(&slug));
                }
                continue;
            }
            Err(err) => return Err(internal("creating a post")(err)),
        };
        references::store(&mut tx, id, &c.lead, &body_text).await?;
        attachments::link(&mut tx, id, c.body.as_str()).await?;
        add_revision(&mut tx, id, actor, "Tạo bài viết").await?;
        audit(&mut tx, actor, "Tạo bài viết", &c.title, &slug).await?;
        tx.commit().await.map_err(internal("post commit"))?;
        return Ok(SaveOutcome::Saved {
            id,
            version: 1,
            slug,
            body_html: c.body.into_string(),
        });
    }
    Err(AppError::BadRequest(
        "Đã có quá nhiều bài viết cùng tiêu đề. Hãy nhập một đường dẫn riêng cho bài này.".into(),
    ))
}

#[allow(clippy::too_many_arguments)]
async fn update(
    pool: &SqlitePool,
    official: &Official,
    actor: &Actor,
    id: i64,
    base_version: i64,
    c: Checked,
    published_at: Option<String>,
    note: &str,
) -> Result<SaveOutcome, AppError> {
    let current = load(pool, id).await?;
    if current.stage == Stage::Trash {
        return Err(in_trash());
    }
    if !official.may_edit(current.stage, current.created_by) {
        return Err(AppError::Forbidden);
    }
    // Saving a published post does not change its address unless the official changed it.
    let slug = match &c.slug {
        Some(slug) => slug.as_str().to_string(),
        None => current.slug.clone(),
    };
    let body_text = c.body.text();
    let mut tx = pool.begin().await.map_err(internal("post transaction"))?;
    // The version and the rights are checked in the UPDATE itself, so a save that raced
    // another cannot slip in between a check and the write.
    let written = Written {
        slug: &slug,
        post: &c,
        body_text: &body_text,
    };
    let mut update = QueryBuilder::<Sqlite>::new("UPDATE posts SET (");
    update.push(Written::COLUMNS).push(") = (");
    written.push_values(&mut update);
    update
        .push("), published_at = COALESCE(")
        .push_bind(published_at.as_deref())
        .push(", published_at), version = version + 1 WHERE id = ")
        .push_bind(id)
        .push(" AND version = ")
        .push_bind(base_version)
        .push(" AND stage <> 'trash' AND (")
        .push_bind(official.can(Role::Editor))
        .push(" OR (created_by = ")
        .push_bind(official.id)
        .push(" AND stage IN ('draft', 'review'))) RETURNING version");
    let updated = update
        .build_query_scalar::<i64>()
        .fetch_optional(&mut *tx)
        .await;
    let version = match updated {
        Ok(Some(version)) => version,
        Ok(None) => {
            tx.rollback().await.map_err(internal("post rollback"))?;
            let current = load(pool, id).await?;
            return if current.stage == Stage::Trash {
                Err(in_trash())
            } else if current.version != base_version {
                Ok(SaveOutcome::Conflict {
                    current: Box::new(current),
                })
            } else {
                Err(AppError::Forbidden)
            };
        }
        Err(err) if is_unique_violation(&err) => {
            tx.rollback().await.map_err(internal("post rollback"))?;
            return Err(slug_taken(&slug));
        }
        Err(err) => return Err(internal("saving a post")(err)),
    };
    references::store(&mut tx, id, &c.lead, &body_text).await?;
    attachments::link(&mut tx, id, c.body.as_str()).await?;
    let note = if note.is_empty() { "Lưu" } else { note };
    add_revision(&mut tx, id, actor, note).await?;
    audit(
        &mut tx,
        actor,
        "Sửa bài viết",
        &c.title,
        &format!("{slug} (phiên bản {version})"),
    )
    .await?;
    tx.commit().await.map_err(internal("post commit"))?;
    Ok(SaveOutcome::Saved {
        id,
        version,
        slug,
        body_html: c.body.into_string(),
    })
}
