//! Backups: one archive (`portal-YYYYMMDD-HHMMSS.tar.gz`, Vietnam time) holding a consistent
//! snapshot of the database, every media file, and a manifest (format, time, rows per table,
//! the counters, and the size and SHA-256 of every file). Made while the portal serves: the
//! database through `VACUUM INTO`, the media as they are (a stored file never changes: it is
//! named after its hash). `server backup`, `server backup --verify`, `server restore`, and the
//! server's own schedule all come here.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};

use app::server::operations::backups::{self, Run, Trigger};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::SqlitePool;
use time::OffsetDateTime;

/// The archive format this binary writes and reads.
pub const FORMAT: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
/// The database's name in an archive and in a data directory.
pub const DATABASE: &str = "portal.db";
/// The media directory's name in an archive and in a data directory.
pub const MEDIA: &str = "media";
/// The largest manifest read (a million files fit).
const MAX_MANIFEST_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// RFC 3339, Vietnam time.
    pub created_at: String,
    pub portal_version: String,
    /// The newest database migration the snapshot has.
    pub schema_version: i64,
    /// Rows per table of the snapshot.
    pub tables: BTreeMap<String, i64>,
    /// Site visits, post views and clip views, as stored.
    pub counters: BTreeMap<String, i64>,
    pub files: Vec<FileEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// `portal.db` or `media/…`, with `/` between parts.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// A finished archive.
#[derive(Debug)]
pub struct Made {
    pub path: PathBuf,
    pub bytes: u64,
    pub manifest: Manifest,
}

/// Makes an archive in `dir` (created if needed) of the database behind `pool` and the files
/// under `media_dir`. Written under a temporary name and renamed when complete, so an archive
/// with the final name is always whole. The error is a sentence in Vietnamese for officials.
pub async fn create(pool: &SqlitePool, media_dir: &Path, dir: &Path) -> Result<Made, String> {
    std::fs::create_dir_all(dir).map_err(|e| {
        format!(
            "không tạo được thư mục sao lưu {} ({})",
            dir.display(),
            reason(&e)
        )
    })?;
    let now = OffsetDateTime::now_utc().to_offset(app::format::VIETNAM);
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

/// Rows per table, the counters and the schema version of the database file at `path`.
async fn describe(
    path: &Path,
) -> Result<(BTreeMap<String, i64>, BTreeMap<String, i64>, i64), sqlx::Error> {
    let pool = open_read_only(path).await?;
    let described = async {
        let tables = backups::row_counts(&pool).await?.into_iter().collect();
        let counters = backups::counter_totals(&pool).await?.into_iter().collect();
        let version = backups::schema_version(&pool).await?;
        Ok((tables, counters, version))
    }
    .await;
    pool.close().await;
    described
}

async fn open_read_only(path: &Path) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false);
    sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
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

/// A new file readable and writable by this user only; fails if anything exists at `path`.
fn private_file(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
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
    header.set_mtime(app::server::time::unix_now());
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    header
}

/// Reads through to a hash.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
    bytes: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

fn append_file<W: Write>(
    tar: &mut tar::Builder<W>,
    source: &Path,
    path: &str,
) -> io::Result<FileEntry> {
    let file = File::open(source)?;
    let size = file.metadata()?.len();
    let mut reader = Hashing {
        inner: BufReader::new(file),
        hash: Sha256::new(),
        bytes: 0,
    };
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

/// Why a file operation failed, in Vietnamese for the common cases.
fn reason(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "không tìm thấy".into(),
        io::ErrorKind::PermissionDenied => "không có quyền".into(),
        io::ErrorKind::NotADirectory => "một phần của đường dẫn là tệp, không phải thư mục".into(),
        io::ErrorKind::StorageFull => "ổ đĩa đã đầy".into(),
        io::ErrorKind::ReadOnlyFilesystem => "ổ đĩa chỉ cho đọc".into(),
        io::ErrorKind::AlreadyExists => "đã có".into(),
        _ => err.to_string(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

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
        let mut hashing = Hashing {
            inner: &mut entry,
            hash: Sha256::new(),
            bytes: 0,
        };
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

/// A run of `create` and its record: a success with the archive's name and size, or a failure
/// with its reason. Logged either way.
pub async fn run(
    pool: &SqlitePool,
    media_dir: &Path,
    dir: &Path,
    trigger: Trigger,
) -> Result<Made, String> {
    let started_at = OffsetDateTime::now_utc();
    let made = create(pool, media_dir, dir).await;
    let outcome = match &made {
        Ok(made) => {
            tracing::info!(archive = %made.path.display(), bytes = made.bytes, files = made.manifest.files.len(), "backup made");
            Ok((
                made.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                i64::try_from(made.bytes).unwrap_or(i64::MAX),
            ))
        }
        Err(reason) => {
            tracing::error!(%reason, dir = %dir.display(), "backup failed");
            Err(reason.clone())
        }
    };
    let record = Run {
        started_at,
        finished_at: OffsetDateTime::now_utc(),
        outcome,
        trigger,
    };
    if let Err(err) = backups::record(pool, &record).await {
        tracing::error!(%err, "the backup run could not be recorded");
    }
    made
}

/// The archives in `dir` to delete so that the newest archive of each of the last `daily` days
/// and of the last `weekly` ISO weeks stay, and the newest of all in any case. Only archives
/// this portal made and recorded (`made`) count and are ever deleted, and none dated after
/// `now`: a file someone else put there, or named for the future, can neither push the real
/// ones out nor be deleted.
pub fn to_prune(
    names: &[String],
    made: &HashSet<String>,
    now: time::PrimitiveDateTime,
    daily: usize,
    weekly: usize,
) -> Vec<String> {
    let mut dated: Vec<(time::PrimitiveDateTime, &String)> = names
        .iter()
        .filter(|name| made.contains(*name))
        .filter_map(|name| Some((archive_time(name)?, name)))
        .filter(|(at, _)| *at <= now + time::Duration::hours(1))
        .collect();
    dated.sort_by(|a, b| b.cmp(a));
    let mut keep: std::collections::BTreeSet<&String> = std::collections::BTreeSet::new();
    if let Some((_, newest)) = dated.first() {
        keep.insert(newest);
    }
    let mut days = Vec::new();
    let mut weeks = Vec::new();
    for (at, name) in &dated {
        let day = at.date();
        if !days.contains(&day) && days.len() < daily {
            days.push(day);
            keep.insert(name);
        }
        let week = (day.to_iso_week_date().0, day.iso_week());
        if !weeks.contains(&week) && weeks.len() < weekly {
            weeks.push(week);
            keep.insert(name);
        }
    }
    dated
        .iter()
        .filter(|(_, name)| !keep.contains(name))
        .map(|(_, name)| (*name).clone())
        .collect()
}

/// The time in an archive's name `portal-YYYYMMDD-HHMMSS[-N].tar.gz`.
fn archive_time(name: &str) -> Option<time::PrimitiveDateTime> {
    let stem = name.strip_prefix("portal-")?.strip_suffix(".tar.gz")?;
    let (date, rest) = stem.split_at_checked(8)?;
    let clock = rest.strip_prefix('-')?;
    let (clock, n) = clock.split_at_checked(6)?;
    if !(n.is_empty()
        || n.strip_prefix('-')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
    {
        return None;
    }
    let number = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse::<u32>().ok())?
    };
    let (d, c) = (number(date)?, number(clock)?);
    let month = time::Month::try_from(((d / 100) % 100) as u8).ok()?;
    let date = time::Date::from_calendar_date((d / 10_000) as i32, month, (d % 100) as u8).ok()?;
    let clock =
        time::Time::from_hms((c / 10_000) as u8, ((c / 100) % 100) as u8, (c % 100) as u8).ok()?;
    Some(time::PrimitiveDateTime::new(date, clock))
}

/// Removes what an interrupted run left in `dir` (a snapshot or a partial archive, both named
/// with a leading dot) more than an hour ago, so that a run still going on elsewhere keeps its
/// files.
pub fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = (name.starts_with(".snapshot-") && name.ends_with(".db"))
            || (name.starts_with(".portal-") && name.ends_with(".tar.gz.part"));
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < hour_ago);
        if ours && old {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => tracing::info!(file = %name, "removed what an interrupted backup left"),
                Err(err) => {
                    tracing::warn!(%err, file = %name, "cannot remove what an interrupted backup left")
                }
            }
        }
    }
}

/// Deletes what `to_prune` names in `dir`; logs each.
pub fn prune(dir: &Path, made: &HashSet<String>, daily: usize, weekly: usize) {
    let names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(err) => {
            tracing::warn!(%err, dir = %dir.display(), "cannot list the backups to remove old ones");
            return;
        }
    };
    let now = OffsetDateTime::now_utc().to_offset(app::format::VIETNAM);
    let now = time::PrimitiveDateTime::new(now.date(), now.time());
    for name in to_prune(&names, made, now, daily, weekly) {
        match std::fs::remove_file(dir.join(&name)) {
            Ok(()) => tracing::info!(archive = %name, "old backup removed"),
            Err(err) => tracing::warn!(%err, archive = %name, "cannot remove an old backup"),
        }
    }
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

    #[test]
    fn archive_names_are_read_exactly() {
        assert!(archive_time("portal-20261130-083000.tar.gz").is_some());
        assert!(archive_time("portal-20261130-083000-2.tar.gz").is_some());
        for other in [
            "portal-20261131-083000.tar.gz",
            "portal-20261130-083000.tar.gz.part",
            ".portal-20261130-083000.tar.gz.part",
            "portal-20261130-250000.tar.gz",
            "portal-20261130-083000-.tar.gz",
            "notes.txt",
        ] {
            assert!(archive_time(other).is_none(), "{other}");
        }
    }

    #[test]
    fn pruning_keeps_the_newest_of_each_recent_day_and_week() {
        // Two a day from Monday 2026-11-02 to Monday 2026-11-30 (ISO weeks 45 to 49).
        let mut names = Vec::new();
        for day in 2..=30 {
            for hour in ["020000", "140000"] {
                names.push(format!("portal-202611{day:02}-{hour}.tar.gz"));
            }
        }
        names.push("notes.txt".into());
        let mut made: HashSet<String> = names.iter().cloned().collect();
        let now = time::macros::datetime!(2026-11-30 15:00);
        // Files this portal did not make, one of them named for the future: ignored.
        names.push("portal-20261130-143000.tar.gz".into());
        names.push("portal-20991201-000000.tar.gz".into());
        made.insert("portal-20991201-000000.tar.gz".into());
        let pruned = to_prune(&names, &made, now, 3, 2);
        let kept: Vec<&String> = names.iter().filter(|n| !pruned.contains(n)).collect();
        assert_eq!(
            kept,
            vec![
                // Sunday 29th: the newest of week 48 as well as of its day.
                "portal-20261128-140000.tar.gz",
                "portal-20261129-140000.tar.gz",
                "portal-20261130-140000.tar.gz",
                "notes.txt",
                "portal-20261130-143000.tar.gz",
                "portal-20991201-000000.tar.gz",
            ]
        );
        // None kept by day or week: the newest still stays.
        assert_eq!(
            to_prune(&names[..2], &made, now, 0, 0),
            vec![names[0].clone()]
        );
    }
}
