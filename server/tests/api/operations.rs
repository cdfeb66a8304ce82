//! Running the portal: the statistics page and its CSV, `/healthz`, scheduled backups, and a
//! backup taken while the portal serves, restored and served again.

use std::path::Path;
use std::time::{Duration, Instant};

use app::model::Role;
use app::server::operations::backups::{row_counts, BackupConfig};
use serde_json::{json, Value};

use crate::attachments::{pdf, upload};
use crate::helpers::*;

const PASSWORD: &str = "mật khẩu thật dài 2024";

/// The sums of the per-day tables, and the running counters they were added with.
async fn sums(app: &TestApp) -> (i64, i64, i64, i64) {
    app.flush().await;
    sqlx::query_as(
        "SELECT (SELECT COALESCE(SUM(views), 0) FROM post_views_daily),
                (SELECT SUM(view_count) FROM posts),
                (SELECT COALESCE(SUM(visits), 0) FROM site_visits_daily),
                (SELECT value FROM counters WHERE name = 'visits')",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn statistics_agree_with_the_counters_and_are_for_editors_and_admins() {
    let app = TestApp::spawn().await;
    let before = sums(&app).await;
    // A hostile title reaches the page's table and the CSV.
    sqlx::query("UPDATE posts SET title = ? WHERE slug = ?")
        .bind("<img src=x onerror=alert(1)>, \"=1+1\"")
        .bind(SAMPLE_SLUG)
        .execute(&app.pool)
        .await
        .unwrap();
    for _ in 0..3 {
        // Three new browsers, each a visit and a view.
        let page = app.page(&format!("/bai-viet/{SAMPLE_SLUG}"), None).await;
        assert_eq!(page.status, 200);
    }
    let after = sums(&app).await;
    // Every view and visit counted went into its day too.
    assert_eq!(after.0 - before.0, 3);
    assert_eq!(after.1 - before.1, after.0 - before.0);
    assert_eq!(after.2 - before.2, 3);
    assert_eq!(after.3 - before.3, after.2 - before.2);

    app.add_user("phongvien", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let writer = app.sign_in("phongvien", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();

    let page = app.page("/quan-tri/thong-ke", None).await;
    assert_eq!(page.status, 401);
    let page = app.page("/quan-tri/thong-ke", Some(&writer)).await;
    assert_eq!(page.status, 403);
    let (status, _) = app.get_json("/api/statistics", None).await;
    assert_eq!(status, 401, "the server function checks the caller itself");

    let page = app.page("/quan-tri/thong-ke", Some(&editor)).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<title>Thống kê truy cập"),
        "the page's title"
    );
    let totals = page.test_text("stats-totals").unwrap();
    assert!(totals.contains("3 lượt truy cập"), "{totals}");
    assert!(totals.contains("3 lượt xem bài viết"), "{totals}");
    assert!(totals.contains("0 lượt xem video"), "{totals}");
    assert!(page
        .test_text("stats-period")
        .unwrap()
        .contains("30 ngày qua"));
    // A chart per daily series, described for screen readers, with its table.
    for id in ["luot-truy-cap", "luot-xem-bai", "luot-xem-video"] {
        assert_eq!(page.count(&format!("chart-{id}")), 1, "{id}");
    }
    let chart = &page.body[page.body.find("data-test=\"chart-luot-truy-cap\"").unwrap()..];
    assert!(chart.contains("role=\"img\""));
    assert!(chart.contains("tổng 3 lượt truy cập"), "the description");
    let today_text = app::format::date_text(app.clock.today());
    let table = page.test_text("table-theo-ngay").unwrap();
    assert!(table.contains(&format!("{today_text}330")), "{table}");
    // The most read, escaped.
    assert_eq!(page.count("top-post"), 1);
    assert!(!page.body.contains("<img src=x"), "no markup from a title");
    assert!(page.body.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.test_text("by-category").unwrap().contains("100,0%"));
    // Editors do not see the backups; admins do.
    assert_eq!(page.count("backups"), 0);
    let page = app.page("/quan-tri/thong-ke?ngay=90", Some(&admin)).await;
    assert_eq!(page.status, 200);
    assert!(page
        .test_text("stats-period")
        .unwrap()
        .contains("90 ngày qua"));
    assert!(page
        .test_text("backup-last-ok")
        .unwrap()
        .contains("Chưa có lần sao lưu nào thành công"));
    assert!(page
        .test_text("backup-schedule")
        .unwrap()
        .contains("Chưa bật sao lưu tự động"));

    // Chosen dates, and wrong ones: a Vietnamese reason, 400, the chooser again.
    let page = app
        .page(
            "/quan-tri/thong-ke?tu=2026-01-01&den=2026-01-03",
            Some(&editor),
        )
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body.matches("<tr><th scope=\"row\">").count(), 3);
    for (query, reason) in [
        ("ngay=7", "30, 90 hoặc 365"),
        ("tu=2026-02-30", "không phải là một ngày"),
        ("tu=2026-03-02&den=2026-03-01", "trước hoặc bằng"),
        ("tu=2020-01-01&den=2026-01-01", "tối đa 731"),
        ("tu=2026-01-01&den=2999-01-01", "sau hôm nay"),
    ] {
        let page = app
            .page(&format!("/quan-tri/thong-ke?{query}"), Some(&editor))
            .await;
        assert_eq!(page.status, 400, "{query}");
        assert!(
            page.test_text("period-error").unwrap().contains(reason),
            "{query}: {}",
            page.body
        );
        assert_eq!(page.count("period-form"), 1);
        assert_eq!(page.count("period-30"), 1, "the preset periods too");
    }
    // Dates typed the wrong way round come back as typed, to be corrected.
    let page = app
        .page(
            "/quan-tri/thong-ke?tu=2026-03-02&den=2026-03-01",
            Some(&editor),
        )
        .await;
    assert!(page.body.contains("name=\"tu\" value=\"2026-03-02\""));
    assert!(page.body.contains("name=\"den\" value=\"2026-03-01\""));

    // CSV: the same numbers, for the same people.
    let csv = |query: &str, cookie: Option<&str>| {
        let mut req = app
            .client
            .get(app.url(&format!("/quan-tri/thong-ke/tai-ve?{query}")));
        if let Some(cookie) = cookie {
            req = req.header("Cookie", cookie);
        }
        async move {
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let kind = res
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            (status, kind, res.text().await.unwrap())
        }
    };
    let (status, kind, text) = csv("bang=theo-ngay&ngay=30", Some(&editor)).await;
    assert_eq!(status, 200);
    assert_eq!(kind, "text/csv; charset=utf-8");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 31);
    assert_eq!(
        lines[0],
        "Ngày,Lượt truy cập,Lượt xem bài viết,Lượt xem video"
    );
    assert_eq!(lines[30], format!("{today_text},3,3,0"));
    let (status, _, text) = csv("bang=bai-viet&ngay=30", Some(&admin)).await;
    assert_eq!(status, 200);
    assert!(
        text.contains("\"<img src=x onerror=alert(1)>, \"\"=1+1\"\"\",3"),
        "quoted: {text}"
    );
    assert_eq!(csv("bang=theo-ngay", None).await.0, 401);
    assert_eq!(csv("bang=theo-ngay", Some(&writer)).await.0, 403);
    let (status, _, text) = csv("bang=mat-khau", Some(&editor)).await;
    assert_eq!(status, 400);
    assert!(text.contains("Không có bảng số liệu này"), "{text}");
    let (status, _, text) = csv("bang=video&ngay=8", Some(&editor)).await;
    assert_eq!(status, 400);
    assert!(text.contains("30, 90 hoặc 365"), "{text}");
}

/// Vietnam's midnight on 31/12 (17:00 UTC), crossed by moving the portal's clock: a visit and a
/// view a minute before count on 31/12, those a minute after on 01/01 of the next year, and a
/// post scheduled for 00:00 on 01/01 is public from then on, not before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_years_end_falls_at_midnight_in_vietnam_for_statistics_and_scheduled_posts() {
    use crate::editing::{new_post, save, stage};
    let app = TestApp::spawn().await;
    let year = app.clock.instant().year();
    let eve = time::Date::from_calendar_date(year, time::Month::December, 31)
        .unwrap()
        .with_hms(16, 59, 0)
        .unwrap()
        .assume_utc();
    app.clock
        .advance(eve.unix_timestamp() - i64::try_from(app.clock.now()).unwrap());
    assert_eq!(
        app::server::time::day_text(app.clock.today()),
        format!("{year}-12-31"),
        "23:59 in Vietnam"
    );
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let mut post = new_post("Chúc mừng năm mới", "<p>Lời chúc đầu năm.</p>");
    post["published_local"] = json!(format!("{}-01-01T00:00", year + 1));
    let (_, saved) = save(&app, post, &editor).await;
    let id = saved["Saved"]["id"].as_i64().unwrap();
    let (status, body) = app
        .call(
            "post_action",
            &[("id", &id.to_string()), ("action", "publish")],
            Some(&editor),
        )
        .await;
    assert_eq!((status, body.as_str()), (200, "\"scheduled\""));
    let path = format!("/bai-viet/{}", saved["Saved"]["slug"].as_str().unwrap());
    assert_eq!(
        app.page(&path, None).await.status,
        404,
        "not in the old year"
    );
    // A citizen reads the sample post at 23:59.
    assert_eq!(
        app.page(&format!("/bai-viet/{SAMPLE_SLUG}"), None)
            .await
            .status,
        200
    );

    // Two minutes later it is 00:01 on 01/01 in Vietnam.
    app.clock.advance(120);
    assert_eq!(
        app::server::time::day_text(app.clock.today()),
        format!("{}-01-01", year + 1)
    );
    let page = app.page(&path, None).await;
    assert_eq!(page.status, 200, "published at midnight");
    assert_eq!(stage(&app, id).await, "published");
    assert!(page.body.contains("01/01/"), "its date is the new year's");

    app.flush().await;
    let res = app
        .client
        .get(app.url(&format!(
            "/quan-tri/thong-ke/tai-ve?bang=theo-ngay&tu={year}-12-31&den={}-01-01",
            year + 1
        )))
        .header("Cookie", &editor)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    // On 31/12: two visits (the refused 404 and the sample post) and the sample post's view.
    assert_eq!(
        lines[1..],
        [
            format!("31/12/{year},2,1,0"),
            format!("01/01/{},1,1,0", year + 1)
        ],
        "{text}"
    );
}

async fn health(app: &TestApp, accept_html: bool) -> (u16, String, Value) {
    let mut req = app.client.get(app.url("/healthz"));
    if accept_html {
        req = req.header("Accept", "text/html");
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let cache = res
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = res.text().await.unwrap();
    (status, cache, serde_json::from_str(&body).unwrap())
}

#[tokio::test]
async fn healthz_says_what_needs_a_person() {
    let app = TestApp::spawn().await;
    let visits = app.visits().await;
    let (status, cache, body) = health(&app, true).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(cache, "no-store");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["backup"]["scheduled"], false);
    assert!(body["counters"]["last_flush_seconds_ago"].as_u64().unwrap() < 60);
    assert!(body["disk"]["free_bytes"].as_u64().unwrap() > 0);
    assert_eq!(body["problems"], json!([]));
    let text = body.to_string();
    assert!(
        !text.contains("/tmp") && !text.contains("portal.db"),
        "no paths: {text}"
    );
    assert_eq!(app.visits().await, visits, "monitoring is nobody's visit");
    drop(app);

    // A nearly full disk.
    let app = TestApp::spawn_with(Settings {
        disk_min_free_bytes: u64::MAX / 2,
        ..Settings::default()
    })
    .await;
    let (status, _, body) = health(&app, false).await;
    assert_eq!(status, 503);
    assert_eq!(body["status"], "attention");
    assert!(body["problems"][0]
        .as_str()
        .unwrap()
        .contains("Ổ đĩa chứa dữ liệu chỉ còn"));
}

/// Waits until `check` holds, for at most 30 s.
async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check().await {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_server_backs_up_by_itself_and_admins_see_failures() {
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("sao-luu");
    let app = TestApp::spawn_with(Settings {
        backups: BackupConfig {
            dir: Some(backups.clone()),
            every: Duration::from_secs(3600),
            keep_daily: 7,
            keep_weekly: 4,
        },
        ..Settings::default()
    })
    .await;
    // The first as the server starts, there being none.
    eventually("a scheduled backup is made", async || {
        std::fs::read_dir(&backups).is_ok_and(|d| {
            d.filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().ends_with(".tar.gz"))
        })
    })
    .await;
    let archive = std::fs::read_dir(&backups)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".tar.gz"))
        .unwrap();
    let manifest = server::backup::verify(&archive)
        .await
        .expect("a whole archive");
    assert_eq!(manifest.tables["posts"], 4);
    eventually("the run is recorded", async || {
        health(&app, false).await.2["backup"]["last_success_seconds_ago"].is_u64()
    })
    .await;
    let (status, _, body) = health(&app, false).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["backup"]["every_hours"], 1);
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    let page = app.page("/quan-tri/thong-ke", Some(&admin)).await;
    let last = page.test_text("backup-last-ok").unwrap();
    let name = archive.file_name().unwrap().to_string_lossy().into_owned();
    assert!(last.contains("(tự động)") && last.contains(&name), "{last}");
    assert!(page
        .test_text("backup-schedule")
        .unwrap()
        .contains("mỗi 1 giờ"));
    assert_eq!(page.count("backup-failed"), 0);
    drop(app);

    // A backup directory that cannot be made: the failure is recorded, shown, and reported.
    let blocked = dir.path().join("tep-thuong");
    std::fs::write(&blocked, "không phải thư mục").unwrap();
    let app = TestApp::spawn_with(Settings {
        backups: BackupConfig {
            dir: Some(blocked.join("sao-luu")),
            every: Duration::from_secs(3600),
            keep_daily: 7,
            keep_weekly: 4,
        },
        ..Settings::default()
    })
    .await;
    eventually("the failure is reported", async || {
        health(&app, false).await.0 == 503
    })
    .await;
    let (_, _, body) = health(&app, false).await;
    assert_eq!(body["backup"]["last_failed"], true);
    assert!(body
        .to_string()
        .contains("Lần sao lưu gần nhất không thành công"));
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    let page = app.page("/quan-tri/thong-ke", Some(&admin)).await;
    let failed = page.test_text("backup-failed").expect("the failure shows");
    assert!(
        failed.contains("không tạo được thư mục sao lưu"),
        "{failed}"
    );
}

/// `server <args>` on the data directory `data`.
fn server(data: &Path, args: &[&str]) -> std::process::Output {
    cli(data, args, &[])
}

/// `server restore ARCHIVE --data-dir TARGET`.
fn restore(data: &Path, archive: &Path, target: &Path) -> std::process::Output {
    server(
        data,
        &[
            "restore",
            archive.to_str().unwrap(),
            "--data-dir",
            target.to_str().unwrap(),
        ],
    )
}

fn text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_to_a_portal_with_the_same_content() {
    let app = TestApp::spawn().await;
    let data = app.db_path.parent().unwrap().to_path_buf();
    // Archives and restored copies outside the portal's directory, which goes with it.
    let elsewhere = tempfile::tempdir().unwrap();
    let place = elsewhere.path();
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let (status, file) = upload(&app, Some(&editor), "Kế hoạch.pdf", pdf()).await;
    assert_eq!(status, 200, "{file}");

    // Officials save and citizens read while the backup runs.
    let busy = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let work = {
        let (busy, client, base, editor) = (
            busy.clone(),
            app.client.clone(),
            app.url(""),
            editor.clone(),
        );
        tokio::spawn(async move {
            let mut saved = 0;
            while busy.load(std::sync::atomic::Ordering::Relaxed) {
                let edit = json!({ "edit": {
                    "id": null, "base_version": 0, "slug": "", "title": format!("Tin số {saved}"),
                    "lead": "Tóm tắt.", "body_html": "<p>Nội dung.</p>", "description": "",
                    "category_id": 3, "published_local": "",
                }});
                let res = client
                    .post(format!("{base}/api/save_post"))
                    .header("Content-Type", "application/json")
                    .header("Cookie", &editor)
                    .body(edit.to_string())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
                saved += 1;
                let res = client
                    .get(format!("{base}/bai-viet/{SAMPLE_SLUG}"))
                    .header("Accept", "text/html")
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
            }
            saved
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let out = place.join("sao-luu");
    let made = {
        let (data, out) = (data.clone(), out.clone());
        tokio::task::spawn_blocking(move || {
            server(&data, &["backup", "--to", out.to_str().unwrap()])
        })
        .await
        .unwrap()
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    busy.store(false, std::sync::atomic::Ordering::Relaxed);
    let saved = work.await.unwrap();
    assert!(made.status.success(), "{}", text(&made));
    assert!(saved > 0);
    assert!(
        text(&made).contains(&format!("Đã sao lưu {} vào", data.display())),
        "names what it backed up: {}",
        text(&made)
    );
    let archive = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".tar.gz"))
        .expect("an archive");

    // A data directory without the portal's database is not backed up (it would be a backup
    // of an empty portal made on the spot).
    let wrong = place.join("khong-phai-du-lieu");
    let refused = server(
        &wrong,
        &["backup", "--to", place.join("x").to_str().unwrap()],
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("Không có cơ sở dữ liệu của cổng"),
        "{}",
        text(&refused)
    );
    assert!(!wrong.exists() && !place.join("x").exists());

    // The archive holds password hashes: only the server's user reads it.
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&archive), 0o600);

    // Verified from end to end.
    let verified = server(&data, &["backup", "--verify", archive.to_str().unwrap()]);
    assert!(verified.status.success(), "{}", text(&verified));
    assert!(text(&verified).contains("Tệp sao lưu nguyên vẹn"));
    let manifest = server::backup::verify(&archive).await.unwrap();
    assert!(
        manifest.tables["posts"] >= 5,
        "posts saved before it are in it"
    );
    assert_eq!(manifest.tables["attachments"], 1);
    assert!(manifest
        .files
        .iter()
        .any(|f| f.path.starts_with("media/files/")));

    // Restored into a new directory, and served from it.
    let restored = place.join("khoi-phuc");
    let done = restore(&data, &archive, &restored);
    assert!(done.status.success(), "{}", text(&done));
    drop(app);
    assert_eq!(mode(&restored.join("portal.db")), 0o600);
    assert_eq!(mode(&restored), 0o700);
    let again = TestApp::spawn_on(restored.join("portal.db")).await;
    let counts: std::collections::BTreeMap<String, i64> =
        row_counts(&again.pool).await.unwrap().into_iter().collect();
    for table in [
        "posts",
        "post_revisions",
        "users",
        "documents",
        "attachments",
        "post_views_daily",
    ] {
        assert_eq!(counts[table], manifest.tables[table], "{table}");
    }
    assert_eq!(counts, manifest.tables, "every table as it was");
    assert_eq!(again.visits().await, manifest.counters["visits"]);
    let views: i64 = sqlx::query_scalar("SELECT SUM(view_count) FROM posts")
        .fetch_one(&again.pool)
        .await
        .unwrap();
    assert_eq!(views, manifest.counters["post_views"]);
    let signed_in = again
        .sign_in("bientap", PASSWORD)
        .await
        .expect("accounts work");
    let res = again
        .client
        .get(again.url(file["url"].as_str().unwrap()))
        .header("Cookie", &signed_in)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.bytes().await.unwrap().to_vec(),
        pdf(),
        "the attachment's file"
    );

    // A non-empty directory is refused; so is a damaged archive, leaving nothing behind.
    let refused = restore(&data, &archive, &restored);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("không trống"), "{}", text(&refused));
    let damaged = place.join("hong.tar.gz");
    let mut bytes = std::fs::read(&archive).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&damaged, &bytes).unwrap();
    let out = server(&data, &["backup", "--verify", damaged.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("bị hỏng"), "{}", text(&out));
    // The gzip stream's own checksum at its end (after the tar's end) is read too.
    let trailer = place.join("duoi.tar.gz");
    let mut bytes = std::fs::read(&archive).unwrap();
    let len = bytes.len();
    bytes[len - 6] ^= 0xff;
    std::fs::write(&trailer, &bytes).unwrap();
    let out = server(&data, &["backup", "--verify", trailer.to_str().unwrap()]);
    assert!(
        !out.status.success(),
        "a damaged gzip checksum is not intact"
    );
    assert!(text(&out).contains("bị hỏng"), "{}", text(&out));

    // A whole archive (its gzip and tar intact) with one file changed: caught by its SHA-256.
    let tampered = place.join("sua.tar.gz");
    {
        let mut input = tar::Archive::new(flate2::read::GzDecoder::new(
            std::fs::File::open(&archive).unwrap(),
        ));
        let mut output = tar::Builder::new(flate2::write::GzEncoder::new(
            std::fs::File::create(&tampered).unwrap(),
            flate2::Compression::fast(),
        ));
        for entry in input.entries().unwrap() {
            let mut entry = entry.unwrap();
            let path = entry.path().unwrap().into_owned();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            if path.starts_with("media/files") {
                bytes[0] ^= 1;
            }
            let mut header = entry.header().clone();
            output
                .append_data(&mut header, &path, bytes.as_slice())
                .unwrap();
        }
        output.into_inner().unwrap().finish().unwrap();
    }
    let out = server(&data, &["backup", "--verify", tampered.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("không khớp mã kiểm tra"),
        "{}",
        text(&out)
    );
    let target = place.join("khoi-phuc-2");
    for bad in [&damaged, &tampered] {
        let out = restore(&data, bad, &target);
        assert!(!out.status.success());
        assert!(!target.exists(), "nothing half-written");
    }
    let leftovers: Vec<String> = std::fs::read_dir(place)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// An archive of `app`'s database and media, made in `dir`.
async fn archive_of(app: &TestApp, dir: &Path) -> std::path::PathBuf {
    let media = app.db_path.parent().unwrap().join("media");
    server::backup::create(&app.pool, &app.clock, &media, dir)
        .await
        .expect("an archive")
        .path
}

/// The names starting with a dot in `dir`: what an unpacking left behind.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

/// The numbers written before " MB" in `text`, in order (`10.485.776 MB` is 10485776).
fn megabytes_in(text: &str) -> Vec<u64> {
    let parts: Vec<&str> = text.split(" MB").collect();
    parts[..parts.len() - 1]
        .iter()
        .filter_map(|before| {
            let number = before.rsplit(' ').next()?.replace('.', "");
            number.parse().ok()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anything_after_the_gzip_stream_of_an_archive_is_refused_by_verify_and_restore() {
    let app = TestApp::spawn().await;
    let data = app.db_path.parent().unwrap().to_path_buf();
    let elsewhere = tempfile::tempdir().unwrap();
    let place = elsewhere.path();
    let archive = archive_of(&app, place).await;
    let whole = std::fs::read(&archive).unwrap();
    let out = server(&data, &["backup", "--verify", archive.to_str().unwrap()]);
    assert!(out.status.success(), "as made, intact: {}", text(&out));

    // A second gzip member: one more tar entry a multi-member reader would unpack.
    let second = {
        let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
            Vec::new(),
            flate2::Compression::fast(),
        ));
        let mut header = tar::Header::new_gnu();
        header.set_size(4);
        header.set_mode(0o600);
        header.set_cksum();
        tar.append_data(&mut header, "media/them.txt", b"them".as_slice())
            .unwrap();
        tar.into_inner().unwrap().finish().unwrap()
    };
    let target = place.join("khoi-phuc");
    for (name, tail) in [
        ("rac.tar.gz", b"rac!rac".to_vec()),
        ("khong.tar.gz", vec![0u8; 7]),
        ("hai-phan.tar.gz", second),
    ] {
        let bad = place.join(name);
        let mut bytes = whole.clone();
        bytes.extend_from_slice(&tail);
        std::fs::write(&bad, &bytes).unwrap();
        let out = server(&data, &["backup", "--verify", bad.to_str().unwrap()]);
        assert!(!out.status.success(), "{name}: verified");
        assert!(
            text(&out).contains("dữ liệu thừa sau phần nén"),
            "{name}: {}",
            text(&out)
        );
        let out = restore(&data, &bad, &target);
        assert!(!out.status.success(), "{name}: restored");
        assert!(
            text(&out).contains("dữ liệu thừa sau phần nén"),
            "{name}: {}",
            text(&out)
        );
        assert!(!target.exists(), "{name}: nothing half-written");
        assert_eq!(leftovers(place), Vec::<String>::new(), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_refuses_an_archive_larger_than_the_free_space_before_writing_anything() {
    let app = TestApp::spawn().await;
    let data = app.db_path.parent().unwrap().to_path_buf();
    let elsewhere = tempfile::tempdir().unwrap();
    let place = elsewhere.path();
    let archive = archive_of(&app, &place.join("sao-luu")).await;

    // The archive's database, then an entry whose header claims 10 TB (the bytes it claims
    // are not there: only its header is ever read).
    const CLAIMED: u64 = 10 << 40;
    let huge = place.join("lon.tar.gz");
    {
        let mut input = tar::Archive::new(flate2::read::GzDecoder::new(
            std::fs::File::open(&archive).unwrap(),
        ));
        let mut output = tar::Builder::new(flate2::write::GzEncoder::new(
            std::fs::File::create(&huge).unwrap(),
            flate2::Compression::fast(),
        ));
        for entry in input.entries().unwrap() {
            let mut entry = entry.unwrap();
            let path = entry.path().unwrap().into_owned();
            if path == Path::new("portal.db") {
                let mut header = entry.header().clone();
                output.append_data(&mut header, &path, &mut entry).unwrap();
            }
        }
        let mut header = tar::Header::new_gnu();
        header.set_size(CLAIMED);
        header.set_mode(0o600);
        header.set_cksum();
        output
            .append_data(&mut header, "media/lon.bin", std::io::empty())
            .unwrap();
        output.into_inner().unwrap().finish().unwrap();
    }
    let free = server::backup::free_space(place).expect("the temporary directory's free space");
    assert!(free < CLAIMED, "a disk of more than 10 TB");
    let target = place.join("khoi-phuc");
    let out = restore(&data, &huge, &target);
    assert!(!out.status.success());
    let said = text(&out);
    assert!(said.contains("Không đủ chỗ trống"), "{said}");
    // It names what the whole archive needs and what is free, in megabytes.
    let numbers = megabytes_in(&said);
    assert_eq!(numbers.len(), 2, "{said}");
    let (need, shown_free) = (numbers[0] << 20, numbers[1] << 20);
    assert!(need > CLAIMED, "the database and the claimed entry: {said}");
    let slack = 2 << 30;
    assert!(
        shown_free + slack > free && shown_free < free + slack,
        "{shown_free} shown, {free} measured: {said}"
    );
    assert!(!target.exists(), "nothing written");
    assert_eq!(leftovers(place), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_needs_room_for_all_the_files_together_before_writing_the_first() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let (status, file) = upload(&app, Some(&editor), "Kế hoạch.pdf", pdf()).await;
    assert_eq!(status, 200, "{file}");
    let elsewhere = tempfile::tempdir().unwrap();
    let place = elsewhere.path();
    let archive = archive_of(&app, &place.join("sao-luu")).await;
    let manifest = server::backup::verify(&archive).await.unwrap();
    assert!(manifest.files.len() >= 2, "the database and a media file");
    let largest = manifest.files.iter().map(|f| f.bytes).max().unwrap();

    // A disk with room for each file by itself, but not for all of them: refused, and the
    // disk was asked only while nothing was written.
    let asked: std::sync::Arc<std::sync::Mutex<Vec<usize>>> = Default::default();
    let small_disk = {
        let asked = asked.clone();
        move |dir: &Path| {
            let written = walkdir(dir);
            asked.lock().unwrap().push(written);
            Some(largest + 1)
        }
    };
    let target = place.join("khoi-phuc");
    let refused = server::backup::restore_with_free_space(&archive, &target, small_disk)
        .await
        .expect_err("more than the disk holds");
    assert!(refused.contains("Không đủ chỗ trống"), "{refused}");
    assert_eq!(megabytes_in(&refused).len(), 2, "{refused}");
    let asked = asked.lock().unwrap().clone();
    assert!(!asked.is_empty(), "the disk was asked");
    assert!(
        asked.iter().all(|&n| n == 0),
        "files written before: {asked:?}"
    );
    assert!(!target.exists(), "nothing written");
    assert_eq!(leftovers(place), Vec::<String>::new());

    // With room for all, plus a margin: restored.
    let restored = server::backup::restore_with_free_space(&archive, &target, |_| Some(1 << 30))
        .await
        .expect("room enough");
    assert_eq!(restored, manifest);
    assert!(target.join("portal.db").is_file());
}

/// How many files there are under `dir`.
fn walkdir(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    if e.file_type().is_ok_and(|t| t.is_dir()) {
                        walkdir(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
