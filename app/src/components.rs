//! Pieces shared by pages: the frame around every page, the slogan banner, sidebar widgets.

pub mod banner;
pub mod breadcrumbs;
pub mod charts;
pub mod contact;
pub mod data_table;
pub mod document_form;
pub mod editor;
pub mod error_view;
pub mod layout;
pub mod linked_text;
pub mod official;
pub mod page_meta;
pub mod pagination;
pub mod post_meta;
pub mod reading;
pub mod sidebar;
pub mod video;
pub mod weather;
