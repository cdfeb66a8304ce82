use leptos::prelude::*;

use super::banner::{slogan_editor, SloganBanner};
use super::official::{focus_first_field, focus_opener, official_bar, reload, CurrentOfficial};
use super::sidebar::Sidebar;
use crate::api::site::{load_site_info, save_settings};
use crate::error::AppError;
use crate::model::{Contact, Link, Role, SiteInfo};
use leptos_router::hooks::{use_location, use_navigate};

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

/// The site information resource, for pages that need the site's name or address.
#[derive(Clone, Copy)]
pub struct Site(pub Resource<Result<SiteInfo, AppError>>);

/// What the site information says, once loaded (it is loaded before the first byte on the
/// server and travels with the page).
pub fn use_site() -> Option<SiteInfo> {
    use_context::<Site>().and_then(|site| site.0.get_untracked().and_then(Result::ok))
}

/// The frame of every page: header with the commune's name, the tools, the main menu, the
/// slogan banner, the page's own content, the sidebar and the footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Blocking: the header and sidebar are part of the first byte of HTML on every route.
    let site = Resource::new_blocking(|| (), |_| load_site_info());
    provide_context(Site(site));
    let info = move || site.get().and_then(Result::ok);
    let official = CurrentOfficial::provide();

    view! {
        <a class="skip-link" href="#noi-dung" on:click=skip_to_content>"Bỏ qua, đến nội dung chính"</a>
        <Transition>
            {move || official.get().map(official_bar)}
        </Transition>
        <header class="site-header">
            <div class="site-header__inner">
                // Who runs the site, the way a government portal says it: the agency, then the
                // province, in capitals (by the stylesheet: screen readers read the words).
                <a href="/" class="site-brand" data-test="site-brand">
                    <Transition>
                        {move || info().map(|i| view! {
                            // The emblem an admin set (the national emblem), or the plain drawn
                            // one: a gold star on red. Decorative: the words say whose site it is.
                            <img class="site-brand__emblem" alt="" width="56" height="56" data-test="emblem"
                                src=i.emblem/>
                            <span class="site-brand__text">
                                <span class="site-brand__name">{i.contact.agency}</span>
                                <span class="site-brand__title">{i.contact.province}</span>
                            </span>
                        })}
                    </Transition>
                </a>
                <div class="site-tools">
                    <SearchBox/>
                    {if crate::whole() {
                        view! { <TextSize/> }.into_any()
                    } else {
                        view! { <TextSizeIsland/> }.into_any()
                    }}
                </div>
            </div>
            <Transition>
                {move || info().map(|i| view! { <MainMenu items=i.menu/> })}
            </Transition>
        </header>
        <Transition>
            {move || {
                let admin = official.get().is_some_and(|o| o.can(Role::Admin));
                info().map(|i| {
                    if crate::whole() {
                        let editor = admin.then_some(slogan_editor as fn(_, _) -> _);
                        view! { <SloganBanner text=i.slogan editor/> }.into_any()
                    } else {
                        view! { <SloganIsland text=i.slogan/> }.into_any()
                    }
                })
            }}
        </Transition>
        <div class="page">
            <main id="noi-dung" class="page__main" tabindex="-1">
                {children()}
            </main>
            <Transition>
                {move || info().map(|info| view! { <Sidebar info/> })}
            </Transition>
        </div>
        <Transition>
            {move || {
                let admin = official.get().is_some_and(|o| o.can(Role::Admin));
                info().map(|info| view! { <Footer info admin/> })
            }}
        </Transition>
    }
}

/// The main menu. The entry for the current section is marked for screen readers and eyes.
/// On a phone it folds behind a "Danh mục" button (a `<details>`: no JavaScript needed), so
/// the header stays small at every text size; on wide screens it is always open.
#[component]
fn MainMenu(items: Vec<Link>) -> impl IntoView {
    let location = use_location();
    // A client-side navigation from the open menu folds it again, as a page load does: the
    // next page starts with its heading in view.
    let fold = NodeRef::<leptos::html::Details>::new();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|previous| previous != path) {
            if let Some(fold) = fold.get_untracked() {
                let _ = fold.remove_attribute("open");
            }
        }
        path
    });
    view! {
        <nav class="main-menu" aria-label="Danh mục chính">
            <details class="main-menu__fold" data-test="menu-fold" node_ref=fold>
            <summary class="main-menu__toggle">
                <span class="main-menu__icon main-menu__icon--open" aria-hidden="true">"☰"</span>
                <span class="main-menu__icon main-menu__icon--close" aria-hidden="true">"✕"</span>
                "Danh mục"
            </summary>
            <ul class="main-menu__list" data-test="main-menu">
                {items
                    .into_iter()
                    .map(|item| {
                        let href = item.href.clone();
                        let current = move || {
                            let path = location.pathname.get();
                            let here = path == href
                                || (href != "/" && path.starts_with(&format!("{href}/")));
                            here.then_some("page")
                        };
                        view! {
                            <li><a href=item.href aria-current=current>{item.label}</a></li>
                        }
                    })
                    .collect_view()}
            </ul>
            </details>
        </nav>
    }
}

/// The search box on every page: a GET form, so it works without JavaScript; with it, the
/// router shows the results without reloading the page.
#[component]
fn SearchBox() -> impl IntoView {
    let input = NodeRef::new();
    view! {
        <form method="get" action="/tim-kiem" class="search-box" role="search" aria-label="Tìm kiếm trên cổng"
            on:submit=search_in_place(input)>
            <label for="o-tim-kiem" class="visually-hidden">"Tìm kiếm trên cổng thông tin"</label>
            <input type="search" id="o-tim-kiem" name="q" required maxlength="200" node_ref=input
                placeholder="Tìm kiếm…" autocomplete="off" data-test="search-input"/>
            <button type="submit" data-test="search-submit">"Tìm"</button>
        </form>
    }
}

/// A search form's submission as a client-side navigation to `/tim-kiem?q=...` (lighter than
/// the router's `<Form>`, which brings an HTTP client along).
pub fn search_in_place(
    input: NodeRef<leptos::html::Input>,
) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
    let navigate = use_navigate();
    move |ev| {
        if let Some(input) = input.get_untracked() {
            ev.prevent_default();
            let query = crate::format::query_value(input.value().trim());
            navigate(&format!("/tim-kiem?q={query}"), Default::default());
        }
    }
}

/// Text size levels, as a percentage of the browser's own size; level 1 is the default.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const TEXT_LEVELS: usize = 5;

/// A− A A+: the reader's text size, kept in the browser (`localStorage`), applied before the
/// first paint by the script in the document head. Invisible until the page is interactive,
/// since it needs JavaScript.
#[component]
fn TextSize() -> impl IntoView {
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| set_ready.set(true));
    view! {
        // Its place is kept while it waits (invisible, out of the tab order): nothing moves
        // when it appears.
        <div class="text-size" class:text-size--waiting=move || !ready.get() role="group"
            aria-label="Cỡ chữ" data-test="text-size">
            // The visible letters begin the accessible name, as speech users say what they see.
            <button type="button" on:click=move |_| change_text_size(Some(-1))>
                "A−"<span class="visually-hidden">" giảm cỡ chữ"</span>
            </button>
            <button type="button" on:click=move |_| change_text_size(None)>
                "A"<span class="visually-hidden">" cỡ chữ mặc định"</span>
            </button>
            <button type="button" on:click=move |_| change_text_size(Some(1))>
                "A+"<span class="visually-hidden">" tăng cỡ chữ"</span>
            </button>
        </div>
    }
}

/// The text size on a citizens' page of islands.
#[island]
fn TextSizeIsland() -> impl IntoView {
    view! { <TextSize/> }
}

/// The slogan on a citizens' page of islands (its pause is remembered).
#[island]
fn SloganIsland(text: String) -> impl IntoView {
    view! { <SloganBanner text/> }
}

/// One level smaller or larger (`step`), or back to the default (None).
fn change_text_size(step: Option<i32>) {
    #[cfg(feature = "hydrate")]
    {
        let Some(root) = document().document_element() else {
            return;
        };
        let current = root
            .get_attribute(TEXT_SIZE_ATTRIBUTE)
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(1);
        let level = match step {
            Some(step) => (current + step).clamp(0, TEXT_LEVELS as i32 - 1),
            None => 1,
        };
        let _ = root.set_attribute(TEXT_SIZE_ATTRIBUTE, &level.to_string());
        if let Ok(Some(storage)) = window().local_storage() {
            let _ = storage.set_item(TEXT_SIZE_KEY, &level.to_string());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = step;
}

/// Where the text size is kept, and the attribute of `<html>` the stylesheet reads.
pub const TEXT_SIZE_KEY: &str = "co-chu";
pub const TEXT_SIZE_ATTRIBUTE: &str = "data-co-chu";

/// Applies the stored text size, and the slogan's pause (`banner`), before the first paint
/// (inline in the document head).
pub const TEXT_SIZE_SCRIPT: &str =
    "try{var c=localStorage.getItem('co-chu'),d=document.documentElement;\
if(/^[0-4]$/.test(c))d.setAttribute('data-co-chu',c);\
if(localStorage.getItem('chu-dung')==='1')d.setAttribute('data-chu-dung','')}catch(e){}";

/// The owner of the site and how to reach them; for admins, with the button that turns it into
/// the settings form.
#[component]
fn Footer(info: SiteInfo, admin: bool) -> impl IntoView {
    let editing = RwSignal::new(false);
    if admin {
        let info = info.clone();
        return view! {
            {move || if editing.get() {
                settings_form(info.clone(), editing)
            } else {
                let (site_title, contact) = (info.site_title.clone(), info.contact.clone());
                view! { <FooterView site_title contact editing=Some(editing)/> }.into_any()
            }}
        }
        .into_any();
    }
    view! { <FooterView site_title=info.site_title contact=info.contact editing=None/> }.into_any()
}

/// The footer; with `editing` (admins), a button that turns it into the settings form.
#[component]
fn FooterView(
    site_title: String,
    contact: Contact,
    editing: Option<RwSignal<bool>>,
) -> impl IntoView {
    view! {
        <footer class="site-footer" data-test="site-footer">
            <div><FooterContent site_title contact/></div>
            {editing.map(|editing| view! {
                <p class="site-footer__inner site-footer__admin">
                    <button type="button" id="sua-thong-tin" data-test="edit-settings" on:click=move |_| editing.set(true)>
                        "Sửa thông tin cổng"
                    </button>
                </p>
            })}
        </footer>
    }
}

/// The footer's content: the site's owner, how to reach them, and the links every page ends
/// with. Citizens never change it; on their pages it is not an island, so it costs their wasm
/// nothing.
#[component]
fn FooterContent(site_title: String, contact: Contact) -> impl IntoView {
    let line = |label: &'static str, value: String| {
        (!value.is_empty())
            .then(|| view! { <p><span class="site-footer__label">{label}</span>{value}</p> })
    };
    let phone = (!contact.phone.is_empty()).then(|| {
        let href = format!("tel:{}", crate::format::dial(&contact.phone));
        view! { <p><span class="site-footer__label">"Điện thoại: "</span><a href=href>{contact.phone.clone()}</a></p> }
    });
    let email = (!contact.email.is_empty()).then(|| {
        let href = format!("mailto:{}", contact.email);
        view! { <p><span class="site-footer__label">"Thư điện tử: "</span><a href=href>{contact.email.clone()}</a></p> }
    });
    let map = contact.map.clone().map(|href| {
        view! { <p><span class="site-footer__label">"Bản đồ: "</span><a href=href>"Xem vị trí trên OpenStreetMap"</a></p> }
    });
    view! {
        <div class="site-footer__inner">
            <div class="site-footer__owner">
                <p class="site-footer__title">{site_title}</p>
                {line("Cơ quan chủ quản: ", contact.agency)}
                {line("Chịu trách nhiệm nội dung: ", contact.responsible)}
                {line("Địa chỉ: ", contact.address)}
                {phone}
                {email}
                {line("Giờ làm việc: ", contact.office_hours)}
                {map}
                {line("", contact.licence)}
            </div>
            <ul class="site-footer__links">
                <li><a href="/so-do-trang">"Sơ đồ trang"</a></li>
                <li><a href="/trang/nguon-tin-rss">"Nguồn tin RSS"</a></li>
                <li><a href="/trang/lien-he">"Liên hệ"</a></li>
                <li class="site-footer__staff"><a href="/dang-nhap">"Cán bộ đăng nhập"</a></li>
            </ul>
        </div>
    }
}

/// The settings form: part of the whole app (`crate::whole_app`), which a citizen reading never
/// downloads.
fn settings_form(info: SiteInfo, editing: RwSignal<bool>) -> AnyView {
    let on_cancel = move || {
        editing.set(false);
        focus_opener("#sua-thong-tin");
    };
    view! { <SettingsForm info on_cancel/> }.into_any()
}

/// The site's names and contact details as a form in the footer's place, for admins.
#[component]
fn SettingsForm(info: SiteInfo, on_cancel: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let c = info.contact;
    let fields: Vec<(&'static str, &'static str, RwSignal<String>)> = vec![
        (
            "site_title",
            "Tên cổng thông tin",
            RwSignal::new(info.site_title),
        ),
        ("commune_name", "Tên xã", RwSignal::new(info.commune_name)),
        (
            "owner_agency",
            "Cơ quan chủ quản (dòng đầu của đầu trang)",
            RwSignal::new(c.agency),
        ),
        (
            "province",
            "Tỉnh (dòng thứ hai của đầu trang)",
            RwSignal::new(c.province),
        ),
        (
            "owner_responsible",
            "Chịu trách nhiệm nội dung",
            RwSignal::new(c.responsible),
        ),
        ("contact_address", "Địa chỉ", RwSignal::new(c.address)),
        ("contact_phone", "Điện thoại", RwSignal::new(c.phone)),
        ("contact_email", "Thư điện tử", RwSignal::new(c.email)),
        (
            "office_hours",
            "Giờ làm việc",
            RwSignal::new(c.office_hours),
        ),
        (
            "map_location",
            "Vị trí trụ sở trên bản đồ (vĩ độ, kinh độ; để trống: tìm theo địa chỉ)",
            RwSignal::new(map_location(c.map.as_deref())),
        ),
        (
            "licence",
            "Giấy phép thiết lập cổng",
            RwSignal::new(c.licence),
        ),
    ];
    let emblem = (!info.emblem.starts_with("/bieu-trung")).then_some(info.emblem);
    let error = RwSignal::new(None::<String>);
    let form = NodeRef::<leptos::html::Form>::new();
    focus_first_field(form);
    let values = fields.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pairs: Vec<(String, String)> = values
            .iter()
            .map(|(key, _, value)| (key.to_string(), value.get_untracked()))
            .collect();
        leptos::task::spawn_local(async move {
            match save_settings(pairs).await {
                Ok(()) => reload(),
                Err(err) => error.set(Some(err.to_string())),
            }
        });
    };
    view! {
        <footer class="site-footer" data-test="site-footer">
            <form class="site-footer__inner settings-form" on:submit=save data-test="settings-form"
                node_ref=form>
                <h2>"Thông tin cổng"</h2>
                {fields.into_iter().map(|(key, label, value)| {
                    let id = format!("setting-{key}");
                    view! {
                        <label for=id.clone()>{label}</label>
                        <input id=id maxlength="500" type=if key == "contact_email" { "email" } else { "text" }
                            prop:value=move || value.get()
                            on:input=move |ev| value.set(event_target_value(&ev))/>
                    }
                }).collect_view()}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-test="form-error">{e}</p> })}
                <p>
                    <button type="submit">"Lưu thông tin"</button>
                    " "
                    <button type="button" on:click=move |_| on_cancel()>"Hủy"</button>
                </p>
            </form>
            <EmblemForm current=emblem/>
        </footer>
    }
}

/// The office's place as the settings hold it ("vĩ độ, kinh độ"), read back from its map link
/// (`?mlat=…&mlon=…`); empty when the link searches the address instead.
fn map_location(link: Option<&str>) -> String {
    let value = |link: &str, name: &str| {
        let start = link.find(name)? + name.len();
        let rest = &link[start..];
        Some(rest[..rest.find(['&', '#']).unwrap_or(rest.len())].to_string())
    };
    link.and_then(|link| {
        Some(format!(
            "{}, {}",
            value(link, "mlat=")?,
            value(link, "mlon=")?
        ))
    })
    .unwrap_or_default()
}

/// The header's emblem: an uploaded image (PNG, JPEG, GIF or WebP, square, at most 300 KB),
/// or back to the plain drawn one. Each change takes effect at once.
#[component]
fn EmblemForm(current: Option<String>) -> impl IntoView {
    use crate::api::site::set_emblem;
    let status = RwSignal::new(None::<Result<String, String>>);
    // The emblem set now: an uploaded image's address, or None for the drawn one.
    let own = RwSignal::new(current);
    // Takes effect at once, in the header too; the settings form stays as typed.
    let set = move |attachment: Option<(i64, String, String)>| {
        leptos::task::spawn_local(async move {
            match set_emblem(attachment.as_ref().map(|(id, _, _)| *id)).await {
                Ok(()) => {
                    let src = attachment.as_ref().map(|(_, url, _)| url.clone());
                    show_emblem(src.as_deref().unwrap_or("/bieu-trung.svg"));
                    status.set(Some(Ok(match &attachment {
                        Some((_, _, name)) => format!("Đã đặt ảnh “{name}” làm biểu trưng."),
                        None => "Đã dùng lại biểu trưng mặc định.".into(),
                    })));
                    own.set(src);
                }
                Err(err) => status.set(Some(Err(err.to_string()))),
            }
        });
    };
    let upload = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        super::official::upload_attachment(input, status, move |attachment| {
            set(Some((attachment.id, attachment.url, attachment.name)));
        });
    };
    view! {
        <div class="site-footer__inner settings-form" data-test="emblem-form">
            <h2>"Biểu trưng ở đầu trang"</h2>
            <p>"Ảnh quốc huy (PNG nền trong suốt, vuông, tối đa 300 KB và 1024 × 1024 điểm ảnh). Chưa có ảnh: đầu trang dùng ngôi sao vàng trên nền đỏ."</p>
            <label for="emblem-file">"Chọn ảnh biểu trưng (đặt ngay khi chọn)"</label>
            <input id="emblem-file" type="file" accept=".png,.jpg,.jpeg,.gif,.webp" data-test="emblem-file" on:change=upload/>
            {move || own.get().is_some().then(|| view! {
                <p><button type="button" data-test="emblem-default" on:click=move |_| set(None)>"Dùng biểu trưng mặc định"</button></p>
            })}
            {move || status.get().map(|s| match s {
                Ok(text) => view! { <p class="form-ok" role="status" data-test="emblem-status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="form-error" role="alert" data-test="emblem-error">{text}</p> }.into_any(),
            })}
        </div>
    }
}

/// Shows `src` as the header's emblem on this page (the next pages get it from the server).
fn show_emblem(src: &str) {
    #[cfg(feature = "hydrate")]
    if let Ok(Some(img)) = document().query_selector(".site-brand__emblem") {
        let _ = img.set_attribute("src", src);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = src;
}
