//! The full-screen navigator: terminal guard, event loop, effect runner.

pub mod action;
mod input;
pub mod keymap;
pub mod layout;
pub mod quota_state;
mod runner;
mod runner_access;
pub mod state;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod update;
mod update_access;
mod update_login;
mod update_quotas;

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
    pub access: std::sync::Arc<crate::access::Access>,
    /// The program `s` starts (config `shell`, else `$SHELL`).
    pub shell: String,
}

pub async fn run(startup: Startup) -> anyhow::Result<()> {
    let Startup {
        mut state,
        effects,
        source,
        access,
        shell,
    } = startup;
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    // Handled (and ignored), so a Ctrl-C inside a subshell reaches the shell, not orgnav; in
    // raw mode Ctrl-C arrives as a key instead.
    let mut sigint = signal(SignalKind::interrupt())?;
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
    let mut input = Some(InputReader::start(event_tx.clone()));
    let runner = Runner::new(source, access, action_tx.clone());
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
            _ = sigint.recv() => None,
        };
        if let Some(action) = action {
            if matches!(action, Action::Resize { .. }) {
                guard.terminal.autoresize()?;
            }
            for effect in update::update(&mut state, action) {
                match effect {
                    Effect::RunShell(assumed) => {
                        let message =
                            with_terminal_released(&mut guard, &mut input, &event_tx, async {
                                run_shell(&shell, &assumed.session).await
                            })
                            .await?;
                        let _ = action_tx.send(Action::ChildExited { message });
                    }
                    Effect::SuspendSelf => {
                        with_terminal_released(&mut guard, &mut input, &event_tx, async {
                            // Default SIGTSTP action: stop until the shell's `fg` continues us.
                            // SAFETY: raise only signals this process.
                            unsafe { libc::raise(libc::SIGTSTP) };
                        })
                        .await?;
                    }
                    other => runner.run(other),
                }
            }
            dirty = true;
        }
        if state.quit {
            break;
        }
    }
    if let Some(i) = input.take() {
        i.stop();
    }
    drop(guard);
    Ok(())
}

/// Stops the input reader *and waits for it*, leaves raw mode and the alternate screen, runs
/// `work` (a child owning the terminal), then takes the terminal back with a full redraw.
async fn with_terminal_released<T>(
    guard: &mut TerminalGuard,
    input: &mut Option<InputReader>,
    event_tx: &mpsc::UnboundedSender<Event>,
    work: impl std::future::Future<Output = T>,
) -> std::io::Result<T> {
    if let Some(i) = input.take() {
        i.stop();
    }
    guard.suspend();
    let out = work.await;
    guard.resume()?;
    *input = Some(InputReader::start(event_tx.clone()));
    Ok(out)
}

/// The subshell: banner, `$SHELL` with the session's environment, and how it ended.
async fn run_shell(shell: &str, session: &crate::launch::AccountSession) -> String {
    use std::io::IsTerminal;
    eprintln!(
        "{}",
        crate::launch::banner(session, std::io::stderr().is_terminal())
    );
    match crate::launch::command(shell, &[], session).status().await {
        Ok(status) if status.success() => {
            format!("back from {} ({})", session.account_name, session.role)
        }
        Ok(status) => format!("shell in {} exited with {status}", session.account_name),
        Err(e) => format!("cannot start {shell}: {e}"),
    }
}
