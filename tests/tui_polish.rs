//! Rough edges of the TUI found by trying it as a new user (issue 11's polish list): scrolling
//! that leaves the viewport half empty, the Quotas tab's region, markers that survive
//! `NO_COLOR`, IDs that are never cut, the clipboard, and the console without a browser.
#![allow(clippy::unwrap_used)]

mod support;

use orgnav::tui::action::{Action, Effect, Loaded};
use orgnav::tui::layout::tree_rows;
use orgnav::tui::quota_state::QuotaView;
use orgnav::tui::state::State;
use orgnav::tui::update::update;
use support::tui::*;

fn resize(s: &mut State, width: u16, height: u16) {
    update(s, Action::Resize { width, height });
}

/// The tree's window shows the selection and has no blank rows while rows remain above it.
fn assert_viewport_full(s: &State) {
    let org = s.org.as_ref().unwrap();
    let rows = tree_rows(s.width, s.height);
    let total = org.tree.rows().len();
    let selected = org.tree.selected();
    assert!(
        (org.offset..org.offset + rows).contains(&selected),
        "selection {selected} outside the window {}+{rows}",
        org.offset
    );
    assert!(
        org.offset <= total.saturating_sub(rows),
        "offset {} leaves blank rows: {total} rows, {rows} fit",
        org.offset
    );
}

#[test]
fn a_search_jump_keeps_the_viewport_full() {
    // The demo tree is short: every height up to 160×45 holds it whole or nearly.
    for height in 8..=45 {
        let mut s = state();
        resize(&mut s, 160, height);
        select(&mut s, "payments-prod");
        assert_viewport_full(&s);
    }
    let mut s = state();
    resize(&mut s, 160, 45);
    select(&mut s, "payments-prod");
    let screen = draw(&s);
    assert!(screen.contains("Root"), "{screen}");
}

#[test]
fn a_resize_refills_the_viewport() {
    let mut s = state();
    resize(&mut s, 100, 12);
    select(&mut s, "payments-prod");
    update(&mut s, Action::Bottom);
    assert!(
        s.org.as_ref().unwrap().offset > 0,
        "the small window scrolled"
    );
    resize(&mut s, 250, 70);
    assert_viewport_full(&s);
    resize(&mut s, 100, 12);
    assert_viewport_full(&s);
}

fn fetched_regions(effects: &[Effect]) -> Vec<String> {
    match effects {
        [Effect::FetchQuotas { query, .. }] => query.regions.clone(),
        other => panic!("expected one FetchQuotas, got {other:?}"),
    }
}

/// The region came from the AWS profile (not `--region`): the TUI started with the fallback
/// and learned the session's region when the SDK resolved it.
#[test]
fn the_quotas_tab_reads_the_session_region_once_it_is_known() {
    let mut s = state();
    s.quotas = QuotaView::new(Default::default(), "us-east-1");
    update(&mut s, Action::Loaded(Loaded::Region("eu-west-1".into())));
    select(&mut s, "payments-dev");
    let effects = update(&mut s, Action::ToggleDetailsTab);
    assert_eq!(fetched_regions(&effects), ["eu-west-1"]);
}

#[test]
fn a_region_the_user_chose_stays_chosen_when_the_session_region_arrives() {
    let mut s = state();
    let config = orgnav::config::QuotasConfig {
        regions: vec!["ap-south-1".into()],
        ..Default::default()
    };
    s.quotas = QuotaView::new(config, "us-east-1");
    update(&mut s, Action::CycleQuotaRegion);
    assert_eq!(s.quotas.current_region(), "ap-south-1");
    update(&mut s, Action::Loaded(Loaded::Region("eu-west-1".into())));
    assert_eq!(s.quotas.current_region(), "ap-south-1");
    assert_eq!(s.quotas.regions[0], "eu-west-1");
}

fn press(s: &mut State, key: char) -> Vec<Effect> {
    let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(key));
    let action = orgnav::tui::keymap::map_key(s, key).expect("the key is bound");
    update(s, action)
}

/// OSC 52 is never answered: the status bar says where the text went, not that it arrived.
#[test]
fn y_sends_the_id_and_capital_y_the_name_to_the_terminal() {
    let mut s = state();
    select(&mut s, "payments-dev");
    let effects = press(&mut s, 'y');
    assert_eq!(effects, [Effect::CopyToClipboard(PAYMENTS_DEV.into())]);
    let notice = s.status.notice.clone().unwrap();
    assert!(
        notice.contains("sent") && notice.contains("terminal") && !notice.contains("copied"),
        "{notice}"
    );
    let effects = press(&mut s, 'Y');
    assert_eq!(effects, [Effect::CopyToClipboard("payments-dev".into())]);
    assert!(s.status.notice.clone().unwrap().contains("payments-dev"));
}

/// The tree pane's part of each screen line (the details pane is to its right).
fn tree_pane(s: &State) -> Vec<String> {
    let width = usize::from(orgnav::tui::layout::areas(s.width, s.height).list.width);
    draw(s)
        .lines()
        .map(|l| l.trim_matches('"').chars().take(width).collect())
        .collect()
}

fn no_color_state(width: u16, height: u16) -> State {
    let mut s = state();
    s.status.no_color = true;
    resize(&mut s, width, height);
    select(&mut s, "payments-prod");
    s
}

#[test]
fn without_colour_the_selection_and_production_keep_their_markers() {
    let s = no_color_state(110, 32);
    let pane = tree_pane(&s);
    let selected = pane.iter().find(|l| l.contains("▶")).expect("a ▶ row");
    assert!(selected.contains("payments-prod"), "{selected}");
    assert_eq!(pane.iter().filter(|l| l.contains("▶")).count(), 1);
    let prod_rows: Vec<_> = pane.iter().filter(|l| l.contains("PROD")).collect();
    assert!(
        prod_rows.iter().any(|l| l.contains("payments-prod"))
            && !pane
                .iter()
                .any(|l| l.contains("payments-dev") && l.contains("PROD")),
        "{pane:#?}"
    );
    insta::assert_snapshot!("no_color_tree", draw(&s));
}

/// Every run of digits drawn in the tree is a whole account ID of the organization: a cut ID
/// (`1230054`) would look like another account's.
fn assert_no_cut_ids(s: &State) {
    let org = s.org.as_ref().unwrap();
    for line in tree_pane(s) {
        for run in line
            .split(|c: char| !c.is_ascii_digit())
            .filter(|r| r.len() >= 4)
        {
            assert!(
                org.h.account_index(run).is_some(),
                "{run} is not an account ID at width {}: {line}",
                s.width
            );
        }
    }
}

#[test]
fn narrow_trees_shorten_names_and_never_cut_ids() {
    for width in 20..=70 {
        let s = no_color_state(width, 30);
        assert_no_cut_ids(&s);
    }
    // At 40 columns names are shortened (…) and the IDs still fit.
    let s = no_color_state(40, 30);
    let pane = tree_pane(&s);
    assert!(pane.iter().any(|l| l.contains(PAYMENTS_PROD)), "{pane:#?}");
    insta::assert_snapshot!("narrow_tree_40", draw(&s));
}

#[test]
fn wide_trees_show_emails() {
    for (width, height) in [(160, 45), (200, 50)] {
        let s = no_color_state(width, height);
        let pane = tree_pane(&s);
        let row = pane
            .iter()
            .find(|l| l.contains(PAYMENTS_PROD))
            .unwrap_or_else(|| panic!("{pane:#?}"));
        assert!(row.contains("aws+payments-prod@example.com"), "{row}");
        insta::assert_snapshot!(format!("wide_tree_{width}x{height}"), draw(&s));
    }
}

#[test]
fn very_wide_trees_show_tags_too() {
    let s = no_color_state(250, 50);
    let pane = tree_pane(&s);
    let row = pane.iter().find(|l| l.contains(PAYMENTS_PROD)).unwrap();
    assert!(
        row.contains("aws+payments-prod@example.com") && row.contains("Compliance=PCI-DSS"),
        "{row}"
    );
}

const SIGN_IN: &str =
    "https://signin.aws.amazon.com/federation?Action=login&SigninToken=SECRET-TOKEN";

fn link() -> orgnav::tui::clipboard::SignInLink {
    orgnav::tui::clipboard::SignInLink::new(SIGN_IN.to_string())
}

/// Credentials for payments-dev arrived and the console hand-off started: its request id.
fn console_opening(s: &mut State) -> u64 {
    use orgnav::tui::action::Purpose;
    select(s, "payments-dev");
    update(s, Action::Enter(Purpose::Console));
    let request = request_of(&update(s, Action::ModalConfirm));
    let effects = answer(s, request, PAYMENTS_DEV, "payments-dev");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::OpenConsole { .. })),
        "{effects:?}"
    );
    request
}

fn stuck(s: &mut State, request: u64) {
    update(
        s,
        Action::Loaded(Loaded::ConsoleStuck {
            request,
            link: link(),
            why: "no browser has opened the sign-in link after 5 s".into(),
        }),
    );
}

#[test]
fn a_browser_that_does_not_come_offers_the_link_to_copy() {
    let mut s = state();
    let request = console_opening(&mut s);
    stuck(&mut s, request);
    let screen = draw(&s);
    assert!(
        screen.contains("5 s") && screen.contains("copy the sign-in link"),
        "{screen}"
    );
    assert!(!screen.contains("SECRET-TOKEN") && !screen.contains("signin.aws"));
    // The expiry is shown in local time: the snapshot holds it as HH:MM in every time zone.
    let local = jiff::Timestamp::from_second(1_900_000_000)
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::system())
        .strftime("%H:%M")
        .to_string();
    assert!(screen.contains(&format!("until {local}")), "{screen}");
    let screen = screen.replace(&format!("until {local}"), "until HH:MM");
    insta::assert_snapshot!("console_link_dialog", screen);
    let effects = press(&mut s, 'y');
    // Copied: the hand-off stops too, so a late browser cannot open a second session.
    assert_eq!(
        effects,
        [Effect::StopConsole { request }, Effect::CopySecret(link())]
    );
    assert!(s.modal.is_none() && s.entry.is_none());
    let notice = s.status.notice.clone().unwrap();
    assert!(
        notice.contains("sent") && !notice.contains("SECRET"),
        "{notice}"
    );
    // The link is never in a debug dump either (logs print effects and actions that way).
    assert!(!format!("{effects:?}").contains("SECRET"));
}

#[test]
fn the_dialog_goes_when_the_browser_comes_late_or_the_user_stops_waiting() {
    let mut s = state();
    let request = console_opening(&mut s);
    // An answer for another request changes nothing.
    stuck(&mut s, request + 7);
    assert!(s.modal.is_none());
    stuck(&mut s, request);
    assert!(s.modal.is_some());
    update(
        &mut s,
        Action::Loaded(Loaded::ConsoleOpened {
            request,
            message: "console opened for payments-dev as Developer".into(),
        }),
    );
    assert!(s.modal.is_none() && s.entry.is_none());

    let request = console_opening(&mut s);
    stuck(&mut s, request);
    let effects = update(&mut s, Action::ModalCancel);
    assert!(s.modal.is_none() && s.entry.is_none(), "Esc stops waiting");
    assert_eq!(
        effects,
        [Effect::StopConsole { request }],
        "and the hand-off"
    );
    // Esc while the console is being opened (no dialog yet) stops it as well.
    let request = console_opening(&mut s);
    let effects = update(&mut s, Action::CancelPending);
    assert_eq!(effects, [Effect::StopConsole { request }]);
}

#[test]
fn narrow_search_results_never_cut_ids() {
    for width in 20..=70 {
        let mut s = state();
        resize(&mut s, width, 30);
        update(&mut s, Action::OpenSearch);
        for c in "pay".chars() {
            update(&mut s, Action::SearchInput(c));
        }
        assert_no_cut_ids(&s);
    }
}

#[test]
fn without_colour_the_chosen_role_is_marked() {
    let mut s = state();
    s.status.no_color = true;
    select(&mut s, "payments-dev");
    update(&mut s, Action::Enter(orgnav::tui::action::Purpose::Shell));
    update(&mut s, Action::MoveDown);
    let screen = draw(&s);
    // (The tree's own ▶ marks payments-dev behind the dialog.)
    assert!(
        screen.contains("▶ Developer") && !screen.contains("▶ ReadOnly"),
        "{screen}"
    );
}

/// No browser could be started: the link is offered at once and the failure is reported; the
/// dialog stays until the user has copied the link or closed it.
#[test]
fn a_browser_that_cannot_start_still_leaves_the_link_to_copy() {
    let mut s = state();
    let request = console_opening(&mut s);
    stuck(&mut s, request);
    update(
        &mut s,
        Action::Loaded(Loaded::AccessFailed {
            request,
            message: "cannot start a browser: No such file or directory".into(),
        }),
    );
    assert!(s.entry.is_none());
    let screen = draw(&s);
    assert!(
        screen.contains("Esc  close") && !screen.contains("still waiting"),
        "{screen}"
    );
    assert_eq!(press(&mut s, 'y'), [Effect::CopySecret(link())]);
    assert!(s.modal.is_none());
}
