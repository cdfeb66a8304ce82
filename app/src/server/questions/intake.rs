//! What stands between the citizens' forms (a question, a comment on a draft, the tracking
//! page) and the database, with no third-party service: a signed ticket in each form that
//! carries when it was given out and a small sum to answer in words (readable by a screen
//! reader, no JavaScript), a field people never see and bots fill in, a minimum time on the
//! form, a limit per address per hour, limits on every field, and a limit on the tracking codes
//! an address may get wrong. Each refusal says why, in Vietnamese.
//!
//! - **An address** is what [`address_key`] makes of it: an IPv6 client counts as its /64.
//! - **The hour's limit** is part of the statement that stores a question or a comment
//!   ([`Quota`]): requests sent at once cannot all pass a count made before any of them is stored.
//! - **Memory is bounded:** the used tickets (at most [`MAX_USED_TICKETS`]; when full the oldest
//!   given out are forgotten and every ticket as old is refused as expired) and the addresses
//!   that mistyped a tracking code (at most [`MAX_LOOKUP_ADDRESSES`]).

use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::SqlitePool;
use subtle::ConstantTimeEq;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::error::AppError;
use crate::server::accounts::auth::{address_key, random_bytes, random_hex};
use crate::server::internal;
use crate::server::time::hex;

use crate::model::questions::TicketView;
pub use crate::model::questions::Typed;

/// A form older than this is refused (and given again with what was typed).
const TICKET_LIFETIME_SECS: u64 = 24 * 60 * 60;
/// The most used tickets remembered (a ticket is 60 bytes: about 5 MB).
pub const MAX_USED_TICKETS: usize = 50_000;
/// Tracking codes an address may get wrong in [`LOOKUP_WINDOW_SECS`]; then every lookup from it
/// is refused until the window ends.
pub const LOOKUP_MISSES: u32 = 30;
pub const LOOKUP_WINDOW_SECS: u64 = 10 * 60;
/// The most addresses whose wrong codes are remembered.
pub const MAX_LOOKUP_ADDRESSES: usize = 65_536;

pub use crate::model::questions::limits::*;
/// The largest file a citizen may send with a question.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

pub use crate::model::questions::names;

/// The guard of the citizens' forms: the key tickets are signed with (new at each start, so a
/// form given out before a restart is refused as expired and given again), the tickets already
/// used (each is good for one sending), the wrong tracking codes of each address, and the limits.
#[derive(Clone)]
pub struct FormGuard {
    key: [u8; 32],
    used: Arc<Mutex<Used>>,
    lookups: Arc<Mutex<Lookups>>,
    /// The least time between giving out a form and its sending, in seconds.
    pub min_seconds: u64,
    /// Questions and comments one address may send in an hour.
    pub per_hour: i64,
}

/// The tickets already used, each with when it was given out.
struct Used {
    tokens: HashMap<String, u64>,
    /// Tickets given out at or before this second are refused as expired: some of that age were
    /// forgotten to keep the list bounded, and one of them could otherwise be sent again.
    floor: Option<u64>,
    /// The most tokens kept.
    cap: usize,
}

impl Used {
    fn too_old(&self, issued: u64) -> bool {
        self.floor.is_some_and(|floor| issued <= floor)
    }

    /// Makes room: forgets the expired tickets, then, if that is not enough, the tenth given out
    /// first, raising the floor over them.
    fn make_room(&mut self, now: u64) {
        self.tokens
            .retain(|_, issued| *issued + TICKET_LIFETIME_SECS >= now);
        if self.tokens.len() < self.cap {
            return;
        }
        let mut times: Vec<u64> = self.tokens.values().copied().collect();
        let nth = (self.cap / 10).clamp(1, times.len()) - 1;
        let (_, floor, _) = times.select_nth_unstable(nth);
        let floor = (*floor).max(self.floor.unwrap_or(0));
        self.tokens.retain(|_, issued| *issued > floor);
        tracing::warn!(
            floor,
            kept = self.tokens.len(),
            "the list of used form tickets is full: older tickets are now refused as expired"
        );
        self.floor = Some(floor);
    }
}

/// The tracking codes each address got wrong: when its window began, and how many.
#[derive(Default)]
struct Lookups {
    misses: HashMap<String, (u64, u32)>,
}

impl Lookups {
    fn current(&self, key: &str, now: u64) -> u32 {
        match self.misses.get(key) {
            Some((since, n)) if now < since + LOOKUP_WINDOW_SECS => *n,
            _ => 0,
        }
    }

    /// Makes room for one more address: forgets the windows that have ended, then, if that is
    /// not enough, the half of the addresses with the fewest wrong codes (those refused now
    /// are the last to go).
    fn make_room(&mut self, now: u64) {
        self.misses
            .retain(|_, (since, _)| now < *since + LOOKUP_WINDOW_SECS);
        if self.misses.len() < MAX_LOOKUP_ADDRESSES {
            return;
        }
        let mut counts: Vec<u32> = self.misses.values().map(|(_, n)| *n).collect();
        let middle = counts.len() / 2;
        let (_, threshold, _) = counts.select_nth_unstable(middle);
        let threshold = *threshold;
        self.misses.retain(|_, (_, n)| *n > threshold);
        if self.misses.len() >= MAX_LOOKUP_ADDRESSES {
            // Every address is refused and as many: keep none rather than grow.
            self.misses.clear();
        }
    }
}

/// What a form's ticket being too old, forged or from before a restart is told.
fn expired() -> AppError {
    AppError::BadRequest(
        "Biểu mẫu đã hết hạn (máy chủ vừa khởi động lại hoặc biểu mẫu đã mở quá lâu). \
         Nội dung bạn nhập vẫn còn: vui lòng trả lời lại câu hỏi kiểm tra rồi gửi."
            .into(),
    )
}

/// An address's share of questions and comments for the hour, as the condition of the
/// statement that stores one (`INSERT … SELECT … WHERE` [`Quota::push_room`]): the count and
/// the insert are one statement, which SQLite runs holding its one write lock, so forms sent
/// at once cannot all pass a count made before any of them is stored.
#[derive(Clone, Debug)]
pub struct Quota {
    /// The keyed hash of the address, as stored with what it sends.
    pub sender: String,
    /// The start of the hour counted (UTC, as `received_at`).
    since: String,
    per_hour: i64,
}

impl Quota {
    /// Pushes the condition "the address has room for one more" onto `query` (after `WHERE`).
    pub fn push_room(&self, query: &mut sqlx::QueryBuilder<sqlx::Sqlite>) {
        query
            .push("(SELECT COUNT(*) FROM questions WHERE sender = ")
            .push_bind(self.sender.clone())
            .push(" AND received_at > ")
            .push_bind(self.since.clone())
            .push(") + (SELECT COUNT(*) FROM draft_comments WHERE sender = ")
            .push_bind(self.sender.clone())
            .push(" AND received_at > ")
            .push_bind(self.since.clone())
            .push(") < ")
            .push_bind(self.per_hour);
    }

    /// What the address has sent in the hour.
    async fn sent(&self, pool: &SqlitePool) -> Result<i64, AppError> {
        sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM questions WHERE sender = ?1 AND received_at > ?2)
                  + (SELECT COUNT(*) FROM draft_comments WHERE sender = ?1 AND received_at > ?2)",
        )
        .bind(&self.sender)
        .bind(&self.since)
        .fetch_one(pool)
        .await
        .map_err(internal("counting an address's questions"))
    }

    fn refusal(sent: i64) -> AppError {
        AppError::TooManyAttempts(format!(
            "Từ địa chỉ mạng của bạn đã có {sent} câu hỏi, góp ý được gửi trong một giờ qua. \
             Vui lòng gửi lại sau một giờ. Nội dung bạn nhập vẫn còn bên dưới."
        ))
    }

    /// Refuses an address that has sent its hour's share already: a check before the work of
    /// storing a file; the statement that stores holds the limit itself.
    pub async fn check(&self, pool: &SqlitePool) -> Result<(), AppError> {
        let sent = self.sent(pool).await?;
        if sent >= self.per_hour {
            return Err(Quota::refusal(sent));
        }
        Ok(())
    }

    /// Why a statement guarded by [`Quota::push_room`] stored nothing: the refusal if the
    /// address is over its share, None if it has room (the statement failed for another reason).
    pub async fn refused(&self, pool: &SqlitePool) -> Result<Option<AppError>, AppError> {
        let sent = self.sent(pool).await?;
        Ok((sent >= self.per_hour).then(|| Quota::refusal(sent)))
    }
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

    /// What the form shows of it.
    pub fn view(&self) -> TicketView {
        TicketView {
            token: self.token.clone(),
            question: self.question(),
        }
    }
}

fn number_word(n: u8) -> &'static str {
    [
        "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    ][usize::from(n % 10)]
}

/// HMAC-SHA-256 of `message` under `key`.
fn mac(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

impl FormGuard {
    pub fn new(min_seconds: u64, per_hour: i64) -> FormGuard {
        FormGuard {
            key: random_bytes::<32>(),
            used: Arc::new(Mutex::new(Used {
                tokens: HashMap::new(),
                floor: None,
                cap: MAX_USED_TICKETS,
            })),
            lookups: Default::default(),
            min_seconds,
            per_hour,
        }
    }

    fn sum_of(&self, nonce: &str) -> (u8, u8) {
        let sum = mac(&self.key, format!("sum.{nonce}").as_bytes());
        (1 + sum[0] % 9, 1 + sum[1] % 9)
    }

    /// A new ticket, given out at `now` (Unix seconds).
    pub fn ticket(&self, now: u64) -> Ticket {
        let nonce = random_hex(12);
        let signed = format!("{now}.{nonce}");
        let signature = hex(&mac(&self.key, signed.as_bytes()));
        let (a, b) = self.sum_of(&nonce);
        Ticket {
            token: format!("{signed}.{signature}"),
            a,
            b,
        }
    }

    /// The ticket a form came back with, if it is one of ours.
    fn read(&self, token: &str) -> Option<(u64, Ticket)> {
        let mut parts = token.splitn(3, '.');
        let (issued, nonce, signature) = (parts.next()?, parts.next()?, parts.next()?);
        let signed = format!("{issued}.{nonce}");
        let expected = hex(&mac(&self.key, signed.as_bytes()));
        if !bool::from(expected.as_bytes().ct_eq(signature.as_bytes())) {
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
            return Err(expired());
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
    /// (they are refused as expired anyway), so the list holds at most a day's tickets, and at
    /// most [`MAX_USED_TICKETS`]: past that the oldest given out are forgotten and every ticket
    /// as old is refused as expired (the form is given again with what was typed).
    fn spend(&self, token: &str, issued: u64, now: u64) -> Result<(), AppError> {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        if used.too_old(issued) {
            return Err(expired());
        }
        if used.tokens.contains_key(token) {
            return Err(AppError::BadRequest(
                "Biểu mẫu này đã được gửi một lần. Nội dung bạn nhập vẫn còn: vui lòng trả lời \
                 lại câu hỏi kiểm tra rồi gửi."
                    .into(),
            ));
        }
        if used.tokens.len() >= used.cap {
            used.make_room(now);
            if used.too_old(issued) {
                return Err(expired());
            }
        }
        used.tokens.insert(token.to_string(), issued);
        Ok(())
    }

    /// What the database keeps of an address: a keyed hash of its [`address_key`] (an IPv6
    /// client is its /64), for the limit only.
    pub fn sender(&self, ip: &str) -> String {
        let key = address_key(ip);
        hex(&mac(&self.key, format!("sender.{key}").as_bytes())[..16])
    }

    /// The hour's share of the address `ip`, at `now`.
    pub fn quota(&self, ip: &str, now: u64) -> Quota {
        Quota {
            sender: self.sender(ip),
            since: crate::server::time::utc_timestamp(now.saturating_sub(3600)),
            per_hour: self.per_hour,
        }
    }

    /// Refuses every lookup of a tracking code from an address (its [`address_key`]) that got
    /// [`LOOKUP_MISSES`] codes wrong in the last [`LOOKUP_WINDOW_SECS`].
    pub fn check_lookup(&self, ip: &str, now: u64) -> Result<(), AppError> {
        let key = address_key(ip);
        let mut lookups = self.lookups.lock().unwrap_or_else(|e| e.into_inner());
        if lookups.current(&key, now) >= LOOKUP_MISSES {
            return Err(AppError::TooManyAttempts(format!(
                "Bạn đã nhập sai mã tra cứu quá nhiều lần. Vui lòng thử lại sau {} phút; \
                 mã gồm 8 chữ và số, in trong thông báo khi bạn gửi câu hỏi.",
                LOOKUP_WINDOW_SECS / 60
            )));
        }
        // Counted as a miss until [`FormGuard::lookup_found`] says otherwise, so lookups sent
        // all at once are counted before any of them is answered.
        Self::count_miss(&mut lookups, key, now);
        Ok(())
    }

    /// The lookup `ip` made found its question: it is not a miss after all.
    pub fn lookup_found(&self, ip: &str, now: u64) {
        let key = address_key(ip);
        let mut lookups = self.lookups.lock().unwrap_or_else(|e| e.into_inner());
        if lookups.current(&key, now) > 0 {
            if let Some(entry) = lookups.misses.get_mut(&key) {
                entry.1 = entry.1.saturating_sub(1);
            }
        }
    }

    fn count_miss(lookups: &mut Lookups, key: String, now: u64) -> u32 {
        let current = lookups.current(&key, now);
        if current == 0 && lookups.misses.len() >= MAX_LOOKUP_ADDRESSES {
            lookups.make_room(now);
        }
        let entry = lookups.misses.entry(key).or_insert((now, 0));
        if current == 0 {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1
    }

    /// Counts a tracking code from `ip` that named no question, logged with the address;
    /// returns how many it got wrong in its window.
    pub fn lookup_missed(&self, ip: &str, now: u64) -> u32 {
        let key = address_key(ip);
        let lookups = self.lookups.lock().unwrap_or_else(|e| e.into_inner());
        let misses = lookups.current(&key, now);
        drop(lookups);
        tracing::warn!(address = %key, misses, "a tracking code that names no question");
        misses
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(ticket: &Ticket, answer: &str) -> Typed {
        Typed::of(&[
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
    fn the_used_tickets_are_bounded_and_none_forgotten_serves_again() {
        let mut guard = FormGuard::new(0, 5);
        let cap = 100;
        guard.used = Arc::new(Mutex::new(Used {
            tokens: HashMap::new(),
            floor: None,
            cap,
        }));
        // Tickets given out one a second, each sent once, three times as many as the list holds.
        let tickets: Vec<Ticket> = (0..3 * cap as u64)
            .map(|i| guard.ticket(1000 + i))
            .collect();
        for (i, ticket) in tickets.iter().enumerate() {
            let right = (ticket.a + ticket.b).to_string();
            let sent = guard.check(&filled(ticket, &right), 2000 + i as u64);
            assert!(sent.is_ok(), "{i}: {sent:?}");
            assert!(guard.used.lock().unwrap().tokens.len() <= cap);
        }
        let floor = guard.used.lock().unwrap().floor.expect("a floor was set");
        assert!(floor >= 1000 + 2 * cap as u64 - 1, "{floor}");
        // Every one of them is refused again: as used, or (forgotten) as expired.
        for ticket in &tickets {
            let right = (ticket.a + ticket.b).to_string();
            let again = guard.check(&filled(ticket, &right), 2500).unwrap_err();
            let text = again.to_string();
            assert!(
                text.contains("đã được gửi một lần") || text.contains("hết hạn"),
                "{text}"
            );
        }
        // A ticket given out before the floor but never sent is refused as expired, with what
        // was typed kept (the handler shows the form again); one given out later serves.
        let old = guard.ticket(1000);
        let right = (old.a + old.b).to_string();
        let err = guard.check(&filled(&old, &right), 2600).unwrap_err();
        assert!(err.to_string().contains("hết hạn"), "{err}");
        let new = guard.ticket(2600);
        let right = (new.a + new.b).to_string();
        assert!(guard.check(&filled(&new, &right), 2601).is_ok());
        // Expired tickets are forgotten first: the floor does not move for them.
        let before = guard.used.lock().unwrap().floor;
        let much_later = 2601 + TICKET_LIFETIME_SECS + 1;
        for i in 0..cap as u64 {
            let t = guard.ticket(much_later + i);
            let right = (t.a + t.b).to_string();
            assert!(guard.check(&filled(&t, &right), much_later + i).is_ok());
        }
        assert_eq!(guard.used.lock().unwrap().floor, before);
        assert!(guard.used.lock().unwrap().tokens.len() <= cap);
    }

    #[test]
    fn an_ipv6_sender_is_its_64() {
        let guard = FormGuard::new(0, 5);
        assert_eq!(
            guard.sender("2001:db8:aa:bb::1"),
            guard.sender("2001:db8:aa:bb:ffff:1:2:3")
        );
        assert_ne!(
            guard.sender("2001:db8:aa:bb::1"),
            guard.sender("2001:db8:aa:bc::1")
        );
        assert_eq!(
            guard.sender("::ffff:203.0.113.9"),
            guard.sender("203.0.113.9")
        );
        assert_ne!(guard.sender("203.0.113.9"), guard.sender("203.0.113.10"));
    }

    #[test]
    fn an_address_that_mistypes_too_many_codes_is_refused_until_its_window_ends() {
        let guard = FormGuard::new(0, 5);
        // A right code gives its count back.
        guard.check_lookup("2001:db8::1", 1000).unwrap();
        guard.lookup_found("2001:db8::1", 1000);
        for i in 0..LOOKUP_MISSES {
            // The same /64, from another address of it each time; counted when asked, so
            // lookups sent at once are all counted.
            let ip = format!("2001:db8::{:x}", i + 2);
            assert!(guard.check_lookup(&ip, 1000).is_ok(), "{i}");
            assert_eq!(guard.lookup_missed(&ip, 1000 + u64::from(i)), i + 1);
        }
        let refused = guard.check_lookup("2001:db8::ffff", 1100).unwrap_err();
        assert_eq!(refused.status(), 429);
        assert!(refused.to_string().contains("sai mã tra cứu"), "{refused}");
        // Another address is not refused; the window ends.
        assert!(guard.check_lookup("2001:db8:0:1::1", 1100).is_ok());
        assert!(guard.check_lookup("203.0.113.9", 1100).is_ok());
        assert!(guard
            .check_lookup("2001:db8::1", 1000 + LOOKUP_WINDOW_SECS)
            .is_ok());
    }

    #[test]
    fn the_addresses_that_mistyped_codes_are_bounded_and_the_refused_kept_longest() {
        let guard = FormGuard::new(0, 5);
        for _ in 0..LOOKUP_MISSES {
            guard.check_lookup("198.51.100.7", 1000).unwrap();
        }
        for i in 0..2 * MAX_LOOKUP_ADDRESSES as u32 {
            guard
                .check_lookup(&std::net::Ipv4Addr::from(i).to_string(), 1001)
                .unwrap();
            assert!(guard.lookups.lock().unwrap().misses.len() <= MAX_LOOKUP_ADDRESSES);
        }
        assert!(guard.check_lookup("198.51.100.7", 1002).is_err());
        assert!(guard
            .check_lookup("198.51.100.7", 1000 + LOOKUP_WINDOW_SECS)
            .is_ok());
    }
}
