//! Asking for an MFA code on the terminal without echoing it. The terminal is switched to
//! no-echo, no-signal, byte-at-a-time input for the prompt only, and restored by a guard on
//! every way out (Enter, Ctrl-C, Ctrl-D, a read error, a panic). Ctrl-C arrives as a byte
//! rather than a signal, so orgnav can cancel cleanly instead of dying with echo off.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicI32, AtomicPtr, Ordering};

use super::CliError;

const CTRL_C: u8 = 0x03;
const CTRL_D: u8 = 0x04;
const CTRL_U: u8 = 0x15;
const BACKSPACE: u8 = 0x08;
const DELETE: u8 = 0x7f;

/// Reads an MFA code from the terminal (not from stdin, which may be a pipe).
pub(super) fn prompt_mfa(serial: &str) -> Result<String, CliError> {
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|_| {
            CliError::usage(format!(
                "this role requires an MFA code from {serial}; run orgnav in a terminal"
            ))
        })?;
    // Echo goes off before the prompt shows: a code typed the moment it appears is never echoed.
    let quiet = QuietTerminal::enter(&tty);
    let mut writer = &tty;
    let _ = write!(writer, "MFA code for {serial}: ");
    let _ = writer.flush();
    let code = quiet.and_then(|_quiet| read_hidden(&tty));
    // Enter was not echoed either: end the prompt's line ourselves.
    let _ = write!(writer, "\r\n");
    match code {
        Ok(Some(code)) => Ok(code.trim().to_string()),
        Ok(None) => Err(CliError::runtime("cancelled")),
        Err(e) => Err(CliError::runtime(format!("cannot read the MFA code: {e}"))),
    }
}

/// One line typed on `tty`, already quiet; None when the user cancels (Ctrl-C, Ctrl-D, end of
/// input).
fn read_hidden(tty: &File) -> std::io::Result<Option<String>> {
    let mut line = String::new();
    let mut reader = tty;
    let mut byte = [0u8; 1];
    // One byte per read: whatever is typed after Enter stays for the next program.
    loop {
        match reader.read(&mut byte) {
            Ok(0) => return Ok(None),
            Ok(_) => {}
            // A signal such as a window resize interrupted the read: keep reading.
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        match byte[0] {
            b'\r' | b'\n' => return Ok(Some(line)),
            CTRL_C | CTRL_D => return Ok(None),
            BACKSPACE | DELETE => {
                line.pop();
            }
            CTRL_U => line.clear(),
            b if b.is_ascii_graphic() => line.push(char::from(b)),
            _ => {}
        }
    }
}

/// The terminal without echo, line editing or signal keys; the saved settings come back on drop,
/// and also when SIGTERM, SIGHUP or SIGQUIT end orgnav during the prompt.
struct QuietTerminal {
    fd: i32,
    saved: libc::termios,
    handlers: Vec<(i32, libc::sigaction)>,
}

/// What the signal handler restores: the terminal's descriptor and its saved settings (a
/// leaked copy, read only by the handler; set before the handler is installed).
static RESTORE_FD: AtomicI32 = AtomicI32::new(-1);
static RESTORE_TERMIOS: AtomicPtr<libc::termios> = AtomicPtr::new(std::ptr::null_mut());

const ENDING_SIGNALS: [i32; 3] = [libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

/// Async-signal-safe: restore the terminal, then die of the same signal as without us.
extern "C" fn restore_and_reraise(signal: libc::c_int) {
    let termios = RESTORE_TERMIOS.load(Ordering::SeqCst);
    let fd = RESTORE_FD.load(Ordering::SeqCst);
    // SAFETY: tcsetattr, signal and raise are async-signal-safe; `termios` points to a leaked,
    // never freed copy (or is null).
    unsafe {
        if fd >= 0 && !termios.is_null() {
            libc::tcsetattr(fd, libc::TCSANOW, termios);
        }
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

/// Installs `restore_and_reraise` for the ending signals; returns the previous actions.
fn install_restorer(fd: i32, saved: libc::termios) -> Vec<(i32, libc::sigaction)> {
    let copy = Box::into_raw(Box::new(saved));
    let old = RESTORE_TERMIOS.swap(copy, Ordering::SeqCst);
    if !old.is_null() {
        // SAFETY: `old` came from Box::into_raw below in an earlier prompt; no handler that
        // could read it is installed any more (the previous guard restored the old actions).
        drop(unsafe { Box::from_raw(old) });
    }
    RESTORE_FD.store(fd, Ordering::SeqCst);
    let mut previous = Vec::new();
    for signal in ENDING_SIGNALS {
        // SAFETY: sigaction is plain data; a zeroed one with a handler and an empty mask is
        // valid, and `old` receives the action in place.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = restore_and_reraise as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut action.sa_mask);
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(signal, &action, &mut old) == 0 {
                previous.push((signal, old));
            }
        }
    }
    previous
}

impl QuietTerminal {
    fn enter(tty: &File) -> std::io::Result<Self> {
        let fd = tty.as_raw_fd();
        // SAFETY: termios is plain data; tcgetattr fills it for a valid open descriptor.
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: `fd` is open for the lifetime of `tty`, `saved` is a valid termios.
        if unsafe { libc::tcgetattr(fd, &mut saved) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let mut quiet = saved;
        quiet.c_lflag &= !(libc::ECHO | libc::ECHONL | libc::ICANON | libc::ISIG);
        quiet.c_cc[libc::VMIN] = 1;
        quiet.c_cc[libc::VTIME] = 0;
        // The restorer is in place before echo goes off, so no signal can end orgnav between
        // the two with the terminal left quiet; on failure, drop puts both back.
        let guard = Self {
            fd,
            saved,
            handlers: install_restorer(fd, saved),
        };
        // SAFETY: as above; `quiet` is a copy of the terminal's own settings.
        if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(guard)
    }
}

impl Drop for QuietTerminal {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `enter` on the same, still open, descriptor,
        // then the signal actions that were in place before the prompt.
        unsafe {
            libc::tcsetattr(self.fd, libc::TCSANOW, &self.saved);
            for (signal, old) in &self.handlers {
                libc::sigaction(*signal, old, std::ptr::null_mut());
            }
        }
        RESTORE_FD.store(-1, Ordering::SeqCst);
    }
}
