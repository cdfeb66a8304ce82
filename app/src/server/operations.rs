//! Running the portal: statistics for officials (from the per-day counts), backups' database
//! side (a consistent snapshot, row counts, the record of each run) and what `/healthz` reads.

pub mod backups;
pub mod stats;
