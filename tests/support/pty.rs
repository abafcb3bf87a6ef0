//! A bare pseudo-terminal for tests that must do what expectrl cannot: close the terminal's
//! master under a running program, or run it with or without a controlling terminal (the
//! kernel sends SIGHUP on hang-up only to a session's controlling process).
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub struct Pty {
    master: Option<std::fs::File>,
    /// The terminal side, kept open here only to read its settings (raw or cooked).
    slave: OwnedFd,
    pub child: Child,
    /// Everything the program wrote, and how much of it `expect` has consumed.
    seen: Vec<u8>,
    consumed: usize,
}

impl Pty {
    /// Starts `cmd` as a session leader on a fresh 100x30 terminal; with `controlling`, the
    /// terminal becomes its controlling terminal (so a hang-up sends it SIGHUP).
    pub fn spawn(cmd: Command, controlling: bool) -> Self {
        Self::spawn_reading(cmd, controlling, None)
    }

    /// As `spawn`, with stdin from `input` instead of this terminal when given.
    pub fn spawn_reading(cmd: Command, controlling: bool, input: Option<Stdio>) -> Self {
        Self::spawn_sized(cmd, controlling, input, (100, 30))
    }

    /// As `spawn_reading`, on a terminal of `(columns, rows)` (0×0: one that does not know its
    /// size, as some serial consoles and CI runners).
    pub fn spawn_sized(
        mut cmd: Command,
        controlling: bool,
        input: Option<Stdio>,
        (columns, rows): (u16, u16),
    ) -> Self {
        let (mut m, mut s) = (0, 0);
        let size = libc::winsize {
            ws_row: rows,
            ws_col: columns,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: out-pointers to two ints; null name and termios are allowed.
        let rc = unsafe {
            libc::openpty(
                &mut m,
                &mut s,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: openpty returned two fresh descriptors that nothing else owns.
        let (master, slave) = unsafe { (OwnedFd::from_raw_fd(m), OwnedFd::from_raw_fd(s)) };
        // The child must not inherit the master, or closing ours would not hang up.
        // SAFETY: plain fcntl on a descriptor we own.
        unsafe { libc::fcntl(master.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
        cmd.stdin(input.unwrap_or_else(|| Stdio::from(slave.try_clone().unwrap())))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave.try_clone().unwrap()));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                if libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                if controlling && libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().unwrap();
        drop(cmd);
        Self {
            master: Some(std::fs::File::from(master)),
            slave,
            child,
            seen: Vec::new(),
            consumed: 0,
        }
    }

    /// Reads what arrives within `wait`; true if something did.
    fn pump(&mut self, wait: Duration) -> bool {
        let Some(master) = self.master.as_mut() else {
            std::thread::sleep(wait);
            return false;
        };
        let mut fds = libc::pollfd {
            fd: master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = wait.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd.
        let n = unsafe { libc::poll(&mut fds, 1, ms) };
        if n <= 0 {
            return false;
        }
        let mut buf = [0u8; 4096];
        match master.read(&mut buf) {
            Ok(0) | Err(_) => {
                // Nobody holds the terminal any more: no data will come.
                std::thread::sleep(Duration::from_millis(10));
                false
            }
            Ok(n) => {
                self.seen.extend_from_slice(&buf[..n]);
                true
            }
        }
    }

    /// Waits (up to `PTY_TIMEOUT`) for `needle` in the output not yet consumed; returns the
    /// text before it and consumes through it.
    pub fn expect(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let rest = &self.seen[self.consumed..];
            if let Some(at) = find(rest, needle.as_bytes()) {
                let before = String::from_utf8_lossy(&rest[..at]).into_owned();
                self.consumed += at + needle.len();
                return before;
            }
            assert!(
                Instant::now() < deadline,
                "{needle:?} not seen; output so far: {:?}",
                String::from_utf8_lossy(&self.seen[self.consumed..])
            );
            self.pump(Duration::from_millis(50));
        }
    }

    /// Reads until the program has been silent for a while (e.g. a frame is complete), so a
    /// hang-up does not land in the middle of a write.
    pub fn settle(&mut self) {
        while self.pump(Duration::from_millis(300)) {}
    }

    pub fn send(&mut self, text: &str) {
        let master = self.master.as_mut().expect("terminal still open");
        master.write_all(text.as_bytes()).unwrap();
    }

    /// Closes the terminal, as a closed window or a dropped SSH connection does.
    pub fn hang_up(&mut self) {
        self.master = None;
    }

    pub fn signal(&self, signal: i32) {
        // SAFETY: signals only the child this harness started.
        let rc = unsafe { libc::kill(self.child.id() as i32, signal) };
        assert_eq!(rc, 0, "kill: {}", std::io::Error::last_os_error());
    }

    /// Another handle on the terminal side, e.g. as a second program's stdin.
    pub fn terminal(&self) -> Stdio {
        Stdio::from(self.slave.try_clone().unwrap())
    }

    /// Whether the terminal is in raw mode (no line editing, no signal keys).
    pub fn is_raw(&self) -> bool {
        // SAFETY: tcgetattr fills a zeroed termios for a descriptor we own.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::tcgetattr(self.slave.as_raw_fd(), &mut t) };
        assert_eq!(rc, 0, "tcgetattr: {}", std::io::Error::last_os_error());
        t.c_lflag & (libc::ICANON | libc::ISIG) == 0
    }

    /// Puts the terminal back in cooked mode, as a shell does when a job stops.
    pub fn make_cooked(&self) {
        // SAFETY: as in `is_raw`, then tcsetattr with the edited settings.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        unsafe { libc::tcgetattr(self.slave.as_raw_fd(), &mut t) };
        t.c_lflag |= libc::ICANON | libc::ISIG | libc::ECHO;
        let rc = unsafe { libc::tcsetattr(self.slave.as_raw_fd(), libc::TCSANOW, &t) };
        assert_eq!(rc, 0, "tcsetattr: {}", std::io::Error::last_os_error());
    }

    /// Waits up to `bound` for the program to end, reading its output meanwhile; `None` if it
    /// is still running (then it is killed, so a failing test leaves no orphan behind).
    pub fn wait_exit(&mut self, bound: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + bound;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.drain_to_end();
                return Some(status);
            }
            self.pump(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        None
    }

    /// Reads until a marker written through the terminal side now has come out: the kernel
    /// hands output over asynchronously, and what the program wrote before it ended comes
    /// out ahead of the marker.
    fn drain_to_end(&mut self) {
        const END: &[u8] = b"\x01PTY-END\x01";
        let from = self.seen.len();
        let mut terminal = std::fs::File::from(self.slave.try_clone().unwrap());
        if terminal.write_all(END).is_err() {
            while self.pump(Duration::from_millis(20)) {}
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while find(&self.seen[from..], END).is_none() && Instant::now() < deadline {
            self.pump(Duration::from_millis(50));
        }
        if let Some(at) = find(&self.seen[from..], END) {
            self.seen.drain(from + at..from + at + END.len());
        }
    }

    /// Output not yet consumed by `expect`.
    pub fn rest(&self) -> String {
        String::from_utf8_lossy(&self.seen[self.consumed..]).into_owned()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
