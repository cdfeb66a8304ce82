//! Attachments over HTTP: the upload checks the content, the file comes back with its type,
//! its name and range requests, and an image gets resized copies.

use app::model::Role;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::helpers::*;

const PASSWORD: &str = "mật khẩu thật dài 2024";

pub(crate) async fn upload(
    app: &TestApp,
    cookie: Option<&str>,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, Value) {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()));
    let mut req = app
        .client
        .post(app.url("/api/upload_attachment"))
        .multipart(form);
    if let Some(cookie) = cookie {
        req = req.header("Cookie", cookie);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub(crate) fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

/// A PNG with a photo's grain (a gradient with noise), which compresses about as badly.
pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 24) as u8;
        image::Rgb([
            ((x / 8) % 200) as u8 + noise,
            ((y / 4) % 200) as u8 + noise,
            120 + noise,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_is_stored_once_and_served_with_its_type_name_and_ranges() {
    let app = TestApp::spawn().await;
    app.add_user("phongvien", Role::Writer, PASSWORD).await;
    let writer = app.sign_in("phongvien", PASSWORD).await.unwrap();

    let (status, _) = upload(&app, None, "ke-hoach.pdf", pdf()).await;
    assert_eq!(status, 401, "citizens cannot upload");

    let (status, file) = upload(&app, Some(&writer), "Kế hoạch 19-KH-UBND.pdf", pdf()).await;
    assert_eq!(status, 200, "{file}");
    assert_eq!(file["name"], "Kế hoạch 19-KH-UBND.pdf");
    assert_eq!(file["description"], "PDF, 1 KB");
    let url = file["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("/tep/"), "{url}");

    let res = app
        .client
        .get(app.url(&url))
        .header("Cookie", &writer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("inline; "), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%2019-KH-UBND.pdf"),
        "{disposition}"
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf());

    let res = app
        .client
        .get(app.url(&url))
        .header("Cookie", &writer)
        .header("Range", "bytes=0-4")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"%PDF-");

    // The same content again is one file on disk.
    let (_, again) = upload(&app, Some(&writer), "ban-sao.pdf", pdf()).await;
    assert_ne!(again["id"], file["id"]);
    let files = std::fs::read_dir(app.db_path.parent().unwrap().join("media/files"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".pdf"))
        .count();
    assert_eq!(files, 1);

    let res = app
        .client
        .get(app.url("/tep/999/x.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_unknown_files_are_refused_and_leave_nothing_behind() {
    let app = TestApp::spawn().await;
    app.add_user("phongvien", Role::Writer, PASSWORD).await;
    let writer = app.sign_in("phongvien", PASSWORD).await.unwrap();
    for (name, bytes, expected) in [
        ("bao-cao.pdf", png(4, 4), "nội dung là ảnh PNG"),
        (
            "ke-hoach.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00".to_vec(),
            "không phải PDF",
        ),
        ("tai-lieu.docx", pdf(), "nội dung là PDF"),
        ("chuong-trinh.exe", pdf(), "Không nhận loại tệp"),
        (
            "anh.svg",
            b"<svg onload=alert(1)>".to_vec(),
            "Không nhận loại tệp",
        ),
        (
            "anh-hong.png",
            b"\x89PNG\r\n\x1a\nbroken".to_vec(),
            "Không đọc được ảnh",
        ),
    ] {
        let (status, answer) = upload(&app, Some(&writer), name, bytes).await;
        assert_eq!(status, 400, "{name}");
        let message = answer["BadRequest"].as_str().unwrap_or_default();
        assert!(message.contains(expected), "{name}: {answer}");
    }
    let dir = app.db_path.parent().unwrap().join("media/files");
    let left: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attachments")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_gets_resized_copies_so_phones_do_not_download_the_original() {
    let app = TestApp::spawn().await;
    app.add_user("phongvien", Role::Writer, PASSWORD).await;
    let writer = app.sign_in("phongvien", PASSWORD).await.unwrap();
    let original = png(2000, 1000);
    let (status, image) = upload(&app, Some(&writer), "hoi-nghi.png", original.clone()).await;
    assert_eq!(status, 200, "{image}");
    let token = image["url"].as_str().unwrap()[5..37].to_string();
    assert_eq!(image["image"]["width"], 2000);
    assert_eq!(image["image"]["src"], format!("/tep/{token}/w1024.jpg"));
    assert_eq!(
        image["image"]["srcset"],
        format!("/tep/{token}/w480.jpg 480w, /tep/{token}/w1024.jpg 1024w")
    );
    for (w, h) in [(480, 240), (1024, 512)] {
        let res = app
            .client
            .get(app.url(&format!("/tep/{token}/w{w}.jpg")))
            .header("Cookie", &writer)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        let bytes = res.bytes().await.unwrap();
        assert!(
            bytes.len() < original.len() / 4,
            "{w}: {} bytes",
            bytes.len()
        );
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (w, h));
    }
    // A small image is served as it is.
    let (_, small) = upload(&app, Some(&writer), "bieu-tuong.png", png(300, 200)).await;
    assert_eq!(small["image"]["src"], small["url"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_featured_image_needs_a_description_and_shows_in_the_post_and_its_preview() {
    use serde_json::json;
    let app = TestApp::spawn().await;
    app.add_user("bientap", Role::Editor, PASSWORD).await;
    let editor = app.sign_in("bientap", PASSWORD).await.unwrap();
    let (_, image) = upload(&app, Some(&editor), "le-ra-quan.png", png(1600, 900)).await;
    let (_, file) = upload(&app, Some(&editor), "ke-hoach.pdf", pdf()).await;
    let post = |image_id: &Value, alt: &str| {
        json!({ "edit": {
            "id": null, "base_version": 0, "slug": "", "title": "Lễ ra quân tháng thanh niên",
            "lead": "Sáng 26/3, Đoàn xã tổ chức lễ ra quân.", "body_html": "<p>Nội dung.</p>",
            "description": "", "category_id": 2, "published_local": "",
            "image_id": image_id, "image_alt": alt,
        }})
    };
    let (status, answer) = app
        .call_json("save_post", &post(&image["id"], " "), Some(&editor))
        .await;
    assert_eq!(status, 400);
    assert!(answer["BadRequest"]
        .as_str()
        .unwrap()
        .contains("mô tả ngắn ảnh đại diện"));
    let (status, _) = app
        .call_json("save_post", &post(&file["id"], "Kế hoạch"), Some(&editor))
        .await;
    assert_eq!(status, 400, "a PDF is no featured image");

    let (status, saved) = app
        .call_json(
            "save_post",
            &post(&image["id"], "Đoàn viên xếp hàng trước trụ sở xã"),
            Some(&editor),
        )
        .await;
    assert_eq!(status, 200, "{saved}");
    let id = saved["Saved"]["id"].as_i64().unwrap();
    app.call(
        "post_action",
        &[("id", &id.to_string()), ("action", "publish")],
        Some(&editor),
    )
    .await;
    let page = app
        .page(
            &format!("/bai-viet/{}", saved["Saved"]["slug"].as_str().unwrap()),
            None,
        )
        .await;
    let image_id = &image["url"].as_str().unwrap()[5..37];
    assert!(page.body.contains(&format!(
        "<img src=\"/tep/{image_id}/w1024.jpg\" srcset=\"/tep/{image_id}/w480.jpg 480w, /tep/{image_id}/w1024.jpg 1024w\""
    )), "{}", page.body);
    assert!(page
        .body
        .contains("alt=\"Đoàn viên xếp hàng trước trụ sở xã\""));
    assert!(
        page.body.contains(&format!(
            "/tep/{image_id}/w1024.jpg\" property=\"og:image\""
        )) || page.body.contains(&format!(
            "property=\"og:image\" content=\"http://{}/tep/{image_id}/w1024.jpg\"",
            app.addr
        )),
        "og:image"
    );
}
