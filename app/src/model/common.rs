//! Types the others are made of: moments, days, named links, text with links in it.

use serde::{Deserialize, Serialize};

/// A moment: stored as UTC text `YYYY-MM-DD HH:MM:SS`, shown in Vietnam's time
/// (`format::datetime_vn`, `format::date_vn`).
pub type Instant = time::OffsetDateTime;

/// A calendar day (a document's dates, a forecast's day): stored as `YYYY-MM-DD`.
pub type Day = time::Date;

/// A named link: a breadcrumb, a menu entry, a category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub label: String,
    pub href: String,
}

/// A piece of a text split for linking: kept as text, or made a link (a citation of a document
/// in a post's lead). Data, rendered by `components::linked_text::LinkedText`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Piece {
    Text(String),
    Link {
        href: String,
        class: String,
        text: String,
    },
}

/// Who owns the site and how to reach them: the footer and the contact page. Empty fields are
/// not shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// "Ủy ban nhân dân xã Dương Quang": the header's first line.
    pub agency: String,
    /// "Tỉnh Hưng Yên": the header's second line.
    pub province: String,
    pub responsible: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// "Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu".
    pub office_hours: String,
    /// The licence to run the portal: "Giấy phép số … do … cấp ngày …".
    pub licence: String,
    /// The office on OpenStreetMap (at its coordinates, else a search for the address).
    pub map: Option<String>,
}
