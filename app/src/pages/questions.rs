//! Hỏi đáp's pages and the draft comments' pages. Their content is made on the server (escaped
//! HTML, plain forms posted to the server), so they read and work the same without JavaScript
//! and add almost nothing to the citizens' wasm.

use crate::components::page_meta::{PageMeta, PageTitle};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::questions::{
    comment_form, draft_comments, public_questions, question_detail, question_form, question_queue,
    track_question,
};
use crate::components::error_view::loaded;
use crate::model::MadePage;

/// A made page: its status (on the server), title, heading and content.
#[component]
fn Made(
    page: MadePage,
    #[prop(optional)] public: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if page.status != 200 {
        if let (Some(response), Ok(status)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::StatusCode::from_u16(page.status),
        ) {
            response.set_status(status);
        }
    }
    let head = match public {
        Some((path, description)) => view! {
            <PageMeta title=page.title.clone() description=description path=path/>
        }
        .into_any(),
        None => view! { <PageTitle text=page.title.clone()/> }.into_any(),
    };
    view! {
        {head}
        <section class="qa-page">
            <h1>{page.title}</h1>
            <div inner_html=page.html></div>
        </section>
    }
}

/// Every Hỏi đáp page, by the path of its route.
#[component]
pub fn QuestionPages() -> impl IntoView {
    // On the server, the address the request asked for (the router's location memo, read from
    // a route's view, panicked under concurrent renders); in the browser, the router's location,
    // which is the new address while a navigation renders its route.
    #[cfg(feature = "ssr")]
    let path = use_context::<http::request::Parts>()
        .map(|parts| parts.uri.path().to_string())
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    if path == "/hoi-dap" {
        view! { <QuestionsPage/> }.into_any()
    } else if path.starts_with("/hoi-dap/gui-cau-hoi") {
        view! { <AskPage/> }.into_any()
    } else if path.starts_with("/hoi-dap/tra-cuu") {
        view! { <TrackPage/> }.into_any()
    } else if path.starts_with("/van-ban/") {
        view! { <CommentPage/> }.into_any()
    } else if path.starts_with("/quan-tri/gop-y/") {
        view! { <DraftCommentsPage/> }.into_any()
    } else if path.starts_with("/quan-tri/hoi-dap/") {
        view! { <QuestionPage/> }.into_any()
    } else {
        view! { <QueuePage/> }.into_any()
    }
}

/// `/hoi-dap`.
#[component]
fn QuestionsPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (q.get("linh-vuc"), q.get("q"), q.get("trang"))
        },
        |(field, words, number)| public_questions(field, words, number),
    );
    loaded(data, |page| {
        view! {
            <Made page public=("/hoi-dap", "Câu hỏi của người dân và trả lời của Ủy ban nhân dân xã; gửi câu hỏi trực tuyến.")/>
        }
    })
}

/// `/hoi-dap/gui-cau-hoi`.
#[component]
fn AskPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| question_form());
    loaded(data, |page| {
        view! {
            <Made page public=("/hoi-dap/gui-cau-hoi", "Gửi câu hỏi, phản ánh tới Ủy ban nhân dân xã; trả lời trong 15 ngày làm việc.")/>
        }
    })
}

/// `/hoi-dap/tra-cuu`.
#[component]
fn TrackPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (q.get("ma"), q.get("moi"))
        },
        |(code, fresh)| track_question(code, fresh),
    );
    loaded(data, |page| view! { <Made page/> })
}

/// `/van-ban/:id/gop-y`.
#[component]
fn CommentPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().get("da-gui"),
            )
        },
        |(id, sent)| comment_form(id, sent),
    );
    loaded(data, |page| view! { <Made page/> })
}

/// `/quan-tri/hoi-dap`.
#[component]
fn QueuePage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (q.get("xem"), q.get("xong"))
        },
        |(tab, done)| question_queue(tab, done),
    );
    loaded(data, |page| view! { <Made page/> })
}

/// `/quan-tri/hoi-dap/:id`.
#[component]
fn QuestionPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().get("xong"),
            )
        },
        |(id, done)| question_detail(id, done),
    );
    loaded(data, |page| view! { <Made page/> })
}

/// `/quan-tri/gop-y/:id`.
#[component]
fn DraftCommentsPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        draft_comments,
    );
    loaded(data, |page| view! { <Made page/> })
}
