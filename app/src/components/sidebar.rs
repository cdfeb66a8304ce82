use leptos::prelude::*;

use super::video::VideoWidget;
use super::weather::WeatherWidget;
use crate::format::count_vn;
use crate::model::SiteInfo;

/// The sidebar of every page.
#[component]
pub fn Sidebar(info: SiteInfo) -> impl IntoView {
    let visits = info.visits;
    view! {
        <aside class="sidebar" aria-label="Tiện ích">
            <VideoWidget html=info.clip_html clip_id=info.clip_id/>
            <WeatherWidget html=info.weather_html place=info.weather_place/>
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
