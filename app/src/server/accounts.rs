//! Officials' accounts and the audit log. Every change is written together with its audit
//! line, in one transaction.

pub mod auth;

use sqlx::{Sqlite, SqlitePool, Transaction};

use self::auth::{DisplayName, NewPassword, Username};
use super::internal;
use crate::error::AppError;
use crate::model::{Account, AuditEntry, AuditPage, Official, Role, AUDIT_PER_PAGE};

/// Who made a change, for the audit log: an official, or the command line on the server.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    pub ip: String,
}

impl Actor {
    pub fn official(official: &Official, ip: String) -> Actor {
        Actor {
            user_id: Some(official.id),
            username: official.username.clone(),
            ip,
        }
    }

    /// A change made with `server user ...` on the server itself.
    pub fn command_line() -> Actor {
        Actor {
            user_id: None,
            username: "(dòng lệnh trên máy chủ)".into(),
            ip: String::new(),
        }
    }
}

/// Adds a line to the audit log, inside the transaction of the change it records.
pub async fn audit(
    tx: &mut Transaction<'_, Sqlite>,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (user_id, username, action, target, detail, ip)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(actor.user_id)
    .bind(&actor.username)
    .bind(action)
    .bind(target)
    .bind(detail)
    .bind(&actor.ip)
    .execute(&mut **tx)
    .await
    .map_err(internal("writing the audit log"))?;
    Ok(())
}

/// The audit line of something that changes nothing else (a sign-in, a sign-out).
pub async fn audit_alone(
    pool: &SqlitePool,
    actor: &Actor,
    action: &str,
    target: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await.map_err(internal("audit transaction"))?;
    audit(&mut tx, actor, action, target, "").await?;
    tx.commit().await.map_err(internal("audit commit"))
}

/// Admin accounts, enabled or not.
pub async fn count_admins(pool: &SqlitePool) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin'")
        .fetch_one(pool)
        .await
        .map_err(internal("counting accounts"))
}

/// Creates an account. A name already taken (whatever its case) gets a clear message.
pub async fn create(
    pool: &SqlitePool,
    checks: &auth::PasswordChecks,
    actor: &Actor,
    username: &Username,
    display_name: &DisplayName,
    role: Role,
    password: NewPassword,
) -> Result<i64, AppError> {
    let hash = checks.hash(password).await?;
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("account transaction"))?;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO users (username, display_name, password_hash, role) VALUES (?, ?, ?, ?)
         ON CONFLICT (username) DO NOTHING
         RETURNING id",
    )
    .bind(username.as_str())
    .bind(display_name.as_str())
    .bind(hash)
    .bind(role.as_str())
    .fetch_optional(&mut *tx)
    .await
    .map_err(internal("creating an account"))?;
    let Some(id) = inserted else {
        return Err(AppError::BadRequest(format!(
            "Tên đăng nhập “{}” đã có người dùng. Vui lòng chọn tên khác.",
            username.as_str()
        )));
    };
    audit(
        &mut tx,
        actor,
        "Tạo tài khoản",
        username.as_str(),
        &format!("{}, vai trò {}", display_name.as_str(), role.label()),
    )
    .await?;
    tx.commit().await.map_err(internal("account commit"))?;
    Ok(id)
}

/// What sign-in needs of an account. Never serialised: it holds the hash.
struct Credentials {
    id: i64,
    display_name: String,
    role: String,
    password_hash: String,
    disabled: bool,
}

/// Checks a name and password. Unknown names, wrong passwords and disabled accounts get the same
/// answer, in the same time.
pub async fn check_credentials(
    pool: &SqlitePool,
    checks: &auth::PasswordChecks,
    username: &str,
    password: String,
) -> Result<Option<Official>, AppError> {
    let username = username.trim().to_lowercase();
    let row: Option<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, display_name, role, password_hash, disabled FROM users WHERE username = ?",
    )
    .bind(&username)
    .fetch_optional(pool)
    .await
    .map_err(internal("reading an account"))?;
    let account = row.map(
        |(id, display_name, role, password_hash, disabled)| Credentials {
            id,
            display_name,
            role,
            password_hash,
            disabled: disabled != 0,
        },
    );
    let hash = account.as_ref().map(|a| a.password_hash.clone());
    let matches = checks.verify(password, hash).await?;
    Ok(account.and_then(|a| {
        let role = Role::parse(&a.role)?;
        (matches && !a.disabled).then_some(Official {
            id: a.id,
            username,
            display_name: a.display_name,
            role,
            waiting: None,
            questions: None,
        })
    }))
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<Account>, AppError> {
    let rows: Vec<(i64, String, String, String, i64, crate::model::Instant, i64)> = sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, u.role, u.disabled, u.created_at,
                (SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id)
         FROM users u ORDER BY u.username",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("listing accounts"))?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(id, username, display_name, role, disabled, created_at, sessions)| {
                Some(Account {
                    id,
                    username,
                    display_name,
                    role: Role::parse(&role)?,
                    disabled: disabled != 0,
                    created_at,
                    sessions,
                    is_me: false,
                })
            },
        )
        .collect())
}

/// The account `id`, inside a transaction; NotFound with a message otherwise.
async fn target(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
) -> Result<(String, Role, bool), AppError> {
    let row: Option<(String, String, i64)> =
        sqlx::query_as("SELECT username, role, disabled FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(internal("reading an account"))?;
    row.and_then(|(name, role, disabled)| Some((name, Role::parse(&role)?, disabled != 0)))
        .ok_or_else(|| AppError::NotFound("Không tìm thấy tài khoản này.".into()))
}

/// An admin changes only other accounts, so an admin who can sign in always remains.
fn not_yourself(actor: &Actor, id: i64) -> Result<(), AppError> {
    if actor.user_id == Some(id) {
        return Err(AppError::BadRequest(
            "Không thể tự khóa hoặc đổi vai trò của chính tài khoản đang dùng. Hãy nhờ một quản trị viên khác."
                .into(),
        ));
    }
    Ok(())
}

pub async fn set_role(
    pool: &SqlitePool,
    actor: &Actor,
    id: i64,
    role: Role,
) -> Result<(), AppError> {
    not_yourself(actor, id)?;
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("account transaction"))?;
    let (username, old, _) = target(&mut tx, id).await?;
    if old == role {
        return Ok(());
    }
    sqlx::query("UPDATE users SET role = ? WHERE id = ?")
        .bind(role.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal("changing a role"))?;
    audit(
        &mut tx,
        actor,
        "Đổi vai trò",
        &username,
        &format!("{} → {}", old.label(), role.label()),
    )
    .await?;
    tx.commit().await.map_err(internal("account commit"))
}

/// Disables (ending its sessions at once) or enables an account.
pub async fn set_disabled(
    pool: &SqlitePool,
    actor: &Actor,
    id: i64,
    disabled: bool,
) -> Result<(), AppError> {
    not_yourself(actor, id)?;
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("account transaction"))?;
    let (username, _, was) = target(&mut tx, id).await?;
    if was == disabled {
        return Ok(());
    }
    sqlx::query("UPDATE users SET disabled = ? WHERE id = ?")
        .bind(i64::from(disabled))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal("disabling an account"))?;
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(internal("ending sessions"))?;
    }
    let action = if disabled {
        "Khóa tài khoản"
    } else {
        "Mở khóa tài khoản"
    };
    audit(&mut tx, actor, action, &username, "").await?;
    tx.commit().await.map_err(internal("account commit"))
}

/// Sets a new password: by an admin for another account, or by an official for their own
/// (after checking the current one). All the account's sessions end except `keep_session`.
pub async fn set_password(
    pool: &SqlitePool,
    checks: &auth::PasswordChecks,
    actor: &Actor,
    id: i64,
    password: NewPassword,
    keep_session: Option<&str>,
) -> Result<(), AppError> {
    let hash = checks.hash(password).await?;
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("account transaction"))?;
    let (username, _, _) = target(&mut tx, id).await?;
    sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
        .bind(hash)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal("setting a password"))?;
    let keep = keep_session.map(auth::session_hash).unwrap_or_default();
    sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?")
        .bind(id)
        .bind(keep)
        .execute(&mut *tx)
        .await
        .map_err(internal("ending sessions"))?;
    let action = if actor.user_id == Some(id) {
        "Đổi mật khẩu"
    } else {
        "Đặt lại mật khẩu"
    };
    audit(&mut tx, actor, action, &username, "").await?;
    tx.commit().await.map_err(internal("account commit"))
}

/// The stored hash of an account, for checking its current password before a change.
pub async fn password_hash(pool: &SqlitePool, id: i64) -> Result<Option<String>, AppError> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(internal("reading a password hash"))
}

pub async fn audit_page(pool: &SqlitePool, page: i64) -> Result<AuditPage, AppError> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(pool)
        .await
        .map_err(internal("counting the audit log"))?;
    let total_pages = ((total + AUDIT_PER_PAGE - 1) / AUDIT_PER_PAGE).max(1);
    if page > total_pages {
        return Err(AppError::NotFound(format!(
            "Không có trang {page}: nhật ký chỉ có {total_pages} trang."
        )));
    }
    let entries = sqlx::query_as::<_, AuditEntry>(
        "SELECT id, at, username, action, target, detail, ip FROM audit_log
         ORDER BY id DESC LIMIT ? OFFSET ?",
    )
    .bind(AUDIT_PER_PAGE)
    .bind((page - 1) * AUDIT_PER_PAGE)
    .fetch_all(pool)
    .await
    .map_err(internal("reading the audit log"))?;
    Ok(AuditPage {
        entries,
        page,
        total_pages,
    })
}
