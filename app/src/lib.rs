//! The portal's Leptos crate: rendered on the server (`ssr`) and hydrated in the browser
//! (`hydrate`). `shell` is the HTML document, `App` the route table.
// The officials' tables nest views deeply enough to pass rustc's default type depth.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod error;
pub mod format;
pub mod links;
pub mod markup;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{provide_meta_context, Link, Meta};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, SsrMode,
};

use components::layout::Layout;
use pages::{
    category::CategoryPage,
    documents::{DocumentPageView, DocumentsPage},
    home::HomePage,
    not_found::NotFoundPage,
    officials,
    post::PostPage,
    search::SearchPage,
    site_map::SiteMapPage,
    static_page::StaticPage,
};

/// Loads the wasm and hydrates once the page has loaded and the browser is idle (or after 2 s
/// at most). Leptos' own `HydrationScripts` preloads the wasm from the head, which on a slow
/// phone network competes with the page for the first seconds; the page is complete without
/// it (links and the search form work), so it waits. No preload hint: nothing starts early.
/// Instantiating the module and hydrating run as two tasks, so neither blocks input long.
#[cfg(feature = "ssr")]
fn hydration_loader(assets: &server::assets::Assets) -> String {
    let server::assets::Assets { js, wasm, .. } = assets;
    format!(
        "const h=()=>import('{js}').then(m=>m.default({{module_or_path:'{wasm}'}}).then(()=>setTimeout(m.hydrate,0)));\
         const i=()=>'requestIdleCallback' in window?requestIdleCallback(h,{{timeout:2000}}):setTimeout(h,50);\
         document.readyState==='complete'?i():addEventListener('load',i);"
    )
}

/// The HTML document around the app. Rendered only on the server.
///
/// Its two scripts carry the response's nonce, which the Content-Security-Policy sent with it
/// names: no other script on the page runs (`server::csp`).
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let assets = server::assets::Assets::get(&options);
    let nonce = leptos::nonce::use_nonce();
    if let (Some(nonce), Some(response)) = (
        nonce.as_ref(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(policy) = http::HeaderValue::from_str(&server::csp::page(nonce)) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="vi">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <script nonce=nonce.clone() inner_html=components::layout::TEXT_SIZE_SCRIPT></script>
                <link rel="stylesheet" href=assets.css.clone()/>
                <script type="module" nonce=nonce inner_html=hydration_loader(assets)></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // While a client-side navigation waits (for its data, or for an officials' route's wasm
    // chunk), a line at the top says so.
    let (routing, set_is_routing) = signal(false);
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Link rel="alternate" type_="application/rss+xml" title="Tin tức" href="/rss.xml"/>
        <Meta name="theme-color" content="#a50e0e"/>
        <Router set_is_routing>
            <p class="routing" role="status" data-test="routing">
                {move || routing.get().then_some("Đang tải trang…")}
            </p>
            <Layout>
                // Async: the whole page, status code included, is ready before the first byte,
                // so readers without JavaScript and search engines get complete HTML.
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/bai-viet/:slug") view=PostPage ssr=SsrMode::Async/>
                    <Route path=path!("/chuyen-muc/:slug") view=CategoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/trang/:slug") view=StaticPage ssr=SsrMode::Async/>
                    <Route path=path!("/tim-kiem") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/so-do-trang") view=SiteMapPage ssr=SsrMode::Async/>
                    <Route path=path!("/van-ban") view=DocumentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/van-ban/moi") view={Lazy::<officials::NewDocument>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/van-ban/:id") view=DocumentPageView ssr=SsrMode::Async/>
                    <Route path=path!("/van-ban/:id/gop-y") view={Lazy::<officials::QuestionPages>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/hoi-dap") view={Lazy::<officials::QuestionPages>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/hoi-dap/gui-cau-hoi") view={Lazy::<officials::QuestionPages>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/hoi-dap/tra-cuu") view={Lazy::<officials::QuestionPages>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/hoi-dap") view={Lazy::<officials::QuestionPages>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/hoi-dap/:id") view={Lazy::<officials::QuestionPages>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/gop-y/:id") view={Lazy::<officials::QuestionPages>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/thong-ke") view={Lazy::<officials::Statistics>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/van-ban-chua-co") view={Lazy::<officials::MissingDocuments>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/dang-nhap") view={Lazy::<officials::SignIn>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/doi-mat-khau") view={Lazy::<officials::Password>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/tai-khoan") view={Lazy::<officials::Accounts>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/nhat-ky") view={Lazy::<officials::AuditLog>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/viet-bai") view={Lazy::<officials::NewPost>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/bai-viet") view={Lazy::<officials::OfficialPosts>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/quan-tri/bai-viet/:id/lich-su") view={Lazy::<officials::History>::new()} ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
