use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Account, AuditPage};

/// All accounts, for admins.
#[server(endpoint = "accounts", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_accounts() -> Result<Vec<Account>, AppError> {
    use crate::model::Role;
    use crate::server::{accounts, accounts::auth};
    let admin = auth::require(Role::Admin)?;
    let state = crate::server::state()?;
    let mut list = accounts::list(&state.pool).await?;
    for account in &mut list {
        account.is_me = account.id == admin.id;
    }
    Ok(list)
}

#[server(endpoint = "create_account")]
pub async fn create_account(
    username: String,
    display_name: String,
    role: String,
    password: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::server::{accounts, accounts::auth};
    let admin = auth::require(Role::Admin)?;
    let state = crate::server::state()?;
    let username = auth::Username::parse(&username)?;
    let display_name = auth::DisplayName::parse(&display_name)?;
    let role = parse_role(&role)?;
    let password = auth::NewPassword::parse(&password)?;
    let actor = accounts::Actor::official(&admin, auth::client_ip());
    accounts::create(
        &state.pool,
        &state.password_checks,
        &actor,
        &username,
        &display_name,
        role,
        password,
    )
    .await?;
    Ok(())
}

#[server(endpoint = "set_account_role")]
pub async fn set_account_role(id: i64, role: String) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::server::{accounts, accounts::auth};
    let admin = auth::require(Role::Admin)?;
    let state = crate::server::state()?;
    let role = parse_role(&role)?;
    let actor = accounts::Actor::official(&admin, auth::client_ip());
    accounts::set_role(&state.pool, &actor, id, role).await
}

/// Disables an account (its sessions end at once) or enables it again.
#[server(endpoint = "set_account_disabled")]
pub async fn set_account_disabled(id: i64, disabled: bool) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::server::{accounts, accounts::auth};
    let admin = auth::require(Role::Admin)?;
    let state = crate::server::state()?;
    let actor = accounts::Actor::official(&admin, auth::client_ip());
    accounts::set_disabled(&state.pool, &actor, id, disabled).await
}

/// An admin sets a new password for an account; its sessions end.
#[server(endpoint = "reset_account_password")]
pub async fn reset_account_password(id: i64, password: String) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::server::{accounts, accounts::auth};
    let admin = auth::require(Role::Admin)?;
    let state = crate::server::state()?;
    // Their own password needs the current one ("Đổi mật khẩu"): a session left open must not
    // be enough to take the account over.
    if id == admin.id {
        return Err(AppError::BadRequest(OWN_PASSWORD.into()));
    }
    let password = auth::NewPassword::parse(&password)?;
    let actor = accounts::Actor::official(&admin, auth::client_ip());
    accounts::set_password(
        &state.pool,
        &state.password_checks,
        &actor,
        id,
        password,
        None,
    )
    .await
}

/// Why an admin cannot reset their own password from the accounts page.
pub const OWN_PASSWORD: &str =
    "Mật khẩu của chính bạn được đổi ở mục “Đổi mật khẩu”, với mật khẩu hiện tại.";

/// A page of the audit log, newest first, for admins.
#[server(endpoint = "audit_log", input = leptos::server_fn::codec::GetUrl)]
pub async fn audit_log(page: Option<String>) -> Result<AuditPage, AppError> {
    use crate::model::Role;
    use crate::server::{accounts, accounts::auth, paging};
    auth::require(Role::Admin)?;
    let state = crate::server::state()?;
    let page = paging::parse_page(page.as_deref())?;
    accounts::audit_page(&state.pool, page).await
}

#[cfg(feature = "ssr")]
fn parse_role(raw: &str) -> Result<crate::model::Role, AppError> {
    crate::model::Role::parse(raw).ok_or_else(|| {
        AppError::BadRequest("Vai trò phải là Phóng viên, Biên tập viên hoặc Quản trị.".into())
    })
}
