//! The inline editor: the post's own title, lead and body become editable where they stand,
//! styled as citizens see them, with a toolbar, a side panel for what has no place on the
//! page, and everything that keeps an official's words safe: a copy in the browser every
//! couple of seconds, a save that carries its version, a conflict shown side by side, and a
//! sign-in in place when the session has expired.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::api::auth::sign_in;
use crate::api::editing::{clean_pasted, save_post, PostAction};
use crate::error::AppError;
use crate::format::datetime_vn;
use crate::model::{
    Attachment, EditablePost, EditorData, Official, PostEdit, Role, SaveOutcome, Stage,
};

/// How often the text in progress is copied to the browser's storage, in milliseconds.
const LOCAL_COPY_MS: u64 = 2000;

/// What is kept in the browser's storage while an official edits.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct LocalCopy {
    edit: PostEdit,
    /// The featured image chosen, to show it again.
    image: Option<Attachment>,
    /// Milliseconds since 1970, when it was written.
    written: f64,
}

fn local_key(id: Option<i64>) -> String {
    match id {
        Some(id) => format!("portal:ban-nhap:{id}"),
        None => "portal:ban-nhap:moi".into(),
    }
}

/// Whether the browser holds unsaved text of post `id` (checked before opening the editor).
pub fn has_local_copy(id: Option<i64>) -> bool {
    browser::local_get(&local_key(id)).is_some()
}

/// Browser-only calls; on the server they do nothing (the editor only acts in the browser).
mod browser {
    #[cfg(feature = "hydrate")]
    use leptos::wasm_bindgen::JsCast;

    /// A `document.execCommand`: formatting that joins the browser's own undo history.
    pub fn exec(command: &str, value: &str) {
        #[cfg(feature = "hydrate")]
        if let Ok(doc) = leptos::prelude::document().dyn_into::<web_sys::HtmlDocument>() {
            let _ = doc.exec_command_with_show_ui_and_value(command, false, value);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (command, value);
    }

    pub fn prompt(message: &str, default: &str) -> Option<String> {
        #[cfg(feature = "hydrate")]
        return leptos::prelude::window()
            .prompt_with_message_and_default(message, default)
            .ok()
            .flatten();
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (message, default);
            None
        }
    }

    #[cfg(feature = "hydrate")]
    fn storage() -> Option<web_sys::Storage> {
        leptos::prelude::window().local_storage().ok().flatten()
    }

    pub fn local_get(key: &str) -> Option<String> {
        #[cfg(feature = "hydrate")]
        return storage()?.get_item(key).ok().flatten();
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = key;
            None
        }
    }

    pub fn local_set(key: &str, value: &str) {
        #[cfg(feature = "hydrate")]
        if let Some(storage) = storage() {
            let _ = storage.set_item(key, value);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (key, value);
    }

    pub fn local_remove(key: &str) {
        #[cfg(feature = "hydrate")]
        if let Some(storage) = storage() {
            let _ = storage.remove_item(key);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = key;
    }

    pub fn now_ms() -> f64 {
        #[cfg(feature = "hydrate")]
        return web_sys::js_sys::Date::now();
        #[cfg(not(feature = "hydrate"))]
        0.0
    }

    /// `dd/mm/yyyy hh:mm` in the browser's time zone.
    pub fn local_time(ms: f64) -> String {
        #[cfg(feature = "hydrate")]
        {
            let d = web_sys::js_sys::Date::new(&leptos::wasm_bindgen::JsValue::from_f64(ms));
            format!(
                "{:02}/{:02}/{} {:02}:{:02}",
                d.get_date(),
                d.get_month() + 1,
                d.get_full_year(),
                d.get_hours(),
                d.get_minutes()
            )
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = ms;
            String::new()
        }
    }
}

/// The editor's view of its three editable regions.
#[derive(Clone, Copy)]
struct Regions {
    title: NodeRef<leptos::html::H1>,
    lead: NodeRef<leptos::html::P>,
    body: NodeRef<leptos::html::Div>,
}

impl Regions {
    fn read(&self) -> Option<(String, String, String)> {
        Some((
            self.title.get_untracked()?.inner_text(),
            self.lead.get_untracked()?.inner_text(),
            self.body.get_untracked()?.inner_html(),
        ))
    }

    fn write(&self, title: &str, lead: &str, body: &str) {
        if let Some(el) = self.title.get_untracked() {
            el.set_inner_text(title);
        }
        if let Some(el) = self.lead.get_untracked() {
            el.set_inner_text(lead);
        }
        if let Some(el) = self.body.get_untracked() {
            el.set_inner_html(body);
        }
    }
}

/// The state of one editing session.
#[derive(Clone, Copy)]
struct Session {
    id: RwSignal<Option<i64>>,
    version: RwSignal<i64>,
    slug: RwSignal<String>,
    category: RwSignal<String>,
    published_local: RwSignal<String>,
    description: RwSignal<String>,
    image: RwSignal<Option<Attachment>>,
    image_alt: RwSignal<String>,
    /// Bumped at every change; a save clears the dirty state only if nothing changed since.
    edits: RwSignal<u64>,
    saved_edits: RwSignal<u64>,
    /// The edit count last copied to the browser's storage.
    copied_edits: RwSignal<u64>,
    saving: RwSignal<bool>,
    status: RwSignal<Option<Result<String, String>>>,
    conflict: RwSignal<Option<EditablePost>>,
    sign_in_needed: RwSignal<bool>,
    offered: RwSignal<Option<LocalCopy>>,
    regions: Regions,
}

impl Session {
    fn dirty(&self) -> bool {
        self.edits.get_untracked() != self.saved_edits.get_untracked()
    }

    fn collect(&self) -> Option<PostEdit> {
        let (title, lead, body_html) = self.regions.read()?;
        Some(PostEdit {
            id: self.id.get_untracked(),
            base_version: self.version.get_untracked(),
            slug: self.slug.get_untracked(),
            title,
            lead,
            body_html,
            description: self.description.get_untracked(),
            category_id: self.category.get_untracked().parse().ok(),
            published_local: self.published_local.get_untracked(),
            image_id: self.image.get_untracked().map(|a| a.id),
            image_alt: self.image_alt.get_untracked(),
        })
    }

    /// Copies the text in progress to the browser's storage if it changed since the last copy.
    fn copy_locally(&self) {
        let edits = self.edits.get_untracked();
        if !self.dirty() || edits == self.copied_edits.get_untracked() {
            return;
        }
        if let Some(edit) = self.collect() {
            let copy = LocalCopy {
                edit,
                image: self.image.get_untracked(),
                written: browser::now_ms(),
            };
            if let Ok(json) = serde_json::to_string(&copy) {
                browser::local_set(&local_key(self.id.get_untracked()), &json);
                self.copied_edits.set(edits);
            }
        }
    }

    fn apply(&self, edit: &PostEdit, image: Option<Attachment>) {
        self.image.set(image);
        self.image_alt.set(edit.image_alt.clone());
        self.regions.write(&edit.title, &edit.lead, &edit.body_html);
        self.slug.set(edit.slug.clone());
        self.category
            .set(edit.category_id.map(|c| c.to_string()).unwrap_or_default());
        self.published_local.set(edit.published_local.clone());
        self.description.set(edit.description.clone());
    }

    fn save(self) {
        if self.saving.get_untracked() {
            return;
        }
        let Some(edit) = self.collect() else { return };
        // The copy in the browser is written first: if the save fails, it is what comes back.
        self.copy_locally();
        let started = self.edits.get_untracked();
        let was_new = edit.id.is_none();
        let old_slug = self.slug.get_untracked();
        self.saving.set(true);
        self.status.set(Some(Ok("Đang lưu…".into())));
        spawn_local(async move {
            match save_post(edit).await {
                Ok(SaveOutcome::Saved {
                    id,
                    version,
                    slug,
                    body_html: _,
                }) => {
                    let old_key = local_key(self.id.get_untracked());
                    self.id.set(Some(id));
                    self.version.set(version);
                    self.conflict.set(None);
                    self.sign_in_needed.set(false);
                    if self.edits.get_untracked() == started {
                        self.saved_edits.set(started);
                        browser::local_remove(&old_key);
                    }
                    self.status.set(Some(Ok(format!(
                        "Đã lưu (phiên bản {version}) lúc {}.",
                        browser::local_time(browser::now_ms())
                    ))));
                    if was_new || (!old_slug.is_empty() && slug != old_slug) {
                        // The post now has its own address: open it there, still editing.
                        browser::local_remove(&local_key(None));
                        let navigate = leptos_router::hooks::use_navigate();
                        navigate(
                            &format!("/bai-viet/{slug}?sua=1"),
                            leptos_router::NavigateOptions {
                                replace: true,
                                ..Default::default()
                            },
                        );
                    }
                    self.slug.set(slug);
                }
                Ok(SaveOutcome::Conflict { current }) => {
                    self.status.set(Some(Err(
                        "Chưa lưu: bài viết vừa được người khác lưu một phiên bản mới hơn. Bản của bạn vẫn còn nguyên trong khung soạn thảo.".into(),
                    )));
                    self.conflict.set(Some(*current));
                }
                Err(AppError::Unauthorized) => {
                    self.sign_in_needed.set(true);
                    self.status.set(Some(Err(
                        "Chưa lưu: phiên đăng nhập đã hết hạn. Hãy đăng nhập lại ngay dưới đây; nội dung bạn đang sửa vẫn được giữ.".into(),
                    )));
                }
                Err(err) => {
                    self.status.set(Some(Err(format!(
                        "Chưa lưu: {err} Nội dung bạn đang sửa vẫn được giữ trên máy này."
                    ))));
                }
            }
            self.saving.set(false);
        });
    }
}

/// The editor of a post, in place of the post's article. `on_close` is called after the
/// official closes it (with nothing left unsaved).
#[component]
pub fn PostEditor(data: EditorData, official: Official) -> impl IntoView {
    let post = data.post;
    let regions = Regions {
        title: NodeRef::new(),
        lead: NodeRef::new(),
        body: NodeRef::new(),
    };
    let session = Session {
        id: RwSignal::new(post.id),
        version: RwSignal::new(post.version),
        slug: RwSignal::new(post.slug.clone()),
        category: RwSignal::new(post.category_id.map(|c| c.to_string()).unwrap_or_default()),
        published_local: RwSignal::new(post.published_local.clone()),
        description: RwSignal::new(post.description.clone()),
        image: RwSignal::new(post.image.clone()),
        image_alt: RwSignal::new(post.image_alt.clone()),
        edits: RwSignal::new(0),
        saved_edits: RwSignal::new(0),
        copied_edits: RwSignal::new(0),
        saving: RwSignal::new(false),
        status: RwSignal::new(None),
        conflict: RwSignal::new(None),
        sign_in_needed: RwSignal::new(false),
        offered: RwSignal::new(None),
        regions,
    };
    let changed = move |_| session.edits.update(|n| *n += 1);

    // Offer back what the browser kept from an earlier session, if it differs from the stored
    // post.
    let stored = (
        post.title.clone(),
        post.lead.clone(),
        post.body_html.clone(),
    );
    Effect::new(move |_| {
        let Some(raw) = browser::local_get(&local_key(session.id.get_untracked())) else {
            return;
        };
        match serde_json::from_str::<LocalCopy>(&raw) {
            Ok(copy)
                if (
                    copy.edit.title.as_str(),
                    copy.edit.lead.as_str(),
                    copy.edit.body_html.as_str(),
                ) != (stored.0.as_str(), stored.1.as_str(), stored.2.as_str()) =>
            {
                session.offered.set(Some(copy));
            }
            _ => browser::local_remove(&local_key(session.id.get_untracked())),
        }
    });

    // Enter starts a new paragraph (`<p>`), not the browser's default `<div>`.
    Effect::new(move |_| browser::exec("defaultParagraphSeparator", "p"));

    // The copy in the browser, every couple of seconds while there are changes.
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || session.copy_locally(),
            std::time::Duration::from_millis(LOCAL_COPY_MS),
        ) {
            on_cleanup(move || handle.clear());
        }
    });

    // Ctrl+S saves; leaving with unsaved changes asks first.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("s") {
            ev.prevent_default();
            session.save();
        }
    });
    let leaving = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if session.dirty() {
            session.copy_locally();
            ev.prevent_default();
            ev.set_return_value("");
        }
    });
    on_cleanup(move || {
        keys.remove();
        leaving.remove();
    });

    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        #[cfg(feature = "hydrate")]
        {
            let Some(data) = ev.clipboard_data() else {
                return;
            };
            let html = data.get_data("text/html").unwrap_or_default();
            if html.is_empty() {
                return;
            }
            ev.prevent_default();
            let plain = data.get_data("text/plain").unwrap_or_default();
            spawn_local(async move {
                // The same allow-list as a save: Word's styles, classes and Office markup go,
                // the headings, lists and tables stay. Offline, the text comes in unformatted.
                match clean_pasted(html).await {
                    Ok(clean) => browser::exec("insertHTML", &clean),
                    Err(_) => browser::exec("insertText", &plain),
                }
                session.edits.update(|n| *n += 1);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, clean_pasted);
    };

    let history = move || {
        session
            .id
            .get()
            .map(|id| view! { <a href=format!("/quan-tri/bai-viet/{id}/lich-su") data-test="history-link">"Lịch sử các phiên bản"</a> })
    };
    let featured = move |ev: leptos::ev::Event| {
        let input: leptos::web_sys::HtmlInputElement = event_target(&ev);
        upload(input, session, move |attachment| {
            if attachment.image.is_some() {
                session.image.set(Some(attachment));
                session.edits.update(|n| *n += 1);
                session.status.set(Some(Ok(
                    "Đã chọn ảnh đại diện. Hãy mô tả ảnh rồi bấm Lưu.".into()
                )));
            } else {
                session
                    .status
                    .set(Some(Err("Ảnh đại diện phải là một ảnh.".into())));
            }
        });
    };
    let categories = data.categories;
    let stage = post.stage;
    // Typing into an empty body starts inside a paragraph.
    let body_html = if post.body_html.is_empty() {
        "<p><br></p>".to_string()
    } else {
        post.body_html.clone()
    };
    let editor_role = official.can(Role::Editor);

    view! {
        <div class="editor" data-test="editor">
            <Toolbar session/>
            <p class="editor__status" role="status" aria-live="polite" data-test="editor-status">
                {move || session.status.get().map(|s| match s {
                    Ok(text) => view! { <span class="form-ok">{text}</span> }.into_any(),
                    Err(text) => view! { <span class="form-error">{text}</span> }.into_any(),
                })}
            </p>
            <LocalCopyOffer session/>
            <ConflictPanel session/>
            <SignInAgain session/>
            <div class="editor__layout">
                <article class="post post--editing" on:input=changed>
                    <h1 class="post__title editable" node_ref=regions.title contenteditable="plaintext-only"
                        aria-label="Tiêu đề bài viết" data-placeholder="Nhập tiêu đề bài viết"
                        data-test="edit-title">{post.title}</h1>
                    <p class="post__lead editable" node_ref=regions.lead contenteditable="plaintext-only"
                        aria-label="Tóm tắt (đoạn mở đầu)" data-placeholder="Nhập đoạn tóm tắt"
                        data-test="edit-lead">{post.lead}</p>
                    <div class="post__body editable" node_ref=regions.body contenteditable="true"
                        role="textbox" aria-multiline="true" aria-label="Nội dung bài viết"
                        data-placeholder="Nhập nội dung bài viết" data-test="edit-body"
                        on:paste=on_paste inner_html=body_html></div>
                </article>
                <aside class="editor__panel" aria-label="Thông tin bài viết" on:input=changed on:change=changed>
                    <h2>"Thông tin bài viết"</h2>
                    <p>"Trạng thái: " <strong data-test="edit-stage">{stage.label()}</strong></p>
                    <label for="edit-slug">"Đường dẫn"</label>
                    <input id="edit-slug" type="text" data-test="edit-slug" maxlength="200"
                        placeholder="tự tạo từ tiêu đề"
                        prop:value=move || session.slug.get()
                        on:input=move |ev| session.slug.set(event_target_value(&ev))/>
                    <label for="edit-category">"Chuyên mục"</label>
                    <select id="edit-category" data-test="edit-category"
                        on:change=move |ev| session.category.set(event_target_value(&ev))>
                        <option value="" selected=move || session.category.get().is_empty()>"(không thuộc chuyên mục nào)"</option>
                        {categories.into_iter().map(|c| {
                            let value = c.id.to_string();
                            let selected = {
                                let value = value.clone();
                                move || session.category.get() == value
                            };
                            view! { <option value=value selected=selected>{c.label}</option> }
                        }).collect_view()}
                    </select>
                    <label for="edit-time">"Thời gian đăng (giờ Việt Nam)"</label>
                    <input id="edit-time" type="datetime-local" data-test="edit-time"
                        prop:value=move || session.published_local.get()
                        on:input=move |ev| session.published_local.set(event_target_value(&ev))/>
                    <p class="hint">{if editor_role {
                        "Một thời điểm trong tương lai: bài được đăng tự động vào lúc đó khi bấm “Đăng bài”."
                    } else {
                        "Biên tập viên sẽ đăng bài sau khi duyệt."
                    }}</p>
                    <fieldset class="editor__image">
                        <legend>"Ảnh đại diện"</legend>
                        {move || session.image.get().map(|a| {
                            let src = a.image.as_ref().map(|i| i.src.clone()).unwrap_or_else(|| a.url.clone());
                            view! {
                                <img class="editor__thumb" src=src alt="" data-test="edit-image"/>
                                <button type="button" class="link-button"
                                    on:click=move |_| { session.image.set(None); session.edits.update(|n| *n += 1); }>
                                    "Bỏ ảnh đại diện"
                                </button>
                            }
                        })}
                        <label for="edit-image-file">"Chọn ảnh (PNG, JPG, GIF, WebP)"</label>
                        <input id="edit-image-file" type="file" accept="image/png,image/jpeg,image/gif,image/webp"
                            data-test="edit-image-file" on:change=featured/>
                        <label for="edit-image-alt">"Mô tả ảnh, cho người không xem được ảnh"</label>
                        <input id="edit-image-alt" type="text" maxlength="300" data-test="edit-image-alt"
                            prop:value=move || session.image_alt.get()
                            on:input=move |ev| session.image_alt.set(event_target_value(&ev))/>
                    </fieldset>
                    <label for="edit-description">"Mô tả cho máy tìm kiếm"</label>
                    <textarea id="edit-description" rows="3" maxlength="300" data-test="edit-description"
                        placeholder="Để trống: dùng đoạn tóm tắt"
                        prop:value=move || session.description.get()
                        on:input=move |ev| session.description.set(event_target_value(&ev))></textarea>
                    <p>{history}</p>
                </aside>
            </div>
        </div>
    }
}

/// The formatting buttons and Save. Buttons keep the focus in the text (mousedown is
/// cancelled), so the selection they act on stays.
#[component]
fn Toolbar(session: Session) -> impl IntoView {
    let keep_selection = |ev: leptos::ev::MouseEvent| ev.prevent_default();
    let command = move |name: &'static str, value: &'static str| {
        move |_| {
            browser::exec(name, value);
            session.edits.update(|n| *n += 1);
        }
    };
    let link = move |_| {
        if let Some(url) = browser::prompt(
            "Địa chỉ liên kết (ví dụ https://hungyen.gov.vn hoặc /van-ban/1):",
            "",
        )
        .filter(|u| !u.trim().is_empty())
        {
            browser::exec("createLink", url.trim());
            session.edits.update(|n| *n += 1);
        }
    };
    // Images and files are uploaded, then inserted where the caret was.
    let file_input: NodeRef<leptos::html::Input> = NodeRef::new();
    let pick = move |image: bool| {
        move |_| {
            if let Some(input) = file_input.get_untracked() {
                input.set_accept(if image {
                    "image/png,image/jpeg,image/gif,image/webp"
                } else {
                    ".pdf,.doc,.docx,.xls,.xlsx,.odt"
                });
                input.click();
            }
        }
    };
    let chosen = move |ev: leptos::ev::Event| {
        let input: leptos::web_sys::HtmlInputElement = event_target(&ev);
        upload_and_insert(input, session);
    };
    let table = command(
        "insertHTML",
        "<table><tbody><tr><td>&nbsp;</td><td>&nbsp;</td></tr><tr><td>&nbsp;</td><td>&nbsp;</td></tr></tbody></table><p><br></p>",
    );
    view! {
        <div class="editor__toolbar" role="toolbar" aria-label="Định dạng nội dung" data-test="toolbar">
            <button type="button" on:mousedown=keep_selection on:click=command("formatBlock", "p")>"Đoạn văn"</button>
            <button type="button" on:mousedown=keep_selection on:click=command("formatBlock", "h2")>"Tiêu đề mục"</button>
            <button type="button" on:mousedown=keep_selection on:click=command("formatBlock", "h3")>"Tiêu đề nhỏ"</button>
            <button type="button" on:mousedown=keep_selection on:click=command("bold", "") title="Ctrl+B" aria-label="Chữ đậm (Ctrl+B)"><b>"Đ"</b></button>
            <button type="button" on:mousedown=keep_selection on:click=command("italic", "") title="Ctrl+I" aria-label="Chữ nghiêng (Ctrl+I)"><i>"N"</i></button>
            <button type="button" on:mousedown=keep_selection on:click=command("insertUnorderedList", "")>"Danh sách"</button>
            <button type="button" on:mousedown=keep_selection on:click=command("insertOrderedList", "")>"Danh sách số"</button>
            <button type="button" on:mousedown=keep_selection on:click=command("formatBlock", "blockquote")>"Trích dẫn"</button>
            <button type="button" on:mousedown=keep_selection on:click=link>"Liên kết"</button>
            <button type="button" on:mousedown=keep_selection on:click=command("unlink", "")>"Bỏ liên kết"</button>
            <button type="button" on:mousedown=keep_selection on:click=table>"Bảng"</button>
            <button type="button" on:mousedown=keep_selection on:click=pick(true) data-test="insert-image">"Ảnh"</button>
            <button type="button" on:mousedown=keep_selection on:click=pick(false) data-test="attach-file">"Tệp đính kèm"</button>
            <input type="file" node_ref=file_input class="visually-hidden" tabindex="-1" aria-hidden="true"
                data-test="attach-input" on:change=chosen/>
            <button type="button" on:mousedown=keep_selection on:click=command("undo", "") title="Ctrl+Z">"Hoàn tác"</button>
            <button type="button" on:mousedown=keep_selection on:click=command("redo", "") title="Ctrl+Y">"Làm lại"</button>
            <button type="button" class="editor__save" data-test="save" title="Ctrl+S"
                disabled=move || session.saving.get()
                on:click=move |_| session.save()>"Lưu (Ctrl+S)"</button>
        </div>
    }
}

/// Uploads the file picked in `input` (see [`upload_attachment`]), reporting in the editor's
/// status line.
fn upload(
    input: leptos::web_sys::HtmlInputElement,
    session: Session,
    then: impl FnOnce(Attachment) + 'static,
) {
    crate::components::official::upload_attachment(input, session.status, then);
}

/// What the official picked, uploaded, then inserted at the caret: an image (with its
/// resized copies and the description the official gives) or a link to the file (with the
/// text the official gives, followed by its type and size).
fn upload_and_insert(input: leptos::web_sys::HtmlInputElement, session: Session) {
    upload(input, session, move |attachment| {
        #[cfg(feature = "hydrate")]
        {
            let html = match &attachment.image {
                Some(img) => {
                    let alt = browser::prompt(
                        "Mô tả ngắn nội dung ảnh, cho người không xem được ảnh:",
                        "",
                    )
                    .unwrap_or_default();
                    format!(
                        "<img src=\"{}\" srcset=\"{}\" sizes=\"(max-width: 48rem) 100vw, 48rem\" width=\"{}\" height=\"{}\" alt=\"{}\">",
                        attr_escape(&img.src),
                        attr_escape(&img.srcset),
                        img.width,
                        img.height,
                        attr_escape(alt.trim())
                    )
                }
                None => {
                    let stem = attachment
                        .name
                        .rsplit_once('.')
                        .map_or(attachment.name.as_str(), |(stem, _)| stem)
                        .to_string();
                    let text = browser::prompt(
                        "Chữ của liên kết tới tệp, nói tệp là gì (ví dụ: Toàn văn kế hoạch):",
                        &stem,
                    )
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or(stem);
                    format!(
                        "<a href=\"{}\">{}</a> ({})",
                        attr_escape(&attachment.url),
                        attr_escape(text.trim()),
                        attachment.description
                    )
                }
            };
            if let Some(body) = session.regions.body.get_untracked() {
                let _ = body.focus();
            }
            browser::exec("insertHTML", &html);
            session.edits.update(|n| *n += 1);
            session.status.set(Some(Ok(format!(
                "Đã đính kèm “{}” ({}). Bấm Lưu để lưu bài.",
                attachment.name, attachment.description
            ))));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = attachment;
    });
}

#[cfg(feature = "hydrate")]
fn attr_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// What the browser kept from an earlier session, offered back.
#[component]
fn LocalCopyOffer(session: Session) -> impl IntoView {
    move || {
        session.offered.get().map(|copy| {
            let take = {
                let copy = copy.clone();
                move |_| {
                    session.apply(&copy.edit, copy.image.clone());
                    session.version.set(copy.edit.base_version);
                    session.edits.update(|n| *n += 1);
                    session.offered.set(None);
                    session.status.set(Some(Ok(
                        "Đã khôi phục bản chưa lưu. Hãy bấm Lưu để lưu lại.".into(),
                    )));
                }
            };
            let drop_copy = move |_| {
                browser::local_remove(&local_key(session.id.get_untracked()));
                session.offered.set(None);
            };
            view! {
                <section class="editor__notice" role="alert" data-test="local-copy">
                    <p>
                        "Trên máy này còn một bản chưa lưu của bài viết, ghi lúc "
                        {browser::local_time(copy.written)}
                        " (tiêu đề: “" {copy.edit.title.clone()} "”)."
                    </p>
                    <button type="button" data-test="restore-local" on:click=take>"Khôi phục bản chưa lưu"</button>
                    " "
                    <button type="button" class="link-button" data-test="discard-local" on:click=drop_copy>"Bỏ bản này"</button>
                </section>
            }
        })
    }
}

/// A save refused because someone saved first: their version beside the official's own,
/// which stays in the editor.
#[component]
fn ConflictPanel(session: Session) -> impl IntoView {
    move || {
        session.conflict.get().map(|theirs| {
            let overwrite = {
                let version = theirs.version;
                move |_| {
                    session.version.set(version);
                    session.conflict.set(None);
                    session.save();
                }
            };
            let take_theirs = {
                let theirs = theirs.clone();
                move |_| {
                    session.apply(
                        &PostEdit {
                            id: theirs.id,
                            base_version: theirs.version,
                            slug: theirs.slug.clone(),
                            title: theirs.title.clone(),
                            lead: theirs.lead.clone(),
                            body_html: theirs.body_html.clone(),
                            description: theirs.description.clone(),
                            category_id: theirs.category_id,
                            published_local: theirs.published_local.clone(),
                            image_id: theirs.image_id,
                            image_alt: theirs.image_alt.clone(),
                        },
                        theirs.image.clone(),
                    );
                    session.version.set(theirs.version);
                    session.saved_edits.set(session.edits.get_untracked());
                    browser::local_remove(&local_key(session.id.get_untracked()));
                    session.conflict.set(None);
                    session.status.set(Some(Ok("Đang hiển thị bản đã lưu trên máy chủ.".into())));
                }
            };
            view! {
                <section class="editor__conflict" role="alert" data-test="conflict">
                    <h2>"Bài viết đã có phiên bản mới hơn"</h2>
                    <p>
                        {theirs.saved_by.clone()} " đã lưu phiên bản " {theirs.version}
                        " lúc " {datetime_vn(&theirs.saved_at)}
                        " trong khi bạn đang sửa. Bản của bạn chưa được lưu và vẫn còn nguyên trong khung soạn thảo bên dưới. Hãy so sánh với bản đã lưu rồi chọn:"
                    </p>
                    <div class="editor__theirs" data-test="conflict-theirs">
                        <h3>"Bản đã lưu trên máy chủ (phiên bản " {theirs.version} ")"</h3>
                        <p><strong>{theirs.title.clone()}</strong></p>
                        <p>{theirs.lead.clone()}</p>
                        <div inner_html=theirs.body_html.clone()></div>
                    </div>
                    <button type="button" data-test="overwrite" on:click=overwrite>"Lưu bản của tôi đè lên"</button>
                    " "
                    <button type="button" data-test="take-theirs" on:click=take_theirs>"Bỏ bản của tôi, dùng bản đã lưu"</button>
                </section>
            }
        })
    }
}

/// Signs in again without leaving the page; the save is then retried.
#[component]
fn SignInAgain(session: Session) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (u, p) = (username.get_untracked(), password.get_untracked());
        spawn_local(async move {
            match sign_in(u, p).await {
                Ok(_) => {
                    error.set(None);
                    password.set(String::new());
                    session.sign_in_needed.set(false);
                    session.save();
                }
                Err(err) => error.set(Some(err.to_string())),
            }
        });
    };
    move || {
        session.sign_in_needed.get().then(|| view! {
            <form class="editor__signin" on:submit=submit data-test="sign-in-again">
                <h2>"Đăng nhập lại để lưu"</h2>
                <label for="again-user">"Tên đăng nhập"</label>
                <input id="again-user" type="text" autocomplete="username" required
                    on:input=move |ev| username.set(event_target_value(&ev))/>
                <label for="again-password">"Mật khẩu"</label>
                <input id="again-password" type="password" autocomplete="current-password" required
                    on:input=move |ev| password.set(event_target_value(&ev))/>
                <button type="submit">"Đăng nhập và lưu"</button>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            </form>
        })
    }
}

/// The workflow buttons of a post for the official's role and the post's stage.
#[component]
pub fn WorkflowButtons(
    id: i64,
    stage: Stage,
    created_by: Option<i64>,
    official: Official,
) -> impl IntoView {
    let action = ServerAction::<PostAction>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            crate::components::official::reload_path();
        }
    });
    let editor = official.can(Role::Editor);
    let own = created_by == Some(official.id);
    let mut buttons: Vec<(&'static str, &'static str)> = Vec::new();
    if stage == Stage::Draft && !editor && own {
        buttons.push(("submit", "Gửi duyệt"));
    }
    if editor {
        match stage {
            Stage::Draft | Stage::Review => buttons.push(("publish", "Đăng bài viết")),
            Stage::Scheduled => buttons.push(("unpublish", "Hủy hẹn giờ")),
            Stage::Published => buttons.push(("unpublish", "Gỡ bài viết xuống")),
            Stage::Trash => buttons.push(("restore", "Khôi phục")),
        }
        if stage != Stage::Trash {
            buttons.push(("trash", "Xóa (chuyển vào thùng rác)"));
        }
    }
    let error = move || {
        action.value().get().and_then(Result::err).map(|err| {
            view! { <p class="form-error" role="alert" data-test="form-error">{err.to_string()}</p> }
        })
    };
    view! {
        {buttons.into_iter().map(|(name, label)| view! {
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="action" value=name/>
                <button type="submit" data-test=format!("action-{name}")>{label}</button>
            </ActionForm>
        }).collect_view()}
        {error}
    }
    .into_any()
}
