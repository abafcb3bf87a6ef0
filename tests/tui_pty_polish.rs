//! In a real pseudo-terminal: `NO_COLOR` markers and the clipboard sequence inside tmux, read
//! from what orgnav actually writes to the terminal.
#![allow(clippy::unwrap_used)]

mod support;

use expectrl::{Expect, Session};
use support::Sandbox;

#[test]
fn no_color_markers_and_osc52_through_tmux() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.command(env!("CARGO_BIN_EXE_orgnav"), None);
    cmd.arg("--demo");
    cmd.env("NO_COLOR", "1");
    // As if inside tmux: the clipboard sequence must go through tmux's passthrough.
    cmd.env("TMUX", "/tmp/tmux-1000/default,4242,0");
    let mut p = Session::spawn(cmd).unwrap();
    p.get_process_mut().set_window_size(100, 30).unwrap();
    p.set_expect_timeout(Some(support::PTY_TIMEOUT));
    // The first screen: Root is selected, so it carries the ▶.
    let title = p.expect("Organization").unwrap();
    let mut drawn = String::from_utf8_lossy(title.before()).into_owned();
    let marker = p.expect("▶").unwrap();
    drawn.push_str(&String::from_utf8_lossy(marker.before()));
    // crossterm leaves out every colour under NO_COLOR (38;5 / 48;5: 256-colour fg / bg).
    assert!(
        !drawn.contains("38;5;") && !drawn.contains("48;5;"),
        "{drawn:?}"
    );
    p.send("/").unwrap();
    p.expect("Search").unwrap();
    p.send("payments-prod").unwrap();
    p.expect("match").unwrap();
    p.send("\r").unwrap();
    p.expect("PROD").unwrap();
    p.send("y").unwrap();
    // base64("718172762479"), inside tmux's DCS passthrough with the inner ESC doubled.
    p.expect("\x1bPtmux;\x1b\x1b]52;c;NzE4MTcyNzYyNDc5\x07\x1b\\")
        .unwrap();
    // ratatui skips cells that did not change: a space may arrive as a cursor move.
    p.expect(expectrl::Regex(
        r"sent(\x1b\[[0-9;]*[A-Za-z]| )+718172762479",
    ))
    .unwrap();
    p.send("q").unwrap();
    p.expect(expectrl::Eof).unwrap();
}
