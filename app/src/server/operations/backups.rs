//! The database's side of backups: a consistent snapshot taken while the portal serves
//! (`VACUUM INTO`, which reads one transaction's view of the file), what the snapshot holds
//! (rows per table, the counters), and the record of every run that admins and `/healthz` see.
//! The archive around it (media files, manifest, checksums) is the server binary's.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use time::OffsetDateTime;

use crate::error::AppError;
use crate::format::parse_utc;
use crate::model::stats::{BackupDone, Backups};
use crate::server::media::attachments::size_text;
use crate::server::{internal, time::stored};

/// Scheduled backups, from `PORTAL_BACKUP_DIR`, `PORTAL_BACKUP_EVERY_HOURS`,
/// `PORTAL_BACKUP_KEEP_DAILY` and `PORTAL_BACKUP_KEEP_WEEKLY`.
#[derive(Clone, Debug, Default)]
pub struct BackupConfig {
    /// None: the server makes no backups by itself.
    pub dir: Option<PathBuf>,
    pub every: Duration,
    /// The newest archive of each of this many days is kept…
    pub keep_daily: usize,
    /// …and the newest of each of this many weeks.
    pub keep_weekly: usize,
}

/// Who started a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    Schedule,
    Command,
}

/// One finished run, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub started_at: OffsetDateTime,
    pub finished_at: OffsetDateTime,
    /// Ok((archive file name, bytes)) or Err(why it failed, in Vietnamese).
    pub outcome: Result<(String, i64), String>,
    pub trigger: Trigger,
}

/// Writes a consistent copy of the whole database to `target` (a new file), while others go
/// on reading and writing.
pub async fn snapshot(pool: &SqlitePool, target: &Path) -> Result<(), sqlx::Error> {
    sqlx::query("VACUUM INTO ?")
        .bind(target.to_string_lossy().into_owned())
        .execute(pool)
        .await?;
    Ok(())
}

/// The rows of every table (virtual tables left out; their contents live in shadow tables,
/// which are counted), by name.
pub async fn row_counts(pool: &SqlitePool) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema
         WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
           AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
         ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    let mut counts = Vec::with_capacity(names.len());
    for name in names {
        // Names come from the schema, yet are checked: only these characters are ever written.
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        let mut query = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM \"");
        query.push(&name).push("\"");
        let n: i64 = query.build_query_scalar().fetch_one(pool).await?;
        counts.push((name, n));
    }
    Ok(counts)
}

/// The counters' totals: site visits, post views, clip views.
pub async fn counter_totals(pool: &SqlitePool) -> Result<[(String, i64); 3], sqlx::Error> {
    let (visits, views, plays): (i64, i64, i64) = sqlx::query_as(
        "SELECT COALESCE((SELECT value FROM counters WHERE name = 'visits'), 0),
                (SELECT COALESCE(SUM(view_count), 0) FROM posts),
                (SELECT COALESCE(SUM(view_count), 0) FROM clips)",
    )
    .fetch_one(pool)
    .await?;
    Ok([
        ("visits".into(), visits),
        ("post_views".into(), views),
        ("clip_views".into(), plays),
    ])
}

/// The newest migration applied to the database.
pub async fn schema_version(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
}

/// Whether the database answers a trivial query (for `/healthz`).
pub async fn ping(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(pool)
        .await
        .map(drop)
}

/// The names of the archives the portal made by its schedule, for pruning.
pub async fn made_archives(
    pool: &SqlitePool,
) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT archive FROM backup_runs WHERE ok = 1 AND trigger = 'schedule'")
            .fetch_all(pool)
            .await?;
    Ok(names.into_iter().collect())
}

/// Records a finished run.
pub async fn record(pool: &SqlitePool, run: &Run) -> Result<(), AppError> {
    let (ok, archive, bytes, message) = match &run.outcome {
        Ok((archive, bytes)) => (1, archive.as_str(), *bytes, ""),
        Err(message) => (0, "", 0, message.as_str()),
    };
    sqlx::query(
        "INSERT INTO backup_runs (started_at, finished_at, ok, trigger, archive, bytes, message)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(stored(run.started_at))
    .bind(stored(run.finished_at))
    .bind(ok)
    .bind(match run.trigger {
        Trigger::Schedule => "schedule",
        Trigger::Command => "command",
    })
    .bind(archive)
    .bind(bytes)
    .bind(message)
    .execute(pool)
    .await
    .map_err(internal("recording a backup run failed"))?;
    Ok(())
}

/// The last successful run and the last failure after it, with the schedule. With a schedule,
/// only its runs count: a backup made by hand elsewhere neither hides a failing schedule nor
/// stands in for it.
#[derive(Clone, Debug, Default)]
pub struct BackupStatus {
    pub last_ok: Option<Run>,
    /// The newest failure, if it is newer than the last success.
    pub failed_since: Option<Run>,
    pub config: BackupConfig,
}

type RunRow = (String, String, i64, String, String, i64, String);

fn run_from(row: RunRow) -> Option<Run> {
    let (started, finished, ok, trigger, archive, bytes, message) = row;
    Some(Run {
        started_at: parse_utc(&started)?,
        finished_at: parse_utc(&finished)?,
        outcome: if ok == 1 {
            Ok((archive, bytes))
        } else {
            Err(message)
        },
        trigger: if trigger == "schedule" {
            Trigger::Schedule
        } else {
            Trigger::Command
        },
    })
}

impl BackupStatus {
    pub async fn load(pool: &SqlitePool, config: &BackupConfig) -> Result<BackupStatus, AppError> {
        let newest = |ok: i64| {
            sqlx::query_as::<_, RunRow>(
                "SELECT started_at, finished_at, ok, trigger, archive, bytes, message
                 FROM backup_runs WHERE ok = ? AND (? OR trigger = 'schedule')
                 ORDER BY finished_at DESC, id DESC LIMIT 1",
            )
            .bind(ok)
            .bind(config.dir.is_none())
            .fetch_optional(pool)
        };
        let last_ok = newest(1)
            .await
            .map_err(internal("reading the backup runs failed"))?
            .and_then(run_from);
        let last_failure = newest(0)
            .await
            .map_err(internal("reading the backup runs failed"))?
            .and_then(run_from);
        let failed_since = last_failure.filter(|failure| {
            last_ok
                .as_ref()
                .is_none_or(|ok| failure.finished_at > ok.finished_at)
        });
        Ok(BackupStatus {
            last_ok,
            failed_since,
            config: config.clone(),
        })
    }

    /// The admins' section of the statistics page, as data.
    pub fn view(&self) -> Backups {
        let schedule = match &self.config.dir {
            Some(_) => format!(
                "Cổng tự sao lưu mỗi {} giờ, giữ bản mới nhất của {} ngày gần nhất và của {} tuần gần nhất.",
                self.config.every.as_secs() / 3600,
                self.config.keep_daily,
                self.config.keep_weekly
            ),
            None => "Chưa bật sao lưu tự động: người quản lý máy chủ đặt PORTAL_BACKUP_DIR khi chạy cổng (README, phần “Operating the portal”). Vẫn có thể sao lưu bằng lệnh server backup.".into(),
        };
        let last_ok = match &self.last_ok {
            Some(Run {
                finished_at,
                outcome: Ok((archive, bytes)),
                trigger,
                ..
            }) => Some(BackupDone {
                finished_at: *finished_at,
                scheduled: *trigger == Trigger::Schedule,
                archive: archive.clone(),
                size: size_text(*bytes),
            }),
            _ => None,
        };
        let failed = match &self.failed_since {
            Some(Run {
                finished_at,
                outcome: Err(message),
                ..
            }) => Some((*finished_at, message.clone())),
            _ => None,
        };
        Backups {
            schedule,
            last_ok,
            failed,
        }
    }
}
