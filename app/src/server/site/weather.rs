//! The weather widget's data: fetched by the server from Open-Meteo's forecast API (or any
//! service answering in its format), kept in memory and in the database, and refreshed by one
//! background task. Pages read the last good answer from memory and never wait for the service;
//! a thousand readers cause no call at all. The place is a site setting, saved with the others
//! (`site::set_place`).

use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde::Deserialize;
use sqlx::SqlitePool;

use crate::error::AppError;
use crate::model::{CurrentWeather, DayForecast, Instant, Weather, WeatherPlace};
use crate::server::internal;
use crate::server::time::{stored, Clock};

#[derive(Clone, Debug)]
pub struct WeatherConfig {
    /// Base of the forecast API: `<base>/v1/forecast?...`.
    pub base_url: String,
    /// Time between two calls while the service answers.
    pub refresh: Duration,
    /// Time between two calls while it fails.
    pub retry: Duration,
    /// The longest a call may take.
    pub timeout: Duration,
}

impl Default for WeatherConfig {
    fn default() -> Self {
        WeatherConfig {
            base_url: "https://api.open-meteo.com".into(),
            refresh: Duration::from_secs(30 * 60),
            retry: Duration::from_secs(2 * 60),
            timeout: Duration::from_secs(5),
        }
    }
}

/// Days of forecast shown after today.
pub const FORECAST_DAYS: usize = 3;

#[derive(Clone)]
pub struct WeatherService {
    inner: Arc<Inner>,
}

struct Inner {
    config: WeatherConfig,
    client: reqwest::Client,
    last: RwLock<Option<Weather>>,
    /// Wakes the refresher early, when admins move the place.
    wake: tokio::sync::Notify,
}

impl WeatherService {
    pub fn new(config: WeatherConfig) -> WeatherService {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .user_agent(concat!("portal/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        WeatherService {
            inner: Arc::new(Inner {
                config,
                client,
                last: RwLock::new(None),
                wake: tokio::sync::Notify::new(),
            }),
        }
    }

    pub fn config(&self) -> &WeatherConfig {
        &self.inner.config
    }

    /// The last good answer, from memory.
    pub fn current(&self) -> Option<Weather> {
        self.inner
            .last
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Loads the last good answer stored before a restart.
    pub async fn load(&self, pool: &SqlitePool) -> Result<(), AppError> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT json FROM weather_cache WHERE id = 1")
                .fetch_optional(pool)
                .await
                .map_err(internal("reading the stored weather"))?;
        if let Some(weather) = json.and_then(|j| serde_json::from_str::<Weather>(&j).ok()) {
            *self.inner.last.write().unwrap_or_else(|e| e.into_inner()) = Some(weather);
        }
        Ok(())
    }

    /// Asks the refresher to call the service now.
    pub fn refresh_soon(&self) {
        self.inner.wake.notify_one();
    }

    /// Waits until the next call is due: `after`, or sooner when woken.
    pub async fn wait(&self, after: Duration) {
        tokio::select! {
            _ = tokio::time::sleep(after) => {}
            _ = self.inner.wake.notified() => {}
        }
    }

    /// Calls the service for the configured place. On success the answer replaces the last one
    /// in memory and in the database; on failure the last one stays, and the reason is returned.
    pub async fn refresh(&self, pool: &SqlitePool, clock: &Clock) -> Result<(), String> {
        let place = place(pool).await.map_err(|e| e.to_string())?;
        let url = format!(
            "{}/v1/forecast?latitude={}&longitude={}\
             &current=temperature_2m,relative_humidity_2m,weather_code,wind_speed_10m,wind_direction_10m\
             &daily=weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max\
             &timezone=Asia%2FHo_Chi_Minh&forecast_days={}&wind_speed_unit=kmh",
            self.inner.config.base_url.trim_end_matches('/'),
            place.latitude,
            place.longitude,
            FORECAST_DAYS + 1,
        );
        let response = self
            .inner
            .client
            .get(&url)
            .send()
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|e| format!("answer cut short: {e}"))?;
        if !status.is_success() {
            return Err(format!(
                "status {status}: {}",
                body.chars().take(200).collect::<String>()
            ));
        }
        let weather = parse(&place.name, &body, clock.instant())?;
        let json = serde_json::to_string(&weather).map_err(|e| e.to_string())?;
        sqlx::query(
            "INSERT INTO weather_cache (id, fetched_at, json) VALUES (1, ?, ?)
             ON CONFLICT (id) DO UPDATE SET fetched_at = excluded.fetched_at, json = excluded.json",
        )
        .bind(stored(weather.fetched_at))
        .bind(json)
        .execute(pool)
        .await
        .map_err(|e| format!("cannot store the weather: {e}"))?;
        *self.inner.last.write().unwrap_or_else(|e| e.into_inner()) = Some(weather);
        crate::server::changes::changed();
        Ok(())
    }
}

#[derive(Deserialize)]
struct Answer {
    current: Current,
    daily: Daily,
}

#[derive(Deserialize)]
struct Current {
    temperature_2m: f64,
    relative_humidity_2m: f64,
    weather_code: f64,
    wind_speed_10m: f64,
    wind_direction_10m: f64,
}

#[derive(Deserialize)]
struct Daily {
    time: Vec<String>,
    weather_code: Vec<Option<f64>>,
    temperature_2m_max: Vec<Option<f64>>,
    temperature_2m_min: Vec<Option<f64>>,
    #[serde(default)]
    precipitation_probability_max: Vec<Option<f64>>,
}

/// Reads an answer in Open-Meteo's format. Anything missing or out of place is an error: a
/// half-read forecast is not shown.
pub fn parse(place: &str, body: &str, fetched_at: Instant) -> Result<Weather, String> {
    let answer: Answer = serde_json::from_str(body).map_err(|e| format!("not a forecast: {e}"))?;
    let c = answer.current;
    if !(-90.0..=70.0).contains(&c.temperature_2m)
        || !(0.0..=100.0).contains(&c.relative_humidity_2m)
    {
        return Err("values out of range".into());
    }
    let d = answer.daily;
    let mut days = Vec::new();
    for (i, date) in d.time.iter().enumerate().take(FORECAST_DAYS + 1) {
        let (Some(Some(code)), Some(Some(max)), Some(Some(min))) = (
            d.weather_code.get(i),
            d.temperature_2m_max.get(i),
            d.temperature_2m_min.get(i),
        ) else {
            return Err(format!("day {date} incomplete"));
        };
        days.push(DayForecast {
            date: crate::format::parse_date(date)
                .filter(|_| date.len() == 10)
                .ok_or_else(|| format!("day {date} is not a date"))?,
            code: code.round() as i64,
            max: *max,
            min: *min,
            rain_chance: d
                .precipitation_probability_max
                .get(i)
                .copied()
                .flatten()
                .map(|p| p.round() as i64),
        });
    }
    if days.is_empty() {
        return Err("no days in the forecast".into());
    }
    Ok(Weather {
        place: place.to_string(),
        fetched_at,
        current: CurrentWeather {
            temperature: c.temperature_2m,
            humidity: c.relative_humidity_2m.round() as i64,
            wind_speed: c.wind_speed_10m,
            wind_direction: c.wind_direction_10m.round() as i64,
            code: c.weather_code.round() as i64,
        },
        days,
    })
}

/// The place the weather is for, from the site settings.
pub async fn place(pool: &SqlitePool) -> Result<WeatherPlace, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, value FROM site_settings
         WHERE key IN ('weather_place', 'weather_latitude', 'weather_longitude')",
    )
    .fetch_all(pool)
    .await
    .map_err(internal("reading the weather place"))?;
    Ok(place_from(&rows))
}

/// The place among site settings read as (key, value) rows.
pub fn place_from(rows: &[(String, String)]) -> WeatherPlace {
    let get = |key: &str| rows.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    WeatherPlace {
        name: get("weather_place").unwrap_or("Hưng Yên").to_string(),
        latitude: get("weather_latitude")
            .and_then(|v| v.parse().ok())
            .unwrap_or(20.6464),
        longitude: get("weather_longitude")
            .and_then(|v| v.parse().ok())
            .unwrap_or(106.0511),
    }
}

/// A place as an admin typed it: a name and coordinates in range.
pub fn parse_place(name: &str, latitude: &str, longitude: &str) -> Result<WeatherPlace, AppError> {
    use unicode_normalization::UnicodeNormalization;
    let name: String = name.trim().nfc().collect();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "Tên địa điểm phải có từ 1 đến 100 ký tự.".into(),
        ));
    }
    // Vietnamese habit writes 20,6464: accept the comma.
    let number = |raw: &str| raw.trim().replace(',', ".").parse::<f64>().ok();
    let latitude = number(latitude)
        .filter(|v| (-90.0..=90.0).contains(v))
        .ok_or_else(|| {
            AppError::BadRequest("Vĩ độ phải là một số từ -90 đến 90, ví dụ 20,6464.".into())
        })?;
    let longitude = number(longitude)
        .filter(|v| (-180.0..=180.0).contains(v))
        .ok_or_else(|| {
            AppError::BadRequest("Kinh độ phải là một số từ -180 đến 180, ví dụ 106,0511.".into())
        })?;
    Ok(WeatherPlace {
        name,
        latitude,
        longitude,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const SAMPLE: &str = r#"{"latitude":20.625,"longitude":106.0625,"generationtime_ms":0.1,"utc_offset_seconds":25200,"timezone":"Asia/Ho_Chi_Minh","timezone_abbreviation":"GMT+7","elevation":5.0,
      "current_units":{"time":"iso8601","interval":"seconds","temperature_2m":"°C","relative_humidity_2m":"%","weather_code":"wmo code","wind_speed_10m":"km/h","wind_direction_10m":"°"},
      "current":{"time":"2026-11-27T14:30","interval":900,"temperature_2m":24.6,"relative_humidity_2m":78,"weather_code":80,"wind_speed_10m":9.4,"wind_direction_10m":135},
      "daily_units":{"time":"iso8601","weather_code":"wmo code","temperature_2m_max":"°C","temperature_2m_min":"°C","precipitation_probability_max":"%"},
      "daily":{"time":["2026-11-27","2026-11-28","2026-11-29","2026-11-30"],"weather_code":[80,3,61,0],"temperature_2m_max":[26.1,25.0,23.4,27.9],"temperature_2m_min":[19.8,18.2,17.5,16.9],"precipitation_probability_max":[70,20,85,null]}}"#;

    #[test]
    fn an_open_meteo_answer_is_read() {
        let at = crate::format::parse_utc("2026-11-27 07:31:00").unwrap();
        let w = parse("Hưng Yên", SAMPLE, at).unwrap();
        assert_eq!(w.current.code, 80);
        assert_eq!(w.current.humidity, 78);
        assert_eq!(w.current.wind_direction, 135);
        assert_eq!(w.days.len(), 4);
        assert_eq!(crate::format::iso_date(w.days[2].date), "2026-11-29");
        assert_eq!(w.days[2].rain_chance, Some(85));
        assert_eq!(w.days[3].rain_chance, None);
    }

    #[test]
    fn broken_answers_are_refused() {
        let at = crate::format::parse_utc("2026-11-27 07:31:00").unwrap();
        for body in [
            "",
            "<html>502 Bad Gateway</html>",
            r#"{"error":true,"reason":"Latitude must be in range of -90 to 90°."}"#,
            r#"{"current":{"temperature_2m":24.6},"daily":{"time":[]}}"#,
            &SAMPLE.replace("[26.1,", "[null,"),
            &SAMPLE.replace("\"temperature_2m\":24.6", "\"temperature_2m\":900"),
        ] {
            assert!(parse("Hưng Yên", body, at).is_err(), "{body}");
        }
    }

    #[test]
    fn places_are_checked() {
        let p = parse_place(" Dương Quang ", "20,65", "106.05").unwrap();
        assert_eq!(
            (p.name.as_str(), p.latitude, p.longitude),
            ("Dương Quang", 20.65, 106.05)
        );
        assert!(parse_place("", "20", "106").is_err());
        assert!(parse_place("X", "91", "106").is_err());
        assert!(parse_place("X", "20", "abc").is_err());
    }
}
