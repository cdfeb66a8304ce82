//! Names and passwords parsed, and argon2id hashing off the async workers, a few at a time.

use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use unicode_normalization::UnicodeNormalization;

use crate::error::AppError;

/// A login name: 3 to 32 of a-z, 0-9, `.`, `_`, `-`; compared without case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Username, AppError> {
        let name = raw.trim().to_lowercase();
        let valid = (3..=32).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if valid {
            Ok(Username(name))
        } else {
            Err(AppError::BadRequest(
                "Tên đăng nhập phải dài 3–32 ký tự, chỉ gồm chữ cái không dấu, chữ số và các dấu . _ -"
                    .into(),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's name as shown to other officials: NFC, 1 to 100 characters, control and
/// invisible characters (bidirectional overrides, zero-width spaces) dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, AppError> {
        let name = crate::server::text::one_line(raw);
        let length = name.chars().count();
        if (1..=100).contains(&length) {
            Ok(DisplayName(name))
        } else {
            Err(AppError::BadRequest(
                "Họ và tên phải có từ 1 đến 100 ký tự.".into(),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_CHARS: usize = 128;

/// A password chosen for an account: at least 10 characters.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<NewPassword, AppError> {
        let length = raw.chars().count();
        if length < MIN_PASSWORD_CHARS {
            return Err(AppError::BadRequest(format!(
                "Mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự."
            )));
        }
        if length > MAX_PASSWORD_CHARS {
            return Err(AppError::BadRequest(format!(
                "Mật khẩu không được dài quá {MAX_PASSWORD_CHARS} ký tự."
            )));
        }
        Ok(NewPassword(raw.nfc().collect()))
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

/// argon2id with OWASP's first recommended setting: 19 MiB of memory, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The password checks (and hashings) that may run at once, and how long a request waits for
/// one. Each holds 19 MiB and tens of milliseconds of a core: unlimited, a burst of wrong
/// sign-ins, which needs no account, took the server to gigabytes. So at most a few run (one
/// per core, 2 to 4), a few dozen wait their turn for a short while, and the rest are told at
/// once that the server is busy (503). The sign-in throttle is applied before a check queues.
#[derive(Clone)]
pub struct PasswordChecks {
    permits: Arc<tokio::sync::Semaphore>,
    waiting: Arc<std::sync::atomic::AtomicUsize>,
    max_waiting: usize,
    max_wait: Duration,
}

impl Default for PasswordChecks {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        PasswordChecks::new(cores.clamp(2, 4), 32, Duration::from_secs(5))
    }
}

impl PasswordChecks {
    pub fn new(at_once: usize, max_waiting: usize, max_wait: Duration) -> PasswordChecks {
        PasswordChecks {
            permits: Arc::new(tokio::sync::Semaphore::new(at_once.max(1))),
            waiting: Default::default(),
            max_waiting,
            max_wait,
        }
    }

    /// Runs `work` on a blocking thread once a turn is free; Busy if none comes soon.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        use std::sync::atomic::Ordering;
        // Counted before waiting, so a burst sees itself and the excess is refused at once.
        let waiting = self.waiting.fetch_add(1, Ordering::SeqCst);
        let turn = if waiting >= self.max_waiting {
            None
        } else {
            tokio::time::timeout(self.max_wait, self.permits.clone().acquire_owned())
                .await
                .ok()
                .and_then(Result::ok)
        };
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let Some(turn) = turn else {
            tracing::warn!(
                waiting,
                "password checks saturated; a request was told to retry"
            );
            return Err(AppError::Busy);
        };
        tokio::task::spawn_blocking(move || {
            let done = work();
            drop(turn);
            done
        })
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "password task failed");
            AppError::Internal
        })
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: NewPassword) -> Result<String, AppError> {
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()
                .hash_password(password.0.as_bytes(), &salt)
                .map(|hash| hash.to_string())
        })
        .await?
        .map_err(|err| {
            tracing::error!(error = %err, "hashing a password");
            AppError::Internal
        })
    }

    /// Checks `password` against `hash`. Without a hash (no such account) it checks against a
    /// fixed one, so both answers take the same time.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, AppError> {
        self.run(move || {
            let hash = hash.unwrap_or_else(|| dummy_hash().to_string());
            let Ok(parsed) = PasswordHash::new(&hash) else {
                tracing::error!("a stored password hash cannot be read");
                return false;
            };
            let password: String = password.nfc().collect();
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .await
    }
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(b"not a password of anyone", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_plain_and_case_blind() {
        assert_eq!(
            Username::parse(" BienTap.01 ").unwrap().as_str(),
            "bientap.01"
        );
        for bad in ["ab", "nguyễn", "a b c", "x@y", &"a".repeat(33), ""] {
            assert!(Username::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_have_at_least_ten_characters() {
        assert!(NewPassword::parse("ngắn quá").is_err());
        assert!(NewPassword::parse("123456789").is_err());
        // Ten characters, not ten bytes.
        assert!(NewPassword::parse("mậtkhẩuđủ1").is_ok());
        assert!(NewPassword::parse(&"x".repeat(129)).is_err());
        assert_eq!(
            format!("{:?}", NewPassword::parse("bí mật lắm đấy").unwrap()),
            "NewPassword(..)"
        );
    }

    #[test]
    fn display_names_are_nfc() {
        let nfd = "Nguye\u{302}\u{303}n Va\u{306}n A";
        assert_eq!(DisplayName::parse(nfd).unwrap().as_str(), "Nguyễn Văn A");
        assert!(DisplayName::parse("  ").is_err());
        assert!(DisplayName::parse("\u{202E}\u{7}").is_err());
        assert_eq!(
            DisplayName::parse("Tr\u{202E}ần\u{200B} Văn\nB")
                .unwrap()
                .as_str(),
            "Trần Văn B"
        );
    }

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify_only_the_right_password() {
        let checks = PasswordChecks::default();
        let hash = checks
            .hash(NewPassword::parse("mật khẩu đúng rồi").unwrap())
            .await
            .unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(checks
            .verify("mật khẩu đúng rồi".into(), Some(hash.clone()))
            .await
            .unwrap());
        // Typed in NFD, it is the same password.
        let nfd: String = "mật khẩu đúng rồi".nfd().collect();
        assert!(checks.verify(nfd, Some(hash.clone())).await.unwrap());
        assert!(!checks
            .verify("mật khẩu sai rồi".into(), Some(hash))
            .await
            .unwrap());
        assert!(!checks.verify("bất kỳ".into(), None).await.unwrap());
    }

    #[tokio::test]
    async fn a_burst_of_checks_runs_a_few_at_once_and_the_excess_is_told_to_retry() {
        let checks = PasswordChecks::new(2, 4, Duration::from_secs(5));
        let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let (checks, running, most) = (checks.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    checks
                        .run(move || {
                            use std::sync::atomic::Ordering::SeqCst;
                            let now = running.fetch_add(1, SeqCst) + 1;
                            most.fetch_max(now, SeqCst);
                            std::thread::sleep(Duration::from_millis(50));
                            running.fetch_sub(1, SeqCst);
                        })
                        .await
                })
            })
            .collect();
        let mut done = 0;
        let mut busy = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(()) => done += 1,
                Err(AppError::Busy) => busy += 1,
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 2);
        // Four wait their turn (and get it within 5 s); the others are refused at once.
        assert!(done >= 4 && busy >= 1 && done + busy == 10, "{done} {busy}");
        assert_eq!(AppError::Busy.status(), 503);
    }
}
