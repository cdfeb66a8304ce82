use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{error_view::loaded, reading::ReadingPage};
#[cfg(feature = "ssr")]
use {
    super::home::PostList, crate::components::breadcrumbs::Breadcrumbs,
    crate::components::reading::made, crate::model::CategoryPage as CategoryModel,
    crate::model::Reading,
};

/// A category at `/chuyen-muc/:slug`: its place in the tree, its subcategories and its posts
/// (those of the subcategories included), newest first, a page at a time.
#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                query.read().get("trang"),
            )
        },
        |(slug, page)| read_category(slug, page),
    );
    loaded(page, |page| view! { <ReadingPage page/> })
}

/// A category, a page of its posts at a time, made on the server.
#[server(endpoint = "read/category", input = leptos::server_fn::codec::GetUrl)]
pub async fn read_category(
    slug: String,
    trang: Option<String>,
) -> Result<crate::model::Reading, crate::error::AppError> {
    let category = crate::api::posts::list_category(slug, trang).await?;
    Ok(render(category))
}

#[cfg(feature = "ssr")]
pub fn render(category: CategoryModel) -> Reading {
    let base = format!("/chuyen-muc/{}", category.slug);
    let feed = format!("{base}/rss.xml");
    let (title, path) = if category.list.page == 1 {
        (category.name.clone(), base.clone())
    } else {
        (
            format!("{} – trang {}", category.name, category.list.page),
            format!("{base}?trang={}", category.list.page),
        )
    };
    let description = if category.description.is_empty() {
        format!("Các bài viết trong chuyên mục {}.", category.name)
    } else {
        category.description.clone()
    };
    let newest = category.list.posts.first().map(|p| p.published_at);
    let feed_title = format!("Tin {}", category.name);
    let html = made(|| {
        view! {
            <Breadcrumbs trail=category.parents current=category.name.clone()/>
            <h1 class="section-title" data-test="category-title">{title.clone()}</h1>
            <p class="category__description">{description.clone()}</p>
            {(!category.children.is_empty()).then(|| view! {
                <nav class="subcategories" aria-label="Chuyên mục con">
                    <ul>
                        {category.children.into_iter().map(|c| view! {
                            <li><a href=c.href>{c.label}</a></li>
                        }).collect_view()}
                    </ul>
                </nav>
            })}
            <PostList list=category.list base/>
            <p class="feed-link"><a href=feed.clone()>"Theo dõi chuyên mục " {category.name} " qua RSS"</a></p>
        }
    });
    Reading {
        date: newest,
        feed: Some((feed_title, feed)),
        ..Reading::new(title, description, path, html)
    }
}
