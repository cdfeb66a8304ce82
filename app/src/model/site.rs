//! What the site shows around its content: the owner's details, the header and sidebar, the
//! home page's blocks, the weather and the video clips.

use serde::{Deserialize, Serialize};

use super::common::{Contact, Day, Instant, Link};
use super::content::{PostList, PostSummary};
use super::documents::DocumentRow;

/// What every page shows around its content: the header, the slogan and the sidebar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub commune_name: String,
    pub site_title: String,
    pub slogan: String,
    pub visits: i64,
    /// The last good weather, if the service ever answered (`components::weather` shows it).
    pub weather: Option<Weather>,
    pub weather_place: WeatherPlace,
    /// The clip the "Video Clip" widget shows (`components::video`), if any.
    pub clip: Option<Clip>,
    /// The main menu, in order.
    pub menu: Vec<Link>,
    pub contact: Contact,
    /// The address of the header's emblem: the one an admin set (the national emblem), or the
    /// plain drawn one (`/bieu-trung.svg`).
    pub emblem: String,
    /// The site's public address without a final slash, for canonical links.
    pub public_url: String,
}

/// A link of the home page's services block: administrative procedures, the national
/// public-service portal (`home_links`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ServiceLink {
    pub label: String,
    pub description: String,
    pub href: String,
}

/// The home page: a page of the news, and on the first page the blocks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub list: PostList,
    /// The blocks, on the first page only (`pages::home` shows them above the news).
    pub blocks: Option<HomeBlocks>,
}

/// The home page's blocks beside the news: the latest announcements (category "Thông báo"),
/// the newest documents and the services links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeBlocks {
    pub notices: Vec<PostSummary>,
    /// The category the notices come from ("/chuyen-muc/thong-bao"); None if it is gone.
    pub notices_href: Option<String>,
    pub documents: Vec<DocumentRow>,
    pub links: Vec<ServiceLink>,
}

/// The weather at the commune, as the sidebar shows it. Filled by the server from the weather
/// service; the browser never calls that service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Weather {
    pub place: String,
    /// When the answer came.
    pub fetched_at: Instant,
    pub current: CurrentWeather,
    /// Today and the next days.
    pub days: Vec<DayForecast>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentWeather {
    /// °C.
    pub temperature: f64,
    /// %.
    pub humidity: i64,
    /// km/h.
    pub wind_speed: f64,
    /// Degrees, where the wind comes from.
    pub wind_direction: i64,
    /// WMO weather interpretation code.
    pub code: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayForecast {
    /// The local day.
    pub date: Day,
    pub code: i64,
    pub max: f64,
    pub min: f64,
    /// Highest chance of rain in the day, %.
    pub rain_chance: Option<i64>,
}

/// Where the weather is shown for, as admins set it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeatherPlace {
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
}

/// Where a clip plays from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClipSource {
    /// A YouTube video, played through youtube-nocookie.com once the reader presses play.
    YouTube { id: String },
    /// A file uploaded to the portal, served from `/media/`, with its captions (WebVTT) if any.
    File {
        url: String,
        mime: String,
        captions: Option<String>,
    },
}

/// A video clip of the sidebar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clip {
    pub id: i64,
    pub title: String,
    pub source: ClipSource,
    pub view_count: i64,
    /// UTC `YYYY-MM-DD HH:MM:SS`.
    pub created_at: Instant,
}
