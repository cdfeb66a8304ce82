//! Reading an archive back: checking it from end to end, and restoring it into a new data
//! directory. Nothing is written unless it fits, and nothing is moved into place unless all of
//! it is right.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Component, Path, PathBuf};

use app::server::time::hex;
use sha2::Digest;

use super::archive::{
    describe, open_read_only, private_file, reason, Hashing, Manifest, DATABASE, FORMAT, MANIFEST,
    MAX_MANIFEST_BYTES, MEDIA,
};

/// What may be unpacked: `portal.db`, the manifest, or `media/` and plain names below it.
fn safe_path(path: &str) -> bool {
    if path == DATABASE || path == MANIFEST {
        return true;
    }
    let Some(rest) = path.strip_prefix("media/") else {
        return false;
    };
    !rest.is_empty()
        && !rest.contains('\\')
        && Path::new(rest)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        && rest
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.'))
}

/// The gzip stream of an archive, read straight from the file: flate2's `read::GzDecoder` would
/// put its own buffer between, and bytes after the stream would vanish into it unseen.
type Gzip<'a> = flate2::bufread::GzDecoder<BufReader<&'a File>>;

/// Room kept free beyond the files themselves: SQLite's side files when the database is
/// checked, directories, and what the file system itself needs.
const ROOM_MARGIN: u64 = 16 * 1024 * 1024;
/// Each file is counted in whole blocks of this size.
const ROOM_BLOCK: u64 = 4096;

fn damaged(e: io::Error) -> String {
    format!("Tệp sao lưu bị hỏng hoặc không phải tệp sao lưu của cổng ({e}).")
}

/// `bytes` in whole megabytes, rounded up (`up`) or down, as `1.234 MB`.
fn megabytes(bytes: u64, up: bool) -> String {
    let mb = if up {
        bytes.div_ceil(1024 * 1024)
    } else {
        bytes / (1024 * 1024)
    };
    format!(
        "{} MB",
        app::format::count_vn(i64::try_from(mb).unwrap_or(i64::MAX))
    )
}

/// A tar reader over the gzip stream of `file`, from its start.
fn open_tar(file: &File) -> Result<tar::Archive<Gzip<'_>>, String> {
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    io::Seek::rewind(&mut reader).map_err(damaged)?;
    Ok(tar::Archive::new(flate2::bufread::GzDecoder::new(reader)))
}

/// Reads the gzip stream after the tar's end to its own end, so that its checksum and length
/// are checked, and refuses anything after it in the file: junk, or a second gzip member (the
/// decoder reads one member only; an archive the portal makes is one).
fn end_of_gzip(tar: tar::Archive<Gzip<'_>>) -> Result<(), String> {
    let mut decoder = tar.into_inner();
    io::copy(&mut decoder, &mut io::sink()).map_err(damaged)?;
    let mut rest = decoder.into_inner();
    if !rest.fill_buf().map_err(damaged)?.is_empty() {
        return Err(
            "Tệp sao lưu có dữ liệu thừa sau phần nén (gzip): không phải tệp do cổng tạo ra, hoặc đã bị sửa.".into(),
        );
    }
    Ok(())
}

/// The refusal when `need` bytes do not fit in the `free` bytes of the file system of `dir`.
fn no_room(need: u64, free: u64, dir: &Path) -> String {
    let dir = dir.parent().unwrap_or(dir);
    format!(
        "Không đủ chỗ trống: tệp sao lưu cần ít nhất {} trên ổ đĩa chứa {}, ổ đĩa chỉ còn {} trống. Chưa ghi gì: hãy giải phóng chỗ trống hoặc chọn ổ đĩa khác.",
        megabytes(need, true),
        dir.display(),
        megabytes(free, false)
    )
}

/// The first pass: adds up, from the tar headers, the sizes of the files unpacking will write
/// (the database and, with `media`, the media files; each in whole blocks, plus a margin) and
/// refuses as soon as they exceed the free space of the file system of `into`, before anything
/// is written. A header may claim terabytes it does not hold: the pass stops at it, never
/// reading what it claims. Damage found on the way is refused here too.
fn check_room(
    file: &File,
    into: &Path,
    media: bool,
    free_space: &dyn Fn(&Path) -> Option<u64>,
) -> Result<(), String> {
    let Some(free) = free_space(into) else {
        // Unknown: the check of each file and the file system's own refusal remain.
        return Ok(());
    };
    let mut tar = open_tar(file)?;
    let mut need = ROOM_MARGIN;
    for entry in tar.entries().map_err(damaged)? {
        let entry = entry.map_err(damaged)?;
        let path = entry.path_bytes();
        let written =
            path.as_ref() == DATABASE.as_bytes() || (media && path.as_ref() != MANIFEST.as_bytes());
        if !written {
            continue;
        }
        need = need.saturating_add(entry.size().div_ceil(ROOM_BLOCK).saturating_mul(ROOM_BLOCK));
        if need > free {
            return Err(no_room(need, free, into));
        }
    }
    end_of_gzip(tar)
}

/// Reads an archive through, checking every file against the manifest, and writes the
/// database (and, with `media`, the media files) under `into`, which must be a new, empty
/// directory. Returns the manifest. Nothing outside `into` is written, and nothing at all
/// unless all it holds fits in the free space `free_space` tells for `into`.
fn unpack(
    archive: &Path,
    into: &Path,
    media: bool,
    free_space: &dyn Fn(&Path) -> Option<u64>,
) -> Result<Manifest, String> {
    // Opened once: both passes read the same file.
    let file =
        File::open(archive).map_err(|e| format!("Không mở được {}: {e}", archive.display()))?;
    check_room(&file, into, media, free_space)?;
    let mut tar = open_tar(&file)?;
    let mut seen: BTreeMap<String, (u64, String)> = BTreeMap::new();
    let mut manifest: Option<Manifest> = None;
    for entry in tar.entries().map_err(damaged)? {
        let mut entry = entry.map_err(damaged)?;
        let path = entry
            .path()
            .map_err(damaged)?
            .to_string_lossy()
            .into_owned();
        if entry.header().entry_type() != tar::EntryType::Regular || !safe_path(&path) {
            return Err(format!("Tệp sao lưu chứa mục không được phép: “{path}”."));
        }
        if seen.contains_key(&path) || (path == MANIFEST && manifest.is_some()) {
            return Err(format!("Tệp sao lưu chứa “{path}” hai lần."));
        }
        if path == MANIFEST {
            let mut text = Vec::new();
            (&mut entry)
                .take(MAX_MANIFEST_BYTES)
                .read_to_end(&mut text)
                .map_err(damaged)?;
            let read: Manifest = serde_json::from_slice(&text).map_err(|e| {
                format!("Bản kê (manifest.json) của tệp sao lưu không đọc được: {e}.")
            })?;
            if read.format != FORMAT {
                return Err(format!(
                    "Tệp sao lưu có định dạng {}; bản này của cổng đọc định dạng {FORMAT}.",
                    read.format
                ));
            }
            manifest = Some(read);
            continue;
        }
        let entry_size = entry.size();
        let mut hashing = Hashing::new(&mut entry);
        let keep = path == DATABASE || media;
        if keep {
            let target = into.join(&path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("Không ghi được {}: {e}", parent.display()))?;
            }
            // The second wall, should the file or the free space have changed since the first
            // pass: each entry is checked for room before it is written.
            if let Some(free) = free_space(into).filter(|free| entry_size > *free) {
                return Err(format!(
                    "Không đủ chỗ trống: “{path}” trong tệp sao lưu cần {}, ổ đĩa chỉ còn {} trống.",
                    megabytes(entry_size, true),
                    megabytes(free, false)
                ));
            }
            let mut out = private_file(&target)
                .map_err(|e| format!("Không ghi được {}: {}", target.display(), reason(&e)))?;
            io::copy(&mut hashing, &mut out).map_err(damaged)?;
            out.sync_all()
                .map_err(|e| format!("Không ghi được {}: {e}", target.display()))?;
        } else {
            io::copy(&mut hashing, &mut io::sink()).map_err(damaged)?;
        }
        let bytes = hashing.bytes;
        seen.insert(path, (bytes, hex(&hashing.hash.finalize())));
    }
    end_of_gzip(tar)?;
    let Some(manifest) = manifest else {
        return Err("Tệp sao lưu không có bản kê (manifest.json): không phải tệp sao lưu của cổng, hoặc bị cắt cụt.".into());
    };
    for file in &manifest.files {
        match seen.remove(&file.path) {
            None => return Err(format!("Tệp sao lưu thiếu “{}”.", file.path)),
            Some((bytes, sha)) if bytes != file.bytes || sha != file.sha256 => {
                return Err(format!(
                    "“{}” trong tệp sao lưu không khớp mã kiểm tra (SHA-256): tệp đã bị hỏng.",
                    file.path
                ))
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = seen.keys().next() {
        return Err(format!("Tệp sao lưu có “{extra}” không có trong bản kê."));
    }
    if !manifest.files.iter().any(|f| f.path == DATABASE) {
        return Err("Tệp sao lưu không có cơ sở dữ liệu (portal.db).".into());
    }
    Ok(manifest)
}

/// Opens the unpacked database and checks it against the manifest: SQLite's integrity check,
/// the rows of every table, the counters, and a schema this binary can run.
async fn check_database(path: &Path, manifest: &Manifest) -> Result<(), String> {
    let newest = crate::db::MIGRATOR
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0);
    if manifest.schema_version > newest || manifest.schema_version < 1 {
        return Err(format!(
            "Tệp sao lưu được tạo bởi bản mới hơn của cổng (cơ sở dữ liệu phiên bản {}, bản này đến {newest}): hãy dùng bản cổng mới hơn để khôi phục.",
            manifest.schema_version
        ));
    }
    let pool = open_read_only(path)
        .await
        .map_err(|e| format!("Không mở được cơ sở dữ liệu trong tệp sao lưu: {e}."))?;
    let checked = tokio::time::timeout(CHECK_TIME, async {
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&pool)
            .await
            .map_err(|e| format!("Cơ sở dữ liệu trong tệp sao lưu bị hỏng: {e}."))?;
        if integrity != "ok" {
            return Err(format!(
                "Cơ sở dữ liệu trong tệp sao lưu bị hỏng: {integrity}."
            ));
        }
        let (tables, counters, version) = describe(path)
            .await
            .map_err(|e| format!("Không đọc được cơ sở dữ liệu trong tệp sao lưu: {e}."))?;
        if version != manifest.schema_version {
            return Err(format!(
                "Cơ sở dữ liệu trong tệp sao lưu có phiên bản {version}, bản kê ghi {}: tệp đã bị sửa.",
                manifest.schema_version
            ));
        }
        if tables != manifest.tables || counters != manifest.counters {
            return Err("Số dòng trong cơ sở dữ liệu không khớp bản kê của tệp sao lưu.".into());
        }
        Ok(())
    })
    .await
    .unwrap_or_else(|_| {
        Err("Kiểm tra cơ sở dữ liệu trong tệp sao lưu quá lâu: tệp không bình thường.".into())
    });
    pool.close().await;
    checked
}

/// The longest the database check of an archive may take (a portal's database checks in
/// seconds; a crafted one could loop).
const CHECK_TIME: std::time::Duration = std::time::Duration::from_secs(600);

/// Bytes free for this user on the file system holding `dir`.
pub fn free_space(dir: &Path) -> Option<u64> {
    let stat = rustix::fs::statvfs(dir).ok()?;
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

/// A new directory beside `near` for unpacking, removed with its contents when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn beside(near: &Path, what: &str) -> Result<Scratch, String> {
        let parent = match near.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .map_err(|e| format!("Không tạo được {}: {e}", parent.display()))?;
        let name = near
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "portal".into());
        let dir = parent.join(format!(
            ".{name}.{what}-{}",
            app::server::accounts::auth::random_hex(6)
        ));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&dir)
            .map_err(|e| format!("Không tạo được {}: {}", dir.display(), reason(&e)))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Checks an archive from end to end (every checksum, then the database), writing only its
/// database, to a directory removed afterwards.
pub async fn verify(archive: &Path) -> Result<Manifest, String> {
    // Beside the archive, or in the system's temporary directory when that is read-only.
    let scratch = Scratch::beside(archive, "kiem-tra")
        .or_else(|_| Scratch::beside(&std::env::temp_dir().join("portal"), "kiem-tra"))?;
    let into = scratch.0.clone();
    let path = archive.to_path_buf();
    let manifest = tokio::task::spawn_blocking(move || unpack(&path, &into, false, &free_space))
        .await
        .map_err(|e| e.to_string())??;
    check_database(&scratch.0.join(DATABASE), &manifest).await?;
    Ok(manifest)
}

/// Restores an archive into `data_dir`, which must not exist or be empty. Everything is
/// unpacked and checked beside it first, and moved into place only when all is right: a
/// damaged archive leaves nothing behind. Nothing is written unless the whole archive fits
/// in the free space of `data_dir`'s file system.
pub async fn restore(archive: &Path, data_dir: &Path) -> Result<Manifest, String> {
    restore_with_free_space(archive, data_dir, free_space).await
}

/// `restore`, asking `free_space` how many bytes are free on the file system of a directory
/// (`free_space` itself for the command; a test pretends a small disk).
pub async fn restore_with_free_space(
    archive: &Path,
    data_dir: &Path,
    free_space: impl Fn(&Path) -> Option<u64> + Send + 'static,
) -> Result<Manifest, String> {
    if data_dir.exists() {
        let empty = std::fs::read_dir(data_dir)
            .map_err(|e| format!("Không đọc được {}: {e}", data_dir.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!(
                "Thư mục {} không trống. Chỉ khôi phục vào một thư mục mới hoặc trống, để không ghi đè dữ liệu đang có.",
                data_dir.display()
            ));
        }
    }
    let scratch = Scratch::beside(data_dir, "khoi-phuc")?;
    let into = scratch.0.clone();
    let path = archive.to_path_buf();
    let manifest = tokio::task::spawn_blocking(move || unpack(&path, &into, true, &free_space))
        .await
        .map_err(|e| e.to_string())??;
    check_database(&scratch.0.join(DATABASE), &manifest).await?;
    std::fs::create_dir_all(scratch.0.join(MEDIA)).map_err(|e| e.to_string())?;
    if data_dir.exists() {
        std::fs::remove_dir(data_dir)
            .map_err(|e| format!("Không thay được {}: {e}", data_dir.display()))?;
    }
    std::fs::rename(&scratch.0, data_dir)
        .map_err(|e| format!("Không chuyển dữ liệu vào {}: {e}", data_dir.display()))?;
    Ok(manifest)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_database_the_manifest_and_plain_media_paths_unpack() {
        for ok in [
            "portal.db",
            "manifest.json",
            "media/files/ab.pdf",
            "media/x.mp4",
        ] {
            assert!(safe_path(ok), "{ok}");
        }
        for bad in [
            "../portal.db",
            "/etc/passwd",
            "media/../../x",
            "media/",
            "media//x",
            "media/.upload-1",
            "media\\..\\x",
            "other.txt",
            "admin-password.txt",
        ] {
            assert!(!safe_path(bad), "{bad}");
        }
    }
}
