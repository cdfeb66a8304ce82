use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api::posts::open_post;
use crate::components::error_view::ErrorView;
use crate::format::{count_vn, date_vn};
use crate::model::Post;

/// A post at `/bai-viet/:slug`. Opening it counts one view: on the server when the page is
/// rendered there (the result travels with the page, so hydration does not ask again), or
/// through the server function when reached by client-side navigation.
#[component]
pub fn PostPage() -> impl IntoView {
    let params = use_params_map();
    let post = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        open_post,
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match post.await {
                    Ok(post) => view! { <PostView post/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PostView(post: Post) -> impl IntoView {
    view! {
        <Title text=post.title.clone()/>
        <Meta name="description" content=post.lead.clone()/>
        <article class="post" data-test="post">
            <h1 class="post__title">{post.title}</h1>
            <p class="post-meta">
                <time datetime=post.published_at.get(..10).unwrap_or_default().to_string()>
                    {date_vn(&post.published_at)}
                </time>
                <span class="post-meta__sep" aria-hidden="true">" | "</span>
                <span data-test="view-count">"Lượt xem " {count_vn(post.view_count)}</span>
            </p>
            <p class="post__lead">{post.lead}</p>
            <div class="post__body" inner_html=post.body_html></div>
        </article>
        <p><a href="/">"« Về trang chủ"</a></p>
    }
}
