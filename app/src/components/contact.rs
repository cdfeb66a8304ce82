//! The owner's contact details on the Liên hệ page: a description list with nothing to do in
//! the browser (the page is made on the server, `pages::static_page`). Empty settings are left
//! out.

use leptos::prelude::*;

use crate::model::Contact;

/// The details as a `<section>`: agency, address, phone, e-mail, office hours, licence, map.
#[component]
pub fn ContactDetails(contact: Contact) -> impl IntoView {
    let text = |term: &'static str, value: String| {
        (!value.is_empty()).then(|| view! { <dt>{term}</dt><dd>{value}</dd> })
    };
    let link = |term: &'static str, href: String, words: String| {
        view! { <dt>{term}</dt><dd><a href=href>{words}</a></dd> }
    };
    let phone = (!contact.phone.is_empty()).then(|| {
        let href = format!("tel:{}", crate::format::dial(&contact.phone));
        link("Điện thoại", href, contact.phone.clone())
    });
    let email = (!contact.email.is_empty()).then(|| {
        let href = format!("mailto:{}", contact.email);
        link("Thư điện tử", href, contact.email.clone())
    });
    let map = contact
        .map
        .map(|href| link("Bản đồ", href, "Xem vị trí trên OpenStreetMap".into()));
    view! {
        <section class="contact" aria-labelledby="lien-he-tieu-de" data-test="contact">
            <h2 id="lien-he-tieu-de">"Thông tin liên hệ"</h2>
            <dl class="contact__list">
                {text("Cơ quan", contact.agency)}
                {text("Địa chỉ", contact.address)}
                {phone}
                {email}
                {text("Giờ làm việc", contact.office_hours)}
                {text("Giấy phép", contact.licence)}
                {map}
            </dl>
        </section>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::components::reading::made;

    #[test]
    fn empty_details_are_left_out_and_every_text_is_escaped() {
        let html = made(|| {
            view! {
                <ContactDetails contact=Contact {
                    agency: "Ủy ban <b>nhân dân</b>".into(),
                    phone: "0221 3.861.234".into(),
                    email: "a\"@b.vn".into(),
                    map: Some("https://www.openstreetmap.org/?mlat=1&mlon=2".into()),
                    ..Contact::default()
                }/>
            }
        });
        assert!(
            html.contains("<dd>Ủy ban &lt;b&gt;nhân dân&lt;/b&gt;</dd>"),
            "{html}"
        );
        assert!(html.contains("href=\"tel:02213861234\""), "{html}");
        assert!(html.contains("href=\"mailto:a&quot;@b.vn\""), "{html}");
        assert!(
            html.contains("href=\"https://www.openstreetmap.org/?mlat=1&amp;mlon=2\""),
            "{html}"
        );
        assert!(!html.contains("Địa chỉ") && !html.contains("Giờ làm việc"));
    }
}
