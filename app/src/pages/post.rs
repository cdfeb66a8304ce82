use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::editing::edit_post;
use crate::components::editor::{has_local_copy, PostEditor, WorkflowButtons};
use crate::components::official::use_official;
use crate::components::{error_view::loaded, reading::ReadingHead};
use crate::model::{Official, PostReading, Stage};
#[cfg(feature = "ssr")]
use crate::pages::questions::QuestionAsideView;

/// A post at `/bai-viet/:slug`, made on the server (`read_post`). Opening it counts
/// one view: on the server when the page is rendered there (the result travels with the page,
/// so hydration does not ask again), or through the server function when reached by
/// client-side navigation.
#[component]
pub fn PostPage() -> impl IntoView {
    let params = use_params_map();
    let post = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        read_post,
    );
    loaded(post, |post| view! { <PostView post/> })
}

/// The post as made on the server, and for the officials who may edit it, the tools above it
/// and the editor in its place when they click it.
#[component]
fn PostView(post: PostReading) -> impl IntoView {
    let PostReading {
        page,
        id,
        stage,
        created_by,
    } = post;
    let official = use_official();
    let editable = official
        .as_ref()
        .is_some_and(|o| o.may_edit(stage, created_by));
    let editing = RwSignal::new(false);
    if editable {
        // `?sua=1`, or text the browser kept from an unfinished edit, opens the editor once the
        // page is interactive.
        let query = use_query_map();
        Effect::new(move |_| {
            if query.read().get("sua").is_some() || has_local_copy(Some(id)) {
                editing.set(true);
            }
        });
    }
    let tools = official
        .clone()
        .map(|official| editor_tools(id, stage, created_by, official, editable, editing));
    let html = page.html.clone();
    let content = move || {
        if editing.get() {
            let official = official.clone().expect("only officials edit");
            return view! { <EditorLoader id=Some(id) official/> }.into_any();
        }
        // Clicking the title, lead or body (not a link in it) opens the editor.
        let open = move |ev: leptos::ev::MouseEvent| {
            use leptos::wasm_bindgen::JsCast;
            let target = ev
                .target()
                .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok());
            let on_article = target
                .as_ref()
                .and_then(|el| el.closest("article.post").ok().flatten())
                .is_some();
            let on_link = target
                .and_then(|el| el.closest("a").ok().flatten())
                .is_some();
            if editable && on_article && !on_link {
                editing.set(true);
            }
        };
        view! {
            <div class="reading" class:reading--editable=editable inner_html=html.clone() on:click=open></div>
        }
        .into_any()
    };
    view! {
        <ReadingHead page/>
        {tools}
        {content}
    }
}

/// The post: its place, the notice of a draft, the article and the way to its section's other
/// posts.
/// A post, made on the server. A POST, as opening it counts a view (`posts::open_post`).
#[server(endpoint = "read/post")]
pub async fn read_post(slug: String) -> Result<PostReading, crate::error::AppError> {
    let post = crate::api::posts::open_post(slug).await?;
    Ok(render(post, &crate::api::site::public_url()?))
}

#[cfg(feature = "ssr")]
pub fn render(post: crate::model::Post, public_url: &str) -> PostReading {
    use crate::components::{
        breadcrumbs::Breadcrumbs, linked_text::LinkedText, post_meta::PostMeta, reading::made,
    };
    use crate::format::datetime_vn;
    use crate::model::{Reading, Stage};
    let path = format!("/bai-viet/{}", post.slug);
    let url = format!("{public_url}{path}");
    let description = if post.description.is_empty() {
        post.lead.clone()
    } else {
        post.description.clone()
    };
    let notice = (!post.published).then(|| {
        let when = match post.stage {
            Stage::Scheduled => format!(" Bài sẽ tự động được đăng lúc {}.", datetime_vn(&post.published_at)),
            _ => String::new(),
        };
        view! {
            <p class="draft-notice" role="note" data-test="draft-notice">
                "Bài viết này chưa được đăng (" {post.stage.label()} "): chỉ cán bộ nhìn thấy." {when}
            </p>
        }
    });
    let more = post.category.last().cloned().map(|section| view! {
        <p class="post__more"><a href=section.href>"Các bài viết khác trong chuyên mục " {section.label}</a></p>
    });
    let page = Reading {
        date: Some(post.published_at),
        article: true,
        image: post.image.as_ref().map(|i| i.src.clone()),
        ..Reading::new(post.title.clone(), description, path, String::new())
    };
    let (id, stage, created_by) = (post.id, post.stage, post.created_by);
    let html = made(|| {
        view! {
            <Breadcrumbs trail=post.category.clone() current=post.title.clone()/>
            {notice}
            <article class="post" data-test="post" data-source=format!("Nguồn: {url}")>
                <h1 class="post__title">{post.title}</h1>
                <PostMeta published_at=post.published_at view_count=post.view_count/>
                {post.image.map(|img| view! {
                    <figure class="post__image">
                        <img src=img.src srcset=img.srcset sizes="(max-width: 48rem) 100vw, 48rem"
                            width=img.width height=img.height alt=post.image_alt.clone()/>
                    </figure>
                })}
                <p class="post__lead"><LinkedText pieces=post.lead_linked/></p>
                {post.question.map(|aside| view! {
                    <div class="post__aside"><QuestionAsideView aside/></div>
                })}
                <div class="post__body" inner_html=post.body_html></div>
            </article>
            {more}
        }
    });
    PostReading {
        page: Reading { html, ..page },
        id,
        stage,
        created_by,
    }
}

/// The officials' tools above a post: part of the whole app (`crate::whole_app`), which a citizen
/// reading never downloads.
pub(crate) fn editor_tools(
    id: i64,
    stage: Stage,
    created_by: Option<i64>,
    official: Official,
    editable: bool,
    editing: RwSignal<bool>,
) -> AnyView {
    view! {
        <div class="editor-tools" data-test="editor-tools">
            {editable.then(|| view! {
                <button type="button" data-test="edit" on:click=move |_| editing.set(true)
                    disabled=move || editing.get()>"Sửa bài viết"</button>
            })}
            <WorkflowButtons id stage created_by official/>
            <a href=format!("/quan-tri/bai-viet/{id}/lich-su")>"Lịch sử"</a>
        </div>
    }
    .into_any()
}

/// Opens the editor on the post as stored, which it loads itself (in the browser).
#[component]
pub fn EditorLoader(id: Option<i64>, official: Official) -> impl IntoView {
    let data = LocalResource::new(move || edit_post(id));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Đang mở trình soạn thảo…"</p> }>
            {move || {
                let official = official.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <PostEditor data official/> }.into_any(),
                        Err(err) => view! {
                            <p class="form-error" role="alert" data-test="form-error">{err.to_string()}</p>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
