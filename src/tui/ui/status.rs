//! The status bar: organization, profile, region, counts, cache age / refresh state, last error.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::source::age_text;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::state::State;
use crate::tui::theme;

const SPINNER: &[&str] = &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let st = &state.status;
    let mut parts: Vec<String> = Vec::new();
    if let Some(org) = &state.org {
        parts.push(org.h.org.id.clone());
    }
    if !st.demo {
        parts.push(st.profile.clone());
        if !st.region.is_empty() {
            parts.push(st.region.clone());
        }
    }
    if let Some(org) = &state.org {
        parts.push(crate::text::plural(org.h.account_count(), "account"));
        if !st.demo {
            let mut age = format!("cached {}", age_text(org.fetched_at, state.now));
            if st.stale {
                age.push_str(" · stale");
            }
            parts.push(age);
        }
        if org.h.incomplete_ous().next().is_some() {
            parts.push("partial tree".into());
        }
    }
    if st.offline {
        parts.push("offline".into());
    }
    let spin = SPINNER[state.spinner % SPINNER.len()];
    // Both can run at once: a sign-in in the background and an account entry.
    if state.login.is_some() {
        parts.push(format!("signing in to IAM Identity Center {spin}"));
    }
    if let Some(e) = &state.entry {
        parts.push(format!("{} {spin}", e.label()));
    }
    if st.refreshing {
        parts.push(format!("refreshing {spin}"));
    } else if st.loading_tags {
        parts.push(format!("loading tags {spin}"));
    }
    let mut spans = Vec::new();
    // A badge, not a colour only: the credentials in this session are fake.
    if st.demo {
        spans.push(Span::styled(" DEMO ", theme::demo_badge()));
    }
    spans.push(Span::raw(format!(" {}", parts.join(" · "))));
    if let Some(err) = &st.last_error {
        spans.push(Span::styled(format!(" · {err}"), theme::error()));
    } else if let Some(n) = &st.notice {
        spans.push(Span::raw(format!(" · {n}")));
    }
    if let Some(key) = state.keymap.key_for(Mode::Browse, &Action::ToggleHelp) {
        spans.push(Span::styled(format!("  {key} help"), theme::hint()));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme::status_bar()),
        area,
    );
}
