//! What citizens read: posts, lists of them, categories, the site map and search.

use serde::{Deserialize, Serialize};

use super::common::{Contact, Instant, Link, Piece};
use super::editing::Stage;
use super::media::ImageRendition;

/// A post as listed on the home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PostSummary {
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub published_at: Instant,
    pub view_count: i64,
}

/// One page of the list of published posts, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostList {
    pub posts: Vec<PostSummary>,
    /// 1-based.
    pub page: i64,
    pub total_pages: i64,
}

/// A whole post, as shown on its own page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Post {
    pub id: i64,
    pub stage: Stage,
    pub created_by: Option<i64>,
    pub slug: String,
    pub title: String,
    pub lead: String,
    /// Sanitised HTML of the body, stored by the server.
    pub body_html: String,
    pub published_at: Instant,
    /// Includes the view that fetched this post.
    pub view_count: i64,
    /// False for a draft, which only officials see.
    pub published: bool,
    /// The post's category and its ancestors, the outermost first (empty for none).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub category: Vec<Link>,
    /// The lead, references to documents on the portal made links.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub lead_linked: Vec<Piece>,
    /// The summary for search engines (empty: the lead is used).
    pub description: String,
    pub image_alt: String,
    /// The featured image, if the post has one.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub image: Option<ImageRendition>,
    /// Who asked, for an answer to a citizen's question (`api::questions::post_aside`); never
    /// stored.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub question: Option<super::questions::QuestionAside>,
    /// The owner's contact details, shown after the body of the Liên hệ page only
    /// (`components::contact`).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub contact: Option<Contact>,
}

/// A category's page: its place in the tree, its subcategories and a page of its posts (those
/// of its subcategories included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryPage {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Ancestors, the outermost first.
    pub parents: Vec<Link>,
    pub children: Vec<Link>,
    pub list: PostList,
}

/// A category in the site map, with its published posts counted (subcategories included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryNode {
    pub link: Link,
    pub posts: i64,
    pub children: Vec<CategoryNode>,
}

/// The HTML site map: the menu, every category and every static page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteMap {
    pub categories: Vec<CategoryNode>,
    pub pages: Vec<Link>,
}

/// A run of text, marked when it matched the words searched for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    pub text: String,
    pub hit: bool,
}

/// One search result: its title and a snippet of its text, matched words marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub href: String,
    pub title: Vec<Fragment>,
    pub snippet: Vec<Fragment>,
    /// When a post was published; None for a static page, which has no date a reader needs.
    pub published_at: Option<Instant>,
    /// "Trang" for a static page, else the post's category (or empty).
    pub section: String,
}

/// A page of search results. `query` is the text as typed (NFC); empty: nothing asked yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    /// Results counted, at most `SEARCH_COUNT_LIMIT`; `more` says there are more than that.
    pub total: i64,
    pub more: bool,
    pub page: i64,
    pub total_pages: i64,
    pub hits: Vec<SearchHit>,
}

/// Search results are counted up to this many ("hơn 1.000 kết quả").
pub const SEARCH_COUNT_LIMIT: i64 = 1000;

/// Posts shown per page of a list.
pub const POSTS_PER_PAGE: i64 = 10;
