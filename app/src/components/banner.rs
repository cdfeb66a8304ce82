use leptos::prelude::*;

use crate::api::site::save_settings;
use crate::components::official::{focus_first_field, focus_opener, reload};

/// Where the slogan's pause is kept, and the attribute of `<html>` the stylesheet reads (set
/// before the first paint by `layout::TEXT_SIZE_SCRIPT`).
const PAUSE_KEY: &str = "chu-dung";
const PAUSE_ATTRIBUTE: &str = "data-chu-dung";

/// Whether the reader stopped the slogan on an earlier page.
fn paused() -> bool {
    #[cfg(feature = "hydrate")]
    return document()
        .document_element()
        .is_some_and(|html| html.has_attribute(PAUSE_ATTRIBUTE));
    #[cfg(not(feature = "hydrate"))]
    false
}

/// Keeps the reader's choice for the next pages.
fn remember_pause(pause: bool) {
    #[cfg(feature = "hydrate")]
    {
        let storage = window().local_storage().ok().flatten();
        let html = document().document_element();
        if pause {
            storage.map(|s| s.set_item(PAUSE_KEY, "1"));
            html.map(|h| h.set_attribute(PAUSE_ATTRIBUTE, ""));
        } else {
            storage.map(|s| s.remove_item(PAUSE_KEY));
            html.map(|h| h.remove_attribute(PAUSE_ATTRIBUTE));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (pause, PAUSE_KEY, PAUSE_ATTRIBUTE);
}

/// The slogan, scrolling across the top of every page. A visible checkbox (it works without
/// JavaScript) stops it, and then the whole slogan stands still, wrapped; with JavaScript the
/// choice is remembered on every page. The motion also pauses on hover and on focus, and never
/// starts for readers who ask for reduced motion. Admins change it in place: the whole app
/// passes them `editor` (`slogan_editor`), so that a citizens' page, whose slogan is an island,
/// carries none of the form's code.
#[component]
pub fn SloganBanner(
    text: String,
    #[prop(optional_no_strip)] editor: Option<fn(String, RwSignal<bool>) -> AnyView>,
) -> impl IntoView {
    let admin = editor.is_some();
    let editing = RwSignal::new(false);
    let pause = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        // Only ever checks it: a reader who stopped the slogan before the page became
        // interactive keeps it stopped.
        if let Some(input) = pause.get().filter(|_| paused()) {
            input.set_checked(true);
        }
    });
    view! {
        <section class="slogan" aria-label="Khẩu hiệu">
            {move || if let Some(editor) = editor.filter(|_| editing.get()) {
                editor(text.clone(), editing)
            } else {
                let text = text.clone();
                view! {
                    <input type="checkbox" id="slogan-pause" class="slogan__pause-input" node_ref=pause
                        on:change=move |ev| remember_pause(event_target_checked(&ev))/>
                    <label for="slogan-pause" class="slogan__pause">"Dừng chữ chạy"</label>
                    {admin.then(|| view! {
                        <button type="button" class="slogan__edit" id="sua-khau-hieu" data-test="edit-slogan"
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

/// The admins' form for the slogan, for `SloganBanner`'s `editor`: part of the whole app
/// (`crate::whole_app`), which a citizen reading never downloads.
pub fn slogan_editor(text: String, editing: RwSignal<bool>) -> AnyView {
    let draft = RwSignal::new(text);
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
    let form = NodeRef::<leptos::html::Form>::new();
    focus_first_field(form);
    let cancel = move |_| {
        editing.set(false);
        focus_opener("#sua-khau-hieu");
    };
    view! {
        <form class="slogan__form" on:submit=save data-test="slogan-form" node_ref=form>
            <label for="slogan-input" class="visually-hidden">"Khẩu hiệu"</label>
            <input id="slogan-input" class="slogan__input" maxlength="500" required
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))/>
            <button type="submit">"Lưu khẩu hiệu"</button>
            <button type="button" on:click=cancel>"Hủy"</button>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-test="form-error">{e}</p> })}
        </form>
    }
    .into_any()
}
