//! A citizen's question over HTTP: the form and every rule and bad input, the tracking code
//! and its limits, the hour's limit per address.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_asks_and_follows_the_question_by_its_code_alone() {
    let app = TestApp::spawn().await;
    let sent = ask(&app, &question_fields(), &[], None).await;
    assert_eq!(sent.status, 303, "{}", error_of(&sent.page.body));
    let code = code_of(&sent.location);
    assert_eq!(code.len(), 8);
    assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");

    let tracked = app.page(&sent.location, None).await;
    assert_eq!(tracked.status, 200);
    let shown = format!("{}-{}", &code[..4], &code[4..]);
    assert_eq!(tracked.test_text("tracking-code").unwrap(), shown);
    assert_eq!(tracked.test_text("status").unwrap(), "Đã tiếp nhận");
    let text = strip_tags(&tracked.body);
    assert!(text.contains("Thủ tục cấp giấy chứng nhận quyền sử dụng đất"));
    // Nothing personal on the tracking page: not the name, the contact or the hamlet.
    for private in ["Nguyễn Văn An", "an.nguyen@example.vn", "Thôn Đông"] {
        assert!(!text.contains(private), "{private} shown");
    }
    // Typed in lower case with spaces, the code still finds it.
    let typed = format!(
        "/hoi-dap/tra-cuu?ma={}+{}",
        code[..4].to_lowercase(),
        &code[4..]
    );
    assert_eq!(
        app.page(&typed, None).await.test_text("status").unwrap(),
        "Đã tiếp nhận"
    );

    // A second citizen's code shows only their own question.
    let mut other = question_fields();
    other[4].1 = "Đăng ký khai sinh cho con".into();
    other[3].1 = "ho-tich".into();
    let second = code_of(&ask(&app, &other, &[], None).await.location);
    let theirs = strip_tags(
        &app.page(&format!("/hoi-dap/tra-cuu?ma={second}"), None)
            .await
            .body,
    );
    assert!(theirs.contains("Đăng ký khai sinh cho con"));
    assert!(!theirs.contains("quyền sử dụng đất"));
    // An unknown or malformed code finds nothing and says how codes look.
    for wrong in ["ABCDEFGH", "K7PM-3QX0", "<script>x</script>"] {
        let page = app
            .page(
                &format!("/hoi-dap/tra-cuu?ma={}", app::format::query_value(wrong)),
                None,
            )
            .await;
        assert_eq!(page.status, 404, "{wrong}");
        assert!(page
            .test_text("form-error")
            .unwrap()
            .contains("Không tìm thấy câu hỏi"));
        assert!(!page.body.contains("<script>x"), "escaped");
        assert!(!strip_tags(&page.body).contains("quyền sử dụng đất"));
    }
    // Stored as typed, in NFC, with its deadline.
    let (name, due, received): (String, String, String) =
        sqlx::query_as("SELECT name, due_on, received_on FROM questions WHERE code = ?")
            .bind(&code)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(name, "Nguyễn Văn An");
    assert!(due > received);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_input_is_refused_with_its_reason_keeping_what_was_typed() {
    let app = TestApp::spawn().await;
    let with = |name: &str, value: &str| {
        let mut fields = question_fields();
        fields.retain(|(k, _)| *k != name);
        fields.push((
            Box::leak(name.to_string().into_boxed_str()),
            value.to_string(),
        ));
        fields
    };
    let long_body = "a".repeat(2001);
    let long_title = "Đ".repeat(201);
    // The fields, the guard's fields overridden, the status and the reason.
    type Case<'a> = (
        Vec<(&'a str, String)>,
        Vec<(&'a str, &'a str)>,
        u16,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            with("ho-ten", "   "),
            vec![],
            400,
            "Vui lòng nhập họ và tên",
        ),
        (with("thon", ""), vec![], 400, "Vui lòng nhập thôn"),
        (
            with("chi-tiet", ""),
            vec![],
            400,
            "Vui lòng nhập nội dung câu hỏi",
        ),
        (
            with("chi-tiet", &long_body),
            vec![],
            400,
            "quá giới hạn 2000 ký tự",
        ),
        (
            with("tieu-de", &long_title),
            vec![],
            400,
            "quá giới hạn 200 ký tự",
        ),
        (
            with("linh-vuc", "khong-co"),
            vec![],
            400,
            "Vui lòng chọn lĩnh vực",
        ),
        (
            with("lien-he", "goi toi nhe"),
            vec![],
            400,
            "Số điện thoại hoặc thư điện tử chưa đúng",
        ),
        (
            question_fields(),
            vec![("tra-loi-kiem-tra", "99")],
            400,
            "Câu trả lời kiểm tra chưa đúng",
        ),
        (
            question_fields(),
            vec![("tra-loi-kiem-tra", "")],
            400,
            "Vui lòng trả lời câu hỏi kiểm tra",
        ),
        (
            question_fields(),
            vec![("trang-web", "http://spam.example")],
            400,
            "phải để trống",
        ),
        (
            question_fields(),
            vec![("phieu", "1.abc.def")],
            400,
            "Biểu mẫu đã hết hạn",
        ),
    ];
    for (fields, guard, status, reason) in cases {
        let sent = ask(&app, &fields, &guard, None).await;
        assert_eq!(sent.status, status, "{reason}");
        let error = sent.page.test_text("form-error").unwrap_or_default();
        assert!(error.contains(reason), "{reason}: {error}");
        // The form comes back with what was typed (but a new sum to answer).
        if !guard.is_empty() || reason.contains("lĩnh vực") {
            assert!(
                sent.page.body.contains("value=\"Nguyễn Văn An\""),
                "{reason}"
            );
            assert!(
                sent.page.body.contains("Cần chuẩn bị giấy tờ gì?"),
                "{reason}"
            );
        }
        assert!(sent.page.body.contains("data-challenge="), "{reason}");
        // Complete without JavaScript: the form is in the page, not a loading placeholder.
        assert!(!sent.page.body.contains("Đang tải…"), "{reason}");
    }
    // A file that is neither an image nor a PDF, and one over 5 MB.
    let sent = ask(
        &app,
        &question_fields(),
        &[],
        Some(("bao-cao.docx", b"PK\x03\x04 not really".to_vec())),
    )
    .await;
    assert_eq!(sent.status, 400);
    assert!(
        sent.page.test_text("form-error").unwrap().contains("Tệp"),
        "{:?}",
        sent.page.test_text("form-error")
    );
    assert!(sent.page.body.contains("chọn lại tệp"));
    let big = vec![b'%'; 5 * 1024 * 1024 + 10];
    let sent = ask(&app, &question_fields(), &[], Some(("lon.pdf", big))).await;
    assert!(matches!(sent.status, 413 | 0), "{}", sent.status);
    assert_eq!(
        count(&app, "questions").await,
        0,
        "nothing refused was stored"
    );
    assert_eq!(count(&app, "attachments").await, 0);

    // A real PDF is kept with the question, for officials only.
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let sent = ask(&app, &question_fields(), &[], Some(("giay-to.pdf", pdf))).await;
    assert_eq!(sent.status, 303, "{:?}", sent.page.test_text("form-error"));
    let token: String = sqlx::query_scalar(
        "SELECT a.token FROM questions q JOIN attachments a ON a.id = q.attachment_id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let file = app.page(&format!("/tep/{token}/giay-to.pdf"), None).await;
    assert_eq!(file.status, 404, "a citizen's file is not public");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_sent_too_fast_or_over_the_hour_limit_is_refused() {
    let app = TestApp::spawn_with(Settings {
        form_min_seconds: 30,
        ..Settings::default()
    })
    .await;
    let sent = ask(&app, &question_fields(), &[], None).await;
    assert_eq!(sent.status, 400);
    assert!(sent
        .page
        .test_text("form-error")
        .unwrap()
        .contains("quá nhanh"));
    assert!(
        sent.page.body.contains("Thủ tục cấp giấy chứng nhận"),
        "typed text kept"
    );
    assert_eq!(count(&app, "questions").await, 0);
    drop(app);

    let app = TestApp::spawn_with(Settings {
        questions_per_hour: 2,
        ..Settings::default()
    })
    .await;
    for _ in 0..2 {
        assert_eq!(ask(&app, &question_fields(), &[], None).await.status, 303);
    }
    let sent = ask(&app, &question_fields(), &[], None).await;
    assert_eq!(sent.status, 429);
    assert!(sent
        .page
        .test_text("form-error")
        .unwrap()
        .contains("trong một giờ qua"));
    assert!(sent.page.body.contains("value=\"Nguyễn Văn An\""));
    assert_eq!(count(&app, "questions").await, 2);
    // The address is kept only as a keyed hash.
    let senders: Vec<String> = sqlx::query_scalar("SELECT sender FROM questions")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(senders
        .iter()
        .all(|s| s.len() == 32 && !s.contains("127.0.0.1")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_serves_once_and_a_body_of_invented_fields_is_refused_at_once() {
    let app = TestApp::spawn().await;
    let form_page = app.page("/hoi-dap/gui-cau-hoi", None).await;
    let (ticket, answer) = (form_ticket(&form_page.body), solve(&form_page.body));
    let send = |extra: usize| {
        let mut form = Form::new();
        for (k, v) in question_fields() {
            form = form.text(k, v);
        }
        for i in 0..extra {
            form = form.text(format!("f{i}"), "");
        }
        form = form
            .text("phieu", ticket.clone())
            .text("tra-loi-kiem-tra", answer.clone())
            .text("trang-web", "");
        app.client
            .post(app.url("/hoi-dap/gui-cau-hoi"))
            .header(ORIGIN, app.url(""))
            .multipart(form)
            .send()
    };
    assert_eq!(send(0).await.unwrap().status().as_u16(), 303);
    let again = Page::read(send(0).await.unwrap()).await;
    assert_eq!(again.status, 400);
    assert!(again
        .test_text("form-error")
        .unwrap()
        .contains("đã được gửi một lần"));
    // Refused after its 40th part: the answer may come (and the connection close) before the
    // client has sent all of it.
    match send(5000).await {
        Ok(res) => {
            let many = Page::read(res).await;
            assert_eq!(many.status, 400);
            assert!(many
                .test_text("form-error")
                .unwrap()
                .contains("không đúng dạng"));
        }
        Err(err) => assert!(err.is_request(), "{err}"),
    }
    assert_eq!(count(&app, "questions").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_forms_sent_at_once_from_one_address_keep_to_the_hours_limit() {
    let app = TestApp::spawn_with(Settings {
        questions_per_hour: 5,
        ..Settings::default()
    })
    .await;
    // Comments on a draft count against the same limit.
    let until = app::format::iso_date(vietnam_today() + Duration::days(10));
    sqlx::query("UPDATE documents SET comments_until = ? WHERE id = 1")
        .bind(&until)
        .execute(&app.pool)
        .await
        .unwrap();
    // Forty forms opened first, each with its own ticket and sum.
    let mut questions = Vec::new();
    for _ in 0..30 {
        questions.push(fill(&app, &question_fields(), &[]).await);
    }
    let mut comments = Vec::new();
    for _ in 0..10 {
        let form = app.page("/van-ban/1/gop-y", None).await;
        comments.push((form_ticket(&form.body), solve(&form.body)));
    }
    type Sending<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = (u16, String)> + 'a>>;
    let mut sending: Vec<Sending> = Vec::new();
    for values in questions {
        let app = &app;
        sending.push(Box::pin(async move {
            let sent = send(app, values, None, None).await;
            (sent.status, sent.page.body)
        }));
    }
    for (ticket, answer) in comments {
        let app = &app;
        sending.push(Box::pin(async move {
            let (status, _, body) = post_form(
                app,
                "/van-ban/1/gop-y",
                &[
                    ("ho-ten", "Trần Thị Bình"),
                    ("thon", "Xóm 3"),
                    ("chi-tiet", "Đề nghị bổ sung lịch tiếp dân."),
                    ("phieu", &ticket),
                    ("tra-loi-kiem-tra", &answer),
                    ("trang-web", ""),
                ],
                None,
            )
            .await;
            (status, body)
        }));
    }
    let answers = futures::future::join_all(sending).await;
    let accepted = answers.iter().filter(|(status, _)| *status == 303).count();
    assert_eq!(
        accepted,
        5,
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    for (status, body) in answers.iter().filter(|(status, _)| *status != 303) {
        assert_eq!(*status, 429, "{}", error_of(body));
        assert!(
            error_of(body).contains("trong một giờ qua"),
            "{}",
            error_of(body)
        );
    }
    assert_eq!(
        count(&app, "questions").await + count(&app, "draft_comments").await,
        5
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_from_one_ipv6_64_count_as_one_address() {
    let app = TestApp::spawn_with(behind_a_proxy(Settings {
        questions_per_hour: 2,
        ..Settings::default()
    }))
    .await;
    let mut statuses = Vec::new();
    for i in 1..=8 {
        let values = fill(&app, &question_fields(), &[]).await;
        let ip = format!("2001:db8:5:6:{i:x}::{i:x}");
        statuses.push(send(&app, values, None, Some(&ip)).await.status);
    }
    assert_eq!(statuses, [303, 303, 429, 429, 429, 429, 429, 429]);
    // Another /64 is another address.
    let values = fill(&app, &question_fields(), &[]).await;
    let sent = send(&app, values, None, Some("2001:db8:5:7::1")).await;
    assert_eq!(sent.status, 303);
    assert_eq!(count(&app, "questions").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracking_codes_cannot_be_guessed_from_one_address() {
    let app = TestApp::spawn_with(behind_a_proxy(Settings::default())).await;
    let code = code_of(&ask(&app, &question_fields(), &[], None).await.location);
    let alphabet: Vec<char> = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".chars().collect();
    // The page as a browser asks for it; the server function as the hydrated page calls it.
    let track = |path: String, ip: String| {
        let accept = if path.starts_with("/api/") {
            "application/json"
        } else {
            "text/html"
        };
        app.client
            .get(app.url(&path))
            .header("x-forwarded-for", ip)
            .header(reqwest::header::ACCEPT, accept)
            .send()
    };
    // Thirty wrong codes, each from another address of one IPv6 /64, through the server
    // function and the page alike: each is told no question has it.
    for i in 0..30usize {
        let guess = format!("ZZZZ-ZZ{}{}", alphabet[i / 32], alphabet[i % 32]);
        assert_ne!(guess.replace('-', ""), code);
        let ip = format!("2001:db8:9:9::{:x}", i + 1);
        if i % 2 == 0 {
            let res = track(format!("/api/track_question?ma={guess}"), ip)
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 200, "{i}");
            let data: Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
            assert_eq!(data["status"], 404, "{i}: {data}");
        } else {
            let page = Page::read(
                track(format!("/hoi-dap/tra-cuu?ma={guess}"), ip)
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!(page.status, 404, "{i}");
        }
    }
    // Then every lookup from that /64 is refused, the right code too, in Vietnamese.
    for path in [
        "/api/track_question?ma=ZZZZ-ZZZZ".to_string(),
        format!("/api/track_question?ma={code}"),
        format!("/hoi-dap/tra-cuu?ma={code}"),
    ] {
        let res = track(path.clone(), "2001:db8:9:9:ffff::1".into())
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 429, "{path}");
        let body = res.text().await.unwrap();
        assert!(
            body.contains("nhập sai mã tra cứu quá nhiều lần"),
            "{path}: {body}"
        );
        assert!(!body.contains("Thủ tục cấp giấy chứng nhận"), "{path}");
    }
    // Other addresses still look their codes up, and see nothing personal.
    for ip in ["2001:db8:9:a::1", "203.0.113.7"] {
        let page = Page::read(
            track(format!("/hoi-dap/tra-cuu?ma={code}"), ip.into())
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(page.status, 200, "{ip}");
        assert_eq!(page.test_text("status").unwrap(), "Đã tiếp nhận");
        let text = strip_tags(&page.body);
        assert!(!text.contains("Nguyễn Văn An") && !text.contains("an.nguyen@"));
    }
    // Guesses sent all at once are counted before any is answered: at most thirty are
    // checked (the right lookups above gave their counts back).
    let at_once = (0..200usize).map(|i| {
        let guess = format!(
            "YYYY-Y{}{}{}",
            alphabet[i / 1024 % 32],
            alphabet[i / 32 % 32],
            alphabet[i % 32]
        );
        let ip = format!("2001:db8:9:b::{:x}", i + 1);
        let request = track(format!("/hoi-dap/tra-cuu?ma={guess}"), ip);
        async move { request.await.unwrap().status().as_u16() }
    });
    let statuses = futures::future::join_all(at_once).await;
    let checked = statuses.iter().filter(|s| **s == 404).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (30, 170), "{statuses:?}");
}
