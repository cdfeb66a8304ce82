//! Readable URLs from Vietnamese titles: diacritics dropped, `đ` becomes `d`.

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Longest slug kept, in bytes (all ASCII); cut at a word boundary.
const MAX_LEN: usize = 120;

/// A URL path segment made of lowercase ASCII letters, digits and single hyphens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    /// The slug of a title, or `None` when the title has no letter or digit at all.
    pub fn from_title(title: &str) -> Option<Slug> {
        let mut out = String::with_capacity(title.len());
        let mut pending_hyphen = false;
        for c in title.nfd().filter(|c| !is_combining_mark(*c)) {
            let c = match c {
                'đ' | 'Đ' => 'd',
                c => c.to_ascii_lowercase(),
            };
            if c.is_ascii_alphanumeric() {
                if pending_hyphen && !out.is_empty() {
                    out.push('-');
                }
                pending_hyphen = false;
                out.push(c);
            } else {
                pending_hyphen = true;
            }
        }
        if out.len() > MAX_LEN {
            let cut = out[..=MAX_LEN].rfind('-').unwrap_or(MAX_LEN);
            out.truncate(cut);
        }
        (!out.is_empty()).then_some(Slug(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(title: &str) -> Option<String> {
        Slug::from_title(title).map(|s| s.0)
    }

    #[test]
    fn the_sample_post_has_a_readable_slug() {
        assert_eq!(
            slug("Kế hoạch tuyên truyền nâng cao Chỉ số hiệu quả quản trị và hành chính công (PAPI) thành phố Hưng Yên năm 2022").as_deref(),
            Some("ke-hoach-tuyen-truyen-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-papi-thanh-pho-hung-yen-nam-2022")
        );
    }

    #[test]
    fn d_with_stroke_and_tones_fold_to_ascii() {
        assert_eq!(
            slug("Đảng bộ xã Dương Quang").as_deref(),
            Some("dang-bo-xa-duong-quang")
        );
        // NFD input (decomposed tones) gives the same slug as NFC.
        assert_eq!(
            slug("Ho\u{0300}a bi\u{0300}nh").as_deref(),
            Some("hoa-binh")
        );
        assert_eq!(slug("Hòa bình").as_deref(), Some("hoa-binh"));
    }

    #[test]
    fn punctuation_collapses_and_empty_titles_have_none() {
        assert_eq!(
            slug("  -- Thông báo!!! số 5/2024 -- ").as_deref(),
            Some("thong-bao-so-5-2024")
        );
        assert_eq!(slug("?!…"), None);
        assert_eq!(slug(""), None);
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let s = slug(&"trường học ".repeat(30)).unwrap();
        assert!(s.len() <= MAX_LEN, "{}", s.len());
        assert!(!s.ends_with('-') && s.ends_with("hoc"));
    }
}
