//! The editable fields: the post's title, lead and body, editable where they stand and styled
//! as citizens see them, and the side panel for what has no place on the page (address,
//! category, publication time, featured image, description for search engines).

use leptos::prelude::*;

use super::insert::{paste, upload};
use super::session::Session;
use crate::model::{CategoryChoice, Stage};

/// The title, lead and body of the post as the page shows them, made editable. Any input
/// counts as a change.
#[component]
pub(super) fn EditableArticle(
    session: Session,
    title: String,
    lead: String,
    body_html: String,
) -> impl IntoView {
    let regions = session.regions;
    // Typing into an empty body starts inside a paragraph.
    let body_html = if body_html.is_empty() {
        "<p><br></p>".to_string()
    } else {
        body_html
    };
    view! {
        <article class="post post--editing" on:input=move |_| session.changed()>
            // Each region is named by a visible label above it: an empty region is otherwise
            // an unexplained box.
            <p class="editor__label" id="nhan-tieu-de" data-test="label-title">"Tiêu đề"</p>
            <h1 class="post__title editable" node_ref=regions.title contenteditable="plaintext-only"
                aria-labelledby="nhan-tieu-de" data-test="edit-title">{title}</h1>
            <p class="editor__label" id="nhan-tom-tat" data-test="label-lead">
                "Tóm tắt " <span class="editor__hint">"(đoạn mở đầu, in đậm dưới tiêu đề)"</span>
            </p>
            <p class="post__lead editable" node_ref=regions.lead contenteditable="plaintext-only"
                role="textbox" aria-labelledby="nhan-tom-tat" data-test="edit-lead">{lead}</p>
            <p class="editor__label" id="nhan-noi-dung" data-test="label-body">"Nội dung"</p>
            <div class="post__body editable" node_ref=regions.body contenteditable="true"
                role="textbox" aria-multiline="true" aria-labelledby="nhan-noi-dung"
                data-test="edit-body"
                on:paste=move |ev| paste(session, ev) inner_html=body_html></div>
        </article>
    }
}

/// The side panel: the post's stage and the fields that are not part of its text. Any input
/// or change counts as a change.
#[component]
pub(super) fn SidePanel(
    session: Session,
    stage: Stage,
    categories: Vec<CategoryChoice>,
    /// Whether the official publishes (an editor) or only submits for review.
    editor_role: bool,
) -> impl IntoView {
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
                session.changed();
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
    view! {
        <aside class="editor__panel" aria-label="Thông tin bài viết"
            on:input=move |_| session.changed() on:change=move |_| session.changed()>
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
                            on:click=move |_| { session.image.set(None); session.changed(); }>
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
    }
}
