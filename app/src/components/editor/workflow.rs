//! The workflow buttons of a post (submit for review, publish, take down, trash, restore), for
//! the official's role and the post's stage: on the post's page and in the officials' list.

use leptos::prelude::*;

use crate::api::editing::PostAction;
use crate::model::{Official, Role, Stage};

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
