//! One file per route.

pub mod accounts;
pub mod audit;
pub mod home;
pub mod not_found;
pub mod password;
pub mod post;
pub mod sign_in;
