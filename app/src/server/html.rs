//! Stored HTML. Whatever an editor sends (typed, pasted from Word or a web page, or forged by
//! hand), the body is kept only as it comes out of the allow-list here: the browser's copy is
//! never trusted.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use std::cell::RefCell;
use std::rc::Rc;

use ammonia::Builder;

pub use crate::markup::escape;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{local_name, ns, Attribute, LocalName, QualName};
use markup5ever_rcdom::{Handle, Node, NodeData, RcDom, SerializableHandle};
use unicode_normalization::UnicodeNormalization;

/// The elements a body may hold: those of the editor's toolbar, and what structure survives a
/// paste (headings, lists, tables, quotes).
const TAGS: &[&str] = &[
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "img",
    "figure",
    "figcaption",
    "hr",
    "pre",
    "code",
];

/// Elements dropped with everything inside them (not just unwrapped).
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script", "style", "xml", "title", "template", "noscript", "svg", "math", "iframe", "object",
    "embed", "select", "textarea",
];

/// The elements after which the text of a body breaks (for the search index and diffs).
const BLOCKS: &[&str] = &[
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "li",
    "blockquote",
    "tr",
    "td",
    "th",
    "caption",
    "figcaption",
    "hr",
    "pre",
    "/p",
    "/h2",
    "/h3",
    "/h4",
    "/li",
    "/blockquote",
    "/tr",
    "/td",
    "/th",
    "/caption",
    "/figcaption",
    "/pre",
    "ul",
    "ol",
    "/ul",
    "/ol",
    "table",
    "/table",
];

fn builder() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
        attributes.insert("a", ["href", "title"].into());
        attributes.insert(
            "img",
            ["src", "srcset", "sizes", "alt", "width", "height"].into(),
        );
        attributes.insert("th", ["colspan", "rowspan", "scope"].into());
        attributes.insert("td", ["colspan", "rowspan"].into());
        attributes.insert("ol", ["start"].into());
        let mut builder = Builder::empty();
        builder
            .tags(TAGS.iter().copied().collect())
            .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
            .tag_attributes(attributes)
            .url_schemes(["http", "https", "mailto", "tel"].into())
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(Some("noopener noreferrer"))
            .strip_comments(true)
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                // Images only from the portal's own files: another host would learn who reads
                // the page, and could change the picture after the post was checked.
                ("img", "src") => is_own_file(value).then(|| value.into()),
                // The resized copies of the portal's own uploads, and nothing else.
                ("img", "srcset") => value
                    .split(',')
                    .all(|candidate| is_own_file(candidate.split_whitespace().next().unwrap_or("")))
                    .then(|| value.into()),
                // Links may lead anywhere by http(s), mail or phone (the schemes above), but a
                // relative one must stay here: `//host`, `\\host`, `/\host` lead away.
                ("a", "href") => (has_scheme(value) || crate::links::is_safe_relative(value))
                    .then(|| value.into()),
                ("img", "sizes") => value
                    .split(|c: char| " (),:".contains(c))
                    .filter(|t| !t.is_empty())
                    .all(|t| {
                        matches!(t, "max-width" | "min-width")
                            || ["rem", "px", "vw", "em"].iter().any(|unit| {
                                t.strip_suffix(unit).is_some_and(|n| {
                                    !n.is_empty()
                                        && n.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                                })
                            })
                    })
                    .then(|| value.into()),
                _ => Some(value.into()),
            });
        builder
    })
}

/// `/tep/<token>/<name>`: a file uploaded to the portal.
fn is_own_file(url: &str) -> bool {
    url.strip_prefix("/tep/").is_some_and(|rest| {
        crate::links::local_path(url).is_some()
            && rest
                .split_once('/')
                .is_some_and(|(token, name)| !token.is_empty() && !name.is_empty())
            && !url.contains(':')
    })
}

/// `https:…`, `mailto:…`: a URL with a scheme, which ammonia checks against the allowed ones.
fn has_scheme(url: &str) -> bool {
    let url = url.trim_start();
    url.find(':').is_some_and(|colon| {
        let scheme = &url[..colon];
        !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// A body that has passed the allow-list: no script, event handler, `javascript:` or `data:`
/// URL, style, class or Office markup is left in it. Stored as NFC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SafeHtml(String);

impl SafeHtml {
    pub fn clean(raw: &str) -> SafeHtml {
        let nfc: String = raw.nfc().collect();
        let fragment = Fragment::parse(&builder().clean(&nfc).to_string());
        drop_empty_paragraphs(&fragment.root());
        SafeHtml(serialize(&fragment.root()).trim().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The text a citizen reads, one line per block, for the search index and for diffs.
    pub fn text(&self) -> String {
        text_of(&self.0)
    }
}

/// Word and the editor leave paragraphs holding nothing but spaces (`<p>&nbsp;</p>`, `<p></p>`,
/// `<p><br></p>`) to make room; the stylesheet already spaces paragraphs, so they are dropped.
fn drop_empty_paragraphs(node: &Handle) {
    let is_empty_paragraph = |child: &Handle| {
        element_name(child) == Some("p")
            && child.children.borrow().iter().all(|c| match &c.data {
                NodeData::Text { contents } => contents.borrow().trim().is_empty(),
                NodeData::Element { .. } => element_name(c) == Some("br"),
                _ => true,
            })
    };
    node.children
        .borrow_mut()
        .retain(|c| !is_empty_paragraph(c));
    for child in node.children.borrow().iter() {
        drop_empty_paragraphs(child);
    }
}

/// Stored (already serialised) HTML parsed as the children of a `<div>`, as the sanitiser does.
/// The tree lives as long as this: dropping the document empties every node of it.
struct Fragment {
    dom: RcDom,
}

impl Fragment {
    fn parse(html: &str) -> Fragment {
        let dom = html5ever::driver::parse_fragment(
            RcDom::default(),
            html5ever::ParseOpts::default(),
            QualName::new(None, ns!(html), local_name!("div")),
            Vec::new(),
            false,
        )
        .one(html);
        Fragment { dom }
    }

    /// The element holding the fragment's nodes.
    fn root(&self) -> Handle {
        self.dom.document.children.borrow()[0].clone()
    }
}

/// The children of `root` as HTML.
fn serialize(root: &Handle) -> String {
    let mut out = Vec::new();
    let handle: SerializableHandle = root.clone().into();
    // Writing to memory cannot fail.
    let _ = html5ever::serialize::serialize(&mut out, &handle, Default::default());
    String::from_utf8(out).unwrap_or_default()
}

fn element_name(node: &Handle) -> Option<&str> {
    match &node.data {
        NodeData::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

/// The text of serialised HTML, one line per block (paragraph, heading, list item, cell, …),
/// entities decoded, spaces collapsed.
pub fn text_of(html: &str) -> String {
    fn walk(node: &Handle, lines: &mut Vec<String>, line: &mut String) {
        for child in node.children.borrow().iter() {
            match &child.data {
                NodeData::Text { contents } => line.push_str(&contents.borrow()),
                NodeData::Element { .. } => {
                    let block = element_name(child).is_some_and(|n| BLOCKS.contains(&n));
                    if block {
                        lines.push(std::mem::take(line));
                    }
                    walk(child, lines, line);
                    if block {
                        lines.push(std::mem::take(line));
                    }
                }
                _ => {}
            }
        }
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    walk(&Fragment::parse(html).root(), &mut lines, &mut line);
    lines.push(line);
    lines
        .iter()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

pub use crate::model::Piece;

/// Stored HTML with each text outside a link passed to `split`; where it answers pieces, the
/// text is replaced by them (links made as elements of the tree, so no markup comes from text).
pub fn link_texts(html: &str, mut split: impl FnMut(&str) -> Option<Vec<Piece>>) -> String {
    fn walk(node: &Handle, split: &mut dyn FnMut(&str) -> Option<Vec<Piece>>) {
        let children: Vec<Handle> = node.children.borrow().clone();
        let mut out = Vec::with_capacity(children.len());
        for child in children {
            match &child.data {
                NodeData::Text { contents } => {
                    let text = contents.borrow().to_string();
                    match split(&text) {
                        Some(pieces) => out.extend(pieces.into_iter().map(|p| node_of(p, node))),
                        None => out.push(child.clone()),
                    }
                }
                NodeData::Element { .. } => {
                    if element_name(&child) != Some("a") {
                        walk(&child, split);
                    }
                    out.push(child.clone());
                }
                _ => out.push(child.clone()),
            }
        }
        *node.children.borrow_mut() = out;
    }
    fn text_node(text: &str) -> Handle {
        Node::new(NodeData::Text {
            contents: RefCell::new(StrTendril::from_slice(text)),
        })
    }
    fn node_of(piece: Piece, parent: &Handle) -> Handle {
        let node = match piece {
            Piece::Text(text) => text_node(&text),
            Piece::Link { href, class, text } => {
                let attribute = |name: LocalName, value: &str| Attribute {
                    name: QualName::new(None, ns!(), name),
                    value: StrTendril::from_slice(value),
                };
                let link = Node::new(NodeData::Element {
                    name: QualName::new(None, ns!(html), local_name!("a")),
                    attrs: RefCell::new(vec![
                        attribute(local_name!("href"), &href),
                        attribute(local_name!("class"), &class),
                    ]),
                    template_contents: RefCell::new(None),
                    mathml_annotation_xml_integration_point: false,
                });
                let inner = text_node(&text);
                inner.parent.set(Some(Rc::downgrade(&link)));
                link.children.borrow_mut().push(inner);
                link
            }
        };
        node.parent.set(Some(Rc::downgrade(parent)));
        node
    }
    let fragment = Fragment::parse(html);
    walk(&fragment.root(), &mut split);
    serialize(&fragment.root())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_stays_and_junk_goes() {
        let word = r#"<!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]-->
            <style>p.MsoNormal{margin:0}</style>
            <h1 class="MsoTitle">Kế hoạch</h1>
            <p class="MsoNormal" style="margin:0cm;font-family:'Times New Roman'"><b><span lang="VI" style="font-size:14pt">Điều 1.</span></b> Nội dung<o:p></o:p></p>
            <p class="MsoNormal">&nbsp;<o:p></o:p></p>
            <table class="MsoTableGrid" border="1"><tbody><tr><td width="200" style="border:solid">Ô</td></tr></tbody></table>"#;
        let clean = SafeHtml::clean(word);
        let html = clean.as_str();
        for junk in [
            "class", "style", "Mso", "o:p", "xml", "lang", "border", "<!--", "<h1",
        ] {
            assert!(!html.contains(junk), "{junk} left in {html}");
        }
        assert!(html.contains("<p><b>Điều 1.</b> Nội dung</p>"), "{html}");
        assert!(html.contains("<table><tbody><tr><td>Ô</td></tr></tbody></table>"));
        assert_eq!(
            html.matches("<p>").count(),
            1,
            "the empty paragraph is gone"
        );
    }

    #[test]
    fn scripts_handlers_and_bad_urls_are_gone() {
        let payloads = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<svg><script>alert(1)</script></svg>",
            "<p style=\"background:url(javascript:alert(1))\">x</p>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">",
        ];
        for payload in payloads {
            let html = SafeHtml::clean(payload).into_string().to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "javascript:",
                "<svg",
                "style",
                "<iframe",
                "data:",
            ] {
                assert!(!html.contains(bad), "{payload} gave {html}");
            }
        }
    }

    #[test]
    fn links_keep_their_address_and_get_a_safe_rel() {
        let html = SafeHtml::clean("<a href=\"/van-ban/1\" target=\"_blank\">Kế hoạch</a>");
        assert_eq!(
            html.as_str(),
            "<a href=\"/van-ban/1\" rel=\"noopener noreferrer\">Kế hoạch</a>"
        );
    }

    #[test]
    fn images_keep_only_the_portals_own_renditions() {
        let ours = "<img src=\"/tep/3/w1024.jpg\" srcset=\"/tep/3/w480.jpg 480w, /tep/3/w1024.jpg 1024w\" sizes=\"(max-width: 48rem) 100vw, 48rem\" alt=\"Hội nghị\">";
        assert_eq!(SafeHtml::clean(ours).as_str(), ours);
        let theirs = SafeHtml::clean("<img src=\"/tep/3/w1024.jpg\" srcset=\"https://evil.example/x.jpg 480w\" sizes=\"expression(alert(1))\" alt=\"x\">");
        assert_eq!(theirs.as_str(), "<img src=\"/tep/3/w1024.jpg\" alt=\"x\">");
    }

    #[test]
    fn images_come_only_from_the_portal_and_links_stay_where_they_say() {
        for (raw, kept) in [
            (
                "<img src=\"//other.host/x.png\" alt=\"a\">",
                "<img alt=\"a\">",
            ),
            (
                "<img src=\"\\\\other.host\\x.png\" alt=\"a\">",
                "<img alt=\"a\">",
            ),
            (
                "<img src=\"https://other.host/x.png\" alt=\"a\">",
                "<img alt=\"a\">",
            ),
            (
                "<img src=\"/\\other.host/x.png\" alt=\"a\">",
                "<img alt=\"a\">",
            ),
            (
                "<img src=\"/tep/ab/x.png\" alt=\"a\">",
                "<img src=\"/tep/ab/x.png\" alt=\"a\">",
            ),
            (
                "<a href=\"/\\other.host\">x</a>",
                "<a rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<a href=\"//other.host\">x</a>",
                "<a rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<a href=\" //other.host\">x</a>",
                "<a rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<a href=\"https://other.host/a\">x</a>",
                "<a href=\"https://other.host/a\" rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<a href=\"mailto:ubnd@duongquang.gov.vn\">x</a>",
                "<a href=\"mailto:ubnd@duongquang.gov.vn\" rel=\"noopener noreferrer\">x</a>",
            ),
        ] {
            assert_eq!(SafeHtml::clean(raw).as_str(), kept, "{raw}");
        }
    }

    #[test]
    fn stored_text_is_nfc() {
        let nfd: String = "Hòa thuận".nfd().collect();
        assert_eq!(
            SafeHtml::clean(&format!("<p>{nfd}</p>")).as_str(),
            "<p>Hòa thuận</p>"
        );
    }

    #[test]
    fn text_has_a_line_per_block_and_decoded_entities() {
        let html = SafeHtml::clean(
            "<h2>A &amp; B</h2><p>x&nbsp;&lt;y&gt;<br>z</p><ul><li>một</li><li>hai</li></ul>",
        );
        assert_eq!(html.text(), "A & B\nx <y>\nz\nmột\nhai");
    }

    #[test]
    fn texts_are_linked_as_elements_outside_links_only() {
        let html = "<p>Theo KH 19 &amp; <a href=\"/x\">KH 19</a> <b>KH 19 &lt;b&gt;</b></p>";
        let linked = link_texts(html, |text| {
            let at = text.find("KH 19")?;
            Some(vec![
                Piece::Text(text[..at].to_string()),
                Piece::Link {
                    href: "/van-ban/1?a=1&b=\"2\"".into(),
                    class: "doc-ref".into(),
                    text: "KH 19".into(),
                },
                Piece::Text(text[at + 5..].to_string()),
            ])
        });
        assert_eq!(
            linked,
            "<p>Theo <a href=\"/van-ban/1?a=1&amp;b=&quot;2&quot;\" class=\"doc-ref\">KH 19</a> &amp; \
             <a href=\"/x\">KH 19</a> <b><a href=\"/van-ban/1?a=1&amp;b=&quot;2&quot;\" \
             class=\"doc-ref\">KH 19</a> &lt;b&gt;</b></p>"
        );
        assert_eq!(
            link_texts(html, |_| None),
            html,
            "untouched when nothing is linked"
        );
    }
}
