//! One file per route.

pub mod accounts;
pub mod audit;
pub mod category;
pub mod documents;
pub mod editing;
pub mod home;
pub mod not_found;
pub mod password;
pub mod post;
pub mod questions;
pub mod search;
pub mod sign_in;
pub mod site_map;
pub mod static_page;
pub mod statistics;
