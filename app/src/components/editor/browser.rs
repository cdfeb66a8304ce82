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
