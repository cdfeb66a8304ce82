//! Posts: listing and reading.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use crate::error::AppError;
use crate::model::{CategoryPage, Official, Post, PostList, PostSummary, Role, POSTS_PER_PAGE};
use crate::server::content::categories;
use crate::server::counting::counters::{Counters, Viewed};
use crate::server::counting::live;
use crate::server::counting::visitors::Viewer;
use crate::server::documents;
use crate::server::documents::references::Citations;
use crate::server::internal;
use crate::server::media::attachments;

/// A row with what is needed to add the views not yet written to its count.
#[derive(sqlx::FromRow)]
struct Counted<T> {
    id: i64,
    /// `counters.flush_seq` in the same snapshot as the row.
    flushed: i64,
    #[sqlx(flatten)]
    item: T,
}

/// `SELECT <columns>, flushed FROM ...`: `flush_seq` beside each row (SQLite computes it once
/// per statement).
macro_rules! select_counted {
    ($columns:literal, $rest:literal) => {
        concat!("SELECT ", counted!($columns), " ", $rest)
    };
}

/// `<columns>, flushed`: the columns of a [`Counted`] row.
macro_rules! counted {
    ($columns:literal) => {
        concat!(
            $columns,
            ", COALESCE((SELECT value FROM counters WHERE name = 'flush_seq'), 0) AS flushed"
        )
    };
}

/// Which published posts a list holds.
#[derive(Clone, Copy, Debug)]
pub enum PostFilter {
    /// Every news post (static pages are not news).
    All,
    /// A category's posts and those of its subcategories.
    Category(i64),
}

impl PostFilter {
    /// `SELECT <columns> FROM posts WHERE …` over the published news posts the filter selects,
    /// for the caller to go on with `ORDER BY`, `LIMIT`. A category's subtree is a recursive
    /// `WITH` before the `SELECT`, its id a bound parameter.
    pub fn select(self, columns: &str) -> QueryBuilder<Sqlite> {
        let mut query = QueryBuilder::new("");
        if let PostFilter::Category(id) = self {
            query
                .push("WITH RECURSIVE subtree(id) AS (SELECT id FROM categories WHERE id = ")
                .push_bind(id)
                .push(
                    " UNION SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id) ",
                );
        }
        query
            .push("SELECT ")
            .push(columns)
            .push(" FROM posts WHERE status = 'published' AND kind = 'post'");
        if let PostFilter::Category(_) = self {
            query.push(" AND category_id IN (SELECT id FROM subtree)");
        }
        query
    }
}

pub async fn list_published(
    pool: &SqlitePool,
    counters: &Counters,
    page: i64,
) -> Result<PostList, AppError> {
    list_where(pool, counters, PostFilter::All, page).await
}

/// Page `page` (1-based) of the published posts `filter` selects, newest first.
pub async fn list_where(
    pool: &SqlitePool,
    counters: &Counters,
    filter: PostFilter,
    page: i64,
) -> Result<PostList, AppError> {
    let total: i64 = filter
        .select("COUNT(*)")
        .build_query_scalar()
        .fetch_one(pool)
        .await
        .map_err(internal("counting published posts"))?;
    let total_pages = ((total + POSTS_PER_PAGE - 1) / POSTS_PER_PAGE).max(1);
    if page > total_pages {
        return Err(AppError::NotFound(format!(
            "Không có trang {page}: danh sách bài viết chỉ có {total_pages} trang."
        )));
    }
    let mut select = filter.select(counted!("id, slug, title, lead, published_at, view_count"));
    select
        .push(" ORDER BY published_at DESC, id DESC LIMIT ")
        .push_bind(POSTS_PER_PAGE)
        .push(" OFFSET ")
        .push_bind((page - 1) * POSTS_PER_PAGE);
    let rows = select
        .build_query_as::<Counted<PostSummary>>()
        .fetch_all(pool)
        .await
        .map_err(internal("listing published posts"))?;
    let posts = rows
        .into_iter()
        .map(|row| PostSummary {
            view_count: live::views(
                counters,
                Viewed::Post(row.id),
                row.item.view_count,
                row.flushed,
            ),
            ..row.item
        })
        .collect();
    Ok(PostList {
        posts,
        page,
        total_pages,
    })
}

/// What a slug names: a news post (`/bai-viet/...`) or a static page (`/trang/...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Post,
    Page,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Post => "post",
            Kind::Page => "page",
        }
    }
}

#[derive(sqlx::FromRow)]
struct Opened {
    id: i64,
    flushed: i64,
    category_id: Option<i64>,
    image_id: Option<i64>,
    /// Whether its citations are in `post_references` (false only for an import).
    references_scanned: bool,
    #[sqlx(flatten)]
    item: Post,
}

/// A published post or page by its slug, or one not published for an official who may edit it
/// (a writer their own drafts, editors any). A `viewer` counts a view (once per repeat window
/// for a known browser), and the count returned includes it.
pub async fn open(
    pool: &SqlitePool,
    counters: &Counters,
    kind: Kind,
    slug: &str,
    viewer: Option<Viewer>,
    reader: Option<&Official>,
) -> Result<Post, AppError> {
    let not_found = || {
        AppError::NotFound(match kind {
            Kind::Post => "Không tìm thấy bài viết này. Bài viết có thể đã được gỡ xuống hoặc đường dẫn bị sai.".into(),
            Kind::Page => "Không tìm thấy trang này. Đường dẫn có thể đã bị sai.".into(),
        })
    };
    if slug.is_empty() || slug.len() > 200 {
        return Err(not_found());
    }
    let row = sqlx::query_as::<_, Opened>(select_counted!(
        "id, stage, created_by, slug, title, lead, body_html, published_at, view_count, category_id,
         description, image_alt, image_id, references_scanned, status = 'published' AS published",
        "FROM posts WHERE slug = ? AND kind = ? AND (status = 'published' OR (? AND stage <> 'trash'))"
    ))
    .bind(slug)
    .bind(kind.as_str())
    .bind(reader.is_some())
    .fetch_optional(pool)
    .await
    .map_err(internal("opening a post"))?
    .ok_or_else(not_found)?;
    let may_read = row.item.published
        || reader.is_some_and(|official| {
            official.can(Role::Editor) || official.may_edit(row.item.stage, row.item.created_by)
        });
    if !may_read {
        return Err(not_found());
    }
    if let Some(viewer) = viewer {
        counters.record_view(Viewed::Post(row.id), viewer.visitor);
    }
    // Served again from the cache, the page counts each reader's view there.
    live::counted(Viewed::Post(row.id));
    let category = match row.category_id {
        Some(id) => categories::path(&categories::all(pool).await?, id),
        None => Vec::new(),
    };
    // References to documents on the portal become links, in the lead and the body.
    let citations = Citations::of_post(pool, row.id, row.references_scanned).await?;
    let lead_linked = documents::link_text(&row.item.lead, &citations);
    let body_html = documents::link_html(&row.item.body_html, &citations);
    let image = match row.image_id {
        Some(id) => attachments::get(pool, id)
            .await?
            .and_then(|stored| stored.public().image),
        None => None,
    };
    Ok(Post {
        view_count: live::views(
            counters,
            Viewed::Post(row.id),
            row.item.view_count,
            row.flushed,
        ),
        category,
        lead_linked,
        body_html,
        image,
        ..row.item
    })
}

/// A category's page `page`: its place in the tree and its posts, newest first.
pub async fn category_page(
    pool: &SqlitePool,
    counters: &Counters,
    slug: &str,
    page: i64,
) -> Result<CategoryPage, AppError> {
    let all = categories::all(pool).await?;
    let category = all
        .iter()
        .find(|c| c.slug == slug)
        .ok_or_else(categories::not_found)?;
    let mut parents = categories::path(&all, category.id);
    parents.pop();
    let children = all
        .iter()
        .filter(|c| c.parent_id == Some(category.id))
        .map(categories::Category::link)
        .collect();
    let list = list_where(pool, counters, PostFilter::Category(category.id), page).await?;
    Ok(CategoryPage {
        slug: category.slug.clone(),
        name: category.name.clone(),
        description: category.description.clone(),
        parents,
        children,
        list,
    })
}
