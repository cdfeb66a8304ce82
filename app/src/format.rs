//! Vietnamese display formats: dates dd/mm/yyyy, counts with dot grouping.

/// The Vietnam day of a UTC timestamp `2022-03-14 20:00:00` (`15/03/2022`: 03:00 there), or a
/// calendar date `2022-03-14` as it is (`14/03/2022`). Anything else is shown unchanged. A day
/// is never cut out of a UTC timestamp: from 00:00 to 06:59 in Vietnam, UTC is still yesterday.
pub fn date_vn(timestamp: &str) -> String {
    if timestamp.len() >= 16 {
        let local = datetime_vn(timestamp);
        if local != timestamp {
            return local.get(..10).unwrap_or(&local).to_string();
        }
    }
    let date = timestamp.get(..10).unwrap_or(timestamp);
    let mut parts = date.split('-');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d), None)
            if y.len() == 4
                && m.len() == 2
                && d.len() == 2
                && date.bytes().all(|b| b.is_ascii_digit() || b == b'-') =>
        {
            format!("{d}/{m}/{y}")
        }
        _ => timestamp.to_string(),
    }
}

/// The `datetime` attribute of a `<time>`: a UTC timestamp as `2022-03-14T01:05:00Z` (the
/// instant, not a day cut out of it), a calendar date as it is.
pub fn time_attr(timestamp: &str) -> String {
    match timestamp.split_once(' ') {
        Some((day, time)) if day.len() == 10 && time.len() == 8 => format!("{day}T{time}Z"),
        _ => timestamp.get(..10).unwrap_or(timestamp).to_string(),
    }
}

/// A UTC timestamp `2022-03-14 01:05:00` as Vietnam's local time, `14/03/2022 08:05`
/// (UTC+7, no daylight saving). Anything else is shown unchanged.
pub fn datetime_vn(utc: &str) -> String {
    let number = |range: std::ops::Range<usize>| utc.get(range)?.parse::<u32>().ok();
    let parsed = (|| {
        let (y, m, d) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let (h, min) = (number(11..13)?, number(14..16)?);
        (utc.len() >= 16 && (1..=12).contains(&m) && d >= 1 && h < 24 && min < 60)
            .then_some((y, m, d, h, min))
    })();
    let Some((mut y, mut m, mut d, h, min)) = parsed else {
        return utc.to_string();
    };
    let mut h = h + 7;
    if h >= 24 {
        h -= 24;
        d += 1;
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days = match m {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if d > days {
            d = 1;
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
        }
    }
    format!("{d:02}/{m:02}/{y:04} {h:02}:{min:02}")
}

/// Days since 1970-01-01 of a `YYYY-MM-DD...` date (Howard Hinnant's days_from_civil), with
/// its year, month and day; None if it is not such a date.
pub fn civil_days(date: &str) -> Option<(i64, i64, i64, i64)> {
    let number = |range: std::ops::Range<usize>| date.get(range)?.parse::<i64>().ok();
    let (y, m, d) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let shifted = if m <= 2 { y - 1 } else { y };
    let era = shifted.div_euclid(400);
    let yoe = shifted - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468, y, m, d))
}

/// Day of the week of a day count: 0 is Sunday (1970-01-01 was a Thursday).
pub fn weekday(days: i64) -> usize {
    (days + 4).rem_euclid(7) as usize
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
    let encoded = percent_encoding::utf8_percent_encode(text, RESERVED).to_string();
    if space == "%20" {
        encoded
    } else {
        // A literal space is `%20` here, a literal `+` is `%2B`: the swap is exact.
        encoded.replace("%20", space)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_and_weekdays() {
        assert_eq!(civil_days("1970-01-01"), Some((0, 1970, 1, 1)));
        assert_eq!(civil_days("2022-03-14 08:00:00").map(|d| d.0), Some(19_065));
        assert_eq!(
            civil_days("2022-03-14").map(|d| weekday(d.0)),
            Some(1),
            "a Monday"
        );
        assert_eq!(civil_days("2022-13-01"), None);
        assert_eq!(civil_days("hôm nay"), None);
    }

    #[test]
    fn times_are_shown_in_vietnam() {
        assert_eq!(datetime_vn("2022-03-14 01:05:00"), "14/03/2022 08:05");
        assert_eq!(datetime_vn("2024-02-28 17:00:00"), "29/02/2024 00:00");
        assert_eq!(datetime_vn("2023-02-28 17:30:00"), "01/03/2023 00:30");
        assert_eq!(datetime_vn("2025-12-31 20:59:59"), "01/01/2026 03:59");
        assert_eq!(datetime_vn("hôm qua"), "hôm qua");
    }

    #[test]
    fn dates_show_day_month_year() {
        assert_eq!(date_vn("2022-03-14 08:00:00"), "14/03/2022");
        assert_eq!(date_vn("2021-12-29"), "29/12/2021");
        assert_eq!(date_vn("không phải ngày"), "không phải ngày");
        // 01:33 on 30/11 in Vietnam is still 29/11 in UTC.
        assert_eq!(date_vn("2026-11-29 18:33:00"), "30/11/2026");
        assert_eq!(date_vn("2026-11-29 16:59:59"), "29/11/2026");
        assert_eq!(date_vn("2026-11-29 17:00:00"), "30/11/2026");
        assert_eq!(date_vn("2026-12-31 17:00:00"), "01/01/2027");
        assert_eq!(date_vn("2024-02-28 18:00:00"), "29/02/2024");
        assert_eq!(date_vn("2023-02-28 18:00:00"), "01/03/2023");
        assert_eq!(time_attr("2026-11-29 18:33:00"), "2026-11-29T18:33:00Z");
        assert_eq!(time_attr("2021-12-29"), "2021-12-29");
        assert_eq!(date_vn(""), "");
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
