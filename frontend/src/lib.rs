//! The wasm's entry points. A citizen's reading page brings its islands to life (`hydrate`,
//! called by `reading_pages.js` in the page); every other page hydrates the whole app (`hydrate_whole`,
//! called by the portal's loader), whose code is a chunk of its own. Both end with
//! `<body data-hydrated>`.
//!
//! No panic hook: its message formatting and console glue cost every citizen's phone bytes of
//! wasm for a message only a developer reads (a panic still stops with an error in the console).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate_whole() {
    wasm_bindgen_futures::spawn_local(app::whole_app());
}
