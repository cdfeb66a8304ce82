//! Where a link or a redirect may lead. Shared by the server (redirects, the sanitiser) and the
//! browser (the address to return to after sign-in), so both decide alike.
//!
//! Browsers read URLs leniently: they drop tabs and new lines anywhere, trim spaces and control
//! characters at both ends, and take `\` for `/`. So `/\evil.example`, `/<TAB>/evil.example` and
//! ` //evil.example` all lead to another site although they look like paths. A relative URL is
//! accepted only if no such reading can give it a host.

/// The address of a post by its kind (`page`: a static page, else a news post) and slug.
pub fn post_path(kind: &str, slug: &str) -> String {
    if kind == "page" {
        format!("/trang/{slug}")
    } else {
        format!("/bai-viet/{slug}")
    }
}

/// `raw` if it is a path on this site (`/van-ban?trang=2`), None otherwise: it must start with
/// one `/` and hold no backslash, no control character and no white space before the query.
pub fn local_path(raw: &str) -> Option<&str> {
    let rest = raw.strip_prefix('/')?;
    let path_end = raw.find(['?', '#']).unwrap_or(raw.len());
    let harmless = !rest.starts_with('/')
        && !raw.contains('\\')
        && !raw.chars().any(char::is_control)
        && !raw[..path_end].chars().any(char::is_whitespace);
    harmless.then_some(raw)
}

/// True for a relative URL in stored HTML that stays on this site (`/tep/…`, `ke-hoach.pdf`,
/// `#muc-2`, `?trang=2`): no leading `//`, no backslash, no control character. URLs with a
/// scheme are judged by the sanitiser's list of schemes, not here.
pub fn is_safe_relative(raw: &str) -> bool {
    let trimmed = raw.trim_matches(|c: char| c.is_control() || c == ' ');
    !trimmed.starts_with("//")
        && !raw.contains('\\')
        && !raw.chars().any(char::is_control)
        && !trimmed.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_this_site_are_kept() {
        for path in [
            "/",
            "/van-ban?trang=2&q=a b",
            "/bai-viet/ke-hoach#muc-1",
            "/%5Cx",
        ] {
            assert_eq!(local_path(path), Some(path), "{path}");
        }
    }

    #[test]
    fn anything_a_browser_could_read_as_another_host_is_refused() {
        for bad in [
            "//evil.example/x",
            "/\\evil.example/x",
            "\\\\evil.example",
            "/\t/evil.example/x",
            "/\n/evil.example",
            " //evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/\\/evil.example",
            "/ /evil.example",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn relative_urls_in_stored_html_stay_here() {
        for ok in [
            "/tep/abc/ke-hoach.pdf",
            "ke-hoach.pdf",
            "#muc-2",
            "?trang=2",
        ] {
            assert!(is_safe_relative(ok), "{ok}");
        }
        for bad in [
            "//other.host/x.png",
            " //other.host",
            "\\\\other.host\\x",
            "/\\other.host",
            "/\t/other.host",
            "",
        ] {
            assert!(!is_safe_relative(bad), "{bad:?}");
        }
    }
}
