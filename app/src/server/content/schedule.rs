//! The publishing timer: posts scheduled for later become public at their time. Apart from
//! the rest of editing because the router holds it in the portal's state and checks it before
//! every request, and a background task runs it for the life of the server.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;

use crate::error::AppError;
use crate::server::accounts::{audit, Actor};
use crate::server::internal;
use crate::server::time::Clock;

/// Publishes scheduled posts when their time comes. A request checks [`Schedule::is_due`]
/// before it is served (so visibility is decided at request time, even if the timer is late),
/// and a timer task publishes them at that moment whether or not anyone visits.
///
/// It holds the portal's clock: a post's time has come by that clock, so the saves and steps
/// that take the schedule compare publication times with it too.
#[derive(Clone)]
pub struct Schedule(Arc<ScheduleInner>);

struct ScheduleInner {
    /// Unix seconds of the earliest scheduled post; `i64::MAX` for none.
    next_due: AtomicI64,
    wake: tokio::sync::Notify,
    clock: Clock,
}

impl Schedule {
    /// A schedule that reads `clock`; nothing is known due until its first check.
    pub fn new(clock: Clock) -> Schedule {
        Schedule(Arc::new(ScheduleInner {
            next_due: AtomicI64::new(0),
            wake: tokio::sync::Notify::new(),
            clock,
        }))
    }

    /// The clock publication times are compared with.
    pub fn clock(&self) -> &Clock {
        &self.0.clock
    }

    fn now(&self) -> i64 {
        i64::try_from(self.0.clock.now()).unwrap_or(i64::MAX)
    }

    /// Whether a scheduled post's time has come (one atomic read).
    pub fn is_due(&self) -> bool {
        self.now() >= self.0.next_due.load(Ordering::Acquire)
    }

    /// Publishes every scheduled post whose time has come, notes when the next one is due, and
    /// wakes the timer to wait for that one. Returns how many were published.
    pub async fn publish_due(&self, pool: &SqlitePool) -> Result<usize, AppError> {
        let published = self.publish_due_quietly(pool).await?;
        self.0.wake.notify_waiters();
        Ok(published)
    }

    async fn publish_due_quietly(&self, pool: &SqlitePool) -> Result<usize, AppError> {
        // A read first: most of the time nothing is due, and no write lock is taken.
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(strftime('%s', MIN(published_at)) AS INTEGER) FROM posts
             WHERE stage = 'scheduled'",
        )
        .fetch_one(pool)
        .await
        .map_err(internal("finding the next scheduled post"))?;
        if next.is_none_or(|due| due > self.now()) {
            self.0
                .next_due
                .store(next.unwrap_or(i64::MAX), Ordering::Release);
            return Ok(0);
        }
        let mut tx = pool
            .begin()
            .await
            .map_err(internal("schedule transaction"))?;
        let published: Vec<(String, String)> = sqlx::query_as(
            "UPDATE posts SET stage = 'published'
             WHERE stage = 'scheduled' AND published_at <= ?
             RETURNING title, slug",
        )
        .bind(self.0.clock.stored())
        .fetch_all(&mut *tx)
        .await
        .map_err(internal("publishing scheduled posts"))?;
        let actor = Actor {
            user_id: None,
            username: "(hẹn giờ đăng)".into(),
            ip: String::new(),
        };
        for (title, slug) in &published {
            audit(&mut tx, &actor, "Đăng bài viết theo giờ hẹn", title, slug).await?;
        }
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(strftime('%s', MIN(published_at)) AS INTEGER) FROM posts
             WHERE stage = 'scheduled'",
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(internal("finding the next scheduled post"))?;
        tx.commit().await.map_err(internal("schedule commit"))?;
        self.0
            .next_due
            .store(next.unwrap_or(i64::MAX), Ordering::Release);
        if !published.is_empty() {
            crate::server::changes::changed();
            tracing::info!(count = published.len(), "published scheduled posts");
        }
        Ok(published.len())
    }

    /// The timer: sleeps until the next scheduled post is due (or the schedule changes), then
    /// publishes. Runs for the life of the server.
    pub async fn run(self, pool: SqlitePool) {
        loop {
            // Listening before reading the next time: a change made meanwhile is not missed.
            let notified = self.0.wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let moved = self.0.clock.moved();
            tokio::pin!(moved);
            moved.as_mut().enable();
            if let Err(err) = self.publish_due_quietly(&pool).await {
                tracing::warn!(error = %err, "scheduled publishing failed; retrying in a minute");
                tokio::time::sleep(Duration::from_secs(60)).await;
                continue;
            }
            let wait = self
                .0
                .next_due
                .load(Ordering::Acquire)
                .saturating_sub(self.now());
            // An hour at most, so a change of the system's clock is noticed; a move of the
            // portal's clock (a test's) wakes it at once.
            let wait = Duration::from_secs(wait.clamp(0, 3600) as u64);
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = notified => {}
                _ = moved => {}
            }
        }
    }
}
