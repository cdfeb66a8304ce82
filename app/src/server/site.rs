//! Site settings (the settings form's and the weather place's), the menu and the visit
//! counter.

pub mod contact;
pub mod weather;

use sqlx::{QueryBuilder, Sqlite, SqlitePool, Transaction};

use super::accounts::{audit, Actor};
use super::counting::counters::Counters;
use super::internal;
use crate::error::AppError;
use crate::model::{Contact, Link, ServiceLink, SiteInfo, WeatherPlace};

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
pub const EDITABLE: [(&str, &str); 12] = [
    ("commune_name", "tên xã, ví dụ: Xã Dương Quang"),
    ("site_title", "tên cổng thông tin"),
    ("slogan", "khẩu hiệu chạy ở đầu trang"),
    (
        "owner_agency",
        "cơ quan chủ quản, dòng đầu của đầu trang, ví dụ: Ủy ban nhân dân xã Dương Quang",
    ),
    (
        "province",
        "tỉnh, dòng thứ hai của đầu trang, ví dụ: Tỉnh Hưng Yên",
    ),
    ("owner_responsible", "người chịu trách nhiệm nội dung"),
    ("contact_address", "địa chỉ"),
    ("contact_phone", "điện thoại"),
    ("contact_email", "thư điện tử"),
    ("office_hours", "giờ làm việc"),
    ("licence", "giấy phép thiết lập cổng"),
    (
        "map_location",
        "vị trí trụ sở trên bản đồ: vĩ độ, kinh độ, ví dụ: 20.9651, 106.0103",
    ),
];

/// The office on OpenStreetMap: at `location` ("vĩ độ, kinh độ") when it is set, else a
/// search for `address`; None when both are empty. A link, not an embedded map: nothing is
/// asked of another site until the reader follows it.
pub fn map_link(location: &str, address: &str) -> Option<String> {
    if let Some((lat, lon)) = parse_location(location) {
        return Some(format!(
            "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
        ));
    }
    (!address.is_empty()).then(|| {
        format!(
            "https://www.openstreetmap.org/search?query={}",
            crate::format::query_value(address)
        )
    })
}

/// "20.9651, 106.0103": a latitude and a longitude on Earth.
fn parse_location(text: &str) -> Option<(f64, f64)> {
    let (lat, lon) = text.split_once(',')?;
    let lat: f64 = lat.trim().parse().ok()?;
    let lon: f64 = lon.trim().parse().ok()?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

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
    let breaks = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if value.chars().count() > 500 || value.chars().any(breaks) {
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
    if key == "map_location" && !value.is_empty() && parse_location(&value).is_none() {
        let numbers = value.split_once(',').is_some_and(|(lat, lon)| {
            lat.trim().parse::<f64>().is_ok() && lon.trim().parse::<f64>().is_ok()
        });
        return Err(AppError::BadRequest(if numbers {
            "Vĩ độ phải từ -90 đến 90 và kinh độ từ -180 đến 180 (ở Việt Nam: vĩ độ khoảng 8 \
             đến 24, kinh độ khoảng 102 đến 110)."
                .into()
        } else {
            "Vị trí trên bản đồ gồm vĩ độ và kinh độ cách nhau bằng dấu phẩy, phần thập phân \
             viết bằng dấu chấm, ví dụ: 20.9651, 106.0103."
                .into()
        }));
    }
    if key == "contact_email" && !value.is_empty() {
        // Letters, digits and `._%+-` before the @, a host name after: nothing a mailto: link
        // would read as more (`?cc=`, `&subject=`).
        let valid = value.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty()
                && user
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
                && domain.contains('.')
                && !domain.starts_with('.')
                && domain
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
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
        // A write first, never a read: a transaction that read before writing cannot wait for
        // another writer (SQLite answers "database is locked" at once); a write waits its turn.
        // An unchanged value changes no row, and gets no audit line.
        let changed = sqlx::query(
            "INSERT INTO site_settings (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value
             WHERE site_settings.value IS NOT excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await
        .map_err(internal("storing a site setting"))?
        .rows_affected();
        if changed == 1 {
            audit(&mut tx, actor, "Sửa cài đặt cổng", key, value).await?;
        }
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

/// The emblem shown until an admin sets one (`public/bieu-trung.svg`).
pub const DRAWN_EMBLEM: &str = "/bieu-trung.svg";

/// The largest emblem image: it is shown at 56 pixels, on every page, as uploaded.
pub const MAX_EMBLEM_BYTES: i64 = 300 * 1024;
/// Its largest side in pixels: a phone decodes the whole image for a 56-pixel icon.
pub const MAX_EMBLEM_SIDE: i64 = 1024;

/// Sets the header's emblem to the uploaded image `attachment`, or back to the plain drawn
/// one (None), with an audit line. The image becomes public: every page shows it.
pub async fn set_emblem(
    pool: &SqlitePool,
    actor: &Actor,
    attachment: Option<i64>,
) -> Result<(), AppError> {
    let (token, what) = match attachment {
        None => (String::new(), "biểu trưng mặc định".to_string()),
        Some(id) => {
            let stored = super::media::attachments::get(pool, id)
                .await?
                .ok_or_else(|| AppError::NotFound("Không có tệp ảnh này.".into()))?;
            // Once set it is public: only an image the admin uploaded, or already public.
            let own = match actor.user_id {
                Some(user) => super::media::attachments::writer_may_use(pool, id, user).await?,
                None => true,
            };
            if !own {
                return Err(AppError::NotFound("Không có tệp ảnh này.".into()));
            }
            if stored.width.is_none() {
                return Err(AppError::BadRequest(
                    "Biểu trưng phải là một ảnh (PNG, JPEG, GIF hoặc WebP).".into(),
                ));
            }
            let side = stored.width.unwrap_or(0).max(stored.height.unwrap_or(0));
            if side > MAX_EMBLEM_SIDE {
                return Err(AppError::BadRequest(format!(
                    "Ảnh biểu trưng tối đa {MAX_EMBLEM_SIDE} × {MAX_EMBLEM_SIDE} điểm ảnh: ảnh \
                     này {} × {}. Hãy thu nhỏ ảnh (ví dụ 256 × 256) rồi tải lên lại.",
                    stored.width.unwrap_or(0),
                    stored.height.unwrap_or(0)
                )));
            }
            if stored.size > MAX_EMBLEM_BYTES {
                return Err(AppError::BadRequest(format!(
                    "Ảnh biểu trưng tối đa {} KB: ảnh này {}. Hãy chọn ảnh nhỏ hơn (ví dụ \
                     PNG 256 × 256 điểm ảnh).",
                    MAX_EMBLEM_BYTES / 1024,
                    super::media::attachments::size_text(stored.size)
                )));
            }
            let url = stored.public().url;
            (stored.token, format!("ảnh {url}"))
        }
    };
    let mut tx = pool
        .begin()
        .await
        .map_err(internal("settings transaction"))?;
    store(&mut tx, "emblem", &token)
        .await
        .map_err(internal("saving the emblem"))?;
    audit(&mut tx, actor, "Đổi biểu trưng", "emblem", &what).await?;
    tx.commit().await.map_err(internal("settings commit"))
}

/// The address of the emblem's image, if an admin set one.
async fn emblem(pool: &SqlitePool, token: &str) -> Result<Option<String>, AppError> {
    if token.is_empty() {
        return Ok(None);
    }
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM attachments WHERE token = ?")
        .bind(token)
        .fetch_optional(pool)
        .await
        .map_err(internal("reading the emblem"))?;
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(super::media::attachments::get(pool, id)
        .await?
        .map(|stored| stored.public().url))
}

/// The home page's services links, in order.
pub async fn service_links(pool: &SqlitePool) -> Result<Vec<ServiceLink>, AppError> {
    sqlx::query_as("SELECT label, description, href FROM home_links ORDER BY position")
        .fetch_all(pool)
        .await
        .map_err(internal("reading the home page's links"))
}

/// Adds a services link at the end (from the command line): a label of 1 to 100 characters,
/// an address on the portal (`/...`) or an `https://` one.
pub async fn add_service_link(
    pool: &SqlitePool,
    label: &str,
    description: &str,
    href: &str,
) -> Result<i64, AppError> {
    let label = super::text::one_line(label);
    let description = super::text::one_line(description);
    let href = href.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "Tên liên kết phải có từ 1 đến 100 ký tự.".into(),
        ));
    }
    if description.chars().count() > 200 {
        return Err(AppError::BadRequest("Lời mô tả tối đa 200 ký tự.".into()));
    }
    // A path on the portal as browsers read it (no `/\\host`), or https:// and a plain host
    // name: no `user@` before it to make one site look like another.
    let local = crate::links::local_path(href).is_some();
    let https = href.strip_prefix("https://").is_some_and(|rest| {
        let host = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
        host.contains('.')
            && !host.starts_with('.')
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c))
    });
    if !(local || https)
        || href
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\\')
    {
        return Err(AppError::BadRequest(
            "Địa chỉ phải bắt đầu bằng / (trang của cổng) hoặc https://, ví dụ: \
             https://dichvucong.gov.vn."
                .into(),
        ));
    }
    sqlx::query_scalar(
        "INSERT INTO home_links (position, label, description, href)
         VALUES ((SELECT COALESCE(MAX(position), 0) + 1 FROM home_links), ?, ?, ?)
         RETURNING position",
    )
    .bind(&label)
    .bind(&description)
    .bind(href)
    .fetch_one(pool)
    .await
    .map_err(internal("adding a home page link"))
}

/// Removes the `n`th services link (1-based, in order); false if there is none.
pub async fn remove_service_link(pool: &SqlitePool, n: i64) -> Result<bool, AppError> {
    if n < 1 {
        return Ok(false);
    }
    let done = sqlx::query(
        "DELETE FROM home_links
         WHERE position = (SELECT position FROM home_links ORDER BY position LIMIT 1 OFFSET ?)",
    )
    .bind(n - 1)
    .execute(pool)
    .await
    .map_err(internal("removing a home page link"))?;
    Ok(done.rows_affected() == 1)
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

/// Who owns the site and how to reach them, from the settings.
pub async fn contact(pool: &SqlitePool) -> Result<Contact, AppError> {
    let settings = Settings::load(pool, &CONTACT_KEYS).await?;
    Ok(contact_from(&settings))
}

const CONTACT_KEYS: [&str; 9] = [
    "owner_agency",
    "owner_responsible",
    "contact_address",
    "contact_phone",
    "contact_email",
    "province",
    "office_hours",
    "licence",
    "map_location",
];

fn contact_from(settings: &Settings) -> Contact {
    Contact {
        agency: settings.get("owner_agency"),
        responsible: settings.get("owner_responsible"),
        address: settings.get("contact_address"),
        phone: settings.get("contact_phone"),
        email: settings.get("contact_email"),
        province: settings.get("province"),
        office_hours: settings.get("office_hours"),
        licence: settings.get("licence"),
        map: map_link(
            &settings.get("map_location"),
            &settings.get("contact_address"),
        ),
    }
}

/// The commune's name, as the home page's heading says it.
pub async fn commune_name(pool: &SqlitePool) -> Result<String, AppError> {
    Ok(Settings::load(pool, &["commune_name"])
        .await?
        .get("commune_name"))
}

/// The main menu, in its order.
pub async fn menu(pool: &SqlitePool) -> Result<Vec<Link>, AppError> {
    let menu: Vec<(String, String)> =
        sqlx::query_as("SELECT label, href FROM menu_items ORDER BY position")
            .fetch_all(pool)
            .await
            .map_err(internal("reading the menu"))?;
    Ok(menu
        .into_iter()
        .map(|(label, href)| Link { label, href })
        .collect())
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
            &[
                "commune_name",
                "site_title",
                "slogan",
                "weather_place",
                "weather_latitude",
                "weather_longitude",
                "emblem",
            ][..],
            &CONTACT_KEYS,
        ]
        .concat(),
    )
    .await?;
    let (visits, flushed): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE((SELECT value FROM counters WHERE name = 'visits'), 0),
                COALESCE((SELECT value FROM counters WHERE name = 'flush_seq'), 0)",
    )
    .fetch_one(pool)
    .await
    .map_err(internal("reading the visit counter"))?;
    Ok(SiteInfo {
        commune_name: settings.get("commune_name"),
        site_title: settings.get("site_title"),
        slogan: settings.get("slogan"),
        visits: super::counting::live::visits(counters, visits, flushed),
        weather: weather.current(),
        weather_place: weather::place_from(settings.pairs()),
        clip: super::media::clips::current(pool, counters).await?,
        menu: menu(pool).await?,
        contact: contact_from(&settings),
        emblem: emblem(pool, &settings.get("emblem"))
            .await?
            .unwrap_or_else(|| DRAWN_EMBLEM.to_string()),
        public_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_link_is_at_the_coordinates_or_searches_the_address() {
        assert_eq!(
            map_link("20.9651, 106.0103", "Xã Dương Quang").as_deref(),
            Some(
                "https://www.openstreetmap.org/?mlat=20.9651&mlon=106.0103#map=17/20.9651/106.0103"
            )
        );
        assert_eq!(
            map_link("", "Xã Dương Quang, tỉnh Hưng Yên").as_deref(),
            Some("https://www.openstreetmap.org/search?query=X%C3%A3+D%C6%B0%C6%A1ng+Quang%2C+t%E1%BB%89nh+H%C6%B0ng+Y%C3%AAn")
        );
        assert_eq!(map_link("", ""), None);
        assert!(check("map_location", "91, 10").is_err());
        assert!(check("map_location", "20.9 106").is_err());
        assert_eq!(check("map_location", " 20.9,106 ").unwrap(), "20.9,106");
    }

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
