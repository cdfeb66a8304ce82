//! Counting readers: views and visits aggregated in memory and written in batches
//! (`counters`), and who is a reader, a new visit or a crawler (`visitors`).

pub mod counters;
pub mod visitors;
