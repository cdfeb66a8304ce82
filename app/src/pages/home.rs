use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::{error_view::loaded, reading::ReadingPage};
#[cfg(feature = "ssr")]
use crate::{
    components::{pagination::Pagination, post_meta::PostMeta, reading::made},
    model::{PostList, PostSummary, Reading},
};

/// The home page: on its first page the latest announcements, the newest documents and the
/// services links, then the published posts, newest first, a page at a time (`?trang=N`).
/// Made on the server (`read_home`).
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("trang"), read_home);
    loaded(data, |page| view! { <ReadingPage page/> })
}

/// A page of the news under `head`: the headings, and on the first page the blocks, as HTML
/// made on the server (`server::site::home`).
#[cfg(feature = "ssr")]
pub fn render(data: crate::model::HomeData, commune_name: &str) -> Reading {
    let list = data.list;
    let title = if list.page == 1 {
        String::new()
    } else {
        format!("Tin tức mới nhất – trang {}", list.page)
    };
    let path = if list.page == 1 {
        "/".to_string()
    } else {
        format!("/?trang={}", list.page)
    };
    // "Xã Dương Quang" in the middle of a sentence: "xã Dương Quang".
    let commune: String = commune_name
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let lower: Vec<char> = if i == 0 {
                c.to_lowercase().collect()
            } else {
                vec![c]
            };
            lower
        })
        .collect();
    let description = format!("Tin tức, thông báo và văn bản mới nhất của {commune}.");
    let date = list.posts.first().map(|p| p.published_at);
    let head = data.head_html;
    let html = made(|| view! { <div inner_html=head></div> <PostList list base="/"/> });
    Reading {
        date,
        ..Reading::new(title, description, path, html)
    }
}

#[cfg(feature = "ssr")]
#[component]
pub fn PostList(list: PostList, #[prop(into)] base: String) -> impl IntoView {
    let empty = list.posts.is_empty();
    view! {
        {empty.then(|| view! { <p class="empty-list">"Chưa có bài viết nào được đăng."</p> })}
        <ol class="post-list" data-test="post-list">
            {list.posts.into_iter().map(|post| view! { <PostCard post/> }).collect_view()}
        </ol>
        <Pagination page=list.page total_pages=list.total_pages base/>
    }
}

/// The home page (`trang` is the raw `?trang=` value), made on the server.
#[server(endpoint = "read/home", input = leptos::server_fn::codec::GetUrl)]
pub async fn read_home(
    trang: Option<String>,
) -> Result<crate::model::Reading, crate::error::AppError> {
    let data = crate::api::site::home_page(trang).await?;
    let name = crate::server::site::commune_name(&crate::server::state()?.pool).await?;
    Ok(render(data, &name))
}

#[cfg(feature = "ssr")]
#[component]
fn PostCard(post: PostSummary) -> impl IntoView {
    let href = format!("/bai-viet/{}", post.slug);
    view! {
        <li class="post-card" data-test="post-card">
            <h2 class="post-card__title"><a href=href>{post.title}</a></h2>
            <PostMeta published_at=post.published_at view_count=post.view_count/>
            <p class="post-card__lead">{post.lead}</p>
        </li>
    }
}
