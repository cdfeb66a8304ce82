//! Site settings and the visit counter.

use sqlx::SqlitePool;

use super::internal;
use crate::error::AppError;
use crate::model::SiteInfo;

pub async fn info(pool: &SqlitePool) -> Result<SiteInfo, AppError> {
    let settings: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, value FROM site_settings WHERE key IN ('commune_name', 'site_title', 'slogan')",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("reading site settings"))?;
    let setting = |key: &str| {
        settings
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let visits: i64 = sqlx::query_scalar(
        "SELECT COALESCE((SELECT value FROM counters WHERE name = 'visits'), 0)",
    )
    .fetch_one(pool)
    .await
    .map_err(internal("reading the visit counter"))?;
    Ok(SiteInfo {
        commune_name: setting("commune_name"),
        site_title: setting("site_title"),
        slogan: setting("slogan"),
        visits,
    })
}

/// Counts one visit (a new browser session).
pub async fn record_visit(pool: &SqlitePool) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO counters (name, value) VALUES ('visits', 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1",
    )
    .execute(pool)
    .await
    .map_err(internal("counting a visit"))?;
    Ok(())
}
