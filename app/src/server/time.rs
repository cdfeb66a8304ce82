//! Time as the portal stores and counts it: Unix seconds, UTC timestamps `YYYY-MM-DD HH:MM:SS`,
//! and days of Vietnam's calendar (UTC+7, no daylight saving). A leaf: it needs nothing else.

use std::time::{SystemTime, UNIX_EPOCH};

use time::macros::format_description;
use time::{Date, OffsetDateTime};

use crate::format::{parse_utc, VIETNAM};

/// A day as a number: days since 1970-01-01.
pub type Day = i64;

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The portal's clock, held in its state: the system's time, moved by an offset that only
/// tests set (`advance`), so a test can reach tomorrow, a deadline or the year's end without
/// sleeping. Every "now" of the portal, in Rust and in SQL (passed as a parameter, never
/// SQLite's `'now'`), is read here. Clones share one offset.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl Clock {
    /// Unix seconds now.
    pub fn now(&self) -> u64 {
        let offset = self.offset.load(std::sync::atomic::Ordering::Relaxed);
        unix_now().saturating_add_signed(offset)
    }

    /// Now as stored: UTC `YYYY-MM-DD HH:MM:SS`, the value SQL compares timestamps with.
    pub fn stored(&self) -> String {
        utc_timestamp(self.now())
    }

    /// Today in Vietnam.
    pub fn today(&self) -> Day {
        day_of(self.now())
    }

    /// Moves this clock (and every clone of it) `seconds` ahead (or back, if negative).
    pub fn advance(&self, seconds: i64) {
        self.offset
            .fetch_add(seconds, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Bytes as lowercase hexadecimal: tokens, digests, signatures.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

fn instant(unix: u64) -> OffsetDateTime {
    i64::try_from(unix)
        .ok()
        .and_then(|secs| OffsetDateTime::from_unix_timestamp(secs).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `YYYY-MM-DD HH:MM:SS` in UTC, the form timestamps are stored in.
pub fn utc_timestamp(unix: u64) -> String {
    stored(instant(unix))
}

/// An instant as stored, UTC `YYYY-MM-DD HH:MM:SS`.
pub fn stored(instant: OffsetDateTime) -> String {
    instant
        .to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second]"
        ))
        .unwrap_or_default()
}

/// The Vietnam day `unix` falls on.
pub fn day_of(unix: u64) -> Day {
    i64::from(instant(unix).to_offset(VIETNAM).date().to_julian_day()) - UNIX_EPOCH_JULIAN_DAY
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01).
pub fn day_text(day: Day) -> String {
    i32::try_from(day + UNIX_EPOCH_JULIAN_DAY)
        .ok()
        .and_then(|julian| Date::from_julian_day(julian).ok())
        .and_then(|date| {
            date.format(format_description!("[year]-[month]-[day]"))
                .ok()
        })
        .unwrap_or_default()
}

/// A stored UTC timestamp as the value of a `datetime-local` input in Vietnam's time:
/// `2022-03-14 08:00:00` is `2022-03-14T15:00`.
pub fn local_input(utc: &str) -> Option<String> {
    parse_utc(utc)?
        .to_offset(VIETNAM)
        .format(format_description!("[year]-[month]-[day]T[hour]:[minute]"))
        .ok()
}

/// Now as the value of a `datetime-local` input in Vietnam's time.
pub fn local_input_now() -> String {
    local_input(&utc_timestamp(unix_now())).unwrap_or_default()
}

/// A `datetime-local` value `2022-03-14T15:00`, read as Vietnam's time, as the stored UTC
/// timestamp `2022-03-14 08:00:00`; None if it is no real moment (31/02, 25:00).
pub fn from_local_input(local: &str) -> Option<String> {
    let instant = parse_utc(local)?.replace_offset(VIETNAM);
    utc_timestamp(u64::try_from(instant.unix_timestamp()).ok()?).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_moved_ahead_reaches_the_next_vietnamese_day() {
        let clock = Clock::default();
        let shared = clock.clone();
        let today = clock.today();
        shared.advance(86_400);
        assert_eq!(clock.today(), today + 1);
        assert!(clock.stored() > utc_timestamp(unix_now()));
        assert_eq!(hex(&[0, 15, 16, 255]), "000f10ff");
    }

    #[test]
    fn days_are_vietnamese_calendar_days() {
        assert_eq!(day_text(0), "1970-01-01");
        assert_eq!(day_text(19_065), "2022-03-14");
        assert_eq!(day_text(11_016), "2000-02-29");
        // 2024-03-01 16:59:59 UTC is 23:59:59 in Hưng Yên; one second later is the 2nd there.
        assert_eq!(day_text(day_of(1_709_312_399)), "2024-03-01");
        assert_eq!(day_text(day_of(1_709_312_400)), "2024-03-02");
        assert_eq!(utc_timestamp(1_709_312_399), "2024-03-01 16:59:59");
        assert_eq!(
            day_text(day_of(1_735_664_400)),
            "2025-01-01",
            "17:00 UTC on 31/12"
        );
    }

    #[test]
    fn publication_times_are_typed_in_vietnam_and_stored_in_utc() {
        assert_eq!(
            from_local_input("2022-03-14T15:00").as_deref(),
            Some("2022-03-14 08:00:00")
        );
        assert_eq!(
            from_local_input("2025-01-01T03:30").as_deref(),
            Some("2024-12-31 20:30:00")
        );
        assert_eq!(from_local_input("2023-02-29T10:00"), None);
        assert_eq!(from_local_input("2023-02-28T24:00"), None);
        assert_eq!(from_local_input("mai"), None);
        assert_eq!(
            local_input("2024-12-31 20:30:00").as_deref(),
            Some("2025-01-01T03:30")
        );
    }
}
