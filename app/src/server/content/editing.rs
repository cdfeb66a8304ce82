//! Officials' writes to posts: new posts, saves that carry the version they started from, the
//! publishing workflow, scheduled publication, the trash, and a revision for every save.
//!
//! Who may do what: a writer creates posts and edits their own while they are drafts or wait
//! for review, and sends them for review; editors and admins edit any post, publish, schedule,
//! unpublish, move to the trash and restore from it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use similar::{ChangeTag, TextDiff};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::error::AppError;
use crate::model::{
    CategoryChoice, DiffLine, EditablePost, EditorData, Official, OfficialPostList,
    OfficialPostRow, PostEdit, PostHistory, RevisionDiff, RevisionInfo, Role, SaveOutcome, Stage,
};
use crate::server::accounts::{audit, Actor};
use crate::server::content::categories;
use crate::server::documents::references;
use crate::server::html::{text_of, SafeHtml};
use crate::server::internal;
use crate::server::media::attachments;
use crate::server::slug::Slug;
use crate::server::text::one_line;

const MAX_TITLE_CHARS: usize = 300;
const MAX_LEAD_CHARS: usize = 2000;
const MAX_DESCRIPTION_CHARS: usize = 300;
/// The largest body accepted, in bytes of HTML as sent (a long decree with tables fits).
const MAX_BODY_BYTES: usize = 2_000_000;
/// Revisions listed on a post's history page.
const HISTORY_LIMIT: i64 = 500;
/// Rows of the officials' list.
const LIST_LIMIT: i64 = 200;

/// The fields of a save, checked and normalised (NFC, spaces collapsed, body sanitised).
struct Checked {
    slug: Option<Slug>,
    title: String,
    lead: String,
    body: SafeHtml,
    description: String,
    category_id: Option<i64>,
    /// `2022-03-14T15:00` in Vietnam; None: keep (or, for a new post, now).
    published_local: Option<String>,
    image_id: Option<i64>,
    image_alt: String,
}

fn too_long(what: &str, max: usize) -> AppError {
    AppError::BadRequest(format!(
        "{what} dài quá {max} ký tự. Hãy rút gọn rồi lưu lại."
    ))
}

fn check(edit: &PostEdit) -> Result<Checked, AppError> {
    let title = one_line(&edit.title);
    if title.is_empty() {
        return Err(AppError::BadRequest(
            "Bài viết cần có tiêu đề. Hãy nhập tiêu đề rồi lưu lại.".into(),
        ));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(too_long("Tiêu đề", MAX_TITLE_CHARS));
    }
    // The lead is one paragraph of plain text.
    let lead = one_line(&edit.lead);
    if lead.chars().count() > MAX_LEAD_CHARS {
        return Err(too_long("Phần tóm tắt", MAX_LEAD_CHARS));
    }
    let description = one_line(&edit.description);
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(too_long("Mô tả cho máy tìm kiếm", MAX_DESCRIPTION_CHARS));
    }
    if edit.body_html.len() > MAX_BODY_BYTES {
        return Err(AppError::BadRequest(
            "Nội dung bài viết quá dài (quá 2 MB). Hãy chia thành nhiều bài hoặc đưa phần dài vào tệp đính kèm.".into(),
        ));
    }
    let slug = match edit.slug.trim() {
        "" => None,
        raw => Some(Slug::from_title(raw).ok_or_else(|| {
            AppError::BadRequest("Đường dẫn phải có chữ hoặc số, ví dụ: ke-hoach-papi-2022.".into())
        })?),
    };
    let published_local = match edit.published_local.trim() {
        "" => None,
        raw => {
            let b = raw.as_bytes();
            // `2022-03-14T15:00`, or with seconds (`...T15:00:30`) as some browsers send.
            let shaped = (raw.len() == 16 || raw.len() == 19)
                && b.iter().enumerate().all(|(i, c)| match i {
                    4 | 7 => *c == b'-',
                    10 => *c == b'T',
                    13 | 16 => *c == b':',
                    _ => c.is_ascii_digit(),
                });
            if !shaped {
                return Err(bad_time());
            }
            Some(raw.to_string())
        }
    };
    let image_alt = one_line(&edit.image_alt);
    if edit.image_id.is_some() && image_alt.is_empty() {
        return Err(AppError::BadRequest(
            "Hãy mô tả ngắn ảnh đại diện, cho người không xem được ảnh.".into(),
        ));
    }
    if image_alt.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(too_long("Mô tả ảnh", MAX_DESCRIPTION_CHARS));
    }
    Ok(Checked {
        slug,
        title,
        lead,
        body: SafeHtml::clean(&edit.body_html),
        description,
        category_id: edit.category_id,
        published_local,
        image_id: edit.image_id,
        image_alt: if edit.image_id.is_some() {
            image_alt
        } else {
            String::new()
        },
    })
}

fn bad_time() -> AppError {
    AppError::BadRequest(
        "Thời gian đăng không hợp lệ. Hãy chọn ngày và giờ, ví dụ 14/03/2022 08:00.".into(),
    )
}

/// `2022-03-14T15:00` in Vietnam (UTC+7) as the stored UTC `2022-03-14 08:00:00`; SQLite
/// refuses impossible dates (31/02) by giving NULL.
async fn to_utc(pool: &SqlitePool, local: &str) -> Result<String, AppError> {
    let utc: Option<String> = sqlx::query_scalar(
        "SELECT CASE WHEN date(substr(?1, 1, 10)) = substr(?1, 1, 10)
                     THEN strftime('%Y-%m-%d %H:%M:%S', replace(?1, 'T', ' '), '-7 hours') END",
    )
    .bind(local)
    .fetch_one(pool)
    .await
    .map_err(internal("converting a publication time"))?;
    utc.ok_or_else(bad_time)
}

async fn check_category(pool: &SqlitePool, id: Option<i64>) -> Result<(), AppError> {
    let Some(id) = id else { return Ok(()) };
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM categories WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(internal("checking a category"))?;
    exists.map(|_| ()).ok_or_else(|| {
        AppError::BadRequest(
            "Chuyên mục đã chọn không còn tồn tại. Hãy chọn chuyên mục khác.".into(),
        )
    })
}

fn slug_taken(slug: &str) -> AppError {
    AppError::BadRequest(format!(
        "Đường dẫn “{slug}” đã được dùng cho một bài viết khác. Hãy chọn đường dẫn khác."
    ))
}

fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

const EDITABLE_COLUMNS: &str = "p.id, p.version, p.stage, p.slug, p.title, p.lead, p.body_html,
    p.description, p.category_id,
    strftime('%Y-%m-%dT%H:%M', p.published_at, '+7 hours') AS published_local, p.created_by,
    p.image_id, p.image_alt,
    COALESCE((SELECT r.username FROM post_revisions r WHERE r.post_id = p.id
              ORDER BY r.version DESC LIMIT 1), '') AS saved_by,
    p.updated_at AS saved_at";

/// A post as stored, for the editor.
pub async fn load(pool: &SqlitePool, id: i64) -> Result<EditablePost, AppError> {
    let mut post = sqlx::query_as::<_, EditablePost>(sqlx::AssertSqlSafe(format!(
        "SELECT {EDITABLE_COLUMNS} FROM posts p WHERE p.id = ?"
    )))
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
            published_local: sqlx::query_scalar(
                "SELECT strftime('%Y-%m-%dT%H:%M', 'now', '+7 hours')",
            )
            .fetch_one(pool)
            .await
            .map_err(internal("reading the time"))?,
            created_by: Some(official.id),
            image_id: None,
            image_alt: String::new(),
            image: None,
            saved_by: String::new(),
            saved_at: String::new(),
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

async fn save_noted(
    pool: &SqlitePool,
    schedule: &Schedule,
    official: &Official,
    actor: &Actor,
    edit: &PostEdit,
    note: &str,
) -> Result<SaveOutcome, AppError> {
    let checked = check(edit)?;
    check_category(pool, checked.category_id).await?;
    if let Some(id) = checked.image_id {
        let is_image = attachments::get(pool, id)
            .await?
            .is_some_and(|stored| stored.width.is_some());
        let allowed = official.can(Role::Editor)
            || attachments::writer_may_use(pool, id, official.id).await?;
        if !is_image || !allowed {
            return Err(AppError::BadRequest(
                "Ảnh đại diện phải là một ảnh đã tải lên (PNG, JPG, GIF hoặc WebP).".into(),
            ));
        }
    }
    let published_at = match &checked.published_local {
        Some(local) => Some(to_utc(pool, local).await?),
        None => None,
    };
    let outcome = match edit.id {
        None => create(pool, actor, checked, published_at).await?,
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
    published_at: Option<String>,
) -> Result<SaveOutcome, AppError> {
    let chosen = c.slug.is_some();
    let base = match c.slug {
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
        let inserted = sqlx::query_scalar::<_, i64>(
            "INSERT INTO posts (slug, title, lead, body_html, body_text, description, category_id,
                                published_at, stage, status, created_by, kind, version,
                                image_id, image_alt)
             VALUES (?, ?, ?, ?, ?, ?, ?, COALESCE(?, strftime('%Y-%m-%d %H:%M:%S', 'now')),
                     'draft', 'draft', ?, 'post', 1, ?, ?)
             RETURNING id",
        )
        .bind(&slug)
        .bind(&c.title)
        .bind(&c.lead)
        .bind(c.body.as_str())
        .bind(&body_text)
        .bind(&c.description)
        .bind(c.category_id)
        .bind(&published_at)
        .bind(actor.user_id)
        .bind(c.image_id)
        .bind(&c.image_alt)
        .fetch_one(&mut *tx)
        .await;
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
    let slug = match c.slug {
        Some(slug) => slug.as_str().to_string(),
        None => current.slug.clone(),
    };
    let body_text = c.body.text();
    let mut tx = pool.begin().await.map_err(internal("post transaction"))?;
    // The version and the rights are checked in the UPDATE itself, so a save that raced
    // another cannot slip in between a check and the write.
    let updated = sqlx::query_scalar::<_, i64>(
        "UPDATE posts SET slug = ?, title = ?, lead = ?, body_html = ?, body_text = ?,
                description = ?, category_id = ?, published_at = COALESCE(?, published_at),
                image_id = ?, image_alt = ?, version = version + 1
         WHERE id = ? AND version = ? AND stage <> 'trash'
           AND (? OR (created_by = ? AND stage IN ('draft', 'review')))
         RETURNING version",
    )
    .bind(&slug)
    .bind(&c.title)
    .bind(&c.lead)
    .bind(c.body.as_str())
    .bind(&body_text)
    .bind(&c.description)
    .bind(c.category_id)
    .bind(&published_at)
    .bind(c.image_id)
    .bind(&c.image_alt)
    .bind(id)
    .bind(base_version)
    .bind(official.can(Role::Editor))
    .bind(official.id)
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

/// A step of the publishing workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// A writer sends a draft for review.
    Submit,
    /// Public now, or at its publication time if that is still to come.
    Publish,
    /// Back to a draft.
    Unpublish,
    Trash,
    /// Out of the trash, as a draft.
    Restore,
}

impl Action {
    pub fn parse(raw: &str) -> Result<Action, AppError> {
        Ok(match raw {
            "submit" => Action::Submit,
            "publish" => Action::Publish,
            "unpublish" => Action::Unpublish,
            "trash" => Action::Trash,
            "restore" => Action::Restore,
            _ => return Err(AppError::BadRequest("Thao tác không hợp lệ.".into())),
        })
    }

    fn label(self) -> &'static str {
        match self {
            Action::Submit => "Gửi duyệt bài viết",
            Action::Publish => "Đăng bài viết",
            Action::Unpublish => "Gỡ bài viết",
            Action::Trash => "Chuyển bài viết vào thùng rác",
            Action::Restore => "Khôi phục bài viết từ thùng rác",
        }
    }

    /// The stages the action starts from.
    fn from(self) -> &'static [Stage] {
        match self {
            Action::Submit => &[Stage::Draft],
            Action::Publish => &[Stage::Draft, Stage::Review, Stage::Scheduled],
            Action::Unpublish => &[Stage::Review, Stage::Scheduled, Stage::Published],
            Action::Trash => &[
                Stage::Draft,
                Stage::Review,
                Stage::Scheduled,
                Stage::Published,
            ],
            Action::Restore => &[Stage::Trash],
        }
    }
}

/// Moves a post through the workflow. Text and version are left alone: a stage is not an edit.
pub async fn act(
    pool: &SqlitePool,
    schedule: &Schedule,
    official: &Official,
    actor: &Actor,
    id: i64,
    action: Action,
) -> Result<Stage, AppError> {
    let post = load(pool, id).await?;
    let allowed = match action {
        Action::Submit => official.can(Role::Editor) || post.created_by == Some(official.id),
        _ => official.can(Role::Editor),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    if !action.from().contains(&post.stage) {
        return Err(AppError::BadRequest(format!(
            "Không thể thực hiện thao tác này khi bài viết đang ở trạng thái “{}”. Hãy tải lại trang để xem trạng thái mới nhất.",
            post.stage.label()
        )));
    }
    let from: Vec<&str> = action.from().iter().map(|s| s.as_str()).collect();
    let mut tx = pool.begin().await.map_err(internal("post transaction"))?;
    // The stage is checked again in the statement: a concurrent step wins only once.
    let stage = sqlx::query_scalar::<_, Stage>(
        "UPDATE posts SET
            stage = CASE ?1
                WHEN 'submit' THEN 'review'
                WHEN 'publish' THEN CASE WHEN published_at <= strftime('%Y-%m-%d %H:%M:%S', 'now')
                                         THEN 'published' ELSE 'scheduled' END
                WHEN 'trash' THEN 'trash'
                ELSE 'draft' END,
            trashed_at = CASE ?1 WHEN 'trash' THEN strftime('%Y-%m-%d %H:%M:%S', 'now') END
         WHERE id = ?2 AND stage IN (SELECT value FROM json_each(?3))
         RETURNING stage",
    )
    .bind(match action {
        Action::Submit => "submit",
        Action::Publish => "publish",
        Action::Unpublish => "unpublish",
        Action::Trash => "trash",
        Action::Restore => "restore",
    })
    .bind(id)
    .bind(serde_json::to_string(&from).unwrap_or_default())
    .fetch_optional(&mut *tx)
    .await
    .map_err(internal("moving a post through the workflow"))?
    .ok_or_else(|| {
        AppError::BadRequest(
            "Trạng thái bài viết vừa được người khác thay đổi. Hãy tải lại trang.".into(),
        )
    })?;
    audit(
        &mut tx,
        actor,
        action.label(),
        &post.title,
        &format!("{} ({})", post.slug, stage.label()),
    )
    .await?;
    tx.commit().await.map_err(internal("post commit"))?;
    schedule.publish_due(pool).await?;
    Ok(stage)
}

/// The text a diff compares: the title, address, lead and summary, then the body a line per
/// block.
fn diff_text(r: &Revision) -> String {
    format!(
        "Tiêu đề: {}\nĐường dẫn: {}\nTóm tắt: {}\nMô tả cho máy tìm kiếm: {}\nThời gian đăng: {}\nẢnh đại diện: {}\n\n{}\n",
        r.title,
        r.slug,
        r.lead,
        r.description,
        crate::format::datetime_vn(&r.published_at),
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
        "SELECT version, username, note, created_at FROM post_revisions
         WHERE post_id = ? ORDER BY version DESC LIMIT ?",
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
    let published_local: String =
        sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M', ?, '+7 hours')")
            .bind(&old.published_at)
            .fetch_one(pool)
            .await
            .map_err(internal("reading a revision's time"))?;
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

/// Publishes scheduled posts when their time comes. A request checks [`Schedule::is_due`]
/// before it is served (so visibility is decided at request time, even if the timer is late),
/// and a timer task publishes them at that moment whether or not anyone visits.
#[derive(Clone, Default)]
pub struct Schedule(Arc<ScheduleInner>);

struct ScheduleInner {
    /// Unix seconds of the earliest scheduled post; `i64::MAX` for none.
    next_due: AtomicI64,
    wake: tokio::sync::Notify,
}

impl Default for ScheduleInner {
    fn default() -> Self {
        ScheduleInner {
            next_due: AtomicI64::new(0),
            wake: tokio::sync::Notify::new(),
        }
    }
}

fn unix_now() -> i64 {
    crate::server::time::unix_now() as i64
}

impl Schedule {
    /// Whether a scheduled post's time has come (one atomic read).
    pub fn is_due(&self) -> bool {
        unix_now() >= self.0.next_due.load(Ordering::Acquire)
    }

    /// Publishes every scheduled post whose time has come, notes when the next one is due, and
    /// wakes the timer to wait for that one. Returns how many were published.
    pub async fn publish_due(&self, pool: &SqlitePool) -> Result<usize, AppError> {
        let published = self.publish_due_quietly(pool).await?;
        self.0.wake.notify_waiters();
        Ok(published)
    }

    async fn publish_due_quietly(&self, pool: &SqlitePool) -> Result<usize, AppError> {
        // A read first: most of the time nothing is due, and no write lock is taken.
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(strftime('%s', MIN(published_at)) AS INTEGER) FROM posts
             WHERE stage = 'scheduled'",
        )
        .fetch_one(pool)
        .await
        .map_err(internal("finding the next scheduled post"))?;
        if next.is_none_or(|due| due > unix_now()) {
            self.0
                .next_due
                .store(next.unwrap_or(i64::MAX), Ordering::Release);
            return Ok(0);
        }
        let mut tx = pool
            .begin()
            .await
            .map_err(internal("schedule transaction"))?;
        let published: Vec<(String, String)> = sqlx::query_as(
            "UPDATE posts SET stage = 'published'
             WHERE stage = 'scheduled' AND published_at <= strftime('%Y-%m-%d %H:%M:%S', 'now')
             RETURNING title, slug",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(internal("publishing scheduled posts"))?;
        let actor = Actor {
            user_id: None,
            username: "(hẹn giờ đăng)".into(),
            ip: String::new(),
        };
        for (title, slug) in &published {
            audit(&mut tx, &actor, "Đăng bài viết theo giờ hẹn", title, slug).await?;
        }
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(strftime('%s', MIN(published_at)) AS INTEGER) FROM posts
             WHERE stage = 'scheduled'",
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("finding the next scheduled post"))?;
        tx.commit().await.map_err(internal("schedule commit"))?;
        self.0
            .next_due
            .store(next.unwrap_or(i64::MAX), Ordering::Release);
        if !published.is_empty() {
            tracing::info!(count = published.len(), "published scheduled posts");
        }
        Ok(published.len())
    }

    /// The timer: sleeps until the next scheduled post is due (or the schedule changes), then
    /// publishes. Runs for the life of the server.
    pub async fn run(self, pool: SqlitePool) {
        loop {
            // Listening before reading the next time: a change made meanwhile is not missed.
            let notified = self.0.wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Err(err) = self.publish_due_quietly(&pool).await {
                tracing::warn!(error = %err, "scheduled publishing failed; retrying in a minute");
                tokio::time::sleep(Duration::from_secs(60)).await;
                continue;
            }
            let wait = self
                .0
                .next_due
                .load(Ordering::Acquire)
                .saturating_sub(unix_now());
            // An hour at most, so a clock change is noticed.
            let wait = Duration::from_secs(wait.clamp(0, 3600) as u64);
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = notified => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn edit(title: &str) -> PostEdit {
        PostEdit {
            id: None,
            base_version: 0,
            slug: String::new(),
            title: title.into(),
            lead: String::new(),
            body_html: String::new(),
            description: String::new(),
            category_id: None,
            published_local: String::new(),
            image_id: None,
            image_alt: String::new(),
        }
    }

    #[test]
    fn titles_are_one_nfc_line_and_required() {
        let nfd: String = "Thông  báo\n hòa giải".nfd().collect();
        assert_eq!(check(&edit(&nfd)).unwrap().title, "Thông báo hòa giải");
        assert!(matches!(
            check(&edit("  \n ")),
            Err(AppError::BadRequest(_))
        ));
        assert!(matches!(
            check(&edit(&"a".repeat(301))),
            Err(AppError::BadRequest(_))
        ));
    }

    #[test]
    fn slugs_typed_by_officials_are_made_readable() {
        let mut e = edit("x");
        e.slug = " Kế hoạch PAPI 2022 ".into();
        assert_eq!(
            check(&e).unwrap().slug.unwrap().as_str(),
            "ke-hoach-papi-2022"
        );
        e.slug = "?!".into();
        assert!(check(&e).is_err());
    }

    #[test]
    fn publication_times_have_the_input_shape() {
        let mut e = edit("x");
        e.published_local = "2022-03-14T15:00".into();
        assert!(check(&e).is_ok());
        e.published_local = "2022-03-14T15:00:30".into();
        assert!(check(&e).is_ok());
        for bad in [
            "14/03/2022",
            "2022-03-14 15:00",
            "2022-3-14T15:00",
            "2022-03-14T15:00:3",
            "x",
        ] {
            e.published_local = bad.into();
            assert!(check(&e).is_err(), "{bad}");
        }
    }
}
