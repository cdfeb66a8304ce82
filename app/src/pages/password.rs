use crate::components::page_meta::PageTitle;
use leptos::prelude::*;

use crate::api::auth::ChangePassword;
use crate::components::error_view::ErrorView;
use crate::components::official::{CurrentOfficial, FormResult};
use crate::error::AppError;

/// `/doi-mat-khau`: an official changes their own password.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let result = Signal::derive(move || change.value().get());
    let current = use_context::<CurrentOfficial>();
    let form = move || {
        match current.map(CurrentOfficial::known) {
            // Still loading: the Transition waits; nothing is said yet.
            Some(None) => return ().into_any(),
            Some(Some(Some(_))) => {}
            _ => return view! { <ErrorView error=AppError::Unauthorized/> }.into_any(),
        }
        view! {
        <PageTitle text="Đổi mật khẩu"/>
        <section class="form-page">
            <h1>"Đổi mật khẩu"</h1>
            <p>"Mật khẩu mới phải có ít nhất 10 ký tự. Sau khi đổi, các phiên đăng nhập khác của bạn sẽ kết thúc."</p>
            <ActionForm action=change attr:class="form">
                <label for="current">"Mật khẩu hiện tại"</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required/>
                <label for="new">"Mật khẩu mới"</label>
                <input id="new" name="new" type="password" autocomplete="new-password" minlength="10" required/>
                <label for="confirm">"Nhập lại mật khẩu mới"</label>
                <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="10" required/>
                <FormResult result done="Đã đổi mật khẩu."/>
                <button type="submit" disabled=move || change.pending().get()>"Đổi mật khẩu"</button>
            </ActionForm>
        </section>
        }
        .into_any()
    };
    view! { <Transition>{form}</Transition> }
}
