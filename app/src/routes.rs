//! Every page of the portal, declared once. For each route, [`PAGES`] says its path pattern,
//! who may see it, whether it comes to life as islands (light, for citizens) or hydrates the
//! whole app, whether the render cache may keep it, and whether `sitemap.xml` lists it.
//! Everything else reads this table: the router (`App`), the islands/whole choice (`shell`),
//! the browser's in-place navigation (`path_pattern`, made from the table), the render
//! cache and the one-address redirect (`server/src`), the sitemap and `robots.txt`.
//!
//! A pattern is a path of static segments and `:name` parameters, each one whole segment
//! (`/bai-viet/:slug`). The first route in the table that matches a path is its page, so a
//! static route comes before a parameter in the same place (`/van-ban/moi`, `/van-ban/:id`).

use crate::model::Role;

/// Who may see a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// Anyone, signed in or not.
    Everyone,
    /// Officials of at least this role; anyone else gets "Cần đăng nhập" (401) or "Không có
    /// quyền truy cập" (403) and none of the page's content.
    Official(Role),
}

/// How a page comes to life in the browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Life {
    /// A citizen's page: rendered whole on the server, then only its islands load, within the
    /// citizens' weight budget; links and GET forms between light pages are followed in place.
    /// A signed-in official gets the whole app on these pages too.
    Light,
    /// The whole app (router, resources, the officials' tools): the officials' pages and
    /// signing in.
    Whole,
}

/// Which addresses of a page `sitemap.xml` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listed {
    /// None.
    No,
    /// The page itself (a pattern without parameters).
    Itself,
    /// One address for each of these, from the database.
    Each(Source),
}

/// What a listed pattern's parameter ranges over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Published news posts, by slug.
    Posts,
    /// Published static pages, by slug.
    StaticPages,
    /// Categories, by slug.
    Categories,
    /// Documents, by id.
    Documents,
}

/// What the table knows of one page; its view is the router's (`pages::view_of`).
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub pattern: &'static str,
    pub who: Who,
    pub life: Life,
    /// Whether the render cache may keep it for readers without a session (the page is the
    /// same for all of them but for the live numbers spliced in).
    pub cached: bool,
    pub listed: Listed,
}

const fn citizen(pattern: &'static str, cached: bool, listed: Listed) -> Page {
    Page {
        pattern,
        who: Who::Everyone,
        life: Life::Light,
        cached,
        listed,
    }
}

const fn official(pattern: &'static str, role: Role) -> Page {
    Page {
        pattern,
        who: Who::Official(role),
        life: Life::Whole,
        cached: false,
        listed: Listed::No,
    }
}

/// The table. Its order is the order routes are tried in.
pub const PAGES: &[Page] = &[
    citizen("/", true, Listed::Itself),
    citizen("/bai-viet/:slug", true, Listed::Each(Source::Posts)),
    citizen("/chuyen-muc/:slug", true, Listed::Each(Source::Categories)),
    citizen("/trang/:slug", true, Listed::Each(Source::StaticPages)),
    citizen("/tim-kiem", true, Listed::No),
    citizen("/so-do-trang", true, Listed::Itself),
    citizen("/van-ban", true, Listed::Itself),
    official("/van-ban/moi", Role::Editor),
    citizen("/van-ban/:id", true, Listed::Each(Source::Documents)),
    // The forms carry a ticket made for each reader: never cached.
    citizen("/van-ban/:id/gop-y", false, Listed::No),
    citizen("/hoi-dap", false, Listed::Itself),
    citizen("/hoi-dap/gui-cau-hoi", false, Listed::Itself),
    citizen("/hoi-dap/tra-cuu", false, Listed::No),
    official("/quan-tri/hoi-dap", Role::Writer),
    official("/quan-tri/hoi-dap/:id", Role::Writer),
    official("/quan-tri/gop-y/:id", Role::Writer),
    official("/quan-tri/thong-ke", Role::Editor),
    official("/quan-tri/van-ban-chua-co", Role::Writer),
    Page {
        pattern: "/dang-nhap",
        who: Who::Everyone,
        life: Life::Whole,
        cached: false,
        listed: Listed::No,
    },
    official("/doi-mat-khau", Role::Writer),
    official("/quan-tri/tai-khoan", Role::Admin),
    official("/quan-tri/nhat-ky", Role::Admin),
    official("/viet-bai", Role::Writer),
    official("/quan-tri/bai-viet", Role::Writer),
    official("/quan-tri/bai-viet/:id/lich-su", Role::Writer),
];

/// One segment of a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    Static(&'static str),
    Param(&'static str),
}

impl Page {
    /// The pattern's segments (none for `/`).
    pub fn segments(&self) -> impl Iterator<Item = Segment> {
        self.pattern
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| match s.strip_prefix(':') {
                Some(name) => Segment::Param(name),
                None => Segment::Static(s),
            })
    }

    /// Whether `path` (without query) is an address of this page: as many segments, each
    /// static one equal, each parameter non-empty.
    pub fn matches(&self, path: &str) -> bool {
        let Some(rest) = path.strip_prefix('/') else {
            return false;
        };
        let mut given = rest.split('/');
        if rest.is_empty() {
            return self.segments().next().is_none();
        }
        for segment in self.segments() {
            match (segment, given.next()) {
                (_, None | Some("")) => return false,
                (Segment::Static(want), Some(got)) if want != got => return false,
                _ => {}
            }
        }
        given.next().is_none()
    }

    /// The address of a pattern without parameters.
    pub fn fixed_path(&self) -> Option<&'static str> {
        self.segments()
            .all(|s| matches!(s, Segment::Static(_)))
            .then_some(self.pattern)
    }
}

/// The page `path` is an address of, if any. A path the router would read otherwise than as
/// written (a `\`, a `.` or `..` segment, an encoded dot, slash or backslash) is no page's:
/// the render cache must never keep a page under an address that is not its own
/// (`/van-ban/2\gop-y` is the comment form, with its reader's ticket).
pub fn page_of(path: &str) -> Option<&'static Page> {
    if read_otherwise(path) {
        return None;
    }
    PAGES.iter().find(|page| page.matches(path))
}

/// Whether the router could read `path` as another one. Asked on every request: no allocation.
fn read_otherwise(path: &str) -> bool {
    let encoded = path.as_bytes().windows(3).any(|w| {
        w[0] == b'%'
            && matches!(
                (w[1], w[2].to_ascii_lowercase()),
                (b'2', b'e' | b'f') | (b'5', b'c')
            )
    });
    encoded
        || path.contains('\\')
        || path
            .split('/')
            .any(|segment| segment == "." || segment == "..")
}

/// Whether `path` is a light page. An address that is no page (the 404) is light too: a
/// citizen who mistyped a link pays no more than a reader.
pub fn is_light(path: &str) -> bool {
    page_of(path).is_none_or(|page| page.life == Life::Light)
}

/// Whether the render cache may keep `path`'s page.
pub fn is_cached(path: &str) -> bool {
    page_of(path).is_some_and(|page| page.cached)
}

/// The paths of the pages that come to life as `life`, as a JavaScript regular expression
/// made from the table. The browser follows a link in place (`reading_pages.js`) when the light
/// pages' expression matches its path and the whole pages' does not (`/van-ban/moi` is whole,
/// though `/van-ban/:id` would match it); any other page loads as usual.
pub fn path_pattern(life: Life) -> String {
    let alternatives: Vec<String> = PAGES
        .iter()
        .filter(|page| page.life == life)
        .map(|page| {
            let mut out = String::new();
            for segment in page.segments() {
                out.push_str("\\/");
                match segment {
                    Segment::Static(text) => {
                        for c in text.chars() {
                            if !c.is_ascii_alphanumeric() {
                                out.push('\\');
                            }
                            out.push(c);
                        }
                    }
                    Segment::Param(_) => out.push_str("[^\\/]+"),
                }
            }
            if out.is_empty() {
                out.push_str("\\/");
            }
            out
        })
        .collect();
    format!("^(?:{})$", alternatives.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An address of each page: its pattern with every parameter filled in.
    fn sample(page: &Page) -> String {
        let mut out = String::new();
        for segment in page.segments() {
            out.push('/');
            out.push_str(match segment {
                Segment::Static(text) => text,
                Segment::Param(_) => "12",
            });
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }

    #[test]
    fn each_page_is_found_by_its_own_addresses() {
        for page in PAGES {
            let path = sample(page);
            assert_eq!(
                page_of(&path).map(|p| p.pattern),
                Some(page.pattern),
                "{path}"
            );
        }
        for path in [
            "",
            "/bai-viet",
            "/bai-viet/",
            "/bai-viet/a/b",
            "/van-ban/12/",
            "/hoi-dap/khac",
            "//",
            "/khong-co",
            "/van-ban/2\\gop-y",
            "/van-ban/.",
            "/bai-viet/..",
            "/bai-viet/%2E%2E",
            "/van-ban/%2e",
            "/trang/a%2Fb",
            "/trang/a%5cb",
        ] {
            assert!(page_of(path).is_none(), "{path}");
        }
        assert_eq!(
            page_of("/van-ban/moi").map(|p| p.pattern),
            Some("/van-ban/moi")
        );
    }

    #[test]
    fn the_browsers_pattern_agrees_with_the_table_for_every_route() {
        let light = regex::Regex::new(&path_pattern(Life::Light)).unwrap();
        let whole = regex::Regex::new(&path_pattern(Life::Whole)).unwrap();
        // As `reading_pages.js` decides.
        let in_place = |path: &str| light.is_match(path) && !whole.is_match(path);
        for page in PAGES {
            let path = sample(page);
            assert_eq!(
                in_place(&path),
                page.life == Life::Light,
                "{path}: the browser and the table disagree"
            );
        }
        for path in [
            "/bai-viet/a/b",
            "/bai-viet/",
            "/hoi-dap/",
            "/dang-nhapx",
            "/x/tim-kiem",
        ] {
            assert!(!in_place(path), "{path}");
        }
    }

    #[test]
    fn officials_pages_hydrate_whole_and_are_never_cached_or_listed() {
        for page in PAGES {
            if let Who::Official(_) = page.who {
                assert_eq!(page.life, Life::Whole, "{}", page.pattern);
                assert!(!page.cached, "{}", page.pattern);
                assert_eq!(page.listed, Listed::No, "{}", page.pattern);
            }
            match page.listed {
                Listed::Itself => assert!(page.fixed_path().is_some(), "{}", page.pattern),
                Listed::Each(_) => assert!(page.fixed_path().is_none(), "{}", page.pattern),
                Listed::No => {}
            }
        }
        assert!(is_light("/khong-co-trang-nay"), "the 404 is light");
        assert!(!is_light("/dang-nhap"));
        assert!(is_light("/hoi-dap/gui-cau-hoi"));
    }
}
