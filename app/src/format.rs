//! Vietnamese display formats: dates dd/mm/yyyy, counts with dot grouping.

use time::macros::offset;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Vietnam's offset from UTC: +07:00 all year, no daylight saving.
pub const VIETNAM: UtcOffset = offset!(+7);

/// The number written in `text[range]` with digits only (no sign, no space).
fn digits(text: &str, range: std::ops::Range<usize>) -> Option<u16> {
    let digits = text.get(range)?;
    digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())?
}

/// A calendar date `YYYY-MM-DD` (anything after the tenth character is ignored), checked by
/// the calendar: `2023-02-29` is None.
pub fn parse_date(text: &str) -> Option<Date> {
    if text.get(4..5) != Some("-") || text.get(7..8) != Some("-") {
        return None;
    }
    let small = |range| u8::try_from(digits(text, range)?).ok();
    let month = Month::try_from(small(5..7)?).ok()?;
    Date::from_calendar_date(i32::from(digits(text, 0..4)?), month, small(8..10)?).ok()
}

/// A stored UTC timestamp `YYYY-MM-DD HH:MM:SS` (a `T` for the space and no seconds also
/// do) as an instant.
pub fn parse_utc(text: &str) -> Option<OffsetDateTime> {
    if !matches!(text.get(10..11), Some(" " | "T")) || text.get(13..14) != Some(":") {
        return None;
    }
    let small = |range| u8::try_from(digits(text, range)?).ok();
    let seconds = match text.get(16..) {
        None | Some("") => 0,
        Some(rest) if rest.starts_with(':') => small(17..19)?,
        Some(_) => return None,
    };
    let time = Time::from_hms(small(11..13)?, small(14..16)?, seconds).ok()?;
    Some(PrimitiveDateTime::new(parse_date(text)?, time).assume_utc())
}

/// `2022-03-14`.
pub fn iso_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// `14/03/2022`.
pub fn date_text(date: Date) -> String {
    format!(
        "{:02}/{:02}/{:04}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// What has a day in Vietnam's calendar: an instant (the day it is there, not the UTC day) or
/// a calendar date (itself).
pub trait VietnamDay {
    fn vietnam_date(&self) -> Date;
}

impl VietnamDay for OffsetDateTime {
    fn vietnam_date(&self) -> Date {
        self.to_offset(VIETNAM).date()
    }
}

impl VietnamDay for Date {
    fn vietnam_date(&self) -> Date {
        *self
    }
}

/// The Vietnam day, `15/03/2022`. A day is never cut out of a UTC timestamp: from 00:00 to
/// 06:59 in Vietnam, UTC is still yesterday.
pub fn date_vn(when: &impl VietnamDay) -> String {
    date_text(when.vietnam_date())
}

/// The `datetime` attribute of a `<time>`: an instant as `2022-03-14T01:05:00Z` (the instant,
/// not a day cut out of it).
pub fn time_attr(instant: &OffsetDateTime) -> String {
    let utc = instant.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    )
}

/// An instant in Vietnam's local time, `14/03/2022 08:05`.
pub fn datetime_vn(instant: &OffsetDateTime) -> String {
    let local = instant.to_offset(VIETNAM);
    format!(
        "{} {:02}:{:02}",
        date_text(local.date()),
        local.hour(),
        local.minute()
    )
}

/// `30/11/2026 16:04:21` (Vietnam time), to the second: for moments that must be told apart
/// within a minute (a failed backup and the next one).
pub fn datetime_seconds_vn(instant: &OffsetDateTime) -> String {
    let local = instant.to_offset(VIETNAM);
    format!(
        "{} {:02}:{:02}:{:02}",
        date_text(local.date()),
        local.hour(),
        local.minute(),
        local.second()
    )
}

/// `42359882` as `42.359.882`.
pub fn count_vn(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A phone number as a `tel:` link dials it: its digits and a leading `+`, nothing else.
pub fn dial(phone: &str) -> String {
    phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// Text for a URL query value: letters, digits and `-_.~` stay, the rest is percent-encoded
/// as UTF-8 (a space as `+`).
pub fn query_value(text: &str) -> String {
    percent_encode(text, "+")
}

/// A URL path segment: as a query value, but a space is `%20` (a `+` in a path is a plus).
pub fn path_segment(text: &str) -> String {
    percent_encode(text, "%20")
}

/// What stays as it is in a query value or a path segment: letters, digits and `-_.~`
/// (RFC 3986's unreserved characters); everything else is percent-encoded as UTF-8.
const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn percent_encode(text: &str, space: &str) -> String {
    // A literal space is `%20` here and a literal `+` is `%2B`: the swap is exact.
    percent_encoding::utf8_percent_encode(text, RESERVED)
        .to_string()
        .replace("%20", space)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_by_the_calendar() {
        assert_eq!(
            parse_date("2024-02-29"),
            Date::from_calendar_date(2024, Month::February, 29).ok()
        );
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2022-13-01"), None);
        assert_eq!(parse_date("2022-3-14"), None);
        assert_eq!(parse_date("hôm nay"), None);
        assert_eq!(parse_utc("2022-03-14 25:00:00"), None);
        assert_eq!(
            parse_utc("2022-03-14T01:05").map(|t| t.unix_timestamp()),
            Some(1_647_219_900)
        );
    }

    fn utc(text: &str) -> OffsetDateTime {
        parse_utc(text).unwrap()
    }

    #[test]
    fn times_are_shown_in_vietnam() {
        assert_eq!(datetime_vn(&utc("2022-03-14 01:05:00")), "14/03/2022 08:05");
        assert_eq!(datetime_vn(&utc("2024-02-28 17:00:00")), "29/02/2024 00:00");
        assert_eq!(datetime_vn(&utc("2023-02-28 17:30:00")), "01/03/2023 00:30");
        assert_eq!(datetime_vn(&utc("2025-12-31 20:59:59")), "01/01/2026 03:59");
    }

    #[test]
    fn dates_show_day_month_year() {
        assert_eq!(date_vn(&utc("2022-03-14 08:00:00")), "14/03/2022");
        assert_eq!(date_vn(&parse_date("2021-12-29").unwrap()), "29/12/2021");
        // 01:33 on 30/11 in Vietnam is still 29/11 in UTC.
        assert_eq!(date_vn(&utc("2026-11-29 18:33:00")), "30/11/2026");
        assert_eq!(date_vn(&utc("2026-11-29 16:59:59")), "29/11/2026");
        assert_eq!(date_vn(&utc("2026-11-29 17:00:00")), "30/11/2026");
        assert_eq!(date_vn(&utc("2026-12-31 17:00:00")), "01/01/2027");
        assert_eq!(date_vn(&utc("2024-02-28 18:00:00")), "29/02/2024");
        assert_eq!(date_vn(&utc("2023-02-28 18:00:00")), "01/03/2023");
        assert_eq!(
            time_attr(&utc("2026-11-29 18:33:00")),
            "2026-11-29T18:33:00Z"
        );
    }

    #[test]
    fn counts_group_thousands_with_dots() {
        assert_eq!(count_vn(0), "0");
        assert_eq!(count_vn(6), "6");
        assert_eq!(count_vn(999), "999");
        assert_eq!(count_vn(1000), "1.000");
        assert_eq!(count_vn(42_359_882), "42.359.882");
        assert_eq!(count_vn(1_000_000), "1.000.000");
        assert_eq!(count_vn(-1234), "-1.234");
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            query_value("kế hoạch 19/KH"),
            "k%E1%BA%BF+ho%E1%BA%A1ch+19%2FKH"
        );
        assert_eq!(query_value("a&b=c#d"), "a%26b%3Dc%23d");
        assert_eq!(query_value("1+1 ~x"), "1%2B1+~x");
        assert_eq!(path_segment("báo cáo+1.pdf"), "b%C3%A1o%20c%C3%A1o%2B1.pdf");
    }
}
