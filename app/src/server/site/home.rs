//! The home page's blocks ("Thông báo", "Văn bản mới", "Dịch vụ công") as HTML made on the
//! server. They are links and text with nothing to do in the browser, so the browser gets them
//! as markup rather than as view code: rendered by Leptos they added about 25 KB (brotli) of
//! wasm to every citizen's download. Every text and address is escaped here.

use crate::format::{date_vn, time_attr};
use crate::markup::escape;
use crate::model::HomeBlocks;

/// What comes above the news on page `page` of the home page: on the first, a heading for the
/// page, the blocks and the news's heading; on the others, the news's heading, as the page's.
pub fn head_html(page: i64, blocks: Option<&HomeBlocks>) -> String {
    match blocks {
        Some(blocks) if page == 1 => format!(
            "<h1 class=\"visually-hidden\">Trang chủ</h1>{}\
             <h2 class=\"section-title\">Tin tức mới nhất</h2>",
            blocks_html(blocks)
        ),
        _ => format!("<h1 class=\"section-title\">Tin tức mới nhất – trang {page}</h1>"),
    }
}

/// The blocks as HTML: each a `<section>` with its heading, list and "all" link.
fn blocks_html(blocks: &HomeBlocks) -> String {
    let mut out = String::from("<div class=\"home-blocks\">");
    out.push_str(
        "<section class=\"home-block\" aria-labelledby=\"khoi-thong-bao\" data-test=\"home-notices\">\
         <h2 id=\"khoi-thong-bao\" class=\"home-block__title\">Thông báo</h2>",
    );
    if blocks.notices.is_empty() {
        out.push_str("<p class=\"empty-list\">Chưa có thông báo nào.</p>");
    } else {
        out.push_str("<ul class=\"home-block__list\">");
        for post in &blocks.notices {
            out.push_str(&format!(
                "<li><a href=\"/bai-viet/{}\">{}</a> <time class=\"home-block__date\" datetime=\"{}\">{}</time></li>",
                escape(&crate::format::path_segment(&post.slug)),
                escape(&post.title),
                escape(&time_attr(&post.published_at)),
                escape(&date_vn(&post.published_at)),
            ));
        }
        out.push_str("</ul>");
    }
    if let Some(href) = &blocks.notices_href {
        out.push_str(&format!(
            "<p class=\"home-block__more\"><a href=\"{}\">Tất cả thông báo</a></p>",
            escape(href)
        ));
    }
    out.push_str("</section>");

    out.push_str(
        "<section class=\"home-block\" aria-labelledby=\"khoi-van-ban\" data-test=\"home-documents\">\
         <h2 id=\"khoi-van-ban\" class=\"home-block__title\">Văn bản mới</h2>",
    );
    if blocks.documents.is_empty() {
        out.push_str("<p class=\"empty-list\">Chưa có văn bản nào.</p>");
    } else {
        out.push_str("<ul class=\"home-block__list\">");
        for doc in &blocks.documents {
            out.push_str(&format!(
                "<li><a href=\"/van-ban/{}\">{} số {}</a> <span class=\"home-block__date\">{}</span>\
                 <span class=\"home-block__summary\">{}</span></li>",
                doc.id,
                escape(&doc.kind),
                escape(&doc.number),
                escape(&date_vn(&doc.issued_on)),
                escape(&doc.summary),
            ));
        }
        out.push_str("</ul>");
    }
    out.push_str(
        "<p class=\"home-block__more\"><a href=\"/van-ban\">Tất cả văn bản</a></p></section></div>",
    );

    if !blocks.links.is_empty() {
        out.push_str(
            "<section class=\"service-links\" aria-labelledby=\"khoi-dich-vu\" data-test=\"service-links\">\
             <h2 id=\"khoi-dich-vu\" class=\"home-block__title\">Dịch vụ công</h2><ul>",
        );
        for link in &blocks.links {
            let rel = if link.href.starts_with("https://") {
                " rel=\"noopener\""
            } else {
                ""
            };
            out.push_str(&format!(
                "<li><a href=\"{}\"{rel}><span class=\"service-links__label\">{}</span>",
                escape(&link.href),
                escape(&link.label),
            ));
            if !link.description.is_empty() {
                out.push_str(&format!(
                    "<span class=\"service-links__description\">{}</span>",
                    escape(&link.description)
                ));
            }
            out.push_str("</a></li>");
        }
        out.push_str("</ul></section>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PostSummary, ServiceLink};

    #[test]
    fn every_text_and_address_is_escaped() {
        let hostile = "<script>alert(1)</script>\"'&";
        let html = blocks_html(&HomeBlocks {
            notices: vec![PostSummary {
                slug: hostile.into(),
                title: hostile.into(),
                lead: String::new(),
                published_at: time::OffsetDateTime::from_unix_timestamp(1795977000).unwrap(),
                view_count: 0,
            }],
            notices_href: Some("/chuyen-muc/thong-bao".into()),
            documents: Vec::new(),
            links: vec![ServiceLink {
                label: hostile.into(),
                description: hostile.into(),
                href: "/x\"onmouseover=\"alert(1)".into(),
            }],
        });
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("\"onmouseover"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"));
        // A Vietnam date: 01:30 on 30/11 there.
        assert!(html.contains(">30/11/2026</time>"), "{html}");
        assert!(html.contains("Chưa có văn bản nào."));
    }
}
