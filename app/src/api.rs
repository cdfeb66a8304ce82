//! Server functions, one file per domain. Each is thin: check the caller, parse the input,
//! call `crate::server`, map errors to [`AppError`](crate::error::AppError).
//! The server's router turns an `AppError` answer into its HTTP status.

pub mod accounts;
pub mod auth;
pub mod clips;
pub mod documents;
pub mod editing;
pub mod operations;
pub mod posts;
pub mod questions;
pub mod search;
pub mod site;
