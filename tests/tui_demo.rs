//! The demo's main path in a real pseudo-terminal: a production account with several roles
//! → role picker → production confirmation (→ MFA for the demo's break-glass profile) → a
//! real subshell with the demo session → back in the TUI.
#![allow(clippy::unwrap_used)]

mod support;

use expectrl::session::OsSession;
use expectrl::{Eof, Expect, Session};
use support::Sandbox;
use support::net_trap::NetTrap;

/// `orgnav --demo` (`cmd`, a sandbox's) on the account `name` (found with `/`).
fn on_account(cmd: std::process::Command, name: &str) -> OsSession {
    on_account_sized(cmd, name, 160)
}

/// As `on_account`, on a terminal `columns` wide.
fn on_account_sized(mut cmd: std::process::Command, name: &str, columns: u16) -> OsSession {
    cmd.arg("--demo");
    let mut p = Session::spawn(cmd).unwrap();
    p.get_process_mut().set_window_size(columns, 40).unwrap();
    p.set_expect_timeout(Some(support::PTY_TIMEOUT));
    p.expect("DEMO").unwrap();
    p.send("/").unwrap();
    p.send(name).unwrap();
    p.expect("match").unwrap();
    p.send("\r").unwrap();
    p
}

/// On payments-prod, with /bin/sh as the shell and every network path trapped.
fn on_payments_prod(sandbox: &Sandbox, trap: &NetTrap) -> OsSession {
    let mut cmd = sandbox.orgnav(None);
    cmd.env("SHELL", "/bin/sh");
    trap.apply(&mut cmd);
    on_account(cmd, "payments-prod")
}

/// In the subshell: the demo session is there; `exit` comes back to the TUI; `q` quits.
fn check_subshell_and_return(p: &mut OsSession, role: &str) {
    p.expect("exit the shell to return").unwrap();
    // The quotes keep the echoed command line from matching.
    p.send("echo DEMO''=$ORGNAV_DEMO ROLE''=$ORGNAV_ROLE KEY''=$AWS_ACCESS_KEY_ID\r")
        .unwrap();
    p.expect(format!("DEMO=1 ROLE={role} KEY=ASIADEMO718172762479").as_str())
        .unwrap();
    p.send("exit\r").unwrap();
    // Word by word: ratatui may send a space that did not change as a cursor move.
    p.expect("back").unwrap();
    p.expect("from").unwrap();
    p.expect(format!("({role})").as_str()).unwrap();
    p.send("q").unwrap();
    p.expect(Eof).unwrap();
}

#[test]
fn demo_shell_on_a_production_account_goes_through_picker_and_confirmation() {
    let sandbox = Sandbox::new();
    let trap = NetTrap::start();
    let mut p = on_payments_prod(&sandbox, &trap);
    p.send("s").unwrap();
    // The picker lists the demo's roles with their sources.
    p.expect("PaymentsDeployer").unwrap();
    p.expect("demo-breakglass").unwrap();
    p.send("j").unwrap(); // Admin
    p.send("\r").unwrap();
    p.expect("PRODUCTION").unwrap();
    p.send("y").unwrap();
    check_subshell_and_return(&mut p, "Admin");
    assert_eq!(trap.connections(), 0, "the demo TUI connected somewhere");
}

#[test]
fn the_demo_breakglass_profile_asks_for_an_mfa_code() {
    let sandbox = Sandbox::new();
    let trap = NetTrap::start();
    let mut p = on_payments_prod(&sandbox, &trap);
    p.send("s").unwrap();
    p.expect("demo-breakglass").unwrap();
    p.send("jjj").unwrap(); // BreakGlass, the fourth role
    p.send("\r").unwrap();
    p.expect("PRODUCTION").unwrap();
    p.send("y").unwrap();
    // The MFA dialog, with the demo's hint (single words: see `check_subshell_and_return`).
    p.expect("MFA").unwrap();
    p.expect("demo-user").unwrap();
    p.expect("digits").unwrap();
    p.send("123456\r").unwrap();
    check_subshell_and_return(&mut p, "BreakGlass");
    assert_eq!(trap.connections(), 0, "the demo TUI connected somewhere");
}

#[test]
fn c_on_the_demo_shows_the_demo_address_and_opens_no_browser() {
    let sandbox = Sandbox::new();
    let opened = sandbox.path("browser-was-opened");
    let browser = sandbox.path("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\ntouch '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(
        &browser,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let mut cmd = sandbox.orgnav(None);
    cmd.env("BROWSER", &browser);
    let trap = NetTrap::start();
    trap.apply(&mut cmd);
    let mut p = on_account(cmd, "payments-dev");
    p.send("c").unwrap();
    p.expect("PaymentsDeployer").unwrap();
    p.send("\r").unwrap(); // ReadOnly; not production: no confirmation
    p.expect("demo.orgnav.invalid/console?account=272569912085&role=ReadOnly")
        .unwrap();
    p.send("q").unwrap();
    p.expect(Eof).unwrap();
    assert!(!opened.exists(), "the demo opened a browser");
    assert_eq!(
        trap.connections(),
        0,
        "the demo console connected somewhere"
    );
}

/// In a real terminal: `c` on the Quotas tab goes through the role picker and lands the demo
/// address on the Service Quotas page in the tab's region; still no browser, no network.
#[test]
fn c_on_the_demo_quotas_tab_lands_on_service_quotas() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.orgnav(None);
    cmd.env("BROWSER", "/bin/false");
    let trap = NetTrap::start();
    trap.apply(&mut cmd);
    // Wide enough for the whole demo address in the status bar.
    let mut p = on_account_sized(cmd, "payments-dev", 300);
    p.expect("favourite").unwrap(); // the tree's key hints: the search has closed
    p.send("\t").unwrap();
    p.expect("usage only").unwrap(); // the Quotas tab's key hints
    p.send("c").unwrap();
    p.expect("PaymentsDeployer").unwrap();
    p.send("\r").unwrap();
    p.expect("page=%2Fservicequotas%2Fhome%3Fregion=").unwrap();
    p.send("q").unwrap();
    p.expect(Eof).unwrap();
    assert_eq!(
        trap.connections(),
        0,
        "the demo console connected somewhere"
    );
}
