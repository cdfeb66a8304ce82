//! Backups: one archive (`portal-YYYYMMDD-HHMMSS.tar.gz`, Vietnam time) holding a consistent
//! snapshot of the database, every media file, and a manifest (format, time, rows per table,
//! the counters, and the size and SHA-256 of every file). Made while the portal serves: the
//! database through `VACUUM INTO`, the media as they are (a stored file never changes: it is
//! named after its hash). `server backup`, `server backup --verify`, `server restore`, and the
//! server's own schedule all come here.
//!
//! One concern a file: `archive` (names, manifest, shared helpers), `write` (making one),
//! `read` (verifying and restoring one), `schedule` (recorded runs, pruning). The public items
//! are re-exported here.

pub mod archive;
pub mod read;
pub mod schedule;
pub mod write;

pub use archive::{FileEntry, Made, Manifest, DATABASE, FORMAT, MANIFEST, MEDIA};
pub use read::{free_space, restore, restore_with_free_space, verify};
pub use schedule::{prune, remove_leftovers, run, to_prune};
pub use write::create;
