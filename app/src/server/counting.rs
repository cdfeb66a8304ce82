//! Counting readers: views and visits aggregated in memory and written in batches
//! (`counters`), who is a reader, a new visit or a crawler (`visitors`), and the numbers a
//! cached page shows live (`live`).

pub mod counters;
pub mod live;
pub mod visitors;
