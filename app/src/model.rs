//! Types that cross the wire between server functions and pages.
//!
//! One concern a file; every type is re-exported here, so callers name `model::Type`.

pub mod accounts;
pub mod common;
pub mod content;
pub mod documents;
pub mod editing;
pub mod made;
pub mod media;
pub mod questions;
pub mod site;
pub mod stats;

pub use accounts::*;
pub use common::*;
pub use content::*;
pub use documents::*;
pub use editing::*;
pub use made::*;
pub use media::*;
pub use site::*;
