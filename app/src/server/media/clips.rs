//! Video clips: YouTube links and uploaded files, the current one, and their views.

use sqlx::SqlitePool;

use crate::error::AppError;
use crate::model::{Clip, ClipSource};
use crate::server::accounts::{audit, Actor};
use crate::server::counting::counters::{Counters, Viewed};
use crate::server::counting::live;
use crate::server::internal;

/// YouTube videos whose thumbnail could not be fetched, with when to try again: a reader's
/// request never makes the server ask the thumbnail host more than once in that time. Only
/// videos of clips in the database get here, so it stays as small as the list of clips.
#[derive(Clone, Debug, Default)]
pub struct ThumbnailFailures(
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, u64>>>,
);

/// How long a failed thumbnail is not asked for again.
pub const THUMBNAIL_RETRY_SECS: u64 = 600;

impl ThumbnailFailures {
    pub fn may_fetch(&self, video: &str, now: u64) -> bool {
        let failures = self.0.lock().unwrap_or_else(|e| e.into_inner());
        failures
            .get(video)
            .is_none_or(|retry_after| now >= *retry_after)
    }

    pub fn failed(&self, video: &str, now: u64) {
        let mut failures = self.0.lock().unwrap_or_else(|e| e.into_inner());
        failures.insert(video.to_string(), now + THUMBNAIL_RETRY_SECS);
    }
}

/// Whether a clip of the portal shows YouTube video `video`.
pub async fn is_youtube_clip(pool: &SqlitePool, video: &str) -> Result<bool, AppError> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM clips WHERE kind = 'youtube' AND source = ?)")
        .bind(video)
        .fetch_one(pool)
        .await
        .map_err(internal("looking up a YouTube clip"))
}

/// A clip's title: NFC, 1 to 200 characters.
pub fn parse_title(raw: &str) -> Result<String, AppError> {
    let title = crate::server::text::one_line(raw);
    if (1..=200).contains(&title.chars().count()) {
        Ok(title)
    } else {
        Err(AppError::BadRequest(
            "Tiêu đề video phải có từ 1 đến 200 ký tự.".into(),
        ))
    }
}

/// The video id in a YouTube link (watch, youtu.be, embed, shorts, live) or a bare id.
pub fn parse_youtube(raw: &str) -> Result<String, AppError> {
    let raw = raw.trim();
    let valid = |id: &str| {
        id.len() == 11
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if valid(raw) {
        return Ok(raw.to_string());
    }
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .unwrap_or(raw);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.trim_start_matches("www.").trim_start_matches("m.");
    let id = match host {
        "youtu.be" => path.split(['?', '&', '#']).next(),
        "youtube.com" | "youtube-nocookie.com" => {
            if let Some(query) = path.strip_prefix("watch?") {
                query
                    .split('&')
                    .find_map(|pair| pair.strip_prefix("v="))
                    .map(|v| v.split('#').next().unwrap_or(v))
            } else {
                ["embed/", "shorts/", "live/", "v/"]
                    .iter()
                    .find_map(|prefix| path.strip_prefix(prefix))
                    .and_then(|p| p.split(['?', '&', '#', '/']).next())
            }
        }
        _ => None,
    };
    match id {
        Some(id) if valid(id) => Ok(id.to_string()),
        _ => Err(AppError::BadRequest(
            "Đường dẫn không phải video YouTube, ví dụ https://www.youtube.com/watch?v=abcdefghijk hoặc https://youtu.be/abcdefghijk."
                .into(),
        )),
    }
}

/// Largest captions file accepted.
pub const MAX_CAPTIONS_BYTES: usize = 512 * 1024;

/// Checks a captions file: WebVTT text in UTF-8.
pub fn check_captions(bytes: &[u8]) -> Result<(), AppError> {
    let bad = || {
        AppError::BadRequest(
            "Tệp phụ đề phải là WebVTT (.vtt, bắt đầu bằng “WEBVTT”), tối đa 512 KB.".into(),
        )
    };
    let text = std::str::from_utf8(bytes).map_err(|_| bad())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    if bytes.len() > MAX_CAPTIONS_BYTES
        || !(first == "WEBVTT" || first.starts_with("WEBVTT ") || first.starts_with("WEBVTT\t"))
    {
        return Err(bad());
    }
    Ok(())
}

/// The kind of video in a file's first bytes: `(extension, MIME type)`, whatever its name says.
pub fn sniff_video(head: &[u8]) -> Option<(&'static str, &'static str)> {
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return Some(("mp4", "video/mp4"));
    }
    if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        let doc = head.windows(4).any(|w| w == b"webm");
        return doc.then_some(("webm", "video/webm"));
    }
    None
}

#[derive(sqlx::FromRow)]
struct ClipRow {
    id: i64,
    title: String,
    kind: String,
    source: String,
    mime: String,
    view_count: i64,
    created_at: crate::model::Instant,
    captions: String,
    flushed: i64,
}

impl ClipRow {
    fn into_clip(self, counters: &Counters) -> Clip {
        let source = if self.kind == "youtube" {
            ClipSource::YouTube { id: self.source }
        } else {
            ClipSource::File {
                url: format!("/media/{}", self.source),
                mime: self.mime,
                captions: (!self.captions.is_empty()).then(|| format!("/media/{}", self.captions)),
            }
        };
        Clip {
            id: self.id,
            title: self.title,
            source,
            view_count: live::views(
                counters,
                Viewed::Clip(self.id),
                self.view_count,
                self.flushed,
            ),
            created_at: self.created_at,
        }
    }
}

/// `SELECT <the columns of a ClipRow> FROM clips <rest>`.
macro_rules! select_clips {
    ($rest:literal) => {
        concat!(
            "SELECT id, title, kind, source, mime, view_count, created_at, captions,
             COALESCE((SELECT value FROM counters WHERE name = 'flush_seq'), 0) AS flushed
             FROM clips ",
            $rest
        )
    };
}

/// The clip the widget shows, if one is chosen.
pub async fn current(pool: &SqlitePool, counters: &Counters) -> Result<Option<Clip>, AppError> {
    let row = sqlx::query_as::<_, ClipRow>(select_clips!(
        "WHERE id = (SELECT CAST(value AS INTEGER) FROM site_settings WHERE key = 'current_clip')"
    ))
    .fetch_optional(pool)
    .await
    .map_err(internal("reading the current clip"))?;
    Ok(row.map(|r| r.into_clip(counters)))
}

/// All clips, newest first, for officials.
pub async fn list(pool: &SqlitePool, counters: &Counters) -> Result<Vec<Clip>, AppError> {
    let rows = sqlx::query_as::<_, ClipRow>(select_clips!("ORDER BY id DESC"))
        .fetch_all(pool)
        .await
        .map_err(internal("listing clips"))?;
    Ok(rows.into_iter().map(|r| r.into_clip(counters)).collect())
}

/// Adds a clip and makes it the current one.
pub async fn add(
    pool: &SqlitePool,
    actor: &Actor,
    title: &str,
    source: &ClipSource,
    size_bytes: i64,
) -> Result<i64, AppError> {
    let media_name = |url: &str| url.trim_start_matches("/media/").to_string();
    let (kind, stored, mime, captions) = match source {
        ClipSource::YouTube { id } => ("youtube", id.clone(), String::new(), String::new()),
        ClipSource::File {
            url,
            mime,
            captions,
        } => (
            "file",
            media_name(url),
            mime.clone(),
            captions.as_deref().map(media_name).unwrap_or_default(),
        ),
    };
    let mut tx = pool.begin().await.map_err(internal("clip transaction"))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO clips (title, kind, source, mime, size_bytes, created_by, captions)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(title)
    .bind(kind)
    .bind(&stored)
    .bind(mime)
    .bind(size_bytes)
    .bind(actor.user_id)
    .bind(captions)
    .fetch_one(&mut *tx)
    .await
    .map_err(internal("adding a clip"))?;
    set_current_in(&mut tx, id).await?;
    let detail = if kind == "youtube" {
        format!("YouTube {stored}")
    } else {
        format!("tệp {stored}, {size_bytes} byte")
    };
    audit(&mut tx, actor, "Thêm video", title, &detail).await?;
    tx.commit().await.map_err(internal("clip commit"))?;
    Ok(id)
}

async fn set_current_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    id: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO site_settings (key, value) VALUES ('current_clip', ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(id.to_string())
    .execute(&mut **tx)
    .await
    .map_err(internal("choosing the current clip"))?;
    Ok(())
}

/// Makes clip `id` the one the widget shows.
pub async fn set_current(pool: &SqlitePool, actor: &Actor, id: i64) -> Result<(), AppError> {
    let mut tx = pool.begin().await.map_err(internal("clip transaction"))?;
    let title: Option<String> = sqlx::query_scalar("SELECT title FROM clips WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal("reading a clip"))?;
    let title = title.ok_or_else(|| AppError::NotFound("Không tìm thấy video này.".into()))?;
    set_current_in(&mut tx, id).await?;
    audit(&mut tx, actor, "Đổi video đang hiển thị", &title, "").await?;
    tx.commit().await.map_err(internal("clip commit"))
}

/// Counts a view of clip `id` (once per repeat window for a known browser) and returns the
/// number to show.
pub async fn view(
    pool: &SqlitePool,
    counters: &Counters,
    id: i64,
    viewer: Option<crate::server::counting::visitors::Viewer>,
) -> Result<i64, AppError> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT view_count, COALESCE((SELECT value FROM counters WHERE name = 'flush_seq'), 0)
         FROM clips WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
    .map_err(internal("reading a clip"))?;
    let (stored, flushed) =
        row.ok_or_else(|| AppError::NotFound("Không tìm thấy video này.".into()))?;
    if let Some(viewer) = viewer {
        counters.record_view(Viewed::Clip(id), viewer.visitor);
    }
    Ok(live::views(counters, Viewed::Clip(id), stored, flushed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_links_of_every_form_give_the_id() {
        for link in [
            "dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ#t=1",
            "youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?si=abc",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            " https://www.youtube.com/live/dQw4w9WgXcQ/ ",
        ] {
            assert_eq!(parse_youtube(link).as_deref(), Ok("dQw4w9WgXcQ"), "{link}");
        }
        for bad in [
            "",
            "https://vimeo.com/123456",
            "https://www.youtube.com/watch?v=short",
            "https://evil.example/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=dQw4w9WgXc<",
            "javascript:alert(1)",
        ] {
            assert!(parse_youtube(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn video_files_are_known_by_their_content() {
        let mut mp4 = vec![0, 0, 0, 0x20];
        mp4.extend_from_slice(b"ftypisom\0\0\x02\0");
        assert_eq!(sniff_video(&mp4), Some(("mp4", "video/mp4")));
        let webm = include_bytes!("../../../../end2end/fixtures/clip.webm");
        assert_eq!(sniff_video(&webm[..64]), Some(("webm", "video/webm")));
        assert_eq!(sniff_video(b"%PDF-1.7 not a video at all"), None);
        assert_eq!(sniff_video(b"<script>alert(1)</script>"), None);
        // Matroska that is not WebM.
        assert_eq!(
            sniff_video(&[0x1A, 0x45, 0xDF, 0xA3, 0x42, 0x82, 0x88, b'm', b'a', b't']),
            None
        );
    }

    #[test]
    fn captions_are_webvtt() {
        assert!(check_captions(b"WEBVTT\n\n00:00.000 --> 00:02.000\nXin ch\xc3\xa0o\n").is_ok());
        assert!(check_captions("\u{feff}WEBVTT - Phụ đề\n".as_bytes()).is_ok());
        for bad in [
            &b"1\n00:00:00,000 --> 00:00:02,000\nSRT\n"[..],
            b"WEBVTTX",
            b"\xff\xfe",
            b"",
        ] {
            assert!(check_captions(bad).is_err());
        }
    }

    #[test]
    fn titles_are_nfc_and_bounded() {
        assert_eq!(parse_title(" Ho\u{300}a nhạc ").unwrap(), "Hòa nhạc");
        assert!(parse_title("").is_err());
        assert!(parse_title(&"a".repeat(201)).is_err());
    }
}
