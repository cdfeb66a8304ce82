//! The wasm entry point: hydrate the server-rendered page, then mark `<body data-hydrated>`.
//!
//! Hydration is asynchronous: a page whose route or parts are split into lazily loaded wasm
//! chunks (the officials' code) waits for those chunks before it hydrates.
// The app's view type is deep; the async block that hydrates it holds it.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let document = leptos::prelude::document();
        // A page rendered for a signed-in official shows parts from the officials' chunks.
        if let Ok(Some(_)) = document.query_selector(".official-bar") {
            app::components::official::load_officials_parts().await;
        }
        let body = document.body().expect("a page has a body");
        let owner = leptos::mount::hydrate_from_async(body, app::App).await;
        owner.forget();
        if let Some(body) = leptos::prelude::document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
}
