//! `/quan-tri/thong-ke`: how the portal is used over a period, from the per-day tables the
//! counters' flush writes (`site_visits_daily`, `post_views_daily`, `clip_views_daily`), never
//! from the running totals, so that any period can be asked for. Days are Vietnam days.

use time::{Date, Duration};

use crate::error::AppError;
use crate::format::{date_text, iso_date, parse_date};
use crate::links::post_path;
use crate::model::stats::{DailySeries, PeriodChooser, StatisticsView};
pub use crate::model::stats::{PostViews, CSV_TABLES, PRESETS};
use crate::server::internal;
use crate::server::operations::backups::BackupStatus;
use sqlx::SqlitePool;

/// The longest period asked for by dates: two years and a day.
pub const MAX_DAYS: i64 = 731;
/// The most posts listed as the most read.
pub const TOP_POSTS: i64 = 20;

/// Days `from` to `to`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
    /// Some(n) for "the last n days" (`?ngay=n`), None for chosen dates (`?tu=…&den=…`).
    pub preset: Option<i64>,
}

impl Period {
    /// From the page's query: `ngay` (30, 90 or 365; 30 when nothing is given), or `tu` and
    /// `den` (`2026-11-01` as a date field sends it, or `01/11/2026`). `today` is Vietnam's.
    pub fn parse(
        days: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
        today: Date,
    ) -> Result<Period, AppError> {
        let (from, to) = (given(from), given(to));
        if from.is_none() && to.is_none() {
            let n = match given(days) {
                None => 30,
                Some(raw) => raw
                    .parse::<i64>()
                    .ok()
                    .filter(|n| PRESETS.contains(n))
                    .ok_or_else(|| {
                        AppError::BadRequest(
                            "Khoảng thời gian chỉ có thể là 30, 90 hoặc 365 ngày, hoặc chọn từ ngày đến ngày."
                                .into(),
                        )
                    })?,
            };
            return Ok(Period {
                from: today - Duration::days(n - 1),
                to: today,
                preset: Some(n),
            });
        }
        let day = |raw: Option<&str>, what: &str| {
            match raw {
            None => Ok(None),
            Some(raw) => read_date(raw).map(Some).ok_or_else(|| {
                AppError::BadRequest(format!(
                    "{what} “{}” không phải là một ngày (cần dạng ngày/tháng/năm, ví dụ 01/11/2026).",
                    raw.chars().take(20).collect::<String>()
                ))
            }),
        }
        };
        let to = day(to, "Ngày kết thúc")?.unwrap_or(today);
        let Some(from) = day(from, "Ngày bắt đầu")? else {
            return Err(AppError::BadRequest(
                "Hãy chọn ngày bắt đầu (từ ngày).".into(),
            ));
        };
        if to > today {
            return Err(AppError::BadRequest(format!(
                "Ngày kết thúc không được sau hôm nay ({}).",
                date_text(today)
            )));
        }
        if from > to {
            return Err(AppError::BadRequest(
                "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.".into(),
            ));
        }
        if (to - from).whole_days() + 1 > MAX_DAYS {
            return Err(AppError::BadRequest(format!(
                "Mỗi lần chỉ xem được tối đa {MAX_DAYS} ngày (2 năm)."
            )));
        }
        Ok(Period {
            from,
            to,
            preset: None,
        })
    }

    /// How many days it holds.
    pub fn len(&self) -> usize {
        usize::try_from((self.to - self.from).whole_days() + 1).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every day of the period, in order.
    pub fn days(&self) -> impl Iterator<Item = Date> + '_ {
        (0..self.len() as i64).map(|i| self.from + Duration::days(i))
    }

    /// The query that asks for this period again (`ngay=30` or `tu=…&den=…`).
    pub fn query(&self) -> String {
        match self.preset {
            Some(n) => format!("ngay={n}"),
            None => format!("tu={}&den={}", iso_date(self.from), iso_date(self.to)),
        }
    }

    /// "30 ngày qua (từ 01/11/2026 đến 30/11/2026)".
    pub fn label(&self) -> String {
        let (from, to) = (date_text(self.from), date_text(self.to));
        match self.preset {
            Some(n) => format!("{n} ngày qua (từ {from} đến {to})"),
            None => format!("từ {from} đến {to}"),
        }
    }
}

/// A query value with its spaces trimmed; None when nothing is left.
fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// `2026-11-01` or `01/11/2026`, checked by the calendar.
fn read_date(raw: &str) -> Option<Date> {
    if raw.len() == 10 && raw.as_bytes().get(4) == Some(&b'-') {
        return parse_date(raw);
    }
    let mut parts = raw.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || d.len() > 2 || m.len() > 2 || y.len() != 4 {
        return None;
    }
    parse_date(&format!("{y}-{m:0>2}-{d:0>2}"))
}

/// How the portal was used in a period; each daily list has one number per day of the period.
#[derive(Clone, Debug)]
pub struct Statistics {
    pub period: Period,
    pub visits: Vec<i64>,
    pub views: Vec<i64>,
    pub plays: Vec<i64>,
    pub top_posts: Vec<PostViews>,
    /// Views by category; pages, and posts outside every category, each under a name of their own.
    pub categories: Vec<(String, i64)>,
    /// Plays by clip.
    pub clips: Vec<(String, i64)>,
    /// Citizens' questions received in the period: all, answered, overdue now.
    pub questions: (i64, i64, i64),
}

/// At most this many statistics are computed at once: one official asking for two years many
/// times over must not slow the citizens' pages.
const AT_ONCE: usize = 2;
static COMPUTING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);

impl Statistics {
    /// The statistics of `period`; refused (429) while two others are being computed.
    pub async fn load(
        pool: &SqlitePool,
        clock: &crate::server::time::Clock,
        period: Period,
    ) -> Result<Statistics, AppError> {
        let Ok(_turn) = COMPUTING.try_acquire() else {
            return Err(AppError::TooManyAttempts(
                "Máy chủ đang tính các số liệu thống kê khác. Hãy thử lại sau vài giây.".into(),
            ));
        };
        let (from, to) = (iso_date(period.from), iso_date(period.to));
        let daily = |sql: &'static str| {
            let (from, to) = (from.clone(), to.clone());
            async move {
                let rows: Vec<(String, i64)> = sqlx::query_as(sql)
                    .bind(from)
                    .bind(to)
                    .fetch_all(pool)
                    .await?;
                Ok::<_, sqlx::Error>(spread(period, rows))
            }
        };
        let visits = daily(
            "SELECT day, visits FROM site_visits_daily WHERE day BETWEEN ? AND ? ORDER BY day",
        )
        .await
        .map_err(internal("reading the statistics failed"))?;
        let views = daily(
            "SELECT day, SUM(views) FROM post_views_daily WHERE day BETWEEN ? AND ?
             GROUP BY day ORDER BY day",
        )
        .await
        .map_err(internal("reading the statistics failed"))?;
        let plays = daily(
            "SELECT day, SUM(views) FROM clip_views_daily WHERE day BETWEEN ? AND ?
             GROUP BY day ORDER BY day",
        )
        .await
        .map_err(internal("reading the statistics failed"))?;
        // Summed per post first, then joined: a post's row is large (its text), and reading it
        // once per post rather than once per day is ten times faster over two years.
        let top: Vec<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT p.title, p.kind, p.slug, p.stage, t.n
             FROM (SELECT post_id, SUM(views) AS n FROM post_views_daily
                   WHERE day BETWEEN ? AND ? GROUP BY post_id
                   ORDER BY n DESC, post_id DESC LIMIT ?) t
             JOIN posts p ON p.id = t.post_id
             ORDER BY t.n DESC, p.id DESC",
        )
        .bind(&from)
        .bind(&to)
        .bind(TOP_POSTS)
        .fetch_all(pool)
        .await
        .map_err(internal("reading the statistics failed"))?;
        // Pages (Giới thiệu, Liên hệ…) count apart from news outside every category.
        let categories: Vec<(Option<String>, bool, i64)> = sqlx::query_as(
            "SELECT c.name, p.kind = 'page' AS page, SUM(t.n) AS n
             FROM (SELECT post_id, SUM(views) AS n FROM post_views_daily
                   WHERE day BETWEEN ? AND ? GROUP BY post_id) t
             JOIN posts p ON p.id = t.post_id
             LEFT JOIN categories c ON c.id = p.category_id
             GROUP BY c.id, p.kind = 'page' ORDER BY n DESC, c.name",
        )
        .bind(&from)
        .bind(&to)
        .fetch_all(pool)
        .await
        .map_err(internal("reading the statistics failed"))?;
        let clips: Vec<(String, i64)> = sqlx::query_as(
            "SELECT c.title, SUM(v.views) AS n
             FROM clip_views_daily v JOIN clips c ON c.id = v.clip_id
             WHERE v.day BETWEEN ? AND ?
             GROUP BY c.id ORDER BY n DESC, c.id DESC",
        )
        .bind(&from)
        .bind(&to)
        .fetch_all(pool)
        .await
        .map_err(internal("reading the statistics failed"))?;
        let questions = crate::server::questions::period_counts(
            pool,
            period.from,
            period.to,
            crate::server::questions::today(clock),
        )
        .await?;
        Ok(Statistics {
            questions,
            period,
            visits,
            views,
            plays,
            top_posts: top
                .into_iter()
                .map(|(title, kind, slug, stage, views)| PostViews {
                    title,
                    href: (stage == "published").then(|| post_path(&kind, &slug)),
                    views,
                })
                .collect(),
            categories: categories
                .into_iter()
                .map(|(name, page, n)| {
                    let name = match (name, page) {
                        (Some(name), _) => name,
                        (None, true) => "Trang thông tin (Giới thiệu, Liên hệ…)".into(),
                        (None, false) => "Bài viết không thuộc chuyên mục".into(),
                    };
                    (name, n)
                })
                .collect(),
            clips,
        })
    }

    /// The three daily series, named as the page names them.
    fn series(&self) -> Vec<DailySeries> {
        [
            (
                "luot-truy-cap",
                "Lượt truy cập mỗi ngày",
                "lượt truy cập",
                &self.visits,
            ),
            (
                "luot-xem-bai",
                "Lượt xem bài viết mỗi ngày",
                "lượt xem",
                &self.views,
            ),
            (
                "luot-xem-video",
                "Lượt xem video mỗi ngày",
                "lượt xem video",
                &self.plays,
            ),
        ]
        .into_iter()
        .map(|(id, title, unit, values)| DailySeries {
            id: id.into(),
            title: title.into(),
            unit: unit.into(),
            values: values.clone(),
        })
        .collect()
    }

    /// What the page shows: these statistics, with the chooser, and the backups' state for
    /// admins.
    pub fn view(self, today: Date, backups: Option<&BackupStatus>) -> StatisticsView {
        let period = self.period;
        StatisticsView::Shown(Box::new(crate::model::stats::Statistics {
            chooser: PeriodChooser {
                preset: period.preset,
                from: iso_date(period.from),
                to: iso_date(period.to),
                today,
            },
            label: period.label(),
            query: period.query(),
            from: period.from,
            series: self.series(),
            top_posts: self.top_posts,
            categories: self.categories,
            clips: self.clips,
            questions: self.questions,
            backups: backups.map(BackupStatus::view),
        }))
    }
}

/// The chooser again under the reason a period was refused, with the dates as they were
/// typed (those that are dates), so that they can be corrected.
pub fn refused(reason: &str, from: Option<&str>, to: Option<&str>, today: Date) -> StatisticsView {
    let typed = |raw: Option<&str>| given(raw).and_then(read_date).map(iso_date);
    StatisticsView::Refused {
        reason: reason.to_string(),
        chooser: PeriodChooser {
            preset: None,
            from: typed(from).unwrap_or_default(),
            to: typed(to).unwrap_or_default(),
            today,
        },
    }
}

/// One number per day of `period` from rows `(YYYY-MM-DD, n)`; days without a row are 0.
fn spread(period: Period, rows: Vec<(String, i64)>) -> Vec<i64> {
    let mut out = vec![0; period.len()];
    for (day, n) in rows {
        if let Some(date) = parse_date(&day) {
            if let Ok(i) = usize::try_from((date - period.from).whole_days()) {
                if let Some(slot) = out.get_mut(i) {
                    *slot += n;
                }
            }
        }
    }
    out
}

/// A table as CSV (RFC 4180, with a byte-order mark so that spreadsheet programs read the
/// Vietnamese letters right). None for an unknown table.
pub fn csv(stats: &Statistics, table: &str) -> Option<String> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    match table {
        "theo-ngay" => {
            rows.push(vec![
                "Ngày".into(),
                "Lượt truy cập".into(),
                "Lượt xem bài viết".into(),
                "Lượt xem video".into(),
            ]);
            for (i, day) in stats.period.days().enumerate() {
                rows.push(vec![
                    date_text(day),
                    stats.visits[i].to_string(),
                    stats.views[i].to_string(),
                    stats.plays[i].to_string(),
                ]);
            }
        }
        "bai-viet" => {
            rows.push(vec!["Bài viết".into(), "Lượt xem".into()]);
            for post in &stats.top_posts {
                rows.push(vec![post.title.clone(), post.views.to_string()]);
            }
        }
        "chuyen-muc" => {
            rows.push(vec!["Chuyên mục".into(), "Lượt xem".into()]);
            for (name, n) in &stats.categories {
                rows.push(vec![name.clone(), n.to_string()]);
            }
        }
        "video" => {
            rows.push(vec!["Video".into(), "Lượt xem".into()]);
            for (title, n) in &stats.clips {
                rows.push(vec![title.clone(), n.to_string()]);
            }
        }
        _ => return None,
    }
    let mut out = String::from("\u{feff}");
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    Some(out)
}

/// A cell quoted when it must be, and also when it holds `;` or a tab (the list separator of
/// spreadsheets set up for a decimal comma, as in Vietnam), so that it stays one cell; text a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@` first, after any spaces) is kept as
/// text with a leading apostrophe.
fn csv_cell(text: &str) -> String {
    let formula = text
        .trim_start()
        .starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = if formula && text.parse::<i64>().is_err() {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r', ';', '\t']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 30);

    #[test]
    fn presets_end_today_and_count_today() {
        let p = Period::parse(None, None, None, TODAY).unwrap();
        assert_eq!((p.from, p.to, p.len()), (date!(2026 - 11 - 01), TODAY, 30));
        let p = Period::parse(Some("365"), Some(""), Some(" "), TODAY).unwrap();
        assert_eq!((p.from, p.len()), (date!(2025 - 12 - 01), 365));
        assert_eq!(p.query(), "ngay=365");
        for bad in ["7", "abc", "-30", "30.0"] {
            assert!(
                Period::parse(Some(bad), None, None, TODAY).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn chosen_dates_are_checked() {
        let p = Period::parse(None, Some("2026-02-27"), Some("01/03/2026"), TODAY).unwrap();
        assert_eq!((p.len(), p.preset), (3, None));
        assert_eq!(p.query(), "tu=2026-02-27&den=2026-03-01");
        // Only a start: to today.
        let p = Period::parse(None, Some("1/11/2026"), None, TODAY).unwrap();
        assert_eq!(p.len(), 30);
        let err = |from, to| {
            Period::parse(None, from, to, TODAY)
                .unwrap_err()
                .to_string()
        };
        assert!(err(Some("2026-02-30"), None).contains("không phải là một ngày"));
        assert!(err(None, Some("2026-11-01")).contains("ngày bắt đầu"));
        assert!(err(Some("2026-11-02"), Some("2026-11-01")).contains("trước hoặc bằng"));
        assert!(err(Some("2026-11-01"), Some("2026-12-01")).contains("sau hôm nay"));
        assert!(err(Some("2024-11-29"), None).contains("tối đa 731"));
        assert!(Period::parse(None, Some("2024-11-30"), None, TODAY).is_ok());
    }

    #[test]
    fn days_without_rows_are_zero_and_rows_outside_are_dropped() {
        let p = Period::parse(
            None,
            Some("2026-12-30"),
            Some("2027-01-02"),
            date!(2027 - 01 - 05),
        )
        .unwrap();
        let rows = vec![
            ("2026-12-29".into(), 9),
            ("2026-12-31".into(), 4),
            ("2027-01-02".into(), 2),
        ];
        assert_eq!(spread(p, rows), vec![0, 4, 0, 2]);
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_cell("Tin, \"mới\""), "\"Tin, \"\"mới\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-5"), "-5");
        assert_eq!(csv_cell("@cmd"), "'@cmd");
        assert_eq!(csv_cell(" =1+1"), "' =1+1");
        assert_eq!(csv_cell("Tin mới;=2+5"), "\"Tin mới;=2+5\"");
    }
}
