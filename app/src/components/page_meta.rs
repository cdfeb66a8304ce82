use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use super::layout::use_site;

/// A page's identity in its head: a unique title, a description, the canonical address, Open
/// Graph for links shared on social networks, and Dublin Core (title, creator, date,
/// description, publisher, identifier) as Vietnamese e-government portals publish it.
#[component]
pub fn PageMeta(
    /// The page's own title; the site's title is added after it.
    #[prop(into)]
    title: String,
    #[prop(into)] description: String,
    /// The page's path, e.g. `/bai-viet/...`: the canonical address is the site's + this.
    #[prop(into)]
    path: String,
    /// When the content was published or last changed.
    #[prop(optional_no_strip)]
    date: Option<crate::model::Instant>,
    /// A news article (Open Graph type `article`, with its publication time).
    #[prop(optional)]
    article: bool,
    /// The page's image (a path on the site), for link previews.
    #[prop(optional_no_strip)]
    image: Option<String>,
) -> impl IntoView {
    let (site_title, public_url, agency) = use_site()
        .map(|s| (s.site_title, s.public_url, s.contact.agency))
        .unwrap_or_default();
    let url = format!("{public_url}{path}");
    let full_title = if title.is_empty() || title == site_title {
        site_title.clone()
    } else {
        format!("{title} – {}", site_title)
    };
    let title = if title.is_empty() {
        site_title.clone()
    } else {
        title
    };
    let article_time = date
        .as_ref()
        .filter(|_| article)
        .map(crate::format::time_attr);
    // Dublin Core's date is the day in Vietnam, as every date the portal shows.
    let date = date.map(|d| crate::format::iso_date(crate::format::VietnamDay::vietnam_date(&d)));
    view! {
        <PageTitle text=full_title/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=url.clone()/>
        <Meta property="og:type" content=if article_time.is_some() { "article" } else { "website" }/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        <Meta property="og:url" content=url.clone()/>
        {image.map(|path| view! { <Meta property="og:image" content=format!("{public_url}{path}")/> })}
        <Meta property="og:site_name" content=site_title.clone()/>
        <Meta property="og:locale" content="vi_VN"/>
        {article_time.map(|time| view! { <Meta property="article:published_time" content=time/> })}
        <Link rel="schema.DC" href="http://purl.org/dc/elements/1.1/"/>
        <Meta name="DC.title" content=title/>
        <Meta name="DC.creator" content=agency.clone()/>
        <Meta name="DC.publisher" content=agency/>
        {date.map(|date| view! { <Meta name="DC.date" content=date/> })}
        <Meta name="DC.description" content=description/>
        <Meta name="DC.identifier" content=url/>
        <Meta name="DC.language" content="vi"/>
        <Meta name="DC.type" content="Text"/>
    }
}

/// The document's `<title>`: the only place the app sets it. leptos_meta writes a title's text
/// into the served head as it is, unescaped, so a post titled `</title><script>…` would become
/// markup there; this escapes it on the server. In the browser the text is set through
/// `document.title`, which takes text, so it goes as it is.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text = crate::server::html::escape(&text);
    view! { <Title text=text/> }
}
