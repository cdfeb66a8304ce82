//! Browser-only calls of the editor: formatting commands, prompts, the browser's storage and
//! clock. On the server they do nothing (the editor only acts in the browser).

#[cfg(feature = "hydrate")]
use leptos::wasm_bindgen::JsCast;

/// A `document.execCommand`: formatting that joins the browser's own undo history.
pub(super) fn exec(command: &str, value: &str) {
    #[cfg(feature = "hydrate")]
    if let Ok(doc) = leptos::prelude::document().dyn_into::<web_sys::HtmlDocument>() {
        let _ = doc.exec_command_with_show_ui_and_value(command, false, value);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (command, value);
}

pub(super) fn prompt(message: &str, default: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    return leptos::prelude::window()
        .prompt_with_message_and_default(message, default)
        .ok()
        .flatten();
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (message, default);
        None
    }
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

pub(super) fn local_get(key: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    return storage()?.get_item(key).ok().flatten();
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

pub(super) fn local_set(key: &str, value: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, value);
}

pub(super) fn local_remove(key: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

pub(super) fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    return web_sys::js_sys::Date::now();
    #[cfg(not(feature = "hydrate"))]
    0.0
}

/// `dd/mm/yyyy hh:mm` in the browser's time zone.
pub(super) fn local_time(ms: f64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let d = web_sys::js_sys::Date::new(&leptos::wasm_bindgen::JsValue::from_f64(ms));
        format!(
            "{:02}/{:02}/{} {:02}:{:02}",
            d.get_date(),
            d.get_month() + 1,
            d.get_full_year(),
            d.get_hours(),
            d.get_minutes()
        )
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ms;
        String::new()
    }
}

/// While `unsaved()` holds, asks before the page is left through the site itself: a click on a
/// link outside the editor, or a form sent from outside it (the header's search), which the
/// router would otherwise follow at once. Listens in the capture phase, ahead of the router;
/// when the official stays, the click or submission is stopped. Returns what removes it.
pub(super) fn ask_before_leaving(
    editor: leptos::prelude::NodeRef<leptos::html::Div>,
    unsaved: impl Fn() -> bool + 'static,
) -> impl FnOnce() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::GetUntracked;
        use leptos::wasm_bindgen::closure::Closure;
        use leptos::wasm_bindgen::JsCast;
        let question = "Bài viết có thay đổi chưa lưu. Rời trang này?\n\
                        (Bản chưa lưu vẫn được giữ trên máy này.)";
        let handler = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let Some(target) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let leaves = match ev.type_().as_str() {
                "click" => target
                    .closest("a[href]")
                    .ok()
                    .flatten()
                    .is_some_and(|a| a.get_attribute("target").is_none_or(|t| t == "_self")),
                "submit" => true,
                _ => false,
            };
            let inside = editor
                .get_untracked()
                .is_some_and(|editor| editor.contains(Some(&target)));
            if !leaves || inside || !unsaved() {
                return;
            }
            let stays = !leptos::prelude::window()
                .confirm_with_message(question)
                .unwrap_or(true);
            if stays {
                ev.prevent_default();
                ev.stop_immediate_propagation();
            }
        });
        let window = leptos::prelude::window();
        for kind in ["click", "submit"] {
            let _ = window.add_event_listener_with_callback_and_bool(
                kind,
                handler.as_ref().unchecked_ref(),
                true,
            );
        }
        // Held by the cleanup, which must be Send; the wasm has one thread.
        let handler = send_wrapper::SendWrapper::new(handler);
        move || {
            let window = leptos::prelude::window();
            for kind in ["click", "submit"] {
                let _ = window.remove_event_listener_with_callback_and_bool(
                    kind,
                    handler.as_ref().unchecked_ref(),
                    true,
                );
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (editor, unsaved);
        || {}
    }
}

/// Asks a yes-or-no question; no browser (the server) answers no.
pub(super) fn confirm(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    return leptos::prelude::window()
        .confirm_with_message(question)
        .unwrap_or(false);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        false
    }
}

/// Closes the editor by loading the page again without it: the post as citizens now see it
/// (`/viet-bai`, never saved, leads to the officials' list of posts).
pub(super) fn close_editor() {
    #[cfg(feature = "hydrate")]
    {
        let location = leptos::prelude::window().location();
        let path = location.pathname().unwrap_or_default();
        let to = if path == "/viet-bai" {
            "/quan-tri/bai-viet".to_string()
        } else {
            path
        };
        let _ = location.assign(&to);
    }
}
