//! Video files: the upload of a clip (checked by content, stored by content hash under
//! `<data dir>/media`), serving them with range requests, and YouTube thumbnails fetched once and
//! served from the portal, so a reader's browser asks nothing of YouTube until they press play.

use std::path::{Path, PathBuf};
use std::time::Duration;

use app::error::AppError;
use app::model::{ClipSource, Official, Role};
use app::server::accounts::auth::{self, ClientIp};
use app::server::accounts::Actor;
use app::server::media::{clips, MediaConfig};
use app::server::AppState;
use axum::{
    body::Body,
    extract::{DefaultBodyLimit, Multipart, Path as UrlPath, Request, State},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Extension, Router,
};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::middleware::{is_navigation, refuse};

pub fn routes(state: &AppState) -> Router<AppState> {
    // Room for the form's other fields around the largest file.
    let limit = usize::try_from(state.media.max_video_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    Router::new()
        .route(
            "/api/upload_clip",
            post(upload_clip).layer(DefaultBodyLimit::max(limit)),
        )
        .route("/media/youtube/{file}", get(thumbnail))
        .route("/media/{file}", get(media_file))
}

/// Reads what is left of a refused upload (within the route's body limit) before the answer
/// goes out: a server that answers while the browser is still sending closes the connection
/// under it, and the browser then shows a network error instead of the message.
pub(crate) async fn drain(multipart: &mut Multipart) {
    while let Ok(Some(mut field)) = multipart.next_field().await {
        while let Ok(Some(_)) = field.chunk().await {}
    }
}

/// `POST /api/upload_clip` (multipart: `title`, `file`): editors only.
async fn upload_clip(
    State(state): State<AppState>,
    official: Option<Extension<Official>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let official = match auth::allowed(official.map(|Extension(o)| o), Role::Editor) {
        Ok(official) => official,
        Err(error) => {
            drain(&mut multipart).await;
            return refuse(error, &headers);
        }
    };
    let received = receive(
        &state,
        &official,
        ip.map(|Extension(ip)| ip.0),
        &mut multipart,
    )
    .await;
    if received.is_err() {
        drain(&mut multipart).await;
    }
    match received {
        Ok(_) if is_navigation(&headers) => {
            let back = headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(|r| {
                    r.find("://")
                        .and_then(|i| r[i + 3..].find('/').map(|j| &r[i + 3 + j..]))
                })
                .and_then(app::links::local_path)
                .unwrap_or("/")
                .to_string();
            Redirect::to(&back).into_response()
        }
        Ok(id) => axum::Json(serde_json::json!({ "id": id })).into_response(),
        Err(error) => refuse(error, &headers),
    }
}

async fn receive(
    state: &AppState,
    official: &Official,
    ip: Option<String>,
    multipart: &mut Multipart,
) -> Result<i64, AppError> {
    let bad = |message: &str| AppError::BadRequest(message.into());
    let mut title = None;
    let mut stored = None;
    let mut captions: Option<Vec<u8>> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(too_large(&state.media));
            }
            Err(_) => return Err(bad("Không đọc được dữ liệu gửi lên. Vui lòng thử lại.")),
        };
        match field.name() {
            Some("title") => {
                let text = field
                    .text()
                    .await
                    .map_err(|_| bad("Không đọc được tiêu đề."))?;
                title = Some(clips::parse_title(&text)?);
            }
            Some("file") if stored.is_none() => {
                stored = Some(save(&state.media, field).await?);
            }
            Some("captions") => {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| bad("Không đọc được tệp phụ đề."))?;
                // An empty part: no captions file was chosen.
                if !bytes.is_empty() {
                    clips::check_captions(&bytes)?;
                    captions = Some(bytes.to_vec());
                }
            }
            _ => {}
        }
    }
    let title = title.ok_or_else(|| bad("Video cần có tiêu đề."))?;
    let file = stored.ok_or_else(|| bad("Vui lòng chọn một tệp video MP4 hoặc WebM."))?;
    let captions = match captions {
        Some(bytes) => {
            let digest: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let name = format!("{digest}.vtt");
            let dir = state.media.dir.clone();
            store(&dir, &dir.join(&name), &bytes)
                .await
                .map_err(io("storing captions of"))?;
            Some(format!("/media/{name}"))
        }
        None => None,
    };
    let actor = Actor {
        user_id: Some(official.id),
        username: official.username.clone(),
        ip: ip.unwrap_or_default(),
    };
    clips::add(
        &state.pool,
        &actor,
        &title,
        &ClipSource::File {
            url: format!("/media/{}", file.name),
            mime: file.mime.to_string(),
            captions,
        },
        file.size as i64,
    )
    .await
}

struct Stored {
    name: String,
    mime: &'static str,
    size: u64,
}

fn too_large(media: &MediaConfig) -> AppError {
    AppError::BadRequest(format!(
        "Tệp quá lớn: video tải lên tối đa {} MB.",
        media.max_video_bytes / (1024 * 1024)
    ))
}

/// Streams the file to disk while hashing it; keeps it only if its content is MP4 or WebM,
/// its name says the same, and it is within the size limit.
async fn save(
    media: &MediaConfig,
    field: axum::extract::multipart::Field<'_>,
) -> Result<Stored, AppError> {
    let named = field
        .file_name()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let received = receive_file(&media.dir, field, media.max_video_bytes, || {
        too_large(media)
    })
    .await?;
    let checked = (|| {
        let (ext, mime) = clips::sniff_video(&received.head).ok_or_else(|| {
            AppError::BadRequest("Tệp này không phải video MP4 hoặc WebM.".into())
        })?;
        let agrees = match ext {
            "mp4" => ["mp4", "m4v"].contains(&named.as_str()),
            _ => named == ext,
        };
        if !agrees {
            return Err(AppError::BadRequest(format!(
                "Tên tệp (.{named}) không khớp với nội dung ({}). Vui lòng kiểm tra lại tệp.",
                ext.to_uppercase()
            )));
        }
        Ok((ext, mime))
    })();
    let (ext, mime) = match checked {
        Ok(found) => found,
        Err(err) => {
            received.discard().await;
            return Err(err);
        }
    };
    let name = format!("{}.{ext}", received.digest);
    let size = received.size;
    received.keep(&media.dir.join(&name)).await?;
    Ok(Stored { name, mime, size })
}

/// An uploaded file written to a temporary name beside its final place, with what deciding
/// its type takes: its first 512 bytes, its last 64 KiB (a ZIP's table of contents) and its
/// SHA-256.
pub(crate) struct Received {
    temp: std::path::PathBuf,
    pub digest: String,
    pub head: Vec<u8>,
    pub tail: Vec<u8>,
    pub size: u64,
}

impl Received {
    /// Moves the file to `path` (replacing an identical copy stored before).
    pub async fn keep(self, path: &Path) -> Result<(), AppError> {
        let renamed = tokio::fs::rename(&self.temp, path).await;
        if renamed.is_err() {
            let _ = tokio::fs::remove_file(&self.temp).await;
        }
        renamed.map_err(io("storing"))
    }

    pub async fn discard(self) {
        let _ = tokio::fs::remove_file(&self.temp).await;
    }
}

const HEAD_BYTES: usize = 512;
const TAIL_BYTES: usize = 64 * 1024;

/// Streams a multipart file to a temporary file in `dir`, hashing it and refusing it past
/// `max_bytes` (the temporary file is removed on any failure).
pub(crate) async fn receive_file(
    dir: &Path,
    mut field: axum::extract::multipart::Field<'_>,
    max_bytes: u64,
    too_large: impl Fn() -> AppError,
) -> Result<Received, AppError> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(io("creating the folder of"))?;
    let temp = dir.join(format!(
        ".upload-{}",
        app::server::accounts::auth::random_hex(8)
    ));
    let result = async {
        let mut file = tokio::fs::File::create(&temp)
            .await
            .map_err(io("creating"))?;
        let mut hash = Sha256::new();
        let mut head = Vec::with_capacity(HEAD_BYTES);
        let mut tail: Vec<u8> = Vec::new();
        let mut size = 0u64;
        while let Some(chunk) = field.chunk().await.map_err(|err| {
            if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                AppError::BadRequest("Tải lên bị gián đoạn. Vui lòng thử lại.".into())
            }
        })? {
            size += chunk.len() as u64;
            if size > max_bytes {
                return Err(too_large());
            }
            if head.len() < HEAD_BYTES {
                head.extend_from_slice(&chunk[..chunk.len().min(HEAD_BYTES - head.len())]);
            }
            tail.extend_from_slice(&chunk);
            if tail.len() > TAIL_BYTES {
                tail.drain(..tail.len() - TAIL_BYTES);
            }
            hash.update(&chunk);
            file.write_all(&chunk).await.map_err(io("writing"))?;
        }
        file.sync_all().await.map_err(io("syncing"))?;
        let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Ok((digest, head, tail, size))
    }
    .await;
    match result {
        Ok((digest, head, tail, size)) => Ok(Received {
            temp,
            digest,
            head,
            tail,
            size,
        }),
        Err(err) => {
            let _ = tokio::fs::remove_file(&temp).await;
            Err(err)
        }
    }
}

pub(crate) fn io(doing: &'static str) -> impl Fn(std::io::Error) -> AppError {
    move |err| {
        tracing::error!(error = %err, "{doing} an uploaded file");
        AppError::Internal
    }
}

/// An uploaded file, by its content-hash name: range requests, and cached for good.
async fn media_file(
    State(state): State<AppState>,
    UrlPath(file): UrlPath<String>,
    req: Request,
) -> Response {
    if !is_stored_name(&file) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut response = match ServeFile::new(state.media.dir.join(&file))
        .oneshot(req)
        .await
    {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    if response.status().is_success() {
        let headers = response.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("inline"),
        );
    }
    response
}

/// `<64 hex>.<mp4|webm|vtt>`: nothing else under media/ is served from here.
fn is_stored_name(file: &str) -> bool {
    file.split_once('.').is_some_and(|(hash, ext)| {
        hash.len() == 64
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
            && ["mp4", "webm", "vtt"].contains(&ext)
    })
}

/// The thumbnail of a clip's YouTube video, fetched the first time it is asked for and kept.
/// Videos that are no clip of the portal answer 404 without any fetch; a failed fetch is not
/// tried again for [`clips::THUMBNAIL_RETRY_SECS`].
async fn thumbnail(State(state): State<AppState>, UrlPath(file): UrlPath<String>) -> Response {
    let not_found = || StatusCode::NOT_FOUND.into_response();
    let Some(id) = file
        .strip_suffix(".jpg")
        .filter(|id| clips::parse_youtube(id).as_deref() == Ok(*id))
    else {
        return not_found();
    };
    let dir = state.media.dir.join("youtube");
    let path = dir.join(format!("{id}.jpg"));
    let bytes = match tokio::fs::read(&path).await {
        Ok(bytes) => bytes,
        Err(_) => {
            match clips::is_youtube_clip(&state.pool, id).await {
                Ok(true) => {}
                Ok(false) => return not_found(),
                Err(err) => return refuse(err, &HeaderMap::new()),
            }
            let now = state.clock.now();
            if !state.thumbnail_failures.may_fetch(id, now) {
                return not_found();
            }
            match fetch_thumbnail(&state.media.thumbnail_base, id).await {
                Some(bytes) => {
                    if let Err(err) = store(&dir, &path, &bytes).await {
                        tracing::warn!(error = %err, "cannot keep a YouTube thumbnail");
                    }
                    bytes
                }
                None => {
                    state.thumbnail_failures.failed(id, now);
                    return not_found();
                }
            }
        }
    };
    (
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        bytes,
    )
        .into_response()
}

async fn fetch_thumbnail(base: &str, id: &str) -> Option<Vec<u8>> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
        .ok()?;
    let url = format!("{}/vi/{id}/hqdefault.jpg", base.trim_end_matches('/'));
    let response = client.get(&url).send().await.ok()?;
    if !response.status().is_success() {
        tracing::warn!(%url, status = %response.status(), "no YouTube thumbnail");
        return None;
    }
    let bytes = response.bytes().await.ok()?;
    (bytes.len() < 2 * 1024 * 1024 && bytes.starts_with(&[0xFF, 0xD8, 0xFF]))
        .then(|| bytes.to_vec())
}

/// Writes `bytes` to `path` through a temporary file, so no half-written file is ever served.
async fn store(dir: &Path, path: &PathBuf, bytes: &[u8]) -> std::io::Result<()> {
    let temp = dir.join(format!(".{}", app::server::accounts::auth::random_hex(8)));
    let stored = async {
        tokio::fs::create_dir_all(dir).await?;
        tokio::fs::write(&temp, bytes).await?;
        tokio::fs::rename(&temp, path).await
    }
    .await;
    if stored.is_err() {
        let _ = tokio::fs::remove_file(&temp).await;
    }
    stored
}
