//! The key-hint line: the few keys that matter in the current mode, their keys read from the
//! keymap (the table with config `[keys]` applied), so a rebinding shows here at once. It
//! fits the width by dropping hints, never by wrapping; the last hint (help, or the way out)
//! goes last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::model::Node;
use crate::tui::action::{Action, HelpScroll, Purpose};
use crate::tui::keymap::{Keymap, Mode, mode_of};
use crate::tui::quota_state::DetailsTab;
use crate::tui::state::{Modal, State};
use crate::tui::theme;

/// One hint: `keys` as the help shows them (`s`, `↑/↓`, `Ctrl-U`) and what they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub keys: String,
    pub label: &'static str,
}

/// What a hint is made of: the actions whose keys it shows, or a fixed text for keys that
/// are typed (y/n in the production question, letters in filters).
enum Of {
    Keys(&'static [Action]),
    Typed(&'static str),
}

const fn keys(actions: &'static [Action], label: &'static str) -> (Of, &'static str) {
    (Of::Keys(actions), label)
}

const MOVE: &[Action] = &[Action::MoveUp, Action::MoveDown];
const HELP: (Of, &str) = keys(&[Action::ToggleHelp], "help");

/// The hints of the current mode, most useful first.
pub fn current(state: &State) -> Vec<Hint> {
    let mode = mode_of(state);
    let spec: Vec<(Of, &'static str)> = match mode {
        Mode::Browse => browse(state),
        Mode::Search => vec![
            keys(MOVE, "move"),
            keys(&[Action::SearchAccept], "jump"),
            keys(&[Action::SearchClear], "clear"),
            keys(&[Action::CopyId], "copy ID"),
            keys(&[Action::CloseSearch], "close"),
        ],
        Mode::Sweep => vec![
            keys(MOVE, "move"),
            keys(&[Action::SweepAccept], "show in tree"),
            keys(&[Action::ToggleQuotaFilter], "usage only"),
            keys(&[Action::Refresh], "sweep again"),
            keys(&[Action::CloseSweep], "back"),
            HELP,
        ],
        Mode::Help => vec![
            keys(
                &[
                    Action::ScrollHelp(HelpScroll::Up),
                    Action::ScrollHelp(HelpScroll::Down),
                ],
                "scroll",
            ),
            keys(&[Action::ToggleHelp], "close"),
        ],
        Mode::Modal | Mode::Global => modal(state.modal.as_ref()),
    };
    spec.into_iter()
        .filter_map(|(of, label)| {
            let keys = match of {
                Of::Typed(text) => text.to_string(),
                Of::Keys(actions) => keys_of(&state.keymap, mode, actions)?,
            };
            Some(Hint { keys, label })
        })
        .collect()
}

/// `↑/↓` for several actions; None when one of them has no key (unbound in `[keys]`).
fn keys_of(keymap: &Keymap, mode: Mode, actions: &[Action]) -> Option<String> {
    let keys: Option<Vec<String>> = actions.iter().map(|a| keymap.key_for(mode, a)).collect();
    Some(keys?.join("/"))
}

fn browse(state: &State) -> Vec<(Of, &'static str)> {
    let mut spec = Vec::new();
    if state.entry.is_some() {
        spec.push(keys(&[Action::CancelPending], "cancel"));
    }
    match state.selected_node() {
        Some(Node::Account(_)) if state.quotas.tab == DetailsTab::Quotas => spec.extend([
            keys(&[Action::ToggleDetailsTab], "details"),
            keys(&[Action::CycleQuotaRegion], "quota region"),
            keys(&[Action::ToggleQuotaFilter], "usage only"),
            keys(&[Action::RefreshItem], "re-read"),
            keys(&[Action::OpenSweep], "sweep"),
        ]),
        Some(Node::Account(_)) => spec.extend([
            keys(&[Action::Enter(Purpose::Shell)], "shell"),
            keys(&[Action::Enter(Purpose::Console)], "console"),
            keys(&[Action::OpenSearch], "search"),
            keys(&[Action::ToggleDetailsTab], "quotas"),
            keys(&[Action::OpenRegionPicker], "region"),
            keys(&[Action::ToggleFavourite], "favourite"),
            keys(&[Action::CopyId], "copy ID"),
            keys(&[Action::RefreshItem], "refresh"),
            keys(&[Action::Quit], "quit"),
        ]),
        _ => spec.extend([
            keys(&[Action::Activate], "open/close"),
            keys(&[Action::OpenSearch], "search"),
            keys(&[Action::OpenSweep], "quota sweep"),
            keys(&[Action::OpenRegionPicker], "region"),
            keys(&[Action::RefreshItem], "refresh"),
            keys(&[Action::Quit], "quit"),
        ]),
    }
    spec.push(HELP);
    spec
}

fn modal(modal: Option<&Modal>) -> Vec<(Of, &'static str)> {
    let cancel = keys(&[Action::ModalCancel], "cancel");
    match modal {
        Some(Modal::PickRole { .. }) => vec![
            keys(MOVE, "choose"),
            keys(&[Action::ModalConfirm], "confirm"),
            cancel,
        ],
        Some(Modal::ConfirmProduction { .. }) => vec![
            (Of::Typed("y"), "yes"),
            (Of::Typed("n"), "no"),
            keys(&[Action::ModalCancel], "no"),
        ],
        Some(Modal::Mfa { .. }) => vec![
            (Of::Typed("type"), "the code"),
            keys(&[Action::ModalConfirm], "submit"),
            cancel,
        ],
        Some(Modal::Login { .. }) => vec![keys(&[Action::ModalCancel], "hide")],
        Some(Modal::Region(_)) => vec![
            (Of::Typed("type"), "to filter"),
            keys(MOVE, "choose"),
            keys(&[Action::ModalConfirm], "use"),
            cancel,
        ],
        Some(Modal::ConsoleLink { .. }) => vec![(Of::Typed("y"), "copy the link"), cancel],
        Some(Modal::ConsoleMenu { .. }) => vec![
            (Of::Typed("o/d/y"), "choose"),
            keys(MOVE, "move"),
            keys(&[Action::ModalConfirm], "open"),
            cancel,
        ],
        None => vec![],
    }
}

/// Columns one hint takes: ` keys label`.
fn width_of(h: &Hint) -> usize {
    1 + h.keys.width() + 1 + h.label.width()
}

/// The hints that fit in `width` columns, in their order. Each is taken in turn while it
/// fits; the last one (help, or the way out) is kept before any other.
pub fn fit(hints: &[Hint], width: usize) -> Vec<&Hint> {
    let Some((last, rest)) = hints.split_last() else {
        return vec![];
    };
    // One space between hints besides each hint's own leading space.
    let mut used = width_of(last);
    if used > width {
        return vec![];
    }
    let mut kept = Vec::new();
    for h in rest {
        if used + 1 + width_of(h) <= width {
            used += 1 + width_of(h);
            kept.push(h);
        }
    }
    kept.push(last);
    kept
}

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let hints = current(state);
    let mut spans = Vec::new();
    for (i, h) in fit(&hints, usize::from(area.width)).into_iter().enumerate() {
        spans.push(Span::raw(if i == 0 { " " } else { "  " }));
        spans.push(Span::styled(h.keys.clone(), theme::key()));
        spans.push(Span::raw(format!(" {}", h.label)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(keys: &str, label: &'static str) -> Hint {
        Hint {
            keys: keys.into(),
            label,
        }
    }

    fn shown(hints: &[&Hint]) -> String {
        let parts: Vec<String> = hints
            .iter()
            .map(|h| format!("{} {}", h.keys, h.label))
            .collect();
        format!(" {}", parts.join("  "))
    }

    #[test]
    fn everything_fits_on_a_wide_line() {
        let hints = [hint("s", "shell"), hint("/", "search"), hint("?", "help")];
        assert_eq!(shown(&fit(&hints, 80)), " s shell  / search  ? help");
    }

    #[test]
    fn hints_that_do_not_fit_are_dropped_and_the_last_stays() {
        let hints = [
            hint("s", "shell"),
            hint("c", "console"),
            hint("/", "search"),
            hint("?", "help"),
        ];
        // " s shell  c console  / search  ? help" is 37 columns.
        for width in 0..45 {
            let line = shown(&fit(&hints, width));
            let kept = fit(&hints, width);
            if kept.is_empty() {
                assert!(width < 7, "{width}");
                continue;
            }
            assert!(line.width() <= width, "{width}: {line:?}");
            assert_eq!(kept.last().unwrap().label, "help", "{width}");
        }
        assert_eq!(shown(&fit(&hints, 20)), " s shell  ? help");
        // A later, shorter hint takes the room a longer one could not use.
        assert_eq!(shown(&fit(&hints, 26)), " s shell  / search  ? help");
    }

    #[test]
    fn widths_count_columns_not_bytes() {
        let hints = [hint("↑/↓", "move"), hint("Esc", "close")];
        assert_eq!(width_of(&hints[0]), 9);
        assert_eq!(fit(&hints, 20).len(), 2);
        assert_eq!(fit(&hints, 19).len(), 1);
    }
}
