//! Part of `make bench`: how fast the in-memory counters take increments, with no HTTP and no
//! database, and how long one flush of a busy second takes.
//!
//! `cargo run --release -p server --example aggregator`

use std::time::Instant;

use app::server::counting::counters::{Counters, CountingConfig, Viewed};
use server::{config::sqlite_url, db};

const PER_THREAD: u64 = 5_000_000;
const POSTS: u64 = 64;

fn main() {
    for threads in [1u64, 2] {
        let counters = Counters::new(CountingConfig::default(), 0, Default::default());
        let rate = timed(threads, |thread, i| {
            counters.record_view(Viewed::Post(((i + thread) % POSTS) as i64), None);
        });
        let counted: i64 = (0..POSTS as i64)
            .map(|post| counters.views(Viewed::Post(post), 0, 0))
            .sum();
        assert_eq!(counted as u64, threads * PER_THREAD, "every increment kept");
        println!("raw view increments, {threads} thread(s): {rate:>12.0} /s");
    }

    // Every view from a browser not seen before: the repeat-window table is filled, and once
    // full (100,000 entries) evicts its oldest entry on each view.
    for threads in [1u64, 2] {
        let counters = Counters::new(CountingConfig::default(), 0, Default::default());
        let rate = timed(threads, |thread, i| {
            counters.record_view(Viewed::Post((i % POSTS) as i64), Some((thread << 40) | i));
        });
        println!(
            "views of new browsers (repeat window checked), {threads} thread(s): {rate:>12.0} /s"
        );
    }

    let counters = Counters::new(CountingConfig::default(), 0, Default::default());
    let rate = timed(2, |_, _| counters.record_visit());
    println!("visit increments, 2 threads: {rate:>12.0} /s");

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(flush_timing());
}

/// Increments per second of `work` run `PER_THREAD` times on each of `threads` threads.
fn timed(threads: u64, work: impl Fn(u64, u64) + Sync) -> f64 {
    let started = Instant::now();
    std::thread::scope(|scope| {
        for thread in 0..threads {
            let work = &work;
            scope.spawn(move || {
                for i in 0..PER_THREAD {
                    work(thread, i);
                }
            });
        }
    });
    (threads * PER_THREAD) as f64 / started.elapsed().as_secs_f64()
}

/// One flush holding views of 1,000 posts and 100,000 visits, into a fresh SQLite file.
async fn flush_timing() {
    const FLUSH_POSTS: i64 = 1_000;
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = db::connect(&sqlite_url(&dir.path().join("portal.db")))
        .await
        .expect("database");
    let mut tx = pool.begin().await.expect("transaction");
    for i in 0..FLUSH_POSTS {
        sqlx::query(
            "INSERT INTO posts (slug, title, published_at) VALUES (?, ?, '2024-01-01 08:00:00')",
        )
        .bind(format!("bai-{i}"))
        .bind(format!("Bài {i}"))
        .execute(&mut *tx)
        .await
        .expect("post");
    }
    tx.commit().await.expect("commit");
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM posts")
        .fetch_all(&pool)
        .await
        .expect("ids");
    let counters = Counters::load(&pool, CountingConfig::default(), Default::default())
        .await
        .expect("counters");
    for _ in 0..100 {
        for &id in &ids {
            counters.record_view(Viewed::Post(id), None);
        }
    }
    for _ in 0..100_000 {
        counters.record_visit();
    }
    let started = Instant::now();
    let flushed = counters.flush(&pool).await.expect("flush");
    let took = started.elapsed();
    let stored: i64 = sqlx::query_scalar("SELECT SUM(views) FROM post_views_daily")
        .fetch_one(&pool)
        .await
        .expect("sum");
    assert_eq!(stored, flushed.views);
    println!(
        "one flush of {} views over {} posts and {} visits: {:.1} ms",
        flushed.views,
        ids.len(),
        flushed.visits,
        took.as_secs_f64() * 1000.0
    );
    pool.close().await;
}
