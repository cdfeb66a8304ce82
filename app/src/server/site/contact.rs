//! The owner's contact details on the Liên hệ page, as HTML made on the server: a description
//! list with nothing to do in the browser, so it costs the citizens' wasm nothing. Empty
//! settings are left out; every text and address is escaped.

use crate::markup::escape;
use crate::model::Contact;

/// The static page that shows them.
pub const PAGE: &str = "lien-he";

/// The details as a `<section>`: agency, address, phone, e-mail, office hours, licence, map.
pub fn html(contact: &Contact) -> String {
    let mut rows = String::new();
    let mut row = |term: &str, value: String| {
        rows.push_str(&format!("<dt>{term}</dt><dd>{value}</dd>"));
    };
    let text = |value: &str| (!value.is_empty()).then(|| escape(value));
    let link =
        |href: String, words: &str| format!("<a href=\"{}\">{}</a>", escape(&href), escape(words));
    if let Some(agency) = text(&contact.agency) {
        row("Cơ quan", agency);
    }
    if let Some(address) = text(&contact.address) {
        row("Địa chỉ", address);
    }
    if !contact.phone.is_empty() {
        let href = format!("tel:{}", crate::format::dial(&contact.phone));
        row("Điện thoại", link(href, &contact.phone));
    }
    if !contact.email.is_empty() {
        row(
            "Thư điện tử",
            link(format!("mailto:{}", contact.email), &contact.email),
        );
    }
    if let Some(hours) = text(&contact.office_hours) {
        row("Giờ làm việc", hours);
    }
    if let Some(licence) = text(&contact.licence) {
        row("Giấy phép", licence);
    }
    if let Some(map) = &contact.map {
        row("Bản đồ", link(map.clone(), "Xem vị trí trên OpenStreetMap"));
    }
    format!(
        "<section class=\"contact\" aria-labelledby=\"lien-he-tieu-de\" data-test=\"contact\">\
         <h2 id=\"lien-he-tieu-de\">Thông tin liên hệ</h2><dl class=\"contact__list\">{rows}</dl></section>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_details_are_left_out_and_every_text_is_escaped() {
        let html = html(&Contact {
            agency: "Ủy ban <b>nhân dân</b>".into(),
            phone: "0221 3.861.234".into(),
            email: "a\"@b.vn".into(),
            map: Some("https://www.openstreetmap.org/?mlat=1&mlon=2".into()),
            ..Contact::default()
        });
        assert!(
            html.contains("<dd>Ủy ban &lt;b&gt;nhân dân&lt;/b&gt;</dd>"),
            "{html}"
        );
        assert!(html.contains("href=\"tel:02213861234\""));
        assert!(html.contains("href=\"mailto:a&quot;@b.vn\""));
        assert!(html.contains("href=\"https://www.openstreetmap.org/?mlat=1&amp;mlon=2\""));
        assert!(!html.contains("Địa chỉ") && !html.contains("Giờ làm việc"));
    }
}
