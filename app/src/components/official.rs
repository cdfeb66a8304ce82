//! What signed-in officials see that citizens do not: the bar at the top of every page, and the
//! helpers pages use to know who is signed in.

use leptos::prelude::*;

use crate::api::auth::{who_am_i, SignOut};
use crate::error::AppError;
use crate::format::count_vn;
use crate::model::{Official, Role};

/// The signed-in official of this page load, loaded once by the layout and shared by pages.
#[derive(Clone, Copy)]
pub struct CurrentOfficial(pub Resource<Result<Option<Official>, AppError>>);

impl CurrentOfficial {
    /// Loads the official (blocking: the bar is part of the page's first HTML) and provides it.
    pub fn provide() -> CurrentOfficial {
        let current = CurrentOfficial(Resource::new_blocking(|| (), |_| who_am_i()));
        provide_context(current);
        current
    }

    /// The official, once loaded; None for citizens. Read it inside a `Transition`.
    pub fn get(self) -> Option<Official> {
        self.0.get().and_then(Result::ok).flatten()
    }

    /// None while the official is still loading; then who is signed in (None: a citizen).
    /// A page that refuses citizens must wait for this: refusing while it loads sets the
    /// answer's status to 401 even when the official's page follows.
    pub fn known(self) -> Option<Option<Official>> {
        self.0.get().map(|loaded| loaded.ok().flatten())
    }
}

pub fn use_official() -> Option<Official> {
    use_context::<CurrentOfficial>().and_then(CurrentOfficial::get)
}

/// Posts `data` (multipart, e.g. a file) to `url` with `fetch`: the answer's text when it
/// succeeds, the server's `AppError` when it refuses.
#[cfg(feature = "hydrate")]
pub async fn send_form(url: &str, data: &web_sys::FormData) -> Result<String, AppError> {
    use leptos::wasm_bindgen::JsCast;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(data);
    let response =
        wasm_bindgen_futures::JsFuture::from(window().fetch_with_str_and_init(url, &init))
            .await
            .map_err(|_| AppError::Transport)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| AppError::Transport)?;
    let text =
        wasm_bindgen_futures::JsFuture::from(response.text().map_err(|_| AppError::Transport)?)
            .await
            .map_err(|_| AppError::Transport)?
            .as_string()
            .unwrap_or_default();
    if response.ok() {
        Ok(text)
    } else {
        Err(serde_json::from_str::<AppError>(&text).unwrap_or(AppError::Internal))
    }
}

/// Uploads the file picked in `input` as an attachment, then hands it to `then`. Progress and
/// a refusal (in Vietnamese, with the file's name) are shown through `status`.
pub fn upload_attachment(
    input: leptos::web_sys::HtmlInputElement,
    status: RwSignal<Option<Result<String, String>>>,
    then: impl FnOnce(crate::model::Attachment) + 'static,
) {
    #[cfg(feature = "hydrate")]
    {
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        let Ok(data) = web_sys::FormData::new() else {
            return;
        };
        let name = file.name();
        if data
            .append_with_blob_and_filename("file", &file, &name)
            .is_err()
        {
            return;
        }
        input.set_value("");
        status.set(Some(Ok(format!("Đang tải lên “{name}”…"))));
        leptos::task::spawn_local(async move {
            let answer = send_form("/api/upload_attachment", &data)
                .await
                .and_then(|text| {
                    serde_json::from_str::<crate::model::Attachment>(&text)
                        .map_err(|_| AppError::Internal)
                });
            match answer {
                Ok(attachment) => then(attachment),
                Err(err) => status.set(Some(Err(format!("Chưa tải lên được “{name}”: {err}")))),
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (input, status, then);
}

/// Loads `href` as a whole new page: after signing in or out, every part of the page changes.
pub fn reload_to(href: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign(href);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = href;
}

/// Loads the current page again from the server, without its query (`?sua=1` would reopen the
/// editor).
pub fn reload_path() {
    #[cfg(feature = "hydrate")]
    {
        let path = window()
            .location()
            .pathname()
            .unwrap_or_else(|_| "/".into());
        reload_to(&path);
    }
}

/// A form opened in place of what it edits takes the keyboard to its first field, instead of
/// leaving it on the page (the button that opened it is gone), unless the official already
/// went into the form.
pub fn focus_first_field(form: NodeRef<leptos::html::Form>) {
    Effect::new(move |_| {
        if let Some(form) = form.get() {
            let first = form.clone();
            focus_when_shown(
                move || {
                    first
                        .query_selector("input, select, textarea")
                        .ok()
                        .flatten()
                },
                move || {
                    !document()
                        .active_element()
                        .is_some_and(|active| form.contains(Some(&active)))
                },
            );
        }
    });
}

/// After a form in place closes, gives the keyboard back to the button that opened it
/// (`selector`), once that is on the page again, unless the official already went elsewhere.
pub fn focus_opener(selector: &'static str) {
    focus_when_shown(
        move || document().query_selector(selector).ok().flatten(),
        || {
            document()
                .active_element()
                .is_none_or(|active| active.tag_name().eq_ignore_ascii_case("body"))
        },
    );
}

/// Focuses what `find` finds once it is in the document: a view is put in place a frame or
/// two after it is made, so this looks again on the next frames, for about half a second. It
/// gives up as soon as `may_move` says the focus is where the official put it.
fn focus_when_shown(
    find: impl Fn() -> Option<leptos::web_sys::Element> + 'static,
    may_move: impl Fn() -> bool + 'static,
) {
    #[cfg(feature = "hydrate")]
    {
        type Find = std::rc::Rc<dyn Fn() -> Option<leptos::web_sys::Element>>;
        type MayMove = std::rc::Rc<dyn Fn() -> bool>;
        fn attempt(find: Find, may_move: MayMove, left: u8) {
            use leptos::wasm_bindgen::JsCast;
            if !may_move() {
                return;
            }
            let shown = find()
                .filter(|el| el.is_connected())
                .and_then(|el| el.dyn_into::<leptos::web_sys::HtmlElement>().ok());
            match shown {
                Some(el) => {
                    let _ = el.focus();
                }
                None if left > 0 => {
                    request_animation_frame(move || attempt(find, may_move, left - 1));
                }
                None => {}
            }
        }
        let (find, may_move): (Find, MayMove) =
            (std::rc::Rc::new(find), std::rc::Rc::new(may_move));
        request_animation_frame(move || attempt(find, may_move, 30));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (find, may_move);
}

/// Loads the current page again from the server.
pub fn reload() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().reload();
    }
}

/// The officials' bar: part of the whole app (`crate::whole_app`), which a citizen reading never
/// downloads.
pub fn official_bar(official: Official) -> AnyView {
    view! { <OfficialBar official/> }.into_any()
}

/// The officials' bar: who is signed in, their tools, and sign-out.
#[component]
fn OfficialBar(official: Official) -> impl IntoView {
    let waiting = official.waiting;
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            reload_to("/");
        }
    });
    let admin = official.can(Role::Admin);
    let editor = official.can(Role::Editor);
    view! {
        <nav class="official-bar" aria-label="Công cụ của cán bộ" data-test="official-bar">
            <p class="official-bar__who">
                "Đang đăng nhập: " <strong data-test="official-name">{official.display_name}</strong>
                " (" {official.role.label()} ")"
            </p>
            <ul class="official-bar__tools">
                <li><a href="/viet-bai" data-test="write-new">"Viết bài mới"</a></li>
                // Opens the tab where work waits, and says how much.
                <li>{match waiting {
                    Some(w) => view! {
                        <a href=format!("/quan-tri/bai-viet?trang-thai={}", w.stage.as_str())
                            data-test="bar-posts">
                            "Bài viết " <span class="official-bar__count">
                                "(" {count_vn(w.count)} " " {w.stage.label().to_lowercase()} ")"
                            </span>
                        </a>
                    }.into_any(),
                    None => view! { <a href="/quan-tri/bai-viet" data-test="bar-posts">"Bài viết"</a> }.into_any(),
                }}</li>
                <li><a href="/quan-tri/hoi-dap" data-test="bar-questions">"Hỏi đáp"
                    {official.questions.filter(|(new, overdue)| *new + *overdue > 0).map(|(new, overdue)| view! {
                        " " <span class="official-bar__count">
                            "(" {count_vn(new)} " mới" {(overdue > 0).then(|| format!(", {} quá hạn", count_vn(overdue)))} ")"
                        </span>
                    })}
                </a></li>
                <li><a href="/quan-tri/van-ban-chua-co">"Văn bản chưa có trên cổng"</a></li>
                {editor.then(|| view! {
                    <li><a href="/quan-tri/thong-ke" data-test="bar-statistics">"Thống kê"</a></li>
                })}
                {admin.then(|| view! {
                    <li><a href="/quan-tri/tai-khoan">"Tài khoản"</a></li>
                    <li><a href="/quan-tri/nhat-ky">"Nhật ký thao tác"</a></li>
                })}
                <li><a href="/doi-mat-khau">"Đổi mật khẩu"</a></li>
                <li>
                    <ActionForm action=sign_out>
                        <button type="submit" class="link-button" data-test="sign-out">"Đăng xuất"</button>
                    </ActionForm>
                </li>
            </ul>
        </nav>
    }
}

/// The answer to the last submission of a form: a confirmation, or the error in Vietnamese.
#[component]
pub fn FormResult(
    result: Signal<Option<Result<(), AppError>>>,
    done: &'static str,
) -> impl IntoView {
    move || match result.get() {
        Some(Ok(())) => {
            view! { <p class="form-ok" role="status" data-test="form-ok">{done}</p> }.into_any()
        }
        Some(Err(err)) => view! {
            <p class="form-error" role="alert" data-test="form-error">{err.to_string()}</p>
        }
        .into_any(),
        None => ().into_any(),
    }
}
