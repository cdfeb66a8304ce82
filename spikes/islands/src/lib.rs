//! A throw-away spike, not part of the portal: can one Leptos 0.8 build in islands mode give
//! citizens a page of small islands (under the 150 KB of issue 16) and officials the whole app,
//! hydrated as today from a lazily loaded chunk? `shell` decides by the request (here a cookie
//! `official=1`): citizens get islands and the islands router; officials get their own loader,
//! and the server serialises every resource of their page (`set_is_hydrating(true)`), which
//! islands mode otherwise does not. See README.md for what it measured.

use leptos::prelude::*;
use leptos_meta::*;
use leptos_router::{components::*, path};

#[server(endpoint = "clip_view")]
pub async fn clip_view(id: i64) -> Result<i64, ServerFnError> {
    Ok(id + 1)
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

/// Whether the request comes from a signed-in official (here: a cookie `official=1`).
fn official() -> bool {
    #[cfg(feature = "ssr")]
    return use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get("cookie")
                .and_then(|c| c.to_str().ok())
                .map(|c| c.contains("official=1"))
        })
        .unwrap_or(false);
    #[cfg(not(feature = "ssr"))]
    false
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let official = official();
    view! {
        <!DOCTYPE html>
        <html lang="vi">
            <head>
                <meta charset="utf-8"/>
                {if official {
                    view! { <script type="module" inner_html=OFFICIAL_LOADER></script> }.into_any()
                } else {
                    view! { <HydrationScripts options islands=true islands_router=true/> }.into_any()
                }}
                <MetaTags/>
            </head>
            <body>
                {move || {
                    // Officials' pages hydrate whole: every resource travels with the page.
                    if official {
                        if let Some(sc) = Owner::current_shared_context() {
                            sc.set_is_hydrating(true);
                        }
                    }
                    view! { <App official/> }
                }}
            </body>
        </html>
    }
}

const OFFICIAL_LOADER: &str = "import('/pkg/spike.js').then(m=>m.default({module_or_path:'/pkg/spike.wasm'}).then(()=>m.hydrate_official()));";

/// Officials' pages: the whole app hydrates, from a chunk citizens never fetch.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate_official() {
    console_error_panic_hook::set_once();
    leptos::__reexports::wasm_bindgen_futures::spawn_local(official_app());
}

#[lazy]
fn official_app() {
    #[cfg(feature = "hydrate")]
    leptos::__reexports::wasm_bindgen_futures::spawn_local(async {
        let body = document().body().unwrap();
        let owner =
            leptos::mount::hydrate_from_async(body, || view! { <App official=true/> }).await;
        owner.forget();
        let _ = document()
            .body()
            .unwrap()
            .set_attribute("data-hydrated", "");
    });
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Item {
    pub id: i64,
    pub name: String,
}

#[cfg(feature = "ssr")]
static ITEMS: std::sync::Mutex<Vec<Item>> = std::sync::Mutex::new(Vec::new());

#[server(endpoint = "list_items")]
pub async fn list_items() -> Result<Vec<Item>, ServerFnError> {
    Ok(ITEMS.lock().unwrap().clone())
}

#[server(endpoint = "add_item")]
pub async fn add_item(name: String) -> Result<(), ServerFnError> {
    let mut items = ITEMS.lock().unwrap();
    let id = items.len() as i64 + 1;
    items.push(Item { id, name });
    Ok(())
}

#[server(endpoint = "read_post", input = leptos::server_fn::codec::GetUrl)]
pub async fn read_post(slug: String) -> Result<String, ServerFnError> {
    Ok(format!(
        "<h1>Bài {slug}</h1><p>Nội dung</p><a href=\"/\">Về trang chủ</a>"
    ))
}

#[component]
pub fn App(official: bool) -> impl IntoView {
    provide_meta_context();
    // Citizens' interactive parts are islands; in the officials' whole app, plain components.
    let header = if official {
        view! { <TextSizeView/> }.into_any()
    } else {
        view! { <TextSize/> }.into_any()
    };
    view! {
        <Router>
            <header>{header}<ul><li><a href="/">"Trang chủ"</a></li></ul></header>
            <main>
                <Routes fallback=|| "Không tìm thấy">
                    <Route path=path!("/") view=Home ssr=leptos_router::SsrMode::Async/>
                    <Route path=path!("/bai-viet/:slug") view=Post ssr=leptos_router::SsrMode::Async/>
                    <Route path=path!("/quan-tri") view=Admin ssr=leptos_router::SsrMode::Async/>
                </Routes>
            </main>
            <aside>{(!official).then(|| view! { <VideoWidget html="<p>clip</p>".to_string() clip_id=Some(1)/> })}</aside>
        </Router>
    }
}

#[component]
fn Home() -> impl IntoView {
    view! { <Title text="Trang chủ"/><div class="reading" inner_html="<h1>Xin chào</h1><a href='/bai-viet/mot'>Bài một</a> <a href='/quan-tri'>Quản trị</a>"></div> }
}

#[component]
fn Post() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let official = query.read_untracked().get("official").is_some();
    let post = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        read_post,
    );
    view! {
        <Title text="Bài viết"/>
        <Suspense>
            {move || Suspend::new(async move {
                let html = post.await.unwrap_or_default();
                view! {
                    {official.then(|| view! { <PostTools id=7/> })}
                    <div class="reading" data-test="post" inner_html=html></div>
                }
            })}
        </Suspense>
    }
}

#[component]
fn PostTools(id: i64) -> impl IntoView {
    let editing = RwSignal::new(false);
    view! {
        <div data-test="tools">
            <button type="button" data-test="edit" on:click=move |_| editing.set(true)>"Sửa bài " {id}</button>
            {move || editing.get().then(|| view! { <p data-test="editing">"Đang sửa"</p> })}
        </div>
    }
}

#[component]
fn Admin() -> impl IntoView {
    let items = Resource::new(|| (), |_| list_items());
    view! {
        <Title text="Quản trị"/>
        <Suspense>
            {move || Suspend::new(async move {
                let items = items.await.unwrap_or_default();
                view! { <AdminPanel items/> }
            })}
        </Suspense>
    }
}

#[component]
fn AdminPanel(items: Vec<Item>) -> impl IntoView {
    let add = ServerAction::<AddItem>::new();
    let again = Resource::new(move || add.version().get(), |_| list_items());
    let count = RwSignal::new(0);
    view! {
        <div data-test="admin">
            <ul data-test="items">{items.into_iter().map(|i| view! { <li>{i.name}</li> }).collect_view()}</ul>
            <ActionForm action=add>
                <input name="name" aria-label="Tên"/>
                <button type="submit">"Thêm"</button>
            </ActionForm>
            <button type="button" data-test="count" on:click=move |_| count.update(|n| *n += 1)>{move || count.get()}</button>
            <Suspense fallback=|| "…">
                <p data-test="fresh">{move || Suspend::new(async move { again.await.map(|l| l.len()).unwrap_or(0) })}</p>
            </Suspense>
        </div>
    }
}

#[island]
fn TextSize() -> impl IntoView {
    view! { <TextSizeView/> }
}

#[component]
fn TextSizeView() -> impl IntoView {
    let level = RwSignal::new(0u8);
    let set = move |n: u8| {
        level.set(n);
        let root = document().document_element().unwrap();
        let _ = root.set_attribute("data-text-size", &n.to_string());
        if let Ok(Some(s)) = window().local_storage() {
            let _ = s.set_item("text-size", &n.to_string());
        }
    };
    view! {
        <div class="text-size" role="group" aria-label="Cỡ chữ">
            <button type="button" on:click=move |_| set(level.get().saturating_sub(1)) disabled=move || level.get() == 0>"A-"</button>
            <button type="button" on:click=move |_| set(0)>"A"</button>
            <button type="button" on:click=move |_| set((level.get() + 1).min(4)) disabled=move || level.get() == 4>"A+"</button>
        </div>
    }
}

#[island]
fn MenuFold(children: Children) -> impl IntoView {
    let fold = NodeRef::<leptos::html::Details>::new();
    Effect::new(move |_| {
        if let Some(f) = fold.get() {
            let _ = f.remove_attribute("open");
        }
    });
    view! { <details node_ref=fold><summary>"Danh mục"</summary>{children()}</details> }
}

#[island]
fn VideoWidget(html: String, clip_id: Option<i64>) -> impl IntoView {
    let body = NodeRef::<leptos::html::Div>::new();
    let counted = StoredValue::new(false);
    let count = move || {
        let (Some(id), Some(body)) = (clip_id, body.get_untracked()) else {
            return;
        };
        if counted.get_value() {
            return;
        }
        counted.set_value(true);
        leptos::task::spawn_local(async move {
            if let (Ok(n), Ok(Some(views))) = (
                clip_view(id).await,
                body.query_selector("[data-test=clip-views]"),
            ) {
                views.set_text_content(Some(&n.to_string()));
            }
        });
    };
    let play = move |ev: leptos::ev::MouseEvent| {
        use leptos::wasm_bindgen::JsCast;
        let Some(poster) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
            .and_then(|el| el.closest("a.clip__poster").ok().flatten())
        else {
            return;
        };
        let Ok(frame) = document().create_element("iframe") else {
            return;
        };
        ev.prevent_default();
        let _ = frame.set_attribute("src", &poster.get_attribute("href").unwrap_or_default());
        let _ = poster.replace_with_with_node_1(&frame);
        count();
    };
    view! { <section><h2>"Video Clip"</h2><div inner_html=html node_ref=body on:click=play></div></section> }
}
