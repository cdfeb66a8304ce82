//! Plain text as the portal stores it: NFC, on one line, without the invisible characters that
//! make a name read other than it is. A leaf: it needs nothing else of the server.

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Characters that change how text around them is shown without being seen themselves: the
/// bidirectional controls (`hoa-don\u{202E}fdp.exe` shows as `hoa-donexe.pdf`), zero-width
/// spaces and joiners used to split or disguise words, and the byte-order mark.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Lower case, without tone or vowel marks, 'đ' as 'd': the form words are compared in.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// What a user may type into a one-line field, as stored: NFC, control and invisible
/// characters dropped, runs of white space (new lines too) made one space, trimmed.
pub fn one_line(raw: &str) -> String {
    let kept: String = raw
        .nfc()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| !is_invisible(*c))
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_is_nfc_and_visible() {
        assert_eq!(
            one_line("  Nguye\u{302}\u{303}n \n Văn\tA "),
            "Nguyễn Văn A"
        );
        assert_eq!(one_line("hoa-don\u{202E}fdp.exe.pdf"), "hoa-donfdp.exe.pdf");
        assert_eq!(one_line("a\u{200B}d\u{2066}m\u{FEFF}in\u{7}"), "admin");
        assert_eq!(one_line("\u{202D}\u{200F}"), "");
    }
}
