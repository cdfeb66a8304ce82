//! Posts: listing and reading.

use sqlx::SqlitePool;

use super::internal;
use crate::error::AppError;
use crate::model::{Post, PostList, PostSummary, POSTS_PER_PAGE};

/// Longest page number accepted, in digits; longer input is refused before parsing.
const MAX_PAGE_DIGITS: usize = 9;

/// The `?trang=` value of a list: absent means the first page.
pub fn parse_page(raw: Option<&str>) -> Result<i64, AppError> {
    let Some(raw) = raw.map(str::trim) else {
        return Ok(1);
    };
    let invalid = || {
        AppError::BadRequest(
            "Số trang không hợp lệ: số trang phải là một số nguyên dương, ví dụ ?trang=2.".into(),
        )
    };
    if raw.is_empty() || raw.len() > MAX_PAGE_DIGITS || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    match raw.parse::<i64>() {
        Ok(page) if page >= 1 => Ok(page),
        _ => Err(invalid()),
    }
}

/// Page `page` (1-based) of the published posts, newest first.
pub async fn list_published(pool: &SqlitePool, page: i64) -> Result<PostList, AppError> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM posts WHERE status = 'published'")
        .fetch_one(pool)
        .await
        .map_err(internal("counting published posts"))?;
    let total_pages = ((total + POSTS_PER_PAGE - 1) / POSTS_PER_PAGE).max(1);
    if page > total_pages {
        return Err(AppError::NotFound(format!(
            "Không có trang {page}: danh sách bài viết chỉ có {total_pages} trang."
        )));
    }
    let posts = sqlx::query_as::<_, PostSummary>(
        "SELECT slug, title, lead, published_at, view_count FROM posts
         WHERE status = 'published'
         ORDER BY published_at DESC, id DESC
         LIMIT ? OFFSET ?",
    )
    .bind(POSTS_PER_PAGE)
    .bind((page - 1) * POSTS_PER_PAGE)
    .fetch_all(pool)
    .await
    .map_err(internal("listing published posts"))?;
    Ok(PostList {
        posts,
        page,
        total_pages,
    })
}

/// A published post by its slug. With `count`, one view is added in the same statement and the
/// returned count includes it.
pub async fn open(pool: &SqlitePool, slug: &str, count: bool) -> Result<Post, AppError> {
    let not_found = || {
        AppError::NotFound(
            "Không tìm thấy bài viết này. Bài viết có thể đã được gỡ xuống hoặc đường dẫn bị sai."
                .into(),
        )
    };
    if slug.is_empty() || slug.len() > 200 {
        return Err(not_found());
    }
    let sql = if count {
        "UPDATE posts SET view_count = view_count + 1
         WHERE slug = ? AND status = 'published'
         RETURNING slug, title, lead, body_html, published_at, view_count"
    } else {
        "SELECT slug, title, lead, body_html, published_at, view_count FROM posts
         WHERE slug = ? AND status = 'published'"
    };
    sqlx::query_as::<_, Post>(sql)
        .bind(slug)
        .fetch_optional(pool)
        .await
        .map_err(internal("opening a post"))?
        .ok_or_else(not_found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_parse_or_explain() {
        assert_eq!(parse_page(None), Ok(1));
        assert_eq!(parse_page(Some("1")), Ok(1));
        assert_eq!(parse_page(Some(" 12 ")), Ok(12));
        for bad in ["", "0", "-1", "abc", "1.5", "2e3", "9999999999", "+3"] {
            assert!(
                matches!(parse_page(Some(bad)), Err(AppError::BadRequest(_))),
                "{bad:?} should be refused"
            );
        }
    }
}
