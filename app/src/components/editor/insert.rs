//! What comes into the body from outside the editor: pasted HTML, cleaned by the server's
//! allow-list first, and uploaded images and files, inserted at the caret.

#[cfg(feature = "hydrate")]
use leptos::{prelude::*, task::spawn_local};

#[cfg(feature = "hydrate")]
use super::browser;
use super::session::Session;
use crate::api::editing::clean_pasted;
#[cfg(feature = "hydrate")]
use crate::markup::escape;
use crate::model::Attachment;

/// A paste into the body: HTML (from Word, a web page) goes through the server's allow-list
/// before it is inserted; plain text is left to the browser.
pub(super) fn paste(session: Session, ev: leptos::ev::ClipboardEvent) {
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
            session.changed();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (session, ev, clean_pasted);
}

/// Uploads the file picked in `input` (see [`upload_attachment`]), reporting in the editor's
/// status line.
///
/// [`upload_attachment`]: crate::components::official::upload_attachment
pub(super) fn upload(
    input: leptos::web_sys::HtmlInputElement,
    session: Session,
    then: impl FnOnce(Attachment) + 'static,
) {
    crate::components::official::upload_attachment(input, session.status, then);
}

/// What the official picked, uploaded, then inserted at the caret: an image (with its
/// resized copies and the description the official gives) or a link to the file (with the
/// text the official gives, followed by its type and size).
pub(super) fn upload_and_insert(input: leptos::web_sys::HtmlInputElement, session: Session) {
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
                        escape(&img.src),
                        escape(&img.srcset),
                        img.width,
                        img.height,
                        escape(alt.trim())
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
                        escape(&attachment.url),
                        escape(text.trim()),
                        attachment.description
                    )
                }
            };
            if let Some(body) = session.regions.body.get_untracked() {
                let _ = body.focus();
            }
            browser::exec("insertHTML", &html);
            session.changed();
            session.status.set(Some(Ok(format!(
                "Đã đính kèm “{}” ({}). Bấm Lưu để lưu bài.",
                attachment.name, attachment.description
            ))));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = attachment;
    });
}
