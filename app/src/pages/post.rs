use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api::posts::open_post;
use crate::components::{error_view::loaded, post_meta::PostMeta};
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
    loaded(post, |post| view! { <PostView post/> })
}

#[component]
fn PostView(post: Post) -> impl IntoView {
    view! {
        <Title text=post.title.clone()/>
        <Meta name="description" content=post.lead.clone()/>
        <article class="post" data-test="post">
            <h1 class="post__title">{post.title}</h1>
            <PostMeta published_at=post.published_at view_count=post.view_count/>
            <p class="post__lead">{post.lead}</p>
            <div class="post__body" inner_html=post.body_html></div>
        </article>
        <p><a href="/">"« Về trang chủ"</a></p>
    }
}
