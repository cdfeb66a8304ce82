use leptos::prelude::*;

use crate::components::{error_view::loaded, reading::ReadingPage};
#[cfg(feature = "ssr")]
use crate::{
    components::{breadcrumbs::Breadcrumbs, reading::made},
    format::count_vn,
    model::{CategoryNode, Link, Reading, SiteMap},
};

/// The HTML site map at `/so-do-trang`: the main menu, every category with its number of
/// posts and its feed, the static pages, and what machines read.
#[component]
pub fn SiteMapPage() -> impl IntoView {
    let map = Resource::new(|| (), |_| read_site_map());
    loaded(map, |page| view! { <ReadingPage page/> })
}

/// The site map, with the main menu, made on the server.
#[server(endpoint = "read/site_map", input = leptos::server_fn::codec::GetUrl)]
pub async fn read_site_map() -> Result<crate::model::Reading, crate::error::AppError> {
    let map = crate::api::site::site_map().await?;
    let menu = crate::server::site::menu(&crate::server::state()?.pool).await?;
    Ok(render(map, menu))
}

#[cfg(feature = "ssr")]
pub fn render(map: SiteMap, menu: Vec<Link>) -> Reading {
    let html = made(|| {
        view! {
            <Breadcrumbs trail=Vec::new() current="Sơ đồ trang"/>
            <h1 class="section-title">"Sơ đồ trang"</h1>
            <div class="site-map" data-test="site-map">
                <section aria-labelledby="sdt-danh-muc">
                    <h2 id="sdt-danh-muc">"Danh mục chính"</h2>
                    <ul>
                        {menu.into_iter().map(|item| view! { <li><a href=item.href>{item.label}</a></li> }).collect_view()}
                    </ul>
                </section>
                <section aria-labelledby="sdt-chuyen-muc">
                    <h2 id="sdt-chuyen-muc">"Chuyên mục"</h2>
                    <Tree nodes=map.categories/>
                </section>
                <section aria-labelledby="sdt-trang">
                    <h2 id="sdt-trang">"Trang"</h2>
                    <ul>
                        {map.pages.into_iter().map(|page| view! { <li><a href=page.href>{page.label}</a></li> }).collect_view()}
                    </ul>
                </section>
                <section aria-labelledby="sdt-may">
                    <h2 id="sdt-may">"Nguồn tin và bản đồ cho máy"</h2>
                    <ul>
                        <li><a href="/rss.xml">"Nguồn tin RSS của toàn cổng"</a></li>
                        <li><a href="/sitemap.xml">"Sơ đồ trang cho máy tìm kiếm (sitemap.xml)"</a></li>
                    </ul>
                </section>
            </div>
        }
    });
    Reading::new(
        "Sơ đồ trang",
        "Toàn bộ các mục, chuyên mục và trang của cổng thông tin.",
        "/so-do-trang",
        html,
    )
}

/// Categories, each with its subcategories nested under it.
#[cfg(feature = "ssr")]
#[component]
fn Tree(nodes: Vec<CategoryNode>) -> impl IntoView {
    view! {
        <ul>
            {nodes.into_iter().map(|node| {
                let feed = format!("{}/rss.xml", node.link.href);
                let feed_label = format!("RSS chuyên mục {}", node.link.label);
                let children = (!node.children.is_empty())
                    .then(|| view! { <Tree nodes=node.children/> }.into_any());
                view! {
                    <li>
                        <a href=node.link.href>{node.link.label}</a>
                        " (" {count_vn(node.posts)} " bài viết) · "
                        <a href=feed aria-label=feed_label>"RSS"</a>
                        {children}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
