//! Hỏi đáp and comments on drafts: the pages' content, made on the server (`server::questions`).
//! The forms themselves are plain HTML posted to the server's handlers (`server/src/questions.rs`),
//! which work without JavaScript; a refused form is rendered again with a [`Refusal`] in context,
//! which these functions read.
//!
//! [`Refusal`]: crate::server::questions::Refusal

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::MadePage;

#[cfg(feature = "ssr")]
fn page(title: impl Into<String>, html: String, status: u16) -> MadePage {
    MadePage {
        title: title.into(),
        html,
        status,
    }
}

/// The id in a path, or the page's 404.
#[cfg(feature = "ssr")]
fn id_of(raw: &str, what: &str) -> Result<i64, AppError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| AppError::NotFound(format!("Không tìm thấy {what} này.")))
}

/// `/hoi-dap/gui-cau-hoi`: the question form (again with what was typed, after a refusal).
#[server(endpoint = "question_form", input = GetUrl)]
pub async fn question_form() -> Result<MadePage, AppError> {
    use crate::server::questions::{self, Refusal};
    let state = crate::server::state()?;
    let refusal = use_context::<Refusal>();
    let html = questions::form_html(
        &state.pool,
        &state.forms,
        &refusal
            .as_ref()
            .map(|r| r.typed.clone())
            .unwrap_or_default(),
        refusal.as_ref().map(|r| r.error.as_str()),
        refusal.as_ref().is_some_and(|r| r.file_dropped),
        crate::server::time::unix_now(),
    )
    .await?;
    Ok(page("Gửi câu hỏi", html, refusal.map_or(200, |r| r.status)))
}

/// `/hoi-dap/tra-cuu?ma=…`: a question's status and answer, by its code (`moi`: just sent).
/// Wrong codes are counted per address; past the limit every lookup from it answers 429.
#[server(endpoint = "track_question", input = GetUrl)]
pub async fn track_question(ma: Option<String>, moi: Option<String>) -> Result<MadePage, AppError> {
    let state = crate::server::state()?;
    let (status, html) = crate::server::questions::track_html(
        &state.pool,
        &state.forms,
        &crate::server::accounts::auth::client_ip(),
        ma.as_deref(),
        moi.is_some(),
        crate::server::time::unix_now(),
    )
    .await?;
    Ok(page("Tra cứu câu hỏi", html, status))
}

/// `/hoi-dap`: the published questions and answers (`linh-vuc`, `q`, `trang`).
#[server(endpoint = "questions", input = GetUrl)]
pub async fn public_questions(
    field: Option<String>,
    words: Option<String>,
    page_number: Option<String>,
) -> Result<MadePage, AppError> {
    let state = crate::server::state()?;
    let number = crate::server::paging::parse_page(page_number.as_deref())?;
    let html = crate::server::questions::public_html(
        &state.pool,
        field.as_deref(),
        words.as_deref(),
        number,
    )
    .await?;
    Ok(page("Hỏi đáp", html, 200))
}

/// `/quan-tri/hoi-dap`: the officials' queue (`xem`: the tab).
#[server(endpoint = "question_queue", input = GetUrl)]
pub async fn question_queue(
    tab: Option<String>,
    done: Option<String>,
) -> Result<MadePage, AppError> {
    use crate::model::Role;
    let official = crate::server::accounts::auth::require(Role::Writer)?;
    let state = crate::server::state()?;
    let html = crate::server::questions::queue_html(
        &state.pool,
        &official,
        tab.as_deref(),
        crate::server::questions::today(),
    )
    .await?;
    let refusal = use_context::<crate::server::questions::Refusal>();
    let html = notice(refusal.as_ref(), done.as_deref()) + &html;
    Ok(page(
        "Hỏi đáp: câu hỏi của người dân",
        html,
        refusal.map_or(200, |r| r.status),
    ))
}

/// The line above an officials' page after one of its forms: the refusal's reason, or what
/// was done (`done`, one of a fixed list: a link cannot put words of its own on the page).
#[cfg(feature = "ssr")]
fn notice(refusal: Option<&crate::server::questions::Refusal>, done: Option<&str>) -> String {
    use crate::markup::escape;
    if let Some(refusal) = refusal {
        return format!(
            "<p class=\"form-error\" role=\"alert\" data-test=\"form-error\">{}</p>",
            escape(&refusal.error)
        );
    }
    let message = match done {
        Some("giao") => "Đã giao câu hỏi cho cán bộ xử lý.",
        Some("ten-hien-thi") => "Đã lưu tên người hỏi khi đăng.",
        Some("da-tra-loi") => "Đã ghi nhận câu trả lời; người hỏi xem được khi tra cứu.",
        Some("dang") => "Đã trả lời và đăng câu hỏi lên cổng.",
        Some("khong-dang") => "Đã đánh dấu không đăng; người hỏi đọc được lý do khi tra cứu.",
        Some("ngay-nghi") => "Đã cập nhật ngày nghỉ.",
        _ => return String::new(),
    };
    format!("<p class=\"form-ok\" role=\"status\" data-test=\"form-ok\">{message}</p>")
}

/// `/quan-tri/hoi-dap/<id>`: one question for officials (`xong`: what was just done): editors,
/// admins and the official it is given to; each opening is audited.
#[server(endpoint = "question_detail", input = GetUrl)]
pub async fn question_detail(id: String, done: Option<String>) -> Result<MadePage, AppError> {
    use crate::model::Role;
    use crate::server::accounts::{auth, Actor};
    let official = auth::require(Role::Writer)?;
    let state = crate::server::state()?;
    let id = id_of(&id, "câu hỏi")?;
    let actor = Actor::official(&official, auth::client_ip());
    let (title, html) = crate::server::questions::detail_html(
        &state.pool,
        &actor,
        &official,
        id,
        crate::server::questions::today(),
    )
    .await?;
    let refusal = use_context::<crate::server::questions::Refusal>();
    let html = notice(refusal.as_ref(), done.as_deref()) + &html;
    Ok(page(title, html, refusal.map_or(200, |r| r.status)))
}

/// `/van-ban/<id>/gop-y`: the comment form of a draft (again with what was typed after a refusal).
#[server(endpoint = "comment_form", input = GetUrl)]
pub async fn comment_form(id: String, sent: Option<String>) -> Result<MadePage, AppError> {
    use crate::server::questions::{drafts, Refusal};
    let state = crate::server::state()?;
    let id = id_of(&id, "văn bản")?;
    let refusal = use_context::<Refusal>();
    let (title, html) = drafts::form_html(
        &state.pool,
        &state.forms,
        id,
        crate::server::questions::today(),
        &refusal
            .as_ref()
            .map(|r| r.typed.clone())
            .unwrap_or_default(),
        refusal.as_ref().map(|r| r.error.as_str()),
        sent.is_some() && refusal.is_none(),
        crate::server::time::unix_now(),
    )
    .await?;
    Ok(page(title, html, refusal.map_or(200, |r| r.status)))
}

/// `/quan-tri/gop-y/<id>`: the comments on a draft, for officials; who sent them, for editors
/// and admins only.
#[server(endpoint = "draft_comments", input = GetUrl)]
pub async fn draft_comments(id: String) -> Result<MadePage, AppError> {
    use crate::model::Role;
    let official = crate::server::accounts::auth::require(Role::Writer)?;
    let state = crate::server::state()?;
    let id = id_of(&id, "văn bản")?;
    let (title, html) =
        crate::server::questions::drafts::comments_html(&state.pool, &official, id).await?;
    Ok(page(title, html, 200))
}
