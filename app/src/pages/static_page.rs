use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::posts::open_page;
use crate::components::{
    breadcrumbs::Breadcrumbs, error_view::loaded, layout::use_site, page_meta::PageMeta,
};
use crate::model::{Contact, Post};

/// A static page at `/trang/:slug` (Giới thiệu, Liên hệ), stored like a post. The contact page
/// also shows the site owner's contact details from the site settings.
#[component]
pub fn StaticPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        open_page,
    );
    loaded(page, |page| view! { <StaticPageView page/> })
}

#[component]
fn StaticPageView(page: Post) -> impl IntoView {
    let path = format!("/trang/{}", page.slug);
    let url = use_site().map(|s| s.public_url).unwrap_or_default() + &path;
    let contact = (page.slug == "lien-he")
        .then(|| use_site().map(|s| s.contact))
        .flatten();
    view! {
        <PageMeta title=page.title.clone() description=page.lead.clone() path/>
        <Breadcrumbs trail=Vec::new() current=page.title.clone()/>
        {(!page.published).then(|| view! {
            <p class="draft-notice" role="note">"Trang này chưa được đăng: chỉ cán bộ nhìn thấy."</p>
        })}
        <article class="post" data-test="static-page" data-source=format!("Nguồn: {url}")>
            <h1 class="post__title">{page.title}</h1>
            <p class="post__lead" inner_html=page.lead_html></p>
            <div class="post__body" inner_html=page.body_html></div>
            {contact.map(|contact| view! { <ContactDetails contact/> })}
        </article>
    }
}

/// The owner's address, phone and e-mail, as a description list; empty fields are left out.
#[component]
fn ContactDetails(contact: Contact) -> impl IntoView {
    let row = |term: &'static str, value: AnyView| {
        view! { <dt>{term}</dt><dd>{value}</dd> }
    };
    let mut rows = Vec::new();
    if !contact.agency.is_empty() {
        rows.push(row("Cơ quan", contact.agency.into_any()));
    }
    if !contact.address.is_empty() {
        rows.push(row("Địa chỉ", contact.address.into_any()));
    }
    if !contact.phone.is_empty() {
        let href = format!("tel:{}", contact.phone.replace([' ', '.'], ""));
        rows.push(row(
            "Điện thoại",
            view! { <a href=href>{contact.phone}</a> }.into_any(),
        ));
    }
    if !contact.email.is_empty() {
        let href = format!("mailto:{}", contact.email);
        rows.push(row(
            "Thư điện tử",
            view! { <a href=href>{contact.email}</a> }.into_any(),
        ));
    }
    if !contact.office_hours.is_empty() {
        rows.push(row("Giờ làm việc", contact.office_hours.into_any()));
    }
    if let Some(href) = contact.map {
        rows.push(row(
            "Bản đồ",
            view! { <a href=href rel="noopener">"Xem vị trí trên OpenStreetMap"</a> }.into_any(),
        ));
    }
    view! {
        <section class="contact" aria-labelledby="lien-he-tieu-de" data-test="contact">
            <h2 id="lien-he-tieu-de">"Thông tin liên hệ"</h2>
            <dl class="contact__list">{rows}</dl>
        </section>
    }
}
