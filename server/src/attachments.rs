//! Attachments: the upload (checked by content, stored once by content hash under
//! `<data dir>/media/files`, images given resized copies) and serving them with their type,
//! their name for saving, and range requests.

use std::path::{Path, PathBuf};

use app::error::AppError;
use app::model::{Official, Role};
use app::server::accounts::auth::{self, ClientIp};
use app::server::accounts::Actor;
use app::server::media::attachments::{self, RENDITION_WIDTHS};
use app::server::AppState;
use axum::{
    body::Body,
    extract::{DefaultBodyLimit, Multipart, Path as UrlPath, Request, State},
    response::{IntoResponse, Response},
    routing::{get, post},
    Extension, Router,
};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::media::{io, receive_file};
use crate::middleware::refuse;

pub fn routes(state: &AppState) -> Router<AppState> {
    let limit = usize::try_from(state.media.max_attachment_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    Router::new()
        .route(
            "/api/upload_attachment",
            post(upload).layer(DefaultBodyLimit::max(limit)),
        )
        .route("/tep/{id}/{name}", get(serve))
}

pub(crate) fn files_dir(state: &AppState) -> PathBuf {
    state.media.dir.join("files")
}

fn too_large(max: u64) -> AppError {
    AppError::BadRequest(format!(
        "Tệp quá lớn: tệp đính kèm tối đa {} MB.",
        max / (1024 * 1024)
    ))
}

/// `POST /api/upload_attachment` (multipart `file`): officials only. Answers the attachment
/// as JSON (`app::model::Attachment`).
async fn upload(
    State(state): State<AppState>,
    official: Option<Extension<Official>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let official = match auth::allowed(official.map(|Extension(o)| o), Role::Writer) {
        Ok(official) => official,
        Err(error) => {
            crate::media::drain(&mut multipart).await;
            return refuse(error, &headers);
        }
    };
    let actor = Actor::official(&official, ip.map(|Extension(ip)| ip.0).unwrap_or_default());
    let result = async {
        let max = state.media.max_attachment_bytes;
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => {
                    return Err(AppError::BadRequest(
                        "Vui lòng chọn một tệp để tải lên.".into(),
                    ))
                }
                Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(too_large(max))
                }
                Err(_) => {
                    return Err(AppError::BadRequest(
                        "Không đọc được dữ liệu gửi lên. Vui lòng thử lại.".into(),
                    ))
                }
            };
            if field.name() != Some("file") {
                continue;
            }
            let name = field.file_name().unwrap_or_default().to_string();
            let received = receive_file(&files_dir(&state), field, max, || too_large(max)).await?;
            let stored = store(&state, &actor, received, &name, |_| Ok(())).await?;
            return Ok(stored.public());
        }
    }
    .await;
    match result {
        Ok(attachment) => axum::Json(attachment).into_response(),
        Err(err) => {
            crate::media::drain(&mut multipart).await;
            refuse(err, &headers)
        }
    }
}

/// Checks a received file by its content (and `accept`, for what the caller takes), stores it
/// under its hash, makes an image's resized copies and records it, with its audit line.
pub(crate) async fn store(
    state: &AppState,
    actor: &Actor,
    received: crate::media::Received,
    name: &str,
    accept: impl Fn(&attachments::FileType) -> Result<(), AppError>,
) -> Result<attachments::Stored, AppError> {
    let dir = files_dir(state);
    let kind = match attachments::sniff(&received.head, &received.tail, name)
        .and_then(|kind| accept(&kind).map(|()| kind))
    {
        Ok(kind) => kind,
        Err(err) => {
            received.discard().await;
            return Err(err);
        }
    };
    let digest = received.digest.clone();
    let size = received.size as i64;
    let path = dir.join(format!("{digest}.{}", kind.ext));
    received.keep(&path).await?;
    let dimensions = if kind.image {
        Some(renditions(path.clone(), dir.clone(), digest.clone()).await?)
    } else {
        None
    };
    let filename = attachments::clean_name(name, kind.ext);
    attachments::add(
        &state.pool,
        actor,
        &digest,
        &filename,
        kind,
        size,
        dimensions,
    )
    .await
}

/// The most pixels an uploaded image may have: a phone photo has 12 to 50 million.
pub const MAX_IMAGE_PIXELS: u64 = 50_000_000;
/// The most memory one decoder may ask for (a 50-megapixel RGBA image is 200 MB).
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// Images decoded at once; more uploads wait their turn. With the two limits above, decoding
/// never holds more than about 0.5 GB, however many hostile images arrive together.
static DECODES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Decodes an image, refuses one that does not decode or is too large, and writes JPEG copies
/// at the rendition widths narrower than it (`<hash>-w480.jpg`, ...). Returns its size in
/// pixels. The size an image declares is checked from its header before anything is decoded:
/// a 47 KB PNG may declare 20000×20000 pixels (1.6 GB once decoded).
async fn renditions(path: PathBuf, dir: PathBuf, digest: String) -> Result<(u32, u32), AppError> {
    let _turn = DECODES.acquire().await.map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(move || {
        let refuse = |error: AppError| {
            let _ = std::fs::remove_file(&path);
            Err(error)
        };
        let bad = || {
            AppError::BadRequest(
                "Không đọc được ảnh này: tệp có thể bị hỏng. Vui lòng chọn ảnh khác.".into(),
            )
        };
        let reader = || {
            image::ImageReader::open(&path)
                .and_then(|r| r.with_guessed_format())
                .map_err(|_| bad())
        };
        let (width, height) = match reader().and_then(|r| r.into_dimensions().map_err(|_| bad())) {
            Ok(size) => size,
            Err(err) => return refuse(err),
        };
        if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
            return refuse(AppError::BadRequest(format!(
                "Ảnh quá lớn: {width} × {height} điểm ảnh. Ảnh tải lên tối đa {} triệu điểm \
                 ảnh; hãy thu nhỏ ảnh rồi tải lên lại.",
                MAX_IMAGE_PIXELS / 1_000_000
            )));
        }
        let mut reader = match reader() {
            Ok(reader) => reader,
            Err(err) => return refuse(err),
        };
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(width);
        limits.max_image_height = Some(height);
        limits.max_alloc = Some(MAX_DECODE_BYTES);
        reader.limits(limits);
        let img = match reader.decode() {
            Ok(img) => img,
            Err(_) => return refuse(bad()),
        };
        let (width, height) = (img.width(), img.height());
        for w in RENDITION_WIDTHS.into_iter().filter(|w| *w < width) {
            let target = dir.join(format!("{digest}-w{w}.jpg"));
            if target.exists() {
                continue;
            }
            let h = ((u64::from(height) * u64::from(w)) / u64::from(width)).max(1) as u32;
            let resized = img
                .resize_exact(w, h, image::imageops::FilterType::Triangle)
                .into_rgb8();
            let temp = dir.join(format!(
                ".rendition-{}",
                app::server::accounts::auth::random_hex(8)
            ));
            let written = (|| -> std::io::Result<()> {
                let file = std::fs::File::create(&temp)?;
                let mut out = std::io::BufWriter::new(file);
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
                    .encode_image(&resized)
                    .map_err(std::io::Error::other)?;
                std::io::Write::flush(&mut out)?;
                std::fs::rename(&temp, &target)
            })();
            if let Err(err) = written {
                let _ = std::fs::remove_file(&temp);
                return Err(io("resizing")(err));
            }
        }
        Ok((width, height))
    })
    .await
    .map_err(|err| {
        tracing::error!(error = %err, "the resizing task failed");
        AppError::Internal
    })?
}

/// `GET /tep/<token>/<name>`: the file with its type and name, or `w480.jpg`/`w1024.jpg`: an
/// image's resized copy. Range requests work. Citizens get only files something public uses
/// (the rest answer 404, as if they did not exist); signed-in officials get them all, never
/// stored by a cache.
async fn serve(
    State(state): State<AppState>,
    UrlPath((token, name)): UrlPath<(String, String)>,
    official: Option<Extension<Official>>,
    req: Request,
) -> Response {
    let not_found = || StatusCode::NOT_FOUND.into_response();
    let (stored, public) = match attachments::by_token(&state.pool, &token).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(err) => return refuse(err, req.headers()),
    };
    if !public && official.is_none() {
        return not_found();
    }
    // A citizen's file sent with a question: only for those who may see who sent it.
    if !public {
        let official = official.as_ref().map(|Extension(o)| o);
        match app::server::questions::file_hidden_from(&state.pool, stored.id, official).await {
            Ok(false) => {}
            Ok(true) => return not_found(),
            Err(err) => return refuse(err, req.headers()),
        }
    }
    let dir = files_dir(&state);
    let rendition = name
        .strip_prefix('w')
        .and_then(|rest| rest.strip_suffix(".jpg"))
        .and_then(|w| w.parse::<u32>().ok())
        .filter(|w| {
            stored.width.is_some_and(|width| i64::from(*w) < width) && RENDITION_WIDTHS.contains(w)
        });
    let (path, content_type, disposition): (PathBuf, String, String) = match rendition {
        Some(w) => (
            dir.join(format!("{}-w{w}.jpg", stored.sha256)),
            "image/jpeg".into(),
            "inline".into(),
        ),
        None => (
            dir.join(stored.file_name()),
            stored.content_type.clone(),
            disposition(&stored.filename, stored.inline()),
        ),
    };
    // A public file may stop being public (its post taken down): a day, not a year.
    let cache = if public {
        "public, max-age=86400"
    } else {
        "private, no-store"
    };
    serve_file(&path, &content_type, &disposition, cache, req).await
}

/// `inline` or `attachment`, with the name in ASCII and in UTF-8 (RFC 6266).
fn disposition(filename: &str, inline: bool) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .filter(|c| *c != '"' && *c != '\\')
        .collect();
    format!(
        "{}; filename=\"{ascii}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        app::format::path_segment(filename)
    )
}

async fn serve_file(
    path: &Path,
    content_type: &str,
    disposition: &str,
    cache: &'static str,
    req: Request,
) -> Response {
    let mut response = match ServeFile::new(path).oneshot(req).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    let status = response.status();
    if status.is_success() || status == StatusCode::PARTIAL_CONTENT {
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(content_type) {
            headers.insert(header::CONTENT_TYPE, value);
        }
        if let Ok(value) = HeaderValue::from_str(disposition) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(app::server::csp::NOT_A_PAGE),
        );
    }
    response
}
