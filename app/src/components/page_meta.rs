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
    // One list of tags, of one view type: a tuple of twenty views would cost the citizens'
    // wasm its own code for each.
    let og_type = if article_time.is_some() {
        "article"
    } else {
        "website"
    };
    let mut tags: Vec<(&'static str, bool, String)> = vec![
        ("description", false, description.clone()),
        ("og:type", true, og_type.to_string()),
        ("og:title", true, title.clone()),
        ("og:description", true, description.clone()),
        ("og:url", true, url.clone()),
    ];
    if let Some(path) = image {
        tags.push(("og:image", true, format!("{public_url}{path}")));
    }
    tags.push(("og:site_name", true, site_title));
    tags.push(("og:locale", true, "vi_VN".to_string()));
    if let Some(time) = article_time {
        tags.push(("article:published_time", true, time));
    }
    tags.extend([
        ("DC.title", false, title),
        ("DC.creator", false, agency.clone()),
        ("DC.publisher", false, agency),
    ]);
    if let Some(date) = date {
        tags.push(("DC.date", false, date));
    }
    tags.extend([
        ("DC.description", false, description),
        ("DC.identifier", false, url.clone()),
        ("DC.language", false, "vi".to_string()),
        ("DC.type", false, "Text".to_string()),
    ]);
    view! {
        <PageTitle text=full_title/>
        <Link rel="canonical" href=url/>
        <Link rel="schema.DC" href="http://purl.org/dc/elements/1.1/"/>
        {tags
            .into_iter()
            .map(|(key, property, content)| if property {
                view! { <Meta property=key content/> }
            } else {
                view! { <Meta name=key content/> }
            })
            .collect_view()}
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
