//! Types that cross the wire between server functions and pages.

use serde::{Deserialize, Serialize};

/// A post as listed on the home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PostSummary {
    pub slug: String,
    pub title: String,
    pub lead: String,
    /// UTC timestamp `YYYY-MM-DD HH:MM:SS`.
    pub published_at: String,
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
    pub slug: String,
    pub title: String,
    pub lead: String,
    /// Sanitised HTML of the body, stored by the server.
    pub body_html: String,
    pub published_at: String,
    /// Includes the view that fetched this post.
    pub view_count: i64,
}

/// What every page shows around its content: the header, the slogan and the sidebar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub commune_name: String,
    pub site_title: String,
    pub slogan: String,
    pub visits: i64,
}

/// Posts shown per page of a list.
pub const POSTS_PER_PAGE: i64 = 10;
