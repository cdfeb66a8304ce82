use crate::components::page_meta::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::auth::SignIn;
use crate::components::official::{reload_to, use_official};
use crate::error::AppError;

/// `/dang-nhap`: officials sign in here. `?tiep=/path` says where to go afterwards.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || {
        query
            .read()
            .get("tiep")
            .and_then(|path| crate::links::local_path(&path).map(str::to_string))
            .unwrap_or_else(|| "/".to_string())
    };
    let sign_in = ServerAction::<SignIn>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = sign_in.value().get() {
            reload_to(&next());
        }
    });
    // Sent with JavaScript, the action's answer; without, the code of the redirect back.
    let error = move || {
        sign_in
            .value()
            .get()
            .and_then(Result::err)
            .map(|err| err.to_string())
            .or_else(|| {
                let code = query.read().get("loi")?;
                AppError::no_script_message(&code).map(str::to_string)
            })
    };
    view! {
        <PageTitle text="Đăng nhập"/>
        <section class="form-page">
            <h1>"Đăng nhập"</h1>
            <Transition>
                {move || use_official().map(|official| view! {
                    <p class="form-ok" role="status">
                        "Bạn đang đăng nhập với tên " <strong>{official.display_name}</strong> "."
                    </p>
                })}
            </Transition>
            <p>"Dành cho cán bộ quản lý nội dung của cổng thông tin."</p>
            <ActionForm action=sign_in attr:class="form" attr:data-test="sign-in-form">
                <label for="username">"Tên đăng nhập"</label>
                <input id="username" name="username" type="text" autocomplete="username"
                    autocapitalize="none" spellcheck="false" required/>
                <label for="password">"Mật khẩu"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
                {move || error().map(|err| view! {
                    <p class="form-error" role="alert" data-test="form-error">{err}</p>
                })}
                <button type="submit" disabled=move || sign_in.pending().get()>"Đăng nhập"</button>
            </ActionForm>
        </section>
    }
}
