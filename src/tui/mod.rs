//! The full-screen navigator: terminal guard, event loop, effect runner.

pub mod action;
mod input;
pub mod keymap;
pub mod layout;
mod runner;
pub mod state;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod update;

use std::time::Duration;

use crossterm::event::Event;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;
use tokio::time::Instant;

use self::action::{Action, Effect};
use self::input::InputReader;
use self::runner::Runner;
use self::state::State;
use self::terminal::TerminalGuard;
use crate::source::Source;

/// Minimum time between two frames: bursts of input coalesce into one redraw.
const FRAME: Duration = Duration::from_millis(8);
const SPINNER_TICK: Duration = Duration::from_millis(120);

pub struct Startup {
    pub state: State,
    /// Effects to run right away (e.g. the background refresh).
    pub effects: Vec<Effect>,
    pub source: Source,
}

pub async fn run(startup: Startup) -> anyhow::Result<()> {
    let Startup {
        mut state,
        effects,
        source,
    } = startup;
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut guard = TerminalGuard::enter()?;
    let size = guard.terminal.size()?;
    update::update(
        &mut state,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    );

    let (action_tx, mut action_rx) = mpsc::unbounded_channel::<Action>();
    let (event_tx, mut event_rx) = mpsc::unbounded_channel::<Event>();
    let input = InputReader::start(event_tx);
    let runner = Runner::new(source, action_tx);
    for e in effects {
        runner.run(e);
    }

    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let mut spinner = tokio::time::interval(SPINNER_TICK);
    spinner.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        if dirty && last_draw.elapsed() >= FRAME {
            guard.terminal.draw(|f| ui::render(f, &state))?;
            last_draw = Instant::now();
            dirty = false;
        }
        let action = tokio::select! {
            ev = event_rx.recv() => match ev {
                Some(Event::Key(key)) => keymap::map_key(&state, key),
                Some(Event::Resize(width, height)) => Some(Action::Resize { width, height }),
                Some(_) => None,
                None => Some(Action::Quit),
            },
            Some(a) = action_rx.recv() => Some(a),
            _ = spinner.tick(), if state.busy() => Some(Action::Tick),
            _ = tokio::time::sleep_until(last_draw + FRAME), if dirty => None,
            _ = sigterm.recv() => Some(Action::Quit),
            _ = sighup.recv() => Some(Action::Quit),
        };
        if let Some(action) = action {
            if matches!(action, Action::Resize { .. }) {
                guard.terminal.autoresize()?;
            }
            for effect in update::update(&mut state, action) {
                runner.run(effect);
            }
            dirty = true;
        }
        if state.quit {
            break;
        }
    }
    input.stop();
    drop(guard);
    Ok(())
}
