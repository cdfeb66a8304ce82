//! The numbers a page shows that change with every reader (a post's views, a clip's views, the
//! visit counter), for pages served from the render cache.
//!
//! When the cache renders a page, it marks the request with a [`CacheRender`]. Each number then
//! renders as a sentinel (a random 16-digit base of this render + the number's index, written
//! `4.820.117.365.092.301` in the text and with digits only in the page's data for hydration;
//! random, so no text a reader or an official types can pass for one), and the render
//! remembers the number's total
//! at that moment together with a mark: how many of its views or visits had been counted since
//! the portal started. Serving the cached bytes, the cache puts in each place
//! `total + since_start(now) − mark`: exact, with no query, whatever was flushed meanwhile.

use std::sync::{Arc, Mutex};

use super::counters::{Counters, Viewed};

/// Sentinels are at least this: 16 digits, not a count any commune reaches.
const SENTINEL_MIN: i64 = 1_000_000_000_000_000;
/// And below this: exact in JSON and JavaScript (2^53).
const SENTINEL_MAX: i64 = 9_000_000_000_000_000;

/// A live number of a rendered page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Marked {
    /// Views of this item, or visits for None.
    pub item: Option<Viewed>,
    pub total: i64,
    pub mark: i64,
}

impl Marked {
    /// The number to show now.
    pub fn now(&self, counters: &Counters) -> i64 {
        self.total + counters.since_start(self.item) - self.mark
    }
}

/// Put in a request's extensions by the render cache: the page is rendered to be stored.
#[derive(Clone, Debug)]
pub struct CacheRender(Arc<Mutex<Rendered>>);

impl Default for CacheRender {
    fn default() -> Self {
        let random = uuid::Uuid::new_v4().as_u64_pair().0 as i64;
        let base = SENTINEL_MIN + random.rem_euclid(SENTINEL_MAX - SENTINEL_MIN - 1_000_000);
        CacheRender(Arc::new(Mutex::new(Rendered {
            base,
            numbers: Vec::new(),
            counted: None,
        })))
    }
}

/// What a render for the cache noted.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// The first sentinel of this render; the n-th number is written `base + n`.
    pub base: i64,
    /// The live numbers, in the order of their sentinels.
    pub numbers: Vec<Marked>,
    /// The view the page counted (a post opened by a reader): each later reader of the cached
    /// page counts one too.
    pub counted: Option<Viewed>,
}

impl CacheRender {
    /// The render in progress for the cache, if this is one (from the request of the render).
    fn current() -> Option<CacheRender> {
        leptos::prelude::use_context::<http::request::Parts>()?
            .extensions
            .get::<CacheRender>()
            .cloned()
    }

    pub fn rendered(&self) -> Rendered {
        self.0.lock().map(|r| r.clone()).unwrap_or_default()
    }

    fn sentinel(&self, number: Marked) -> i64 {
        let Ok(mut rendered) = self.0.lock() else {
            return number.total;
        };
        rendered.numbers.push(number);
        rendered.base + rendered.numbers.len() as i64 - 1
    }
}

/// The views of `item` to show (`stored` and `flushed` read in one statement).
pub fn views(counters: &Counters, item: Viewed, stored: i64, flushed: i64) -> i64 {
    let (total, mark) = counters.views_marked(item, stored, flushed);
    match CacheRender::current() {
        Some(render) => render.sentinel(Marked {
            item: Some(item),
            total,
            mark,
        }),
        None => total,
    }
}

/// The visits to show (`stored` and `flushed` read in one statement).
pub fn visits(counters: &Counters, stored: i64, flushed: i64) -> i64 {
    let (total, mark) = counters.visits_marked(stored, flushed);
    match CacheRender::current() {
        Some(render) => render.sentinel(Marked {
            item: None,
            total,
            mark,
        }),
        None => total,
    }
}

/// Notes that the page being rendered counted a view of `item`, when it is rendered for the
/// cache.
pub fn counted(item: Viewed) {
    if let Some(render) = CacheRender::current() {
        if let Ok(mut rendered) = render.0.lock() {
            rendered.counted = Some(item);
        }
    }
}
