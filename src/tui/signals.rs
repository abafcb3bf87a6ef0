//! The signals the navigator answers while it owns the terminal. Every one that ends it does so
//! through the event loop, which restores the terminal; a watchdog ends the process anyway if
//! the loop cannot get there (so SIGTERM always works).

use std::time::Duration;

use tokio::signal::unix::{Signal as Stream, SignalKind, signal};

/// How long the event loop gets to quit by itself after an ending signal.
const GRACE: Duration = Duration::from_secs(2);

pub enum Signal {
    /// SIGTERM, SIGHUP or SIGQUIT (the number): restore the terminal and end.
    End(i32),
    /// An external SIGTSTP (`kill -TSTP`): give the terminal back and stop, as Ctrl-Z does.
    Stop,
    /// SIGCONT: continued after any stop (even SIGSTOP); take the terminal back.
    Continue,
}

pub struct Signals {
    term: Stream,
    hup: Stream,
    quit: Stream,
    int: Stream,
    tstp: Stream,
    cont: Stream,
}

impl Signals {
    pub fn install() -> std::io::Result<Self> {
        Ok(Self {
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
            quit: signal(SignalKind::quit())?,
            // Handled (and ignored), so a Ctrl-C inside a subshell reaches the shell, not
            // orgnav; in raw mode Ctrl-C arrives as a key instead.
            int: signal(SignalKind::interrupt())?,
            tstp: signal(SignalKind::from_raw(libc::SIGTSTP))?,
            cont: signal(SignalKind::from_raw(libc::SIGCONT))?,
        })
    }

    /// The next signal that needs the event loop (SIGINT never does).
    pub async fn recv(&mut self) -> Signal {
        loop {
            let signal = tokio::select! {
                _ = self.term.recv() => Signal::End(libc::SIGTERM),
                _ = self.hup.recv() => Signal::End(libc::SIGHUP),
                _ = self.quit.recv() => Signal::End(libc::SIGQUIT),
                _ = self.tstp.recv() => Signal::Stop,
                _ = self.cont.recv() => Signal::Continue,
                _ = self.int.recv() => continue,
            };
            return signal;
        }
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
