//! A rate budget for one AWS API, one per service endpoint and process: every HTTP attempt
//! any client of that API makes (first tries and retries alike, from every task and every
//! client the process builds: the crawl's, the tag read's, a TUI re-read's) starts no sooner
//! than its slot, and answers that say "slow down" slow the budget itself down.
//!
//! The slot is booked before the SDK starts an attempt's timeout (the interceptor in
//! `client.rs`), so a request that waits its turn behind many others does not time out merely
//! waiting; the wait stays inside the operation timeout. The budget holds only plain data (a
//! std mutex and instants, no timer or handle of any tokio runtime) and every caller sleeps on
//! its own runtime, so a process-wide budget outlives the runtime that made it.

mod client;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

pub use client::{PacingInterceptor, paced_http_client};

/// AWS Organizations answers `TooManyRequestsException` above per-account request rates that
/// are low and not adjustable ("Throttling limits" in
/// <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html>; the
/// rates were long undocumented, awsdocs/aws-organizations-docs#39). orgnav stays at or below
/// this rate on its own and lowers it while AWS throttles.
pub const ORGANIZATIONS_REQUESTS_PER_SECOND: u32 = 20;

/// "IAM Identity Center APIs have a collective throttle maximum of 20 transactions per second"
/// (<https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html>); the portal's
/// `ListAccounts`, `ListAccountRoles` and `GetRoleCredentials` are held to it.
pub const PORTAL_REQUESTS_PER_SECOND: u32 = 20;

/// Requests start at least one interval apart: at the full rate any window of one second holds
/// at most `per_second` starts. No burst allowance, because a burst is exactly what a
/// service's own token bucket punishes when other callers share the budget. Concurrent callers
/// get the free slots in the order they ask; a retry books a slot after its backoff, and the
/// slots before it stay free for others.
///
/// The interval adapts: each throttled answer widens it by a quarter, down to half the rate;
/// each answer that was not throttled narrows it by a twentieth of the full-rate interval, back
/// to the full rate. (The SDK's own adaptive retry mode was tried first: under a steady 30 %
/// throttling its rate limiter falls to 0.5 requests/s and charges a retry 5 tokens, so retries
/// waited out the operation timeout and a 60-account crawl failed.)
#[derive(Debug)]
pub struct Pacer {
    fastest: Duration,
    slowest: Duration,
    state: Mutex<Schedule>,
}

/// The process's budgets by service and endpoint.
type Budgets = BTreeMap<(String, String), Arc<Pacer>>;

#[derive(Debug)]
struct Schedule {
    interval: Duration,
    /// The booked request starts, each with the time that must pass before the next start
    /// (the interval when it was booked).
    booked: BTreeMap<Instant, Duration>,
}

impl Schedule {
    /// The first slot at or after `earliest` that starts at least the booked interval after
    /// the slot before it, and the current interval before the slot after it.
    fn first_free(&mut self, earliest: Instant) -> Instant {
        let now = Instant::now();
        // Slots whose interval has passed can no longer delay anyone.
        self.booked.retain(|start, gap| *start + *gap > now);
        let mut slot = earliest;
        for (&start, &gap) in &self.booked {
            if start >= slot + self.interval {
                break;
            }
            if start + gap > slot {
                slot = start + gap;
            }
        }
        slot
    }
}

impl Pacer {
    pub fn per_second(per_second: u32) -> Arc<Self> {
        let fastest = Duration::from_secs(1) / per_second.max(1);
        Arc::new(Self {
            fastest,
            slowest: fastest * 2,
            state: Mutex::new(Schedule {
                interval: fastest,
                booked: BTreeMap::new(),
            }),
        })
    }

    /// The process's budget for `service` at `endpoint` (the SDK's default endpoint when
    /// none is configured): every client made for it shares this one. (Under tokio's paused
    /// test clock each runtime keeps its own time, so such tests name their own endpoints.)
    pub fn shared(service: &str, endpoint: &str, per_second: u32) -> Arc<Self> {
        static BUDGETS: Mutex<Budgets> = Mutex::new(BTreeMap::new());
        let mut budgets = BUDGETS.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (service.to_string(), endpoint.to_string());
        Arc::clone(
            budgets
                .entry(key)
                .or_insert_with(|| Self::per_second(per_second)),
        )
    }

    fn schedule(&self) -> std::sync::MutexGuard<'_, Schedule> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Books the first free slot at or after `earliest` (and now).
    pub fn book(&self, earliest: Instant) -> Instant {
        let mut s = self.schedule();
        let slot = s.first_free(earliest.max(Instant::now()));
        let interval = s.interval;
        s.booked.insert(slot, interval);
        slot
    }

    /// Moves the slot `booked` earlier if a slot from now on before it is free (a retry booked
    /// after the longest backoff whose backoff turned out shorter): the slot that is kept. A
    /// slot that passed while the request was held up elsewhere (credentials, a slow retry)
    /// is gone from the schedule: the request books the next free one, as a new one would.
    pub fn advance(&self, booked: Instant) -> Instant {
        let mut s = self.schedule();
        let Some(gap) = s.booked.remove(&booked) else {
            drop(s);
            return self.book(booked);
        };
        let free = s.first_free(Instant::now());
        if free < booked {
            let interval = s.interval;
            s.booked.insert(free, interval);
            free
        } else {
            s.booked.insert(booked, gap);
            booked
        }
    }

    /// Waits for the next free slot (the unit tests' caller; clients book through the
    /// interceptor).
    #[cfg(test)]
    async fn wait(&self) {
        tokio::time::sleep_until(self.book(Instant::now())).await;
    }

    /// The service answered; `throttled` when it said to slow down.
    pub fn answered(&self, throttled: bool) {
        let mut s = self.schedule();
        s.interval = if throttled {
            (s.interval * 5 / 4).min(self.slowest)
        } else {
            s.interval
                .saturating_sub(self.fastest / 20)
                .max(self.fastest)
        };
    }

    /// The time between two request starts now.
    #[cfg(test)]
    fn interval(&self) -> Duration {
        self.schedule().interval
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_start_one_interval_apart() {
        let pacer = Pacer::per_second(20);
        let start = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..41 {
            let pacer = Arc::clone(&pacer);
            tasks.spawn(async move {
                pacer.wait().await;
                Instant::now() - start
            });
        }
        let mut starts = tasks.join_all().await;
        starts.sort();
        // Paused clock: only waiting advances it, so these are the pacer's slots exactly.
        assert_eq!(starts[0], Duration::ZERO);
        assert_eq!(starts[20], Duration::from_secs(1));
        assert_eq!(starts[40], Duration::from_secs(2));
        assert!(
            starts
                .windows(2)
                .all(|w| w[1] - w[0] == Duration::from_millis(50))
        );
    }

    #[test]
    fn throttling_slows_down_to_half_the_rate_and_answers_speed_back_up() {
        let pacer = Pacer::per_second(20);
        pacer.answered(true);
        assert_eq!(pacer.interval(), Duration::from_micros(62_500));
        for _ in 0..10 {
            pacer.answered(true);
        }
        assert_eq!(pacer.interval(), Duration::from_millis(100));
        for _ in 0..19 {
            pacer.answered(false);
        }
        assert_eq!(pacer.interval(), Duration::from_micros(52_500));
        pacer.answered(false);
        pacer.answered(false);
        assert_eq!(pacer.interval(), Duration::from_millis(50));
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_pacer_lets_the_next_request_go_at_once() {
        let pacer = Pacer::per_second(4);
        pacer.wait().await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        let before = Instant::now();
        pacer.wait().await;
        assert_eq!(Instant::now(), before);
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_booked_after_its_backoff_leaves_the_slots_before_it_free() {
        let pacer = Pacer::per_second(20);
        let now = Instant::now();
        let retry = pacer.book(now + Duration::from_secs(1));
        assert_eq!(retry, now + Duration::from_secs(1));
        let firsts: Vec<Duration> = (0..3).map(|_| pacer.book(now) - now).collect();
        assert_eq!(firsts, [0, 50, 100].map(Duration::from_millis));
        // The slot before the retry's is too close to it: the next caller goes after it.
        let ms = |n| Duration::from_millis(n);
        let slots: Vec<Duration> = (0..17).map(|_| pacer.book(now) - now).collect();
        assert_eq!(slots[16], ms(950));
        assert_eq!(pacer.book(now) - now, ms(1050));
    }

    #[test]
    fn one_budget_per_service_and_endpoint() {
        let a = Pacer::shared("test-service", "https://a.test", 20);
        let again = Pacer::shared("test-service", "https://a.test", 20);
        let other = Pacer::shared("test-service", "https://b.test", 20);
        assert!(Arc::ptr_eq(&a, &again));
        assert!(!Arc::ptr_eq(&a, &other));
    }

    #[tokio::test(start_paused = true)]
    async fn a_slot_moves_earlier_when_one_before_it_is_free_never_later() {
        let pacer = Pacer::per_second(20);
        let now = Instant::now();
        let ms = Duration::from_millis;
        let retry = pacer.book(now + ms(800));
        let first = pacer.book(now);
        tokio::time::sleep(ms(300)).await;
        // The retry's backoff ended after 300 ms: the slot then is free.
        assert_eq!(pacer.advance(retry), now + ms(300));
        let next = pacer.book(now + ms(300));
        assert_eq!(next, now + ms(350));
        // Nothing free before it: a slot stays where it is.
        assert_eq!(pacer.advance(next), next);
        // `first` passed 250 ms ago (its request was held up): it goes at the next free slot,
        // not at once beside the others.
        assert_eq!(pacer.advance(first), now + ms(400));
        assert_eq!(pacer.book(now), now + ms(450), "and the budget counts it");
    }
}
