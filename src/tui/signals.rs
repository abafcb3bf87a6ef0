//! The signals the navigator answers while it runs. A listener task receives them even while
//! the event loop is busy (a subshell owns the terminal, or the loop is stuck): an ending signal
//! hangs up the subshell, so the loop gets back and restores the terminal, and arms a watchdog
//! that ends the process anyway if the loop cannot get there — SIGTERM always works.

use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use tokio::signal::unix::{Signal as Stream, SignalKind, signal};
use tokio::sync::mpsc;

/// How long the event loop gets to quit by itself after an ending signal.
const GRACE: Duration = Duration::from_secs(2);

/// The subshell running in the terminal, if any (0: none).
static CHILD: AtomicI32 = AtomicI32::new(0);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGTERM, SIGHUP or SIGQUIT (the number): restore the terminal and end.
    End(i32),
    /// An external SIGTSTP (`kill -TSTP`): give the terminal back and stop, as Ctrl-Z does.
    Stop,
    /// SIGCONT: continued after any stop (even SIGSTOP); take the terminal back.
    Continue,
}

pub struct Signals {
    rx: mpsc::UnboundedReceiver<Signal>,
    /// An ending signal found while discarding job control (see `forget_job_control`).
    pending_end: Option<i32>,
}

impl Signals {
    pub fn install() -> std::io::Result<Self> {
        let streams = Streams {
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
            quit: signal(SignalKind::quit())?,
            // Handled (and ignored), so a Ctrl-C inside a subshell reaches the shell, not
            // orgnav; in raw mode Ctrl-C arrives as a key instead.
            int: signal(SignalKind::interrupt())?,
            tstp: signal(SignalKind::from_raw(libc::SIGTSTP))?,
            cont: signal(SignalKind::from_raw(libc::SIGCONT))?,
        };
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(listen(streams, tx));
        Ok(Self {
            rx,
            pending_end: None,
        })
    }

    /// The next signal for the event loop.
    pub async fn recv(&mut self) -> Signal {
        if let Some(signo) = self.pending_end.take() {
            return Signal::End(signo);
        }
        match self.rx.recv().await {
            Some(signal) => signal,
            None => std::future::pending().await,
        }
    }

    /// Drops the stops and continues that came while a child had the terminal: Ctrl-Z in the
    /// subshell signals orgnav's process group too, and must not stop orgnav once the shell
    /// is done. An ending signal is kept for `recv`.
    pub fn forget_job_control(&mut self) {
        while let Ok(signal) = self.rx.try_recv() {
            if let Signal::End(signo) = signal {
                self.pending_end.get_or_insert(signo);
            }
        }
    }
}

struct Streams {
    term: Stream,
    hup: Stream,
    quit: Stream,
    int: Stream,
    tstp: Stream,
    cont: Stream,
}

async fn listen(mut s: Streams, tx: mpsc::UnboundedSender<Signal>) {
    loop {
        let signal = tokio::select! {
            _ = s.term.recv() => Signal::End(libc::SIGTERM),
            _ = s.hup.recv() => Signal::End(libc::SIGHUP),
            _ = s.quit.recv() => Signal::End(libc::SIGQUIT),
            _ = s.tstp.recv() => Signal::Stop,
            _ = s.cont.recv() => Signal::Continue,
            _ = s.int.recv() => continue,
        };
        if let Signal::End(signo) = signal {
            hang_up_child();
            arm_watchdog(signo);
        }
        if tx.send(signal).is_err() {
            return;
        }
    }
}

/// Marks `pid` as the subshell in the terminal until the returned guard is dropped.
pub fn child_in_terminal(pid: Option<u32>) -> ChildInTerminal {
    let pid = pid.and_then(|p| i32::try_from(p).ok()).unwrap_or(0);
    CHILD.store(pid, Ordering::SeqCst);
    ChildInTerminal
}

pub struct ChildInTerminal;

impl Drop for ChildInTerminal {
    fn drop(&mut self) {
        CHILD.store(0, Ordering::SeqCst);
    }
}

/// Ends the subshell as a closed terminal would (interactive shells ignore SIGTERM).
fn hang_up_child() {
    let pid = CHILD.load(Ordering::SeqCst);
    if pid > 0 {
        // SAFETY: signals only the child orgnav started and still waits for.
        unsafe { libc::kill(pid, libc::SIGHUP) };
    }
}

/// Ends the process `GRACE` after an ending signal unless the event loop has ended it first,
/// restoring the terminal without locks the stuck loop might hold.
pub fn arm_watchdog(signo: i32) {
    std::thread::spawn(move || {
        std::thread::sleep(GRACE);
        let _ = crossterm::terminal::disable_raw_mode();
        let seq = b"\x1b[?1049l\x1b[?25h";
        // SAFETY: a plain write of a static buffer to stdout's descriptor, bypassing the
        // `Stdout` lock the stuck loop may hold.
        unsafe { libc::write(libc::STDOUT_FILENO, seq.as_ptr().cast(), seq.len()) };
        std::process::exit(128 + signo);
    });
}

/// Stops this process as SIGTSTP's default action would (job control), and returns once it is
/// continued. The tokio handler that catches an external SIGTSTP is set aside meanwhile; in an
/// orphaned process group the kernel discards the signal and this returns at once.
pub fn stop_self() {
    // SAFETY: sigaction with a zeroed (SIG_DFL, empty mask) action, saving and then
    // reinstating the previous one; raise signals only this process.
    unsafe {
        let default: libc::sigaction = std::mem::zeroed();
        let mut previous: libc::sigaction = std::mem::zeroed();
        libc::sigaction(libc::SIGTSTP, &default, &mut previous);
        libc::raise(libc::SIGTSTP);
        libc::sigaction(libc::SIGTSTP, &previous, std::ptr::null_mut());
    }
}

/// What a signal is called, for the line orgnav leaves behind.
pub fn name(signo: i32) -> &'static str {
    match signo {
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        libc::SIGQUIT => "SIGQUIT",
        _ => "a signal",
    }
}
