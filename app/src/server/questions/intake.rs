//! What stands between the citizens' forms (a question, a comment on a draft) and the database,
//! with no third-party service: a signed ticket in each form that carries when it was given out
//! and a small sum to answer in words (readable by a screen reader, no JavaScript), a field
//! people never see and bots fill in, a minimum time on the form, a limit per address per hour,
//! and limits on every field. Each refusal says why, in Vietnamese.

use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use unicode_normalization::UnicodeNormalization;

use crate::error::AppError;
use crate::server::accounts::auth::{random_bytes, random_hex};
use crate::server::internal;
use crate::server::text::{is_invisible, one_line};

/// A form older than this is refused (and given again with what was typed).
const TICKET_LIFETIME_SECS: u64 = 24 * 60 * 60;

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_CONTACT_CHARS: usize = 100;
pub const MAX_HAMLET_CHARS: usize = 100;
pub const MAX_TITLE_CHARS: usize = 200;
/// As long as a post's lead may be: the question becomes the lead of its answer's post.
pub const MAX_BODY_CHARS: usize = 2000;
/// The largest file a citizen may send with a question.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// The names of the form's fields, shared by the forms and their handlers.
pub mod names {
    pub const NAME: &str = "ho-ten";
    pub const CONTACT: &str = "lien-he";
    pub const HAMLET: &str = "thon";
    pub const FIELD: &str = "linh-vuc";
    pub const TITLE: &str = "tieu-de";
    pub const BODY: &str = "chi-tiet";
    pub const FILE: &str = "tep";
    pub const TICKET: &str = "phieu";
    pub const ANSWER: &str = "tra-loi-kiem-tra";
    /// The field people do not see.
    pub const TRAP: &str = "trang-web";
}

/// The guard of the citizens' forms: the key tickets are signed with (new at each start, so a
/// form given out before a restart is refused as expired and given again), the tickets already
/// used (each is good for one sending), and the limits.
#[derive(Clone)]
pub struct FormGuard {
    key: [u8; 32],
    used: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, u64>>>,
    /// The least time between giving out a form and its sending, in seconds.
    pub min_seconds: u64,
    /// Questions and comments one address may send in an hour.
    pub per_hour: i64,
}

/// A form's ticket: its signed token and the sum it asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    pub token: String,
    pub a: u8,
    pub b: u8,
}

impl Ticket {
    /// "Bảy cộng hai bằng mấy?"
    pub fn question(&self) -> String {
        let mut text = format!(
            "{} cộng {} bằng mấy?",
            number_word(self.a),
            number_word(self.b)
        );
        if let Some(first) = text.get(..1) {
            let upper = first.to_uppercase();
            text.replace_range(..1, &upper);
        }
        text
    }
}

fn number_word(n: u8) -> &'static str {
    [
        "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    ][usize::from(n % 10)]
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC-SHA-256 (RFC 2104) of `message` under `key`.
fn hmac(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(key);
    let pad = |byte: u8| block.map(|k| k ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// Equal without telling, by its time, how much of it was.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FormGuard {
    pub fn new(min_seconds: u64, per_hour: i64) -> FormGuard {
        FormGuard {
            key: random_bytes::<32>(),
            used: Default::default(),
            min_seconds,
            per_hour,
        }
    }

    fn sum_of(&self, nonce: &str) -> (u8, u8) {
        let mac = hmac(&self.key, format!("sum.{nonce}").as_bytes());
        (1 + mac[0] % 9, 1 + mac[1] % 9)
    }

    /// A new ticket, given out at `now` (Unix seconds).
    pub fn ticket(&self, now: u64) -> Ticket {
        let nonce = random_hex(12);
        let signed = format!("{now}.{nonce}");
        let mac = hex(&hmac(&self.key, signed.as_bytes()));
        let (a, b) = self.sum_of(&nonce);
        Ticket {
            token: format!("{signed}.{mac}"),
            a,
            b,
        }
    }

    /// The ticket a form came back with, if it is one of ours.
    fn read(&self, token: &str) -> Option<(u64, Ticket)> {
        let mut parts = token.splitn(3, '.');
        let (issued, nonce, mac) = (parts.next()?, parts.next()?, parts.next()?);
        let signed = format!("{issued}.{nonce}");
        let expected = hex(&hmac(&self.key, signed.as_bytes()));
        if !same(expected.as_bytes(), mac.as_bytes()) {
            return None;
        }
        let (a, b) = self.sum_of(nonce);
        Some((
            issued.parse().ok()?,
            Ticket {
                token: token.to_string(),
                a,
                b,
            },
        ))
    }

    /// Checks the ticket, the sum, the hidden field and the time taken, in that order.
    pub fn check(&self, typed: &Typed, now: u64) -> Result<(), AppError> {
        if !typed.get(names::TRAP).trim().is_empty() {
            return Err(AppError::BadRequest(
                "Không gửi được: ô “Để trống ô này” phải để trống. Vui lòng xóa nội dung ô đó rồi gửi lại."
                    .into(),
            ));
        }
        let Some((issued, ticket)) = self.read(typed.get(names::TICKET)) else {
            return Err(AppError::BadRequest(
                "Biểu mẫu đã hết hạn (máy chủ vừa khởi động lại hoặc biểu mẫu đã mở quá lâu). \
                 Nội dung bạn nhập vẫn còn: vui lòng trả lời lại câu hỏi kiểm tra rồi gửi."
                    .into(),
            ));
        };
        if now > issued + TICKET_LIFETIME_SECS {
            return Err(AppError::BadRequest(
                "Biểu mẫu đã mở quá một ngày nên đã hết hạn. Nội dung bạn nhập vẫn còn: \
                 vui lòng trả lời lại câu hỏi kiểm tra rồi gửi."
                    .into(),
            ));
        }
        let answer = typed.get(names::ANSWER).trim();
        let expected = u32::from(ticket.a) + u32::from(ticket.b);
        if answer.parse::<u32>().ok() != Some(expected) {
            return Err(AppError::BadRequest(if answer.is_empty() {
                "Vui lòng trả lời câu hỏi kiểm tra (viết bằng chữ số, ví dụ 7).".into()
            } else {
                "Câu trả lời kiểm tra chưa đúng. Vui lòng tính lại phép cộng mới và viết kết quả \
                 bằng chữ số."
                    .into()
            }));
        }
        if now < issued + self.min_seconds {
            return Err(AppError::BadRequest(format!(
                "Biểu mẫu được gửi quá nhanh (dưới {} giây sau khi mở). Vui lòng kiểm tra lại \
                 nội dung rồi gửi lại.",
                self.min_seconds
            )));
        }
        self.spend(&ticket.token, issued, now)
    }

    /// Marks a ticket used; refuses one used before. Tickets past their lifetime are forgotten
    /// (they are refused as expired anyway), so the list holds at most a day's tickets.
    fn spend(&self, token: &str, issued: u64, now: u64) -> Result<(), AppError> {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        if used.len() >= 10_000 {
            used.retain(|_, at| *at + TICKET_LIFETIME_SECS >= now);
        }
        if used.insert(token.to_string(), issued).is_some() {
            return Err(AppError::BadRequest(
                "Biểu mẫu này đã được gửi một lần. Nội dung bạn nhập vẫn còn: vui lòng trả lời \
                 lại câu hỏi kiểm tra rồi gửi."
                    .into(),
            ));
        }
        Ok(())
    }

    /// What the database keeps of an address: a keyed hash, for the limit only.
    pub fn sender(&self, ip: &str) -> String {
        hex(&hmac(&self.key, format!("sender.{ip}").as_bytes())[..16])
    }

    /// Refuses an address that has sent its hour's share of questions and comments.
    pub async fn check_limit(
        &self,
        pool: &SqlitePool,
        sender: &str,
        now: u64,
    ) -> Result<(), AppError> {
        let since = crate::server::time::utc_timestamp(now.saturating_sub(3600));
        let sent: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM questions WHERE sender = ?1 AND received_at > ?2)
                  + (SELECT COUNT(*) FROM draft_comments WHERE sender = ?1 AND received_at > ?2)",
        )
        .bind(sender)
        .bind(since)
        .fetch_one(pool)
        .await
        .map_err(internal("counting an address's questions"))?;
        if sent >= self.per_hour {
            return Err(AppError::TooManyAttempts(format!(
                "Từ địa chỉ mạng của bạn đã có {sent} câu hỏi, góp ý được gửi trong một giờ qua. \
                 Vui lòng gửi lại sau một giờ. Nội dung bạn nhập vẫn còn bên dưới."
            )));
        }
        Ok(())
    }
}

/// What a citizen typed into a form, by field name, as sent (kept to show it again).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Typed(pub Vec<(String, String)>);

impl Typed {
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Keeps `value` for `name` (the last one sent wins).
    pub fn set(&mut self, name: &str, value: String) {
        self.0.retain(|(n, _)| n != name);
        self.0.push((name.to_string(), value));
    }
}

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

    fn typed(pairs: &[(&str, &str)]) -> Typed {
        Typed(
            pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn filled(ticket: &Ticket, answer: &str) -> Typed {
        typed(&[
            (names::TICKET, &ticket.token),
            (names::ANSWER, answer),
            (names::TRAP, ""),
        ])
    }

    #[test]
    fn a_ticket_asks_a_sum_in_words_and_checks_the_answer_and_the_time() {
        let guard = FormGuard::new(5, 5);
        let ticket = guard.ticket(1000);
        assert!((1..=9).contains(&ticket.a) && (1..=9).contains(&ticket.b));
        assert!(ticket.question().ends_with("bằng mấy?"));
        assert!(!ticket.question().chars().any(|c| c.is_ascii_digit()));
        let right = (ticket.a + ticket.b).to_string();
        assert!(guard.check(&filled(&ticket, &right), 1005).is_ok());
        // Once.
        let again = guard.check(&filled(&ticket, &right), 1006).unwrap_err();
        assert!(again.to_string().contains("đã được gửi một lần"), "{again}");
        let ticket = guard.ticket(1000);
        let right = (ticket.a + ticket.b).to_string();
        // Too fast, wrong, empty, expired.
        let err = guard.check(&filled(&ticket, &right), 1002).unwrap_err();
        assert!(err.to_string().contains("quá nhanh"), "{err}");
        let wrong = (ticket.a + ticket.b + 1).to_string();
        assert!(guard
            .check(&filled(&ticket, &wrong), 1005)
            .unwrap_err()
            .to_string()
            .contains("chưa đúng"));
        assert!(guard
            .check(&filled(&ticket, ""), 1005)
            .unwrap_err()
            .to_string()
            .contains("Vui lòng trả lời"));
        assert!(guard
            .check(&filled(&ticket, &right), 1000 + 86_401)
            .unwrap_err()
            .to_string()
            .contains("hết hạn"));
    }

    #[test]
    fn a_forged_or_foreign_ticket_and_a_filled_trap_are_refused() {
        let guard = FormGuard::new(0, 5);
        let other = FormGuard::new(0, 5);
        let ticket = other.ticket(1000);
        let answer = (ticket.a + ticket.b).to_string();
        assert!(guard
            .check(&filled(&ticket, &answer), 1010)
            .unwrap_err()
            .to_string()
            .contains("hết hạn"));
        // Moving the time of a real ticket breaks its signature.
        let mine = guard.ticket(1000);
        let forged = Ticket {
            token: mine.token.replacen("1000", "0", 1),
            ..mine.clone()
        };
        let answer = (mine.a + mine.b).to_string();
        assert!(guard.check(&filled(&forged, &answer), 1010).is_err());
        let mut trapped = filled(&mine, &answer);
        trapped.set(names::TRAP, "http://spam.example".into());
        assert!(guard
            .check(&trapped, 1010)
            .unwrap_err()
            .to_string()
            .contains("để trống"));
        // The address is kept only as a keyed hash.
        assert_ne!(guard.sender("203.0.113.9"), other.sender("203.0.113.9"));
        assert!(!guard.sender("203.0.113.9").contains("203"));
    }

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
        let sender = Sender::parse(&typed(&[(names::NAME, " "), (names::HAMLET, "Đông")]));
        assert!(sender.unwrap_err().to_string().contains("họ và tên"));
        let long = "a".repeat(MAX_BODY_CHARS + 1);
        let err = parse_body(&typed(&[(names::BODY, &long)]), "nội dung câu hỏi").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Nội dung câu hỏi dài 2001 ký tự"),
            "{err}"
        );
    }
}
