//! Making an archive while the portal serves.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use app::server::operations::backups;
use app::server::time::{hex, Clock};
use sha2::Digest;
use sqlx::SqlitePool;

use super::archive::{
    describe, private_file, reason, FileEntry, Hashing, Made, Manifest, DATABASE, FORMAT, MANIFEST,
    MEDIA,
};

/// Makes an archive in `dir` (created if needed) of the database behind `pool` and the files
/// under `media_dir`. Written under a temporary name and renamed when complete, so an archive
/// with the final name is always whole. The error is a sentence in Vietnamese for officials.
pub async fn create(
    pool: &SqlitePool,
    clock: &Clock,
    media_dir: &Path,
    dir: &Path,
) -> Result<Made, String> {
    std::fs::create_dir_all(dir).map_err(|e| {
        format!(
            "không tạo được thư mục sao lưu {} ({})",
            dir.display(),
            reason(&e)
        )
    })?;
    let now = clock.instant().to_offset(app::format::VIETNAM);
    let stamp = format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let suffix = app::server::accounts::auth::random_hex(6);
    let snapshot = dir.join(format!(".snapshot-{stamp}-{suffix}.db"));
    let made = async {
        backups::snapshot(pool, &snapshot).await.map_err(|e| {
            tracing::error!(error = %e, "the database snapshot failed");
            "không chụp được cơ sở dữ liệu".to_string()
        })?;
        let (tables, counters, schema_version) = describe(&snapshot).await.map_err(|e| {
            tracing::error!(error = %e, "reading the database snapshot failed");
            "không đọc được bản chụp cơ sở dữ liệu".to_string()
        })?;
        let manifest = Manifest {
            format: FORMAT,
            created_at: now
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            portal_version: env!("CARGO_PKG_VERSION").to_string(),
            schema_version,
            tables,
            counters,
            files: Vec::new(),
        };
        let (dir, media_dir, snapshot) =
            (dir.to_path_buf(), media_dir.to_path_buf(), snapshot.clone());
        tokio::task::spawn_blocking(move || {
            write_archive(&dir, &stamp, &snapshot, &media_dir, manifest)
        })
        .await
        .map_err(|e| format!("việc ghi tệp sao lưu bị dừng ({e})"))?
    }
    .await;
    let _ = std::fs::remove_file(&snapshot);
    made
}

fn write_archive(
    dir: &Path,
    stamp: &str,
    snapshot: &Path,
    media_dir: &Path,
    mut manifest: Manifest,
) -> Result<Made, String> {
    let mut name = format!("portal-{stamp}.tar.gz");
    let mut n = 2;
    while dir.join(&name).exists() {
        name = format!("portal-{stamp}-{n}.tar.gz");
        n += 1;
    }
    // A name no one can guess, created anew (never an existing file or link someone else put
    // there), readable by the server's user only: the archive holds password hashes.
    let part = dir.join(format!(
        ".{name}.{}.part",
        app::server::accounts::auth::random_hex(8)
    ));
    let written = (|| -> io::Result<()> {
        let file = private_file(&part)?;
        let gz = flate2::write::GzEncoder::new(BufWriter::new(file), flate2::Compression::fast());
        let mut tar = tar::Builder::new(gz);
        manifest
            .files
            .push(append_file(&mut tar, snapshot, DATABASE)?);
        let mut media = Vec::new();
        if media_dir.is_dir() {
            list_files(media_dir, Path::new(""), &mut media)?;
        }
        media.sort();
        for relative in media {
            let path = format!("{MEDIA}/{}", slash_path(&relative));
            manifest
                .files
                .push(append_file(&mut tar, &media_dir.join(&relative), &path)?);
        }
        let text = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
        let mut header = header(text.len() as u64);
        tar.append_data(&mut header, MANIFEST, text.as_slice())?;
        let gz = tar.into_inner()?;
        let file = gz.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()
    })();
    if let Err(err) = written {
        let _ = std::fs::remove_file(&part);
        tracing::error!(error = %err, "writing the backup archive failed");
        return Err(format!(
            "không ghi được tệp sao lưu vào {} ({})",
            dir.display(),
            reason(&err)
        ));
    }
    let path = dir.join(&name);
    if let Err(err) = std::fs::rename(&part, &path) {
        let _ = std::fs::remove_file(&part);
        return Err(format!("không đặt được tên tệp sao lưu ({})", reason(&err)));
    }
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(Made {
        path,
        bytes,
        manifest,
    })
}

/// Every regular file under `root/relative`, skipping names that start with a dot (uploads
/// still being written) and anything that is not a plain file or directory.
fn list_files(root: &Path, relative: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(root.join(relative))? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        let path = relative.join(&name);
        if kind.is_dir() {
            list_files(root, &path, out)?;
        } else if kind.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn header(size: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    // The entries' own file time, read back by nothing: the system's, not the portal's clock.
    header.set_mtime(app::server::time::unix_now());
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    header
}

fn append_file<W: Write>(
    tar: &mut tar::Builder<W>,
    source: &Path,
    path: &str,
) -> io::Result<FileEntry> {
    let file = File::open(source)?;
    let size = file.metadata()?.len();
    let mut reader = Hashing::new(BufReader::new(file));
    let mut header = header(size);
    tar.append_data(&mut header, path, &mut reader)?;
    if reader.bytes != size {
        return Err(io::Error::other(format!(
            "{path} changed while it was read"
        )));
    }
    Ok(FileEntry {
        path: path.to_string(),
        bytes: size,
        sha256: hex(&reader.hash.finalize()),
    })
}
