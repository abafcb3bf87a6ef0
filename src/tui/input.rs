//! The one terminal reader: a thread polling the terminal with a short timeout so it can be
//! stopped (and joined) before a child process takes the terminal.
//!
//! The thread looks at the terminal itself before asking crossterm for events: on a hung-up
//! terminal (closed window, dropped SSH, killed tmux) crossterm 0.29's reader retries the
//! failing read forever, spinning at full CPU inside `event::poll` where no stop flag is
//! checked. A hang-up is reported as [`Input::Lost`] instead, and `stop` never waits on a
//! thread that might be stuck there.

use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc as std_mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use crossterm::event::{self, Event};
use tokio::sync::mpsc::UnboundedSender;

/// How long the reader sleeps between checks of its stop flag.
const POLL: Duration = Duration::from_millis(50);
/// How long `stop` waits for the thread: it needs at most one `POLL` when healthy.
const STOP_WAIT: Duration = Duration::from_secs(5);

pub enum Input {
    Event(Event),
    /// The terminal hung up or cannot be read: no key will ever come again.
    Lost,
}

pub struct InputReader {
    stop: Arc<AtomicBool>,
    /// Disconnected when the thread has ended (its sender is dropped with it).
    done: std_mpsc::Receiver<()>,
    handle: Option<JoinHandle<()>>,
}

impl InputReader {
    pub fn start(tx: UnboundedSender<Input>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let (done_tx, done) = std_mpsc::channel::<()>();
        let handle = std::thread::spawn(move || {
            let _done = done_tx;
            if read_until_stopped(&flag, &tx).is_err() {
                let _ = tx.send(Input::Lost);
            }
        });
        Self {
            stop,
            done,
            handle: Some(handle),
        }
    }

    /// Stops the reader and waits for it, so no keystroke is read after this returns. False
    /// if the thread did not end in time (a dead terminal): it is left behind, and the
    /// terminal must not be handed to anyone.
    pub fn stop(mut self) -> bool {
        self.halt()
    }

    fn halt(&mut self) -> bool {
        self.stop.store(true, Ordering::Relaxed);
        let Some(handle) = self.handle.take() else {
            return true;
        };
        match self.done.recv_timeout(STOP_WAIT) {
            Err(std_mpsc::RecvTimeoutError::Timeout) => {
                tracing::warn!("the terminal reader did not stop; leaving it behind");
                false
            }
            _ => handle.join().is_ok(),
        }
    }
}

impl Drop for InputReader {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Err when the terminal is gone or crossterm fails; Ok when stopped or the loop has ended.
fn read_until_stopped(stop: &AtomicBool, tx: &UnboundedSender<Input>) -> std::io::Result<()> {
    let tty = terminal_input()?;
    while !stop.load(Ordering::Relaxed) {
        wait_for_input(tty.fd(), POLL)?;
        // Also when the wait timed out: crossterm reports resizes (SIGWINCH) on its own.
        while event::poll(Duration::ZERO)? {
            if tx.send(Input::Event(event::read()?)).is_err() {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// The descriptor crossterm reads: stdin if it is a terminal, else `/dev/tty`.
enum TerminalInput {
    Stdin,
    DevTty(OwnedFd),
}

impl TerminalInput {
    fn fd(&self) -> BorrowedFd<'_> {
        use std::os::fd::AsFd;
        match self {
            // SAFETY: stdin stays open for the life of the process.
            Self::Stdin => unsafe { BorrowedFd::borrow_raw(libc::STDIN_FILENO) },
            Self::DevTty(fd) => fd.as_fd(),
        }
    }
}

fn terminal_input() -> std::io::Result<TerminalInput> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        return Ok(TerminalInput::Stdin);
    }
    let tty = std::fs::File::open("/dev/tty")?;
    Ok(TerminalInput::DevTty(tty.into()))
}

/// Waits up to `timeout` for the terminal to have input; Err if it hung up or broke.
fn wait_for_input(fd: BorrowedFd<'_>, timeout: Duration) -> std::io::Result<()> {
    let mut pfd = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
    // SAFETY: one valid pollfd for the duration of the call.
    let n = unsafe { libc::poll(&mut pfd, 1, ms) };
    if n < 0 {
        let e = std::io::Error::last_os_error();
        return match e.kind() {
            std::io::ErrorKind::Interrupted => Ok(()),
            _ => Err(e),
        };
    }
    if pfd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        return Err(std::io::Error::other("the terminal hung up"));
    }
    Ok(())
}
