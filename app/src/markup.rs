//! Text made safe to write into HTML or XML built as a string, in the browser (the editor's
//! inserted images and links) as on the server (the head, hand-written pages, feeds).

/// Plain text for HTML or XML: `&`, `<`, `>` and quotes escaped, and the control characters
/// XML 1.0 does not allow dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            escape(r#"a "b" <c> & 'd'"#),
            "a &quot;b&quot; &lt;c&gt; &amp; &#39;d&#39;"
        );
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(escape("Toàn văn\u{1} kế hoạch"), "Toàn văn kế hoạch");
    }
}
