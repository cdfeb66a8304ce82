//! Integration tests: each test starts the real router on 127.0.0.1:0 against its own fresh
//! SQLite file and talks HTTP to it.

mod accounts;
mod assets;
mod attachments;
mod cache;
mod clips;
mod counting;
mod documents;
mod editing;
mod feeds;
mod finding;
mod hardening;
mod helpers;
mod limits;
mod operations;
mod owner;
mod pages;
mod process;
mod questions;
mod server_fns;
mod visits;
mod weather;
