//! Running the portal: `/healthz` for monitoring, the statistics' CSV downloads, and the
//! scheduled backups.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use app::model::{Official, Role};
use app::server::operations::backups::{self, BackupStatus, Trigger};
use app::server::operations::stats::{self, Period, Statistics};
use app::server::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use http::{header, HeaderValue, StatusCode};

use crate::backup;

pub fn routes(disk_min_free_bytes: u64) -> Router<AppState> {
    let started = Instant::now();
    Router::new()
        .route(
            "/healthz",
            get(move |State(state): State<AppState>| health(state, started, disk_min_free_bytes)),
        )
        .route("/quan-tri/thong-ke/tai-ve", get(statistics_csv))
}

/// How long the counters may go unwritten before a person should look (the flush runs every
/// second by default).
const FLUSH_LATE: Duration = Duration::from_secs(120);

/// `/healthz`: whether the database answers, how old the last counter write and the last
/// backup are, and the free space; 200 when all is well, 503 with `problems` listing what
/// needs a person. Never cached; no paths, names or secrets.
async fn health(state: AppState, started: Instant, min_free: u64) -> Response {
    let mut problems: Vec<String> = Vec::new();
    let now = state.clock.now();

    let database =
        match tokio::time::timeout(Duration::from_secs(2), backups::ping(&state.pool)).await {
            Ok(Ok(())) => "ok",
            Ok(Err(err)) => {
                tracing::error!(%err, "health check: the database does not answer");
                problems.push("Cơ sở dữ liệu không trả lời.".into());
                "error"
            }
            Err(_) => {
                problems.push("Cơ sở dữ liệu không trả lời trong 2 giây.".into());
                "slow"
            }
        };

    let counters = &state.counters;
    let flush_age = now.saturating_sub(counters.flushed_at());
    if counters.enabled() && flush_age > FLUSH_LATE.as_secs() {
        problems.push(format!(
            "Bộ đếm chưa ghi được vào cơ sở dữ liệu từ {flush_age} giây nay."
        ));
    }
    let unwritten = counters.unwritten();

    let config = &state.backups;
    let mut last_success_age = None;
    let mut last_failed = false;
    if database == "ok" {
        match BackupStatus::load(&state.pool, config).await {
            Ok(status) => {
                let now_time = state.clock.instant();
                last_success_age = status
                    .last_ok
                    .as_ref()
                    .map(|run| (now_time - run.finished_at).whole_seconds().max(0));
                last_failed = status.failed_since.is_some();
                if config.dir.is_some() {
                    let limit = 2 * config.every.as_secs() as i64;
                    let age = last_success_age.unwrap_or(started.elapsed().as_secs() as i64);
                    if age > limit {
                        problems.push(format!(
                            "Không có bản sao lưu thành công nào trong {} giờ qua (gấp đôi chu kỳ sao lưu).",
                            limit / 3600
                        ));
                    }
                    if last_failed {
                        problems.push("Lần sao lưu gần nhất không thành công.".into());
                    }
                }
            }
            Err(_) => problems.push("Không đọc được trạng thái sao lưu.".into()),
        }
    }

    let free = backup::free_space(&state.data_dir);
    match free {
        Some(free) if free < min_free => problems.push(format!(
            "Ổ đĩa chứa dữ liệu chỉ còn {} MB trống (cần ít nhất {} MB).",
            free / (1024 * 1024),
            min_free / (1024 * 1024)
        )),
        Some(_) => {}
        None => problems.push("Không đọc được dung lượng trống của ổ đĩa chứa dữ liệu.".into()),
    }

    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = serde_json::json!({
        "status": if problems.is_empty() { "ok" } else { "attention" },
        "database": database,
        "counters": {
            "enabled": counters.enabled(),
            "last_flush_seconds_ago": flush_age,
            "unwritten_views": unwritten.views,
            "unwritten_visits": unwritten.visits,
        },
        "backup": {
            "scheduled": config.dir.is_some(),
            "every_hours": config.dir.as_ref().map(|_| config.every.as_secs() / 3600),
            "last_success_seconds_ago": last_success_age,
            "last_failed": last_failed,
        },
        "disk": {
            "free_bytes": free,
            "min_free_bytes": min_free,
        },
        "problems": problems,
    });
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `/quan-tri/thong-ke/tai-ve?bang=…&ngay=…` (or `tu`, `den`): a table of the statistics page
/// as CSV, for editors and admins.
async fn statistics_csv(
    State(state): State<AppState>,
    official: Option<Extension<Official>>,
    query: Result<Query<BTreeMap<String, String>>, QueryRejection>,
) -> Response {
    let refuse = |status: StatusCode, text: &str| {
        let mut response = (status, text.to_string()).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    };
    match official {
        None => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "Bạn cần đăng nhập để tải số liệu thống kê.",
            )
        }
        Some(Extension(official)) if !official.can(Role::Editor) => {
            return refuse(
                StatusCode::FORBIDDEN,
                "Chỉ biên tập viên và quản trị viên được xem số liệu thống kê.",
            )
        }
        Some(_) => {}
    }
    let Ok(Query(query)) = query else {
        return refuse(StatusCode::BAD_REQUEST, "Địa chỉ tải về không đúng.");
    };
    let get = |key: &str| query.get(key).map(String::as_str);
    let table = get("bang").unwrap_or("");
    let Some((_, label)) = stats::CSV_TABLES.iter().find(|(name, _)| *name == table) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "Không có bảng số liệu này. Hãy chọn: theo-ngay, bai-viet, chuyen-muc hoặc video.",
        );
    };
    let today = state.clock.today();
    let period = match Period::parse(get("ngay"), get("tu"), get("den"), today) {
        Ok(period) => period,
        Err(err) => return refuse(StatusCode::BAD_REQUEST, &err.to_string()),
    };
    let statistics = match Statistics::load(&state.pool, &state.clock, period).await {
        Ok(s) => s,
        Err(err) => {
            let status =
                StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return refuse(status, &err.to_string());
        }
    };
    let Some(csv) = stats::csv(&statistics, table) else {
        return refuse(StatusCode::BAD_REQUEST, label);
    };
    let filename = format!(
        "thong-ke-{table}-{}-{}.csv",
        app::format::iso_date(period.from),
        app::format::iso_date(period.to)
    );
    let mut response = csv.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// Makes a backup every `every` (the first as soon as the last success is that old, so a
/// restart does not put it off), keeps the configured daily and weekly ones, and retries a
/// failed one after at most 15 minutes. None when `PORTAL_BACKUP_DIR` is not set.
pub fn spawn_schedule(state: &AppState) -> Option<tokio::task::JoinHandle<()>> {
    let dir = state.backups.dir.clone()?;
    let state = state.clone();
    Some(tokio::spawn(async move {
        let config = state.backups.clone();
        {
            let dir = dir.clone();
            let _ = tokio::task::spawn_blocking(move || backup::remove_leftovers(&dir)).await;
        }
        let retry = config.every.min(Duration::from_secs(15 * 60));
        let mut wait = match BackupStatus::load(&state.pool, &config).await {
            Ok(BackupStatus {
                last_ok: Some(run), ..
            }) => {
                let age = (state.clock.instant() - run.finished_at).whole_seconds();
                config
                    .every
                    .saturating_sub(Duration::from_secs(age.max(0) as u64))
            }
            _ => Duration::ZERO,
        };
        loop {
            tokio::time::sleep(wait).await;
            // What was counted until now goes into the snapshot.
            if let Err(err) = state.counters.flush(&state.pool).await {
                tracing::warn!(%err, "cannot write the counters before the backup");
            }
            wait = match backup::run(
                &state.pool,
                &state.clock,
                &state.media.dir,
                &dir,
                Trigger::Schedule,
            )
            .await
            {
                Ok(_) => {
                    match backups::made_archives(&state.pool).await {
                        Ok(made) => {
                            let (dir, daily, weekly) =
                                (dir.clone(), config.keep_daily, config.keep_weekly);
                            let now = state.clock.instant();
                            let _ = tokio::task::spawn_blocking(move || {
                                backup::prune(&dir, &made, now, daily, weekly)
                            })
                            .await;
                        }
                        Err(err) => {
                            tracing::warn!(%err, "cannot read the backups made; none removed")
                        }
                    }
                    config.every
                }
                Err(_) => retry,
            };
        }
    }))
}
