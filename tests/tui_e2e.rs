//! End to end in a real pseudo-terminal: `orgnav --demo`, search, jump, quit; afterwards the
//! terminal is back in cooked mode with the main screen and the cursor restored.
#![allow(clippy::unwrap_used)]

mod support;

use expectrl::{Eof, Expect, Session};
use support::Sandbox;

#[test]
fn demo_search_jump_quit_restores_the_terminal() {
    let sandbox = Sandbox::new();
    // `stty -g` before and after must agree: orgnav leaves the terminal exactly as it found it.
    let script = format!(
        "echo BEFORE=$(stty -g); '{}' --demo; echo ORGNAV_EXIT=$?; echo AFTER=$(stty -g); stty -a",
        env!("CARGO_BIN_EXE_orgnav")
    );
    let mut cmd = sandbox.command("sh", None);
    cmd.args(["-c", &script]);
    let mut p = Session::spawn(cmd).unwrap();
    p.get_process_mut().set_window_size(100, 30).unwrap();
    p.set_expect_timeout(Some(support::PTY_TIMEOUT));

    // Up to the line's end: a read can split the line, and a bare `[^\r\n]+` matches half.
    let before_settings = p.expect(expectrl::Regex("BEFORE=([^\r\n]+)\r?\n")).unwrap();
    let before_settings = String::from_utf8_lossy(before_settings.get(1).unwrap()).into_owned();
    let first = p.expect("Organization").unwrap();
    let start = String::from_utf8_lossy(first.before()).into_owned();
    assert!(
        start.contains("\x1b[?1049h"),
        "entered the alternate screen: {start:?}"
    );
    p.send("/").unwrap();
    p.expect("Search").unwrap();
    p.send("identity-prod").unwrap();
    p.expect("match").unwrap(); // "1 match" or "N matches"
    p.send("\r").unwrap();
    // After the jump identity-prod is selected: `y` copies its ID, 543354278056, in an OSC 52
    // sequence (base64) that reaches the terminal whole. (Text on screen may not: ratatui sends
    // only the cells that changed, and its email shares cells with the one shown before.)
    p.send("y").unwrap();
    p.expect("NTQzMzU0Mjc4MDU2").unwrap();
    // Tab shows the account's (demo) quotas; Q sweeps the organization; q goes back.
    p.send("\t").unwrap();
    p.expect("demo data").unwrap();
    p.send("Q").unwrap();
    p.expect("Quota sweep").unwrap();
    p.send("q").unwrap();
    p.expect("Organization").unwrap();
    p.send("q").unwrap();
    let before = p.expect("ORGNAV_EXIT=0").unwrap();
    let end = String::from_utf8_lossy(before.before()).into_owned();
    let left = end.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(
        end[left..].contains("\x1b[?25h"),
        "cursor shown again after leaving: {:?}",
        &end[left..]
    );

    let rest = p.expect(Eof).unwrap();
    // The Eof needle's match holds everything after the previous expectation.
    let rest: String = std::iter::once(rest.before())
        .chain(rest.matches())
        .map(String::from_utf8_lossy)
        .collect();
    let after_settings = rest
        .lines()
        .find_map(|l| l.trim().strip_prefix("AFTER="))
        .expect("stty -g after");
    assert_eq!(
        after_settings.trim(),
        before_settings.trim(),
        "terminal settings restored"
    );
    let flags: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || c == ';')
        .collect();
    assert!(
        flags.contains(&"icanon") && flags.contains(&"isig"),
        "cooked mode: {rest}"
    );
    assert!(!flags.contains(&"-icanon"), "{rest}");
}

/// Config `[keys]` reaches the navigator: F1 opens the help, which lists F1, and the hint line
/// names it.
#[test]
fn a_rebound_help_key_opens_the_help() {
    let sandbox = Sandbox::new();
    sandbox.write_config("[keys]\nhelp = [\"F1\"]\n");
    let mut cmd = sandbox.orgnav(None);
    cmd.arg("--demo");
    let mut p = Session::spawn(cmd).unwrap();
    p.get_process_mut().set_window_size(100, 30).unwrap();
    p.set_expect_timeout(Some(support::PTY_TIMEOUT));
    // The hint line: the key and its label are separate spans (styles, cursor moves between).
    p.expect(expectrl::Regex(r"F1(\x1b\[[0-9;]*[A-Za-z]| )+help"))
        .unwrap();
    p.send("\x1bOP").unwrap(); // F1
    // Single words: ratatui skips unchanged cells, so a space may arrive as a cursor move.
    p.expect("Keys").unwrap();
    // F1 is listed under Everywhere, a page down.
    p.send("\x1b[6~").unwrap(); // PgDn
    p.expect("Everywhere").unwrap();
    p.send("\x1b").unwrap();
    // The tree under the help, redrawn (and a pause, so Esc and q are not read as Alt-q).
    p.expect("r-demo").unwrap();
    p.send("q").unwrap();
    p.expect(Eof).unwrap();
}

#[test]
fn shell_from_the_tui_and_back_at_the_same_place() {
    let (moto, seed) = support::seeded_org();
    let sandbox = Sandbox::new();
    assert_eq!(
        support::run(sandbox.orgnav(Some(moto)).arg("refresh")).code,
        0
    );
    let target = seed.account("payments-dev");
    let script = format!(
        "echo BEFORE=$(stty -g); '{}'; echo ORGNAV_EXIT=$?; echo AFTER=$(stty -g)",
        env!("CARGO_BIN_EXE_orgnav")
    );
    let mut cmd = sandbox.command("sh", Some(moto));
    cmd.env("SHELL", "/bin/sh").args(["-c", &script]);
    let mut p = Session::spawn(cmd).unwrap();
    p.get_process_mut().set_window_size(160, 40).unwrap();
    p.set_expect_timeout(Some(support::PTY_TIMEOUT));
    let before = p.expect(expectrl::Regex("BEFORE=([^\r\n]+)\r?\n")).unwrap();
    let before = String::from_utf8_lossy(before.get(1).unwrap()).into_owned();

    p.expect("Organization").unwrap();
    p.send("/").unwrap();
    p.send("payments-dev").unwrap();
    p.expect("match").unwrap(); // "1 match" or "N matches"
    p.send("\r").unwrap();
    // No wait for the details pane here: ratatui redraws only the cells that changed, so an
    // email drawn over a similar one never reaches the pty whole. Keys are handled in order:
    // the next Enter is on the account the search jumped to.
    p.send("\r").unwrap(); // Enter on the account: one role, not production → a shell
    p.expect("exit the shell to return").unwrap();
    // Ctrl-C belongs to the shell: orgnav (same process group) must survive it. It is sent
    // once the shell has run the line (the quotes keep the echoed command from matching).
    p.send("echo SLEEP''ING; sleep 30\r").unwrap();
    p.expect("SLEEPING").unwrap();
    p.send("\x03").unwrap();
    p.send("echo ACC=$ORGNAV_ACCOUNT_ID ROLE=$ORGNAV_ROLE\r")
        .unwrap();
    p.expect(format!("ACC={} ROLE=OrganizationAccountAccessRole", target.id).as_str())
        .unwrap();
    p.send("exit\r").unwrap();
    // Back in the TUI, on the same account: the full repaint that carries the notice also
    // shows the account's details (drawn before the status bar).
    // Words, not the phrase: ratatui skips cells that did not change, so spaces between the
    // notice's words may arrive as cursor moves.
    let back = p
        .expect(expectrl::Regex(
            r"back(\x1b\[[0-9;]*[A-Za-z]| )+from(\x1b\[[0-9;]*[A-Za-z]| )+payments-dev",
        ))
        .unwrap();
    let repaint = String::from_utf8_lossy(back.before()).into_owned();
    let since_exit = &repaint[repaint
        .rfind("\x1b[?1049h")
        .expect("alternate screen re-entered")..];
    assert!(
        since_exit.contains(&target.email),
        "selection kept: {since_exit:?}"
    );
    // The notice goes on with how long the kept credentials still hold.
    p.expect(expectrl::Regex(
        r"credentials(\x1b\[[0-9;]*[A-Za-z]| )+until(\x1b\[[0-9;]*[A-Za-z]| )+[0-9]{2}:[0-9]{2}",
    ))
    .unwrap();
    p.send("q").unwrap();
    p.expect("ORGNAV_EXIT=0").unwrap();
    let rest = p.expect(Eof).unwrap();
    let rest: String = std::iter::once(rest.before())
        .chain(rest.matches())
        .map(String::from_utf8_lossy)
        .collect();
    let after = rest
        .lines()
        .find_map(|l| l.trim().strip_prefix("AFTER="))
        .expect("stty -g after");
    assert_eq!(after.trim(), before.trim(), "terminal settings restored");
}
