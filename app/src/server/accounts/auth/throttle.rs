//! The throttle on failed sign-ins.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::caller::address_key;
use super::sessions::session_hash;
use crate::error::AppError;
use crate::server::time::Clock;

/// Failed sign-ins, per account name typed and per client address. A few are free; then each
/// attempt waits longer; then attempts are refused for a while. The same for names that have no
/// account, so the answers say nothing about which accounts exist.
///
/// Its window is measured by the portal's clock (`Default` is the system's, for unit tests).
#[derive(Clone, Default)]
pub struct Throttle {
    failures: Arc<Mutex<HashMap<String, Failures>>>,
    clock: Clock,
}

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    last: u64,
}

/// Failures are forgotten this long after the last one; refusals last as long.
const THROTTLE_WINDOW_SECS: u64 = 15 * 60;
/// The longest wait before an attempt is checked.
const MAX_DELAY_SECS: u64 = 3;
/// Most keys remembered; beyond it the stale ones go, then the oldest.
const THROTTLE_CAPACITY: usize = 10_000;

struct Limits {
    /// Failures before attempts wait (1 s more for each, up to [`MAX_DELAY_SECS`]).
    free: u32,
    /// Failures after which attempts are refused until the window passes; None: never.
    refuse_at: Option<u32>,
}

/// An account name is public knowledge (`admin`), so failures against it only slow it down:
/// refusing it would let anyone lock its owner out.
const PER_ACCOUNT: Limits = Limits {
    free: 3,
    refuse_at: None,
};
/// One address guessing one account's password is refused after ten failures.
const PER_ACCOUNT_AND_ADDRESS: Limits = Limits {
    free: 3,
    refuse_at: Some(10),
};
/// An address may be a whole commune office behind one NAT: more room.
const PER_ADDRESS: Limits = Limits {
    free: 10,
    refuse_at: Some(50),
};

/// Where a sign-in attempt comes from, for the throttle.
#[derive(Clone, Copy, Debug)]
pub enum AttemptFrom<'a> {
    /// A client address (IPv6 counted by its /64: [`address_key`]).
    Address(&'a str),
    /// A browser that signed in to this account before: its known-browser cookie's token.
    /// Its attempts count against it alone, not against the address it shares with others.
    KnownBrowser(&'a str),
}

impl Throttle {
    /// A throttle whose window runs on `clock`.
    pub fn new(clock: Clock) -> Throttle {
        Throttle {
            failures: Default::default(),
            clock,
        }
    }

    fn keys(username: &str, from: AttemptFrom) -> Vec<(String, Limits)> {
        let name = username.trim().to_lowercase();
        let mut keys = vec![(format!("u:{name}"), PER_ACCOUNT)];
        match from {
            AttemptFrom::Address(ip) => {
                let ip = address_key(ip);
                keys.push((format!("ui:{name}\u{0}{ip}"), PER_ACCOUNT_AND_ADDRESS));
                keys.push((format!("ip:{ip}"), PER_ADDRESS));
            }
            AttemptFrom::KnownBrowser(token) => {
                keys.push((
                    format!("kb:{}", session_hash(token)),
                    PER_ACCOUNT_AND_ADDRESS,
                ));
            }
        }
        keys
    }

    /// Registers a sign-in attempt, counted as failed until [`Throttle::succeeded`] says
    /// otherwise (so guesses sent all at once are counted before any of them is checked).
    /// Returns how long it must wait first, or the refusal.
    pub fn attempt(&self, username: &str, from: AttemptFrom) -> Result<Duration, AppError> {
        let now = self.clock.now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut delay = Duration::ZERO;
        for (key, limits) in Self::keys(username, from) {
            let Some(f) = failures.get(&key) else {
                continue;
            };
            let age = now.saturating_sub(f.last);
            if age >= THROTTLE_WINDOW_SECS {
                continue;
            }
            if limits
                .refuse_at
                .is_some_and(|refuse_at| f.count >= refuse_at)
            {
                let minutes = (THROTTLE_WINDOW_SECS - age).div_ceil(60);
                return Err(AppError::TooManyAttempts(format!(
                    "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút."
                )));
            }
            if f.count >= limits.free {
                let seconds = u64::from(f.count - limits.free + 1).min(MAX_DELAY_SECS);
                delay = delay.max(Duration::from_secs(seconds));
            }
        }
        if failures.len() >= THROTTLE_CAPACITY {
            failures.retain(|_, f| now.saturating_sub(f.last) < THROTTLE_WINDOW_SECS);
            while failures.len() >= THROTTLE_CAPACITY {
                let oldest = failures
                    .iter()
                    .min_by_key(|(_, f)| f.last)
                    .map(|(k, _)| k.clone());
                match oldest {
                    Some(key) => failures.remove(&key),
                    None => break,
                };
            }
        }
        for (key, _) in Self::keys(username, from) {
            let entry = failures.entry(key).or_insert(Failures {
                count: 0,
                last: now,
            });
            if now.saturating_sub(entry.last) >= THROTTLE_WINDOW_SECS {
                entry.count = 0;
            }
            entry.count += 1;
            entry.last = now;
        }
        Ok(delay)
    }

    /// The attempt was never checked (the server was busy): it counts for nothing, so a flood
    /// of others' guesses cannot turn an owner's busy answers into a lockout.
    pub fn not_checked(&self, username: &str, from: AttemptFrom) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in Self::keys(username, from) {
            if let Some(f) = failures.get_mut(&key) {
                f.count = f.count.saturating_sub(1);
            }
        }
    }

    /// The attempt was right: the account's failures are forgotten, and the address's count
    /// loses this attempt.
    pub fn succeeded(&self, username: &str, from: AttemptFrom) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in Self::keys(username, from) {
            if key.starts_with("ip:") {
                if let Some(f) = failures.get_mut(&key) {
                    f.count = f.count.saturating_sub(1);
                }
            } else {
                failures.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::accounts::auth::sessions::random_hex;

    #[test]
    fn failed_sign_ins_slow_down_then_refuse() {
        let throttle = Throttle::default();
        for _ in 0..PER_ACCOUNT.free {
            assert_eq!(
                throttle
                    .attempt("admin", AttemptFrom::Address("1.2.3.4"))
                    .unwrap(),
                Duration::ZERO
            );
        }
        // The account is slowed for everyone, whatever the address.
        assert_eq!(
            throttle
                .attempt("ADMIN", AttemptFrom::Address("5.6.7.8"))
                .unwrap(),
            Duration::from_secs(1)
        );
        for _ in PER_ACCOUNT.free..10 {
            throttle
                .attempt("admin", AttemptFrom::Address("1.2.3.4"))
                .unwrap();
        }
        // The guessing address is refused for this account...
        let refused = throttle
            .attempt("admin", AttemptFrom::Address("1.2.3.4"))
            .unwrap_err();
        assert!(matches!(refused, AppError::TooManyAttempts(ref m) if m.contains("15 phút")));
        // ...but the owner, elsewhere, still signs in: slowed by at most MAX_DELAY_SECS.
        assert_eq!(
            throttle
                .attempt("admin", AttemptFrom::Address("9.9.9.9"))
                .unwrap(),
            Duration::from_secs(MAX_DELAY_SECS)
        );
        throttle.succeeded("admin", AttemptFrom::Address("9.9.9.9"));
        assert_eq!(
            throttle
                .attempt("admin", AttemptFrom::Address("9.9.9.9"))
                .unwrap(),
            Duration::ZERO
        );
        // Another account from the guessing address is not refused: the address has more room.
        assert!(throttle
            .attempt("bientap", AttemptFrom::Address("1.2.3.4"))
            .is_ok());
    }

    #[test]
    fn an_address_guessing_many_accounts_is_refused() {
        let throttle = Throttle::default();
        for i in 0..50 {
            assert!(throttle
                .attempt(&format!("user{i}"), AttemptFrom::Address("1.2.3.4"))
                .is_ok());
        }
        assert!(throttle
            .attempt("user50", AttemptFrom::Address("1.2.3.4"))
            .is_err());
        assert!(throttle
            .attempt("user50", AttemptFrom::Address("5.6.7.8"))
            .is_ok());
        // An IPv6 client is its /64: changing the last 64 bits is no way around the limit.
        for i in 0..50 {
            let ip = format!("2001:db8:1:2::{i:x}");
            assert!(throttle
                .attempt(&format!("v6user{i}"), AttemptFrom::Address(&ip))
                .is_ok());
        }
        assert!(throttle
            .attempt("v6user50", AttemptFrom::Address("2001:db8:1:2:abcd::1"))
            .is_err());
        // A browser that signed in to the account before is not refused for its address's
        // guesses: the guesser pays, not the account's owner.
        let known = random_hex(32);
        assert!(throttle
            .attempt("user49", AttemptFrom::KnownBrowser(&known))
            .is_ok());
        for _ in 0..10 {
            throttle
                .attempt("user49", AttemptFrom::KnownBrowser(&known))
                .ok();
        }
        // ...though that browser guessing wrong is refused in its turn.
        assert!(throttle
            .attempt("user49", AttemptFrom::KnownBrowser(&known))
            .is_err());
    }

    #[test]
    fn attempts_the_server_was_too_busy_to_check_count_for_nothing() {
        let throttle = Throttle::default();
        for _ in 0..100 {
            throttle
                .attempt("admin", AttemptFrom::Address("10.9.9.9"))
                .unwrap();
            throttle.not_checked("admin", AttemptFrom::Address("10.9.9.9"));
        }
        assert_eq!(
            throttle
                .attempt("admin", AttemptFrom::Address("10.9.9.9"))
                .unwrap(),
            Duration::ZERO
        );
    }
}
