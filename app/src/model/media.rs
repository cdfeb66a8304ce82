//! Uploaded files and how images are shown.

use serde::{Deserialize, Serialize};

/// An uploaded file, as the editor inserts it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    /// `/tep/<id>/<name>`.
    pub url: String,
    pub name: String,
    pub size: i64,
    /// What a link to it says after its text: "PDF, 245 KB".
    pub description: String,
    pub image: Option<ImageRendition>,
}

/// How an uploaded image is shown: a resized copy, and the others for `srcset`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRendition {
    pub src: String,
    pub srcset: String,
    pub width: i64,
    pub height: i64,
}
