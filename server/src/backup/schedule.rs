//! Runs of the backup, recorded, and the old archives pruned.

use std::collections::HashSet;
use std::path::Path;

use app::server::operations::backups::{self, Run, Trigger};
use app::server::time::Clock;
use sqlx::SqlitePool;
use time::OffsetDateTime;

use super::archive::Made;
use super::write::create;

/// A run of `create` and its record: a success with the archive's name and size, or a failure
/// with its reason. Logged either way.
pub async fn run(
    pool: &SqlitePool,
    clock: &Clock,
    media_dir: &Path,
    dir: &Path,
    trigger: Trigger,
) -> Result<Made, String> {
    let started_at = clock.instant();
    let made = create(pool, clock, media_dir, dir).await;
    let outcome = match &made {
        Ok(made) => {
            tracing::info!(archive = %made.path.display(), bytes = made.bytes, files = made.manifest.files.len(), "backup made");
            Ok((
                made.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                i64::try_from(made.bytes).unwrap_or(i64::MAX),
            ))
        }
        Err(reason) => {
            tracing::error!(%reason, dir = %dir.display(), "backup failed");
            Err(reason.clone())
        }
    };
    let record = Run {
        started_at,
        finished_at: clock.instant(),
        outcome,
        trigger,
    };
    if let Err(err) = backups::record(pool, &record).await {
        tracing::error!(%err, "the backup run could not be recorded");
    }
    made
}

/// The archives in `dir` to delete so that the newest archive of each of the last `daily` days
/// and of the last `weekly` ISO weeks stay, and the newest of all in any case. Only archives
/// this portal made and recorded (`made`) count and are ever deleted, and none dated after
/// `now`: a file someone else put there, or named for the future, can neither push the real
/// ones out nor be deleted.
pub fn to_prune(
    names: &[String],
    made: &HashSet<String>,
    now: time::PrimitiveDateTime,
    daily: usize,
    weekly: usize,
) -> Vec<String> {
    let mut dated: Vec<(time::PrimitiveDateTime, &String)> = names
        .iter()
        .filter(|name| made.contains(*name))
        .filter_map(|name| Some((archive_time(name)?, name)))
        .filter(|(at, _)| *at <= now + time::Duration::hours(1))
        .collect();
    dated.sort_by(|a, b| b.cmp(a));
    let mut keep: std::collections::BTreeSet<&String> = std::collections::BTreeSet::new();
    if let Some((_, newest)) = dated.first() {
        keep.insert(newest);
    }
    let mut days = Vec::new();
    let mut weeks = Vec::new();
    for (at, name) in &dated {
        let day = at.date();
        if !days.contains(&day) && days.len() < daily {
            days.push(day);
            keep.insert(name);
        }
        let week = (day.to_iso_week_date().0, day.iso_week());
        if !weeks.contains(&week) && weeks.len() < weekly {
            weeks.push(week);
            keep.insert(name);
        }
    }
    dated
        .iter()
        .filter(|(_, name)| !keep.contains(name))
        .map(|(_, name)| (*name).clone())
        .collect()
}

/// The time in an archive's name `portal-YYYYMMDD-HHMMSS[-N].tar.gz`.
fn archive_time(name: &str) -> Option<time::PrimitiveDateTime> {
    let stem = name.strip_prefix("portal-")?.strip_suffix(".tar.gz")?;
    let (date, rest) = stem.split_at_checked(8)?;
    let clock = rest.strip_prefix('-')?;
    let (clock, n) = clock.split_at_checked(6)?;
    if !(n.is_empty()
        || n.strip_prefix('-')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
    {
        return None;
    }
    let number = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse::<u32>().ok())?
    };
    let (d, c) = (number(date)?, number(clock)?);
    let month = time::Month::try_from(((d / 100) % 100) as u8).ok()?;
    let date = time::Date::from_calendar_date((d / 10_000) as i32, month, (d % 100) as u8).ok()?;
    let clock =
        time::Time::from_hms((c / 10_000) as u8, ((c / 100) % 100) as u8, (c % 100) as u8).ok()?;
    Some(time::PrimitiveDateTime::new(date, clock))
}

/// Removes what an interrupted run left in `dir` (a snapshot or a partial archive, both named
/// with a leading dot) more than an hour ago, so that a run still going on elsewhere keeps its
/// files.
pub fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    // Compared with files' times on disk: the system's clock, not the portal's.
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = (name.starts_with(".snapshot-") && name.ends_with(".db"))
            || (name.starts_with(".portal-") && name.ends_with(".tar.gz.part"));
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < hour_ago);
        if ours && old {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => tracing::info!(file = %name, "removed what an interrupted backup left"),
                Err(err) => {
                    tracing::warn!(%err, file = %name, "cannot remove what an interrupted backup left")
                }
            }
        }
    }
}

/// Deletes what `to_prune` names in `dir`; logs each.
pub fn prune(dir: &Path, made: &HashSet<String>, now: OffsetDateTime, daily: usize, weekly: usize) {
    let names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(err) => {
            tracing::warn!(%err, dir = %dir.display(), "cannot list the backups to remove old ones");
            return;
        }
    };
    let now = now.to_offset(app::format::VIETNAM);
    let now = time::PrimitiveDateTime::new(now.date(), now.time());
    for name in to_prune(&names, made, now, daily, weekly) {
        match std::fs::remove_file(dir.join(&name)) {
            Ok(()) => tracing::info!(archive = %name, "old backup removed"),
            Err(err) => tracing::warn!(%err, archive = %name, "cannot remove an old backup"),
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_names_are_read_exactly() {
        assert!(archive_time("portal-20261130-083000.tar.gz").is_some());
        assert!(archive_time("portal-20261130-083000-2.tar.gz").is_some());
        for other in [
            "portal-20261131-083000.tar.gz",
            "portal-20261130-083000.tar.gz.part",
            ".portal-20261130-083000.tar.gz.part",
            "portal-20261130-250000.tar.gz",
            "portal-20261130-083000-.tar.gz",
            "notes.txt",
        ] {
            assert!(archive_time(other).is_none(), "{other}");
        }
    }

    #[test]
    fn pruning_keeps_the_newest_of_each_recent_day_and_week() {
        // Two a day from Monday 2026-11-02 to Monday 2026-11-30 (ISO weeks 45 to 49).
        let mut names = Vec::new();
        for day in 2..=30 {
            for hour in ["020000", "140000"] {
                names.push(format!("portal-202611{day:02}-{hour}.tar.gz"));
            }
        }
        names.push("notes.txt".into());
        let mut made: HashSet<String> = names.iter().cloned().collect();
        let now = time::macros::datetime!(2026-11-30 15:00);
        // Files this portal did not make, one of them named for the future: ignored.
        names.push("portal-20261130-143000.tar.gz".into());
        names.push("portal-20991201-000000.tar.gz".into());
        made.insert("portal-20991201-000000.tar.gz".into());
        let pruned = to_prune(&names, &made, now, 3, 2);
        let kept: Vec<&String> = names.iter().filter(|n| !pruned.contains(n)).collect();
        assert_eq!(
            kept,
            vec![
                // Sunday 29th: the newest of week 48 as well as of its day.
                "portal-20261128-140000.tar.gz",
                "portal-20261129-140000.tar.gz",
                "portal-20261130-140000.tar.gz",
                "notes.txt",
                "portal-20261130-143000.tar.gz",
                "portal-20991201-000000.tar.gz",
            ]
        );
        // None kept by day or week: the newest still stays.
        assert_eq!(
            to_prune(&names[..2], &made, now, 0, 0),
            vec![names[0].clone()]
        );
    }
}
