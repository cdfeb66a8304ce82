//! Văn bản: the documents list and page, the form, and what the documents lack.

use serde::{Deserialize, Serialize};

use super::common::{Day, Link};
use super::editing::CategoryChoice;
use super::media::Attachment;

/// A document in the list of the documents page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: i64,
    /// "Kế hoạch".
    pub kind: String,
    /// "19/KH-UBND".
    pub number: String,
    /// `YYYY-MM-DD`.
    pub issued_on: Day,
    pub issuer: String,
    /// Trích yếu.
    pub summary: String,
    /// Past its expiry date, or replaced by another document.
    pub expired: bool,
}

/// The values the documents page's filters offer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFilters {
    pub kinds: Vec<String>,
    pub issuers: Vec<String>,
    pub fields: Vec<String>,
    pub years: Vec<i64>,
}

/// A page of the documents list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentList {
    pub documents: Vec<DocumentRow>,
    pub total: i64,
    pub page: i64,
    pub total_pages: i64,
    pub filters: DocumentFilters,
    /// The filter values asked for: kind, issuer, field, year, query ("" for none).
    pub chosen: [String; 5],
}

/// A document's own page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentPage {
    pub summary: DocumentRow,
    pub effective_on: Option<Day>,
    pub expires_on: Option<Day>,
    pub signer: String,
    pub field: String,
    pub replaced_by: Vec<Link>,
    pub replaces: Vec<Link>,
    /// Published posts and pages that cite it.
    pub cited_by: Vec<Link>,
    /// The full text and annexes.
    pub files: Vec<Attachment>,
    /// Comments on a draft: the deadline and the way to the form (for editors, the form that
    /// sets the deadline); None for a document that asks for none.
    #[serde(default)]
    pub comments: Option<super::questions::DocumentComments>,
}

/// A document posts cite that the portal does not have yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingReference {
    pub kind: String,
    /// "19/KH-UBND".
    pub number: String,
    /// `YYYY-MM-DD`, when the posts give the date.
    pub issued_on: Option<Day>,
    /// As one post wrote it.
    pub written: String,
    /// How many posts cite it.
    pub count: i64,
    /// Some of them.
    pub posts: Vec<Link>,
}

/// The officials' list of what the documents lack: documents posts cite that the portal does
/// not have, and documents it has without their full text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingDocuments {
    pub cited: Vec<MissingReference>,
    pub without_files: Vec<DocumentWithoutFile>,
}

/// A document on the portal with no file: citizens cannot read its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentWithoutFile {
    pub id: i64,
    pub kind: String,
    /// "19/KH-UBND".
    pub number: String,
    pub issued_on: Day,
    pub summary: String,
    /// Posts citing it.
    pub cited_by: i64,
}

/// What the documents form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEdit {
    pub id: Option<i64>,
    pub base_version: i64,
    pub kind: String,
    /// Số ký hiệu: "19/KH-UBND".
    pub number: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    pub effective_on: String,
    pub expires_on: String,
    pub issuer: String,
    pub signer: String,
    pub field: String,
    pub summary: String,
    /// The files, in order (attachment ids).
    pub files: Vec<Attachment>,
    /// The document that replaces this one, if any.
    #[serde(default)]
    pub replaced_by: Option<i64>,
}

/// The documents form: the document as stored (or a blank one) and the kinds to choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEditor {
    pub document: DocumentEdit,
    pub kinds: Vec<String>,
    /// The other documents, newest first, for "replaced by".
    pub others: Vec<CategoryChoice>,
}
