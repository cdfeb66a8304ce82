//! The wasm's entry points. A citizen's reading page brings its islands to life (`hydrate`,
//! called by `reading_pages.js` in the page); every other page hydrates the whole app (`hydrate_whole`,
//! called by the portal's loader), whose code is a chunk of its own. Both end with
//! `<body data-hydrated>`.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate_whole() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(app::whole_app());
}
