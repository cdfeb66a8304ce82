//! Text made safe to write into HTML built as a string, in the browser as on the server. (The
//! server's own `server::html::escape` exists only in the `ssr` build.)

/// `text` for an attribute value in double quotes or for element text: `&`, `"`, `<` and `>`
/// written as entities.
pub fn attr_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::attr_escape;

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            attr_escape(r#"a "b" <c> & d"#),
            "a &quot;b&quot; &lt;c&gt; &amp; d"
        );
        assert_eq!(attr_escape("&amp;"), "&amp;amp;");
        assert_eq!(attr_escape("Toàn văn kế hoạch"), "Toàn văn kế hoạch");
    }
}
