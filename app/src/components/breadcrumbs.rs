use leptos::prelude::*;

use crate::model::Link;

/// "Trang chủ › Tin tức – Sự kiện › Cải cách hành chính › <this page>": where a page sits.
#[component]
pub fn Breadcrumbs(
    /// From the outermost, the home page not included.
    trail: Vec<Link>,
    /// The current page's own name, the last crumb (not a link).
    #[prop(into)]
    current: String,
) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label="Vị trí trang" data-test="breadcrumbs">
            <ol>
                <li><a href="/">"Trang chủ"</a></li>
                {trail
                    .into_iter()
                    .map(|link| view! { <li><a href=link.href>{link.label}</a></li> })
                    .collect_view()}
                <li aria-current="page">{current}</li>
            </ol>
        </nav>
    }
}
