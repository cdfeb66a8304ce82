//! The e-mail telling a citizen of the answer, through the outbox and a local SMTP listener.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizen_is_emailed_through_the_outbox_when_answered() {
    let (url, mut inbox) = fake_smtp().await;
    let app = TestApp::spawn_with(Settings {
        mail: Some(
            server::mail::MailConfig::new(&url, "Cổng thông tin xã <no-reply@xa.example.vn>")
                .unwrap(),
        ),
        ..Settings::default()
    })
    .await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let code = code_of(&ask(&app, &question_fields(), &[], None).await.location);
    let path = "/quan-tri/hoi-dap/1";
    answered(
        &app,
        "<p>Mời anh mang hồ sơ tới bộ phận một cửa.</p>",
        &editor,
    )
    .await;
    let (status, _, _) = post_form(&app, path, &[("thao-tac", "da-tra-loi")], Some(&editor)).await;
    assert_eq!(status, 303);
    assert_eq!(
        app.page(&format!("/hoi-dap/tra-cuu?ma={code}"), None)
            .await
            .test_text("status")
            .unwrap(),
        "Đã trả lời"
    );
    let mail = tokio::time::timeout(std::time::Duration::from_secs(20), inbox.recv())
        .await
        .expect("an e-mail within 20 s")
        .unwrap();
    assert!(mail.contains("an.nguyen@example.vn"), "{mail}");
    let shown = format!("{}-{}", &code[..4], &code[4..]);
    assert!(
        mail.contains(&shown),
        "the mail's subject gives the code: {mail}"
    );
    // Recorded as sent once the mail server has taken it.
    let mut sent: Option<String> = None;
    for _ in 0..50 {
        sent = sqlx::query_scalar("SELECT sent_at FROM mail_outbox")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        if sent.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(sent.is_some(), "recorded as sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_never_waits_for_a_mail_server_that_does_not_answer() {
    // Accepts connections and never says a word (lettre would wait 30 s for its greeting).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let app = TestApp::spawn_with(Settings {
        mail: Some(server::mail::MailConfig::new(&url, "no-reply@xa.example.vn").unwrap()),
        ..Settings::default()
    })
    .await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    ask(&app, &question_fields(), &[], None).await;
    answered(&app, "<p>Trả lời.</p>", &editor).await;
    let started = std::time::Instant::now();
    let (status, _, _) = post_form(
        &app,
        "/quan-tri/hoi-dap/1",
        &[("thao-tac", "dang")],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 303);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // The mail waits in the outbox, unsent.
    let (to, sent): (String, Option<String>) =
        sqlx::query_as("SELECT to_addr, sent_at FROM mail_outbox")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((to.as_str(), sent), ("an.nguyen@example.vn", None));
    held.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_mail_server_nothing_is_queued_and_the_tracking_page_is_the_channel() {
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    ask(&app, &question_fields(), &[], None).await;
    answered(&app, "<p>Trả lời.</p>", &editor).await;
    assert_eq!(
        post_form(
            &app,
            "/quan-tri/hoi-dap/1",
            &[("thao-tac", "da-tra-loi")],
            Some(&editor)
        )
        .await
        .0,
        303
    );
    assert_eq!(count(&app, "mail_outbox").await, 0);
}
