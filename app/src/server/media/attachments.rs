//! Files officials attach to posts (and documents): PDF, Word, Excel, OpenDocument text and
//! images. The type is decided by the content, and the name must agree with it. Files are
//! stored once by content hash under `<data dir>/media/files`; the server's routes stream them.
//!
//! Each is addressed by a random token (`/tep/<token>/<name>`), never by its sequential id, and
//! citizens get only those that something public uses: a published post's body or featured
//! image, or a document. Officials read them all (a draft's files are read while it is edited).

use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use unicode_normalization::UnicodeNormalization;

use crate::error::AppError;
use crate::model::{Attachment, ImageRendition};
use crate::server::accounts::{audit, Actor};
use crate::server::internal;

/// Widths of the resized copies of an image: phones, then wider screens.
pub const RENDITION_WIDTHS: [u32; 2] = [480, 1024];

/// What a file is, by its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileType {
    /// The extension it is stored and served with.
    pub ext: &'static str,
    pub mime: &'static str,
    /// What citizens are told beside the link: "PDF", "Word", ...
    pub label: &'static str,
    pub image: bool,
}

const PDF: FileType = FileType {
    ext: "pdf",
    mime: "application/pdf",
    label: "PDF",
    image: false,
};
const DOC: FileType = FileType {
    ext: "doc",
    mime: "application/msword",
    label: "Word",
    image: false,
};
const XLS: FileType = FileType {
    ext: "xls",
    mime: "application/vnd.ms-excel",
    label: "Excel",
    image: false,
};
const DOCX: FileType = FileType {
    ext: "docx",
    mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    label: "Word",
    image: false,
};
const XLSX: FileType = FileType {
    ext: "xlsx",
    mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    label: "Excel",
    image: false,
};
const ODT: FileType = FileType {
    ext: "odt",
    mime: "application/vnd.oasis.opendocument.text",
    label: "ODT",
    image: false,
};
const PNG: FileType = FileType {
    ext: "png",
    mime: "image/png",
    label: "ảnh PNG",
    image: true,
};
const JPEG: FileType = FileType {
    ext: "jpg",
    mime: "image/jpeg",
    label: "ảnh JPEG",
    image: true,
};
const GIF: FileType = FileType {
    ext: "gif",
    mime: "image/gif",
    label: "ảnh GIF",
    image: true,
};
const WEBP: FileType = FileType {
    ext: "webp",
    mime: "image/webp",
    label: "ảnh WebP",
    image: true,
};

const ALL: [FileType; 10] = [PDF, DOC, XLS, DOCX, XLSX, ODT, PNG, JPEG, GIF, WEBP];

/// The types accepted, for the message that lists them.
pub const ACCEPTED: &str = "PDF, DOC, DOCX, XLS, XLSX, ODT, PNG, JPG, GIF, WebP";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The type of a file from its first bytes (`head`, 512 are enough), its last ones (`tail`,
/// where a ZIP keeps its table of contents) and the extension of its name, which must agree.
pub fn sniff(head: &[u8], tail: &[u8], name: &str) -> Result<FileType, AppError> {
    let named = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let named = if named == "jpeg" { "jpg".into() } else { named };
    let Some(claimed) = ALL.iter().find(|t| t.ext == named) else {
        return Err(AppError::BadRequest(format!(
            "Không nhận loại tệp “.{named}”. Các loại tệp được nhận: {ACCEPTED}."
        )));
    };
    let zip = head.starts_with(b"PK\x03\x04");
    let ole = head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let found = if head.starts_with(b"%PDF-") {
        Some(PDF)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(PNG)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(JPEG)
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some(GIF)
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some(WEBP)
    } else if zip && contains(head, b"mimetypeapplication/vnd.oasis.opendocument.text") {
        Some(ODT)
    } else if zip && (contains(tail, b"word/document.xml") || contains(head, b"word/")) {
        Some(DOCX)
    } else if zip && (contains(tail, b"xl/workbook.xml") || contains(head, b"xl/")) {
        Some(XLSX)
    } else if ole {
        // Word and Excel 97-2003 share the container; the name tells which.
        [DOC, XLS].into_iter().find(|t| t.ext == claimed.ext)
    } else {
        None
    };
    match found {
        Some(found) if found == *claimed => Ok(found),
        Some(found) => Err(AppError::BadRequest(format!(
            "Tên tệp có đuôi “.{named}” nhưng nội dung là {}. Vui lòng kiểm tra lại tệp.",
            found.label
        ))),
        None => Err(AppError::BadRequest(format!(
            "Nội dung tệp không phải {} như tên tệp (.{named}). Tệp có thể bị hỏng hoặc bị đổi tên. Các loại tệp được nhận: {ACCEPTED}.",
            claimed.label
        ))),
    }
}

/// A file's name as shown and served: the last path part, NFC, without control characters
/// or quotes, at most 150 characters (the extension kept).
pub fn clean_name(raw: &str, ext: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    let stem: String = stem
        .nfc()
        .filter(|c| {
            !c.is_control()
                && !crate::server::text::is_invisible(*c)
                && !matches!(c, '"' | '\'' | '<' | '>' | '?' | '#' | '%')
        })
        .take(140)
        .collect();
    let stem = stem.trim();
    let stem = if stem.is_empty() { "tep" } else { stem };
    format!("{stem}.{ext}")
}

/// `245 KB`, `1,2 MB`: sizes as citizens read them.
pub fn size_text(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        format!("{},{} MB", tenths / 10, tenths % 10)
    }
}

/// A stored attachment, as the routes that serve it need it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Stored {
    pub id: i64,
    /// 32 hex digits: the file's address.
    pub token: String,
    pub sha256: String,
    pub filename: String,
    pub ext: String,
    pub content_type: String,
    pub size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
}

impl Stored {
    /// The file under `media/files`.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.sha256, self.ext)
    }

    /// Shown inline in the browser (PDF, images) or downloaded (office files).
    pub fn inline(&self) -> bool {
        self.content_type == "application/pdf" || self.content_type.starts_with("image/")
    }

    pub fn public(&self) -> Attachment {
        let label = ALL
            .iter()
            .find(|t| t.mime == self.content_type)
            .map_or("tệp", |t| t.label);
        let image = match (self.width, self.height) {
            (Some(width), Some(height)) => {
                let widths: Vec<u32> = RENDITION_WIDTHS
                    .into_iter()
                    .filter(|w| i64::from(*w) < width)
                    .collect();
                let src = match widths.last() {
                    Some(w) => format!("/tep/{}/w{w}.jpg", self.token),
                    None => self.url(),
                };
                let mut srcset: Vec<String> = widths
                    .iter()
                    .map(|w| format!("/tep/{}/w{w}.jpg {w}w", self.token))
                    .collect();
                if widths.is_empty() {
                    srcset.push(format!("{} {width}w", self.url()));
                }
                Some(ImageRendition {
                    src,
                    srcset: srcset.join(", "),
                    width,
                    height,
                })
            }
            _ => None,
        };
        Attachment {
            id: self.id,
            url: self.url(),
            name: self.filename.clone(),
            size: self.size,
            description: format!("{label}, {}", size_text(self.size)),
            image,
        }
    }

    fn url(&self) -> String {
        format!(
            "/tep/{}/{}",
            self.token,
            crate::format::path_segment(&self.filename)
        )
    }
}

/// Records an uploaded file (already stored under its hash), with its audit line.
#[allow(clippy::too_many_arguments)]
pub async fn add(
    pool: &SqlitePool,
    actor: &Actor,
    sha256: &str,
    filename: &str,
    kind: FileType,
    size: i64,
    dimensions: Option<(u32, u32)>,
) -> Result<Stored, AppError> {
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("attachment transaction"))?;
    let stored: Stored = sqlx::query_as(
        "INSERT INTO attachments (token, sha256, filename, ext, content_type, size, width, height,
                                  uploaded_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING id, token, sha256, filename, ext, content_type, size, width, height",
    )
    .bind(crate::server::accounts::auth::random_hex(16))
    .bind(sha256)
    .bind(filename)
    .bind(kind.ext)
    .bind(kind.mime)
    .bind(size)
    .bind(dimensions.map(|(w, _)| i64::from(w)))
    .bind(dimensions.map(|(_, h)| i64::from(h)))
    .bind(actor.user_id)
    .fetch_one(&mut *tx)
    .await
    .map_err(internal("recording an attachment"))?;
    audit(
        &mut tx,
        actor,
        "Tải lên tệp đính kèm",
        filename,
        &size_text(size),
    )
    .await?;
    tx.commit().await.map_err(internal("attachment commit"))?;
    Ok(stored)
}

/// `SELECT <the columns of a Stored> FROM attachments <rest>`.
macro_rules! select_stored {
    ($rest:literal) => {
        concat!(
            "SELECT id, token, sha256, filename, ext, content_type, size, width, height ",
            "FROM attachments ",
            $rest
        )
    };
}

pub async fn get(pool: &SqlitePool, id: i64) -> Result<Option<Stored>, AppError> {
    sqlx::query_as(select_stored!("WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(internal("reading an attachment"))
}

/// The attachment at `/tep/<token>/…`, with whether citizens may have it.
pub async fn by_token(pool: &SqlitePool, token: &str) -> Result<Option<(Stored, bool)>, AppError> {
    if !is_token(token) {
        return Ok(None);
    }
    let Some(stored): Option<Stored> = sqlx::query_as(select_stored!("WHERE token = ?"))
        .bind(token)
        .fetch_optional(pool)
        .await
        .map_err(internal("reading an attachment"))?
    else {
        return Ok(None);
    };
    let public: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM post_attachments pa JOIN posts p ON p.id = pa.post_id
                        WHERE pa.attachment_id = ?1 AND p.status = 'published')
             OR EXISTS (SELECT 1 FROM posts WHERE image_id = ?1 AND status = 'published')
             OR EXISTS (SELECT 1 FROM document_files WHERE attachment_id = ?1)
             OR EXISTS (SELECT 1 FROM site_settings WHERE key = 'emblem' AND value = ?2)",
    )
    .bind(stored.id)
    .bind(&stored.token)
    .fetch_one(pool)
    .await
    .map_err(internal("checking who may read an attachment"))?;
    Ok(Some((stored, public)))
}

/// Whether a writer may show attachment `id` in a post (as its featured image): one they
/// uploaded, or one already used by a public post, a document or a post of theirs. Ids are
/// sequential; without this, naming another writer's draft image would reveal its address.
pub async fn writer_may_use(pool: &SqlitePool, id: i64, writer: i64) -> Result<bool, AppError> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM attachments a WHERE a.id = ?1 AND (
             a.uploaded_by = ?2
             OR EXISTS (SELECT 1 FROM post_attachments pa JOIN posts p ON p.id = pa.post_id
                        WHERE pa.attachment_id = a.id
                          AND (p.status = 'published' OR p.created_by = ?2))
             OR EXISTS (SELECT 1 FROM posts p WHERE p.image_id = a.id
                          AND (p.status = 'published' OR p.created_by = ?2))
             OR EXISTS (SELECT 1 FROM document_files WHERE attachment_id = a.id)))",
    )
    .bind(id)
    .bind(writer)
    .fetch_one(pool)
    .await
    .map_err(internal("checking who may use an attachment"))
}

fn is_token(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The tokens of the attachments a body links to or shows (`/tep/<token>/…`), each once.
pub fn tokens_in(html: &str) -> Vec<&str> {
    let mut tokens: Vec<&str> = html
        .match_indices("/tep/")
        .filter(|(i, _)| html.get(i + 37..).is_some_and(|rest| rest.starts_with('/')))
        .filter_map(|(i, _)| html.get(i + 5..i + 37))
        .filter(|token| is_token(token))
        .collect();
    tokens.sort_unstable();
    tokens.dedup();
    tokens
}

/// Records, within a post's save, which attachments its body now uses.
pub async fn link(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    post_id: i64,
    body_html: &str,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM post_attachments WHERE post_id = ?")
        .bind(post_id)
        .execute(&mut **tx)
        .await
        .map_err(internal("forgetting a post's attachments"))?;
    for token in tokens_in(body_html) {
        sqlx::query(
            "INSERT OR IGNORE INTO post_attachments (post_id, attachment_id)
             SELECT ?, id FROM attachments WHERE token = ?",
        )
        .bind(post_id)
        .bind(token)
        .execute(&mut **tx)
        .await
        .map_err(internal("recording a post's attachments"))?;
    }
    Ok(())
}

/// Bodies saved before attachments had tokens link to `/tep/<id>/…`: those links are moved to
/// the tokens (in posts and their revisions) and the posts' attachments recorded. Run at start;
/// returns how many posts changed. Once done, it costs one scan of the bodies.
pub async fn upgrade_links(pool: &SqlitePool) -> Result<usize, AppError> {
    let tokens: std::collections::HashMap<i64, String> =
        sqlx::query_as::<_, (i64, String)>("SELECT id, token FROM attachments")
            .fetch_all(pool)
            .await
            .map_err(internal("reading attachment tokens"))?
            .into_iter()
            .collect();
    if tokens.is_empty() {
        return Ok(0);
    }
    let rewrite = |html: &str| -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(i) = rest.find("/tep/") {
            out.push_str(&rest[..i + 5]);
            rest = &rest[i + 5..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let token = rest[..digits]
                .parse::<i64>()
                .ok()
                .filter(|_| rest[digits..].starts_with('/'))
                .and_then(|id| tokens.get(&id));
            if let Some(token) = token {
                out.push_str(token);
                rest = &rest[digits..];
            }
        }
        out.push_str(rest);
        out
    };
    let mut changed = 0;
    for table in ["posts", "post_revisions"] {
        // The table is one of the two names above; everything else is bound.
        let rows: Vec<(i64, String)> = QueryBuilder::<Sqlite>::new("SELECT rowid, body_html FROM ")
            .push(table)
            .push(" WHERE body_html GLOB '*/tep/[0-9]*'")
            .build_query_as()
            .fetch_all(pool)
            .await
            .map_err(internal("finding links to attachments by id"))?;
        for (rowid, body) in rows {
            let upgraded = rewrite(&body);
            if upgraded == body {
                continue;
            }
            let mut tx = pool.begin().await.map_err(internal("link upgrade"))?;
            QueryBuilder::<Sqlite>::new("UPDATE ")
                .push(table)
                .push(" SET body_html = ")
                .push_bind(&upgraded)
                .push(" WHERE rowid = ")
                .push_bind(rowid)
                .build()
                .execute(&mut *tx)
                .await
                .map_err(internal("moving links to attachment tokens"))?;
            if table == "posts" {
                link(&mut tx, rowid, &upgraded).await?;
                changed += 1;
            }
            tx.commit().await.map_err(internal("link upgrade commit"))?;
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZIP_DOCX_TAIL: &[u8] = b"PK\x01\x02...word/document.xml...";

    #[test]
    fn files_are_known_by_their_content_and_the_name_must_agree() {
        assert_eq!(
            sniff(b"%PDF-1.7\n", b"", "ke-hoach.PDF").unwrap().ext,
            "pdf"
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n....", b"", "anh.png").unwrap().ext,
            "png"
        );
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0], b"", "anh.jpeg")
                .unwrap()
                .ext,
            "jpg"
        );
        assert_eq!(
            sniff(b"PK\x03\x04rest", ZIP_DOCX_TAIL, "qd.docx")
                .unwrap()
                .ext,
            "docx"
        );
        assert_eq!(
            sniff(b"PK\x03\x04.........................mimetypeapplication/vnd.oasis.opendocument.text", b"", "bb.odt")
                .unwrap()
                .ext,
            "odt"
        );
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        assert_eq!(sniff(&ole, b"", "so-lieu.xls").unwrap().ext, "xls");
        assert_eq!(sniff(&ole, b"", "cong-van.doc").unwrap().ext, "doc");
    }

    #[test]
    fn a_forged_or_unknown_name_is_refused_with_a_reason() {
        for (head, tail, name) in [
            (&b"\x89PNG\r\n\x1a\n"[..], &b""[..], "bao-cao.pdf"),
            (&b"MZ\x90\x00"[..], &b""[..], "ke-hoach.pdf"),
            (&b"%PDF-1.4"[..], &b""[..], "tai-lieu.docx"),
            (&b"PK\x03\x04"[..], ZIP_DOCX_TAIL, "bang.xlsx"),
            (&b"%PDF-1.4"[..], &b""[..], "chay-ngay.exe"),
            (&b"<svg onload=alert(1)>"[..], &b""[..], "anh.svg"),
            (&b"%PDF-1.4"[..], &b""[..], "khong-duoi"),
        ] {
            assert!(
                matches!(sniff(head, tail, name), Err(AppError::BadRequest(_))),
                "{name}"
            );
        }
    }

    #[test]
    fn names_are_kept_readable_and_harmless() {
        assert_eq!(
            clean_name("C:\\Tài liệu\\Kế hoạch 19.PDF", "pdf"),
            "Kế hoạch 19.pdf"
        );
        assert_eq!(clean_name("../../\"x\"<y>.docx", "docx"), "xy.docx");
        assert_eq!(clean_name(".pdf", "pdf"), "tep.pdf");
        // Shown as "hoa-donexe.pdf" if the override stayed.
        assert_eq!(
            clean_name("hoa-don\u{202E}fdp.exe.pdf", "pdf"),
            "hoa-donfdp.exe.pdf"
        );
    }

    #[test]
    fn a_body_names_its_attachments_by_token() {
        let a = "0123456789abcdef0123456789abcdef";
        let b = "fedcba9876543210fedcba9876543210";
        let html = format!(
            "<a href=\"/tep/{a}/ke-hoach.pdf\">x</a><img src=\"/tep/{b}/w480.jpg\" \
             srcset=\"/tep/{b}/w480.jpg 480w\"><a href=\"/tep/12/x.pdf\">old</a>\
             <a href=\"/tep/{a}\">no slash</a>"
        );
        assert_eq!(tokens_in(&html), vec![a, b]);
    }

    #[test]
    fn sizes_read_as_citizens_expect() {
        assert_eq!(size_text(1), "1 KB");
        assert_eq!(size_text(250_000), "245 KB");
        assert_eq!(size_text(1_300_000), "1,2 MB");
    }
}
