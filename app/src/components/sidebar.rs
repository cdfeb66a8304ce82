use leptos::prelude::*;

use crate::format::count_vn;

/// The sidebar of every page.
#[component]
pub fn Sidebar(visits: i64) -> impl IntoView {
    view! {
        <aside class="sidebar" aria-label="Tiện ích">
            <section class="widget" aria-labelledby="widget-visits">
                <h2 class="widget__title" id="widget-visits">"Lượt truy cập"</h2>
                <p class="widget__body">
                    "Số lượt truy cập: "
                    <strong data-test="visit-count">{count_vn(visits)}</strong>
                </p>
            </section>
        </aside>
    }
}
