//! The render cache: the pages citizens read are rendered once and served from memory until
//! something they show changes.
//!
//! - **What is cached:** anonymous `GET`s of the reading pages (home, posts, categories, static
//!   pages, the documents list and each document, the site map, search), keyed by path and
//!   query. Officials never get a cached page, and their requests never fill the cache.
//! - **When it is stale:** every write that can change a page bumps `changes::version` once it
//!   has committed: any request an official sends that is not a read, the publishing timer, a
//!   weather refresh. An entry serves only at the version it was rendered at (the version read
//!   *before* the render), so a reader never sees a page from before a save that has returned.
//! - **What changes per request:** the live numbers (a post's views, a clip's views, the visit
//!   counter) and the CSP nonce. The render writes sentinels for the numbers (`counting::live`);
//!   the entry keeps where they and the nonce stand, and each answer splices in the numbers of
//!   the moment and a fresh nonce, in the text and in the page's data alike, so the page is
//!   right without JavaScript and hydration agrees with it. A cached post counts each reader's
//!   view as its render would have.
//! - **Memory:** least recently used entries go first once the bytes held pass the limit
//!   (`PORTAL_PAGE_CACHE_MB`; 0 turns the cache off).
//! - **Revalidation:** each answer has an `ETag` made of the entry and its numbers, and
//!   `Cache-Control: no-cache`; a browser that has the same page gets 304, which repeats the
//!   headers a cache keys and keeps the page by (`ETag`, `Cache-Control`, `Vary`).

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use app::format::count_vn;
use app::model::Official;
use app::server::counting::counters::{Counters, Viewed};
use app::server::counting::live::{CacheRender, Marked};
use app::server::counting::visitors;
use app::server::time::{unix_now, Day};
use app::server::{changes, csp, site, AppState};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, Method, StatusCode};

/// Largest page kept (a rendered page is 10–20 KB).
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// The cache of rendered pages; cheap to clone, shared by all requests.
#[derive(Clone)]
pub struct PageCache {
    inner: Arc<Inner>,
}

struct Inner {
    limit: usize,
    store: Mutex<Store>,
    next_id: AtomicU64,
    /// When this process started: ETags of one run never match another's.
    boot: u64,
}

struct Store {
    entries: lru::LruCache<String, Arc<Entry>>,
    bytes: usize,
}

/// A rendered page, cut where its live parts stand.
struct Entry {
    /// `changes::version` when its render began.
    version: u64,
    /// The Vietnam day of its render: a document's validity changes at midnight.
    day: Day,
    /// Names the entry in ETags.
    id: u64,
    body: Bytes,
    parts: Vec<Part>,
    numbers: Vec<Marked>,
    counted: Option<Viewed>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Bytes(Range<usize>),
    /// The n-th live number, as the text shows it (`42.359.882`).
    Text(usize),
    /// The n-th live number in the page's data (`42359882`).
    Digits(usize),
    Nonce,
}

impl PageCache {
    /// A cache holding at most `limit` bytes of pages; 0 caches nothing.
    pub fn new(limit: usize) -> PageCache {
        PageCache {
            inner: Arc::new(Inner {
                limit,
                store: Mutex::new(Store {
                    entries: lru::LruCache::unbounded(),
                    bytes: 0,
                }),
                next_id: AtomicU64::new(1),
                boot: unix_now(),
            }),
        }
    }

    fn enabled(&self) -> bool {
        self.inner.limit > 0
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.inner.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The entry for `key` if it is of the current version and was made `today`.
    fn get(&self, key: &str, today: Day) -> Option<Arc<Entry>> {
        let mut store = self.store();
        let entry = store.entries.get(key)?.clone();
        if entry.version == changes::version() && entry.day == today {
            return Some(entry);
        }
        // Stale: it can never serve again.
        if let Some(old) = store.entries.pop(key) {
            store.bytes -= old.body.len();
        }
        None
    }

    fn put(&self, key: String, entry: Arc<Entry>) {
        let mut store = self.store();
        store.bytes += entry.body.len();
        if let Some(old) = store.entries.put(key, entry) {
            store.bytes -= old.body.len();
        }
        while store.bytes > self.inner.limit {
            match store.entries.pop_lru() {
                Some((_, old)) => store.bytes -= old.body.len(),
                None => break,
            }
        }
    }

    /// Pages and bytes held (for the benchmark's log and the tests).
    pub fn held(&self) -> (usize, usize) {
        let store = self.store();
        (store.entries.len(), store.bytes)
    }
}

/// The middleware. Inside `identify` (it must know officials) and the visit tracker (a visit is
/// counted before the numbers are read).
pub async fn serve(
    State((state, cache)): State<(AppState, PageCache)>,
    mut req: Request,
    next: Next,
) -> Response {
    let official = req.extensions().get::<Official>().is_some();
    if official {
        let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        // Whatever the request changed has committed when it ends, answered or not (a browser
        // that hangs up drops it midway): no page from before it serves again.
        // (Built only for a write: a guard made and dropped would count as a change.)
        let _changed = if writes { Some(ChangedOnDrop) } else { None };
        return next.run(req).await;
    }
    if req.method() != Method::GET || !cache.enabled() || !app::routes::is_cached(req.uri().path())
    {
        return next.run(req).await;
    }
    // The site's address is part of the page (canonical links, the printed source): without
    // PORTAL_PUBLIC_URL it comes from the request, so it is part of the key.
    let key = format!(
        "{}{}",
        site::public_base(state.public_url.as_deref(), req.headers()),
        req.uri()
            .path_and_query()
            .map_or_else(|| req.uri().path(), |pq| pq.as_str())
    );
    let today = state.clock.today();
    if let Some(entry) = cache.get(&key, today) {
        let (parts, _) = req.into_parts();
        if let (Some(item), Some(viewer)) = (entry.counted, visitors::viewer(&parts)) {
            state.counters.record_view(item, viewer.visitor);
        }
        return answer(&cache, &entry, &state.counters, None, &parts.headers, "hit");
    }

    // A miss: render with sentinels, keep the page if it is one to keep, answer it spliced.
    let version = changes::version();
    let day = today;
    let render = CacheRender::default();
    req.extensions_mut().insert(render.clone());
    // Only this header of the request is needed once the render has taken it.
    let mut if_none_match = http::HeaderMap::new();
    for tag in req.headers().get_all(header::IF_NONE_MATCH) {
        if_none_match.append(header::IF_NONE_MATCH, tag.clone());
    }
    let response = next.run(req).await;
    let rendered = render.rendered();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (head, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, path = %key, "reading a rendered page");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let nonce = head
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(nonce_of)
        .map(str::to_string);
    let entry = Arc::new(Entry {
        version,
        day,
        id: cache.inner.next_id.fetch_add(1, Ordering::Relaxed),
        parts: cut(
            &body,
            rendered.base,
            rendered.numbers.len(),
            nonce.as_deref(),
        ),
        body,
        numbers: rendered.numbers,
        counted: rendered.counted,
    });
    if head.status != StatusCode::OK {
        // An error page: spliced and sent with its own headers, not kept.
        let bytes = splice(
            &entry,
            &numbers_now(&entry, &state.counters),
            nonce.as_deref(),
        );
        let mut response = Response::from_parts(head, Body::from(bytes));
        response.headers_mut().remove(header::CONTENT_LENGTH);
        return response;
    }
    let answer = answer(
        &cache,
        &entry,
        &state.counters,
        nonce.as_deref(),
        &if_none_match,
        "miss",
    );
    if entry.body.len() <= cache.inner.limit {
        cache.put(key, entry);
    }
    answer
}

/// Bumps the content version when dropped: at the end of an official's write, however it ends.
struct ChangedOnDrop;

impl Drop for ChangedOnDrop {
    fn drop(&mut self) {
        changes::changed();
    }
}

fn numbers_now(entry: &Entry, counters: &Counters) -> Vec<i64> {
    entry.numbers.iter().map(|n| n.now(counters)).collect()
}

/// The answer from an entry: its numbers now, a fresh nonce (or the render's own, for the
/// answer to the render), or 304 when the browser holds these very numbers.
fn answer(
    cache: &PageCache,
    entry: &Entry,
    counters: &Counters,
    nonce: Option<&str>,
    request: &http::HeaderMap,
    how: &'static str,
) -> Response {
    let numbers = numbers_now(entry, counters);
    let mut etag = format!("W/\"{}-{}", cache.inner.boot, entry.id);
    for n in &numbers {
        etag.push_str(&format!("-{n}"));
    }
    etag.push('"');
    let etag = HeaderValue::from_str(&etag).unwrap_or_else(|_| HeaderValue::from_static("W/\"\""));
    let matches = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == etag.to_str().unwrap_or_default());
    // What a 304 must repeat of the 200 (RFC 9110 §15.4.5: ETag, Cache-Control and Vary; Date
    // is added by the server; no Content-Location or Expires is sent), set in one place for
    // both. `Vary`: the body sent depends on `Accept-Encoding`; the compression layer says so
    // only for answers with a body to compress, never for a 304.
    let same_headers = |headers: &mut http::HeaderMap| {
        headers.insert(header::ETAG, etag.clone());
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert("x-cache", HeaderValue::from_static(how));
    };
    if matches {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        same_headers(response.headers_mut());
        return response;
    }
    let fresh;
    let nonce = match nonce {
        Some(nonce) => nonce,
        None => {
            fresh = leptos::nonce::Nonce::new().to_string();
            &fresh
        }
    };
    let mut response = Response::new(Body::from(splice(entry, &numbers, Some(nonce))));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(policy) = HeaderValue::from_str(&csp::page(nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    same_headers(headers);
    response
}

/// The nonce a page policy names.
fn nonce_of(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let len = policy[start..].find('\'')?;
    Some(&policy[start..start + len]).filter(|n| !n.is_empty())
}

/// Cuts a rendered body where its `count` live numbers (sentinels from `base`) and its nonce
/// stand.
fn cut(body: &[u8], base: i64, count: usize, nonce: Option<&str>) -> Vec<Part> {
    let Ok(text) = std::str::from_utf8(body) else {
        return vec![Part::Bytes(0..body.len())];
    };
    let mut found: Vec<(Range<usize>, Part)> = Vec::new();
    for n in 0..count {
        let sentinel = base + n as i64;
        for (written, part) in [
            (count_vn(sentinel), Part::Text(n)),
            (sentinel.to_string(), Part::Digits(n)),
        ] {
            for (at, _) in text.match_indices(&written) {
                let range = at..at + written.len();
                if stands_alone(text, &range) {
                    found.push((range, part.clone()));
                }
            }
        }
    }
    if let Some(nonce) = nonce {
        found.extend(
            text.match_indices(nonce)
                .map(|(at, _)| (at..at + nonce.len(), Part::Nonce)),
        );
    }
    found.sort_by_key(|(range, _)| range.start);
    let mut parts = Vec::with_capacity(found.len() * 2 + 1);
    let mut at = 0;
    for (range, part) in found {
        if range.start < at {
            continue;
        }
        if range.start > at {
            parts.push(Part::Bytes(at..range.start));
        }
        parts.push(part);
        at = range.end;
    }
    if at < body.len() {
        parts.push(Part::Bytes(at..body.len()));
    }
    parts
}

/// Whether no digit (nor a dot between digits) continues the number at `range` on either side.
fn stands_alone(text: &str, range: &Range<usize>) -> bool {
    let bytes = text.as_bytes();
    let digit_at = |i: Option<usize>| i.and_then(|i| bytes.get(i)).is_some_and(u8::is_ascii_digit);
    let dot_at = |i: Option<usize>| i.and_then(|i| bytes.get(i)) == Some(&b'.');
    let before = range.start.checked_sub(1);
    let after = Some(range.end);
    let continued_before =
        digit_at(before) || dot_at(before) && digit_at(range.start.checked_sub(2));
    let continued_after = digit_at(after) || dot_at(after) && digit_at(Some(range.end + 1));
    !(continued_before || continued_after)
}

fn splice(entry: &Entry, numbers: &[i64], nonce: Option<&str>) -> Vec<u8> {
    let mut out = Vec::with_capacity(entry.body.len() + 64);
    for part in &entry.parts {
        match part {
            Part::Bytes(range) => out.extend_from_slice(&entry.body[range.clone()]),
            Part::Text(n) => out.extend_from_slice(count_vn(numbers[*n]).as_bytes()),
            Part::Digits(n) => out.extend_from_slice(numbers[*n].to_string().as_bytes()),
            Part::Nonce => out.extend_from_slice(nonce.unwrap_or_default().as_bytes()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Day = time::macros::date!(2024 - 12 - 31);

    #[test]
    fn the_table_says_which_pages_are_cached() {
        for path in [
            "/",
            "/bai-viet/ke-hoach",
            "/chuyen-muc/tin-tuc",
            "/trang/lien-he",
            "/van-ban",
            "/van-ban/12",
            "/so-do-trang",
            "/tim-kiem",
        ] {
            assert!(app::routes::is_cached(path), "{path}");
        }
        for path in [
            "/van-ban/moi",
            "/viet-bai",
            "/quan-tri/bai-viet",
            "/dang-nhap",
            "/api/site",
            "/bai-viet/",
            "/bai-viet/a/b",
            "/pkg/portal.wasm",
            "/hoi-dap/gui-cau-hoi",
            "/van-ban/2/gop-y",
        ] {
            assert!(!app::routes::is_cached(path), "{path}");
        }
    }

    #[test]
    fn live_numbers_and_the_nonce_are_cut_out_and_spliced_back() {
        let base = 4_820_117_365_092_301;
        let s0 = count_vn(base);
        let s1 = count_vn(base + 1);
        let body = format!(
            "<script nonce=\"abc\">x</script><p>Lượt xem {s1}</p><p>{s0}</p>\
             <script nonce=\"abc\">{{\"visits\":{base},\"views\":{}}}</script>\
             <p>{base}1 dài hơn, 1.{s0} và {s0}.5</p>",
            base + 1,
        );
        let parts = cut(body.as_bytes(), base, 2, Some("abc"));
        assert_eq!(
            parts.iter().filter(|p| **p == Part::Nonce).count(),
            2,
            "{parts:?}"
        );
        let entry = Entry {
            version: 0,
            day: TODAY,
            id: 1,
            body: Bytes::from(body),
            parts,
            numbers: Vec::new(),
            counted: None,
        };
        let out = String::from_utf8(splice(&entry, &[42_359_882, 7], Some("XYZ"))).unwrap();
        assert_eq!(
            out,
            format!(
                "<script nonce=\"XYZ\">x</script><p>Lượt xem 7</p><p>42.359.882</p>\
                 <script nonce=\"XYZ\">{{\"visits\":42359882,\"views\":7}}</script>\
                 <p>{base}1 dài hơn, 1.{s0} và {s0}.5</p>"
            ),
            "numbers that only contain a sentinel are left alone"
        );
        assert_eq!(
            nonce_of("script-src 'nonce-a1b2' 'strict-dynamic'"),
            Some("a1b2")
        );
    }

    #[test]
    fn the_least_recently_used_pages_go_first_past_the_limit() {
        let cache = PageCache::new(25);
        let entry = |n: usize| {
            Arc::new(Entry {
                version: changes::version(),
                day: TODAY,
                id: n as u64,
                body: Bytes::from(vec![b'x'; 10]),
                parts: vec![Part::Bytes(0..10)],
                numbers: Vec::new(),
                counted: None,
            })
        };
        cache.put("/a".into(), entry(1));
        cache.put("/b".into(), entry(2));
        assert!(cache.get("/a", TODAY).is_some(), "touch /a");
        cache.put("/c".into(), entry(3));
        assert_eq!(cache.held(), (2, 20));
        assert!(
            cache.get("/b", TODAY).is_none(),
            "the least recently used went"
        );
        changes::changed();
        assert!(
            cache.get("/a", TODAY).is_none(),
            "a change makes every page stale"
        );
    }
}
