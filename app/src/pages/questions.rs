//! Hỏi đáp's pages and the draft comments' pages. The server functions (`api::questions`) send
//! their data (`model::questions`); these components render it with `view!`. The forms are
//! plain HTML posted to the server's handlers, so the pages read and work the same without
//! JavaScript; no component here is an island.

mod citizens;
mod forms;
mod officials;

use crate::components::page_meta::{PageMeta, PageTitle};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use self::citizens::{CommentPageView, PublicQuestionsView, TrackingView};
use self::forms::{FormError, QuestionFormView};
use self::officials::{DraftCommentsView, QuestionDetailView, QueueView};
use crate::api::questions::{
    comment_form, draft_comments, public_questions, question_detail, question_form, question_queue,
    track_question,
};
use crate::components::error_view::loaded;
use crate::model::questions::{Notice, QaPage};

/// A page of Hỏi đáp: its status (on the server), title, heading, the line after a form, and
/// its content.
fn made<T>(
    page: QaPage<T>,
    public: Option<(&'static str, &'static str)>,
    content: impl FnOnce(T) -> AnyView,
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
    let notice = page.notice.map(|notice| match notice {
        Notice::Refused(error) => view! { <FormError error/> }.into_any(),
        Notice::Done(message) => view! {
            <p class="form-ok" role="status" data-test="form-ok">{message}</p>
        }
        .into_any(),
    });
    view! {
        {head}
        <section class="qa-page">
            <h1>{page.title}</h1>
            <div>{notice}{content(page.content)}</div>
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
        made(
            page,
            Some((
                "/hoi-dap",
                "Câu hỏi của người dân và trả lời của Ủy ban nhân dân xã; gửi câu hỏi trực tuyến.",
            )),
            |data| view! { <PublicQuestionsView data/> }.into_any(),
        )
    })
}

/// `/hoi-dap/gui-cau-hoi`.
#[component]
fn AskPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| question_form());
    loaded(data, |page| {
        made(
            page,
            Some((
                "/hoi-dap/gui-cau-hoi",
                "Gửi câu hỏi, phản ánh tới Ủy ban nhân dân xã; trả lời trong 15 ngày làm việc.",
            )),
            |data| view! { <QuestionFormView data/> }.into_any(),
        )
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
    loaded(data, |page| {
        made(page, None, |data| view! { <TrackingView data/> }.into_any())
    })
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
    loaded(data, |page| {
        made(page, None, |data| {
            view! { <CommentPageView data/> }.into_any()
        })
    })
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
    loaded(data, |page| {
        made(page, None, |data| view! { <QueueView data/> }.into_any())
    })
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
    loaded(data, |page| {
        made(page, None, |data| {
            view! { <QuestionDetailView data/> }.into_any()
        })
    })
}

/// `/quan-tri/gop-y/:id`.
#[component]
fn DraftCommentsPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        draft_comments,
    );
    loaded(data, |page| {
        made(page, None, |data| {
            view! { <DraftCommentsView data/> }.into_any()
        })
    })
}

/// What an answer's post page shows between the question and the answer: who asked (empty:
/// not named), the field and the day asked.
#[cfg(feature = "ssr")]
#[component]
pub fn QuestionAsideView(aside: crate::model::questions::QuestionAside) -> impl IntoView {
    let crate::model::questions::QuestionAside {
        asker,
        field,
        asked,
    } = aside;
    let asker = if asker.is_empty() {
        String::new()
    } else {
        format!("Người hỏi: {asker} · ")
    };
    let meta = format!("{asker}Lĩnh vực: {field} · Ngày hỏi: {asked}");
    view! {
        <p class="qa-meta" data-test="qa-asker">{meta}</p>
        <h2 class="qa-answer__heading">"Trả lời"</h2>
    }
}

/// What a document's page says of comments on it.
#[cfg(feature = "ssr")]
#[component]
pub fn DocumentCommentsView(data: crate::model::questions::DocumentComments) -> impl IntoView {
    let id = data.document_id;
    let section = data.until.map(|(until, open)| {
        let state = if open {
            view! {
                <p>{format!("Dự thảo đang được lấy ý kiến nhân dân đến hết ngày {until}.")}</p>
                <p>
                    <a class="button" href=format!("/van-ban/{id}/gop-y") data-test="comment-link">
                        "Gửi góp ý cho dự thảo"
                    </a>
                </p>
            }
            .into_any()
        } else {
            view! {
                <p data-test="comments-closed">
                    {format!("Đã hết thời hạn góp ý (đến ngày {until}).")}
                </p>
            }
            .into_any()
        };
        view! {
            <section class="draft-comments" aria-labelledby="gop-y" data-test="draft-comments">
                <h2 id="gop-y">"Góp ý dự thảo"</h2>
                {state}
                {data.received.map(|n| view! {
                    <p>
                        <a href=format!("/quan-tri/gop-y/{id}") data-test="comments-for-officials">
                            {format!("Xem {} góp ý đã nhận", crate::format::count_vn(n))}
                        </a>
                    </p>
                })}
            </section>
        }
    });
    let form = data.editor_until.map(|until| {
        view! {
            <form method="post" action=format!("/van-ban/{id}/gop-y") class="form form--inline"
                data-test="comments-until-form">
                <input type="hidden" name="thao-tac" value="han"/>
                <label for="han-gop-y">
                    "Lấy ý kiến góp ý đến hết ngày (để trống: không lấy ý kiến)"
                </label>
                <input id="han-gop-y" type="date" name="han" value=until/>
                <button type="submit">"Lưu thời hạn góp ý"</button>
            </form>
        }
    });
    view! { {section}{form} }
}
