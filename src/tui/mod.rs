//! The full-screen navigator: terminal guard, event loop, effect runner.

pub mod action;
pub mod clipboard;
pub mod console_menu;
mod input;
pub mod keymap;
pub mod layout;
pub mod quota_state;
pub mod region_picker;
mod runner;
mod runner_access;
mod runner_org;
mod runner_quotas;
mod signals;
pub mod state;
mod subshell;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod update;
mod update_access;
mod update_console;
mod update_history;
mod update_login;
mod update_modal;
mod update_org;
mod update_quotas;
mod update_reread;
mod update_search;
mod update_selection;

use std::time::Duration;

use crossterm::event::Event;
use tokio::sync::mpsc;
use tokio::time::Instant;

use self::action::{Action, Effect};
use self::input::{Input, InputReader};
use self::runner::Runner;
use self::signals::{Signal, Signals};
use self::state::State;
use self::terminal::TerminalGuard;
use crate::access::launch;
use crate::source::Source;
pub use signals::name as signal_name;

/// Minimum time between two frames: bursts of input coalesce into one redraw.
const FRAME: Duration = Duration::from_millis(8);
const SPINNER_TICK: Duration = Duration::from_millis(120);
/// How long the selection must rest on an account before its quotas are read: scrolling
/// through accounts reads nothing.
const SELECTION_REST: Duration = Duration::from_millis(200);
/// How often the loop checks that its terminal is still there (see `terminal::hung_up`).
const HEALTH_CHECK: Duration = Duration::from_secs(1);

pub struct Startup {
    pub state: State,
    /// Effects to run right away (e.g. the background refresh).
    pub effects: Vec<Effect>,
    pub source: Source,
    pub access: std::sync::Arc<crate::access::Access>,
    /// The program `s` starts (config `shell`, else `$SHELL`).
    pub shell: String,
    /// `s` serves the shell's credentials from a loopback endpoint, renewed (config
    /// `[credentials] refreshing`).
    pub refreshing: bool,
}

/// How the navigator ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The user quit.
    Quit,
    /// SIGTERM, SIGHUP or SIGQUIT (its number).
    Signal(i32),
    /// The terminal hung up, or can no longer be read or drawn on.
    TerminalLost,
}

pub async fn run(startup: Startup) -> anyhow::Result<Ended> {
    let Startup {
        mut state,
        effects,
        source,
        access,
        shell,
        refreshing,
    } = startup;
    let signals = Signals::install()?;
    let guard = TerminalGuard::enter()?;
    let size = guard.terminal.size()?;
    update::update(
        &mut state,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    );

    let (action_tx, mut action_rx) = mpsc::unbounded_channel::<Action>();
    let (event_tx, mut event_rx) = mpsc::unbounded_channel::<Input>();
    let runner = Runner::new(source, std::sync::Arc::clone(&access), action_tx.clone());
    for e in effects {
        runner.run(e);
    }
    let mut nav = Navigator {
        state,
        term: Held {
            guard,
            input: Some(InputReader::start(event_tx.clone())),
            event_tx,
        },
        runner,
        action_tx,
        shell: subshell::Subshell {
            program: shell,
            refreshing,
            access,
        },
        signals,
    };
    let ended = nav
        .event_loop(&mut action_rx, &mut event_rx)
        .await
        .unwrap_or_else(|e| {
            // Every I/O error in the loop is the terminal's: drawing, raw mode, hand-offs.
            tracing::warn!(error = %e, "the terminal failed");
            Ended::TerminalLost
        });
    if ended == Ended::TerminalLost {
        // As for a signal (armed by the listener): end even if the way out gets stuck.
        signals::arm_watchdog(libc::SIGHUP);
    }
    if let Some(i) = nav.term.input.take() {
        i.stop();
    }
    // The process ends next: freeing every account's strings one by one only delays the
    // shell prompt (a tenth of the start-up's work at 10,000 accounts).
    std::mem::forget(nav.state.org.take());
    drop(nav);
    // A favourite marked just before `q` still reaches the file (a stuck disk does not hold
    // the way out for long).
    runner_access::finish_history_writes(std::time::Duration::from_secs(1));
    Ok(ended)
}

/// The event loop's own parts: state, terminal, effect runner.
struct Navigator {
    state: State,
    term: Held,
    runner: Runner,
    action_tx: mpsc::UnboundedSender<Action>,
    /// What `s` starts, and how it gets its credentials.
    shell: subshell::Subshell,
    signals: Signals,
}

impl Navigator {
    async fn event_loop(
        &mut self,
        action_rx: &mut mpsc::UnboundedReceiver<Action>,
        event_rx: &mut mpsc::UnboundedReceiver<Input>,
    ) -> std::io::Result<Ended> {
        let mut dirty = true;
        let mut last_draw = Instant::now() - FRAME;
        let mut spinner = tokio::time::interval(SPINNER_TICK);
        spinner.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut health = tokio::time::interval(HEALTH_CHECK);
        // The debounce: armed when the account whose quotas are wanted changes.
        let mut rest: Option<Instant> = None;
        // A measurement hook (`scripts/measure-whole-process`): start-up to first frame,
        // timed as a whole process.
        let exit_after_first_frame = std::env::var_os("ORGNAV_EXIT_AFTER_FIRST_FRAME").is_some();
        loop {
            if dirty && last_draw.elapsed() >= FRAME {
                let state = &self.state;
                self.term.guard.terminal.draw(|f| ui::render(f, state))?;
                last_draw = Instant::now();
                dirty = false;
                if exit_after_first_frame {
                    return Ok(Ended::Quit);
                }
            }
            let action = tokio::select! {
                ev = event_rx.recv() => match ev {
                    Some(Input::Event(Event::Key(key))) => keymap::map_key(&self.state, key),
                    Some(Input::Event(Event::Resize(width, height))) => {
                        Some(Action::Resize { width, height })
                    }
                    Some(Input::Event(_)) => None,
                    Some(Input::Lost) | None => return Ok(Ended::TerminalLost),
                },
                Some(a) = action_rx.recv() => Some(a),
                _ = spinner.tick(), if self.state.busy() => Some(Action::SpinnerTick),
                _ = tokio::time::sleep_until(rest.unwrap_or(last_draw)), if rest.is_some() => {
                    rest = None;
                    Some(Action::SelectionRested)
                }
                _ = tokio::time::sleep_until(last_draw + FRAME), if dirty => None,
                _ = health.tick() => {
                    if terminal::hung_up() {
                        return Ok(Ended::TerminalLost);
                    }
                    // Ages and remaining times are shown in minutes: redraw when one passes.
                    let now = jiff::Timestamp::now().as_second();
                    (now / 60 != self.state.now.as_second() / 60).then_some(Action::Clock)
                }
                signal = self.signals.recv() => {
                    match signal {
                        Signal::End(signo) => return Ok(Ended::Signal(signo)),
                        Signal::Stop => {
                            self.term.suspend_self().await?;
                            self.signals.forget_job_control();
                        }
                        Signal::Continue => self.term.guard.resume()?,
                    }
                    dirty = true;
                    None
                }
            };
            if let Some(action) = action {
                let wanted = self.state.quotas.wanted.clone();
                self.apply(action).await?;
                if self.state.quotas.wanted != wanted {
                    rest = self
                        .state
                        .quotas
                        .wanted
                        .as_ref()
                        .map(|_| Instant::now() + SELECTION_REST);
                }
                dirty = true;
            }
            if self.state.quit {
                return Ok(Ended::Quit);
            }
        }
    }

    /// Runs `action` through `update`; the effects that need the terminal run here.
    async fn apply(&mut self, action: Action) -> std::io::Result<()> {
        if matches!(action, Action::Resize { .. }) {
            self.term.guard.terminal.autoresize()?;
        }
        for effect in update::update(&mut self.state, action) {
            match effect {
                Effect::RunShell(assumed) => {
                    let endpoint = match self.shell.endpoint(&assumed.session).await {
                        Ok(endpoint) => endpoint,
                        Err(message) => {
                            let _ = self.action_tx.send(Action::ChildExited { message });
                            continue;
                        }
                    };
                    let shell = run_shell(&self.shell.program, &assumed.session, endpoint.as_ref());
                    let message = self.term.released(shell).await?;
                    subshell::stop(endpoint).await;
                    self.signals.forget_job_control();
                    let _ = self.action_tx.send(Action::ChildExited { message });
                }
                Effect::SuspendSelf => {
                    self.term.suspend_self().await?;
                    self.signals.forget_job_control();
                }
                Effect::CopySecret(link) => {
                    self.note_clipboard(clipboard::send_secret(link.secret()));
                }
                Effect::CopyToClipboard(text) => self.note_clipboard(clipboard::send(&text)),
                other => self.runner.run(other),
            }
        }
        Ok(())
    }
}

impl Navigator {
    /// A clipboard write that failed replaces the "sent" notice with why.
    fn note_clipboard(&mut self, sent: std::io::Result<()>) {
        if let Err(e) = sent {
            self.state.status.notice = None;
            self.state.status.last_error = Some(format!(
                "cannot write to the terminal for the clipboard: {e}"
            ));
        }
    }
}

/// The terminal while the navigator owns it, and its one reader.
struct Held {
    guard: TerminalGuard,
    input: Option<InputReader>,
    event_tx: mpsc::UnboundedSender<Input>,
}

impl Held {
    /// Stops the input reader *and waits for it*, leaves raw mode and the alternate screen,
    /// runs `work` (a child owning the terminal), then takes the terminal back with a full
    /// redraw.
    async fn released<T>(
        &mut self,
        work: impl std::future::Future<Output = T>,
    ) -> std::io::Result<T> {
        if let Some(i) = self.input.take()
            && !i.stop()
        {
            // A reader that does not stop is stuck on a dead terminal: nothing to hand over.
            return Err(std::io::Error::other("the terminal stopped answering"));
        }
        self.guard.suspend();
        let foreground = terminal::foreground();
        let out = work.await;
        terminal::restore_foreground(foreground);
        self.guard.resume()?;
        self.input = Some(InputReader::start(self.event_tx.clone()));
        Ok(out)
    }

    /// Ctrl-Z or an external SIGTSTP: give the terminal back, stop until `fg`, take it again.
    async fn suspend_self(&mut self) -> std::io::Result<()> {
        self.released(async { signals::stop_self() }).await
    }
}

/// The subshell: banner, `$SHELL` with the session's environment (or, with `endpoint`, the
/// endpoint serving its credentials), and how it ended.
async fn run_shell(
    shell: &str,
    session: &launch::AccountSession,
    endpoint: Option<&subshell::Served>,
) -> String {
    use std::io::{IsTerminal, Write};
    let banner = launch::banner(
        session,
        crate::text::colour_allowed(std::io::stderr().is_terminal()),
    );
    // Not eprintln!: it panics if the terminal has just gone away.
    let _ = writeln!(std::io::stderr(), "{banner}");
    let mut command = match endpoint {
        Some(served) => served.command(shell, session),
        None => launch::command(shell, &[], session),
    };
    let status = match command.spawn() {
        Ok(mut child) => {
            // An ending signal meanwhile hangs the shell up, so orgnav can end too.
            let _in_terminal = signals::child_in_terminal(child.id());
            child.wait().await
        }
        Err(e) => Err(e),
    };
    match status {
        Ok(status) if status.success() => {
            // The credentials are kept for the next `s`: say how long they still hold.
            let left = launch::until(session.credentials.expiration, jiff::Timestamp::now());
            format!(
                "back from {} ({}) · credentials {left}",
                session.account_name, session.role
            )
        }
        Ok(status) => format!("shell in {} exited with {status}", session.account_name),
        Err(e) => format!("cannot start {shell}: {e}"),
    }
}
