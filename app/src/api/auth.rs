use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Official;

/// Signs an official in: checks the name and password (slowed, then refused, after repeated
/// failures), ends any session the browser had, starts a new one and sets its cookie.
#[server(endpoint = "sign_in")]
pub async fn sign_in(username: String, password: String) -> Result<Official, AppError> {
    use crate::server::{accounts, accounts::auth};
    let state = crate::server::state()?;
    if username.trim().is_empty() || password.is_empty() {
        return Err(AppError::BadRequest(
            "Vui lòng nhập tên đăng nhập và mật khẩu.".into(),
        ));
    }
    if username.len() > 200 || password.len() > 1024 {
        return Err(AppError::BadRequest(
            "Tên đăng nhập hoặc mật khẩu không đúng.".into(),
        ));
    }
    let ip = auth::client_ip();
    let headers = use_context::<http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    // A browser this account signed in from before is throttled on its own, so guesses from
    // the address it shares (a commune office, a proxy) do not lock its owner out.
    let held = auth::read_known_browser_cookie(&headers);
    let known = match held {
        Some(token) => auth::is_known_browser(&state.pool, &state.clock, &username, token).await?,
        None => false,
    };
    let from = match held {
        Some(token) if known => auth::AttemptFrom::KnownBrowser(token),
        _ => auth::AttemptFrom::Address(&ip),
    };
    let delay = state.throttle.attempt(&username, from)?;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let checked =
        accounts::check_credentials(&state.pool, &state.password_checks, &username, password).await;
    if checked.is_err() {
        // Busy (or failed): no password was judged, so no failure is counted.
        state.throttle.not_checked(&username, from);
    }
    let Some(official) = checked? else {
        tracing::warn!(username = %username.trim(), %ip, known_browser = known, "failed sign-in");
        return Err(AppError::BadRequest(
            "Tên đăng nhập hoặc mật khẩu không đúng.".into(),
        ));
    };
    state.throttle.succeeded(&username, from);
    let secure = auth::secure(&state.auth, &headers);
    // A new token at every sign-in: a session fixed before it is worth nothing after.
    if let Some(old) = auth::read_session_cookie(&headers) {
        auth::end_session(&state.pool, old).await?;
    }
    let token = auth::start_session(&state.pool, &state.clock, official.id, &ip).await?;
    set_cookie(&auth::session_cookie(&token, secure));
    set_cookie(
        &auth::remember_browser(&state.pool, &state.clock, official.id, held, secure).await?,
    );
    let actor = accounts::Actor::official(&official, ip);
    accounts::audit_alone(&state.pool, &actor, "Đăng nhập", "").await?;
    Ok(official)
}

/// Ends the browser's session on the server and removes its cookie.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::{accounts, accounts::auth};
    let state = crate::server::state()?;
    let headers = use_context::<http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    if let Some(token) = auth::read_session_cookie(&headers) {
        auth::end_session(&state.pool, token).await?;
    }
    set_cookie(&auth::clear_session_cookie(auth::secure(
        &state.auth,
        &headers,
    )));
    if let Some(official) = auth::current_official() {
        let actor = accounts::Actor::official(&official, auth::client_ip());
        accounts::audit_alone(&state.pool, &actor, "Đăng xuất", "").await?;
    }
    Ok(())
}

/// The signed-in official, or None for a citizen.
#[server(endpoint = "me", input = leptos::server_fn::codec::GetUrl)]
pub async fn who_am_i() -> Result<Option<Official>, AppError> {
    let Some(mut official) = crate::server::accounts::auth::current_official() else {
        return Ok(None);
    };
    // What waits for them, for the bar; the bar shows without it if counting fails.
    let state = crate::server::state()?;
    official.waiting = crate::server::content::list::waiting(&state.pool, &official)
        .await
        .ok();
    official.questions = crate::server::questions::counts(
        &state.pool,
        &official,
        crate::server::questions::today(&state.clock),
    )
    .await
    .ok();
    Ok(Some(official))
}

/// An official changes their own password; their other sessions end.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::server::{accounts, accounts::auth};
    let official = auth::require(Role::Writer)?;
    let state = crate::server::state()?;
    let password = auth::NewPassword::parse(&new)?;
    if new != confirm {
        return Err(AppError::BadRequest(
            "Mật khẩu nhập lại không khớp với mật khẩu mới.".into(),
        ));
    }
    // Guessing the current password from a session left open is throttled like a sign-in.
    let ip = auth::client_ip();
    let from = auth::AttemptFrom::Address(&ip);
    let delay = state.throttle.attempt(&official.username, from)?;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let hash = accounts::password_hash(&state.pool, official.id).await?;
    let checked = state.password_checks.verify(current, hash).await;
    if checked.is_err() {
        state.throttle.not_checked(&official.username, from);
    }
    if !checked? {
        return Err(AppError::BadRequest("Mật khẩu hiện tại không đúng.".into()));
    }
    state.throttle.succeeded(&official.username, from);
    let token = use_context::<http::request::Parts>()
        .and_then(|parts| auth::read_session_cookie(&parts.headers).map(str::to_string));
    let actor = accounts::Actor::official(&official, auth::client_ip());
    accounts::set_password(
        &state.pool,
        &state.password_checks,
        &actor,
        official.id,
        password,
        token.as_deref(),
    )
    .await
}

#[cfg(feature = "ssr")]
fn set_cookie(value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}
