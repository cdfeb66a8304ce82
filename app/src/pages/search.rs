use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::{error_view::loaded, reading::ReadingPage};
#[cfg(feature = "ssr")]
use crate::{
    components::{pagination::Pagination, reading::made},
    format::{count_vn, date_vn, query_value},
    model::{Fragment, Reading, SearchHit, SearchResults},
};

/// Search results at `/tim-kiem?q=...`: a GET form, so it works without JavaScript.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let results = Resource::new(
        move || {
            let query = query.read();
            (query.get("q"), query.get("trang"))
        },
        |(q, page)| read_search(q, page),
    );
    loaded(results, |page| view! { <ReadingPage page/> })
}

/// Search results, made on the server.
#[server(endpoint = "read/search", input = leptos::server_fn::codec::GetUrl)]
pub async fn read_search(
    q: Option<String>,
    trang: Option<String>,
) -> Result<crate::model::Reading, crate::error::AppError> {
    let results = crate::api::search::search(q, trang).await?;
    Ok(render(results))
}

/// The results, with the form to search again (the router takes it: `components::reading`).
#[cfg(feature = "ssr")]
pub fn render(results: SearchResults) -> Reading {
    let asked = !results.query.is_empty();
    let title = if asked {
        format!("Tìm kiếm: {}", results.query)
    } else {
        "Tìm kiếm".to_string()
    };
    let base = format!("/tim-kiem?q={}", query_value(&results.query));
    let summary = if !asked {
        "Nhập từ cần tìm: có dấu hay không dấu đều được, ví dụ: ke hoach papi.".to_string()
    } else if results.total == 0 {
        format!("Không tìm thấy kết quả nào cho «{}».", results.query)
    } else if results.more {
        format!(
            "Tìm thấy hơn {} kết quả cho «{}». Thêm từ để thu hẹp kết quả.",
            count_vn(results.total),
            results.query
        )
    } else {
        format!(
            "Tìm thấy {} kết quả cho «{}».",
            count_vn(results.total),
            results.query
        )
    };
    let html = made(|| {
        view! {
            <h1 class="section-title">{title.clone()}</h1>
            <form method="get" action="/tim-kiem" class="search-form" role="search" aria-label="Tìm kiếm lại">
                <label for="tu-khoa">"Từ cần tìm"</label>
                <div class="search-form__row">
                    <input type="search" id="tu-khoa" name="q" value=results.query.clone() required
                        maxlength="200" data-test="search-page-input"/>
                    <button type="submit">"Tìm kiếm"</button>
                </div>
            </form>
            <p class="search-summary" role="status" data-test="search-summary">{summary}</p>
            <ol class="search-results" data-test="search-results">
                {results.hits.into_iter().map(|hit| view! { <Hit hit/> }).collect_view()}
            </ol>
            <Pagination page=results.page total_pages=results.total_pages base/>
        }
    });
    Reading {
        noindex: true,
        ..Reading::new(
            title,
            "Tìm tin tức, thông báo và trang trên cổng thông tin, có dấu hoặc không dấu.",
            "/tim-kiem",
            html,
        )
    }
}

#[cfg(feature = "ssr")]
#[component]
fn Hit(hit: SearchHit) -> impl IntoView {
    view! {
        <li class="search-hit" data-test="search-hit">
            <h2 class="search-hit__title"><a href=hit.href><Marked fragments=hit.title/></a></h2>
            <p class="post-meta">
                {(!hit.section.is_empty()).then(|| view! { <span>{hit.section.clone()}</span> })}
                {hit.published_at.map(|at| view! {
                    {(!hit.section.is_empty()).then(|| view! {
                        <span class="post-meta__sep" aria-hidden="true">" | "</span>
                    })}
                    <time datetime=crate::format::time_attr(&at)>{date_vn(&at)}</time>
                })}
            </p>
            <p class="search-hit__snippet"><Marked fragments=hit.snippet/></p>
        </li>
    }
}

/// Text with the matched words in `<mark>`.
#[cfg(feature = "ssr")]
#[component]
fn Marked(fragments: Vec<Fragment>) -> impl IntoView {
    fragments
        .into_iter()
        .map(|f| {
            if f.hit {
                view! { <mark>{f.text}</mark> }.into_any()
            } else {
                f.text.into_any()
            }
        })
        .collect_view()
}
