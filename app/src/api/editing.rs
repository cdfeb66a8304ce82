//! Officials' editing: open a post in the editor, save it, clean pasted HTML, move it through
//! the workflow, its history and the restore of a revision, the list by stage. Each checks
//! the caller; `crate::server::content` (its `editing`, `workflow` and `revisions`) checks what
//! each role may do to each post.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

use crate::error::AppError;
use crate::model::{EditorData, OfficialPostList, PostEdit, PostHistory, SaveOutcome, Stage};

#[cfg(feature = "ssr")]
fn context() -> Result<
    (
        crate::server::AppState,
        crate::model::Official,
        crate::server::accounts::Actor,
    ),
    AppError,
> {
    use crate::model::Role;
    use crate::server::{accounts::auth, accounts::Actor};
    let official = auth::require(Role::Writer)?;
    let state = crate::server::state()?;
    let actor = Actor::official(&official, auth::client_ip());
    Ok((state, official, actor))
}

/// The post `id` as stored, for the editor (a blank new post for none), with the categories.
#[server(endpoint = "edit_post", input = GetUrl)]
pub async fn edit_post(id: Option<i64>) -> Result<EditorData, AppError> {
    let (state, official, _) = context()?;
    crate::server::content::editing::editor_data(&state.pool, &state.clock, &official, id).await
}

/// Saves the editor's content; refused (as a conflict, nothing stored) over a newer version.
#[server(endpoint = "save_post", input = Json)]
pub async fn save_post(edit: PostEdit) -> Result<SaveOutcome, AppError> {
    let (state, official, actor) = context()?;
    crate::server::content::editing::save(&state.pool, &state.schedule, &official, &actor, &edit)
        .await
}

/// HTML pasted into the editor (from Word, a web page), through the same allow-list as a save.
#[server(endpoint = "clean_pasted", input = Json)]
pub async fn clean_pasted(html: String) -> Result<String, AppError> {
    context()?;
    if html.len() > 5_000_000 {
        return Err(AppError::BadRequest(
            "Nội dung dán vào quá lớn (quá 5 MB).".into(),
        ));
    }
    Ok(crate::server::html::SafeHtml::clean(&html).into_string())
}

/// A workflow step: `submit`, `publish`, `unpublish`, `trash` or `restore`. Returns the stage
/// the post is at afterwards.
#[server(endpoint = "post_action")]
pub async fn post_action(id: i64, action: String) -> Result<Stage, AppError> {
    use crate::server::content::workflow::{act, Action};
    let (state, official, actor) = context()?;
    let action = Action::parse(&action)?;
    if matches!(action, Action::Publish) {
        crate::server::questions::check_publishable(&state.pool, id).await?;
    }
    let stage = act(&state.pool, &state.schedule, &official, &actor, id, action).await?;
    if stage == Stage::Published {
        // An answer to a citizen's question published from its post is answered too.
        let site = use_context::<http::request::Parts>()
            .map(|parts| {
                crate::server::site::public_base(state.public_url.as_deref(), &parts.headers)
            })
            .unwrap_or_default();
        crate::server::questions::answered_by_post(
            &state.pool,
            &state.clock,
            &actor,
            &official,
            id,
            state.mail_enabled,
            &site,
        )
        .await?;
    }
    Ok(stage)
}

/// A post's versions and the diff between two of them.
#[server(endpoint = "load_history", input = GetUrl)]
pub async fn load_history(
    id: i64,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<PostHistory, AppError> {
    let (state, official, _) = context()?;
    crate::server::content::revisions::history(&state.pool, &official, id, from, to).await
}

/// Saves an old version's content as the newest version.
#[server(endpoint = "restore_revision")]
pub async fn restore_revision(
    id: i64,
    version: i64,
    base_version: i64,
) -> Result<SaveOutcome, AppError> {
    let (state, official, actor) = context()?;
    crate::server::content::revisions::restore(
        &state.pool,
        &state.schedule,
        &official,
        &actor,
        id,
        version,
        base_version,
    )
    .await
}

/// The posts at one stage (`draft` when absent), for officials.
#[server(endpoint = "official_posts", input = GetUrl)]
pub async fn official_posts(stage: Option<String>) -> Result<OfficialPostList, AppError> {
    let (state, official, _) = context()?;
    let stage = match stage.as_deref() {
        None | Some("") => Stage::Draft,
        Some(raw) => Stage::parse(raw)
            .ok_or_else(|| AppError::BadRequest("Trạng thái bài viết không hợp lệ.".into()))?,
    };
    crate::server::content::list::list(&state.pool, &official, stage).await
}
