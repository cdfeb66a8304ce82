//! What citizens see of Hỏi đáp: the published questions and answers, the tracking page and
//! the comment page of a draft. Server-only components (no islands): plain links and forms.

use leptos::prelude::*;

use super::forms::{field_options, paragraphs, CommentFormView, FormError};
use crate::model::questions::{
    CommentPage, CommentState, PublicItem, PublicQuestions, TrackFound, Tracked, Tracking,
};

/// `/hoi-dap`'s content.
#[component]
pub fn PublicQuestionsView(data: PublicQuestions) -> impl IntoView {
    let PublicQuestions {
        fields,
        chosen,
        words,
        filtered,
        items,
        page,
        prev,
        next,
    } = data;
    let chosen = chosen.unwrap_or_default();
    let list = if items.is_empty() {
        let empty = if filtered {
            "Không có câu hỏi nào phù hợp."
        } else {
            "Chưa có câu hỏi nào được trả lời và đăng."
        };
        view! { <p data-test="qa-empty">{empty}</p> }.into_any()
    } else {
        view! {
            <ul class="qa-list" data-test="qa-list">
                {items.into_iter().map(|item| view! { <PublicItemView item/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let pagination = (prev.is_some() || next.is_some()).then(|| {
        view! {
            <nav class="pagination" aria-label="Phân trang">
                <ul>
                    {prev.map(|href| view! { <li><a href=href rel="prev">"Trang trước"</a></li> })}
                    <li><span aria-current="page">{format!("Trang {page}")}</span></li>
                    {next.map(|href| view! { <li><a href=href rel="next">"Trang sau"</a></li> })}
                </ul>
            </nav>
        }
    });
    view! {
        <p class="qa-actions">
            <a class="button" href="/hoi-dap/gui-cau-hoi" data-test="ask">"Gửi câu hỏi"</a>
            " "
            <a href="/hoi-dap/tra-cuu">"Tra cứu câu hỏi đã gửi"</a>
        </p>
        <form class="form form--inline qa-filter" method="get" action="/hoi-dap" role="search"
            data-test="qa-filter">
            <label for="qa-q">"Tìm trong hỏi đáp"</label>
            <input id="qa-q" name="q" type="search" value=words maxlength="200"/>
            <label for="qa-field">"Lĩnh vực"</label>
            <select id="qa-field" name="linh-vuc">
                <option value="">"Tất cả lĩnh vực"</option>
                {field_options(fields, &chosen)}
            </select>
            <button type="submit">"Lọc"</button>
        </form>
        {list}
        {pagination}
    }
}

#[component]
fn PublicItemView(item: PublicItem) -> impl IntoView {
    let asker = if item.asker.is_empty() {
        String::new()
    } else {
        format!("Người hỏi: {} · ", item.asker)
    };
    let meta = format!(
        "{} · {asker}Hỏi ngày {} · Trả lời ngày {}",
        item.field, item.asked, item.answered
    );
    view! {
        <li class="qa-item">
            <h2 class="qa-item__title">
                <a href=format!("/bai-viet/{}", crate::format::path_segment(&item.slug))>{item.title}</a>
            </h2>
            <p class="qa-meta">{meta}</p>
            <p>{item.excerpt}</p>
        </li>
    }
}

/// `/hoi-dap/tra-cuu`'s content.
#[component]
pub fn TrackingView(data: Tracking) -> impl IntoView {
    let Tracking { typed, found } = data;
    let above = match found {
        TrackFound::Nothing => {
            view! { <p>"Nhập mã tra cứu bạn nhận được khi gửi câu hỏi."</p> }.into_any()
        }
        TrackFound::Unknown => view! {
            <p class="form-error" role="alert" data-test="form-error">
                {format!(
                    "Không tìm thấy câu hỏi có mã “{typed}”. Mã gồm 8 chữ và số (không có số 0, số 1, chữ O, chữ I); vui lòng kiểm tra lại."
                )}
            </p>
        }
        .into_any(),
        TrackFound::Question(tracked) => view! { <TrackedView tracked=*tracked/> }.into_any(),
    };
    view! {
        {above}
        <form class="form form--inline qa-track" method="get" action="/hoi-dap/tra-cuu"
            data-test="track-form">
            <label for="ma">"Mã tra cứu"</label>
            <input id="ma" name="ma" value=typed maxlength="20" autocapitalize="characters"
                autocomplete="off" spellcheck="false" required/>
            <button type="submit">"Tra cứu"</button>
        </form>
    }
}

#[component]
fn TrackedView(tracked: Tracked) -> impl IntoView {
    let Tracked {
        fresh,
        code,
        title,
        field,
        received,
        due,
        label,
        declined,
        answer,
        open,
    } = tracked;
    view! {
        {fresh.then(|| view! {
            <div class="form-ok qa-received" role="status" data-test="question-received">
                <p>"Câu hỏi của bạn đã được tiếp nhận. Mã tra cứu của bạn là"</p>
                <p class="qa-code" data-test="tracking-code">{code.clone()}</p>
                <p>"Hãy ghi lại hoặc chụp lại mã này: dùng mã để xem tình trạng và câu trả lời tại trang này."</p>
            </div>
        })}
        <dl class="qa-facts" data-test="tracked">
            <dt>"Mã tra cứu"</dt><dd>{code}</dd>
            <dt>"Câu hỏi"</dt><dd>{title}</dd>
            <dt>"Lĩnh vực"</dt><dd>{field}</dd>
            <dt>"Ngày tiếp nhận"</dt><dd>{received}</dd>
            <dt>"Hạn trả lời"</dt><dd>{due}</dd>
            <dt>"Tình trạng"</dt><dd data-test="status"><strong>{label}</strong></dd>
        </dl>
        {declined.map(|reason| view! {
            <section class="qa-answer" aria-labelledby="ly-do">
                <h2 id="ly-do">"Lý do không đăng"</h2>
                {paragraphs(&reason)}
            </section>
        })}
        {answer.map(|answer| view! {
            <section class="qa-answer" aria-labelledby="tra-loi" data-test="answer">
                <h2 id="tra-loi">"Trả lời"</h2>
                <p class="qa-meta">{format!("Ngày trả lời: {}", answer.day)}</p>
                // The answer's post body: HTML sanitised by the allow-list when it was saved,
                // shown as the post's own page shows it.
                <div inner_html=answer.body_html></div>
                {answer.published.map(|slug| view! {
                    <p>
                        <a href=format!("/bai-viet/{}", crate::format::path_segment(&slug))>
                            "Xem câu hỏi và trả lời đã đăng trên cổng"
                        </a>
                    </p>
                })}
            </section>
        })}
        {open.then(|| view! {
            <p>"Câu hỏi đang được cán bộ xử lý. Bạn có thể quay lại trang này để xem câu trả lời."</p>
        })}
    }
}

/// `/van-ban/<id>/gop-y`'s content.
#[component]
pub fn CommentPageView(data: CommentPage) -> impl IntoView {
    let id = data.document_id;
    let back = move || {
        view! { <p><a href=format!("/van-ban/{id}")>"← Xem văn bản dự thảo"</a></p> }
    };
    match data.state {
        CommentState::Sent => view! {
            <p class="form-ok" role="status" data-test="comment-received">
                "Cảm ơn bạn đã góp ý. Ý kiến của bạn đã được gửi tới cán bộ tổng hợp."
            </p>
            {back()}
        }
        .into_any(),
        CommentState::Open { until, form } => view! {
            {back()}
            <p>
                {format!(
                    "Ý kiến góp ý được nhận đến hết ngày {until}. Cán bộ tổng hợp các ý kiến để hoàn thiện văn bản."
                )}
            </p>
            <CommentFormView id form/>
        }
        .into_any(),
        CommentState::Closed { until } => view! {
            {back()}
            <p class="form-error" role="alert" data-test="comments-closed">
                {format!("Đã hết thời hạn góp ý cho dự thảo này (đến ngày {until}).")}
            </p>
        }
        .into_any(),
        CommentState::NotAsked { error } => view! {
            {error.map(|error| view! { <FormError error/> })}
            {back()}
            <p data-test="comments-closed">"Văn bản này không lấy ý kiến góp ý."</p>
        }
        .into_any(),
    }
}
