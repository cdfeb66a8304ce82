//! References to documents the portal has, in a post's lead and body, made links.

use super::doc_refs::references;
use super::references::Citations;
use crate::server::html::{link_texts, Piece};

/// `text` split where it cites documents the portal has, None if it cites none. Each citation
/// is a link: to the document's full text (its first file) when it has one, the link's words
/// then saying what the file is ("(PDF, 245 KB)"), else to the document's page.
fn cite(text: &str, citations: &Citations) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for reference in references(text) {
        if let Some(id) = citations.document(&reference) {
            pieces.push(Piece::Text(text[at..reference.span.start].to_string()));
            let words = &text[reference.span.clone()];
            pieces.push(match citations.file(id) {
                Some(file) => Piece::Link {
                    href: file.url.clone(),
                    class: "doc-ref doc-ref--file".into(),
                    text: format!("{words} ({})", file.description),
                },
                None => Piece::Link {
                    href: format!("/van-ban/{id}"),
                    class: "doc-ref".into(),
                    text: words.to_string(),
                },
            });
            at = reference.span.end;
        }
    }
    if pieces.is_empty() {
        return None;
    }
    pieces.push(Piece::Text(text[at..].to_string()));
    Some(pieces)
}

/// `text` as pieces, each reference to a document the portal has made a link to it: data for
/// `components::linked_text::LinkedText`, never markup.
pub fn link_text(text: &str, citations: &Citations) -> Vec<Piece> {
    cite(text, citations).unwrap_or_else(|| vec![Piece::Text(text.to_string())])
}

/// Stored (sanitised) HTML with each reference in its text, outside existing links, made a
/// link to the document.
pub fn link_html(html: &str, citations: &Citations) -> String {
    if citations.is_empty() {
        return html.to_string();
    }
    link_texts(html, |text| cite(text, citations))
}
