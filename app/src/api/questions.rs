//! Hỏi đáp and comments on drafts: the pages' data, read on the server (`server::questions`)
//! and rendered by the pages (`pages::questions`). The forms themselves are plain HTML posted
//! to the server's handlers (`server/src/questions.rs`), which work without JavaScript; a
//! refused form is rendered again with a [`Refusal`] in context, which these functions read.
//!
//! [`Refusal`]: crate::server::questions::Refusal

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::model::questions::{self as qa, QaPage};

#[cfg(feature = "ssr")]
fn page<T>(title: impl Into<String>, content: T, status: u16) -> QaPage<T> {
    QaPage {
        title: title.into(),
        status,
        notice: None,
        content,
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
pub async fn question_form() -> Result<QaPage<qa::QuestionForm>, AppError> {
    use crate::server::questions::{citizens, Refusal};
    let state = crate::server::state()?;
    let refusal = use_context::<Refusal>();
    let form = citizens::question_form(
        &state.pool,
        &state.forms,
        &refusal
            .as_ref()
            .map(|r| r.typed.clone())
            .unwrap_or_default(),
        refusal.as_ref().map(|r| r.error.as_str()),
        refusal.as_ref().is_some_and(|r| r.file_dropped),
        state.clock.now(),
    )
    .await?;
    Ok(page("Gửi câu hỏi", form, refusal.map_or(200, |r| r.status)))
}

/// `/hoi-dap/tra-cuu?ma=…`: a question's status and answer, by its code (`moi`: just sent).
/// Wrong codes are counted per address; past the limit every lookup from it answers 429.
#[server(endpoint = "track_question", input = GetUrl)]
pub async fn track_question(
    ma: Option<String>,
    moi: Option<String>,
) -> Result<QaPage<qa::Tracking>, AppError> {
    let state = crate::server::state()?;
    let (status, tracking) = crate::server::questions::citizens::track(
        &state.pool,
        &state.forms,
        &crate::server::accounts::auth::client_ip(),
        ma.as_deref(),
        moi.is_some(),
        state.clock.now(),
    )
    .await?;
    Ok(page("Tra cứu câu hỏi", tracking, status))
}

/// `/hoi-dap`: the published questions and answers (`linh-vuc`, `q`, `trang`).
#[server(endpoint = "questions", input = GetUrl)]
pub async fn public_questions(
    field: Option<String>,
    words: Option<String>,
    page_number: Option<String>,
) -> Result<QaPage<qa::PublicQuestions>, AppError> {
    let state = crate::server::state()?;
    let number = crate::server::paging::parse_page(page_number.as_deref())?;
    let list = crate::server::questions::citizens::public(
        &state.pool,
        field.as_deref(),
        words.as_deref(),
        number,
    )
    .await?;
    Ok(page("Hỏi đáp", list, 200))
}

/// `/quan-tri/hoi-dap`: the officials' queue (`xem`: the tab).
#[server(endpoint = "question_queue", input = GetUrl)]
pub async fn question_queue(
    tab: Option<String>,
    done: Option<String>,
) -> Result<QaPage<qa::Queue>, AppError> {
    use crate::model::Role;
    use crate::server::questions::{queue, today, Refusal};
    let official = crate::server::accounts::auth::require(Role::Writer)?;
    let state = crate::server::state()?;
    let queue = queue::queue(&state.pool, &official, tab.as_deref(), today(&state.clock)).await?;
    let refusal = use_context::<Refusal>();
    Ok(QaPage {
        notice: notice(refusal.as_ref(), done.as_deref()),
        ..page(
            "Hỏi đáp: câu hỏi của người dân",
            queue,
            refusal.map_or(200, |r| r.status),
        )
    })
}

/// The line above an officials' page after one of its forms: the refusal's reason, or what
/// was done (`done`, one of a fixed list: a link cannot put words of its own on the page).
#[cfg(feature = "ssr")]
fn notice(
    refusal: Option<&crate::server::questions::Refusal>,
    done: Option<&str>,
) -> Option<crate::model::questions::Notice> {
    use crate::model::questions::Notice;
    if let Some(refusal) = refusal {
        return Some(Notice::Refused(refusal.error.clone()));
    }
    let message = match done {
        Some("giao") => "Đã giao câu hỏi cho cán bộ xử lý.",
        Some("ten-hien-thi") => "Đã lưu tên người hỏi khi đăng.",
        Some("da-tra-loi") => "Đã ghi nhận câu trả lời; người hỏi xem được khi tra cứu.",
        Some("dang") => "Đã trả lời và đăng câu hỏi lên cổng.",
        Some("khong-dang") => "Đã đánh dấu không đăng; người hỏi đọc được lý do khi tra cứu.",
        Some("ngay-nghi") => "Đã cập nhật ngày nghỉ.",
        _ => return None,
    };
    Some(Notice::Done(message.into()))
}

/// `/quan-tri/hoi-dap/<id>`: one question for officials (`xong`: what was just done): editors,
/// admins and the official it is given to; each opening is audited.
#[server(endpoint = "question_detail", input = GetUrl)]
pub async fn question_detail(
    id: String,
    done: Option<String>,
) -> Result<QaPage<qa::QuestionDetail>, AppError> {
    use crate::model::Role;
    use crate::server::accounts::{auth, Actor};
    use crate::server::questions::{queue, today, Refusal};
    let official = auth::require(Role::Writer)?;
    let state = crate::server::state()?;
    let id = id_of(&id, "câu hỏi")?;
    let actor = Actor::official(&official, auth::client_ip());
    let (title, detail) =
        queue::detail(&state.pool, &actor, &official, id, today(&state.clock)).await?;
    let refusal = use_context::<Refusal>();
    Ok(QaPage {
        notice: notice(refusal.as_ref(), done.as_deref()),
        ..page(title, detail, refusal.map_or(200, |r| r.status))
    })
}

/// `/van-ban/<id>/gop-y`: the comment form of a draft (again with what was typed after a refusal).
#[server(endpoint = "comment_form", input = GetUrl)]
pub async fn comment_form(
    id: String,
    sent: Option<String>,
) -> Result<QaPage<qa::CommentPage>, AppError> {
    use crate::server::questions::{drafts, today, Refusal};
    let state = crate::server::state()?;
    let id = id_of(&id, "văn bản")?;
    let refusal = use_context::<Refusal>();
    let (title, comment_page) = drafts::comment_page(
        &state.pool,
        &state.forms,
        id,
        today(&state.clock),
        &refusal
            .as_ref()
            .map(|r| r.typed.clone())
            .unwrap_or_default(),
        refusal.as_ref().map(|r| r.error.as_str()),
        sent.is_some() && refusal.is_none(),
        state.clock.now(),
    )
    .await?;
    Ok(page(title, comment_page, refusal.map_or(200, |r| r.status)))
}

/// `/quan-tri/gop-y/<id>`: the comments on a draft, for officials; who sent them, for editors
/// and admins only.
#[server(endpoint = "draft_comments", input = GetUrl)]
pub async fn draft_comments(id: String) -> Result<QaPage<qa::DraftComments>, AppError> {
    use crate::model::Role;
    let official = crate::server::accounts::auth::require(Role::Writer)?;
    let state = crate::server::state()?;
    let id = id_of(&id, "văn bản")?;
    let (title, comments) =
        crate::server::questions::drafts::comments(&state.pool, &official, id).await?;
    Ok(page(title, comments, 200))
}

/// What a published answer's page shows between the question and the answer (who asked, as the
/// official chose, the field and the day asked); None for a post that answers no question.
#[cfg(feature = "ssr")]
pub async fn post_aside(
    pool: &sqlx::SqlitePool,
    post_id: i64,
) -> Result<Option<crate::model::questions::QuestionAside>, AppError> {
    let found = crate::server::questions::publishing::post_question(pool, post_id).await?;
    Ok(found.map(
        |(asker, field, asked)| crate::model::questions::QuestionAside {
            asker,
            field,
            asked,
        },
    ))
}

/// What a document's page says of comments (None: nothing, for a document that never asked
/// for them).
#[cfg(feature = "ssr")]
pub async fn document_comments(
    state: &crate::server::AppState,
    id: i64,
    official: Option<&crate::model::Official>,
) -> Result<Option<crate::model::questions::DocumentComments>, AppError> {
    let data = crate::server::questions::drafts::document_comments(
        &state.pool,
        id,
        crate::server::questions::today(&state.clock),
        official,
    )
    .await?;
    // A document that asks for no comments, seen by no editor, shows nothing of them.
    Ok((data.until.is_some() || data.editor_until.is_some()).then_some(data))
}
