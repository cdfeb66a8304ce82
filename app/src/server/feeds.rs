//! For machines: the RSS 2.0 feed of the newest posts, `sitemap.xml` and `robots.txt`. Links
//! are absolute, built on the site's public address (`base`, e.g. `https://duongquang.gov.vn`).

use sqlx::SqlitePool;

use super::internal;
use crate::error::AppError;
use crate::format::{civil_days, weekday};

/// Posts in the feed.
pub const FEED_ITEMS: i64 = 20;

/// Text for XML content and attributes.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

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

pub async fn rss(pool: &SqlitePool, base: &str) -> Result<String, AppError> {
    let settings: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, value FROM site_settings WHERE key IN ('site_title', 'commune_name')",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("reading site settings for the feed"))?;
    let setting = |key: &str| {
        settings
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let posts: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT slug, title, lead, published_at FROM posts WHERE status = 'published'
         ORDER BY published_at DESC, id DESC LIMIT ?",
    )
    .bind(FEED_ITEMS)
    .fetch_all(pool)
    .await
    .map_err(internal("reading posts for the feed"))?;
    let title = xml_escape(&setting("site_title"));
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\
         <title>{title}</title>\n<link>{base}/</link>\n\
         <description>Tin tức, thông báo của {}</description>\n<language>vi</language>\n\
         <atom:link href=\"{base}/rss.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        xml_escape(&setting("commune_name")),
    );
    if let Some(newest) = posts.first().and_then(|p| rfc822(&p.3)) {
        xml.push_str(&format!("<lastBuildDate>{newest}</lastBuildDate>\n"));
    }
    for (slug, title, lead, published_at) in &posts {
        let link = format!("{base}/bai-viet/{slug}");
        xml.push_str(&format!(
            "<item>\n<title>{}</title>\n<link>{link}</link>\n<guid isPermaLink=\"true\">{link}</guid>\n\
             <description>{}</description>\n",
            xml_escape(title),
            xml_escape(lead),
        ));
        if let Some(date) = rfc822(published_at) {
            xml.push_str(&format!("<pubDate>{date}</pubDate>\n"));
        }
        xml.push_str("</item>\n");
    }
    xml.push_str("</channel>\n</rss>\n");
    Ok(xml)
}

/// The home page and every published post, with the date each last changed.
pub async fn sitemap(pool: &SqlitePool, base: &str) -> Result<String, AppError> {
    let posts: Vec<(String, String)> = sqlx::query_as(
        "SELECT slug, updated_at FROM posts WHERE status = 'published'
         ORDER BY published_at DESC, id DESC",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("reading posts for the sitemap"))?;
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
    for (slug, updated_at) in &posts {
        xml.push_str(&format!(
            "<url><loc>{base}/bai-viet/{}</loc><lastmod>{}</lastmod></url>\n",
            xml_escape(slug),
            updated_at.get(..10).unwrap_or_default()
        ));
    }
    xml.push_str("</urlset>\n");
    Ok(xml)
}

pub fn robots(base: &str) -> String {
    format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /quan-tri/\nDisallow: /dang-nhap\n\
         Disallow: /doi-mat-khau\n\nSitemap: {base}/sitemap.xml\n"
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
            xml_escape("A & <b> \"c\" 'd'\u{1}"),
            "A &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;"
        );
    }
}
