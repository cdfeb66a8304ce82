//! Files officials upload: attachments (documents and images, by content hash, served by
//! token) and the video clips of the sidebar widget.

use std::path::PathBuf;

pub mod attachments;
pub mod clips;

/// Where uploaded files live and how big they may be.
#[derive(Clone, Debug)]
pub struct MediaConfig {
    /// `<data dir>/media`: uploaded clips by content hash, and YouTube thumbnails.
    pub dir: PathBuf,
    pub max_video_bytes: u64,
    /// The largest attachment (PDF, office file, image) an official may upload.
    pub max_attachment_bytes: u64,
    /// Where YouTube thumbnails are fetched from (`<base>/vi/<id>/hqdefault.jpg`), once each.
    pub thumbnail_base: String,
}
