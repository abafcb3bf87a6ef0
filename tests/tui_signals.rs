//! The navigator and the signals and terminal losses it meets in the wild, in real
//! pseudo-terminals: a closed window or dropped SSH connection (hang-up, with or without
//! SIGHUP), SIGTERM, SIGQUIT, Ctrl-Z, an external SIGTSTP and SIGCONT.
#![allow(clippy::unwrap_used)]

#[path = "support/pty.rs"]
mod pty;
mod support;

use std::os::unix::process::ExitStatusExt;
use std::time::Duration;

use expectrl::session::OsSession;
use expectrl::{Eof, Expect, Session};
use pty::Pty;
use support::Sandbox;

/// Far above the second the issue allows: a loaded test machine must not make this flaky,
/// and an orgnav that lives on is still caught.
const EXIT_BOUND: Duration = Duration::from_secs(10);

fn demo(sandbox: &Sandbox, controlling: bool) -> Pty {
    let mut cmd = sandbox.orgnav(None);
    cmd.arg("--demo");
    let mut tty = Pty::spawn(cmd, controlling);
    tty.expect("Organization");
    tty.settle();
    tty
}

fn ends_after_hang_up(controlling: bool) {
    let sandbox = Sandbox::new();
    let mut tty = demo(&sandbox, controlling);
    tty.hang_up();
    let status = tty
        .wait_exit(EXIT_BOUND)
        .expect("orgnav still ran 10 s after its terminal closed (now killed)");
    // 128 + SIGHUP, as if the hang-up's signal had ended it: not a panic (101).
    assert_eq!(status.code(), Some(129), "{status:?}");
}

#[test]
fn a_closed_terminal_ends_the_tui() {
    // Not the controlling terminal: no SIGHUP comes, only EOF/EIO on reads.
    ends_after_hang_up(false);
}

#[test]
fn a_hung_up_controlling_terminal_ends_the_tui() {
    // The session's controlling terminal: the kernel also sends SIGHUP.
    ends_after_hang_up(true);
}

#[test]
fn a_closed_screen_ends_the_tui_even_when_input_comes_from_elsewhere() {
    let sandbox = Sandbox::new();
    // Keys from a second terminal that stays open: only the screen (stdout) hangs up.
    let mut sleeper = std::process::Command::new("sleep");
    sleeper.arg("30");
    let keys = Pty::spawn(sleeper, false);
    let mut cmd = sandbox.orgnav(None);
    cmd.arg("--demo");
    let mut tty = Pty::spawn_reading(cmd, false, Some(keys.terminal()));
    tty.expect("Organization");
    tty.settle();
    tty.hang_up();
    let status = tty
        .wait_exit(EXIT_BOUND)
        .expect("orgnav still ran 10 s after its screen closed (now killed)");
    assert_eq!(status.code(), Some(129), "{status:?}");
}

#[test]
fn sigterm_ends_a_tui_whose_terminal_is_gone() {
    let sandbox = Sandbox::new();
    let mut tty = demo(&sandbox, false);
    tty.hang_up();
    tty.signal(libc::SIGTERM);
    let status = tty
        .wait_exit(EXIT_BOUND)
        .expect("orgnav ignored SIGTERM (now killed)");
    assert_ne!(status.signal(), Some(libc::SIGKILL), "{status:?}");
}

/// orgnav on a moto organization with a subshell open in payments-dev; the shell's pid.
fn in_a_subshell(sandbox: &Sandbox) -> (Pty, i32) {
    let (moto, _) = support::seeded_org();
    assert_eq!(
        support::run(sandbox.orgnav(Some(moto)).arg("refresh")).code,
        0
    );
    let mut cmd = sandbox.orgnav(Some(moto));
    cmd.env("SHELL", "/bin/sh");
    let mut tty = Pty::spawn(cmd, true);
    tty.expect("Organization");
    tty.send("/");
    tty.send("payments-dev");
    tty.expect("match"); // "1 match" or "N matches"
    // Enter jumps to the account, Enter again opens its shell (keys are handled in order; the
    // details pane is not awaited: ratatui's partial redraws split it in the raw stream).
    tty.send("\r");
    tty.send("\r"); // one role, not production: a shell
    tty.expect("exit the shell to return");
    let shell = support::child_of(tty.child.id());
    // The shell reads input, so orgnav has long had its pid (a signal before that finds none).
    // Its output, not the terminal's echo of the line: "READY" then the line's end (the echo
    // reads READY''), so no typed byte is left over for orgnav to take as a key.
    tty.send("echo READY''\r");
    tty.expect("READY\r\n");
    (tty, shell)
}

#[test]
fn sigterm_during_a_subshell_ends_the_shell_and_orgnav() {
    let sandbox = Sandbox::new();
    let (mut tty, shell) = in_a_subshell(&sandbox);
    // An interactive shell ignores SIGTERM; orgnav must not wait for it to be exited, nor
    // leave it behind in the terminal.
    tty.signal(libc::SIGTERM);
    let status = tty
        .wait_exit(EXIT_BOUND)
        .expect("orgnav waited for its subshell after SIGTERM (now killed)");
    assert_eq!(status.code(), Some(128 + libc::SIGTERM), "{status:?}");
    // Gone, or a zombie waiting for init to reap it (orgnav, its parent, has exited): either
    // way it no longer runs.
    // The shell's hang-up is delivered asynchronously: allow it a few seconds to end.
    let running = || {
        let state = std::fs::read_to_string(format!("/proc/{shell}/stat"));
        state.as_ref().is_ok_and(|stat| {
            let code = stat.rsplit_once(')').map(|(_, rest)| rest.trim_start());
            !code.is_some_and(|c| c.starts_with('Z') || c.starts_with('X'))
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while running() {
        assert!(
            std::time::Instant::now() < deadline,
            "the subshell lives on 5 s after orgnav ended"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_killed_subshell_gives_the_terminal_back_to_orgnav() {
    let sandbox = Sandbox::new();
    let (mut tty, shell) = in_a_subshell(&sandbox);
    // Killed, the job-control shell cannot hand the terminal's foreground back itself.
    // SAFETY: signals only the shell this test's orgnav started.
    assert_eq!(unsafe { libc::kill(shell, libc::SIGKILL) }, 0);
    // The status bar: "shell in payments-dev exited with signal: 9". One word: ratatui skips
    // unchanged cells, so spaces may arrive as cursor moves.
    tty.expect("exited");
    tty.send("q");
    let status = tty.wait_exit(EXIT_BOUND).expect("q ended orgnav");
    assert_eq!(status.code(), Some(0), "{status:?}");
}

/// The signal ends orgnav with the terminal restored: main screen, cursor, cooked mode.
fn ends_restored(signal: i32) {
    let sandbox = Sandbox::new();
    let mut tty = demo(&sandbox, true);
    assert!(tty.is_raw());
    tty.signal(signal);
    let status = tty
        .wait_exit(EXIT_BOUND)
        .expect("orgnav outlived the signal (now killed)");
    let end = tty.rest();
    let left = end
        .rfind("\x1b[?1049l")
        .unwrap_or_else(|| panic!("alternate screen not left: {end:?}"));
    assert!(end[left..].contains("\x1b[?25h"), "cursor hidden: {end:?}");
    assert!(!tty.is_raw(), "terminal left in raw mode");
    assert_eq!(status.code(), Some(128 + signal), "{status:?}");
}

#[test]
fn sigterm_restores_the_terminal() {
    ends_restored(libc::SIGTERM);
}

#[test]
fn sigquit_restores_the_terminal() {
    ends_restored(libc::SIGQUIT);
}

#[test]
fn sigcont_takes_the_terminal_back_in_raw_mode() {
    let sandbox = Sandbox::new();
    let mut tty = demo(&sandbox, true);
    // Stopped behind orgnav's back (SIGSTOP cannot be caught), then the terminal is reset as
    // a shell does for the next job.
    tty.signal(libc::SIGSTOP);
    tty.make_cooked();
    tty.signal(libc::SIGCONT);
    tty.expect("\x1b[?1049h");
    tty.expect("Organization");
    assert!(tty.is_raw(), "raw mode after SIGCONT");
    // Keys work again, one by one (no Enter needed).
    tty.send("/");
    tty.expect("Search");
    // Ctrl-C quits from search too (Esc then q could be read together as Alt-q).
    tty.send("\x03");
    let status = tty.wait_exit(EXIT_BOUND).expect("Ctrl-C ended orgnav");
    assert_eq!(status.code(), Some(0));
}

/// `orgnav --demo` started from an interactive shell with job control, as a user has: Ctrl-Z
/// stops only a job whose process group has a parent shell (the kernel ignores it in an
/// orphaned group).
fn demo_as_a_shell_job(sandbox: &Sandbox) -> OsSession {
    let mut cmd = sandbox.command("sh", None);
    cmd.env("PS1", "$ ").arg("-i");
    let mut p = Session::spawn(cmd).unwrap();
    p.get_process_mut().set_window_size(100, 30).unwrap();
    p.set_expect_timeout(Some(support::PTY_TIMEOUT));
    p.expect("$ ").unwrap();
    p.send(format!("'{}' --demo\r", env!("CARGO_BIN_EXE_orgnav")))
        .unwrap();
    p.expect("Organization").unwrap();
    p
}

/// `q`, then the shell reports orgnav's exit status 0.
fn quit_job(p: &mut OsSession, key: &str) {
    p.send(key).unwrap();
    // Typed on only once orgnav has given the terminal back.
    p.expect("\x1b[?1049l").unwrap();
    p.expect("$ ").unwrap();
    p.send("echo ORGNAV_EXIT=$?\r").unwrap();
    p.expect("ORGNAV_EXIT=0").unwrap();
    p.send("exit\r").unwrap();
    p.expect(Eof).unwrap();
}

#[test]
fn ctrl_z_stops_orgnav_as_a_shell_job_and_fg_brings_it_back() {
    let sandbox = Sandbox::new();
    let mut p = demo_as_a_shell_job(&sandbox);
    p.send("\x1a").unwrap();
    // The alternate screen is left before the process stops; the shell reports the job.
    p.expect("\x1b[?1049l").unwrap();
    p.expect("Stopped").unwrap();
    p.send("fg\r").unwrap();
    p.expect("\x1b[?1049h").unwrap();
    p.expect("Organization").unwrap();
    quit_job(&mut p, "q");
}

#[test]
fn external_sigtstp_gives_the_terminal_back_like_ctrl_z() {
    let sandbox = Sandbox::new();
    let mut p = demo_as_a_shell_job(&sandbox);
    let orgnav = support::child_of(p.get_process().pid().as_raw() as u32);
    // SAFETY: signals only the orgnav this test started.
    assert_eq!(unsafe { libc::kill(orgnav, libc::SIGTSTP) }, 0);
    p.expect("\x1b[?1049l").unwrap();
    p.expect("\x1b[?25h").unwrap();
    p.expect("Stopped").unwrap();
    p.send("fg\r").unwrap();
    p.expect("\x1b[?1049h").unwrap();
    p.expect("Organization").unwrap();
    // Raw mode again: a single key acts at once.
    p.send("/").unwrap();
    p.expect("Search").unwrap();
    // Ctrl-C quits from search too (Esc then q could be read together as Alt-q).
    quit_job(&mut p, "\x03");
}
