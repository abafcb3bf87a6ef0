//! `orgnav refresh`'s progress bar on stderr: accounts listed (of the cached count, AWS has no
//! total), then tags read. Drawn only when stderr is a terminal — a pipe or a log file gets
//! nothing — and cleared when the refresh ends, so only the result stays on screen.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::aws::progress::{Progress, ProgressSink};

pub struct RefreshBar(Option<ProgressBar>);

impl RefreshBar {
    /// A bar on stderr if it is a terminal; `expected` accounts: the cached tree's count.
    pub fn new(expected: Option<usize>) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self(None);
        }
        let bar =
            ProgressBar::with_draw_target(expected.map(|n| n as u64), ProgressDrawTarget::stderr());
        bar.set_style(style(if expected.is_some() {
            "{spinner} accounts {pos}/~{len}"
        } else {
            "{spinner} accounts {pos}"
        }));
        Self(Some(bar))
    }

    /// No bar (listings that crawl on the way: their output is the point).
    pub fn hidden() -> Self {
        Self(None)
    }

    /// Removes the bar from the screen (before other output on stderr).
    pub fn clear(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }

    /// Where the crawl reports: moves this bar (nothing without a terminal).
    pub fn sink(&self) -> ProgressSink {
        let Some(bar) = self.0.clone() else {
            return ProgressSink::default();
        };
        ProgressSink::new(move |progress| match progress {
            Progress::Accounts { read } => {
                // More accounts than the cache had: the estimate was low.
                if bar.length().is_some_and(|n| read as u64 > n) {
                    bar.set_length(read as u64);
                }
                bar.set_position(read as u64);
            }
            Progress::Tags { read, total } => {
                if bar.length() != Some(total as u64) || read == 0 {
                    bar.set_style(style("{spinner} tags {wide_bar} {pos}/{len}"));
                    bar.set_length(total as u64);
                }
                bar.set_position(read as u64);
            }
        })
    }
}

impl Drop for RefreshBar {
    fn drop(&mut self) {
        self.clear();
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}
