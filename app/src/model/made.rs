//! Pages made on the server as HTML: the citizens' reading pages.

use serde::{Deserialize, Serialize};

use super::common::Instant;
use super::editing::Stage;

/// A citizens' reading page (home, a post, a category, a static page, search, the site map,
/// the documents and a document) made on the server: what its head says, and its content as
/// HTML rendered there from the page's components. The browser shows the HTML as it is, so
/// none of those components, nor the types of their data, are in the citizens' wasm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    /// The page's own title (empty: the site's).
    pub title: String,
    pub description: String,
    /// The page's path, for the canonical address.
    pub path: String,
    pub date: Option<Instant>,
    /// A news article (Open Graph).
    pub article: bool,
    pub image: Option<String>,
    /// The page's own feed (a category's): its title and address.
    pub feed: Option<(String, String)>,
    /// Kept out of search engines' indexes (search results).
    pub noindex: bool,
    pub html: String,
}

impl Reading {
    /// A page of `html` with its title, description and path: no date, image or feed.
    pub fn new(
        title: impl Into<String>,
        description: impl Into<String>,
        path: impl Into<String>,
        html: String,
    ) -> Reading {
        Reading {
            title: title.into(),
            description: description.into(),
            path: path.into(),
            date: None,
            article: false,
            image: None,
            feed: None,
            noindex: false,
            html,
        }
    }
}

/// A post's reading page, with what the officials' tools above it need.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostReading {
    pub page: Reading,
    pub id: i64,
    pub stage: Stage,
    pub created_by: Option<i64>,
}
