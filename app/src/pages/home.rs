use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::site::home_page;
use crate::components::{
    error_view::loaded, page_meta::PageMeta, pagination::Pagination, post_meta::PostMeta,
};
use crate::model::{PostList, PostSummary};

/// The home page: on its first page the latest announcements, the newest documents and the
/// services links, then the published posts, newest first, a page at a time (`?trang=N`).
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("trang"), home_page);
    loaded(
        data,
        |data| view! { <PostListView list=data.list head=data.head_html/> },
    )
}

/// A page of the news under `head`: the headings, and on the first page the blocks, as HTML
/// made on the server (`server::site::home`).
#[component]
fn PostListView(list: PostList, head: String) -> impl IntoView {
    let title = if list.page == 1 {
        "Tin tức mới nhất".to_string()
    } else {
        format!("Tin tức mới nhất – trang {}", list.page)
    };
    let path = if list.page == 1 {
        "/".to_string()
    } else {
        format!("/?trang={}", list.page)
    };
    // "Xã Dương Quang" in the middle of a sentence: "xã Dương Quang".
    let commune: String = crate::components::layout::use_site()
        .map(|s| s.commune_name)
        .unwrap_or_default()
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
    let newest = list.posts.first().map(|p| p.published_at);
    view! {
        <PageMeta title=if list.page == 1 { String::new() } else { title }
            description path date=newest/>
        <div inner_html=head></div>
        <PostList list base="/"/>
    }
}

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
