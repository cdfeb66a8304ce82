//! Site settings (the settings form's and the weather place's), the menu and the visit
//! counter.

pub mod weather;

use sqlx::{QueryBuilder, Sqlite, SqlitePool, Transaction};

use super::accounts::{audit, Actor};
use super::counting::counters::Counters;
use super::internal;
use crate::error::AppError;
use crate::model::{Contact, Link, SiteInfo, WeatherPlace};

/// Site settings by key. A missing key reads as "".
pub struct Settings(Vec<(String, String)>);

impl Settings {
    pub async fn load(pool: &SqlitePool, keys: &[&str]) -> Result<Settings, AppError> {
        let mut query =
            QueryBuilder::<Sqlite>::new("SELECT key, value FROM site_settings WHERE key IN (");
        let mut list = query.separated(", ");
        for key in keys {
            list.push_bind(*key);
        }
        query.push(")");
        let rows = query
            .build_query_as()
            .fetch_all(pool)
            .await
            .map_err(internal("reading site settings"))?;
        Ok(Settings(rows))
    }

    pub fn get(&self, key: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

/// Settings that `server setting set` may change, with what each is.
pub const EDITABLE: [(&str, &str); 8] = [
    ("commune_name", "tên xã, ví dụ: Xã Dương Quang"),
    ("site_title", "tên cổng thông tin"),
    ("slogan", "khẩu hiệu chạy ở đầu trang"),
    ("owner_agency", "cơ quan chủ quản"),
    ("owner_responsible", "người chịu trách nhiệm nội dung"),
    ("contact_address", "địa chỉ"),
    ("contact_phone", "điện thoại"),
    ("contact_email", "thư điện tử"),
];

/// A setting's value checked for its key: one line of NFC text, at most 500 characters; the
/// names may not be empty; an e-mail address must look like one.
pub fn check(key: &str, value: &str) -> Result<String, AppError> {
    use unicode_normalization::UnicodeNormalization;
    if !EDITABLE.iter().any(|(k, _)| *k == key) {
        let keys: Vec<&str> = EDITABLE.iter().map(|(k, _)| *k).collect();
        return Err(AppError::BadRequest(format!(
            "Không có mục cài đặt {key:?}. Các mục: {}.",
            keys.join(", ")
        )));
    }
    let value: String = value
        .trim()
        .nfc()
        .filter(|c| !super::text::is_invisible(*c))
        .collect();
    if value.chars().count() > 500 || value.chars().any(char::is_control) {
        return Err(AppError::BadRequest(
            "Giá trị phải là một dòng chữ, tối đa 500 ký tự.".into(),
        ));
    }
    let required = ["commune_name", "site_title", "owner_agency"];
    if value.is_empty() && required.contains(&key) {
        let what = EDITABLE
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key, |(_, d)| *d);
        return Err(AppError::BadRequest(format!(
            "Mục {key} ({what}) không được để trống."
        )));
    }
    if key == "contact_email" && !value.is_empty() {
        let valid = value.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty() && domain.contains('.') && !value.contains(char::is_whitespace)
        });
        if !valid {
            return Err(AppError::BadRequest(
                "Địa chỉ thư điện tử không hợp lệ, ví dụ đúng: ubnd@duongquang.gov.vn.".into(),
            ));
        }
    }
    Ok(value)
}

/// Stores settings (all or none: every value is checked first), each with its audit line.
pub async fn set_many(
    pool: &SqlitePool,
    actor: &Actor,
    pairs: &[(String, String)],
) -> Result<(), AppError> {
    let checked = pairs
        .iter()
        .map(|(key, value)| Ok((key.as_str(), check(key, value)?)))
        .collect::<Result<Vec<_>, AppError>>()?;
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("settings transaction"))?;
    for (key, value) in &checked {
        let old: Option<String> =
            sqlx::query_scalar("SELECT value FROM site_settings WHERE key = ?")
                .bind(key)
                .fetch_optional(&mut *tx)
                .await
                .map_err(internal("reading a site setting"))?;
        if old.as_deref() == Some(value.as_str()) {
            continue;
        }
        store(&mut tx, key, value)
            .await
            .map_err(internal("storing a site setting"))?;
        audit(&mut tx, actor, "Sửa cài đặt cổng", key, value).await?;
    }
    tx.commit().await.map_err(internal("settings commit"))
}

/// Stores one setting, adding it or replacing its value: the one write of a setting, for the
/// settings form and for the weather place.
async fn store(
    tx: &mut Transaction<'_, Sqlite>,
    key: &str,
    value: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO site_settings (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves the weather widget to `place` (checked by [`weather::parse_place`]): three settings
/// and one audit line.
pub async fn set_place(
    pool: &SqlitePool,
    actor: &Actor,
    place: &WeatherPlace,
) -> Result<(), AppError> {
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("settings transaction"))?;
    for (key, value) in [
        ("weather_place", place.name.clone()),
        ("weather_latitude", place.latitude.to_string()),
        ("weather_longitude", place.longitude.to_string()),
    ] {
        store(&mut tx, key, &value)
            .await
            .map_err(internal("saving the weather place"))?;
    }
    audit(
        &mut tx,
        actor,
        "Đổi địa điểm thời tiết",
        &place.name,
        &format!("{}, {}", place.latitude, place.longitude),
    )
    .await?;
    tx.commit().await.map_err(internal("settings commit"))
}

/// Stores a setting from the command line.
pub async fn set(pool: &SqlitePool, key: &str, value: &str) -> Result<(), AppError> {
    set_many(pool, &Actor::command_line(), &[(key.into(), value.into())]).await
}

/// The site's public address: `configured` (PORTAL_PUBLIC_URL) when set; otherwise the scheme
/// the proxy reports (`X-Forwarded-Proto`, else http) and the `Host` the request was sent to,
/// if it looks like a host name.
pub fn public_base(configured: Option<&str>, headers: &http::HeaderMap) -> String {
    if let Some(url) = configured {
        return url.to_string();
    }
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let scheme = match text("x-forwarded-proto") {
        Some(proto) if proto.eq_ignore_ascii_case("https") => "https",
        _ => "http",
    };
    let host = text("host")
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

pub async fn info(
    pool: &SqlitePool,
    counters: &Counters,
    weather: &weather::WeatherService,
    public_url: String,
) -> Result<SiteInfo, AppError> {
    let settings = Settings::load(
        pool,
        &[
            "commune_name",
            "site_title",
            "slogan",
            "weather_place",
            "weather_latitude",
            "weather_longitude",
            "owner_agency",
            "owner_responsible",
            "contact_address",
            "contact_phone",
            "contact_email",
        ],
    )
    .await?;
    let (visits, flushed): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE((SELECT value FROM counters WHERE name = 'visits'), 0),
                COALESCE((SELECT value FROM counters WHERE name = 'flush_seq'), 0)",
    )
    .fetch_one(pool)
    .await
    .map_err(internal("reading the visit counter"))?;
    let menu: Vec<(String, String)> =
        sqlx::query_as("SELECT label, href FROM menu_items ORDER BY position")
            .fetch_all(pool)
            .await
            .map_err(internal("reading the menu"))?;
    Ok(SiteInfo {
        commune_name: settings.get("commune_name"),
        site_title: settings.get("site_title"),
        slogan: settings.get("slogan"),
        visits: super::counting::live::visits(counters, visits, flushed),
        weather: weather.current(),
        weather_place: weather::place_from(settings.pairs()),
        clip: super::media::clips::current(pool, counters).await?,
        menu: menu
            .into_iter()
            .map(|(label, href)| Link { label, href })
            .collect(),
        contact: Contact {
            agency: settings.get("owner_agency"),
            responsible: settings.get("owner_responsible"),
            address: settings.get("contact_address"),
            phone: settings.get("contact_phone"),
            email: settings.get("contact_email"),
        },
        public_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_base_comes_from_configuration_or_the_request() {
        let mut headers = http::HeaderMap::new();
        assert_eq!(public_base(None, &headers), "http://localhost");
        headers.insert("host", "xa.example.vn".parse().unwrap());
        assert_eq!(public_base(None, &headers), "http://xa.example.vn");
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        assert_eq!(public_base(None, &headers), "https://xa.example.vn");
        headers.insert("host", "evil\"><script>".parse().unwrap());
        assert_eq!(public_base(None, &headers), "https://localhost");
        assert_eq!(
            public_base(Some("https://duongquang.gov.vn"), &headers),
            "https://duongquang.gov.vn"
        );
    }
}
