//! A question as stored, and the rules every room of Hỏi đáp shares: tracking codes, the row
//! every page of a question reads, the fields, the days as shown, and who may see a question's
//! sender. The other rooms of `questions` build on this one; it needs none of them.

use sqlx::{FromRow, SqlitePool};
use time::Date;

use crate::error::AppError;
use crate::format::{date_text, parse_date, parse_utc};
use crate::model::questions::{Field, QuestionStatus};
use crate::model::{Official, Role};
use crate::server::internal;
use crate::server::time::{day_text, Clock};

/// The letters and digits of a tracking code: no 0, O, 1 or I, which read alike.
const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const CODE_LEN: usize = 8;
/// Questions on a page of the public list and of the queue.
pub const PER_PAGE: i64 = 20;

/// A new tracking code: 8 symbols of 32, 40 random bits (256 is a multiple of 32: no bias).
pub fn new_code() -> String {
    crate::server::accounts::auth::random_bytes::<CODE_LEN>()
        .iter()
        .map(|byte| char::from(CODE_ALPHABET[usize::from(byte % 32)]))
        .collect()
}

/// A code as a citizen may type it (`k7pm-3qxa`, with spaces), as stored; None if it cannot be one.
pub fn normalise_code(raw: &str) -> Option<String> {
    let code: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .flat_map(char::to_uppercase)
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// `K7PM-3QXA`: a code as shown, in two halves.
pub fn code_text(code: &str) -> String {
    match (code.get(..4), code.get(4..)) {
        (Some(a), Some(b)) => format!("{a}-{b}"),
        _ => code.to_string(),
    }
}

/// Today in Vietnam, by the portal's clock.
pub fn today(clock: &Clock) -> Date {
    parse_date(&day_text(clock.today())).unwrap_or(Date::MIN)
}

pub async fn fields(pool: &SqlitePool) -> Result<Vec<Field>, AppError> {
    sqlx::query_as("SELECT id, slug, name FROM question_fields ORDER BY position, id")
        .fetch_all(pool)
        .await
        .map_err(internal("reading the question fields"))
}

/// A question with what every page of it needs.
#[derive(Clone, Debug, FromRow)]
pub struct Row {
    pub id: i64,
    pub code: String,
    pub received_at: String,
    pub received_on: String,
    pub due_on: String,
    pub name: String,
    pub contact: String,
    pub hamlet: String,
    pub field: String,
    pub title: String,
    pub body: String,
    pub attachment_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub status: QuestionStatus,
    pub assignee_id: Option<i64>,
    pub assignee: Option<String>,
    pub post_id: Option<i64>,
    pub post_slug: Option<String>,
    pub post_body: Option<String>,
    pub published: bool,
    pub public_name: String,
    pub decline_reason: String,
    pub answered_at: Option<String>,
}

pub const SELECT_ROW: &str =
    "SELECT q.id, q.code, q.received_at, q.received_on, q.due_on, q.name, q.contact,
        q.hamlet, f.name AS field, q.title, q.body, q.attachment_id, q.status, q.assignee_id,
        u.display_name AS assignee, q.post_id, p.slug AS post_slug, p.body_html AS post_body,
        COALESCE(p.status = 'published', 0) AS published, q.public_name, q.decline_reason,
        q.answered_at
     FROM questions q
     JOIN question_fields f ON f.id = q.field_id
     LEFT JOIN users u ON u.id = q.assignee_id
     LEFT JOIN posts p ON p.id = q.post_id ";

/// A stored day (`YYYY-MM-DD`) as shown.
pub fn day(text: &str) -> String {
    parse_date(text).map(date_text).unwrap_or_default()
}

/// A stored instant (UTC) as its day in Vietnam.
pub fn instant_day(text: &str) -> String {
    parse_utc(text)
        .map(|t| date_text(t.to_offset(crate::format::VIETNAM).date()))
        .unwrap_or_default()
}

impl Row {
    pub fn open(&self) -> bool {
        self.status.is_open()
    }

    pub fn due(&self) -> Option<Date> {
        parse_date(&self.due_on)
    }

    pub fn answer_html(&self) -> Option<&str> {
        self.post_body.as_deref().filter(|b| !b.trim().is_empty())
    }

    pub fn label(&self) -> &'static str {
        self.status.label(self.published)
    }
}

pub async fn row_where(
    pool: &SqlitePool,
    condition: &'static str,
    value: &str,
) -> Result<Option<Row>, AppError> {
    sqlx::QueryBuilder::<sqlx::Sqlite>::new(SELECT_ROW)
        .push(" WHERE ")
        .push(condition)
        .push_bind(value)
        .build_query_as()
        .fetch_optional(pool)
        .await
        .map_err(internal("reading a question"))
}

pub async fn row(pool: &SqlitePool, id: i64) -> Result<Row, AppError> {
    row_where(pool, "q.id = ", &id.to_string())
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy câu hỏi này.".into()))
}

/// Whether `official` may see who sent question `q` (name, contact), its tracking code and its
/// file: editors and admins, and the official it is given to.
pub fn may_see_sender(official: &Official, q: &Row) -> bool {
    may_see_sender_of(official, q.assignee_id)
}

/// The same, for a question given to `assignee`.
fn may_see_sender_of(official: &Official, assignee: Option<i64>) -> bool {
    official.can(Role::Editor) || assignee == Some(official.id)
}

pub fn may_handle(official: &Official, q: &Row) -> Result<(), AppError> {
    if may_see_sender(official, q) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn check_open(q: &Row) -> Result<(), AppError> {
    if q.status == QuestionStatus::Declined {
        return Err(AppError::BadRequest(
            "Câu hỏi này đã được đánh dấu không đăng.".into(),
        ));
    }
    Ok(())
}

/// Whether the file `attachment` must stay hidden from `official` (None: a citizen): it is the
/// file of a question and they may not see that question's sender.
pub async fn file_hidden_from(
    pool: &SqlitePool,
    attachment: i64,
    official: Option<&Official>,
) -> Result<bool, AppError> {
    let assignee: Option<Option<i64>> =
        sqlx::query_scalar("SELECT assignee_id FROM questions WHERE attachment_id = ?")
            .bind(attachment)
            .fetch_optional(pool)
            .await
            .map_err(internal("checking a question's file"))?;
    Ok(match (assignee, official) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(assignee), Some(official)) => !may_see_sender_of(official, assignee),
    })
}

/// A suggestion for how the published question names who asked: initials and hamlet
/// ("N.V.A., thôn Đông").
pub fn initials(name: &str, hamlet: &str) -> String {
    let letters: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .map(|c| format!("{c}."))
        .collect();
    let mut out = format!("{letters} ({hamlet})");
    if out.chars().count() > 100 {
        out = out.chars().take(100).collect();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unambiguous_and_read_back_however_typed() {
        for _ in 0..200 {
            let code = new_code();
            assert_eq!(code.len(), 8);
            assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");
            assert_eq!(
                normalise_code(&code_text(&code).to_lowercase()),
                Some(code.clone())
            );
        }
        assert_eq!(normalise_code(" k7pm 3qxa "), Some("K7PM3QXA".into()));
        assert_eq!(normalise_code("K7PM-3QX0"), None);
        assert_eq!(normalise_code("K7PM"), None);
        assert_eq!(normalise_code("K7PM-3QXAB"), None);
        assert_eq!(code_text("K7PM3QXA"), "K7PM-3QXA");
    }

    #[test]
    fn the_suggested_public_name_has_initials_only() {
        assert_eq!(initials("Nguyễn Văn An", "thôn Đông"), "N.V.A. (thôn Đông)");
        assert_eq!(initials("đỗ thị hà", "Xóm 3"), "Đ.T.H. (Xóm 3)");
    }

    #[test]
    fn statuses_read_in_vietnamese_and_are_stored_as_before() {
        use QuestionStatus::*;
        assert_eq!(Received.label(false), "Đã tiếp nhận");
        assert_eq!(Assigned.label(false), "Đang xử lý");
        assert_eq!(Answered.label(false), "Đã trả lời");
        assert_eq!(Answered.label(true), "Đã đăng");
        assert_eq!(Declined.label(false), "Không đăng");
        for status in [Received, Assigned, Answered, Declined] {
            assert_eq!(QuestionStatus::parse(status.as_str()), status);
        }
    }
}
