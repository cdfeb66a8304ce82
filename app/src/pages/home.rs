use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::api::posts::list_posts;
use crate::components::{error_view::loaded, pagination::Pagination, post_meta::PostMeta};
use crate::model::{PostList, PostSummary};

/// The home page: published posts, newest first, a page at a time (`?trang=N`).
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let posts = Resource::new(move || query.read().get("trang"), list_posts);
    loaded(posts, |list| view! { <PostListView list/> })
}

#[component]
fn PostListView(list: PostList) -> impl IntoView {
    let title = if list.page == 1 {
        "Tin tức mới nhất".to_string()
    } else {
        format!("Tin tức mới nhất – trang {}", list.page)
    };
    let empty = list.posts.is_empty();
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content="Tin tức, thông báo và văn bản mới nhất của xã Dương Quang."/>
        <h1 class="section-title">{title}</h1>
        {empty.then(|| view! { <p>"Chưa có bài viết nào được đăng."</p> })}
        <ol class="post-list" data-test="post-list">
            {list.posts.into_iter().map(|post| view! { <PostCard post/> }).collect_view()}
        </ol>
        <Pagination page=list.page total_pages=list.total_pages/>
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
