//! The editor and the publishing workflow: stages, posts as edited and saved, revisions,
//! the officials' list of posts.

use serde::{Deserialize, Serialize};

use super::common::Instant;
use super::media::Attachment;

/// Where a post stands in the publishing workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(rename_all = "lowercase"))]
pub enum Stage {
    /// Bản nháp: being written; only officials see it.
    Draft,
    /// Chờ duyệt: a writer sent it for an editor to publish.
    Review,
    /// Hẹn giờ đăng: published by itself at its publication time.
    Scheduled,
    /// Đã đăng: public.
    Published,
    /// Thùng rác: deleted; an editor can restore it.
    Trash,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Draft,
        Stage::Review,
        Stage::Scheduled,
        Stage::Published,
        Stage::Trash,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Review => "review",
            Stage::Scheduled => "scheduled",
            Stage::Published => "published",
            Stage::Trash => "trash",
        }
    }

    pub fn parse(raw: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "Bản nháp",
            Stage::Review => "Chờ duyệt",
            Stage::Scheduled => "Hẹn giờ đăng",
            Stage::Published => "Đã đăng",
            Stage::Trash => "Thùng rác",
        }
    }
}

/// A post as the editor holds it: the stored text (references not turned into links), and
/// the version it was read at, which its next save carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct EditablePost {
    /// None for a new post not saved yet.
    pub id: Option<i64>,
    pub version: i64,
    pub stage: Stage,
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub body_html: String,
    /// The summary for search engines (empty: the lead is used).
    pub description: String,
    pub category_id: Option<i64>,
    /// Publication time in Vietnam, as a `datetime-local` input holds it: `2022-03-14T15:00`.
    pub published_local: String,
    pub created_by: Option<i64>,
    /// The featured image (an image attachment) and its description.
    pub image_id: Option<i64>,
    pub image_alt: String,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub image: Option<Attachment>,
    /// Who saved the version held, and when (None for a new post).
    pub saved_by: String,
    pub saved_at: Option<Instant>,
}

/// What the editor sends to save: the text, the side panel's fields, and the version the
/// official started from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostEdit {
    pub id: Option<i64>,
    pub base_version: i64,
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub body_html: String,
    pub description: String,
    pub category_id: Option<i64>,
    pub published_local: String,
    /// The featured image; absent: none.
    #[serde(default)]
    pub image_id: Option<i64>,
    #[serde(default)]
    pub image_alt: String,
}

/// The answer to a save.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveOutcome {
    /// Stored as `version`; `body_html` is the body as sanitised and kept.
    Saved {
        id: i64,
        version: i64,
        slug: String,
        body_html: String,
    },
    /// Someone saved a newer version meanwhile; nothing was stored. `current` is theirs.
    Conflict { current: Box<EditablePost> },
}

/// A category as the side panel offers it: its name indented by depth.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryChoice {
    pub id: i64,
    pub label: String,
}

/// What the editor needs to open: the post and the categories it may go in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorData {
    pub post: EditablePost,
    pub categories: Vec<CategoryChoice>,
}

/// One saved version of a post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RevisionInfo {
    pub version: i64,
    /// The display name of who saved it.
    pub author: String,
    pub note: String,
    /// UTC.
    pub created_at: Instant,
}

/// A line of a diff between two versions: `'+'` added, `'-'` removed, `' '` unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub change: char,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionDiff {
    pub from: i64,
    pub to: i64,
    pub lines: Vec<DiffLine>,
}

/// A post's history: every version, newest first, and the diff asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostHistory {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub version: i64,
    pub stage: Stage,
    pub revisions: Vec<RevisionInfo>,
    pub diff: Option<RevisionDiff>,
}

/// A row of the officials' list of posts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OfficialPostRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub updated_at: Instant,
    pub published_at: Instant,
    pub author: String,
}

/// The officials' list of the posts at one stage, with how many each stage holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialPostList {
    pub stage: Stage,
    pub counts: Vec<(Stage, i64)>,
    pub rows: Vec<OfficialPostRow>,
}
