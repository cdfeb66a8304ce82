use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::{error_view::loaded, reading::ReadingPage};
#[cfg(feature = "ssr")]
use crate::{
    components::{pagination::Pagination, post_meta::PostMeta, reading::made},
    format::{date_vn, path_segment, time_attr},
    model::{HomeBlocks, PostList, PostSummary, Reading},
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

/// A page of the news under its headings, and on the first page the blocks.
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
    let (page, blocks) = (list.page, data.blocks);
    let html = made(|| view! { <div><HomeHead page blocks/></div> <PostList list base="/"/> });
    Reading {
        date,
        ..Reading::new(title, description, path, html)
    }
}

/// What comes above the news on page `page`: on the first, a heading for the page, the blocks
/// and the news's heading; on the others, the news's heading, as the page's.
#[cfg(feature = "ssr")]
#[component]
fn HomeHead(page: i64, blocks: Option<HomeBlocks>) -> impl IntoView {
    match blocks {
        Some(blocks) if page == 1 => view! {
            <h1 class="visually-hidden">"Trang chủ"</h1>
            <Blocks blocks/>
            <h2 class="section-title">"Tin tức mới nhất"</h2>
        }
        .into_any(),
        _ => view! {
            <h1 class="section-title">{format!("Tin tức mới nhất – trang {page}")}</h1>
        }
        .into_any(),
    }
}

/// The blocks: each a `<section>` with its heading, list and "all" link; then the services.
#[cfg(feature = "ssr")]
#[component]
fn Blocks(blocks: HomeBlocks) -> impl IntoView {
    let HomeBlocks {
        notices,
        notices_href,
        documents,
        links,
    } = blocks;
    let notices = if notices.is_empty() {
        view! { <p class="empty-list">"Chưa có thông báo nào."</p> }.into_any()
    } else {
        view! {
            <ul class="home-block__list">
                {notices.into_iter().map(|post| view! {
                    <li>
                        <a href=format!("/bai-viet/{}", path_segment(&post.slug))>{post.title}</a>
                        " "
                        <time class="home-block__date" datetime=time_attr(&post.published_at)>
                            {date_vn(&post.published_at)}
                        </time>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let documents = if documents.is_empty() {
        view! { <p class="empty-list">"Chưa có văn bản nào."</p> }.into_any()
    } else {
        view! {
            <ul class="home-block__list">
                {documents.into_iter().map(|doc| view! {
                    <li>
                        <a href=format!("/van-ban/{}", doc.id)>{format!("{} số {}", doc.kind, doc.number)}</a>
                        " "
                        <span class="home-block__date">{date_vn(&doc.issued_on)}</span>
                        <span class="home-block__summary">{doc.summary}</span>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let services = (!links.is_empty()).then(|| {
        view! {
            <section class="service-links" aria-labelledby="khoi-dich-vu" data-test="service-links">
                <h2 id="khoi-dich-vu" class="home-block__title">"Dịch vụ công"</h2>
                <ul>
                    {links.into_iter().map(|link| {
                        let rel = link.href.starts_with("https://").then_some("noopener");
                        let description = (!link.description.is_empty()).then(|| view! {
                            <span class="service-links__description">{link.description}</span>
                        });
                        view! {
                            <li>
                                <a href=link.href rel=rel>
                                    <span class="service-links__label">{link.label}</span>
                                    {description}
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    });
    view! {
        <div class="home-blocks">
            <section class="home-block" aria-labelledby="khoi-thong-bao" data-test="home-notices">
                <h2 id="khoi-thong-bao" class="home-block__title">"Thông báo"</h2>
                {notices}
                {notices_href.map(|href| view! {
                    <p class="home-block__more"><a href=href>"Tất cả thông báo"</a></p>
                })}
            </section>
            <section class="home-block" aria-labelledby="khoi-van-ban" data-test="home-documents">
                <h2 id="khoi-van-ban" class="home-block__title">"Văn bản mới"</h2>
                {documents}
                <p class="home-block__more"><a href="/van-ban">"Tất cả văn bản"</a></p>
            </section>
        </div>
        {services}
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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::model::ServiceLink;

    #[test]
    fn every_text_and_address_is_escaped() {
        let hostile = "<script>alert(1)</script>\"'&";
        let blocks = HomeBlocks {
            notices: vec![PostSummary {
                slug: hostile.into(),
                title: hostile.into(),
                lead: String::new(),
                published_at: time::OffsetDateTime::from_unix_timestamp(1795977000).unwrap(),
                view_count: 0,
            }],
            notices_href: Some("/chuyen-muc/thong-bao".into()),
            documents: Vec::new(),
            links: vec![ServiceLink {
                label: hostile.into(),
                description: hostile.into(),
                href: "/x\"onmouseover=\"alert(1)".into(),
            }],
        };
        let html = made(|| view! { <HomeHead page=1 blocks=Some(blocks)/> });
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("\"onmouseover"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        // A Vietnam date: 01:30 on 30/11 there.
        assert!(html.contains(">30/11/2026</time>"), "{html}");
        assert!(html.contains("Chưa có văn bản nào."));
        let html = made(|| view! { <HomeHead page=2 blocks=None/> });
        assert_eq!(
            html,
            "<h1 class=\"section-title\">Tin tức mới nhất – trang 2</h1>"
        );
    }
}
