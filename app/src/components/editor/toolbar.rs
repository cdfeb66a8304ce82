//! The toolbar: formatting commands on the selection, links, a table, images and files
//! uploaded and inserted at the caret, undo and redo, and Save.

use leptos::prelude::*;

use super::browser;
use super::insert::upload_and_insert;
use super::session::Session;

/// The formatting buttons and Save. Buttons keep the focus in the text (mousedown is
/// cancelled), so the selection they act on stays.
#[component]
pub(super) fn Toolbar(session: Session) -> impl IntoView {
    let keep_selection = |ev: leptos::ev::MouseEvent| ev.prevent_default();
    let command = move |name: &'static str, value: &'static str| {
        move |_| {
            browser::exec(name, value);
            session.changed();
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
            session.changed();
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
    // Closes the editor; with unsaved changes, only when the official says so (their text stays
    // in the browser's storage and is offered back next time).
    let done = move |_| {
        if session.dirty() {
            session.copy_locally();
            if !browser::confirm(
                "Bài viết có thay đổi chưa lưu. Đóng trình soạn thảo?\n\
                 (Bản chưa lưu vẫn được giữ trên máy này.)",
            ) {
                return;
            }
            // Asked already: leaving the page must not ask again.
            session.saved_edits.set(session.edits.get_untracked());
        }
        browser::close_editor();
    };
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
            <button type="button" class="editor__done" data-test="done" on:click=done>"Xong"</button>
        </div>
    }
}
