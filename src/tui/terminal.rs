//! RAII terminal guard: raw mode + alternate screen while alive, restored on drop, on panic
//! (chained hook) and by the signal path in the event loop.

use std::io::{Stdout, Write, stdout};
use std::mem::ManuallyDrop;
use std::sync::Once;

use crossterm::cursor::{Hide, Show};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

pub struct TerminalGuard {
    /// Dropped only through `dispose` (see there).
    pub terminal: ManuallyDrop<Term>,
}

static PANIC_HOOK: Once = Once::new();

/// Leaves raw mode and the alternate screen and shows the cursor. Idempotent, best effort:
/// it runs on error paths where nothing better can be done about a failure.
pub fn restore() {
    let _ = disable_raw_mode();
    let mut out = stdout();
    let _ = execute!(out, LeaveAlternateScreen, Show);
    let _ = out.flush();
}

impl TerminalGuard {
    pub fn enter() -> std::io::Result<Self> {
        PANIC_HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                restore();
                previous(info);
            }));
        });
        enable_raw_mode()?;
        let mut out = stdout();
        if let Err(e) = execute!(out, EnterAlternateScreen, Hide) {
            restore();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(out)) {
            Ok(terminal) => Ok(Self {
                terminal: ManuallyDrop::new(terminal),
            }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }
}

impl TerminalGuard {
    /// Gives the terminal back (cooked mode, main screen, cursor) for a child or Ctrl-Z.
    pub fn suspend(&mut self) {
        restore();
    }

    /// Takes the terminal again after a child or `fg`, and forces a full redraw. A fresh
    /// `Terminal` (empty buffers) on a cleared screen repaints everything without
    /// `Terminal::clear`, which asks the terminal for the cursor position (a round trip that
    /// can time out over slow links).
    pub fn resume(&mut self) -> std::io::Result<()> {
        // crossterm skips enabling raw mode when it believes it still is; after SIGCONT the
        // shell may have reset the terminal behind its back.
        let _ = disable_raw_mode();
        enable_raw_mode()?;
        execute!(stdout(), EnterAlternateScreen, Clear(ClearType::All), Hide)?;
        let fresh = Terminal::new(CrosstermBackend::new(stdout()))?;
        dispose(std::mem::replace(&mut *self.terminal, fresh));
        Ok(())
    }
}

/// Drops a ratatui `Terminal` without its `Drop` complaining: that shows a hidden cursor and
/// `eprintln!`s a failure, which panics when the terminal (stderr) has gone away. The cursor
/// is shown here first; if even that fails the terminal is dead and the buffers are leaked
/// (once, on the way out) rather than panic.
fn dispose(mut terminal: Term) {
    if terminal.show_cursor().is_err() {
        std::mem::forget(terminal);
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        // SAFETY: `terminal` is not used after this; the guard is being dropped.
        dispose(unsafe { ManuallyDrop::take(&mut self.terminal) });
        restore();
    }
}

/// The terminal's foreground process group, to hand back after a child (see below).
pub fn foreground() -> Option<libc::pid_t> {
    // SAFETY: tcgetpgrp only reads; -1 (not a terminal) is mapped to None.
    let pgrp = unsafe { libc::tcgetpgrp(libc::STDOUT_FILENO) };
    (pgrp > 0).then_some(pgrp)
}

/// Makes `pgrp` the terminal's foreground again. A job-control shell moves the foreground to
/// its own group and gives it back when it exits normally; killed or hung up it cannot, and
/// orgnav, left in the background, would get EIO on every terminal call.
pub fn restore_foreground(pgrp: Option<libc::pid_t>) {
    let Some(pgrp) = pgrp else { return };
    if foreground() == Some(pgrp) {
        return;
    }
    // SAFETY: signal-mask calls on this thread's own mask with a local set, and tcsetpgrp.
    // SIGTTOU is blocked meanwhile: a background group may take the terminal only so.
    unsafe {
        let mut ttou: libc::sigset_t = std::mem::zeroed();
        let mut previous: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut ttou);
        libc::sigaddset(&mut ttou, libc::SIGTTOU);
        libc::pthread_sigmask(libc::SIG_BLOCK, &ttou, &mut previous);
        libc::tcsetpgrp(libc::STDOUT_FILENO, pgrp);
        libc::pthread_sigmask(libc::SIG_SETMASK, &previous, std::ptr::null_mut());
    }
}

/// Whether the screen orgnav draws on (stdout) has hung up. The input reader notices a hang-up
/// first; this catches the one it can miss, when the terminal closes while crossterm is
/// reading (crossterm then retries the read forever on the reader's thread).
pub fn hung_up() -> bool {
    let mut pfd = libc::pollfd {
        fd: libc::STDOUT_FILENO,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid pollfd; a zero timeout never blocks.
    let n = unsafe { libc::poll(&mut pfd, 1, 0) };
    n > 0 && pfd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}
