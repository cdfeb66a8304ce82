use leptos::prelude::*;

use super::official::use_official;
use super::video::{clip_manager, ClipBody, VideoWidget};
use super::weather::WeatherWidget;
use crate::format::count_vn;
use crate::model::{Role, SiteInfo};

/// The clip on a citizens' page of islands: its player and its view count. Its one prop is the
/// clip's id; the clip itself (`ClipBody`) is its children, made on the server only, so none of
/// its code or data types is in the citizens' wasm.
#[island]
fn VideoIsland(clip_id: Option<i64>, children: Children) -> impl IntoView {
    view! { <VideoWidget clip_id>{children()}</VideoWidget> }
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
                let clip_id = info.clip.as_ref().map(|clip| clip.id);
                let clip = info.clip;
                view! { <VideoWidget clip_id manager><ClipBody clip/></VideoWidget> }.into_any()
            } else {
                let clip_id = info.clip.as_ref().map(|clip| clip.id);
                let clip = info.clip;
                view! { <VideoIsland clip_id><ClipBody clip/></VideoIsland> }.into_any()
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
