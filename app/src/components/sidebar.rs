use leptos::prelude::*;

use super::official::use_official;
use super::video::{clip_manager, VideoWidget};
use super::weather::WeatherWidget;
use crate::format::count_vn;
use crate::model::{Role, SiteInfo};

/// The clip on a citizens' page of islands: its player and its view count.
#[island]
fn VideoIsland(html: String, clip_id: Option<i64>) -> impl IntoView {
    view! { <VideoWidget html clip_id/> }
}

/// The sidebar of every page.
#[component]
pub fn Sidebar(info: SiteInfo) -> impl IntoView {
    let visits = info.visits;
    view! {
        <aside class="sidebar" aria-label="Tiện ích">
            {if crate::whole() {
                let editor = use_official().is_some_and(|o| o.can(Role::Editor));
                let manager = editor.then_some(clip_manager as fn(_) -> _);
                view! { <VideoWidget html=info.clip_html clip_id=info.clip_id manager/> }.into_any()
            } else {
                let (html, clip_id) = (info.clip_html, info.clip_id);
                view! { <VideoIsland html clip_id/> }.into_any()
            }}
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
