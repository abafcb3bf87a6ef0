//! The header: where orgnav is looking — a DEMO or OFFLINE badge, the organization, the
//! profile, the region shells and the console use, and how old the data is (or that it is
//! being refreshed). One line; what does not fit is cut at the right edge.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::source::age_text;
use crate::tui::region_picker::effective;
use crate::tui::state::State;
use crate::tui::theme;

pub const SPINNER: &[&str] = &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The badge: DEMO on the demo organization; OFFLINE with `--offline` or when AWS could not
/// be reached (the data shown is the cache's).
fn badge(state: &State) -> Option<Span<'static>> {
    let st = &state.status;
    if st.demo {
        Some(Span::styled(" DEMO ", theme::demo_badge()))
    } else if st.offline || st.stale {
        Some(Span::styled(" OFFLINE ", theme::offline_badge()))
    } else {
        None
    }
}

/// `label value` pairs and the data's state, without the badge (the status bar repeats
/// them when the screen is too low for a header).
pub fn context(state: &State) -> Vec<Span<'static>> {
    let st = &state.status;
    let mut spans = Vec::new();
    let mut field = |label: &str, value: String| {
        let gap = if spans.is_empty() { " " } else { "  " };
        spans.push(Span::styled(format!("{gap}{label} "), theme::muted()));
        spans.push(Span::styled(value, theme::label()));
    };
    if let Some(org) = &state.org {
        field("org", org.h.org.id.clone());
    }
    field("profile", st.profile.clone());
    let region = effective(state);
    if !region.is_empty() {
        field("region", region.to_string());
    }
    if let (Some(org), false) = (&state.org, st.demo) {
        let style = if st.stale {
            theme::warning()
        } else {
            theme::muted()
        };
        let age = format!("  cached {}", age_text(org.fetched_at, state.now));
        spans.push(Span::styled(age, style));
    }
    let spin = SPINNER[state.spinner % SPINNER.len()];
    if st.refreshing || st.loading_tags {
        spans.push(Span::raw(format!("  {spin} {}", progress_text(state))));
    }
    spans
}

/// "refreshing: 120 of ~2019 accounts", "loading tags 300/2341": the refresh under way. The
/// number of accounts is known only at the end (AWS has no count): the cached tree's is the
/// estimate.
fn progress_text(state: &State) -> String {
    use crate::aws::progress::Progress;
    let expected = state.org.as_ref().map(|o| o.h.org.accounts.len());
    match (state.status.progress, expected) {
        (Some(Progress::Accounts { read }), Some(n)) if read <= n && state.status.refreshing => {
            format!("refreshing: {read} of ~{n} accounts")
        }
        (Some(Progress::Accounts { read }), _) if state.status.refreshing => {
            format!("refreshing: {read} accounts")
        }
        (Some(Progress::Tags { read, total }), _) if state.status.loading_tags => {
            format!("loading tags {read}/{total}")
        }
        _ if state.status.refreshing => "refreshing".to_string(),
        _ => "loading tags".to_string(),
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let mut spans: Vec<Span> = badge(state).into_iter().collect();
    spans.extend(context(state));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
