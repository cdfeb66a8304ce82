use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::posts::{open_post, SetPostPublished};
use crate::components::official::{reload_to, use_official, FormResult};
use crate::components::{
    breadcrumbs::Breadcrumbs, error_view::loaded, layout::use_site, page_meta::PageMeta,
    post_meta::PostMeta,
};
use crate::model::{Post, Role};

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
    let path = format!("/bai-viet/{}", post.slug);
    let url = use_site().map(|s| s.public_url).unwrap_or_default() + &path;
    view! {
        <PageMeta title=post.title.clone() description=post.lead.clone() path
            date=Some(post.published_at.clone()) article=true/>
        <Breadcrumbs trail=post.category.clone() current=post.title.clone()/>
        {(!post.published).then(|| view! {
            <p class="draft-notice" role="note" data-test="draft-notice">
                "Bài viết này chưa được đăng: chỉ cán bộ nhìn thấy."
            </p>
        })}
        {use_official().filter(|o| o.can(Role::Editor)).map(|_| view! {
            <PublishControls slug=post.slug.clone() published=post.published/>
        })}
        <article class="post" data-test="post" data-source=format!("Nguồn: {url}")>
            <h1 class="post__title">{post.title}</h1>
            <PostMeta published_at=post.published_at view_count=post.view_count/>
            <p class="post__lead" inner_html=post.lead_html></p>
            <div class="post__body" inner_html=post.body_html></div>
        </article>
        {post.category.last().cloned().map(|section| view! {
            <p class="post__more"><a href=section.href>"Các bài viết khác trong chuyên mục " {section.label}</a></p>
        })}
    }
}

/// An editor's buttons on a post: take it down, or publish it again.
#[component]
fn PublishControls(slug: String, published: bool) -> impl IntoView {
    let action = ServerAction::<SetPostPublished>::new();
    let path = format!("/bai-viet/{slug}");
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload_to(&path);
        }
    });
    let result = Signal::derive(move || action.value().get());
    view! {
        <div class="editor-tools" data-test="editor-tools">
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="published" value=(!published).to_string()/>
                <button type="submit" data-test="toggle-published">
                    {if published { "Gỡ bài viết xuống" } else { "Đăng bài viết" }}
                </button>
            </ActionForm>
            <FormResult result done="Đã lưu."/>
        </div>
    }
}
