//! The copy of the text in progress kept in the browser's storage every couple of seconds, and
//! offered back when the editor opens again on a post whose copy differs from what is stored.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::browser;
use super::session::Session;
use crate::model::{Attachment, PostEdit};

/// How often the text in progress is copied to the browser's storage, in milliseconds.
const LOCAL_COPY_MS: u64 = 2000;

/// What is kept in the browser's storage while an official edits.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct LocalCopy {
    edit: PostEdit,
    /// The featured image chosen, to show it again.
    image: Option<Attachment>,
    /// Milliseconds since 1970, when it was written.
    written: f64,
}

pub(super) fn local_key(id: Option<i64>) -> String {
    match id {
        Some(id) => format!("portal:ban-nhap:{id}"),
        None => "portal:ban-nhap:moi".into(),
    }
}

/// Whether the browser holds unsaved text of post `id` (checked before opening the editor).
pub fn has_local_copy(id: Option<i64>) -> bool {
    browser::local_get(&local_key(id)).is_some()
}

impl Session {
    /// Copies the text in progress to the browser's storage if it changed since the last copy.
    pub(super) fn copy_locally(&self) {
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

    /// Forgets the copy of this post kept in the browser.
    pub(super) fn drop_local_copy(&self) {
        browser::local_remove(&local_key(self.id.get_untracked()));
    }
}

/// What the browser kept from an earlier session, to offer back if it differs from the stored
/// post (`stored`: its title, lead and body); a copy equal to it is dropped.
pub(super) fn offer_back(
    session: Session,
    stored: (String, String, String),
) -> RwSignal<Option<LocalCopy>> {
    let offered = RwSignal::new(None);
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
                offered.set(Some(copy));
            }
            _ => session.drop_local_copy(),
        }
    });
    offered
}

/// Copies the text in progress every couple of seconds while there are changes.
pub(super) fn keep_copying(session: Session) {
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || session.copy_locally(),
            std::time::Duration::from_millis(LOCAL_COPY_MS),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
}

/// What the browser kept from an earlier session, offered back.
#[component]
pub(super) fn LocalCopyOffer(
    session: Session,
    /// The copy on offer, until it is taken or dropped.
    offered: RwSignal<Option<LocalCopy>>,
) -> impl IntoView {
    move || {
        offered.get().map(|copy| {
            let take = {
                let copy = copy.clone();
                move |_| {
                    session.apply(&copy.edit, copy.image.clone());
                    session.version.set(copy.edit.base_version);
                    session.changed();
                    offered.set(None);
                    session.status.set(Some(Ok(
                        "Đã khôi phục bản chưa lưu. Hãy bấm Lưu để lưu lại.".into(),
                    )));
                }
            };
            let drop_copy = move |_| {
                session.drop_local_copy();
                offered.set(None);
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
