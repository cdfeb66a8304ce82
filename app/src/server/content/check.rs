//! The checks on what the editor sends, before anything is written: each field's length and
//! shape, the address (slug), the publication time, and that the category and the image it
//! names exist and may be used. What passes comes out as [`Checked`], the only form a save
//! takes, so no field reaches the database unchecked.

use sqlx::SqlitePool;

use crate::error::AppError;
use crate::model::{Official, PostEdit, Role};
use crate::server::html::SafeHtml;
use crate::server::internal;
use crate::server::media::attachments;
use crate::server::slug::Slug;
use crate::server::text::one_line;

const MAX_TITLE_CHARS: usize = 300;
const MAX_LEAD_CHARS: usize = 2000;
const MAX_DESCRIPTION_CHARS: usize = 300;
/// The largest body accepted, in bytes of HTML as sent (a long decree with tables fits).
const MAX_BODY_BYTES: usize = 2_000_000;

/// The fields of a save, checked and normalised (NFC, spaces collapsed, body sanitised).
pub(super) struct Checked {
    pub(super) slug: Option<Slug>,
    pub(super) title: String,
    pub(super) lead: String,
    pub(super) body: SafeHtml,
    pub(super) description: String,
    pub(super) category_id: Option<i64>,
    /// `2022-03-14T15:00` in Vietnam; None: keep (or, for a new post, now).
    published_local: Option<String>,
    pub(super) image_id: Option<i64>,
    pub(super) image_alt: String,
}

/// What the editor sent, checked in full: the fields ([`check`]), then against the database
/// the category, the image (an uploaded image the official may use) and the publication time.
/// Returns the fields and that time as stored, in UTC (None: keep it, or for a new post, now).
pub(super) async fn check_save(
    pool: &SqlitePool,
    official: &Official,
    edit: &PostEdit,
) -> Result<(Checked, Option<String>), AppError> {
    let checked = check(edit)?;
    check_category(pool, checked.category_id).await?;
    if let Some(id) = checked.image_id {
        let is_image = attachments::get(pool, id)
            .await?
            .is_some_and(|stored| stored.width.is_some());
        let allowed = official.can(Role::Editor)
            || attachments::writer_may_use(pool, id, official.id).await?;
        if !is_image || !allowed {
            return Err(AppError::BadRequest(
                "Ảnh đại diện phải là một ảnh đã tải lên (PNG, JPG, GIF hoặc WebP).".into(),
            ));
        }
    }
    let published_at = match &checked.published_local {
        Some(local) => Some(to_utc(local)?),
        None => None,
    };
    Ok((checked, published_at))
}

fn too_long(what: &str, max: usize) -> AppError {
    AppError::BadRequest(format!(
        "{what} dài quá {max} ký tự. Hãy rút gọn rồi lưu lại."
    ))
}

fn check(edit: &PostEdit) -> Result<Checked, AppError> {
    let title = one_line(&edit.title);
    if title.is_empty() {
        return Err(AppError::BadRequest(
            "Bài viết cần có tiêu đề. Hãy nhập tiêu đề rồi lưu lại.".into(),
        ));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(too_long("Tiêu đề", MAX_TITLE_CHARS));
    }
    // The lead is one paragraph of plain text.
    let lead = one_line(&edit.lead);
    if lead.chars().count() > MAX_LEAD_CHARS {
        return Err(too_long("Phần tóm tắt", MAX_LEAD_CHARS));
    }
    let description = one_line(&edit.description);
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(too_long("Mô tả cho máy tìm kiếm", MAX_DESCRIPTION_CHARS));
    }
    if edit.body_html.len() > MAX_BODY_BYTES {
        return Err(AppError::BadRequest(
            "Nội dung bài viết quá dài (quá 2 MB). Hãy chia thành nhiều bài hoặc đưa phần dài vào tệp đính kèm.".into(),
        ));
    }
    let slug = match edit.slug.trim() {
        "" => None,
        raw => Some(Slug::from_title(raw).ok_or_else(|| {
            AppError::BadRequest("Đường dẫn phải có chữ hoặc số, ví dụ: ke-hoach-papi-2022.".into())
        })?),
    };
    let published_local = match edit.published_local.trim() {
        "" => None,
        raw => {
            let b = raw.as_bytes();
            // `2022-03-14T15:00`, or with seconds (`...T15:00:30`) as some browsers send.
            let shaped = (raw.len() == 16 || raw.len() == 19)
                && b.iter().enumerate().all(|(i, c)| match i {
                    4 | 7 => *c == b'-',
                    10 => *c == b'T',
                    13 | 16 => *c == b':',
                    _ => c.is_ascii_digit(),
                });
            if !shaped {
                return Err(bad_time());
            }
            Some(raw.to_string())
        }
    };
    let image_alt = one_line(&edit.image_alt);
    if edit.image_id.is_some() && image_alt.is_empty() {
        return Err(AppError::BadRequest(
            "Hãy mô tả ngắn ảnh đại diện, cho người không xem được ảnh.".into(),
        ));
    }
    if image_alt.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(too_long("Mô tả ảnh", MAX_DESCRIPTION_CHARS));
    }
    Ok(Checked {
        slug,
        title,
        lead,
        body: SafeHtml::clean(&edit.body_html),
        description,
        category_id: edit.category_id,
        published_local,
        image_id: edit.image_id,
        image_alt: if edit.image_id.is_some() {
            image_alt
        } else {
            String::new()
        },
    })
}

fn bad_time() -> AppError {
    AppError::BadRequest(
        "Thời gian đăng không hợp lệ. Hãy chọn ngày và giờ, ví dụ 14/03/2022 08:00.".into(),
    )
}

/// `2022-03-14T15:00` in Vietnam (UTC+7) as the stored UTC `2022-03-14 08:00:00`; an
/// impossible moment (31/02, 25:00) is refused.
fn to_utc(local: &str) -> Result<String, AppError> {
    crate::server::time::from_local_input(local).ok_or_else(bad_time)
}

async fn check_category(pool: &SqlitePool, id: Option<i64>) -> Result<(), AppError> {
    let Some(id) = id else { return Ok(()) };
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM categories WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(internal("checking a category"))?;
    exists.map(|_| ()).ok_or_else(|| {
        AppError::BadRequest(
            "Chuyên mục đã chọn không còn tồn tại. Hãy chọn chuyên mục khác.".into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn edit(title: &str) -> PostEdit {
        PostEdit {
            id: None,
            base_version: 0,
            slug: String::new(),
            title: title.into(),
            lead: String::new(),
            body_html: String::new(),
            description: String::new(),
            category_id: None,
            published_local: String::new(),
            image_id: None,
            image_alt: String::new(),
        }
    }

    #[test]
    fn titles_are_one_nfc_line_and_required() {
        let nfd: String = "Thông  báo\n hòa giải".nfd().collect();
        assert_eq!(check(&edit(&nfd)).unwrap().title, "Thông báo hòa giải");
        assert!(matches!(
            check(&edit("  \n ")),
            Err(AppError::BadRequest(_))
        ));
        assert!(matches!(
            check(&edit(&"a".repeat(301))),
            Err(AppError::BadRequest(_))
        ));
    }

    #[test]
    fn slugs_typed_by_officials_are_made_readable() {
        let mut e = edit("x");
        e.slug = " Kế hoạch PAPI 2022 ".into();
        assert_eq!(
            check(&e).unwrap().slug.unwrap().as_str(),
            "ke-hoach-papi-2022"
        );
        e.slug = "?!".into();
        assert!(check(&e).is_err());
    }

    #[test]
    fn publication_times_have_the_input_shape() {
        let mut e = edit("x");
        e.published_local = "2022-03-14T15:00".into();
        assert!(check(&e).is_ok());
        e.published_local = "2022-03-14T15:00:30".into();
        assert!(check(&e).is_ok());
        for bad in [
            "14/03/2022",
            "2022-03-14 15:00",
            "2022-3-14T15:00",
            "2022-03-14T15:00:3",
            "x",
        ] {
            e.published_local = bad.into();
            assert!(check(&e).is_err(), "{bad}");
        }
    }
}
