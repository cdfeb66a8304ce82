//! For machines: the RSS 2.0 feed of the newest posts, `sitemap.xml` and `robots.txt`. Links
//! are absolute, built on the site's public address (`base`, e.g. `https://duongquang.gov.vn`).

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::model::Instant;
use crate::routes::{Listed, Source};
use crate::server::content::categories;
use crate::server::content::posts::PostFilter;
use crate::server::internal;
use crate::server::site::Settings;

/// Posts in the feed.
pub const FEED_ITEMS: i64 = 20;

/// An instant in RFC 2822 (RSS's date format): `Mon, 14 Mar 2022 08:00:00 +0000`.
pub fn rfc2822(instant: Instant) -> String {
    instant
        .to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc2822)
        .unwrap_or_default()
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
    let filter = category_id.map_or(PostFilter::All, PostFilter::Category);
    let mut query = filter.select("slug, title, lead, published_at");
    query
        .push(" ORDER BY published_at DESC, id DESC LIMIT ")
        .push_bind(FEED_ITEMS);
    let posts: Vec<(String, String, String, Instant)> = query
        .build_query_as()
        .fetch_all(pool)
        .await
        .map_err(internal("reading posts for the feed"))?;
    let mut xml = Xml::new();
    xml.open_with(
        "rss",
        &[
            ("version", "2.0"),
            ("xmlns:atom", "http://www.w3.org/2005/Atom"),
        ],
    );
    xml.open("channel");
    xml.text_element("title", &title);
    xml.text_element("link", &link);
    xml.text_element("description", &description);
    xml.text_element("language", "vi");
    xml.empty(
        "atom:link",
        &[
            ("href", self_link.as_str()),
            ("rel", "self"),
            ("type", "application/rss+xml"),
        ],
    );
    if let Some(newest) = posts.first().map(|p| rfc2822(p.3)) {
        xml.text_element("lastBuildDate", &newest);
    }
    for (slug, title, lead, published_at) in &posts {
        let link = format!("{base}/bai-viet/{slug}");
        xml.open("item");
        xml.text_element("title", title);
        xml.text_element("link", &link);
        xml.open_with("guid", &[("isPermaLink", "true")]);
        xml.text(&link);
        xml.close("guid");
        xml.text_element("description", lead);
        xml.text_element("pubDate", &rfc2822(*published_at));
        xml.close("item");
    }
    xml.close("channel");
    xml.close("rss");
    Ok(xml.finish())
}

/// The public pages the page table lists (`routes::Listed`): home, site map, every category,
/// document, published post and static page, Hỏi đáp, with the date each last changed where
/// known.
pub async fn sitemap(pool: &SqlitePool, base: &str) -> Result<String, AppError> {
    let posts: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT slug, updated_at, kind FROM posts WHERE status = 'published'
         ORDER BY kind, published_at DESC, id DESC",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("reading posts for the sitemap"))?;
    let categories = categories::all(pool).await?;
    let documents: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, substr(updated_at, 1, 10) FROM documents ORDER BY id")
            .fetch_all(pool)
            .await
            .map_err(internal("reading documents for the sitemap"))?;
    let mut xml = Xml::new();
    xml.open_with(
        "urlset",
        &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")],
    );
    let newest = posts.iter().map(|p| p.1.as_str()).max();
    let mut url = |loc: String, lastmod: Option<&str>, changefreq: Option<&str>| {
        xml.open("url");
        xml.text_element("loc", &loc);
        if let Some(date) = lastmod {
            xml.text_element("lastmod", date);
        }
        if let Some(freq) = changefreq {
            xml.text_element("changefreq", freq);
        }
        xml.close("url");
    };
    // Every page the table lists (`routes::PAGES`), in its order: a fixed page once, a page
    // with a parameter once for each of what it ranges over.
    for page in crate::routes::PAGES {
        match page.listed {
            Listed::No => {}
            Listed::Itself => {
                let path = page.fixed_path().unwrap_or(page.pattern);
                match path {
                    "/" => url(
                        format!("{base}/"),
                        newest.and_then(|d| d.get(..10)),
                        Some("daily"),
                    ),
                    "/van-ban" => url(format!("{base}{path}"), None, Some("weekly")),
                    _ => url(format!("{base}{path}"), None, None),
                }
            }
            Listed::Each(Source::Categories) => {
                for category in &categories {
                    url(
                        format!("{base}/chuyen-muc/{}", category.slug),
                        None,
                        Some("daily"),
                    );
                }
            }
            Listed::Each(Source::Documents) => {
                for (id, updated_on) in &documents {
                    url(format!("{base}/van-ban/{id}"), Some(updated_on), None);
                }
            }
            Listed::Each(source @ (Source::Posts | Source::StaticPages)) => {
                let pages = source == Source::StaticPages;
                for (slug, updated_at, kind) in posts.iter().filter(|p| (p.2 == "page") == pages) {
                    url(
                        format!("{base}{}", crate::links::post_path(kind, slug)),
                        updated_at.get(..10),
                        None,
                    );
                }
            }
        }
    }
    xml.close("urlset");
    Ok(xml.finish())
}

/// An XML document written with quick-xml, which escapes every text and attribute value. Text
/// is first stripped of the characters XML 1.0 does not allow at all (control characters).
struct Xml(Writer<Vec<u8>>);

impl Xml {
    fn new() -> Xml {
        let mut writer = Writer::new(Vec::new());
        writer
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .expect("writing to memory");
        writer.get_mut().push(b'\n');
        Xml(writer)
    }

    fn open(&mut self, name: &str) {
        self.open_with(name, &[]);
    }

    fn open_with(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let start = Self::start(name, attributes);
        self.0
            .write_event(Event::Start(start))
            .expect("writing to memory");
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let start = Self::start(name, attributes);
        self.0
            .write_event(Event::Empty(start))
            .expect("writing to memory");
        self.0.get_mut().push(b'\n');
    }

    fn start<'a>(name: &'a str, attributes: &[(&'a str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attributes {
            start.push_attribute((*key, allowed(value).as_str()));
        }
        start
    }

    fn text(&mut self, text: &str) {
        self.0
            .write_event(Event::Text(BytesText::new(&allowed(text))))
            .expect("writing to memory");
    }

    fn close(&mut self, name: &str) {
        self.0
            .write_event(Event::End(BytesEnd::new(name)))
            .expect("writing to memory");
        self.0.get_mut().push(b'\n');
    }

    /// `<name>text</name>` on a line of its own.
    fn text_element(&mut self, name: &str, text: &str) {
        self.open(name);
        self.text(text);
        self.close(name);
    }

    fn finish(self) -> String {
        String::from_utf8(self.0.into_inner()).expect("written from strings")
    }
}

/// `text` without the characters XML 1.0 forbids (all control characters but tab, line feed
/// and carriage return).
fn allowed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
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
        let at = |text| crate::format::parse_utc(text).unwrap();
        assert_eq!(
            rfc2822(at("2022-03-14 08:00:00")),
            "Mon, 14 Mar 2022 08:00:00 +0000"
        );
        assert_eq!(
            rfc2822(at("2024-02-29 23:59:59")),
            "Thu, 29 Feb 2024 23:59:59 +0000"
        );
        let mut xml = Xml::new();
        xml.text_element("t", "A & <b> \"c\" 'd'\u{1}");
        xml.empty("e", &[("href", "x\"><y z=\"1")]);
        let out = xml.finish();
        assert!(
            out.contains("<t>A &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;</t>"),
            "{out}"
        );
        assert!(
            out.contains("<e href=\"x&quot;&gt;&lt;y z=&quot;1\"/>"),
            "{out}"
        );
    }
}
