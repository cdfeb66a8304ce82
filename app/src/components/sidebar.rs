use leptos::prelude::*;

use super::official::use_official;
use super::video::{clip_manager, VideoWidget};
use super::weather::WeatherWidget;
use crate::format::count_vn;
use crate::model::{Clip, Role, SiteInfo};

/// The clip on a citizens' page of islands: its player and its view count. Its props are the
/// clip's few fields (title, source, views), which the page carries for the island.
#[island]
fn VideoIsland(clip: Option<Clip>) -> impl IntoView {
    view! { <VideoWidget clip/> }
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
                view! { <VideoWidget clip=info.clip manager/> }.into_any()
            } else {
                let clip = info.clip;
                view! { <VideoIsland clip/> }.into_any()
            }}
            <WeatherWidget weather=info.weather place=info.weather_place/>
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
