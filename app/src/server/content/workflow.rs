//! The publishing workflow: the steps that move a post between stages (send for review,
//! publish or schedule, unpublish, the trash and back), and who may take each. A step changes
//! the stage only; the text and its version are the editor's (`editing`).

use sqlx::SqlitePool;

use super::editing::load;
use super::schedule::Schedule;
use crate::error::AppError;
use crate::model::{Official, Role, Stage};
use crate::server::accounts::{audit, Actor};
use crate::server::internal;

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
                WHEN 'publish' THEN CASE WHEN published_at <= ?4
                                         THEN 'published' ELSE 'scheduled' END
                WHEN 'trash' THEN 'trash'
                ELSE 'draft' END,
            trashed_at = CASE ?1 WHEN 'trash' THEN ?4 END
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
    // Now by the schedule's clock, the one the timer publishes by.
    .bind(schedule.clock().stored())
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
