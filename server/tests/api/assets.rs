//! The built assets: compressed copies made by the server itself, served to browsers that
//! accept them.

use crate::helpers::{Settings, TestApp};

/// Text that compresses the way a wasm module does: repetitive, but not one repeated byte.
fn asset(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| ((i * 7919) % 251) as u8 ^ (i / 4096) as u8)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_install_serves_its_wasm_as_brotli_and_gzip_copies_it_made_at_start() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap();
    let wasm = asset(300_000);
    std::fs::write(pkg.join("portal.wasm"), &wasm).unwrap();
    std::fs::write(
        pkg.join("portal.js"),
        "export function hydrate() {}\n".repeat(100),
    )
    .unwrap();
    let app = TestApp::spawn_with(Settings {
        site_root: site.path().to_string_lossy().into_owned(),
        ..Settings::default()
    })
    .await;

    // Made in the background at start.
    let copies = [
        "portal.wasm.br",
        "portal.wasm.gz",
        "portal.js.br",
        "portal.js.gz",
    ];
    for _ in 0..200 {
        if copies.iter().all(|c| pkg.join(c).exists()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    for copy in copies {
        assert!(pkg.join(copy).exists(), "{copy} was not made");
    }

    let response = app
        .client
        .get(app.url("/pkg/portal.wasm"))
        .header("Accept-Encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["content-type"], "application/wasm");
    let body = response.bytes().await.unwrap();
    assert_eq!(
        body.len() as u64,
        std::fs::metadata(pkg.join("portal.wasm.br")).unwrap().len()
    );
    assert!(
        body.len() < wasm.len() / 4,
        "{} bytes for {}",
        body.len(),
        wasm.len()
    );
    let mut unpacked = Vec::new();
    brotli::BrotliDecompress(&mut &body[..], &mut unpacked).unwrap();
    assert_eq!(unpacked, wasm);

    let response = app
        .client
        .get(app.url("/pkg/portal.wasm"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    // Each answer depends on what the browser accepts: a shared cache must not hand one
    // browser's brotli to another.
    for encoding in ["br", "gzip", "identity"] {
        let answer = app
            .client
            .get(app.url("/pkg/portal.wasm"))
            .header("Accept-Encoding", encoding)
            .send()
            .await
            .unwrap();
        let vary = answer
            .headers()
            .get_all("vary")
            .iter()
            .map(|v| v.to_str().unwrap().to_ascii_lowercase())
            .collect::<Vec<_>>();
        assert!(
            vary.iter().any(|v| v.contains("accept-encoding")),
            "{encoding}: vary {vary:?}"
        );
    }
    let mut unpacked = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(&response.bytes().await.unwrap()[..]),
        &mut unpacked,
    )
    .unwrap();
    assert_eq!(unpacked, wasm);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_path_segment_longer_than_a_file_name_can_be_is_a_vietnamese_404() {
    let app = TestApp::spawn().await;
    for path in [
        format!("/pkg/{}", "a".repeat(256)),
        format!("/{}", "a".repeat(300)),
        format!("/bai-viet/{}/x", "b".repeat(256)),
    ] {
        let response = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("Không tìm thấy trang"),
            "{path}"
        );
    }
}
