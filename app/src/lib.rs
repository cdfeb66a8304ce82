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
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{provide_meta_context, Link, Meta};
use leptos_router::{
    components::{Router, Routes, RoutesProps},
    NestedRoute, ParamSegment, PartialPathMatch, PathSegment, PossibleRouteMatch, SsrMode,
    StaticSegment,
};

use components::layout::Layout;
use pages::{
    accounts::AccountsPage,
    audit::AuditLogPage,
    category::CategoryPage,
    documents::{DocumentPageView, DocumentsPage, MissingDocumentsPage, NewDocumentPage},
    editing::{HistoryPage, NewPostPage, OfficialPostsPage},
    home::HomePage,
    not_found::NotFoundPage,
    password::PasswordPage,
    post::PostPage,
    questions::QuestionPages,
    search::SearchPage,
    sign_in::SignInPage,
    site_map::SiteMapPage,
    static_page::StaticPage,
    statistics::StatisticsPage,
};

/// Whether the page comes to life whole (the app as officials use it: router, resources,
/// forms) rather than as islands (a citizen's reading page: only its few interactive parts).
/// Provided by `shell` on the server and by `whole_app` in the browser.
#[derive(Clone, Copy, Debug)]
pub struct Whole(pub bool);

/// See [`Whole`]; a page without it (islands in the browser) is not whole.
pub fn whole() -> bool {
    use_context::<Whole>().is_some_and(|whole| whole.0)
}

/// Whether the request being served gets the whole app: a signed-in official, or a page the
/// table (`routes::PAGES`) says hydrates whole.
#[cfg(feature = "ssr")]
fn hydrates_whole() -> bool {
    let light = use_context::<http::request::Parts>()
        .is_some_and(|parts| routes::is_light(parts.uri.path()));
    !light || server::accounts::auth::current_official().is_some()
}

/// Loads the wasm and hydrates the whole app once the page has loaded and the browser is idle
/// (or after 2 s at most). No preload hint: on a slow phone network nothing competes with the
/// page for the first seconds. Instantiating the module and hydrating run as two tasks, so
/// neither blocks input long. The app's code is a chunk of its own (`whole_app`). Made once,
/// like `reading_pages_script`.
#[cfg(feature = "ssr")]
fn hydration_loader(assets: &server::assets::Assets) -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        let server::assets::Assets { js, wasm, .. } = assets;
        format!(
            "const h=()=>import('{js}').then(m=>m.default({{module_or_path:'{wasm}'}}).then(()=>setTimeout(m.hydrate_whole,0)));\
             const i=()=>'requestIdleCallback' in window?requestIdleCallback(h,{{timeout:2000}}):setTimeout(h,50);\
             document.readyState==='complete'?i():addEventListener('load',i);"
        )
    })
}

/// The script of a citizen's reading page (`reading_pages.js`): it brings the page's islands
/// to life once the browser is idle, and follows links and GET forms between reading pages in
/// place. Made once: the names of the build's files do not change while it runs.
#[cfg(feature = "ssr")]
fn reading_pages_script(assets: &server::assets::Assets) -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        let server::assets::Assets { js, wasm, .. } = assets;
        format!(
            "({})('{js}','{wasm}',/{}/,/{}/);",
            include_str!("reading_pages.js")
                .trim_end()
                .trim_end_matches(';'),
            routes::path_pattern(routes::Life::Light),
            routes::path_pattern(routes::Life::Whole),
        )
    })
}

/// Hydrates the whole app (officials, and the pages that are not reading pages). Its code,
/// the router and every page, is a wasm chunk of its own: a citizen reading never fetches it.
#[lazy]
pub fn whole_app() {
    #[cfg(feature = "hydrate")]
    wasm_bindgen_futures::spawn_local(async {
        let document = document();
        let body = document.body().expect("a page has a body");
        let app = || {
            provide_context(Whole(true));
            view! { <App/> }
        };
        let owner = leptos::mount::hydrate_from_async(body, app).await;
        owner.forget();
        if let Some(body) = leptos::prelude::document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
}

/// The last island of a citizens' page: once it comes to life, so have the ones before it
/// (they are brought to life in the page's order), and `<body data-hydrated>` says so.
#[island]
fn Ready() -> impl IntoView {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
}

/// The HTML document around the app. Rendered only on the server.
///
/// Its scripts carry the response's nonce, which the Content-Security-Policy sent with it
/// names: no other script on the page runs (`server::csp`).
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let assets = server::assets::Assets::get(&options);
    let nonce = leptos::nonce::use_nonce();
    let whole = hydrates_whole();
    provide_context(Whole(whole));
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
                {if whole {
                    view! { <script type="module" nonce=nonce inner_html=hydration_loader(assets)></script> }
                        .into_any()
                } else {
                    view! {
                        <script type="module" id="reading-pages" nonce=nonce
                            inner_html=reading_pages_script(assets)></script>
                    }
                    .into_any()
                }}
                <MetaTags/>
            </head>
            <body>
                {move || {
                    // A page of islands carries only the data made inside its islands; a page
                    // that hydrates whole needs every resource's value in the page.
                    if let Some(context) = Owner::current_shared_context() {
                        context.set_is_hydrating(whole);
                    }
                    view! {
                        <App/>
                        {(!whole).then(|| view! { <Ready/> })}
                    }
                }}
            </body>
        </html>
    }
}

/// A route's path as the router matches it: the table's pattern (`routes::Page`), one
/// segment at a time, as leptos_router's own segments match them.
#[derive(Clone, Copy, Debug)]
struct TablePath(&'static routes::Page);

impl PossibleRouteMatch for TablePath {
    fn optional(&self) -> bool {
        false
    }

    fn test<'a>(&self, path: &'a str) -> Option<PartialPathMatch<'a>> {
        let mut rest = path;
        let mut params = Vec::new();
        for segment in self.0.segments() {
            let matched = match segment {
                routes::Segment::Static(text) => StaticSegment(text).test(rest)?,
                routes::Segment::Param(name) => ParamSegment(name).test(rest)?,
            };
            rest = matched.remaining();
            params.extend(matched.params());
        }
        Some(PartialPathMatch::new(
            rest,
            params,
            &path[..path.len() - rest.len()],
        ))
    }

    fn generate_path(&self, path: &mut Vec<PathSegment>) {
        for segment in self.0.segments() {
            match segment {
                routes::Segment::Static(text) => StaticSegment(text).generate_path(path),
                routes::Segment::Param(name) => ParamSegment(name).generate_path(path),
            }
        }
    }
}

/// The view of each page of the table, by its pattern.
fn view_of(pattern: &str) -> Option<fn() -> AnyView> {
    Some(match pattern {
        "/" => || view! { <HomePage/> }.into_any(),
        "/bai-viet/:slug" => || view! { <PostPage/> }.into_any(),
        "/chuyen-muc/:slug" => || view! { <CategoryPage/> }.into_any(),
        "/trang/:slug" => || view! { <StaticPage/> }.into_any(),
        "/tim-kiem" => || view! { <SearchPage/> }.into_any(),
        "/so-do-trang" => || view! { <SiteMapPage/> }.into_any(),
        "/van-ban" => || view! { <DocumentsPage/> }.into_any(),
        "/van-ban/moi" => || view! { <NewDocumentPage/> }.into_any(),
        "/van-ban/:id" => || view! { <DocumentPageView/> }.into_any(),
        "/van-ban/:id/gop-y"
        | "/hoi-dap"
        | "/hoi-dap/gui-cau-hoi"
        | "/hoi-dap/tra-cuu"
        | "/quan-tri/hoi-dap"
        | "/quan-tri/hoi-dap/:id"
        | "/quan-tri/gop-y/:id" => || view! { <QuestionPages/> }.into_any(),
        "/quan-tri/thong-ke" => || view! { <StatisticsPage/> }.into_any(),
        "/quan-tri/van-ban-chua-co" => || view! { <MissingDocumentsPage/> }.into_any(),
        "/dang-nhap" => || view! { <SignInPage/> }.into_any(),
        "/doi-mat-khau" => || view! { <PasswordPage/> }.into_any(),
        "/quan-tri/tai-khoan" => || view! { <AccountsPage/> }.into_any(),
        "/quan-tri/nhat-ky" => || view! { <AuditLogPage/> }.into_any(),
        "/viet-bai" => || view! { <NewPostPage/> }.into_any(),
        "/quan-tri/bai-viet" => || view! { <OfficialPostsPage/> }.into_any(),
        "/quan-tri/bai-viet/:id/lich-su" => || view! { <HistoryPage/> }.into_any(),
        _ => return None,
    })
}

/// A route of the table: its pattern, and its page's view.
type TableRoute = NestedRoute<TablePath, (), (), fn() -> AnyView>;

/// The router's routes: one for each page of the table, in its order. Async: the whole page,
/// status code included, is ready before the first byte, so readers without JavaScript and
/// search engines get complete HTML.
fn table_routes() -> leptos::tachys::view::iterators::StaticVec<TableRoute> {
    routes::PAGES
        .iter()
        .filter_map(|page| {
            let Some(view) = view_of(page.pattern) else {
                leptos::logging::error!("the page {} has no view", page.pattern);
                return None;
            };
            Some(NestedRoute::new(TablePath(page), view).ssr_mode(SsrMode::Async))
        })
        .collect::<Vec<_>>()
        .into()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // While a client-side navigation waits for its data, a line at the top says so (on a
    // reading page of islands, `reading_pages.js` writes it).
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
                {Routes(
                    RoutesProps::builder()
                        .fallback(NotFoundPage)
                        .children(ToChildren::to_children(table_routes))
                        .build(),
                )}
            </Layout>
        </Router>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_page_of_the_table_has_a_view() {
        for page in super::routes::PAGES {
            assert!(super::view_of(page.pattern).is_some(), "{}", page.pattern);
        }
    }
}
