//! Charts as SVG made on the server: readable without JavaScript, each with a title and a
//! description for screen readers, and the same numbers as a table beside it. Every text is
//! escaped; numbers and coordinates are the only other things written.

use time::{Date, Duration};

use crate::format::{count_vn, date_text};
use crate::markup::escape;

/// A number per day, from the first day of a period.
pub struct Series<'a> {
    /// The chart's id in the page (`luot-truy-cap`): letters and dashes only.
    pub id: &'static str,
    pub title: &'static str,
    /// What is counted, in the description: "lượt truy cập".
    pub unit: &'static str,
    pub values: &'a [i64],
}

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
pub fn daily_bars(series: &Series, from: Date) -> String {
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
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" data-test=\"chart-{id}\">\
         <title id=\"{id}-t\">{title}</title>\
         <desc id=\"{id}-d\">Từ {} đến {}: tổng {} {unit}, trung bình {} mỗi ngày.{peak} Số liệu từng ngày ở bảng dưới các biểu đồ.</desc>",
        date_text(from),
        date_text(last),
        count_vn(total),
        average(total, n),
        id = series.id,
        title = escape(series.title),
        unit = escape(series.unit),
    );
    // Half the top is a gridline only when it is a whole number (not for a top of 1 or 5).
    let half = (top % 2 == 0).then_some(top / 2);
    for (value, label) in [Some((0, "0")), half.map(|h| (h, "")), Some((top, ""))]
        .into_iter()
        .flatten()
    {
        let y = TOP + plot_h - plot_h * value as f64 / top as f64;
        let text = if label.is_empty() {
            count_vn(value)
        } else {
            label.to_string()
        };
        svg.push_str(&format!(
            "<line class=\"chart-grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"chart-label\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{text}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
        ));
    }
    let slot = plot_w / n as f64;
    let gap = if slot > 3.0 { slot * 0.2 } else { 0.0 };
    for (i, &value) in series.values.iter().enumerate() {
        if value <= 0 {
            continue;
        }
        let h = plot_h * value as f64 / top as f64;
        svg.push_str(&format!(
            "<rect class=\"chart-bar\" x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{h:.2}\"><title>{}: {}</title></rect>",
            LEFT + slot * i as f64 + gap / 2.0,
            TOP + plot_h - h,
            (slot - gap).max(0.5),
            date_text(from + Duration::days(i as i64)),
            count_vn(value),
        ));
    }
    let base = HEIGHT - BOTTOM + 18.0;
    svg.push_str(&format!(
        "<text class=\"chart-label\" x=\"{LEFT}\" y=\"{base}\">{}</text>\
         <text class=\"chart-label\" x=\"{}\" y=\"{base}\" text-anchor=\"end\">{}</text></svg>",
        date_text(from),
        WIDTH - RIGHT,
        date_text(last),
    ));
    svg
}

/// The charts' numbers as one table, a row per day, folded under them (open it to read day by
/// day). `series` all start on `from` and have the same length.
pub fn daily_table(series: &[Series], from: Date) -> String {
    let mut html = String::from(
        "<details class=\"chart-data\"><summary>Bảng số liệu theo ngày</summary>\
         <div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Bảng số liệu theo ngày\">\
         <table class=\"data-table\" data-test=\"table-theo-ngay\"><caption>Số liệu theo ngày</caption>\
         <thead><tr><th scope=\"col\">Ngày</th>",
    );
    for s in series {
        html.push_str(&format!(
            "<th scope=\"col\" class=\"num\">{}</th>",
            escape(&capitalised(s.unit))
        ));
    }
    html.push_str("</tr></thead><tbody>");
    let days = series.first().map_or(0, |s| s.values.len());
    for i in 0..days {
        html.push_str(&format!(
            "<tr><th scope=\"row\">{}</th>",
            date_text(from + Duration::days(i as i64))
        ));
        for s in series {
            let value = s.values.get(i).copied().unwrap_or(0);
            html.push_str(&format!("<td class=\"num\">{}</td>", count_vn(value)));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></div></details>");
    html
}

/// A table of names and counts, each row with its share of the whole as a number and a bar
/// (the bar is drawn for the eye; the number is what a screen reader reads).
pub fn share_bars(id: &str, caption: &str, rows: &[(String, i64)]) -> String {
    let total: i64 = rows.iter().map(|(_, n)| n).sum();
    let mut html = format!(
        "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{caption}\"><table class=\"data-table share-table\" data-test=\"{}\"><caption>{caption}</caption>\
         <thead><tr><th scope=\"col\">Tên</th><th scope=\"col\" class=\"num\">Lượt xem</th><th scope=\"col\">Tỉ lệ</th></tr></thead><tbody>",
        escape(id),
        caption = escape(caption)
    );
    for (name, n) in rows {
        let share = if total > 0 {
            *n as f64 * 100.0 / total as f64
        } else {
            0.0
        };
        html.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td>\
             <td class=\"share\"><span>{}%</span> <svg class=\"share-bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">\
             <rect class=\"chart-track\" width=\"100\" height=\"10\"/><rect class=\"chart-bar\" width=\"{share:.1}\" height=\"10\"/></svg></td></tr>",
            escape(name),
            count_vn(*n),
            share_text(share),
        ));
    }
    html.push_str("</tbody></table></div>");
    html
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
    use time::macros::date;

    #[test]
    fn the_axis_ends_at_a_round_number() {
        let tops: Vec<i64> = [0, 1, 3, 10, 11, 49, 51, 4_200]
            .into_iter()
            .map(axis_top)
            .collect();
        assert_eq!(tops, vec![1, 1, 5, 10, 20, 50, 100, 5_000]);
    }

    #[test]
    fn a_chart_says_what_it_shows_and_draws_a_bar_per_counted_day() {
        let values = [3, 0, 1_200];
        let series = Series {
            id: "luot-truy-cap",
            title: "Lượt truy cập <mỗi> ngày",
            unit: "lượt truy cập",
            values: &values,
        };
        let svg = daily_bars(&series, date!(2026 - 12 - 31));
        assert!(
            svg.contains("<title id=\"luot-truy-cap-t\">Lượt truy cập &lt;mỗi&gt; ngày</title>")
        );
        assert!(svg.contains("Từ 31/12/2026 đến 02/01/2027: tổng 1.203 lượt truy cập"));
        assert!(svg.contains("trung bình 401 mỗi ngày"));
        assert!(svg.contains("Cao nhất 1.200, vào ngày 02/01/2027."));
        assert_eq!(svg.matches("class=\"chart-bar\"").count(), 2);
        assert!(svg.contains("<title>02/01/2027: 1.200</title>"));
        let table = daily_table(&[series], date!(2026 - 12 - 31));
        assert_eq!(table.matches("<tr><th scope=\"row\">").count(), 3);
        assert!(table.contains("<th scope=\"col\" class=\"num\">Lượt truy cập</th>"));
        assert!(table.contains("<th scope=\"row\">01/01/2027</th><td class=\"num\">0</td>"));
    }

    #[test]
    fn small_means_keep_a_decimal() {
        assert_eq!(average(13, 30), "0,4");
        assert_eq!(average(0, 30), "0,0");
        assert_eq!(average(36_000, 30), "1.200");
    }

    #[test]
    fn shares_escape_names_and_sum_to_the_whole() {
        let rows = vec![("<b>Tin</b>".to_string(), 3), ("Khác".to_string(), 1)];
        let html = share_bars("x", "Theo chuyên mục", &rows);
        assert!(html.contains("&lt;b&gt;Tin&lt;/b&gt;"));
        assert!(html.contains("<span>75,0%</span>"));
        assert!(html.contains("<span>25,0%</span>"));
    }
}
