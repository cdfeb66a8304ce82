//! The documents form, for editors: a new document, or one changed in place on its page.

use leptos::prelude::*;

use crate::api::documents::save_document;
use crate::components::official::{focus_first_field, reload_to};
use crate::model::{Attachment, DocumentEditor};

/// The form. `on_cancel` is what "Hủy" does once the official agrees to drop what they
/// changed: close the form in place, or leave the page. A form opened in place (`in_place`)
/// takes the keyboard to its first field.
#[component]
pub fn DocumentForm(
    editor: DocumentEditor,
    on_cancel: Callback<()>,
    #[prop(optional)] in_place: bool,
) -> impl IntoView {
    let d = editor.document;
    let id = d.id;
    let base_version = d.base_version;
    let kind = RwSignal::new(d.kind);
    let number = RwSignal::new(d.number);
    let issued_on = RwSignal::new(d.issued_on);
    let effective_on = RwSignal::new(d.effective_on);
    let expires_on = RwSignal::new(d.expires_on);
    let issuer = RwSignal::new(d.issuer);
    let signer = RwSignal::new(d.signer);
    let field = RwSignal::new(d.field);
    let summary = RwSignal::new(d.summary);
    let files = RwSignal::new(d.files);
    let replaced_by = RwSignal::new(d.replaced_by.map(|r| r.to_string()).unwrap_or_default());
    let status = RwSignal::new(None::<Result<String, String>>);
    let saving = RwSignal::new(false);
    // Whether anything was typed or chosen since the form opened, for "Hủy".
    let changed = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    // Opened in place, the keyboard starts in the form's first field.
    if in_place {
        focus_first_field(form);
    }
    let cancel = move |_| {
        let drop_changes = !changed.get_untracked()
            || window()
                .confirm_with_message("Bỏ những gì đã sửa trong văn bản này?")
                .unwrap_or(false);
        if drop_changes {
            on_cancel.run(());
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let edit = crate::model::DocumentEdit {
            id,
            base_version,
            kind: kind.get_untracked(),
            number: number.get_untracked(),
            issued_on: issued_on.get_untracked(),
            effective_on: effective_on.get_untracked(),
            expires_on: expires_on.get_untracked(),
            issuer: issuer.get_untracked(),
            signer: signer.get_untracked(),
            field: field.get_untracked(),
            summary: summary.get_untracked(),
            files: files.get_untracked(),
            replaced_by: replaced_by.get_untracked().parse().ok(),
        };
        saving.set(true);
        status.set(Some(Ok("Đang lưu…".into())));
        leptos::task::spawn_local(async move {
            match save_document(edit).await {
                Ok(id) => reload_to(&format!("/van-ban/{id}")),
                Err(err) => status.set(Some(Err(err.to_string()))),
            }
            saving.set(false);
        });
    };
    let upload = move |ev: leptos::ev::Event| {
        let input: leptos::web_sys::HtmlInputElement = event_target(&ev);
        upload_file(input, files, status);
    };
    let text = |id: &'static str, label: &'static str, value: RwSignal<String>, required: bool| {
        view! {
            <label for=id>{label}</label>
            <input id=id type="text" required=required data-test=id
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        }
    };
    let date = |id: &'static str, label: &'static str, value: RwSignal<String>, required: bool| {
        view! {
            <label for=id>{label}</label>
            <input id=id type="date" required=required data-test=id
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        }
    };
    view! {
        <form class="form document-form" on:submit=submit data-test="document-form" node_ref=form
            on:input=move |_| changed.set(true)>
            <label for="doc-kind">"Loại văn bản"</label>
            <select id="doc-kind" required data-test="doc-kind"
                on:change=move |ev| kind.set(event_target_value(&ev))>
                <option value="" selected=move || kind.get().is_empty()>"(chọn loại văn bản)"</option>
                {editor.kinds.into_iter().map(|k| {
                    let selected = {
                        let k = k.clone();
                        move || kind.get() == k
                    };
                    view! { <option value=k.clone() selected=selected>{k.clone()}</option> }
                }).collect_view()}
            </select>
            {text("doc-number", "Số ký hiệu (ví dụ 19/KH-UBND)", number, true)}
            {date("doc-issued", "Ngày ban hành", issued_on, true)}
            {date("doc-effective", "Ngày có hiệu lực (nếu có)", effective_on, false)}
            {date("doc-expires", "Ngày hết hiệu lực (nếu có)", expires_on, false)}
            {text("doc-issuer", "Cơ quan ban hành", issuer, true)}
            {text("doc-signer", "Người ký", signer, false)}
            {text("doc-field", "Lĩnh vực", field, false)}
            <label for="doc-summary">"Trích yếu"</label>
            <textarea id="doc-summary" rows="3" required data-test="doc-summary"
                prop:value=move || summary.get()
                on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
            <label for="doc-replaced-by">"Được thay thế bởi (văn bản mới hơn, nếu có)"</label>
            <select id="doc-replaced-by" data-test="doc-replaced-by"
                on:change=move |ev| replaced_by.set(event_target_value(&ev))>
                <option value="" selected=move || replaced_by.get().is_empty()>"(chưa bị thay thế)"</option>
                {editor.others.into_iter().map(|o| {
                    let value = o.id.to_string();
                    let selected = {
                        let value = value.clone();
                        move || replaced_by.get() == value
                    };
                    view! { <option value=value selected=selected>{o.label}</option> }
                }).collect_view()}
            </select>
            <fieldset class="document-form__files">
                <legend>"Tệp toàn văn và phụ lục"</legend>
                <ul data-test="doc-files">
                    {move || files.get().into_iter().map(|f| {
                        let fid = f.id;
                        view! {
                            <li>
                                <a href=f.url.clone()>{f.name.clone()}</a> " (" {f.description.clone()} ") "
                                <button type="button" class="link-button"
                                    on:click=move |_| {
                                        changed.set(true);
                                        files.update(|all| all.retain(|x| x.id != fid));
                                    }>
                                    "Bỏ tệp này"
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <label for="doc-file">"Thêm tệp (PDF, DOC, DOCX, XLS, XLSX, ODT)"</label>
                <input id="doc-file" type="file" accept=".pdf,.doc,.docx,.xls,.xlsx,.odt"
                    data-test="doc-file" on:change=upload/>
            </fieldset>
            {move || status.get().map(|s| match s {
                Ok(text) => view! { <p class="form-ok" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="form-error" role="alert" data-test="form-error">{text}</p> }.into_any(),
            })}
            <div class="form__actions">
                <button type="submit" data-test="save-document" disabled=move || saving.get()>"Lưu văn bản"</button>
                <button type="button" class="button-secondary" data-test="cancel-document" on:click=cancel
                    disabled=move || saving.get()>"Hủy"</button>
            </div>
        </form>
    }
}

/// Uploads the file chosen and adds it to the document's files.
fn upload_file(
    input: leptos::web_sys::HtmlInputElement,
    files: RwSignal<Vec<Attachment>>,
    status: RwSignal<Option<Result<String, String>>>,
) {
    crate::components::official::upload_attachment(input, status, move |attachment| {
        status.set(Some(Ok(format!(
            "Đã tải lên “{}”. Bấm “Lưu văn bản” để lưu.",
            attachment.name
        ))));
        files.update(|all| all.push(attachment));
    });
}
