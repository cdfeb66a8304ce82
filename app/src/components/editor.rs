//! The inline editor: the post's own title, lead and body become editable where they stand,
//! styled as citizens see them, with a toolbar, a side panel for what has no place on the
//! page, and everything that keeps an official's words safe: a copy in the browser every
//! couple of seconds, a save that carries its version, a conflict shown side by side, and a
//! sign-in in place when the session has expired.
//!
//! Its parts: `session` (the state of one editing session), `fields` (the editable title,
//! lead and body, and the side panel), `toolbar` (formatting commands and Save), `insert`
//! (pasted HTML cleaned, uploads inserted at the caret), `local_copy` (the copy kept in the
//! browser and offered back), `save` (saving, conflicts, signing in again), `browser`
//! (browser-only calls, doing nothing on the server) and `workflow` (the workflow buttons).

mod browser;
mod fields;
mod insert;
mod local_copy;
mod save;
mod session;
mod toolbar;
mod workflow;

use leptos::prelude::*;

pub use local_copy::has_local_copy;
pub use workflow::WorkflowButtons;

use crate::model::{EditorData, Official, Role, Stage};
use fields::{EditableArticle, SidePanel};
use local_copy::LocalCopyOffer;
use save::{ConflictPanel, SignInAgain};
use session::Session;
use toolbar::Toolbar;

/// The editor of a post, in place of the post's article.
#[component]
pub fn PostEditor(data: EditorData, official: Official) -> impl IntoView {
    let post = data.post;
    let session = Session::new(&post);

    // Offer back what the browser kept from an earlier session, if it differs from the stored
    // post.
    let offered = local_copy::offer_back(
        session,
        (
            post.title.clone(),
            post.lead.clone(),
            post.body_html.clone(),
        ),
    );

    // Enter starts a new paragraph (`<p>`), not the browser's default `<div>`.
    Effect::new(move |_| browser::exec("defaultParagraphSeparator", "p"));

    // The copy in the browser, every couple of seconds while there are changes.
    local_copy::keep_copying(session);

    // Ctrl+S saves; leaving with unsaved changes asks first, whether the page is closed or
    // reloaded (`beforeunload`) or left through a link or the search (the router).
    let root = NodeRef::<leptos::html::Div>::new();
    let stop_asking = browser::ask_before_leaving(root, move || session.dirty());
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
        stop_asking();
    });

    let editor_role = official.can(Role::Editor);
    view! {
        // Every change and every move out of a field is also copied to the browser's storage.
        <div class="editor" data-test="editor" node_ref=root on:focusout=move |_| session.copy_locally()>
            <Toolbar session/>
            <p class="editor__status" role="status" aria-live="polite" data-test="editor-status">
                {move || session.status.get().map(|s| match s {
                    Ok(text) => view! { <span class="form-ok">{text}</span> }.into_any(),
                    Err(text) => view! { <span class="form-error">{text}</span> }.into_any(),
                })}
            </p>
            {(post.stage == Stage::Published).then(|| view! {
                <p class="editor__live" role="note" data-test="editor-live">
                    "Bài đang đăng: lưu là cập nhật ngay cho người đọc."
                </p>
            })}
            <LocalCopyOffer session offered/>
            <ConflictPanel session/>
            <SignInAgain session/>
            <div class="editor__layout">
                <EditableArticle session title=post.title lead=post.lead body_html=post.body_html/>
                <SidePanel session stage=post.stage categories=data.categories editor_role/>
            </div>
        </div>
    }
}
