//! The handlers of Hỏi đáp's forms, posted by the browser itself (no JavaScript needed): a
//! citizen's question (multipart, with an optional image or PDF), a comment on a draft, and the
//! officials' steps on a question and on the holidays. A form refused is answered with its page
//! rendered again with the reason and what was typed (`app::server::questions::Refusal`), at
//! the same address, with the error's status; a form accepted is answered with a redirect.

use app::error::AppError;
use app::model::{Official, Role};
use app::server::accounts::auth::{self, ClientIp};
use app::server::accounts::Actor;
use app::server::questions::{
    self, calendar, citizens, drafts, intake, publishing, queue, Refusal,
};
use app::server::AppState;
use axum::{
    body::Body,
    extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State},
    response::{IntoResponse, Redirect, Response},
    routing::post,
    Form, Router,
};
use http::{header, Extensions, HeaderMap, Method, StatusCode};
use leptos::prelude::provide_context;

use crate::media::receive_file;

pub fn routes() -> Router<AppState> {
    let limit = intake::MAX_FILE_BYTES as usize + 64 * 1024;
    Router::new()
        .route(
            "/hoi-dap/gui-cau-hoi",
            post(ask).layer(DefaultBodyLimit::max(limit)),
        )
        .route(
            "/van-ban/{id}/gop-y",
            post(comment).layer(DefaultBodyLimit::max(64 * 1024)),
        )
        .route(
            "/quan-tri/hoi-dap/{id}",
            post(act).layer(DefaultBodyLimit::max(64 * 1024)),
        )
        .route(
            "/quan-tri/hoi-dap",
            post(holidays).layer(DefaultBodyLimit::max(16 * 1024)),
        )
}

/// The page at `path` rendered as a GET of it with the same headers and identity, with
/// `refusal` in context; its status is the one the page sets (the refusal's).
async fn render(
    state: &AppState,
    headers: HeaderMap,
    extensions: Extensions,
    path: &str,
    refusal: Refusal,
) -> Response {
    let status = refusal.status;
    let options = state.leptos_options.clone();
    let context_state = state.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(context_state.clone());
            provide_context(refusal.clone());
        },
        move || app::shell(options.clone()),
    );
    let mut req = Request::new(Body::empty());
    *req.method_mut() = Method::GET;
    *req.uri_mut() = match path.parse() {
        Ok(uri) => uri,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    *req.headers_mut() = headers;
    *req.extensions_mut() = extensions;
    // The form's body is gone; what describes it would mislead the render.
    req.headers_mut().remove(header::CONTENT_TYPE);
    req.headers_mut().remove(header::CONTENT_LENGTH);
    let mut response = handler(req).await.into_response();
    // The page's own error (401 for a signed-out official, 404) stands; otherwise the refusal's.
    if response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    }
    response
}

/// The names of the fields of Hỏi đáp's forms, citizens' and officials'.
const FIELDS: [&str; 17] = [
    intake::names::NAME,
    intake::names::CONTACT,
    intake::names::HAMLET,
    intake::names::FIELD,
    intake::names::TITLE,
    intake::names::BODY,
    intake::names::FILE,
    intake::names::TICKET,
    intake::names::ANSWER,
    intake::names::TRAP,
    "thao-tac",
    "can-bo",
    "ten",
    "ly-do",
    "ngay",
    "han",
    "xong",
];
/// The most parts a question's form may have (it has ten).
const MAX_PARTS: usize = 40;

/// A form accepted: a redirect to `result`'s address. Refused: the page at `path` again, with
/// the reason and what was typed.
async fn answer(
    state: &AppState,
    headers: HeaderMap,
    extensions: Extensions,
    path: &str,
    typed: &intake::Typed,
    result: Result<String, AppError>,
) -> Response {
    match result {
        Ok(to) => see_other(&to),
        Err(err) => {
            render(
                state,
                headers,
                extensions,
                path,
                refusal(typed, &err, false),
            )
            .await
        }
    }
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn client_ip(extensions: &Extensions) -> String {
    extensions
        .get::<ClientIp>()
        .map(|ip| ip.0.clone())
        .unwrap_or_default()
}

/// What to show again: everything but the ticket, the sum's answer and the trap.
fn kept(typed: &intake::Typed) -> intake::Typed {
    intake::Typed(
        typed
            .0
            .iter()
            .filter(|(name, _)| {
                ![
                    intake::names::TICKET,
                    intake::names::ANSWER,
                    intake::names::TRAP,
                ]
                .contains(&name.as_str())
            })
            .cloned()
            .collect(),
    )
}

fn refusal(typed: &intake::Typed, error: &AppError, file_dropped: bool) -> Refusal {
    Refusal {
        typed: kept(typed),
        error: error.to_string(),
        file_dropped,
        status: error.status(),
    }
}

/// `POST /hoi-dap/gui-cau-hoi`: a citizen's question.
async fn ask(State(state): State<AppState>, req: Request) -> Response {
    let headers = req.headers().clone();
    let extensions = req.extensions().clone();
    let now = state.clock.now();
    let mut typed = intake::Typed::default();
    let mut file: Option<(crate::media::Received, String)> = None;
    let mut file_error: Option<AppError> = None;
    let too_large = || {
        AppError::TooLarge(format!(
            "Tệp kèm theo quá lớn: tối đa {} MB. Vui lòng chọn tệp nhỏ hơn.",
            intake::MAX_FILE_BYTES / (1024 * 1024)
        ))
    };
    // The whole body is read first (it is at most 5 MB and 64 KB): the connection is then left
    // clean for the browser's next request, whatever the form held.
    let (head, body) = req.into_parts();
    let limit = intake::MAX_FILE_BYTES as usize + 64 * 1024;
    let req = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => Request::from_parts(head, Body::from(bytes)),
        Err(_) => {
            let error = too_large();
            return render(
                &state,
                headers,
                extensions,
                "/hoi-dap/gui-cau-hoi",
                refusal(&typed, &error, true),
            )
            .await;
        }
    };
    // The form has ten fields; a body of thousands is refused before it costs anything.
    let mut parts = 0;
    match Multipart::from_request(req, &state).await {
        Ok(mut multipart) => loop {
            match multipart.next_field().await {
                Ok(Some(field)) => {
                    parts += 1;
                    if parts > MAX_PARTS {
                        file_error = Some(AppError::BadRequest(
                            "Biểu mẫu gửi lên không đúng dạng. Vui lòng mở lại trang gửi câu hỏi."
                                .into(),
                        ));
                        break;
                    }
                    let name = field.name().unwrap_or_default().to_string();
                    if !FIELDS.contains(&name.as_str()) {
                        continue;
                    }
                    if name == intake::names::FILE {
                        let file_name = field.file_name().unwrap_or_default().to_string();
                        if file_name.is_empty() || file.is_some() {
                            // The next field skips what is left of this one.
                            drop(field);
                            continue;
                        }
                        match receive_file(
                            &crate::attachments::files_dir(&state),
                            field,
                            intake::MAX_FILE_BYTES,
                            too_large,
                        )
                        .await
                        {
                            Ok(received) if received.size == 0 => received.discard().await,
                            Ok(received) => file = Some((received, file_name)),
                            Err(err) => {
                                file_error = Some(err);
                                break;
                            }
                        }
                    } else if let Ok(value) = field.text().await {
                        typed.set(&name, value);
                    }
                }
                Ok(None) => break,
                Err(err) => {
                    file_error = Some(if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        too_large()
                    } else {
                        AppError::BadRequest(
                            "Không đọc được dữ liệu gửi lên. Vui lòng thử lại.".into(),
                        )
                    });
                    break;
                }
            }
        },
        Err(_) => {
            file_error = Some(AppError::BadRequest(
                "Biểu mẫu gửi lên không đúng dạng. Vui lòng mở lại trang gửi câu hỏi.".into(),
            ))
        }
    }
    let had_file = file.is_some() || file_error.is_some();
    let ip = client_ip(&extensions);
    let result = async {
        if let Some(err) = file_error.take() {
            return Err(err);
        }
        state.forms.check(&typed, now)?;
        // Checked here before a file is stored; held by the statement that stores the question.
        let quota = state.forms.quota(&ip, now);
        quota.check(&state.pool).await?;
        let question = citizens::parse_question(&state.pool, &typed).await?;
        let attachment = match file.take() {
            Some((received, name)) => {
                let actor = Actor {
                    user_id: None,
                    username: "(người dân gửi câu hỏi)".into(),
                    ip: ip.clone(),
                };
                let stored = crate::attachments::store(&state, &actor, received, &name, |kind| {
                    if kind.image || kind.ext == "pdf" {
                        Ok(())
                    } else {
                        Err(AppError::BadRequest(format!(
                            "Tệp kèm theo chỉ nhận ảnh (JPG, PNG, GIF, WebP) hoặc PDF; tệp bạn chọn là {}.",
                            kind.label
                        )))
                    }
                })
                .await?;
                Some(stored.id)
            }
            None => None,
        };
        citizens::record(&state.pool, &question, attachment, &quota, now).await
    }
    .await;
    if let Some((received, _)) = file {
        received.discard().await;
    }
    match result {
        Ok(code) => see_other(&format!("/hoi-dap/tra-cuu?ma={code}&moi=1")),
        Err(err) => {
            render(
                &state,
                headers,
                extensions,
                "/hoi-dap/gui-cau-hoi",
                refusal(&typed, &err, had_file),
            )
            .await
        }
    }
}

/// What a form sent, by name: only the names the portal's forms have (so a body of many
/// invented names costs nothing).
fn typed_of(fields: Vec<(String, String)>) -> intake::Typed {
    let mut typed = intake::Typed::default();
    for (name, value) in fields {
        if FIELDS.contains(&name.as_str()) {
            typed.set(&name, value);
        }
    }
    typed
}

fn official_of(extensions: &Extensions, role: Role) -> Result<Official, AppError> {
    auth::allowed(extensions.get::<Official>().cloned(), role)
}

fn actor_of(official: &Official, extensions: &Extensions) -> Actor {
    Actor::official(official, client_ip(extensions))
}

/// `POST /van-ban/<id>/gop-y`: a citizen's comment on a draft, or (`thao-tac=han`) an editor
/// setting the draft's deadline.
async fn comment(State(state): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let headers = req.headers().clone();
    let extensions = req.extensions().clone();
    let path = format!("/van-ban/{}/gop-y", app::format::path_segment(&id));
    let now = state.clock.now();
    let typed = match Form::<Vec<(String, String)>>::from_request(req, &state).await {
        Ok(Form(fields)) => typed_of(fields),
        Err(_) => intake::Typed::default(),
    };
    let Ok(id) = id.parse::<i64>() else {
        return render(
            &state,
            headers,
            extensions,
            &path,
            refusal(
                &typed,
                &AppError::NotFound("Không tìm thấy văn bản này.".into()),
                false,
            ),
        )
        .await;
    };
    if typed.get("thao-tac") == "han" {
        let result = async {
            let official = official_of(&extensions, Role::Editor)?;
            let actor = actor_of(&official, &extensions);
            drafts::set_deadline(&state.pool, &actor, &official, id, typed.get("han")).await
        }
        .await;
        let result = result.map(|()| format!("/van-ban/{id}"));
        return answer(&state, headers, extensions, &path, &typed, result).await;
    }
    let ip = client_ip(&extensions);
    let result = async {
        state.forms.check(&typed, now)?;
        let quota = state.forms.quota(&ip, now);
        drafts::submit(
            &state.pool,
            id,
            &typed,
            &quota,
            questions::today(&state.clock),
            now,
        )
        .await
    }
    .await;
    let result = result.map(|()| format!("/van-ban/{id}/gop-y?da-gui=1"));
    answer(&state, headers, extensions, &path, &typed, result).await
}

/// `POST /quan-tri/hoi-dap/<id>`: an official's step on a question (`thao-tac`).
async fn act(State(state): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let headers = req.headers().clone();
    let extensions = req.extensions().clone();
    let path = format!("/quan-tri/hoi-dap/{}", app::format::path_segment(&id));
    let typed = match Form::<Vec<(String, String)>>::from_request(req, &state).await {
        Ok(Form(fields)) => typed_of(fields),
        Err(_) => intake::Typed::default(),
    };
    let site = app::server::site::public_base(state.public_url.as_deref(), &headers);
    let result = async {
        let official = official_of(&extensions, Role::Writer)?;
        let actor = actor_of(&official, &extensions);
        let id: i64 = id
            .parse()
            .map_err(|_| AppError::NotFound("Không tìm thấy câu hỏi này.".into()))?;
        let (pool, clock) = (&state.pool, &state.clock);
        let step = typed.get("thao-tac");
        match step {
            "giao" => {
                queue::assign(pool, clock, &actor, &official, id, typed.get("can-bo")).await?
            }
            "ten-hien-thi" => {
                queue::set_public_name(pool, clock, &actor, &official, id, typed.get("ten")).await?
            }
            "soan" => {
                let slug = publishing::answer_post(&state, &actor, &official, id).await?;
                return Ok(format!(
                    "/bai-viet/{}?sua=1",
                    app::format::path_segment(&slug)
                ));
            }
            "da-tra-loi" => {
                publishing::mark_answered(
                    pool,
                    clock,
                    &actor,
                    &official,
                    id,
                    state.mail_enabled,
                    &site,
                )
                .await?
            }
            "dang" => {
                publishing::publish(
                    pool,
                    &state.schedule,
                    &actor,
                    &official,
                    id,
                    state.mail_enabled,
                    &site,
                )
                .await?
            }
            "khong-dang" => {
                queue::decline(pool, clock, &actor, &official, id, typed.get("ly-do")).await?
            }
            _ => {
                return Err(AppError::BadRequest(
                    "Thao tác không hợp lệ. Vui lòng tải lại trang.".into(),
                ))
            }
        }
        Ok(format!("/quan-tri/hoi-dap/{id}?xong={step}"))
    }
    .await;
    answer(&state, headers, extensions, &path, &typed, result).await
}

/// `POST /quan-tri/hoi-dap`: an admin adds (`them-ngay-nghi`) or removes (`xoa-ngay-nghi`) a holiday.
async fn holidays(State(state): State<AppState>, req: Request) -> Response {
    let headers = req.headers().clone();
    let extensions = req.extensions().clone();
    let typed = match Form::<Vec<(String, String)>>::from_request(req, &state).await {
        Ok(Form(fields)) => typed_of(fields),
        Err(_) => intake::Typed::default(),
    };
    let result = async {
        let official = official_of(&extensions, Role::Admin)?;
        let actor = actor_of(&official, &extensions);
        match typed.get("thao-tac") {
            "them-ngay-nghi" => {
                let (day, name) = calendar::parse_holiday(typed.get("ngay"), typed.get("ten"))?;
                calendar::add_holiday(&state.pool, &actor, day, &name).await
            }
            "xoa-ngay-nghi" => {
                let (day, _) = calendar::parse_holiday(typed.get("ngay"), "-")?;
                calendar::remove_holiday(&state.pool, &actor, day).await
            }
            _ => Err(AppError::BadRequest(
                "Thao tác không hợp lệ. Vui lòng tải lại trang.".into(),
            )),
        }?;
        questions::recount_deadlines(&state.pool).await
    }
    .await;
    let result = result.map(|()| "/quan-tri/hoi-dap?xong=ngay-nghi".to_string());
    answer(
        &state,
        headers,
        extensions,
        "/quan-tri/hoi-dap",
        &typed,
        result,
    )
    .await
}
