use leptos::prelude::*;

/// The slogan, scrolling across the top of every page. A checkbox (it works without
/// JavaScript) pauses it; the motion also stops on hover, on focus and entirely for readers
/// who ask for reduced motion.
#[component]
pub fn SloganBanner(text: String) -> impl IntoView {
    view! {
        <section class="slogan" aria-label="Khẩu hiệu">
            <input type="checkbox" id="slogan-pause" class="slogan__pause-input"/>
            <label for="slogan-pause" class="slogan__pause">
                <span class="slogan__pause-when-running">"Tạm dừng chữ chạy"</span>
                <span class="slogan__pause-when-paused">"Tiếp tục chữ chạy"</span>
            </label>
            <div class="slogan__track">
                <p class="slogan__text" data-test="slogan">{text}</p>
            </div>
        </section>
    }
}
