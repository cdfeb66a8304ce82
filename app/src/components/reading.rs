//! The citizens' reading pages, as the browser shows them: the head from the page's fields and
//! the content as the HTML the server made (`model::Reading`). Hydration keeps that HTML as it
//! is; a client-side navigation puts in the next page's. Links in it are followed by the
//! router like any other, and GET forms in it (search, the documents' filters) navigate the
//! same way, so moving between pages never reloads.

use leptos::prelude::*;
use leptos_meta::{Link as HeadLink, Meta};

use super::page_meta::PageMeta;
use crate::model::Reading;

/// A reading page: its head and its content.
#[component]
pub fn ReadingPage(page: Reading) -> impl IntoView {
    let html = page.html.clone();
    view! {
        <ReadingHead page/>
        <ReadingBody html/>
    }
}

/// The page's title, description, canonical address and the rest of its head.
#[component]
pub fn ReadingHead(page: Reading) -> impl IntoView {
    view! {
        <PageMeta title=page.title description=page.description path=page.path date=page.date
            article=page.article image=page.image/>
        {page.feed.map(|(title, href)| view! {
            <HeadLink rel="alternate" type_="application/rss+xml" title href/>
        })}
        {page.noindex.then(|| view! { <Meta name="robots" content="noindex, follow"/> })}
    }
}

/// The content as made on the server.
#[component]
pub fn ReadingBody(html: String) -> impl IntoView {
    view! { <div class="reading" inner_html=html on:submit=get_form_in_place()></div> }
}

/// A GET form in the content (search again, filter the documents) goes through the router
/// instead of loading the page: the address is the form's action with its fields as the query.
fn get_form_in_place() -> impl Fn(leptos::ev::SubmitEvent) + 'static {
    let navigate = leptos_router::hooks::use_navigate();
    move |ev| {
        use leptos::wasm_bindgen::JsCast;
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let action = form.get_attribute("action").unwrap_or_default();
        if !form.method().eq_ignore_ascii_case("get") || crate::links::local_path(&action).is_none()
        {
            return;
        }
        let Ok(data) = leptos::web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let Ok(query) = leptos::web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data)
        else {
            return;
        };
        ev.prevent_default();
        let query = String::from(query.to_string());
        let href = if query.is_empty() {
            action
        } else {
            format!("{action}?{query}")
        };
        navigate(&href, Default::default());
    }
}

/// Renders a page's content to HTML on the server, under an owner of its own (the components'
/// signals live and end with it). It carries no hydration data: the browser never rebuilds it.
#[cfg(feature = "ssr")]
pub fn made<V: IntoView>(content: impl FnOnce() -> V) -> String {
    use leptos::tachys::view::RenderHtml;
    let owner = Owner::new();
    owner.with(|| content().into_view().to_html())
}
