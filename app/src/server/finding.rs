//! Finding things: Vietnamese full-text search and the feeds and sitemap for machines.

pub mod feeds;
pub mod search;
