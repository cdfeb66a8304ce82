//! Categories: a tree stored as data. A category's list holds its own posts and those of its
//! subcategories.

use sqlx::SqlitePool;

use crate::error::AppError;
use crate::model::{CategoryNode, Link, SiteMap};
use crate::server::internal;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Category {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub parent_id: Option<i64>,
}

impl Category {
    pub fn link(&self) -> Link {
        Link {
            label: self.name.clone(),
            href: format!("/chuyen-muc/{}", self.slug),
        }
    }
}

/// Every category, in menu order (by position, then name).
pub async fn all(pool: &SqlitePool) -> Result<Vec<Category>, AppError> {
    sqlx::query_as(
        "SELECT id, slug, name, description, parent_id FROM categories ORDER BY position, name",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("reading categories"))
}

/// `id` and its ancestors, the outermost first.
pub fn path(all: &[Category], id: i64) -> Vec<Link> {
    let mut path = Vec::new();
    let mut next = Some(id);
    // The depth bound stops a cycle someone wrote into the table by hand.
    while let Some(category) = next.and_then(|id| all.iter().find(|c| c.id == id)) {
        if path.len() > all.len() {
            break;
        }
        path.push(category.link());
        next = category.parent_id;
    }
    path.reverse();
    path
}

pub fn not_found() -> AppError {
    AppError::NotFound("Không có chuyên mục này. Đường dẫn có thể đã bị sai.".into())
}

/// The site map: the category tree with counts of published posts, and the static pages.
pub async fn site_map(pool: &SqlitePool) -> Result<SiteMap, AppError> {
    let all = all(pool).await?;
    let counts: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT category_id, COUNT(*) FROM posts
         WHERE status = 'published' AND kind = 'post' AND category_id IS NOT NULL
         GROUP BY category_id",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("counting posts per category"))?;
    let pages: Vec<(String, String)> = sqlx::query_as(
        "SELECT slug, title FROM posts WHERE status = 'published' AND kind = 'page' ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("listing static pages"))?;
    fn nodes(
        all: &[Category],
        counts: &[(i64, i64)],
        parent: Option<i64>,
        depth: usize,
    ) -> Vec<CategoryNode> {
        if depth > all.len() {
            return Vec::new();
        }
        all.iter()
            .filter(|c| c.parent_id == parent)
            .map(|c| {
                let children = nodes(all, counts, Some(c.id), depth + 1);
                let own = counts
                    .iter()
                    .find(|(id, _)| *id == c.id)
                    .map_or(0, |(_, n)| *n);
                CategoryNode {
                    link: c.link(),
                    posts: own + children.iter().map(|n| n.posts).sum::<i64>(),
                    children,
                }
            })
            .collect()
    }
    Ok(SiteMap {
        categories: nodes(&all, &counts, None, 0),
        pages: pages
            .into_iter()
            .map(|(slug, title)| Link {
                label: title,
                href: format!("/trang/{slug}"),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(id: i64, slug: &str, parent_id: Option<i64>) -> Category {
        Category {
            id,
            slug: slug.into(),
            name: slug.to_uppercase(),
            description: String::new(),
            parent_id,
        }
    }

    #[test]
    fn a_path_runs_from_the_root_down_and_survives_a_cycle() {
        let all = [
            category(1, "a", None),
            category(2, "b", Some(1)),
            category(3, "c", Some(2)),
        ];
        let hrefs: Vec<String> = path(&all, 3).into_iter().map(|l| l.href).collect();
        assert_eq!(hrefs, ["/chuyen-muc/a", "/chuyen-muc/b", "/chuyen-muc/c"]);
        assert!(path(&all, 9).is_empty());
        let cycle = [category(1, "a", Some(2)), category(2, "b", Some(1))];
        assert!(path(&cycle, 1).len() <= 3);
    }
}
