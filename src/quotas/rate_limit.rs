//! The quota reader's rate limit: Service Quotas allows 10 requests per second per account and
//! region, so every Service Quotas and CloudWatch call for one account and region waits on one
//! token bucket.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;

use crate::aws::quotas::Pace;

/// Service Quotas allows 10 requests per second per account and region.
pub const SERVICE_QUOTAS_RATE: u32 = 10;

/// A token bucket: bursts of up to `per_second` calls, then `per_second` calls a second.
/// Shared by every call for one account and region.
pub struct RateLimiter {
    per_second: f64,
    bucket: Mutex<(f64, tokio::time::Instant)>,
}

impl RateLimiter {
    pub fn new(per_second: u32) -> Arc<Self> {
        let per_second = f64::from(per_second.max(1));
        Arc::new(Self {
            per_second,
            bucket: Mutex::new((per_second, tokio::time::Instant::now())),
        })
    }

    pub async fn wait(&self) {
        loop {
            let short = {
                let mut b = self.bucket.lock().await;
                let now = tokio::time::Instant::now();
                let refill = now.duration_since(b.1).as_secs_f64() * self.per_second;
                *b = ((b.0 + refill).min(self.per_second), now);
                if b.0 >= 1.0 {
                    b.0 -= 1.0;
                    return;
                }
                1.0 - b.0
            };
            tokio::time::sleep(Duration::from_secs_f64(short / self.per_second)).await;
        }
    }
}

impl Pace for RateLimiter {
    fn wait(&self) -> impl std::future::Future<Output = ()> + Send {
        RateLimiter::wait(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_limiter_allows_a_burst_then_paces() {
        let limiter = RateLimiter::new(10);
        let start = tokio::time::Instant::now();
        for _ in 0..10 {
            limiter.wait().await;
        }
        // Paused clock: only sleeping advances it, so this measures waiting, not speed.
        assert_eq!(start.elapsed(), Duration::ZERO);
        for _ in 0..5 {
            limiter.wait().await;
        }
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_millis(500) && waited < Duration::from_millis(510),
            "{waited:?}"
        );
    }
}
