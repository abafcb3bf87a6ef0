//! What a crawl has done so far, reported as it goes: the TUI's status bar and `orgnav
//! refresh`'s progress bar show it. A crawl without a listener reports to nobody.

use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Accounts listed so far (the total is known only at the end: AWS has no count).
    Accounts { read: usize },
    /// Tags read so far, of those this refresh reads.
    Tags { read: usize, total: usize },
}

/// Where progress goes; cheap to clone into every task of a crawl.
#[derive(Clone, Default)]
pub struct ProgressSink(Option<Arc<dyn Fn(Progress) + Send + Sync>>);

impl ProgressSink {
    pub fn new(report: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        Self(Some(Arc::new(report)))
    }

    pub fn report(&self, progress: Progress) {
        if let Some(f) = &self.0 {
            f(progress);
        }
    }
}

impl std::fmt::Debug for ProgressSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "ProgressSink(listening)"
        } else {
            "ProgressSink(none)"
        })
    }
}
