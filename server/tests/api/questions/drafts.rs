//! Comments on draft documents over HTTP.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_take_comments_until_their_day_then_close() {
    let app = TestApp::spawn().await;
    app.add_user("vietbai", Role::Writer, PASSWORD).await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let writer = app.sign_in("vietbai", PASSWORD).await.unwrap();
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    // Not a draft: no form, and a comment is refused.
    let page = app.page("/van-ban/1/gop-y", None).await;
    assert!(page
        .test_text("comments-closed")
        .unwrap()
        .contains("không lấy ý kiến"));
    let today = vietnam_today();
    let until = app::format::iso_date(today + Duration::days(10));
    assert_eq!(
        post_form(
            &app,
            "/van-ban/1/gop-y",
            &[("thao-tac", "han"), ("han", &until)],
            Some(&writer)
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post_form(
            &app,
            "/van-ban/1/gop-y",
            &[("thao-tac", "han"), ("han", &until)],
            None
        )
        .await
        .0,
        401
    );
    let (status, location, _) = post_form(
        &app,
        "/van-ban/1/gop-y",
        &[("thao-tac", "han"), ("han", &until)],
        Some(&editor),
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/van-ban/1"));
    let document = app.page("/van-ban/1", None).await;
    assert!(document
        .test_text("draft-comments")
        .unwrap()
        .contains("đến hết ngày"));

    // A citizen comments through the form's rules.
    let app = &app;
    let comment = move |body: &'static str| async move {
        let form = app.page("/van-ban/1/gop-y", None).await;
        assert!(
            form.body.contains("action=\"/van-ban/1/gop-y\""),
            "the form posts where it is handled"
        );
        let ticket = form_ticket(&form.body);
        let answer = solve(&form.body);
        post_form(
            app,
            "/van-ban/1/gop-y",
            &[
                ("ho-ten", "Trần Thị Bình"),
                ("lien-he", "0912 345 678"),
                ("thon", "Xóm 3"),
                ("chi-tiet", body),
                ("phieu", &ticket),
                ("tra-loi-kiem-tra", &answer),
                ("trang-web", ""),
            ],
            None,
        )
        .await
    };
    let (status, location, _) = comment("Đề nghị bổ sung lịch tiếp dân buổi chiều.").await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/van-ban/1/gop-y?da-gui=1")
    );
    assert!(app
        .page(&location, None)
        .await
        .test_text("comment-received")
        .is_some());
    let (status, _, body) = comment("").await;
    assert_eq!(status, 400);
    assert!(error_of(&body).contains("Vui lòng nhập nội dung góp ý"));
    // Editors read it with who sent it; a writer reads it without; citizens cannot.
    assert_eq!(app.page("/quan-tri/gop-y/1", None).await.status, 401);
    let list = app.page("/quan-tri/gop-y/1", Some(&editor)).await;
    let text = list.test_text("comments").unwrap();
    assert!(
        text.contains("Trần Thị Bình")
            && text.contains("0912 345 678")
            && text.contains("Đề nghị bổ sung lịch tiếp dân"),
        "{text}"
    );
    let list = app.page("/quan-tri/gop-y/1", Some(&writer)).await;
    assert_eq!(list.status, 200);
    let text = list.test_text("comments").unwrap();
    assert!(text.contains("Đề nghị bổ sung lịch tiếp dân"), "{text}");
    let (status, data) = app
        .get_json("/api/draft_comments?id=1", Some(&writer))
        .await;
    assert_eq!(status, 200);
    for body in [list.body.as_str(), data.to_string().as_str()] {
        assert!(
            !body.contains("Trần Thị Bình") && !body.contains("0912 345 678"),
            "a writer reads no sender: {}",
            strip_tags(body)
        );
    }

    // Once its day has passed, it is closed, even to a form opened before.
    let form = app.page("/van-ban/1/gop-y", None).await;
    let (ticket, answer) = (form_ticket(&form.body), solve(&form.body));
    let yesterday = app::format::iso_date(today - Duration::days(1));
    post_form(
        app,
        "/van-ban/1/gop-y",
        &[("thao-tac", "han"), ("han", &yesterday)],
        Some(&editor),
    )
    .await;
    let late = [
        ("ho-ten", "Trần Thị Bình"),
        ("thon", "Xóm 3"),
        ("chi-tiet", "Góp ý muộn."),
        ("phieu", ticket.as_str()),
        ("tra-loi-kiem-tra", answer.as_str()),
    ];
    let (status, _, body) = post_form(app, "/van-ban/1/gop-y", &late, None).await;
    assert_eq!(status, 400);
    assert!(strip_tags(&body).contains("Đã hết thời hạn góp ý cho dự thảo này"));
    assert!(app
        .page("/van-ban/1", None)
        .await
        .test_text("comments-closed")
        .is_some());
    assert_eq!(count(app, "draft_comments").await, 1);
}
