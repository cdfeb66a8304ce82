//! The statistics page (`/quan-tri/thong-ke`) as data: what `server::operations::stats` and
//! `backups` compute and `pages::statistics` shows. Numbers are raw; the page formats them.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::Day;

/// The periods offered as links; any other is chosen by dates.
pub const PRESETS: [i64; 3] = [30, 90, 365];

/// The tables the page offers as CSV, by their name in the address (`?bang=`).
pub const CSV_TABLES: [(&str, &str); 4] = [
    ("theo-ngay", "Số liệu theo ngày"),
    ("bai-viet", "Bài viết được xem nhiều nhất"),
    ("chuyen-muc", "Lượt xem theo chuyên mục"),
    ("video", "Lượt xem video"),
];

/// The page: the statistics of a period, or why the period asked for was refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StatisticsView {
    Shown(Box<Statistics>),
    /// The chooser again under `reason`, with the dates as typed (those that are dates).
    Refused {
        reason: String,
        chooser: PeriodChooser,
    },
}

/// The period links and the form for chosen dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodChooser {
    /// The preset shown (30, 90, 365), marked as the current one; None for chosen dates.
    pub preset: Option<i64>,
    /// The form's dates as `YYYY-MM-DD`, or empty.
    pub from: String,
    pub to: String,
    /// Today, Vietnam's, the latest date the form takes.
    pub today: Day,
}

/// How the portal was used in a period; each daily series has one number per day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    pub chooser: PeriodChooser,
    /// "30 ngày qua (từ 01/11/2026 đến 30/11/2026)".
    pub label: String,
    /// The query that asks for this period again (`ngay=30`), for the CSV links.
    pub query: String,
    /// The first day of the period.
    pub from: Day,
    /// Visits, post views and clip plays per day.
    pub series: Vec<DailySeries>,
    pub top_posts: Vec<PostViews>,
    /// Views by category; pages, and posts outside every category, each under a name of
    /// their own.
    pub categories: Vec<(String, i64)>,
    /// Plays by clip.
    pub clips: Vec<(String, i64)>,
    /// Citizens' questions received in the period: all, answered, overdue now.
    pub questions: (i64, i64, i64),
    /// The backups' state, for admins.
    pub backups: Option<Backups>,
}

/// A number per day, from the first day of the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailySeries {
    /// The chart's id in the page (`luot-truy-cap`): letters and dashes only.
    pub id: String,
    pub title: String,
    /// What is counted, in the description: "lượt truy cập".
    pub unit: String,
    pub values: Vec<i64>,
}

/// A post among the most read of the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostViews {
    pub title: String,
    /// Its address when citizens can open it (published), else None.
    pub href: Option<String>,
    pub views: i64,
}

/// The backups' state, for the admins' section of the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backups {
    /// How the portal backs itself up, or that it does not.
    pub schedule: String,
    pub last_ok: Option<BackupDone>,
    /// The newest failure, if it is newer than the last success: when, and why.
    pub failed: Option<(OffsetDateTime, String)>,
}

/// The last successful backup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupDone {
    pub finished_at: OffsetDateTime,
    /// Made by the schedule (else by the command).
    pub scheduled: bool,
    pub archive: String,
    /// Its size, in words ("1,2 MB").
    pub size: String,
}
