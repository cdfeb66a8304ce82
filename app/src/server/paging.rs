//! Pages of a list: the `?trang=` value citizens see in addresses. A leaf.

use crate::error::AppError;

/// Longest page number accepted, in digits; longer input is refused before parsing.
const MAX_PAGE_DIGITS: usize = 9;

/// The `?trang=` value of a list: absent means the first page.
pub fn parse_page(raw: Option<&str>) -> Result<i64, AppError> {
    let Some(raw) = raw.map(str::trim) else {
        return Ok(1);
    };
    let invalid = || {
        AppError::BadRequest(
            "Số trang không hợp lệ: số trang phải là một số nguyên dương, ví dụ ?trang=2.".into(),
        )
    };
    if raw.is_empty() || raw.len() > MAX_PAGE_DIGITS || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    match raw.parse::<i64>() {
        Ok(page) if page >= 1 => Ok(page),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_parse_or_explain() {
        assert_eq!(parse_page(None), Ok(1));
        assert_eq!(parse_page(Some("1")), Ok(1));
        assert_eq!(parse_page(Some(" 12 ")), Ok(12));
        for bad in ["", "0", "-1", "abc", "1.5", "2e3", "9999999999", "+3"] {
            assert!(
                matches!(parse_page(Some(bad)), Err(AppError::BadRequest(_))),
                "{bad:?} should be refused"
            );
        }
    }
}
