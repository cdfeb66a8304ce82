//! The "Thời tiết" widget: current conditions and the next days, in Vietnamese, from the data
//! the server keeps; admins move it to another place in place.

use leptos::prelude::*;

use crate::api::site::SetWeatherPlace;
use crate::components::official::{reload, use_official, FormResult};
use crate::format::datetime_vn;
use crate::model::{Role, Weather, WeatherPlace};

/// What a WMO weather code means, in Vietnamese, and the icon drawn for it.
pub fn describe(code: i64) -> (&'static str, Icon) {
    match code {
        0 => ("Trời quang", Icon::Sun),
        1 => ("Ít mây", Icon::SunCloud),
        2 => ("Có mây", Icon::SunCloud),
        3 => ("Nhiều mây", Icon::Cloud),
        45 | 48 => ("Sương mù", Icon::Fog),
        51 => ("Mưa phùn nhẹ", Icon::Rain),
        53 => ("Mưa phùn", Icon::Rain),
        55 => ("Mưa phùn dày", Icon::Rain),
        56 | 57 => ("Mưa phùn lạnh buốt", Icon::Rain),
        61 => ("Mưa nhỏ", Icon::Rain),
        63 => ("Mưa vừa", Icon::Rain),
        65 => ("Mưa to", Icon::Rain),
        66 | 67 => ("Mưa lạnh buốt", Icon::Rain),
        71 | 73 | 75 | 77 | 85 | 86 => ("Tuyết rơi", Icon::Snow),
        80 => ("Mưa rào nhẹ", Icon::Rain),
        81 => ("Mưa rào", Icon::Rain),
        82 => ("Mưa rào rất to", Icon::Rain),
        95 => ("Dông", Icon::Storm),
        96 | 99 => ("Dông kèm mưa đá", Icon::Storm),
        _ => ("Không rõ", Icon::Cloud),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Sun,
    SunCloud,
    Cloud,
    Fog,
    Rain,
    Storm,
    Snow,
}

/// Where the wind comes from, on an 8-point compass.
pub fn wind_from(degrees: i64) -> &'static str {
    const NAMES: [&str; 8] = [
        "Bắc",
        "Đông Bắc",
        "Đông",
        "Đông Nam",
        "Nam",
        "Tây Nam",
        "Tây",
        "Tây Bắc",
    ];
    NAMES[(((degrees.rem_euclid(360) as f64 + 22.5) / 45.0) as usize) % 8]
}

/// `2026-11-28` as `Thứ Bảy 28/11`.
pub fn day_name(day: &crate::model::Day) -> String {
    const NAMES: [&str; 7] = [
        "Chủ nhật",
        "Thứ Hai",
        "Thứ Ba",
        "Thứ Tư",
        "Thứ Năm",
        "Thứ Sáu",
        "Thứ Bảy",
    ];
    format!(
        "{} {:02}/{:02}",
        NAMES[usize::from(day.weekday().number_days_from_sunday())],
        day.day(),
        u8::from(day.month())
    )
}

fn degrees(t: f64) -> String {
    format!("{} °C", t.round() as i64)
}

#[component]
fn WeatherIcon(icon: Icon, #[prop(optional)] label: Option<&'static str>) -> impl IntoView {
    let sun = matches!(icon, Icon::Sun | Icon::SunCloud);
    let cloud = !matches!(icon, Icon::Sun);
    let rain = matches!(icon, Icon::Rain | Icon::Storm);
    view! {
        <svg class="weather-icon" viewBox="0 0 32 32" width="32" height="32" focusable="false"
            role=label.map(|_| "img") aria-label=label aria-hidden=label.is_none().then_some("true")>
            {sun.then(|| view! { <circle cx=if cloud { "12" } else { "16" } cy=if cloud { "12" } else { "16" } r="7" fill="#f5b400"/> })}
            {cloud.then(|| view! {
                <path d="M9 25h15a5 5 0 0 0 0-10 7 7 0 0 0-13.4 1.6A4.2 4.2 0 0 0 9 25z"
                    fill=if icon == Icon::Storm { "#6b7280" } else { "#b8c4d0" }/>
            })}
            {rain.then(|| view! { <path d="M12 27l-1 3M17 27l-1 3M22 27l-1 3" stroke="#1d6fd6" stroke-width="2"/> })}
            {(icon == Icon::Storm).then(|| view! { <path d="M17 22l-3 5h3l-2 4" stroke="#f5b400" stroke-width="2" fill="none"/> })}
            {(icon == Icon::Fog).then(|| view! { <path d="M6 27h20M8 30h16" stroke="#8a94a0" stroke-width="2"/> })}
            {(icon == Icon::Snow).then(|| view! { <path d="M12 28h.1M17 29h.1M22 28h.1" stroke="#5aa0e0" stroke-width="3" stroke-linecap="round"/> })}
        </svg>
    }
}

/// The widget's content: the weather as the server last fetched it. Without data it says so
/// plainly; it never waits for the weather service. Only the whole app (officials) hydrates
/// it: on a citizens' page the widget is not an island, so none of this is in their wasm.
#[component]
fn WeatherBody(weather: Option<Weather>) -> impl IntoView {
    match weather {
        None => view! {
            <p class="widget__body" data-test="weather-none">"Chưa có dữ liệu thời tiết."</p>
        }
        .into_any(),
        Some(weather) => {
            let (condition, icon) = describe(weather.current.code);
            let days = weather
                .days
                .iter()
                .skip(1)
                .map(|day| {
                    let (text, icon) = describe(day.code);
                    view! {
                        <li class="weather__day">
                            <span class="weather__day-name">{day_name(&day.date)}</span>
                            <WeatherIcon icon label=text/>
                            <span>{format!("{}–{}", day.min.round() as i64, degrees(day.max))}</span>
                            {day.rain_chance.map(|p| view! { <span class="weather__rain">{format!("Mưa {p} %")}</span> })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="widget__body weather" data-test="weather">
                    <p class="weather__place">{weather.place}</p>
                    <p class="weather__now">
                        <WeatherIcon icon/>
                        <span class="weather__temp" data-test="weather-temp">{degrees(weather.current.temperature)}</span>
                        <span data-test="weather-condition">{condition}</span>
                    </p>
                    <dl class="weather__facts">
                        <dt>"Độ ẩm"</dt>
                        <dd>{format!("{} %", weather.current.humidity)}</dd>
                        <dt>"Gió"</dt>
                        <dd>{format!(
                            "{} km/h, hướng {}",
                            weather.current.wind_speed.round() as i64,
                            wind_from(weather.current.wind_direction)
                        )}</dd>
                    </dl>
                    <ul class="weather__days" aria-label="Dự báo những ngày tới">{days}</ul>
                    <p class="weather__time" data-test="weather-time">
                        "Cập nhật lúc " {datetime_vn(&weather.fetched_at)}
                    </p>
                </div>
            }
            .into_any()
        }
    }
}

/// The widget: the weather, and for admins the form that moves it.
#[component]
pub fn WeatherWidget(weather: Option<Weather>, place: WeatherPlace) -> impl IntoView {
    view! {
        <section class="widget" aria-labelledby="widget-weather">
            <h2 class="widget__title" id="widget-weather">"Thời tiết"</h2>
            <div><WeatherBody weather/></div>
            {use_official().filter(|o| o.can(Role::Admin)).map(|_| view! { <PlaceForm place/> })}
        </section>
    }
}

/// Admins move the widget to another place, in the widget itself.
#[component]
fn PlaceForm(place: WeatherPlace) -> impl IntoView {
    let action = ServerAction::<SetWeatherPlace>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload();
        }
    });
    let result = Signal::derive(move || action.value().get());
    view! {
        <details class="widget__edit" data-test="weather-edit">
            <summary>"Đổi địa điểm"</summary>
            <ActionForm action attr:class="form">
                <label for="weather-name">"Tên địa điểm"</label>
                <input id="weather-name" name="name" value=place.name required/>
                <label for="weather-lat">"Vĩ độ"</label>
                <input id="weather-lat" name="latitude" value=place.latitude.to_string() inputmode="decimal" required/>
                <label for="weather-lon">"Kinh độ"</label>
                <input id="weather-lon" name="longitude" value=place.longitude.to_string() inputmode="decimal" required/>
                <FormResult result done="Đã lưu địa điểm."/>
                <button type="submit">"Lưu"</button>
            </ActionForm>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_winds_and_days_read_in_vietnamese() {
        assert_eq!(describe(80).0, "Mưa rào nhẹ");
        assert_eq!(describe(95).1, Icon::Storm);
        assert_eq!(describe(12345).0, "Không rõ");
        assert_eq!(wind_from(0), "Bắc");
        assert_eq!(wind_from(135), "Đông Nam");
        assert_eq!(wind_from(350), "Bắc");
        assert_eq!(wind_from(-90), "Tây");
        let day = |text| crate::format::parse_date(text).unwrap();
        assert_eq!(day_name(&day("2026-11-28")), "Thứ Bảy 28/11");
        assert_eq!(day_name(&day("2026-11-29")), "Chủ nhật 29/11");
        assert_eq!(day_name(&day("2024-03-01")), "Thứ Sáu 01/03");
    }
}
