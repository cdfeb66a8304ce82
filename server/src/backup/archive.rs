//! What every archive is: its names, its manifest, and what both making and reading one need.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use app::server::operations::backups;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::SqlitePool;

/// The archive format this binary writes and reads.
pub const FORMAT: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
/// The database's name in an archive and in a data directory.
pub const DATABASE: &str = "portal.db";
/// The media directory's name in an archive and in a data directory.
pub const MEDIA: &str = "media";
/// The largest manifest read (a million files fit).
pub(super) const MAX_MANIFEST_BYTES: u64 = 256 * 1024 * 1024;

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

/// Rows per table, the counters and the schema version of the database file at `path`.
pub(super) async fn describe(
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

pub(super) async fn open_read_only(path: &Path) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false);
    sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
}

/// A new file readable and writable by this user only; fails if anything exists at `path`.
pub(super) fn private_file(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Reads through to a hash.
pub(super) struct Hashing<R> {
    pub(super) inner: R,
    pub(super) hash: Sha256,
    pub(super) bytes: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

impl<R> Hashing<R> {
    pub(super) fn new(inner: R) -> Hashing<R> {
        Hashing {
            inner,
            hash: Sha256::new(),
            bytes: 0,
        }
    }
}

/// Why a file operation failed, in Vietnamese for the common cases.
pub(super) fn reason(err: &io::Error) -> String {
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
