//! Vietnamese display formats: dates dd/mm/yyyy, counts with dot grouping.

/// `2022-03-14 08:00:00` (or `2022-03-14`) as `14/03/2022`. Anything else is shown unchanged.
pub fn date_vn(timestamp: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_show_day_month_year() {
        assert_eq!(date_vn("2022-03-14 08:00:00"), "14/03/2022");
        assert_eq!(date_vn("2021-12-29"), "29/12/2021");
        assert_eq!(date_vn("không phải ngày"), "không phải ngày");
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
}
