//! Brotli and gzip copies of the built assets (the wasm chunks, scripts and stylesheet under
//! `pkg/`), made from Rust when the server starts, so that a fresh install serves brotli
//! without a system `brotli` tool. `ServeDir` sends the copy a browser accepts.
//!
//! A copy is made only when it is missing or older than its source. It is written under a
//! temporary name and renamed, so a request never reads half of one; until it exists the
//! response is compressed on the fly, as before.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What one pass made.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Made {
    /// Copies written (a brotli and a gzip copy count two).
    pub written: usize,
    /// Copies already up to date.
    pub kept: usize,
}

/// Compresses the assets of `dir` in the background; logs what it made or why it failed.
pub fn spawn(dir: PathBuf) -> tokio::task::JoinHandle<()> {
    tokio::task::spawn_blocking(move || match compress_dir(&dir) {
        Ok(made) if made.written > 0 => {
            tracing::info!(dir = %dir.display(), written = made.written, kept = made.kept, "compressed the built assets")
        }
        Ok(_) => {}
        Err(err) => {
            tracing::warn!(dir = %dir.display(), %err, "could not compress the built assets; they are compressed per request")
        }
    })
}

/// Writes `f.br` (brotli, quality 11) and `f.gz` (gzip, level 9) beside every `.wasm`, `.js`
/// and `.css` file of `dir` whose copies are missing or older than it.
pub fn compress_dir(dir: &Path) -> io::Result<Made> {
    let mut made = Made::default();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "wasm" | "js" | "css"));
        if !wanted || !path.is_file() {
            continue;
        }
        let modified = std::fs::metadata(&path)?.modified()?;
        let mut source = None;
        for (suffix, compress) in [("br", brotli as fn(&[u8]) -> Vec<u8>), ("gz", gzip)] {
            let copy = with_suffix(&path, suffix);
            if is_fresh(&copy, modified) {
                made.kept += 1;
                continue;
            }
            let bytes = match &source {
                Some(bytes) => bytes,
                None => source.insert(std::fs::read(&path)?),
            };
            write_atomically(&copy, &compress(bytes))?;
            made.written += 1;
        }
    }
    Ok(made)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn is_fresh(copy: &Path, source_modified: SystemTime) -> bool {
    std::fs::metadata(copy)
        .and_then(|m| m.modified())
        .is_ok_and(|m| m >= source_modified)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = with_suffix(path, "part");
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    let params = ::brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    ::brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)
        .expect("compressing into memory cannot fail");
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(bytes)
        .expect("compressing into memory cannot fail");
    encoder
        .finish()
        .expect("compressing into memory cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn copies_decompress_to_the_source_and_are_made_once() {
        let dir = tempfile::tempdir().unwrap();
        let script = "console.log('Xã Dương Quang');\n".repeat(200);
        std::fs::write(dir.path().join("portal.js"), &script).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not an asset").unwrap();

        assert_eq!(
            compress_dir(dir.path()).unwrap(),
            Made {
                written: 2,
                kept: 0
            }
        );
        let br = std::fs::read(dir.path().join("portal.js.br")).unwrap();
        assert!(
            br.len() < script.len() / 10,
            "brotli copy is {} bytes",
            br.len()
        );
        let mut unbrotli = Vec::new();
        ::brotli::BrotliDecompress(&mut &br[..], &mut unbrotli).unwrap();
        assert_eq!(unbrotli, script.as_bytes());
        let mut ungzip = String::new();
        flate2::read::GzDecoder::new(&std::fs::read(dir.path().join("portal.js.gz")).unwrap()[..])
            .read_to_string(&mut ungzip)
            .unwrap();
        assert_eq!(ungzip, script);
        assert!(!dir.path().join("notes.txt.br").exists());

        assert_eq!(
            compress_dir(dir.path()).unwrap(),
            Made {
                written: 0,
                kept: 2
            }
        );
    }

    #[test]
    fn a_rebuilt_asset_gets_new_copies() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.css");
        std::fs::write(&path, "body{color:red}").unwrap();
        compress_dir(dir.path()).unwrap();
        let later = SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::write(&path, "body{color:blue}").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(later)
            .unwrap();
        assert_eq!(
            compress_dir(dir.path()).unwrap(),
            Made {
                written: 2,
                kept: 0
            }
        );
        let mut text = Vec::new();
        ::brotli::BrotliDecompress(
            &mut &std::fs::read(dir.path().join("portal.css.br")).unwrap()[..],
            &mut text,
        )
        .unwrap();
        assert_eq!(text, b"body{color:blue}");
    }
}
