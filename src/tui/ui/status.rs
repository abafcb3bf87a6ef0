//! The status bar: counts, what is under way (sign-in, account entry), the last message or
//! error. The header carries the context; on a screen too low for it, the bar does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::header::{SPINNER, context};
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::layout::areas;
use crate::tui::state::State;
use crate::tui::theme;

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let st = &state.status;
    let frame_parts = areas(state.width, state.height);
    let mut spans = Vec::new();
    if frame_parts.header.is_none() {
        spans.extend(context(state));
        if st.offline || st.stale {
            spans.push(Span::raw("  offline"));
        }
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some(org) = &state.org {
        parts.push(crate::text::plural(org.h.account_count(), "account"));
        if org.h.incomplete_ous().next().is_some() {
            parts.push("partial tree".into());
        }
    }
    let spin = SPINNER[state.spinner % SPINNER.len()];
    // Both can run at once: a sign-in in the background and an account entry.
    if state.login.is_some() {
        parts.push(format!("signing in to IAM Identity Center {spin}"));
    }
    if let Some(e) = &state.entry {
        parts.push(format!("{} {spin}", e.label()));
    }
    spans.push(Span::raw(format!(" {}", parts.join(" · "))));
    if let Some(err) = &st.last_error {
        spans.push(Span::styled(format!(" · {err}"), theme::error()));
    } else if let Some(n) = &st.notice {
        spans.push(Span::raw(format!(" · {n}")));
    }
    // Without a hint line, the way to the help is here.
    if frame_parts.hints.is_none()
        && let Some(key) = state.keymap.key_for(Mode::Browse, &Action::ToggleHelp)
    {
        spans.push(Span::styled(format!("  {key} help"), theme::hint()));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme::status_bar()),
        area,
    );
}
