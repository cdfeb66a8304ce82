use crate::components::page_meta::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::operations::statistics;
use crate::components::charts::{DailyBars, DailyTable, ShareBars};
use crate::components::error_view::loaded;
use crate::format::{count_vn, datetime_seconds_vn, iso_date};
use crate::model::stats::{
    Backups, PeriodChooser, Statistics, StatisticsView, CSV_TABLES, PRESETS,
};

/// `/quan-tri/thong-ke`: visits, views and plays over a period, for editors and admins. The
/// charts and tables are in the page as the server renders it, so they read the same without
/// JavaScript.
#[component]
pub fn StatisticsPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let query = query.read();
            (query.get("ngay"), query.get("tu"), query.get("den"))
        },
        |(days, from, to)| statistics(days, from, to),
    );
    loaded(data, |view| view! { <StatisticsContent view/> })
}

/// The page's title and content: the statistics, or why the period was refused (a 400).
#[component]
fn StatisticsContent(view: StatisticsView) -> impl IntoView {
    let content = match view {
        StatisticsView::Shown(stats) => view! { <Shown stats=*stats/> }.into_any(),
        StatisticsView::Refused { reason, chooser } => {
            #[cfg(feature = "ssr")]
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::BAD_REQUEST);
            }
            view! {
                <p class="form-error" role="alert" data-test="period-error">{reason}</p>
                <Chooser chooser/>
            }
            .into_any()
        }
    };
    view! {
        <PageTitle text="Thống kê truy cập"/>
        <h1>"Thống kê truy cập"</h1>
        <div class="stats" data-test="statistics">{content}</div>
    }
}

/// Links for the preset periods (the current one marked) and a form for chosen dates; a plain
/// GET form, so it works without JavaScript.
#[component]
fn Chooser(chooser: PeriodChooser) -> impl IntoView {
    let max = iso_date(chooser.today);
    let presets = PRESETS
        .into_iter()
        .map(|n| {
            let current = (chooser.preset == Some(n)).then_some("page");
            view! {
                <li>
                    <a href=format!("/quan-tri/thong-ke?ngay={n}") aria-current=current
                        data-test=format!("period-{n}")>{format!("{n} ngày qua")}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="stats-periods" aria-label="Khoảng thời gian"><ul>{presets}</ul></nav>
        <form class="stats-dates" method="get" action="/quan-tri/thong-ke" data-test="period-form">
            <fieldset>
                <legend>"Hoặc chọn ngày"</legend>
                <label>"Từ ngày " <input type="date" name="tu" value=chooser.from max=max.clone() required/></label>
                " "
                <label>"Đến ngày " <input type="date" name="den" value=chooser.to max=max required/></label>
                " "
                <button type="submit">"Xem"</button>
            </fieldset>
        </form>
    }
}

/// A link to a table of the page as CSV.
#[component]
fn CsvLink(table: &'static str, label: &'static str, query: String) -> impl IntoView {
    view! {
        <p>
            <a href=format!("/quan-tri/thong-ke/tai-ve?bang={table}&{query}") download=true
                data-test=format!("csv-{table}")>{format!("Tải về bảng “{label}” (CSV)")}</a>
        </p>
    }
}

/// The statistics of a period: totals, a chart per daily series with their table, the most
/// read posts, views by category and by clip, and for admins the backups.
#[component]
fn Shown(stats: Statistics) -> impl IntoView {
    let total = |id: &str| {
        stats
            .series
            .iter()
            .find(|s| s.id == id)
            .map_or(0, |s| s.values.iter().sum::<i64>())
    };
    let (visits, views, plays) = (
        total("luot-truy-cap"),
        total("luot-xem-bai"),
        total("luot-xem-video"),
    );
    let (asked, answered, overdue) = stats.questions;
    let query = stats.query.clone();
    let from = stats.from;
    let charts = stats
        .series
        .iter()
        .cloned()
        .map(|series| {
            let (test, id, title) = (
                format!("series-{}", series.id),
                series.id.clone(),
                series.title.clone(),
            );
            view! {
                <section class="stats-section" data-test=test>
                    <h2 id=id>{title}</h2>
                    <DailyBars series from/>
                </section>
            }
        })
        .collect_view();
    let top_posts = if stats.top_posts.is_empty() {
        view! { <p>"Chưa có lượt xem bài viết nào trong khoảng này."</p> }.into_any()
    } else {
        let rows = stats
            .top_posts
            .into_iter()
            .map(|post| {
                let title = match post.href {
                    Some(href) => view! { <a href=href>{post.title}</a> }.into_any(),
                    None => view! { {post.title} " " <small>"(không công khai)"</small> }.into_any(),
                };
                view! {
                    <tr data-test="top-post"><td>{title}</td><td class="num">{count_vn(post.views)}</td></tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label="Bài viết được xem nhiều nhất">
                <table class="data-table">
                    <caption>"Bài viết được xem nhiều nhất trong khoảng đã chọn"</caption>
                    <thead><tr><th scope="col">"Bài viết"</th><th scope="col" class="num">"Lượt xem"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <CsvLink table=CSV_TABLES[1].0 label=CSV_TABLES[1].1 query=query.clone()/>
        }
        .into_any()
    };
    // Views by category, then plays by clip: a table of shares each, or why there is none.
    let shares = [
        (
            "by-category",
            "theo-chuyen-muc",
            "Lượt xem theo chuyên mục",
            "Lượt xem theo chuyên mục",
            stats.categories,
            "Chưa có lượt xem bài viết nào trong khoảng này.",
            CSV_TABLES[2],
        ),
        (
            "by-clip",
            "video",
            "Lượt xem video",
            "Lượt xem theo video",
            stats.clips,
            "Chưa có lượt xem video nào trong khoảng này.",
            CSV_TABLES[3],
        ),
    ]
    .into_iter()
    .map(|(test, id, heading, caption, rows, none, (table, label))| {
        let body = if rows.is_empty() {
            view! { <p>{none}</p> }.into_any()
        } else {
            view! {
                <ShareBars id=format!("chart-{table}") caption rows/>
                <CsvLink table label query=query.clone()/>
            }
            .into_any()
        };
        view! {
            <section class="stats-section" data-test=test>
                <h2 id=id>{heading}</h2>
                {body}
            </section>
        }
    })
    .collect_view();
    view! {
        <Chooser chooser=stats.chooser/>
        <p data-test="stats-period">
            {format!("Số liệu {}, theo ngày giờ Việt Nam. Lượt xem của hôm nay được cộng sau vài giây.", stats.label)}
        </p>
        <ul class="stats-totals" data-test="stats-totals">
            <li><strong>{count_vn(visits)}</strong>" lượt truy cập"</li>
            <li><strong>{count_vn(views)}</strong>" lượt xem bài viết"</li>
            <li><strong>{count_vn(plays)}</strong>" lượt xem video"</li>
            <li data-test="stats-questions">
                <strong>{count_vn(asked)}</strong>
                {format!(
                    " câu hỏi của người dân nhận được: {} đã trả lời, {} đang quá hạn (",
                    count_vn(answered),
                    count_vn(overdue)
                )}
                <a href="/quan-tri/hoi-dap">"xem hỏi đáp"</a>
                ")"
            </li>
        </ul>
        {charts}
        <DailyTable series=stats.series from/>
        <CsvLink table=CSV_TABLES[0].0 label=CSV_TABLES[0].1 query=query.clone()/>
        <section class="stats-section" data-test="top-posts">
            <h2 id="xem-nhieu">"Bài viết được xem nhiều nhất"</h2>
            {top_posts}
        </section>
        {shares}
        {stats.backups.map(|backups| view! { <BackupsSection backups/> })}
    }
}

/// The admins' section: the schedule, the last good backup and a failure after it.
#[component]
fn BackupsSection(backups: Backups) -> impl IntoView {
    let last_ok = match backups.last_ok {
        Some(done) => format!(
            "Lần sao lưu thành công gần nhất: {} ({}), tệp {} ({}).",
            datetime_seconds_vn(&done.finished_at),
            if done.scheduled {
                "tự động"
            } else {
                "bằng lệnh"
            },
            done.archive,
            done.size
        ),
        None => "Chưa có lần sao lưu nào thành công.".into(),
    };
    view! {
        <section class="stats-section" data-test="backups">
            <h2 id="sao-luu">"Sao lưu dữ liệu"</h2>
            <p data-test="backup-schedule">{backups.schedule}</p>
            <p data-test="backup-last-ok">{last_ok}</p>
            {backups.failed.map(|(when, message)| view! {
                <p class="form-error" role="alert" data-test="backup-failed">
                    {format!(
                        "Lần sao lưu lúc {} không thành công: {message}. Hãy báo người quản lý máy chủ.",
                        datetime_seconds_vn(&when)
                    )}
                </p>
            })}
        </section>
    }
}
