use leptos::prelude::*;

use crate::api::site::save_settings;
use crate::components::official::reload;

/// The slogan, scrolling across the top of every page. A visible checkbox (it works without
/// JavaScript) stops it; the motion also pauses on hover and on focus, and never starts for
/// readers who ask for reduced motion. Admins change it in place.
#[component]
pub fn SloganBanner(text: String, admin: bool) -> impl IntoView {
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(text.clone());
    let error = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = draft.get_untracked();
        leptos::task::spawn_local(async move {
            match save_settings(vec![("slogan".into(), value)]).await {
                Ok(()) => reload(),
                Err(err) => error.set(Some(err.to_string())),
            }
        });
    };
    view! {
        <section class="slogan" aria-label="Khẩu hiệu">
            {move || if editing.get() {
                view! {
                    <form class="slogan__form" on:submit=save data-test="slogan-form">
                        <label for="slogan-input" class="visually-hidden">"Khẩu hiệu"</label>
                        <input id="slogan-input" class="slogan__input" maxlength="500" required
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))/>
                        <button type="submit">"Lưu khẩu hiệu"</button>
                        <button type="button" on:click=move |_| editing.set(false)>"Hủy"</button>
                        {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-test="form-error">{e}</p> })}
                    </form>
                }.into_any()
            } else {
                let text = text.clone();
                view! {
                    <input type="checkbox" id="slogan-pause" class="slogan__pause-input"/>
                    <label for="slogan-pause" class="slogan__pause">"Dừng chữ chạy"</label>
                    {admin.then(|| view! {
                        <button type="button" class="slogan__edit" data-test="edit-slogan"
                            on:click=move |_| editing.set(true)>"Sửa khẩu hiệu"</button>
                    })}
                    <div class="slogan__track">
                        <p class="slogan__text" data-test="slogan">{text}</p>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
