//! Time as the portal stores and counts it: Unix seconds, UTC timestamps `YYYY-MM-DD HH:MM:SS`,
//! and days of Vietnam's calendar (UTC+7, no daylight saving), with the one clock every "now"
//! is read from. A leaf: it needs nothing else.

use std::time::{SystemTime, UNIX_EPOCH};

use time::macros::format_description;
use time::OffsetDateTime;

use crate::format::{parse_utc, VIETNAM};

/// The portal's one day type: a date of Vietnam's calendar.
pub use crate::model::Day;

/// The system's time in Unix seconds, unmoved. Only [`Clock`] reads it; code that needs "now"
/// takes the state's clock instead, so tests can move it.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The portal's clock, held in its state: the system's time, moved by an offset that only
/// tests set (`advance`), so a test can reach tomorrow, a deadline or the year's end without
/// sleeping. Every "now" of the portal, in Rust and in SQL (passed as a parameter, never
/// SQLite's `'now'`), is read here. Clones share one offset.
///
/// Timers that wait for a moment by this clock (the publishing timer) also wait for
/// [`Clock::moved`], so a moved clock wakes them instead of their real-time sleep running on.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset: std::sync::Arc<std::sync::atomic::AtomicI64>,
    moved: std::sync::Arc<tokio::sync::Notify>,
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

    /// Now as an instant, for code that computes with dates.
    pub fn instant(&self) -> OffsetDateTime {
        instant(self.now())
    }

    /// Today in Vietnam.
    pub fn today(&self) -> Day {
        day_of(self.now())
    }

    /// Now as the value of a `datetime-local` input in Vietnam's time.
    pub fn local_input(&self) -> String {
        local_input(&self.stored()).unwrap_or_default()
    }

    /// Moves this clock (and every clone of it) `seconds` ahead (or back, if negative).
    pub fn advance(&self, seconds: i64) {
        self.offset
            .fetch_add(seconds, std::sync::atomic::Ordering::Relaxed);
        self.moved.notify_waiters();
    }

    /// Resolves at the next [`Clock::advance`]. Enable it (`Notified::enable`) before reading
    /// the time it is to guard, so a move in between is not missed.
    pub fn moved(&self) -> tokio::sync::futures::Notified<'_> {
        self.moved.notified()
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
    instant(unix).to_offset(VIETNAM).date()
}

/// A day as stored, `YYYY-MM-DD`.
pub fn day_text(day: Day) -> String {
    day.format(format_description!("[year]-[month]-[day]"))
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
        assert_eq!(clock.today(), today.next_day().unwrap());
        assert!(clock.stored() > utc_timestamp(unix_now()));
        assert_eq!(hex(&[0, 15, 16, 255]), "000f10ff");
    }

    #[test]
    fn days_are_vietnamese_calendar_days() {
        assert_eq!(day_text(day_of(0)), "1970-01-01");
        assert_eq!(day_text(time::macros::date!(2000 - 02 - 29)), "2000-02-29");
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
