use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::posts::list_posts;
use crate::api::site::home_blocks;
use crate::components::{
    error_view::loaded, page_meta::PageMeta, pagination::Pagination, post_meta::PostMeta,
};
use crate::format::{date_vn, time_attr};
use crate::model::{HomeBlocks, PostList, PostSummary};

/// The home page: on its first page the latest announcements, the newest documents and the
/// services links, then the published posts, newest first, a page at a time (`?trang=N`).
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let page = move || query.read().get("trang");
    let first_page = move || page().is_none_or(|p| p.trim().parse::<i64>() == Ok(1));
    let posts = Resource::new(page, list_posts);
    let blocks = Resource::new(first_page, |first| async move {
        if first {
            home_blocks().await.map(Some)
        } else {
            Ok(None)
        }
    });
    // The page's heading comes first: on the first page it is the site's name (the blocks and
    // the news are its sections), on the others the news list's own.
    let site_title = crate::components::layout::use_site()
        .map(|s| s.site_title)
        .unwrap_or_default();
    view! {
        {move || first_page().then(|| {
            view! { <h1 class="visually-hidden">{site_title.clone()}</h1> }
        })}
        {loaded(blocks, |blocks| blocks.map(|blocks| view! { <HomeBlocksView blocks/> }))}
        {loaded(posts, |list| view! { <PostListView list/> })}
    }
}

/// "Thông báo", "Văn bản mới" and "Dịch vụ công": what citizens come for besides the news.
#[component]
fn HomeBlocksView(blocks: HomeBlocks) -> impl IntoView {
    let notices_empty = blocks.notices.is_empty();
    let documents_empty = blocks.documents.is_empty();
    view! {
        <div class="home-blocks">
            <section class="home-block" aria-labelledby="khoi-thong-bao" data-test="home-notices">
                <h2 id="khoi-thong-bao" class="home-block__title">"Thông báo"</h2>
                {notices_empty.then(|| view! { <p class="empty-list">"Chưa có thông báo nào."</p> })}
                <ul class="home-block__list">
                    {blocks.notices.into_iter().map(|post| view! {
                        <li>
                            <a href=format!("/bai-viet/{}", post.slug)>{post.title}</a>
                            " "<time class="home-block__date" datetime=time_attr(&post.published_at)>{date_vn(&post.published_at)}</time>
                        </li>
                    }).collect_view()}
                </ul>
                {blocks.notices_href.map(|href| view! {
                    <p class="home-block__more"><a href=href>"Tất cả thông báo"</a></p>
                })}
            </section>
            <section class="home-block" aria-labelledby="khoi-van-ban" data-test="home-documents">
                <h2 id="khoi-van-ban" class="home-block__title">"Văn bản mới"</h2>
                {documents_empty.then(|| view! { <p class="empty-list">"Chưa có văn bản nào."</p> })}
                <ul class="home-block__list">
                    {blocks.documents.into_iter().map(|doc| view! {
                        <li>
                            <a href=format!("/van-ban/{}", doc.id)>{format!("{} số {}", doc.kind, doc.number)}</a>
                            " "<span class="home-block__date">{date_vn(&doc.issued_on)}</span>
                            <span class="home-block__summary">{doc.summary}</span>
                        </li>
                    }).collect_view()}
                </ul>
                <p class="home-block__more"><a href="/van-ban">"Tất cả văn bản"</a></p>
            </section>
        </div>
        {(!blocks.links.is_empty()).then(|| view! {
            <section class="service-links" aria-labelledby="khoi-dich-vu" data-test="service-links">
                <h2 id="khoi-dich-vu" class="home-block__title">"Dịch vụ công"</h2>
                <ul>
                    {blocks.links.into_iter().map(|link| {
                        let external = link.href.starts_with("https://");
                        view! {
                            <li>
                                <a href=link.href rel=external.then_some("noopener")>
                                    <span class="service-links__label">{link.label}</span>
                                    {(!link.description.is_empty()).then(|| view! {
                                        <span class="service-links__description">{link.description}</span>
                                    })}
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

#[component]
fn PostListView(list: PostList) -> impl IntoView {
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
    let first = list.page == 1;
    view! {
        <PageMeta title=if first { String::new() } else { title.clone() }
            description path date=newest/>
        {if first {
            view! { <h2 class="section-title">{title}</h2> }.into_any()
        } else {
            view! { <h1 class="section-title">{title}</h1> }.into_any()
        }}
        <PostList list base="/"/>
    }
}

/// A page of posts, or a word that there are none; with links to the other pages.
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
