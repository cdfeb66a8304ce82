//! Time as the portal stores and counts it: Unix seconds, UTC timestamps `YYYY-MM-DD HH:MM:SS`,
//! and days of Vietnam's calendar (UTC+7, no daylight saving). A leaf: it needs nothing else.

use std::time::{SystemTime, UNIX_EPOCH};

/// Vietnam is UTC+7 all year.
pub const VIETNAM_OFFSET_SECS: u64 = 7 * 3600;

/// A day as a number: days since 1970-01-01.
pub type Day = i64;

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `YYYY-MM-DD HH:MM:SS` in UTC, the form timestamps are stored in.
pub fn utc_timestamp(unix: u64) -> String {
    let secs = unix % 86_400;
    format!(
        "{} {:02}:{:02}:{:02}",
        day_text((unix / 86_400) as Day),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

pub fn day_of(unix: u64) -> Day {
    ((unix + VIETNAM_OFFSET_SECS) / 86_400) as Day
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01), proleptic Gregorian.
pub fn day_text(day: Day) -> String {
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_vietnamese_calendar_days() {
        assert_eq!(day_text(0), "1970-01-01");
        assert_eq!(day_text(19_065), "2022-03-14");
        assert_eq!(day_text(11_016), "2000-02-29");
        // 2024-03-01 16:59:59 UTC is 23:59:59 in Hưng Yên; one second later is the 2nd there.
        assert_eq!(day_text(day_of(1_709_312_399)), "2024-03-01");
        assert_eq!(day_text(day_of(1_709_312_400)), "2024-03-02");
        assert_eq!(utc_timestamp(1_709_312_399), "2024-03-01 16:59:59");
    }
}
