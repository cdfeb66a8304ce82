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
