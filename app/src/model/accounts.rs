//! Officials: roles, the signed-in official, accounts and the audit log.

use serde::{Deserialize, Serialize};

use super::common::Instant;
use super::editing::Stage;

/// An official's role on the editorial board (Ban biên tập).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Phóng viên: writes and edits own drafts, submits them for review.
    Writer,
    /// Biên tập viên: edits, publishes and unpublishes any post.
    Editor,
    /// Quản trị: also manages accounts and site settings.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Writer, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Writer => "writer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == raw.trim())
    }

    /// The Vietnamese name shown to officials.
    pub fn label(self) -> &'static str {
        match self {
            Role::Writer => "Phóng viên",
            Role::Editor => "Biên tập viên",
            Role::Admin => "Quản trị",
        }
    }
}

/// What waits for an official, for the bar's "Bài viết": posts in review for editors, their own
/// drafts for writers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostsWaiting {
    /// The tab of the officials' list that holds it.
    pub stage: Stage,
    pub count: i64,
}

/// The signed-in official, as pages see them. Holds nothing secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Official {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// What waits for them, for the officials' bar: filled only by `who_am_i`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<PostsWaiting>,
    /// Citizens' questions waiting (new, overdue), for the officials' bar: filled only by
    /// `who_am_i`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub questions: Option<(i64, i64)>,
}

impl Official {
    /// Whether the official's role is `role` or above it.
    pub fn can(&self, role: Role) -> bool {
        self.role >= role
    }

    /// Whether the official may change the text of a post at `stage` written by `created_by`:
    /// editors any post out of the trash, writers their own drafts and posts waiting for review.
    pub fn may_edit(&self, stage: Stage, created_by: Option<i64>) -> bool {
        stage != Stage::Trash
            && (self.can(Role::Editor)
                || (created_by == Some(self.id) && matches!(stage, Stage::Draft | Stage::Review)))
    }
}

/// An account as the admins' page lists it. No password hash ever crosses the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: Instant,
    /// Browsers signed in now.
    pub sessions: i64,
    /// The admin looking at the list: their own password is changed with the current one.
    pub is_me: bool,
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub id: i64,
    pub at: Instant,
    pub username: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub ip: String,
}

/// A page of the audit log, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub page: i64,
    pub total_pages: i64,
}

/// Audit log entries per page.
pub const AUDIT_PER_PAGE: i64 = 50;
