//! Site settings and the visit counter.

use sqlx::SqlitePool;

use super::counters::Counters;
use super::internal;
use crate::error::AppError;
use crate::model::SiteInfo;

pub async fn info(
    pool: &SqlitePool,
    counters: &Counters,
    weather: &super::weather::WeatherService,
) -> Result<SiteInfo, AppError> {
    let settings: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, value FROM site_settings WHERE key IN
         ('commune_name', 'site_title', 'slogan', 'weather_place', 'weather_latitude', 'weather_longitude')",
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
    let (visits, flushed): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE((SELECT value FROM counters WHERE name = 'visits'), 0),
                COALESCE((SELECT value FROM counters WHERE name = 'flush_seq'), 0)",
    )
    .fetch_one(pool)
    .await
    .map_err(internal("reading the visit counter"))?;
    Ok(SiteInfo {
        commune_name: setting("commune_name"),
        site_title: setting("site_title"),
        slogan: setting("slogan"),
        visits: counters.visits(visits, flushed),
        weather: weather.current(),
        weather_place: super::weather::place_from(&settings),
        clip: super::clips::current(pool, counters).await?,
    })
}
