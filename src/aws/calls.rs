//! Counting API calls and walking paginated operations under a shared concurrency limit.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::Semaphore;

use super::error::AwsFailure;

/// API calls made, by operation name. Shared by every task of one crawl.
#[derive(Debug, Default, Clone)]
pub struct CallCounter(Arc<Mutex<BTreeMap<&'static str, usize>>>);

impl CallCounter {
    pub fn record(&self, op: &'static str) {
        let n = match self.0.lock() {
            Ok(mut m) => {
                let n = m.entry(op).or_default();
                *n += 1;
                *n
            }
            Err(_) => 0,
        };
        tracing::debug!(operation = op, nth = n, "aws api call");
    }

    pub fn by_operation(&self) -> BTreeMap<&'static str, usize> {
        self.0.lock().map(|m| m.clone()).unwrap_or_default()
    }

    pub fn total(&self) -> usize {
        self.by_operation().values().sum()
    }
}

/// Calls `page(token)` until the service stops returning a token. A page may be empty and
/// still carry a token, so emptiness never ends the walk; a repeated token does (it would loop).
pub async fn all_pages<T, F, Fut>(
    op: &'static str,
    counter: &CallCounter,
    limit: &Semaphore,
    mut page: F,
) -> Result<Vec<T>, AwsFailure>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), AwsFailure>>,
{
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let (items, next) = {
            let _permit = limit.acquire().await.map_err(|_| AwsFailure::Other {
                call: op,
                detail: "crawl cancelled".into(),
            })?;
            counter.record(op);
            page(token.clone()).await?
        };
        out.extend(items);
        match next.filter(|t| !t.is_empty()) {
            Some(t) if token.as_deref() == Some(t.as_str()) => {
                return Err(AwsFailure::Other {
                    call: op,
                    detail: "the service repeated a pagination token".into(),
                });
            }
            Some(t) => token = Some(t),
            None => return Ok(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn empty_pages_with_tokens_are_followed() {
        let counter = CallCounter::default();
        let sem = Semaphore::new(1);
        let pages = [
            (vec![1], Some("a")),
            (vec![], Some("b")),
            (vec![2, 3], None),
        ];
        let got = all_pages("ListThings", &counter, &sem, |t| {
            let i = match t.as_deref() {
                None => 0,
                Some("a") => 1,
                _ => 2,
            };
            let (items, next) = pages[i].clone();
            async move { Ok((items, next.map(String::from))) }
        })
        .await
        .unwrap();
        assert_eq!(got, [1, 2, 3]);
        assert_eq!(counter.total(), 3);
    }

    #[tokio::test]
    async fn repeated_token_is_an_error_not_a_loop() {
        let counter = CallCounter::default();
        let sem = Semaphore::new(1);
        let r: Result<Vec<u8>, _> = all_pages("ListThings", &counter, &sem, |_| async {
            Ok((vec![], Some("same".to_string())))
        })
        .await;
        assert!(r.is_err());
        assert_eq!(counter.total(), 2);
    }
}
