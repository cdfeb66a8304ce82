//! Officials: sign-in and sign-out, sessions, the throttle, roles, cross-site refusal, the audit
//! log and the first admin.

use std::time::{Duration, Instant};

use app::model::Role;
use serde_json::Value;

use crate::helpers::*;

const PASSWORD: &str = "mật khẩu thật dài 2024";

/// Everything officials can change, as rows of text: equal before and after means unchanged.
async fn snapshot(app: &TestApp) -> Vec<String> {
    let mut rows: Vec<String> = sqlx::query_scalar(
        "SELECT 'user ' || id || ' ' || username || ' ' || display_name || ' ' || role || ' '
                || disabled || ' ' || password_hash FROM users
         UNION ALL SELECT 'post ' || id || ' ' || status || ' ' || version FROM posts
         UNION ALL SELECT 'audit ' || COUNT(*) FROM audit_log
         UNION ALL SELECT 'sessions ' || COUNT(*) FROM sessions",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    rows.sort();
    rows
}

/// A server function that changes data: (endpoint, arguments, the least role allowed).
type Call<'a> = (&'a str, Vec<(&'a str, &'a str)>, Role);

async fn me(app: &TestApp, cookie: &str) -> Value {
    let res = app
        .client
        .get(app.url("/api/me"))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap();
    serde_json::from_str(&res.text().await.unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_official_signs_in_sees_the_tools_and_signs_out_for_good() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;

    let res = app
        .client
        .post(app.url("/api/sign_in"))
        .form(&[("username", " BienTap "), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let set = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set.starts_with("portal_session="), "{set}");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && !set.contains("Secure"));
    let body = res.text().await.unwrap();
    assert!(!body.contains("argon2"), "no hash crosses the wire: {body}");
    let cookie = set.split(';').next().unwrap().to_string();
    assert_eq!(me(&app, &cookie).await["username"], "bientap");

    // The official sees the bar and the editor's tools; a citizen sees neither.
    let post = format!("/bai-viet/{SAMPLE_SLUG}");
    let page = app.page(&post, Some(&cookie)).await;
    assert_eq!(
        page.test_text("official-name").as_deref(),
        Some("Cán bộ bientap")
    );
    assert_eq!(page.count("editor-tools"), 1);
    let citizen = app.page(&post, None).await;
    assert_eq!(citizen.count("official-bar"), 0);
    assert_eq!(citizen.count("editor-tools"), 0);
    let res = app
        .client
        .get(app.url("/"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["cache-control"], "private, no-store");

    // Sign-out ends the session on the server: the old cookie is worth nothing.
    let res = app
        .client
        .post(app.url("/api/sign_out"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(me(&app, &cookie).await, Value::Null);
    let (status, _) = app
        .call(
            "post_action",
            &[("id", "1"), ("action", "unpublish")],
            Some(&cookie),
        )
        .await;
    assert_eq!(status, 401);
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    // A page asked with the dead cookie removes it.
    let page = app.page("/", Some(&cookie)).await;
    assert_eq!(page.count("official-bar"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_an_unknown_account_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.add_user("phongvien", Role::Writer, PASSWORD).await;
    let wrong = app
        .sign_in("phongvien", "sai mật khẩu rồi")
        .await
        .unwrap_err();
    let unknown = app
        .sign_in("khongco", "sai mật khẩu rồi")
        .await
        .unwrap_err();
    assert_eq!(wrong, unknown);
    assert_eq!(wrong.0, 400);
    assert!(
        wrong.1.contains("Tên đăng nhập hoặc mật khẩu không đúng"),
        "{}",
        wrong.1
    );
    let empty = app.sign_in("", "").await.unwrap_err();
    assert!(empty.1.contains("Vui lòng nhập"), "{}", empty.1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_are_slowed_then_refused_even_with_the_right_password() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    for _ in 0..3 {
        assert_eq!(
            app.sign_in("bientap", "đoán mò 12345").await.unwrap_err().0,
            400
        );
    }
    let started = Instant::now();
    assert_eq!(
        app.sign_in("bientap", "đoán mò 12345").await.unwrap_err().0,
        400
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the fourth attempt waits"
    );

    // Guesses sent at once all fail, and then the account is refused for a while.
    guess_at_once(&app, "bientap", 6).await;
    let (status, body) = app.sign_in("bientap", PASSWORD).await.unwrap_err();
    assert_eq!(status, 429);
    assert!(body.contains("thử lại sau 15 phút"), "{body}");
    // An account that does not exist is refused the same way: nothing tells them apart.
    guess_at_once(&app, "khongco", 10).await;
    assert_eq!(
        app.sign_in("khongco", "đoán mò 12345").await.unwrap_err(),
        (status, body)
    );
}

async fn guess_at_once(app: &TestApp, username: &'static str, n: usize) {
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..n {
        let (client, url) = (app.client.clone(), app.url("/api/sign_in"));
        guesses.spawn(async move {
            client
                .post(url)
                .form(&[
                    ("username", username),
                    ("password", &format!("đoán mò số {i}")),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    while let Some(status) = guesses.join_next().await {
        assert!([400, 429].contains(&status.unwrap()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_is_refused_to_anonymous_callers_small_roles_and_other_sites() {
    let app = TestApp::spawn().await;
    let writer_id = app.add_user("phongvien", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let writer = app.sign_in("phongvien", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    let id = writer_id.to_string();

    let calls: Vec<Call> = vec![
        (
            "create_account",
            vec![
                ("username", "moi"),
                ("display_name", "Người mới"),
                ("role", "admin"),
                ("password", PASSWORD),
            ],
            Role::Admin,
        ),
        (
            "set_account_role",
            vec![("id", &id), ("role", "admin")],
            Role::Admin,
        ),
        (
            "set_account_disabled",
            vec![("id", &id), ("disabled", "true")],
            Role::Admin,
        ),
        (
            "reset_account_password",
            vec![("id", &id), ("password", "mật khẩu mới 1234")],
            Role::Admin,
        ),
        (
            "post_action",
            vec![("id", "1"), ("action", "unpublish")],
            Role::Editor,
        ),
        (
            "change_password",
            vec![
                ("current", PASSWORD),
                ("new", "mật khẩu mới 1234"),
                ("confirm", "mật khẩu mới 1234"),
            ],
            Role::Writer,
        ),
    ];
    let before = snapshot(&app).await;
    for (endpoint, args, least) in &calls {
        let (status, body) = app.call(endpoint, args, None).await;
        assert_eq!(status, 401, "{endpoint} anonymously: {body}");
        assert!(body.contains("Unauthorized"), "{endpoint}: {body}");
        for (cookie, role) in [(&writer, Role::Writer), (&editor, Role::Editor)] {
            if role < *least {
                let (status, body) = app.call(endpoint, args, Some(cookie)).await;
                assert_eq!(status, 403, "{endpoint} as {role:?}: {body}");
            }
        }
        // With the admin's cookie, but sent by another site's page.
        for (name, value) in [
            ("Origin", "https://evil.example"),
            ("Sec-Fetch-Site", "cross-site"),
        ] {
            let res = app
                .client
                .post(app.url(&format!("/api/{endpoint}")))
                .header("Cookie", &admin)
                .header(name, value)
                .form(args)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 403, "{endpoint} from another site ({name})");
            assert!(res.text().await.unwrap().contains("CrossOrigin"));
        }
    }
    assert_eq!(snapshot(&app).await, before, "nothing changed");

    // Reads of the admin pages are guarded too.
    for path in ["/api/accounts", "/api/audit_log"] {
        let res = app
            .client
            .get(app.url(path))
            .header("Cookie", &editor)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{path}");
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 401, "{path}");
    }

    // The same page origin is fine, and each change is in the audit log with who and where.
    let origin = format!("http://{}", app.addr);
    let res = app
        .client
        .post(app.url("/api/post_action"))
        .header("Cookie", &editor)
        .header("Origin", &origin)
        .header("Sec-Fetch-Site", "same-origin")
        .form(&[("id", "1"), ("action", "unpublish")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (status, body) = app
        .call(
            "set_account_role",
            &[("id", &id), ("role", "editor")],
            Some(&admin),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let res = app
        .client
        .get(app.url("/api/audit_log"))
        .header("Cookie", &admin)
        .send()
        .await
        .unwrap();
    let log: Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries[0]["action"], "Đổi vai trò");
    assert_eq!(entries[0]["username"], "quantri");
    assert_eq!(entries[0]["target"], "phongvien");
    assert_eq!(entries[0]["detail"], "Phóng viên → Biên tập viên");
    assert_eq!(entries[0]["ip"], "127.0.0.1");
    assert_eq!(entries[1]["action"], "Gỡ bài viết");
    assert_eq!(entries[1]["username"], "bientap");
    let accounts = app
        .client
        .get(app.url("/api/accounts"))
        .header("Cookie", &admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(accounts.contains("phongvien") && !accounts.contains("argon2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_account_is_signed_out_at_once_and_cannot_sign_in() {
    let app = TestApp::spawn().await;
    let writer_id = app.add_user("phongvien", Role::Writer, PASSWORD).await;
    let admin_id = app.add_user("quantri", Role::Admin, PASSWORD).await;
    let writer = app.sign_in("phongvien", PASSWORD).await.unwrap();
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    assert_eq!(me(&app, &writer).await["username"], "phongvien");

    let (status, body) = app
        .call(
            "set_account_disabled",
            &[("id", &writer_id.to_string()), ("disabled", "true")],
            Some(&admin),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(me(&app, &writer).await, Value::Null);
    let refused = app.sign_in("phongvien", PASSWORD).await.unwrap_err();
    assert!(refused.1.contains("Tên đăng nhập hoặc mật khẩu không đúng"));

    // An admin cannot lock themselves out.
    let (status, body) = app
        .call(
            "set_account_disabled",
            &[("id", &admin_id.to_string()), ("disabled", "true")],
            Some(&admin),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("chính tài khoản đang dùng"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_account_input_gets_a_vietnamese_message_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    let before = snapshot(&app).await;
    for (form, message) in [
        (
            [
                ("username", "ab"),
                ("display_name", "A"),
                ("role", "writer"),
                ("password", PASSWORD),
            ],
            "Tên đăng nhập phải dài 3–32 ký tự",
        ),
        (
            [
                ("username", "moi"),
                ("display_name", "A"),
                ("role", "writer"),
                ("password", "ngắn"),
            ],
            "ít nhất 10 ký tự",
        ),
        (
            [
                ("username", "moi"),
                ("display_name", "A"),
                ("role", "vua"),
                ("password", PASSWORD),
            ],
            "Vai trò phải là",
        ),
        (
            [
                ("username", "QuanTri"),
                ("display_name", "A"),
                ("role", "writer"),
                ("password", PASSWORD),
            ],
            "đã có người dùng",
        ),
    ] {
        let (status, body) = app.call("create_account", &form, Some(&admin)).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains(message), "{body}");
    }
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn officials_reading_count_no_views_and_see_drafts() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let post = format!("/bai-viet/{SAMPLE_SLUG}");
    let before = app.visits().await;
    for _ in 0..3 {
        app.page(&post, Some(&editor)).await;
    }
    assert_eq!(app.views(SAMPLE_SLUG).await, 6);
    assert_eq!(app.visits().await, before);

    let (status, _) = app
        .call(
            "post_action",
            &[("id", "1"), ("action", "unpublish")],
            Some(&editor),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.page(&post, None).await.status, 404);
    let draft = app.page(&post, Some(&editor)).await;
    assert_eq!(draft.status, 200);
    assert_eq!(draft.count("draft-notice"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_start_makes_an_admin_whose_password_only_a_private_file_holds() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::spawn_on(dir.path().join("portal.db")).await;
    let file = dir.path().join("admin-password.txt");
    let text = std::fs::read_to_string(&file).expect("the password file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "readable by its owner only");
    }
    let password = text
        .lines()
        .find_map(|line| line.strip_prefix("Mật khẩu: "))
        .expect("the password line")
        .to_string();
    assert!(password.len() >= 10);
    let cookie = app.sign_in("admin", &password).await.unwrap();
    assert_eq!(me(&app, &cookie).await["role"], "admin");
    // A second start keeps the account and writes no new password.
    let path = app.stop().await;
    std::fs::remove_file(&file).unwrap();
    let again = TestApp::spawn_on(path).await;
    assert!(!file.exists());
    assert!(again.sign_in("admin", &password).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sign_in_without_javascript_comes_back_with_a_readable_message() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let res = app
        .client
        .post(app.url("/api/sign_in"))
        .header("Accept", "text/html")
        .header("Referer", app.url("/dang-nhap?tiep=/viet-bai"))
        .form(&[("username", "bientap"), ("password", "sai mật khẩu")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap();
    // Back to the form, on this site.
    let location = location
        .strip_prefix(&app.url(""))
        .unwrap_or(location)
        .to_string();
    assert!(
        !location.contains("__err") && !location.contains("__path"),
        "{location}"
    );
    assert!(
        location.starts_with("/dang-nhap?") && location.ends_with("&loi=sai"),
        "{location}"
    );
    assert!(
        location.contains("tiep="),
        "where to go after signing in is kept: {location}"
    );

    let page = app.page(&location, None).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Tên đăng nhập hoặc mật khẩu không đúng."),
        "the message is on the page"
    );

    // A link with words of its own puts nothing on the page.
    for crafted in [
        "/dang-nhap?loi=G%E1%BB%8Di%20s%E1%BB%91%20n%C3%A0y",
        "/dang-nhap?loi=%3Cb%3E",
    ] {
        let page = app.page(crafted, None).await;
        assert!(!page.body.contains("form-error"), "{crafted}");
    }
}
