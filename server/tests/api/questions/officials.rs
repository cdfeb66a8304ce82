//! The officials' side over HTTP: the queue and its steps with their role checks, the
//! working-day deadline and the holidays, the answer as a published, searchable post, and who
//! may see a question's sender.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_is_fifteen_working_days_and_admins_keep_the_holidays() {
    let app = TestApp::spawn().await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let today = vietnam_today();
    // Three working days off from tomorrow on (a Tết announced late, say).
    let added: Vec<Date> = (1..=3).map(|n| nth_working_day(today, n, &[])).collect();
    for day in &added {
        let iso = app::format::iso_date(*day);
        let (status, location, _) = post_form(
            &app,
            "/quan-tri/hoi-dap",
            &[
                ("thao-tac", "them-ngay-nghi"),
                ("ngay", &iso),
                ("ten", "Nghỉ bù"),
            ],
            Some(&admin),
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/quan-tri/hoi-dap?xong=ngay-nghi")
        );
    }
    // Editors and citizens cannot change the calendar.
    let iso = app::format::iso_date(added[0]);
    let (status, _, _) = post_form(
        &app,
        "/quan-tri/hoi-dap",
        &[("thao-tac", "xoa-ngay-nghi"), ("ngay", &iso)],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, _) = post_form(
        &app,
        "/quan-tri/hoi-dap",
        &[("thao-tac", "xoa-ngay-nghi"), ("ngay", &iso)],
        None,
    )
    .await;
    assert_eq!(status, 401);
    let (status, _, body) = post_form(
        &app,
        "/quan-tri/hoi-dap",
        &[
            ("thao-tac", "them-ngay-nghi"),
            ("ngay", "2027-02-30"),
            ("ten", "Tết"),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(status, 400);
    assert!(error_of(&body).contains("Ngày nghỉ không hợp lệ"));

    let code = code_of(&ask(&app, &question_fields(), &[], None).await.location);
    let mut off: Vec<Date> = sqlx::query_scalar::<_, String>("SELECT day FROM holidays")
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .iter()
        .filter_map(|d| app::format::parse_date(d))
        .collect();
    off.extend(&added);
    let expected = nth_working_day(today, 15, &off);
    let due: String = sqlx::query_scalar("SELECT due_on FROM questions WHERE code = ?")
        .bind(&code)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(due, app::format::iso_date(expected));
    assert!(
        expected >= today + Duration::days(21),
        "15 working days span at least three weeks"
    );
    // A holiday removed moves the deadline of the open question back.
    let (status, _, _) = post_form(
        &app,
        "/quan-tri/hoi-dap",
        &[("thao-tac", "xoa-ngay-nghi"), ("ngay", &iso)],
        Some(&admin),
    )
    .await;
    assert_eq!(status, 303);
    off.retain(|d| *d != added[0]);
    let due: String = sqlx::query_scalar("SELECT due_on FROM questions WHERE code = ?")
        .bind(&code)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(due, app::format::iso_date(nth_working_day(today, 15, &off)));

    // The queue shows the days left; once past the deadline, the row is marked overdue and
    // the officials' bar counts it.
    let queue = app.page("/quan-tri/hoi-dap", Some(&editor)).await;
    assert_eq!(queue.status, 200);
    assert!(
        queue.test_text("days-left").unwrap().starts_with("Còn "),
        "{:?}",
        queue.test_text("days-left")
    );
    let past = app::format::iso_date(today - Duration::days(7));
    sqlx::query("UPDATE questions SET due_on = ?")
        .bind(&past)
        .execute(&app.pool)
        .await
        .unwrap();
    let queue = app
        .page("/quan-tri/hoi-dap?xem=qua-han", Some(&editor))
        .await;
    // The row is marked (the order of its attributes is the renderer's).
    assert!(queue
        .body
        .contains("data-test=\"queue-row\" class=\"qa-overdue\""));
    assert!(queue
        .test_text("days-left")
        .unwrap()
        .starts_with("Quá hạn "));
    let (_, me) = app.get_json("/api/me", Some(&editor)).await;
    assert_eq!(me["questions"], json!([1, 1]));
    let stats = app.page("/quan-tri/thong-ke", Some(&editor)).await;
    let line = stats.test_text("stats-questions").unwrap();
    assert!(
        line.starts_with("1 câu hỏi") && line.contains("0 đã trả lời, 1 đang quá hạn"),
        "{line}"
    );
    // Citizens do not see the queue.
    assert_eq!(app.page("/quan-tri/hoi-dap", None).await.status, 401);
    assert_eq!(app.get_json("/api/question_queue", None).await.0, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn officials_assign_answer_and_publish_with_their_roles_checked() {
    let app = TestApp::spawn().await;
    let writer_id = app.add_user("vietbai", Role::Writer, PASSWORD).await;
    app.add_user("vietbai2", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let writer = app.sign_in("vietbai", PASSWORD).await.unwrap();
    let other_writer = app.sign_in("vietbai2", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let code = code_of(&ask(&app, &question_fields(), &[], None).await.location);
    let id: i64 = sqlx::query_scalar("SELECT id FROM questions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let path = format!("/quan-tri/hoi-dap/{id}");

    // Anonymous: nothing; a writer not assigned: no step; only editors assign.
    for step in [
        "giao",
        "soan",
        "da-tra-loi",
        "dang",
        "khong-dang",
        "ten-hien-thi",
    ] {
        assert_eq!(
            post_form(&app, &path, &[("thao-tac", step)], None).await.0,
            401,
            "{step}"
        );
    }
    assert_eq!(app.page(&path, None).await.status, 401);
    let writer_id_text = writer_id.to_string();
    assert_eq!(
        post_form(
            &app,
            &path,
            &[("thao-tac", "giao"), ("can-bo", &writer_id_text)],
            Some(&writer)
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post_form(&app, &path, &[("thao-tac", "soan")], Some(&writer))
            .await
            .0,
        403
    );
    let detail = app.page(&path, Some(&editor)).await;
    assert!(
        strip_tags(&detail.body).contains("an.nguyen@example.vn"),
        "officials see the contact"
    );

    let (status, location, _) = post_form(
        &app,
        &path,
        &[("thao-tac", "giao"), ("can-bo", &writer_id_text)],
        Some(&editor),
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("{path}?xong=giao").as_str())
    );
    assert_eq!(
        app.page(&format!("/hoi-dap/tra-cuu?ma={code}"), None)
            .await
            .test_text("status")
            .unwrap(),
        "Đang xử lý"
    );
    // The assigned writer starts the answer: a draft post of Hỏi đáp, opened in the editor.
    let (status, _, body) =
        post_form(&app, &path, &[("thao-tac", "soan")], Some(&other_writer)).await;
    assert_eq!(status, 403, "{}", strip_tags(&body));
    let (status, location, _) =
        post_form(&app, &path, &[("thao-tac", "soan")], Some(&writer)).await;
    assert_eq!(status, 303);
    assert!(
        location.starts_with("/bai-viet/") && location.ends_with("?sua=1"),
        "{location}"
    );
    let (post_id, stage, category): (i64, String, String) = sqlx::query_as(
        "SELECT p.id, p.stage, c.slug FROM questions q JOIN posts p ON p.id = q.post_id
         JOIN categories c ON c.id = p.category_id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((stage.as_str(), category.as_str()), ("draft", "hoi-dap"));
    // Before there is an answer, it cannot be sent or published.
    let (status, _, body) = post_form(&app, &path, &[("thao-tac", "dang")], Some(&editor)).await;
    assert_eq!(status, 400);
    assert!(error_of(&body).contains("chưa có câu trả lời"));
    write_answer(
        &app,
        post_id,
        "<p>Hồ sơ gồm đơn đăng ký và giấy tờ về quyền sử dụng đất.</p><script>alert(1)</script>",
        "Gia đình tôi muốn làm sổ đỏ cho thửa đất thổ cư. Cần chuẩn bị giấy tờ gì?",
        &writer,
    )
    .await;
    // A writer cannot publish; the editor names the asker and publishes.
    assert_eq!(
        post_form(&app, &path, &[("thao-tac", "dang")], Some(&writer))
            .await
            .0,
        403
    );
    let (status, _, _) = post_form(
        &app,
        &path,
        &[
            ("thao-tac", "ten-hien-thi"),
            ("ten", "Anh N.V.A. (thôn Đông)"),
        ],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 303);
    let (status, location, _) =
        post_form(&app, &path, &[("thao-tac", "dang")], Some(&editor)).await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("{path}?xong=dang").as_str())
    );
    let tracked = app.page(&format!("/hoi-dap/tra-cuu?ma={code}"), None).await;
    assert_eq!(tracked.test_text("status").unwrap(), "Đã đăng");
    assert_eq!(tracked.count("answer"), 1, "the answer once");
    let answer = tracked.test_text("answer").unwrap();
    assert!(answer.contains("Hồ sơ gồm đơn đăng ký"), "{answer}");
    assert!(
        !tracked.body.contains("<script>alert"),
        "the answer went through the sanitiser"
    );

    // Public: the list, its field filter and its search, the post page, site search, sitemap, feed.
    let list = app.page("/hoi-dap", None).await;
    assert!(list
        .test_text("qa-list")
        .unwrap()
        .contains("Thủ tục cấp giấy chứng nhận"));
    assert!(list.body.contains("Anh N.V.A. (thôn Đông)"));
    assert!(!list.body.contains("Nguyễn Văn An") && !list.body.contains("an.nguyen@"));
    let searched = app.page("/hoi-dap?q=so+do&linh-vuc=dat-dai", None).await;
    assert!(
        searched.test_text("qa-list").is_some(),
        "folded search finds “sổ đỏ”"
    );
    let other_field = app.page("/hoi-dap?linh-vuc=ho-tich", None).await;
    assert!(other_field.test_text("qa-empty").is_some());
    assert_eq!(
        app.page("/hoi-dap?linh-vuc=khong-co", None).await.status,
        404
    );
    let slug: String = sqlx::query_scalar("SELECT slug FROM posts WHERE id = ?")
        .bind(post_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let post = app.page(&format!("/bai-viet/{slug}"), None).await;
    assert_eq!(post.status, 200);
    assert!(post
        .test_text("qa-asker")
        .unwrap()
        .contains("Anh N.V.A. (thôn Đông)"));
    assert!(!strip_tags(&post.body).contains("Nguyễn Văn An"));
    let search = app
        .page("/tim-kiem?q=giay+chung+nhan+quyen+su+dung+dat", None)
        .await;
    assert!(
        search.body.contains(&format!("/bai-viet/{slug}")),
        "site search finds it"
    );
    assert!(app.page("/sitemap.xml", None).await.body.contains(&slug));
    assert!(app.page("/rss.xml", None).await.body.contains(&slug));
    // Audit lines for each step.
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    for action in [
        "Giao xử lý câu hỏi",
        "Trả lời câu hỏi",
        "Đặt tên hiển thị người hỏi",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }

    // Another question is declined with a reason its asker reads; it cannot be declined empty.
    let second = code_of(&ask(&app, &question_fields(), &[], None).await.location);
    let id2: i64 = sqlx::query_scalar("SELECT id FROM questions WHERE code = ?")
        .bind(&second)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let path2 = format!("/quan-tri/hoi-dap/{id2}");
    let (status, _, body) = post_form(
        &app,
        &path2,
        &[("thao-tac", "khong-dang"), ("ly-do", " ")],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 400);
    assert!(error_of(&body).contains("Vui lòng nhập lý do"));
    assert_eq!(
        post_form(
            &app,
            &path2,
            &[
                ("thao-tac", "khong-dang"),
                ("ly-do", "Trùng câu hỏi đã trả lời.")
            ],
            Some(&writer)
        )
        .await
        .0,
        403
    );
    let (status, _, _) = post_form(
        &app,
        &path2,
        &[
            ("thao-tac", "khong-dang"),
            ("ly-do", "Trùng câu hỏi đã trả lời."),
        ],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 303);
    let tracked = app
        .page(&format!("/hoi-dap/tra-cuu?ma={second}"), None)
        .await;
    assert_eq!(tracked.test_text("status").unwrap(), "Không đăng");
    assert!(strip_tags(&tracked.body).contains("Trùng câu hỏi đã trả lời."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_question_is_never_published_and_holidays_stay_in_range() {
    let app = TestApp::spawn().await;
    app.add_user("quantri", Role::Admin, PASSWORD).await;
    let admin = app.sign_in("quantri", PASSWORD).await.unwrap();
    ask(&app, &question_fields(), &[], None).await;
    let post_id = answered(&app, "<p>Trả lời.</p>", &admin).await;
    let (status, _, _) = post_form(
        &app,
        "/quan-tri/hoi-dap/1",
        &[
            ("thao-tac", "khong-dang"),
            ("ly-do", "Không thuộc thẩm quyền của xã."),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(status, 303);
    // Publishing its post from the post's own page is refused too.
    let id = post_id.to_string();
    let (status, body) = app
        .call(
            "post_action",
            &[("id", &id), ("action", "publish")],
            Some(&admin),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("không đăng"), "{body}");
    assert!(app
        .page("/hoi-dap", None)
        .await
        .test_text("qa-empty")
        .is_some());
    for day in ["0000-01-01", "9999-12-31"] {
        let (status, _, body) = post_form(
            &app,
            "/quan-tri/hoi-dap",
            &[
                ("thao-tac", "them-ngay-nghi"),
                ("ngay", day),
                ("ten", "Tết"),
            ],
            Some(&admin),
        )
        .await;
        assert_eq!(status, 400, "{day}");
        assert!(error_of(&body).contains("Ngày nghỉ không hợp lệ"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_an_editor_started_is_the_assigned_writers_to_write() {
    let app = TestApp::spawn().await;
    let writer_id = app.add_user("vietbai", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let writer = app.sign_in("vietbai", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    ask(&app, &question_fields(), &[], None).await;
    // Named by initials until an official chooses otherwise.
    let public: String = sqlx::query_scalar("SELECT public_name FROM questions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(public, "N.V.A. (Thôn Đông)");
    post_form(
        &app,
        "/quan-tri/hoi-dap/1",
        &[("thao-tac", "soan")],
        Some(&editor),
    )
    .await;
    let post_id: i64 = sqlx::query_scalar("SELECT post_id FROM questions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let id = writer_id.to_string();
    let (status, _, _) = post_form(
        &app,
        "/quan-tri/hoi-dap/1",
        &[("thao-tac", "giao"), ("can-bo", &id)],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 303);
    write_answer(
        &app,
        post_id,
        "<p>Câu trả lời của cán bộ được giao.</p>",
        "Câu hỏi.",
        &writer,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_sees_only_the_questions_given_to_them_and_every_opening_is_audited() {
    let app = TestApp::spawn().await;
    let writer_id = app.add_user("vietbai", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let writer = app.sign_in("vietbai", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    // Two questions nobody was given (the first with a file), and one given to the writer.
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let first = ask(&app, &question_fields(), &[], Some(("giay-to.pdf", pdf))).await;
    assert_eq!(
        first.status,
        303,
        "{:?}",
        first.page.test_text("form-error")
    );
    let hidden = code_of(&first.location);
    let hidden_id = question_id(&app, &hidden).await;
    let token: String = sqlx::query_scalar(
        "SELECT a.token FROM questions q JOIN attachments a ON a.id = q.attachment_id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(ask(&app, &question_fields(), &[], None).await.status, 303);
    let mut fields = question_fields();
    for (name, value) in fields.iter_mut() {
        match *name {
            "ho-ten" => *value = "Trần Thị Bình".into(),
            "lien-he" => *value = "0987 654 321".into(),
            "tieu-de" => *value = "Hỏi về trợ cấp cho người cao tuổi".into(),
            _ => {}
        }
    }
    let given = code_of(&ask(&app, &fields, &[], None).await.location);
    let given_id = question_id(&app, &given).await;
    let writer_text = writer_id.to_string();
    let (status, _, _) = post_form(
        &app,
        &format!("/quan-tri/hoi-dap/{given_id}"),
        &[("thao-tac", "giao"), ("can-bo", &writer_text)],
        Some(&editor),
    )
    .await;
    assert_eq!(status, 303);
    let secrets = [
        "Nguyễn Văn An".to_string(),
        "an.nguyen@example.vn".to_string(),
        shown(&hidden),
        hidden.clone(),
        "giay-to.pdf".to_string(),
        token.clone(),
    ];
    let shows_none = |what: &str, body: &str| {
        for secret in &secrets {
            assert!(!body.contains(secret.as_str()), "{what} shows {secret}");
        }
    };

    // The queue, as a page and as its server function: only the question given to them.
    let queue = app.page("/quan-tri/hoi-dap", Some(&writer)).await;
    assert_eq!(queue.status, 200);
    assert_eq!(queue.count("queue-row"), 1);
    assert!(strip_tags(&queue.body).contains(&shown(&given)));
    shows_none("the writer's queue", &queue.body);
    for tab in ["", "?xem=moi", "?xem=qua-han"] {
        let (status, data) = app
            .get_json(&format!("/api/question_queue{tab}"), Some(&writer))
            .await;
        assert_eq!(status, 200, "{tab}");
        shows_none("the queue's server function", &data.to_string());
    }
    let editors_queue = app.page("/quan-tri/hoi-dap", Some(&editor)).await;
    assert_eq!(editors_queue.count("queue-row"), 3);
    // The bar's count: theirs only (one open, given to them); an editor's: two new.
    let (_, me) = app.get_json("/api/me", Some(&writer)).await;
    assert_eq!(me["questions"], json!([1, 0]), "{me}");
    let (_, me) = app.get_json("/api/me", Some(&editor)).await;
    assert_eq!(me["questions"], json!([2, 0]), "{me}");

    // A question not given to them: its page, its server function and its file are refused.
    let path = format!("/quan-tri/hoi-dap/{hidden_id}");
    let page = app.page(&path, Some(&writer)).await;
    assert_eq!(page.status, 403);
    shows_none("the page of a question not given to them", &page.body);
    let (status, data) = app
        .get_json(
            &format!("/api/question_detail?id={hidden_id}"),
            Some(&writer),
        )
        .await;
    assert_eq!(status, 403);
    shows_none("the question's server function", &data.to_string());
    let file = app
        .page(&format!("/tep/{token}/giay-to.pdf"), Some(&writer))
        .await;
    assert_eq!(file.status, 404, "the citizen's file");
    // A step refused shows the page refused too.
    let (status, _, body) = post_form(&app, &path, &[("thao-tac", "soan")], Some(&writer)).await;
    assert_eq!(status, 403);
    shows_none("a refused step", &body);
    assert!(opened_by(&app, &hidden).await.is_empty());

    // The question given to them: who asked, the code, and their opening on record.
    let page = app
        .page(&format!("/quan-tri/hoi-dap/{given_id}"), Some(&writer))
        .await;
    assert_eq!(page.status, 200);
    let text = strip_tags(&page.body);
    for shown_to_them in ["Trần Thị Bình", "0987 654 321", &shown(&given)] {
        assert!(text.contains(shown_to_them), "{shown_to_them}");
    }
    assert_eq!(opened_by(&app, &given).await, ["vietbai"]);

    // An editor sees the other whole, with its file; also on record.
    let page = app.page(&path, Some(&editor)).await;
    assert_eq!(page.status, 200);
    let text = strip_tags(&page.body);
    assert!(text.contains("an.nguyen@example.vn") && text.contains("giay-to.pdf"));
    assert_eq!(opened_by(&app, &hidden).await, ["bientap"]);
    let file = app
        .page(&format!("/tep/{token}/giay-to.pdf"), Some(&editor))
        .await;
    assert_eq!(file.status, 200);
    let ip: String = sqlx::query_scalar(
        "SELECT ip FROM audit_log WHERE action = 'Xem thông tin người hỏi' ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(ip, "127.0.0.1");
}
