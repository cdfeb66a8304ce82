//! What citizens type into the forms, checked: who is writing (name, contact, hamlet), the
//! title and the text, as stored (NFC, no invisible characters, within their limits). Each
//! refusal says why, in Vietnamese.

use unicode_normalization::UnicodeNormalization;

use super::intake::{
    names, MAX_BODY_CHARS, MAX_CONTACT_CHARS, MAX_HAMLET_CHARS, MAX_NAME_CHARS, MAX_TITLE_CHARS,
};
use crate::error::AppError;
use crate::model::questions::Typed;
use crate::server::text::{is_invisible, one_line};

/// Several lines of plain text as stored: NFC, invisible and control characters (but new
/// lines) dropped, at most two new lines in a row, trimmed.
pub fn plain_text(raw: &str) -> String {
    let kept: String = raw
        .nfc()
        .filter(|c| *c == '\n' || !(c.is_control() || is_invisible(*c)))
        .collect();
    let lines: Vec<&str> = kept.lines().map(str::trim_end).collect();
    let mut out = String::new();
    let mut blank = 0;
    for line in lines {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out.trim().to_string()
}

fn required(value: String, label: &str, max: usize) -> Result<String, AppError> {
    if value.is_empty() {
        return Err(AppError::BadRequest(format!("Vui lòng nhập {label}.")));
    }
    let n = value.chars().count();
    if n > max {
        return Err(AppError::BadRequest(format!(
            "{} dài {n} ký tự, quá giới hạn {max} ký tự. Vui lòng rút gọn.",
            capitalised(label)
        )));
    }
    Ok(value)
}

fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A phone number (9 to 12 digits, with spaces, dots, dashes or a leading +) or an e-mail.
pub fn parse_contact(raw: &str) -> Result<String, AppError> {
    let contact = one_line(raw);
    if contact.is_empty() {
        return Ok(contact);
    }
    if contact.chars().count() > MAX_CONTACT_CHARS {
        return Err(AppError::BadRequest(format!(
            "Số điện thoại hoặc thư điện tử dài quá {MAX_CONTACT_CHARS} ký tự."
        )));
    }
    let digits = contact.chars().filter(char::is_ascii_digit).count();
    let phone = (9..=12).contains(&digits)
        && contact.chars().enumerate().all(|(i, c)| {
            c.is_ascii_digit() || matches!(c, ' ' | '.' | '-') || (c == '+' && i == 0)
        });
    if phone || email_of(&contact).is_some() {
        Ok(contact)
    } else {
        Err(AppError::BadRequest(
            "Số điện thoại hoặc thư điện tử chưa đúng: hãy nhập số điện thoại (ví dụ 0912 345 678) \
             hoặc địa chỉ thư điện tử (ví dụ ten@gmail.com), hoặc để trống."
                .into(),
        ))
    }
}

/// The contact, if it is an e-mail address the portal can write to.
pub fn email_of(contact: &str) -> Option<&str> {
    let (user, domain) = contact.split_once('@')?;
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
    };
    (plain(user)
        && plain(domain)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !contact.contains(char::is_whitespace))
    .then_some(contact)
}

/// Who is writing: the three fields both forms share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sender {
    pub name: String,
    pub contact: String,
    pub hamlet: String,
}

impl Sender {
    pub fn parse(typed: &Typed) -> Result<Sender, AppError> {
        Ok(Sender {
            name: required(
                one_line(typed.get(names::NAME)),
                "họ và tên",
                MAX_NAME_CHARS,
            )?,
            contact: parse_contact(typed.get(names::CONTACT))?,
            hamlet: required(
                one_line(typed.get(names::HAMLET)),
                "thôn, xóm hoặc tổ dân phố nơi bạn ở",
                MAX_HAMLET_CHARS,
            )?,
        })
    }
}

/// The text of a question or a comment.
pub fn parse_body(typed: &Typed, label: &str) -> Result<String, AppError> {
    required(plain_text(typed.get(names::BODY)), label, MAX_BODY_CHARS)
}

pub fn parse_title(typed: &Typed) -> Result<String, AppError> {
    required(
        one_line(typed.get(names::TITLE)),
        "tiêu đề câu hỏi",
        MAX_TITLE_CHARS,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_a_phone_or_an_email_or_nothing() {
        for ok in ["", "0912 345 678", "+84 912.345.678", "an.nguyen@gmail.com"] {
            assert!(parse_contact(ok).is_ok(), "{ok}");
        }
        for bad in [
            "12345",
            "abc",
            "an@",
            "@x.vn",
            "an@gmail",
            "0912 345 678 999 11",
            "a b@x.vn",
        ] {
            assert!(parse_contact(bad).is_err(), "{bad}");
        }
        assert_eq!(email_of("an.nguyen@gmail.com"), Some("an.nguyen@gmail.com"));
        assert_eq!(email_of("0912345678"), None);
    }

    #[test]
    fn text_keeps_its_lines_and_loses_what_hides() {
        assert_eq!(
            plain_text("  Xin hỏi:\r\n\r\n\r\n  thủ tục\u{202E} làm\u{200B} sổ?  "),
            "Xin hỏi:\n\n  thủ tục làm sổ?"
        );
        assert_eq!(plain_text("Nguye\u{302}\u{303}n"), "Nguyễn");
        let sender = Sender::parse(&Typed::of(&[(names::NAME, " "), (names::HAMLET, "Đông")]));
        assert!(sender.unwrap_err().to_string().contains("họ và tên"));
        let long = "a".repeat(MAX_BODY_CHARS + 1);
        let err = parse_body(&Typed::of(&[(names::BODY, &long)]), "nội dung câu hỏi").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Nội dung câu hỏi dài 2001 ký tự"),
            "{err}"
        );
    }
}
