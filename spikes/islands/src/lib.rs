//! A throw-away spike, not part of the portal: does Leptos 0.8 islands mode, with lazy islands
//! and the islands router, keep citizens under the 150 KB budget of issue 16 on this toolchain?
//! The frame's interactive parts (text size, menu, video) are islands; the officials' parts
//! (a post's tools, an admin panel with a resource and an `ActionForm`) are lazy islands that
//! take their data as props. See README.md for what it measured.

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

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="vi">
            <head>
                <meta charset="utf-8"/>
                <HydrationScripts options islands=true islands_router=true/>
                <MetaTags/>
            </head>
            <body><App/></body>
        </html>
    }
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
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <header><TextSize/><MenuFold><ul><li><a href="/">"Trang chủ"</a></li></ul></MenuFold></header>
            <main>
                <Routes fallback=|| "Không tìm thấy">
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/bai-viet/:slug") view=Post/>
                    <Route path=path!("/quan-tri") view=Admin/>
                </Routes>
            </main>
            <aside><VideoWidget html="<p>clip</p>".to_string() clip_id=Some(1)/></aside>
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

#[island(lazy)]
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

#[island(lazy)]
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
