//! Part of `make bench`: sends exactly N page loads, C at a time, each from a new browser (no
//! cookie), and reports how many were answered, so the views counted can be compared with it.
//! wrk cannot: requests still in flight when it stops are served and counted but not reported.
//!
//! `cargo run --release -p server --example loadgen -- <url> <requests> <concurrency>`

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

const BROWSER_UA: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, requests, concurrency] = args.as_slice() else {
        eprintln!("usage: loadgen <url> <requests> <concurrency>");
        std::process::exit(2);
    };
    let requests: u64 = requests.parse().expect("a number of requests");
    let concurrency: u64 = concurrency.parse().expect("a concurrency");
    let client = reqwest::Client::builder()
        .user_agent(BROWSER_UA)
        .build()
        .expect("client");
    let next = Arc::new(AtomicU64::new(0));
    let answered = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (client, url, next, answered) =
            (client.clone(), url.clone(), next.clone(), answered.clone());
        workers.spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < requests {
                let ok = client
                    .get(&url)
                    .header("Accept", "text/html")
                    .send()
                    .await
                    .is_ok_and(|res| res.status() == 200);
                answered.fetch_add(u64::from(ok), Ordering::Relaxed);
            }
        });
    }
    while workers.join_next().await.is_some() {}
    println!(
        "sent {requests} answered {} in {:.1} s",
        answered.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
}
