//! For machines: the RSS 2.0 feed of the newest posts, `sitemap.xml` and `robots.txt`. Links
//! are absolute, built on the site's public address (`base`, e.g. `https://duongquang.gov.vn`).

use sqlx::SqlitePool;

use crate::error::AppError;
use crate::format::{civil_days, weekday};
use crate::server::content::categories;
use crate::server::content::posts::SUBTREE;
use crate::server::html::escape;
use crate::server::internal;
use crate::server::site::Settings;

/// Posts in the feed.
pub const FEED_ITEMS: i64 = 20;

/// A stored UTC timestamp `2022-03-14 08:00:00` as RFC 822, `Mon, 14 Mar 2022 08:00:00 +0000`.
pub fn rfc822(utc: &str) -> Option<String> {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (days, y, m, d) = civil_days(utc)?;
    let time = utc
        .get(11..19)
        .filter(|t| t.len() == 8)
        .unwrap_or("00:00:00");
    Some(format!(
        "{}, {d:02} {} {y:04} {time} +0000",
        DAYS[weekday(days)],
        MONTHS[(m - 1) as usize]
    ))
}

/// The feed of the newest posts: of the whole site, or of one category (`category`, a slug:
/// its posts and those of its subcategories).
pub async fn rss(
    pool: &SqlitePool,
    base: &str,
    category: Option<&str>,
) -> Result<String, AppError> {
    let settings = Settings::load(pool, &["site_title", "commune_name"]).await?;
    let site_title = settings.get("site_title");
    let (title, description, link, self_link, category_id) = match category {
        None => (
            site_title,
            format!("Tin tức, thông báo của {}", settings.get("commune_name")),
            format!("{base}/"),
            format!("{base}/rss.xml"),
            None,
        ),
        Some(slug) => {
            let all = categories::all(pool).await?;
            let category = all
                .iter()
                .find(|c| c.slug == slug)
                .ok_or_else(categories::not_found)?;
            (
                format!("{} – {site_title}", category.name),
                if category.description.is_empty() {
                    category.name.clone()
                } else {
                    category.description.clone()
                },
                format!("{base}/chuyen-muc/{slug}"),
                format!("{base}/chuyen-muc/{slug}/rss.xml"),
                Some(category.id),
            )
        }
    };
    let sql = format!(
        "{} SELECT slug, title, lead, published_at FROM posts
         WHERE status = 'published' AND kind = 'post' {}
         ORDER BY published_at DESC, id DESC LIMIT ?",
        if category_id.is_some() { SUBTREE } else { "" },
        if category_id.is_some() {
            "AND category_id IN (SELECT id FROM subtree)"
        } else {
            ""
        },
    );
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    if let Some(id) = category_id {
        query = query.bind(id);
    }
    let posts: Vec<(String, String, String, String)> = query
        .bind(FEED_ITEMS)
        .fetch_all(pool)
        .await
        .map_err(internal("reading posts for the feed"))?;
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\
         <title>{}</title>\n<link>{}</link>\n\
         <description>{}</description>\n<language>vi</language>\n\
         <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        escape(&title),
        escape(&link),
        escape(&description),
        escape(&self_link),
    );
    if let Some(newest) = posts.first().and_then(|p| rfc822(&p.3)) {
        xml.push_str(&format!("<lastBuildDate>{newest}</lastBuildDate>\n"));
    }
    for (slug, title, lead, published_at) in &posts {
        let link = escape(&format!("{base}/bai-viet/{slug}"));
        xml.push_str(&format!(
            "<item>\n<title>{}</title>\n<link>{link}</link>\n<guid isPermaLink=\"true\">{link}</guid>\n\
             <description>{}</description>\n",
            escape(title),
            escape(lead),
        ));
        if let Some(date) = rfc822(published_at) {
            xml.push_str(&format!("<pubDate>{date}</pubDate>\n"));
        }
        xml.push_str("</item>\n");
    }
    xml.push_str("</channel>\n</rss>\n");
    Ok(xml)
}

/// The public pages: home, site map, every category, every published post and static page,
/// with the date each last changed where known.
pub async fn sitemap(pool: &SqlitePool, base: &str) -> Result<String, AppError> {
    let posts: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT slug, updated_at, kind FROM posts WHERE status = 'published'
         ORDER BY kind, published_at DESC, id DESC",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("reading posts for the sitemap"))?;
    let categories = categories::all(pool).await?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let newest = posts.iter().map(|p| p.1.as_str()).max();
    xml.push_str(&format!("<url><loc>{base}/</loc>"));
    if let Some(date) = newest.and_then(|d| d.get(..10)) {
        xml.push_str(&format!("<lastmod>{date}</lastmod>"));
    }
    xml.push_str("<changefreq>daily</changefreq></url>\n");
    xml.push_str(&format!("<url><loc>{base}/so-do-trang</loc></url>\n"));
    for category in &categories {
        xml.push_str(&format!(
            "<url><loc>{base}/chuyen-muc/{}</loc><changefreq>daily</changefreq></url>\n",
            escape(&category.slug)
        ));
    }
    let documents: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, substr(updated_at, 1, 10) FROM documents ORDER BY id")
            .fetch_all(pool)
            .await
            .map_err(internal("reading documents for the sitemap"))?;
    xml.push_str(&format!(
        "<url><loc>{base}/van-ban</loc><changefreq>weekly</changefreq></url>\n"
    ));
    for (id, updated_on) in &documents {
        xml.push_str(&format!(
            "<url><loc>{base}/van-ban/{id}</loc><lastmod>{updated_on}</lastmod></url>\n"
        ));
    }
    for (slug, updated_at, kind) in &posts {
        let path = if kind == "page" { "trang" } else { "bai-viet" };
        xml.push_str(&format!(
            "<url><loc>{base}/{path}/{}</loc><lastmod>{}</lastmod></url>\n",
            escape(slug),
            updated_at.get(..10).unwrap_or_default()
        ));
    }
    xml.push_str("</urlset>\n");
    Ok(xml)
}

pub fn robots(base: &str) -> String {
    format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /quan-tri/\nDisallow: /dang-nhap\n\
         Disallow: /doi-mat-khau\nDisallow: /tim-kiem\n\nSitemap: {base}/sitemap.xml\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc_822_and_text_is_escaped() {
        assert_eq!(
            rfc822("2022-03-14 08:00:00").as_deref(),
            Some("Mon, 14 Mar 2022 08:00:00 +0000")
        );
        assert_eq!(
            rfc822("2024-02-29 23:59:59").as_deref(),
            Some("Thu, 29 Feb 2024 23:59:59 +0000")
        );
        assert_eq!(rfc822("không phải ngày"), None);
        assert_eq!(
            escape("A & <b> \"c\" 'd'\u{1}"),
            "A &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39;"
        );
    }
}
