//! Văn bản: the documents database, its list and search, and the links posts get to the
//! documents they cite.
//!
//! One concern a file: `stored` (a document's row and files), `listing`, `page`, `linking`
//! (references in posts made links), `editing` (the form and its save), over `doc_refs` (the
//! recogniser) and `references` (which posts cite which documents). The functions callers use
//! are re-exported here.

pub mod doc_refs;
pub mod editing;
pub mod linking;
pub mod listing;
pub mod page;
pub mod references;
pub mod stored;

pub use editing::{editor, save, search_text};
pub use linking::{link_html, link_text};
pub use listing::{list, newest, Filters, PER_PAGE};
pub use page::open;
pub use stored::{files, not_found};
