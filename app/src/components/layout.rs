use leptos::prelude::*;

use super::official::{CurrentOfficial, OfficialBar};
use super::{banner::SloganBanner, sidebar::Sidebar};
use crate::api::site::load_site_info;
use crate::model::SiteInfo;

/// The skip link's own jump: the router would otherwise take the click as a navigation and
/// leave the focus where it was. Before hydration the browser does this by itself.
fn skip_to_content(ev: leptos::ev::MouseEvent) {
    use leptos::wasm_bindgen::JsCast;
    if let Some(main) = document()
        .get_element_by_id("noi-dung")
        .and_then(|el| el.dyn_into::<leptos::web_sys::HtmlElement>().ok())
    {
        ev.prevent_default();
        let _ = main.focus();
        main.scroll_into_view();
    }
}

/// The frame of every page: header with the commune's name, slogan banner, the page's own
/// content, the sidebar and the footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Blocking: the header and sidebar are part of the first byte of HTML on every route.
    let site = Resource::new_blocking(|| (), |_| load_site_info());
    let info = move || site.get().and_then(Result::ok);
    let with_info = move |f: fn(&SiteInfo) -> String| info().map(|i| f(&i)).unwrap_or_default();
    let official = CurrentOfficial::provide();

    view! {
        <a class="skip-link" href="#noi-dung" on:click=skip_to_content>"Bỏ qua, đến nội dung chính"</a>
        <Transition>
            {move || official.get().map(|official| view! { <OfficialBar official/> })}
        </Transition>
        <header class="site-header">
            <div class="site-header__inner">
                <a href="/" class="site-brand">
                    <svg class="site-brand__emblem" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
                        <circle cx="24" cy="24" r="23" fill="#da251d" stroke="#ffde00" stroke-width="2"/>
                        <polygon fill="#ffde00" points="24,9 28.4,19.8 40,20.6 31.1,28.1 33.9,39.4 24,33.3 14.1,39.4 16.9,28.1 8,20.6 19.6,19.8"/>
                    </svg>
                    <span class="site-brand__text">
                        <span class="site-brand__title">
                            <Transition>{move || with_info(|i| i.site_title.clone())}</Transition>
                        </span>
                        <span class="site-brand__name">
                            <Transition>{move || with_info(|i| i.commune_name.clone())}</Transition>
                        </span>
                    </span>
                </a>
            </div>
        </header>
        <Transition>
            {move || info().map(|i| view! { <SloganBanner text=i.slogan/> })}
        </Transition>
        <div class="page">
            <main id="noi-dung" class="page__main" tabindex="-1">
                {children()}
            </main>
            <Transition>
                {move || info().map(|info| view! { <Sidebar info/> })}
            </Transition>
        </div>
        <footer class="site-footer">
            <p>
                <Transition>{move || with_info(|i| i.site_title.clone())}</Transition>
            </p>
            <p>
                "Cơ quan chủ quản: Ủy ban nhân dân "
                <Transition>{move || with_info(|i| i.commune_name.clone())}</Transition>
            </p>
            <p class="site-footer__staff"><a href="/dang-nhap">"Cán bộ đăng nhập"</a></p>
        </footer>
    }
}
