//! The version of what pages show. Every write that can change a page bumps it once it has
//! committed (officials' requests, the publishing timer, a weather refresh), and the render
//! cache serves only pages rendered at the current version: once a save has returned, no
//! reader gets a page from before it. Counts are not content: they are spliced in live. A leaf.
//!
//! One per process: several portals in one process (the tests) only cost each other misses.

use std::sync::atomic::{AtomicU64, Ordering};

static VERSION: AtomicU64 = AtomicU64::new(0);

/// The current version.
pub fn version() -> u64 {
    VERSION.load(Ordering::Acquire)
}

/// Something pages show has changed (and is committed).
pub fn changed() {
    VERSION.fetch_add(1, Ordering::AcqRel);
}
