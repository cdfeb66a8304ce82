//! Saving: a save carries the version it was based on; a save over a newer version is refused
//! and both versions are shown side by side; an expired session is signed in again in place
//! and the save retried.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::browser;
use super::local_copy::local_key;
use super::session::Session;
use crate::api::auth::sign_in;
use crate::api::editing::save_post;
use crate::error::AppError;
use crate::format::datetime_vn;
use crate::model::{PostEdit, SaveOutcome};

impl Session {
    /// Sends the post as it is now, unless a save is under way. The status line says how it
    /// went; a post saved for the first time or with a new address opens at that address.
    pub(super) fn save(self) {
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

/// A save refused because someone saved first: their version beside the official's own,
/// which stays in the editor.
#[component]
pub(super) fn ConflictPanel(session: Session) -> impl IntoView {
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
                    session.drop_local_copy();
                    session.conflict.set(None);
                    session.status.set(Some(Ok("Đang hiển thị bản đã lưu trên máy chủ.".into())));
                }
            };
            view! {
                <section class="editor__conflict" role="alert" data-test="conflict">
                    <h2>"Bài viết đã có phiên bản mới hơn"</h2>
                    <p>
                        {theirs.saved_by.clone()} " đã lưu phiên bản " {theirs.version}
                        " lúc " {theirs.saved_at.as_ref().map(datetime_vn).unwrap_or_default()}
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
pub(super) fn SignInAgain(session: Session) -> impl IntoView {
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
