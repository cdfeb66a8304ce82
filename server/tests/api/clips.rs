//! The "Video Clip" widget: YouTube links and uploaded files, set by editors, counted like posts.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use app::model::Role;
use axum::{routing::get, Router};
use reqwest::multipart::{Form, Part};

use crate::helpers::*;

const WEBM: &[u8] = include_bytes!("../../../end2end/fixtures/clip.webm");
const PASSWORD: &str = "mật khẩu biên tập 1";

/// A stand-in for i.ytimg.com that counts its calls; it has every thumbnail, or none.
pub(crate) async fn fake_thumbnails(found: bool) -> (String, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let app = Router::new().route(
        "/vi/{id}/hqdefault.jpg",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async move {
                let status = if found {
                    http::StatusCode::OK
                } else {
                    http::StatusCode::NOT_FOUND
                };
                (
                    status,
                    [("content-type", "image/jpeg")],
                    vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3],
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, calls)
}

async fn upload(app: &TestApp, cookie: Option<&str>, name: &str, bytes: Vec<u8>) -> (u16, String) {
    let form = Form::new()
        .text("title", "Phóng sự: ngày hội đại đoàn kết")
        .part("file", Part::bytes(bytes).file_name(name.to_string()));
    let mut req = app.client.post(app.url("/api/upload_clip")).multipart(form);
    if let Some(cookie) = cookie {
        req = req.header("Cookie", cookie);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn media_files(app: &TestApp) -> Vec<String> {
    let dir = app.db_path.parent().unwrap().join("media");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_sets_a_youtube_clip_and_readers_get_only_a_local_thumbnail_until_play() {
    let (thumbnails, calls) = fake_thumbnails(true).await;
    let app = TestApp::spawn_with(Settings {
        thumbnails,
        ..Settings::default()
    })
    .await;
    assert_eq!(
        app.page("/", None).await.test_text("clip-none").as_deref(),
        Some("Chưa có video.")
    );
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    app.add_user("phongvien", Role::Writer, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let writer = app.sign_in("phongvien", PASSWORD).await.unwrap();
    let clip = [
        ("title", "Hội nghị tổng kết năm 2024"),
        ("link", "https://youtu.be/dQw4w9WgXcQ?si=x"),
    ];

    assert_eq!(app.call("add_youtube_clip", &clip, None).await.0, 401);
    assert_eq!(
        app.call("add_youtube_clip", &clip, Some(&writer)).await.0,
        403
    );
    let (status, body) = app
        .call(
            "add_youtube_clip",
            &[("title", "X"), ("link", "https://vimeo.com/1")],
            Some(&editor),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("không phải video YouTube"), "{body}");
    let (status, body) = app.call("add_youtube_clip", &clip, Some(&editor)).await;
    assert_eq!(status, 200, "{body}");

    let page = app.page("/", None).await;
    assert_eq!(
        page.test_text("clip-title").as_deref(),
        Some("Hội nghị tổng kết năm 2024")
    );
    assert!(
        page.body.contains(
            r#"href="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&amp;rel=0""#
        ),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains(r#"src="/media/youtube/dQw4w9WgXcQ.jpg""#));
    assert!(!page.body.contains("<iframe"), "no player before play");
    assert!(!page.body.contains("ytimg") && !page.body.contains("www.youtube.com"));

    for _ in 0..2 {
        let res = app
            .client
            .get(app.url("/media/youtube/dQw4w9WgXcQ.jpg"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        assert_eq!(res.bytes().await.unwrap()[..3], [0xFF, 0xD8, 0xFF]);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1, "fetched once, then kept");
    let res = app
        .client
        .get(app.url("/media/youtube/..%2Fportal.db.jpg"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_are_checked_by_content_and_served_with_range_requests() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();

    assert_eq!(upload(&app, None, "clip.webm", WEBM.to_vec()).await.0, 401);
    let form = Form::new()
        .text("title", "Từ trang khác")
        .part("file", Part::bytes(WEBM.to_vec()).file_name("clip.webm"));
    let res = app
        .client
        .post(app.url("/api/upload_clip"))
        .header("Cookie", &editor)
        .header("Sec-Fetch-Site", "cross-site")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "an upload sent by another site");
    assert_eq!(
        res.headers()["connection"],
        "close",
        "the unread upload's connection is not offered for reuse"
    );
    let (status, body) = upload(
        &app,
        Some(&editor),
        "video.mp4",
        b"<script>alert(1)</script>".to_vec(),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("không phải video MP4 hoặc WebM"), "{body}");
    let (status, body) = upload(&app, Some(&editor), "clip.mp4", WEBM.to_vec()).await;
    assert_eq!(status, 400, "a WebM named .mp4");
    assert!(body.contains("không khớp với nội dung (WEBM)"), "{body}");
    let mut big = WEBM.to_vec();
    big.resize(1024 * 1024 + 1, 0);
    let (status, body) = upload(&app, Some(&editor), "big.webm", big).await;
    assert!([400, 413].contains(&status), "{status}");
    assert!(body.contains("Tệp quá lớn"), "{body}");
    assert!(
        media_files(&app).is_empty(),
        "nothing refused is kept: {:?}",
        media_files(&app)
    );

    let (status, body) = upload(&app, Some(&editor), "clip.webm", WEBM.to_vec()).await;
    assert_eq!(status, 200, "{body}");
    let files = media_files(&app);
    assert_eq!(files.len(), 1);
    assert!(files[0].ends_with(".webm") && files[0].len() == 64 + 5);

    let page = app.page("/", None).await;
    let src = format!(r#"src="/media/{}""#, files[0]);
    assert!(page.body.contains(&src), "{}", page.body);
    assert!(page.body.contains(r#"type="video/webm""#));

    let res = app
        .client
        .get(app.url(&format!("/media/{}", files[0])))
        .header("Range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(res.headers()["content-type"], "video/webm");
    assert_eq!(
        res.headers()["content-range"],
        format!("bytes 100-199/{}", WEBM.len())
    );
    assert_eq!(res.bytes().await.unwrap()[..], WEBM[100..200]);
    let clips: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM clips")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(clips, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clip_counts_its_views_like_a_post() {
    let app = TestApp::spawn_counting(Default::default()).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let (status, _) = app
        .call(
            "add_youtube_clip",
            &[("title", "Clip"), ("link", "dQw4w9WgXcQ")],
            Some(&editor),
        )
        .await;
    assert_eq!(status, 200);
    let id: i64 = sqlx::query_scalar("SELECT id FROM clips")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let id = id.to_string();
    let reader = app.page("/", None).await.cookie();
    for expected in ["1", "1"] {
        let (status, body) = app.call("clip_view", &[("id", &id)], Some(&reader)).await;
        assert_eq!(
            (status, body.as_str()),
            (200, expected),
            "a reader's repeat counts once"
        );
    }
    assert_eq!(app.call("clip_view", &[("id", &id)], None).await.1, "2");
    assert_eq!(
        app.call("clip_view", &[("id", &id)], Some(&editor)).await.1,
        "2",
        "officials do not count"
    );
    assert_eq!(app.call("clip_view", &[("id", "999")], None).await.0, 404);
    app.flush().await;
    let stored: (i64, i64) =
        sqlx::query_as("SELECT view_count, (SELECT SUM(views) FROM clip_views_daily) FROM clips")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored, (2, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploaded_clip_may_carry_webvtt_captions() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let send = |captions: &'static [u8]| {
        let form = Form::new()
            .text("title", "Có phụ đề")
            .part("file", Part::bytes(WEBM.to_vec()).file_name("clip.webm"))
            .part("captions", Part::bytes(captions).file_name("phu-de.vtt"));
        app.client
            .post(app.url("/api/upload_clip"))
            .header("Cookie", &editor)
            .multipart(form)
            .send()
    };
    let res = send(b"1\n00:00:00,000 --> 00:00:02,000\nSRT, not WebVTT\n")
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("WebVTT"));
    let clips: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM clips")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(clips, 0, "a refused upload adds no clip");

    const VTT: &[u8] =
        "WEBVTT\n\n00:00.000 --> 00:03.000\nXin chào bà con xã Dương Quang\n".as_bytes();
    let res = send(VTT).await.unwrap();
    assert_eq!(res.status(), 200);
    let page = app.page("/", None).await;
    let at = page
        .body
        .find(r#"<track kind="captions" src="/media/"#)
        .expect("a captions track");
    let src: String = page.body[at..].split('"').nth(3).unwrap().to_string();
    assert!(src.ends_with(".vtt"), "{src}");
    assert!(page.body[at..].contains(r#"srclang="vi""#));
    let res = app.client.get(app.url(&src)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/vtt");
    assert_eq!(res.bytes().await.unwrap()[..], VTT[..]);
}
