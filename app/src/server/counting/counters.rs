//! View and visit counters, aggregated in memory and written to SQLite in batches.
//!
//! Recording a view or a visit takes a lock, finds a hash entry and adds one: no SQL. A
//! background task calls [`Counters::flush`] every second (configurable), which writes everything
//! counted since the last flush in one transaction: the totals (`posts.view_count`, the `visits`
//! counter) and the per-day rows (`post_views_daily`, `site_visits_daily`), one row per post and
//! day, never one row per hit. Graceful shutdown flushes once more, so nothing is lost; a crash
//! loses at most what was counted since the last flush. A flush that fails puts its counts back
//! and the next one retries them.
//!
//! Numbers shown always include what is not written yet. Each flush also stores its sequence
//! number (`counters.flush_seq`) in the same transaction, and every query that reads a count reads
//! that number in the same statement, so it knows which batches its snapshot already holds:
//! [`Counters::views`] and [`Counters::visits`] add exactly the others.
//!
//! Posts and video clips count views the same way ([`Viewed`]); clips into `clips.view_count`
//! and `clip_views_daily`.
//!
//! Which browser has seen which post in the last 30 minutes (configurable) is kept in a table of
//! bounded size holding only random identifiers, post ids and times; when it is full the oldest
//! entries go first.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use sqlx::SqlitePool;

use crate::server::time::{day_of, day_text, Clock, Day};

/// How counting behaves; read from the environment by the server.
#[derive(Clone, Debug)]
pub struct CountingConfig {
    /// Off: nothing is counted (for measuring the cost of counting, or for maintenance).
    pub enabled: bool,
    /// Time between two flushes: the most a crash can lose.
    pub flush_interval: Duration,
    /// A browser opening the same post again within this time counts no new view.
    pub repeat_view_window: Duration,
    /// A browser's visit ends after this long without a request; the next request starts a new one.
    pub visit_idle: Duration,
    /// Most (browser, post) pairs remembered for the repeat window; about 60 bytes each.
    pub max_remembered_views: usize,
}

impl Default for CountingConfig {
    fn default() -> Self {
        CountingConfig {
            enabled: true,
            flush_interval: Duration::from_secs(1),
            repeat_view_window: Duration::from_secs(30 * 60),
            visit_idle: Duration::from_secs(30 * 60),
            max_remembered_views: 100_000,
        }
    }
}

/// Confirmed batches kept after their commit, for readers whose snapshot predates it. A reader
/// would have to stall this many flush intervals between its query and its lookup to miss one.
const RETAINED_BATCHES: usize = 16;

/// What a view is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Viewed {
    Post(i64),
    Clip(i64),
}

#[derive(Clone, Default)]
struct Batch {
    /// (post or clip, day) → views.
    views: HashMap<(Viewed, Day), i64>,
    /// post or clip → views, the sum of `views` over days.
    totals: HashMap<Viewed, i64>,
    /// day → visits.
    visits: HashMap<Day, i64>,
    visit_total: i64,
}

impl Batch {
    fn is_empty(&self) -> bool {
        self.views.is_empty() && self.visits.is_empty()
    }

    fn add_view(&mut self, item: Viewed, day: Day, n: i64) {
        *self.views.entry((item, day)).or_default() += n;
        *self.totals.entry(item).or_default() += n;
    }

    fn add_visit(&mut self, day: Day, n: i64) {
        *self.visits.entry(day).or_default() += n;
        self.visit_total += n;
    }

    fn merge(&mut self, other: Batch) {
        for ((item, day), n) in other.views {
            self.add_view(item, day, n);
        }
        for (day, n) in other.visits {
            self.add_visit(day, n);
        }
    }
}

struct Pending {
    /// Counted since the last flush began.
    open: Batch,
    /// Batches being written (the last one) or written recently, oldest first, by sequence number.
    written: VecDeque<(i64, Batch)>,
    next_seq: i64,
    /// The last sequence number known committed.
    committed: i64,
    /// Views of each item and visits counted since the portal started: never put back, never
    /// reset. A number a cached page shows moves by exactly these (see `live`).
    since_start: HashMap<Viewed, i64>,
    visits_since_start: i64,
}

impl Pending {
    /// What a snapshot taken at `flushed` (its `flush_seq`) does not hold yet.
    fn unflushed<'a>(&'a self, flushed: i64) -> impl Iterator<Item = &'a Batch> + 'a {
        self.written
            .iter()
            .filter(move |(seq, _)| *seq > flushed)
            .map(|(_, batch)| batch)
            .chain(std::iter::once(&self.open))
    }
}

/// Remembers which browser counted a view of which post, and when, for the repeat window.
struct RecentViews {
    seen: HashMap<(u64, Viewed), u64>,
    /// The same entries in the order they were counted: the oldest expire or are evicted first.
    order: VecDeque<(u64, u64, Viewed)>,
}

impl RecentViews {
    fn pop_oldest(&mut self) {
        if let Some((at, visitor, post)) = self.order.pop_front() {
            if self.seen.get(&(visitor, post)) == Some(&at) {
                self.seen.remove(&(visitor, post));
            }
        }
    }

    /// True when `visitor` has not counted a view of `post` within `window`; remembers this one.
    fn first_in_window(
        &mut self,
        visitor: u64,
        post: Viewed,
        now: u64,
        window: u64,
        capacity: usize,
    ) -> bool {
        while self
            .order
            .front()
            .is_some_and(|(at, _, _)| now.saturating_sub(*at) >= window)
        {
            self.pop_oldest();
        }
        if self.seen.contains_key(&(visitor, post)) {
            return false;
        }
        while self.seen.len() >= capacity.max(1) {
            self.pop_oldest();
        }
        self.seen.insert((visitor, post), now);
        self.order.push_back((now, visitor, post));
        true
    }
}

struct Inner {
    config: CountingConfig,
    pending: Mutex<Pending>,
    recent: Mutex<RecentViews>,
    /// One flush at a time: the timer's and the one at shutdown or in a test never overlap.
    flushing: tokio::sync::Mutex<()>,
    /// Unix time of the last flush that succeeded (with or without counts to write), or of
    /// the start: `/healthz` reports its age.
    flushed_at: AtomicU64,
    /// The portal's clock: the day a count falls on and the repeat-view window.
    clock: Clock,
}

/// The portal's counters; cheap to clone, shared by all requests.
#[derive(Clone)]
pub struct Counters {
    inner: Arc<Inner>,
}

/// What one flush wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flushed {
    pub views: i64,
    pub visits: i64,
}

impl Counters {
    /// Counters that continue from the database's last flush.
    pub async fn load(
        pool: &SqlitePool,
        config: CountingConfig,
        clock: Clock,
    ) -> Result<Counters, sqlx::Error> {
        let flushed: i64 = sqlx::query_scalar(
            "SELECT COALESCE((SELECT value FROM counters WHERE name = 'flush_seq'), 0)",
        )
        .fetch_one(pool)
        .await?;
        Ok(Counters::new(config, flushed, clock))
    }

    /// Counters whose next flush gets sequence number `flushed + 1`.
    pub fn new(config: CountingConfig, flushed: i64, clock: Clock) -> Counters {
        Counters {
            inner: Arc::new(Inner {
                config,
                pending: Mutex::new(Pending {
                    open: Batch::default(),
                    written: VecDeque::new(),
                    next_seq: flushed + 1,
                    committed: flushed,
                    since_start: HashMap::new(),
                    visits_since_start: 0,
                }),
                recent: Mutex::new(RecentViews {
                    seen: HashMap::new(),
                    order: VecDeque::new(),
                }),
                flushing: tokio::sync::Mutex::new(()),
                flushed_at: AtomicU64::new(clock.now()),
                clock,
            }),
        }
    }

    pub fn config(&self) -> &CountingConfig {
        &self.inner.config
    }

    pub fn enabled(&self) -> bool {
        self.inner.config.enabled
    }

    /// Counts a view of `item`, unless `visitor` (the browser's random identifier, when it has
    /// one) counted one within the repeat window. Returns whether it counted.
    pub fn record_view(&self, item: Viewed, visitor: Option<u64>) -> bool {
        if !self.enabled() {
            return false;
        }
        let now = self.inner.clock.now();
        if let Some(visitor) = visitor {
            let config = &self.inner.config;
            let first = lock(&self.inner.recent).first_in_window(
                visitor,
                item,
                now,
                config.repeat_view_window.as_secs(),
                config.max_remembered_views,
            );
            if !first {
                return false;
            }
        }
        let mut pending = lock(&self.inner.pending);
        pending.open.add_view(item, day_of(now), 1);
        *pending.since_start.entry(item).or_default() += 1;
        true
    }

    /// Counts the start of a visit.
    pub fn record_visit(&self) {
        if self.enabled() {
            let mut pending = lock(&self.inner.pending);
            pending.open.add_visit(day_of(self.inner.clock.now()), 1);
            pending.visits_since_start += 1;
        }
    }

    /// Views of `item` to show: `stored` and `flushed` are its `view_count` and the
    /// `flush_seq`, read in one statement.
    pub fn views(&self, item: Viewed, stored: i64, flushed: i64) -> i64 {
        self.views_marked(item, stored, flushed).0
    }

    /// Visits to show: `stored` and `flushed` are the `visits` counter and the `flush_seq`,
    /// read in one statement.
    pub fn visits(&self, stored: i64, flushed: i64) -> i64 {
        self.visits_marked(stored, flushed).0
    }

    /// Like [`Counters::views`], with the views of `item` counted since start at that same
    /// moment: the total later is this total plus what [`Counters::since_start`] adds to the mark.
    pub fn views_marked(&self, item: Viewed, stored: i64, flushed: i64) -> (i64, i64) {
        let pending = lock(&self.inner.pending);
        let total = stored
            + pending
                .unflushed(flushed)
                .filter_map(|batch| batch.totals.get(&item))
                .sum::<i64>();
        (total, pending.since_start.get(&item).copied().unwrap_or(0))
    }

    /// Like [`Counters::visits`], with the visits counted since start at that same moment.
    pub fn visits_marked(&self, stored: i64, flushed: i64) -> (i64, i64) {
        let pending = lock(&self.inner.pending);
        let total = stored
            + pending
                .unflushed(flushed)
                .map(|batch| batch.visit_total)
                .sum::<i64>();
        (total, pending.visits_since_start)
    }

    /// Views of `item` (or visits, for None) counted since the portal started.
    pub fn since_start(&self, item: Option<Viewed>) -> i64 {
        let pending = lock(&self.inner.pending);
        match item {
            Some(item) => pending.since_start.get(&item).copied().unwrap_or(0),
            None => pending.visits_since_start,
        }
    }

    /// Counted but not yet written.
    pub fn unwritten(&self) -> Flushed {
        let pending = lock(&self.inner.pending);
        pending
            .unflushed(pending.committed)
            .fold(Flushed::default(), |sum, batch| Flushed {
                views: sum.views + batch.totals.values().sum::<i64>(),
                visits: sum.visits + batch.visit_total,
            })
    }

    /// Writes everything counted so far in one transaction. On failure the counts go back to
    /// memory for the next flush, and the error is returned for the caller to log.
    pub async fn flush(&self, pool: &SqlitePool) -> Result<Flushed, sqlx::Error> {
        let _one_at_a_time = self.inner.flushing.lock().await;
        let flushed = self.flush_once(pool).await;
        if flushed.is_ok() {
            self.inner
                .flushed_at
                .store(self.inner.clock.now(), Ordering::Relaxed);
        }
        flushed
    }

    /// Unix time of the last successful flush (or of the start, before the first).
    pub fn flushed_at(&self) -> u64 {
        self.inner.flushed_at.load(Ordering::Relaxed)
    }

    async fn flush_once(&self, pool: &SqlitePool) -> Result<Flushed, sqlx::Error> {
        let (seq, batch) = {
            let mut pending = lock(&self.inner.pending);
            if pending.open.is_empty() {
                return Ok(Flushed::default());
            }
            let seq = pending.next_seq;
            pending.next_seq += 1;
            let batch = std::mem::take(&mut pending.open);
            pending.written.push_back((seq, batch.clone()));
            (seq, batch)
        };
        match write(pool, seq, &batch).await {
            Ok(()) => {
                let mut pending = lock(&self.inner.pending);
                pending.committed = seq;
                while pending.written.len() > RETAINED_BATCHES {
                    pending.written.pop_front();
                }
                Ok(Flushed {
                    views: batch.totals.values().sum(),
                    visits: batch.visit_total,
                })
            }
            Err(err) => {
                let mut pending = lock(&self.inner.pending);
                pending.written.retain(|(s, _)| *s != seq);
                pending.open.merge(batch);
                Err(err)
            }
        }
    }
}

async fn write(pool: &SqlitePool, seq: i64, batch: &Batch) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for (&(item, day), &n) in &batch.views {
        // A post deleted since it was viewed has no row to count into, and must not fail the flush.
        let (sql, id) = match item {
            Viewed::Post(id) => (
                "INSERT INTO post_views_daily (post_id, day, views)
                 SELECT id, ?, ? FROM posts WHERE id = ?
                 ON CONFLICT (post_id, day) DO UPDATE SET views = views + excluded.views",
                id,
            ),
            Viewed::Clip(id) => (
                "INSERT INTO clip_views_daily (clip_id, day, views)
                 SELECT id, ?, ? FROM clips WHERE id = ?
                 ON CONFLICT (clip_id, day) DO UPDATE SET views = views + excluded.views",
                id,
            ),
        };
        sqlx::query(sql)
            .bind(day_text(day))
            .bind(n)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    for (&item, &n) in &batch.totals {
        let (sql, id) = match item {
            Viewed::Post(id) => (
                "UPDATE posts SET view_count = view_count + ? WHERE id = ?",
                id,
            ),
            Viewed::Clip(id) => (
                "UPDATE clips SET view_count = view_count + ? WHERE id = ?",
                id,
            ),
        };
        sqlx::query(sql).bind(n).bind(id).execute(&mut *tx).await?;
    }
    for (&day, &n) in &batch.visits {
        sqlx::query(
            "INSERT INTO site_visits_daily (day, visits) VALUES (?, ?)
             ON CONFLICT (day) DO UPDATE SET visits = visits + excluded.visits",
        )
        .bind(day_text(day))
        .bind(n)
        .execute(&mut *tx)
        .await?;
    }
    if batch.visit_total > 0 {
        sqlx::query(
            "INSERT INTO counters (name, value) VALUES ('visits', ?)
             ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
        )
        .bind(batch.visit_total)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO counters (name, value) VALUES ('flush_seq', ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )
    .bind(seq)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// A poisoned lock only means another thread panicked mid-increment; the counts are still sound.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(window_secs: u64, capacity: usize) -> CountingConfig {
        CountingConfig {
            repeat_view_window: Duration::from_secs(window_secs),
            max_remembered_views: capacity,
            ..CountingConfig::default()
        }
    }

    #[test]
    fn a_browser_counts_a_post_once_per_window() {
        let counters = Counters::new(config(1800, 1000), 0, Clock::default());
        assert!(counters.record_view(Viewed::Post(1), Some(7)));
        assert!(!counters.record_view(Viewed::Post(1), Some(7)), "a reload");
        assert!(
            counters.record_view(Viewed::Post(2), Some(7)),
            "another post"
        );
        assert!(
            counters.record_view(Viewed::Post(1), Some(8)),
            "another browser"
        );
        assert!(counters.record_view(Viewed::Post(1), None));
        assert!(
            counters.record_view(Viewed::Post(1), None),
            "no identifier: every view counts"
        );
        assert_eq!(counters.views(Viewed::Post(1), 10, 0), 14);
        assert_eq!(counters.views(Viewed::Post(2), 0, 0), 1);
    }

    #[test]
    fn the_repeat_window_ends() {
        let mut recent = RecentViews {
            seen: HashMap::new(),
            order: VecDeque::new(),
        };
        assert!(recent.first_in_window(7, Viewed::Post(1), 1000, 60, 10));
        assert!(!recent.first_in_window(7, Viewed::Post(1), 1059, 60, 10));
        assert!(recent.first_in_window(7, Viewed::Post(1), 1060, 60, 10));
        assert_eq!(recent.seen.len(), 1);
        assert_eq!(recent.order.len(), 1);
    }

    #[test]
    fn remembered_views_stay_within_capacity() {
        let counters = Counters::new(config(1800, 100), 0, Clock::default());
        for visitor in 0..10_000 {
            counters.record_view(Viewed::Post(1), Some(visitor));
        }
        let recent = lock(&counters.inner.recent);
        assert_eq!(recent.seen.len(), 100);
        assert_eq!(recent.order.len(), 100);
        // The newest are kept: their reloads still count nothing.
        drop(recent);
        assert!(!counters.record_view(Viewed::Post(1), Some(9_999)));
        assert!(
            counters.record_view(Viewed::Post(1), Some(0)),
            "evicted long ago"
        );
    }

    #[test]
    fn shown_counts_hold_each_batch_exactly_once() {
        let counters = Counters::new(config(0, 10), 4, Clock::default());
        counters.record_view(Viewed::Post(1), None);
        counters.record_visit();
        // Batch 5 is taken for writing: a snapshot from before it (flush_seq 4) lacks it.
        {
            let mut pending = lock(&counters.inner.pending);
            let batch = std::mem::take(&mut pending.open);
            pending.written.push_back((5, batch));
            pending.next_seq = 6;
            pending.committed = 4;
        }
        counters.record_view(Viewed::Post(1), None);
        assert_eq!(counters.views(Viewed::Post(1), 100, 4), 102);
        assert_eq!(counters.visits(50, 4), 51);
        // A snapshot that already holds batch 5 counts only what came after.
        assert_eq!(counters.views(Viewed::Post(1), 101, 5), 102);
        assert_eq!(counters.visits(51, 5), 51);
        assert_eq!(
            counters.unwritten(),
            Flushed {
                views: 2,
                visits: 1
            }
        );
    }

    #[test]
    fn counts_fall_on_vietnams_day_across_the_years_end() {
        let clock = Clock::default();
        // 23:59:30 on 31/12/2026 in Vietnam.
        clock.advance(1_798_736_370 - i64::try_from(clock.now()).unwrap());
        let counters = Counters::new(config(1800, 10), 0, clock.clone());
        counters.record_visit();
        assert!(counters.record_view(Viewed::Post(1), Some(7)));
        clock.advance(60);
        counters.record_visit();
        assert!(!counters.record_view(Viewed::Post(1), Some(7)), "a reload");
        assert!(counters.record_view(Viewed::Post(1), Some(8)));
        let pending = lock(&counters.inner.pending);
        let days = |year, month, day| time::Date::from_calendar_date(year, month, day).unwrap();
        let (eve, new_year) = (
            days(2026, time::Month::December, 31),
            days(2027, time::Month::January, 1),
        );
        assert_eq!(pending.open.visits.get(&eve), Some(&1));
        assert_eq!(pending.open.visits.get(&new_year), Some(&1));
        assert_eq!(pending.open.views.get(&(Viewed::Post(1), eve)), Some(&1));
        assert_eq!(
            pending.open.views.get(&(Viewed::Post(1), new_year)),
            Some(&1)
        );
    }

    #[test]
    fn counting_off_counts_nothing() {
        let counters = Counters::new(
            CountingConfig {
                enabled: false,
                ..CountingConfig::default()
            },
            0,
            Clock::default(),
        );
        assert!(!counters.record_view(Viewed::Post(1), None));
        counters.record_visit();
        assert_eq!(counters.views(Viewed::Post(1), 3, 0), 3);
        assert_eq!(counters.visits(3, 0), 3);
    }
}
