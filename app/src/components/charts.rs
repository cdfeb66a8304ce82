//! Charts as SVG: readable without JavaScript, each with a title and a description for screen
//! readers, and the same numbers as a table beside it (the statistics page).

use leptos::prelude::*;
use time::Duration;

use crate::format::{count_vn, date_text};
use crate::model::{stats::DailySeries, Day};

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 28.0;

/// The smallest of 1, 2, 5 × 10ⁿ at or above `n` (at least 1): the top of the axis.
fn axis_top(n: i64) -> i64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if step * m >= n.max(1) {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// A bar per day with the axis at 0, half and the top, and the first and last dates below.
#[component]
pub fn DailyBars(series: DailySeries, from: Day) -> impl IntoView {
    let n = series.values.len().max(1);
    let max = series.values.iter().copied().max().unwrap_or(0);
    let top = axis_top(max);
    let total: i64 = series.values.iter().sum();
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let last = from + Duration::days(n as i64 - 1);
    let peak = series
        .values
        .iter()
        .position(|&v| v == max && max > 0)
        .map(|i| {
            format!(
                " Cao nhất {}, vào ngày {}.",
                count_vn(max),
                date_text(from + Duration::days(i as i64))
            )
        })
        .unwrap_or_default();
    let description = format!(
        "Từ {} đến {}: tổng {} {}, trung bình {} mỗi ngày.{peak} Số liệu từng ngày ở bảng dưới các biểu đồ.",
        date_text(from),
        date_text(last),
        count_vn(total),
        series.unit,
        average(total, n),
    );
    // Half the top is a gridline only when it is a whole number (not for a top of 1 or 5).
    let half = (top % 2 == 0).then_some(top / 2);
    let grid = [Some((0, "0")), half.map(|h| (h, "")), Some((top, ""))]
        .into_iter()
        .flatten()
        .map(|(value, label)| {
            let y = TOP + plot_h - plot_h * value as f64 / top as f64;
            let text = if label.is_empty() {
                count_vn(value)
            } else {
                label.to_string()
            };
            view! {
                <line class="chart-grid" x1=LEFT.to_string() x2=(WIDTH - RIGHT).to_string()
                    y1=format!("{y:.1}") y2=format!("{y:.1}")/>
                <text class="chart-label" x=(LEFT - 6.0).to_string() y=format!("{:.1}", y + 4.0)
                    text-anchor="end">{text}</text>
            }
        })
        .collect_view();
    let slot = plot_w / n as f64;
    let gap = if slot > 3.0 { slot * 0.2 } else { 0.0 };
    let bars = series
        .values
        .iter()
        .enumerate()
        .filter(|(_, &value)| value > 0)
        .map(|(i, &value)| {
            let h = plot_h * value as f64 / top as f64;
            let tip = format!(
                "{}: {}",
                date_text(from + Duration::days(i as i64)),
                count_vn(value)
            );
            view! {
                <rect class="chart-bar" x=format!("{:.2}", LEFT + slot * i as f64 + gap / 2.0)
                    y=format!("{:.2}", TOP + plot_h - h) width=format!("{:.2}", (slot - gap).max(0.5))
                    height=format!("{h:.2}")><title>{tip}</title></rect>
            }
        })
        .collect_view();
    let base = (HEIGHT - BOTTOM + 18.0).to_string();
    let id = series.id;
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
            aria-labelledby=format!("{id}-t {id}-d") data-test=format!("chart-{id}")>
            <title id=format!("{id}-t")>{series.title}</title>
            <desc id=format!("{id}-d")>{description}</desc>
            {grid}
            {bars}
            <text class="chart-label" x=LEFT.to_string() y=base.clone()>{date_text(from)}</text>
            <text class="chart-label" x=(WIDTH - RIGHT).to_string() y=base text-anchor="end">
                {date_text(last)}
            </text>
        </svg>
    }
}

/// The charts' numbers as one table, a row per day, folded under them (open it to read day by
/// day). `series` all start on `from` and have the same length.
#[component]
pub fn DailyTable(series: Vec<DailySeries>, from: Day) -> impl IntoView {
    let days = series.first().map_or(0, |s| s.values.len());
    let heads = series
        .iter()
        .map(|s| view! { <th scope="col" class="num">{capitalised(&s.unit)}</th> })
        .collect_view();
    let rows = (0..days)
        .map(|i| {
            let cells = series
                .iter()
                .map(|s| {
                    let value = s.values.get(i).copied().unwrap_or(0);
                    view! { <td class="num">{count_vn(value)}</td> }
                })
                .collect_view();
            view! {
                <tr><th scope="row">{date_text(from + Duration::days(i as i64))}</th>{cells}</tr>
            }
        })
        .collect_view();
    view! {
        <details class="chart-data">
            <summary>"Bảng số liệu theo ngày"</summary>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Bảng số liệu theo ngày">
                <table class="data-table" data-test="table-theo-ngay">
                    <caption>"Số liệu theo ngày"</caption>
                    <thead><tr><th scope="col">"Ngày"</th>{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}

/// A table of names and counts, each row with its share of the whole as a number and a bar
/// (the bar is drawn for the eye; the number is what a screen reader reads).
#[component]
pub fn ShareBars(id: String, caption: &'static str, rows: Vec<(String, i64)>) -> impl IntoView {
    let total: i64 = rows.iter().map(|(_, n)| n).sum();
    let rows = rows
        .into_iter()
        .map(|(name, n)| {
            let share = if total > 0 {
                n as f64 * 100.0 / total as f64
            } else {
                0.0
            };
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    <td class="num">{count_vn(n)}</td>
                    <td class="share">
                        <span>{format!("{}%", share_text(share))}</span>
                        " "
                        <svg class="share-bar" viewBox="0 0 100 10" preserveAspectRatio="none"
                            aria-hidden="true" focusable="false">
                            <rect class="chart-track" width="100" height="10"/>
                            <rect class="chart-bar" width=format!("{share:.1}") height="10"/>
                        </svg>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=caption>
            <table class="data-table share-table" data-test=id>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Tên"</th>
                        <th scope="col" class="num">"Lượt xem"</th>
                        <th scope="col">"Tỉ lệ"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The mean per day with one decimal when it is small (`0,4`), whole and grouped otherwise.
fn average(total: i64, days: usize) -> String {
    let mean = total as f64 / days.max(1) as f64;
    if mean < 10.0 {
        format!("{mean:.1}").replace('.', ",")
    } else {
        count_vn(mean.round() as i64)
    }
}

/// `37,5` (a decimal comma, one digit).
fn share_text(share: f64) -> String {
    format!("{share:.1}").replace('.', ",")
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_ends_at_a_round_number() {
        let tops: Vec<i64> = [0, 1, 3, 10, 11, 49, 51, 4_200]
            .into_iter()
            .map(axis_top)
            .collect();
        assert_eq!(tops, vec![1, 1, 5, 10, 20, 50, 100, 5_000]);
    }

    #[test]
    fn small_means_keep_a_decimal() {
        assert_eq!(average(13, 30), "0,4");
        assert_eq!(average(0, 30), "0,0");
        assert_eq!(average(36_000, 30), "1.200");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_chart_says_what_it_shows_and_draws_a_bar_per_counted_day() {
        use crate::components::reading::made;
        use time::macros::date;
        let series = DailySeries {
            id: "luot-truy-cap".into(),
            title: "Lượt truy cập <mỗi> ngày".into(),
            unit: "lượt truy cập".into(),
            values: vec![3, 0, 1_200],
        };
        let from = date!(2026 - 12 - 31);
        let svg = made(|| view! { <DailyBars series=series.clone() from/> });
        assert!(
            svg.contains("<title id=\"luot-truy-cap-t\">Lượt truy cập &lt;mỗi&gt; ngày</title>"),
            "{svg}"
        );
        assert!(svg.contains("Từ 31/12/2026 đến 02/01/2027: tổng 1.203 lượt truy cập"));
        assert!(svg.contains("trung bình 401 mỗi ngày"));
        assert!(svg.contains("Cao nhất 1.200, vào ngày 02/01/2027."));
        assert_eq!(svg.matches("class=\"chart-bar\"").count(), 2);
        assert!(svg.contains("<title>02/01/2027: 1.200</title>"), "{svg}");
        let table = made(|| view! { <DailyTable series=vec![series] from/> });
        assert_eq!(
            table.matches("<tr><th scope=\"row\">").count(),
            3,
            "{table}"
        );
        assert!(table.contains("<th scope=\"col\" class=\"num\">Lượt truy cập</th>"));
        assert!(table.contains("<th scope=\"row\">01/01/2027</th><td class=\"num\">0</td>"));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn shares_escape_names_and_sum_to_the_whole() {
        use crate::components::reading::made;
        let rows = vec![("<b>Tin</b>".to_string(), 3), ("Khác".to_string(), 1)];
        let html = made(|| view! { <ShareBars id="x".into() caption="Theo chuyên mục" rows/> });
        assert!(html.contains("&lt;b&gt;Tin&lt;/b&gt;"), "{html}");
        assert!(html.contains("<span>75,0%</span>"));
        assert!(html.contains("<span>25,0%</span>"));
    }
}
