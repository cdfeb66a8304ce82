use leptos::prelude::*;

/// The slogan, scrolling across the top of every page. A visible checkbox (it works without
/// JavaScript) stops it; the motion also pauses on hover and on focus, and never starts for
/// readers who ask for reduced motion.
#[component]
pub fn SloganBanner(text: String) -> impl IntoView {
    view! {
        <section class="slogan" aria-label="Khẩu hiệu">
            <input type="checkbox" id="slogan-pause" class="slogan__pause-input"/>
            <label for="slogan-pause" class="slogan__pause">"Dừng chữ chạy"</label>
            <div class="slogan__track">
                <p class="slogan__text" data-test="slogan">{text}</p>
            </div>
        </section>
    }
}
