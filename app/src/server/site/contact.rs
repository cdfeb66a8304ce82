//! The Liên hệ page: the static page that shows the owner's contact details (`site::contact`,
//! from the settings) after its body; `components::contact` shows them.

/// The static page that shows them.
pub const PAGE: &str = "lien-he";
