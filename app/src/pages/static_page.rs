use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::{error_view::loaded, reading::ReadingPage};
#[cfg(feature = "ssr")]
use crate::{
    components::{
        breadcrumbs::Breadcrumbs, contact::ContactDetails, linked_text::LinkedText, reading::made,
    },
    model::{Post, Reading},
};

/// A static page at `/trang/:slug` (Giới thiệu, Liên hệ), stored like a post. The contact page
/// also shows the site owner's contact details from the site settings (`Post::contact`).
#[component]
pub fn StaticPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        read_static_page,
    );
    loaded(page, |page| view! { <ReadingPage page/> })
}

/// A static page, made on the server.
#[server(endpoint = "read/page", input = leptos::server_fn::codec::GetUrl)]
pub async fn read_static_page(
    slug: String,
) -> Result<crate::model::Reading, crate::error::AppError> {
    let page = crate::api::posts::open_page(slug).await?;
    Ok(render(page, &crate::api::site::public_url()?))
}

#[cfg(feature = "ssr")]
pub fn render(page: Post, public_url: &str) -> Reading {
    let path = format!("/trang/{}", page.slug);
    let url = format!("{public_url}{path}");
    let (title, description) = (page.title.clone(), page.lead.clone());
    let html = made(|| {
        view! {
            <Breadcrumbs trail=Vec::new() current=page.title.clone()/>
            {(!page.published).then(|| view! {
                <p class="draft-notice" role="note">"Trang này chưa được đăng: chỉ cán bộ nhìn thấy."</p>
            })}
            <article class="post" data-test="static-page" data-source=format!("Nguồn: {url}")>
                <h1 class="post__title">{page.title}</h1>
                <p class="post__lead"><LinkedText pieces=page.lead_linked/></p>
                <div class="post__body" inner_html=page.body_html></div>
                <div>{page.contact.map(|contact| view! { <ContactDetails contact/> })}</div>
            </article>
        }
    });
    Reading::new(title, description, path, html)
}
