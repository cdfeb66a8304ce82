//! Vietnamese official document numbers ("19/KH-UBND", "12/2021/QĐ-UBND") and the references
//! posts make to documents ("Kế hoạch số 181/KH-UBND ngày 29/12/2021").
//!
//! A number is "số ký hiệu": the number, the year for legal documents, and the symbol (the
//! type's abbreviation and the issuing body's, joined by hyphens). References are found in
//! text typed any way: NFC or NFD, with or without "số", with spaces around the slashes.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

use crate::server::text::fold;

use crate::error::AppError;

/// Kinds of document, with the words that name them and the abbreviation in their symbols.
pub const TYPES: [(&str, &str); 14] = [
    ("Quyết định", "QĐ"),
    ("Kế hoạch", "KH"),
    ("Công văn", ""),
    ("Thông báo", "TB"),
    ("Báo cáo", "BC"),
    ("Nghị quyết", "NQ"),
    ("Chỉ thị", "CT"),
    ("Tờ trình", "TTr"),
    ("Hướng dẫn", "HD"),
    ("Nghị định", "NĐ"),
    ("Thông tư", "TT"),
    ("Công điện", "CĐ"),
    ("Giấy mời", "GM"),
    ("Chương trình", "CTr"),
];

/// A parsed "số ký hiệu".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocNumber {
    pub number: u32,
    /// The year written into legal documents' numbers (12/2021/QĐ-UBND).
    pub year: Option<u16>,
    /// "KH-UBND", as written (NFC, no spaces).
    pub symbol: String,
}

impl DocNumber {
    /// "19/KH-UBND", "12/2021/QĐ-UBND", "345/UBND-VP"; spaces around '/' and '-' are
    /// dropped. A malformed number gets a message saying what a good one looks like.
    pub fn parse(raw: &str) -> Result<DocNumber, AppError> {
        let text: String = raw.nfc().filter(|c| !c.is_whitespace()).collect();
        let invalid = |why: &str| {
            AppError::BadRequest(format!(
                "Số ký hiệu “{}” không hợp lệ: {why}. Ví dụ đúng: 19/KH-UBND hoặc 12/2021/QĐ-UBND.",
                raw.trim()
            ))
        };
        let parts: Vec<&str> = text.split('/').collect();
        let (number, year, symbol) = match parts.as_slice() {
            [number, symbol] => (*number, None, *symbol),
            [number, year, symbol] => (*number, Some(*year), *symbol),
            _ => return Err(invalid("cần có số và ký hiệu, ngăn cách bằng dấu /")),
        };
        let number = digits(number)
            .filter(|n| (1..=999_999).contains(n))
            .ok_or_else(|| invalid("số văn bản phải là số nguyên dương"))?;
        let year = match year {
            None => None,
            Some(year) => Some(
                digits(year)
                    .filter(|y| (1945..=2100).contains(y))
                    .map(|y| y as u16)
                    .ok_or_else(|| invalid("năm phải có 4 chữ số"))?,
            ),
        };
        if !valid_symbol(symbol) {
            return Err(invalid(
                "ký hiệu gồm các chữ viết tắt ngăn cách bằng dấu -, ví dụ KH-UBND",
            ));
        }
        Ok(DocNumber {
            number,
            year,
            symbol: symbol.to_string(),
        })
    }

    /// "19/KH-UBND", "12/2021/QĐ-UBND".
    pub fn text(&self) -> String {
        Self::format(
            i64::from(self.number),
            self.year.map(i64::from),
            &self.symbol,
        )
    }

    /// The number/symbol of a document as stored (number, year, symbol): "12/2021/QĐ-UBND".
    pub fn format(number: i64, year: Option<i64>, symbol: &str) -> String {
        match year {
            Some(year) => format!("{number}/{year}/{symbol}"),
            None => format!("{number}/{symbol}"),
        }
    }

    /// The symbol folded for comparison: "QĐ-UBND" and "qd-ubnd" are the same document.
    pub fn folded_symbol(&self) -> String {
        fold(&self.symbol)
    }
}

fn digits(text: &str) -> Option<u32> {
    (!text.is_empty() && text.len() <= 6 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Parts of 1–12 letters or digits joined by single hyphens, starting with a capital letter
/// ("KH-UBND", "QĐ-TTg", "NĐ-CP", "UBND-VP").
fn valid_symbol(symbol: &str) -> bool {
    let parts: Vec<&str> = symbol.split('-').collect();
    (1..=5).contains(&parts.len())
        && parts.iter().all(|part| {
            let count = part.chars().count();
            (1..=12).contains(&count) && part.chars().all(char::is_alphanumeric)
        })
        && parts[0].chars().next().is_some_and(char::is_uppercase)
}

/// A reference found in a text: where it is, the kind of document, its number and the date
/// written after it, if any (day, month, year).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// Byte range in the text: from the kind's first word to the end of the number or date.
    pub span: Range<usize>,
    /// An entry of [`TYPES`] (its name).
    pub kind: &'static str,
    pub number: DocNumber,
    pub date: Option<(u8, u8, u16)>,
}

/// Every reference to a document in `text`, in order.
pub fn references(text: &str) -> Vec<Reference> {
    let words = word_spans(text);
    let folded: Vec<String> = words.iter().map(|r| fold(&text[r.clone()])).collect();
    let kinds: Vec<(&'static str, Vec<String>)> = TYPES
        .iter()
        .map(|(name, _)| (*name, name.split(' ').map(fold).collect()))
        .collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let Some((kind, len)) = kinds.iter().find_map(|(name, parts)| {
            (folded.get(i..i + parts.len()) == Some(parts.as_slice()))
                .then_some((*name, parts.len()))
        }) else {
            i += 1;
            continue;
        };
        let mut next = i + len;
        // "số" may follow, with or without a colon.
        if folded.get(next).map(String::as_str) == Some("so") {
            next += 1;
        }
        let Some(word) = words.get(next) else { break };
        let gap = &text[words[next - 1].end..word.start];
        if !gap.chars().all(|c| c.is_whitespace() || c == ':') {
            i += 1;
            continue;
        }
        match number_at(text, word.start) {
            Some((number, end)) => {
                let (date, end) = match date_after(text, end) {
                    Some((date, date_end)) => (Some(date), date_end),
                    None => (None, end),
                };
                found.push(Reference {
                    span: words[i].start..end,
                    kind,
                    number,
                    date,
                });
                i = words
                    .iter()
                    .position(|w| w.start >= end)
                    .unwrap_or(words.len());
            }
            None => i += 1,
        }
    }
    found
}

/// Byte ranges of the words of `text` (letters, digits and combining marks).
fn word_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let in_word = c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push(s..text.len());
    }
    spans
}

/// The document number starting at byte `at`: digits, '/', maybe a year and '/', a symbol;
/// spaces allowed around the separators. Returns it and where it ends.
fn number_at(text: &str, at: usize) -> Option<(DocNumber, usize)> {
    let rest = &text[at..];
    let mut end = 0;
    let mut slashes = 0;
    let mut last_kept = 0;
    let chars: Vec<(usize, char)> = rest.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c) {
            last_kept = i + c.len_utf8();
        } else if c == '/' || c == '-' {
            if c == '/' {
                slashes += 1;
            }
            // A separator must be followed (after spaces) by a letter or digit.
            let following = chars[k + 1..].iter().find(|(_, c)| *c != ' ');
            if !following.is_some_and(|(_, c)| c.is_alphanumeric()) {
                break;
            }
        } else if c == ' ' {
            // Spaces only around separators.
            let prev = rest[..i].trim_end().chars().last();
            let following = chars[k + 1..]
                .iter()
                .find(|(_, c)| *c != ' ')
                .map(|(_, c)| *c);
            let around = matches!(prev, Some('/' | '-')) || matches!(following, Some('/' | '-'));
            if !around {
                break;
            }
        } else {
            break;
        }
        end = last_kept;
        k += 1;
    }
    if slashes == 0 || end == 0 {
        return None;
    }
    let number = DocNumber::parse(&rest[..end]).ok()?;
    Some((number, at + end))
}

/// "ngày 29/12/2021" (or "ngày 29 tháng 12 năm 2021") right after byte `at`: the date and
/// where it ends.
fn date_after(text: &str, at: usize) -> Option<((u8, u8, u16), usize)> {
    let pos = at + text[at..].len() - text[at..].trim_start_matches([' ', ',']).len();
    let pos = word(text, pos, "ngay")?;
    let pos = spaces(text, pos);
    let (day, pos) = number(text, pos)?;
    let pos = separator(text, pos, "thang")?;
    let (month, pos) = number(text, pos)?;
    let pos = separator(text, pos, "nam")?;
    let (year, end) = number(text, pos)?;
    let valid =
        (1..=31).contains(&day) && (1..=12).contains(&month) && (1945..=2100).contains(&year);
    valid.then_some(((day as u8, month as u8, year as u16), end))
}

fn spaces(text: &str, pos: usize) -> usize {
    pos + text[pos..].len() - text[pos..].trim_start_matches(' ').len()
}

/// The end of the word at `pos` if it folds to `folded`.
fn word(text: &str, pos: usize, folded: &str) -> Option<usize> {
    let len = text[pos..]
        .find(|c: char| !(c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)))
        .unwrap_or(text.len() - pos);
    (len > 0 && fold(&text[pos..pos + len]) == folded).then_some(pos + len)
}

fn number(text: &str, pos: usize) -> Option<(u32, usize)> {
    let len = text[pos..]
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len() - pos);
    if !(1..=4).contains(&len) {
        return None;
    }
    Some((text[pos..pos + len].parse().ok()?, pos + len))
}

/// '/', '-' or '.' between the parts of a date, or the word ("tháng", "năm") between spaces.
fn separator(text: &str, pos: usize, folded: &str) -> Option<usize> {
    if text[pos..].starts_with(['/', '-', '.']) {
        return Some(pos + 1);
    }
    let start = spaces(text, pos);
    let end = word(text, start, folded).filter(|_| start > pos)?;
    let after = spaces(text, end);
    (after > end).then_some(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_in_their_usual_forms() {
        let n = DocNumber::parse("19/KH-UBND").unwrap();
        assert_eq!((n.number, n.year, n.symbol.as_str()), (19, None, "KH-UBND"));
        let n = DocNumber::parse(" 12 / 2021 / QĐ - UBND ").unwrap();
        assert_eq!(
            (n.number, n.year, n.text().as_str()),
            (12, Some(2021), "12/2021/QĐ-UBND")
        );
        let nfd: String = "12/QĐ-UBND".nfd().collect();
        assert_eq!(DocNumber::parse(&nfd).unwrap().symbol, "QĐ-UBND");
        assert_eq!(DocNumber::parse("345/UBND-VP").unwrap().symbol, "UBND-VP");
        assert_eq!(DocNumber::parse("01/2022/NĐ-CP").unwrap().number, 1);
        assert_eq!(
            DocNumber::parse("5/QĐ-TTg").unwrap().folded_symbol(),
            "qd-ttg"
        );
        for bad in [
            "",
            "KH-UBND",
            "19",
            "19/",
            "/KH-UBND",
            "x/KH-UBND",
            "0/KH-UBND",
            "19/kh-ubnd",
            "19/KH--UBND",
            "19/KH-UBND-",
            "19/22/KH-UBND",
            "19/2021/2022/KH",
            "19/KH_UBND",
        ] {
            let err = DocNumber::parse(bad).expect_err(bad);
            assert!(err.to_string().contains("Ví dụ đúng"), "{bad}: {err}");
        }
    }

    /// The text of a found reference, its kind, its date and its number.
    type Found = (String, &'static str, Option<(u8, u8, u16)>, String);

    fn found(text: &str) -> Vec<Found> {
        references(text)
            .into_iter()
            .map(|r| {
                (
                    text[r.span.clone()].to_string(),
                    r.kind,
                    r.date,
                    r.number.text(),
                )
            })
            .collect()
    }

    #[test]
    fn references_are_found_however_they_are_typed() {
        let sample =
            "Thực hiện Kế hoạch số 181/KH-UBND ngày 29/12/2021 của Ủy ban nhân dân thành phố.";
        assert_eq!(
            found(sample),
            [(
                "Kế hoạch số 181/KH-UBND ngày 29/12/2021".to_string(),
                "Kế hoạch",
                Some((29, 12, 2021)),
                "181/KH-UBND".to_string()
            )]
        );
        let two = "ban hành Kế hoạch số 19/KH-UBND về Tuyên truyền; Quyết định 12/QĐ-UBND và Công văn 345/UBND-VP.";
        let numbers: Vec<String> = found(two).into_iter().map(|f| f.3).collect();
        assert_eq!(numbers, ["19/KH-UBND", "12/QĐ-UBND", "345/UBND-VP"]);
        assert_eq!(found(two)[2].1, "Công văn");

        // NFD text, extra spaces, "số:" and a date in words.
        let nfd: String = "theo  Quyết định  số:  12 / 2021 / QĐ-UBND ngày 5 tháng 3 năm 2021 của"
            .nfd()
            .collect();
        let f = found(&nfd);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].3, "12/2021/QĐ-UBND".nfd().collect::<String>());
        assert_eq!(f[0].2, Some((5, 3, 2021)));

        // Not references: a kind without a number, a number without a kind, a bad date.
        assert!(found("Kế hoạch tuyên truyền năm 2022").is_empty());
        assert!(found("số 19/KH-UBND").is_empty());
        let f = found("Kế hoạch 19/KH-UBND ngày 32/13/2021.");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, "Kế hoạch 19/KH-UBND");
        assert_eq!(f[0].2, None);
    }
}
