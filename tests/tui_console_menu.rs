//! The TUI's `c` menu and `C`: with a browser configured for the account, `c` asks how to
//! open the console (there, the default browser, or copy the link); `C` repeats the last
//! choice without asking. Without one, `c` opens as before. No terminal, no AWS.
#![allow(clippy::unwrap_used)]

mod support;

use orgnav::tui::action::{Action, Effect, Loaded, Purpose};
use orgnav::tui::console_menu::{ConsoleHow, ConsoleKind};
use orgnav::tui::state::{Modal, State};
use orgnav::tui::update::update;
use support::tui::*;

/// The shared state with `[console]` configured: Firefox profile `work` for everything, a
/// container for Workloads/Prod accounts.
fn configured() -> State {
    let mut s = state();
    let text = "[console]\nbrowser = \"firefox -P work {url}\"\n\
                [[console.rules]]\nou = \"Workloads/Prod/**\"\ncontainer = \"{account_name}\"\n";
    s.console.config = orgnav::config::Config::parse(text, std::path::Path::new("/c.toml"))
        .unwrap()
        .console;
    s
}

/// The effects once the entry in flight got credentials.
fn assumed_now(s: &mut State, id: &str, name: &str) -> Vec<Effect> {
    let request = s.entry.as_ref().expect("an entry in flight").request;
    update(
        s,
        Action::Loaded(Loaded::Assumed {
            request,
            assumed: Box::new(assumed(id, name)),
        }),
    )
}

/// `c` on the selected account, then the menu item whose key is `key`, by moving to it.
fn choose_in_menu(s: &mut State, key: char) {
    update(s, Action::Enter(Purpose::Console));
    loop {
        match &s.modal {
            Some(Modal::ConsoleMenu {
                items, selected, ..
            }) if items[*selected].key == key => break,
            Some(Modal::ConsoleMenu { items, .. }) => {
                assert!(items.iter().any(|i| i.key == key), "no item {key:?}");
                update(s, Action::MoveDown);
            }
            other => panic!("no console menu: {other:?}"),
        }
    }
    update(s, Action::ModalConfirm);
}

fn how(effects: &[Effect]) -> ConsoleHow {
    match effects {
        [
            Effect::RecordHistory { .. },
            Effect::OpenConsole { how, .. },
        ] => how.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn without_a_configured_browser_c_opens_at_once() {
    let mut s = state();
    select(&mut s, "payments-dev");
    update(&mut s, Action::Enter(Purpose::Console));
    assert!(
        matches!(s.modal, Some(Modal::PickRole { .. })),
        "{:?}",
        s.modal
    );
    update(&mut s, Action::ModalConfirm);
    let how = how(&assumed_now(&mut s, PAYMENTS_DEV, "payments-dev"));
    assert_eq!(how, ConsoleHow::Open(Default::default()));
}

#[test]
fn c_shows_the_menu_and_open_uses_the_configured_browser() {
    let mut s = configured();
    select(&mut s, "payments-dev");
    assert!(update(&mut s, Action::Enter(Purpose::Console)).is_empty());
    let Some(Modal::ConsoleMenu { items, .. }) = &s.modal else {
        panic!("{:?}", s.modal)
    };
    assert_eq!(
        items.iter().map(|i| i.key).collect::<String>(),
        "ody",
        "{items:?}"
    );
    insta::assert_snapshot!("console_menu", draw(&s));
    update(&mut s, Action::ModalInput('o'));
    assert!(
        matches!(s.modal, Some(Modal::PickRole { .. })),
        "{:?}",
        s.modal
    );
    update(&mut s, Action::ModalConfirm);
    let ConsoleHow::Open(choice) = how(&assumed_now(&mut s, PAYMENTS_DEV, "payments-dev")) else {
        panic!()
    };
    assert_eq!(
        choice.command.unwrap().argv("U"),
        ["firefox", "-P", "work", "U"]
    );
    assert_eq!(choice.container, None);
    assert_eq!(s.console.last, ConsoleKind::Configured);
}

#[test]
fn production_accounts_open_in_a_red_container() {
    let mut s = configured();
    select(&mut s, "payments-prod");
    update(&mut s, Action::Enter(Purpose::Console));
    update(&mut s, Action::ModalConfirm); // the menu: "open in container payments-prod"
    while let Some(Modal::PickRole { .. }) = s.modal {
        update(&mut s, Action::ModalConfirm);
    }
    update(&mut s, Action::ModalInput('y')); // the production confirmation
    let ConsoleHow::Open(choice) = how(&assumed_now(&mut s, PAYMENTS_PROD, "payments-prod")) else {
        panic!()
    };
    let container = choice.container.unwrap();
    assert_eq!(
        (container.name.as_str(), container.color),
        ("payments-prod", "red")
    );
}

#[test]
fn copy_link_copies_without_a_browser_and_capital_c_repeats_it() {
    let mut s = configured();
    select(&mut s, "payments-dev");
    choose_in_menu(&mut s, 'y'); // "copy the sign-in link"
    update(&mut s, Action::ModalConfirm); // the role picker
    assert_eq!(
        how(&assumed_now(&mut s, PAYMENTS_DEV, "payments-dev")),
        ConsoleHow::CopyLink
    );
    let request = s.entry.as_ref().unwrap().request;
    let link = secrecy::SecretString::from("https://signin.example/federation?SigninToken=T");
    let effects = update(
        &mut s,
        Action::Loaded(Loaded::ConsoleStuck {
            request,
            link: link.into(),
            why: "copy requested".into(),
        }),
    );
    assert!(
        matches!(effects.as_slice(), [Effect::CopySecret(_)]),
        "{effects:?}"
    );
    assert!(s.modal.is_none() && s.entry.is_none());
    assert!(s.status.notice.as_deref().unwrap().contains("clipboard"));

    // `C`: the same way again, no menu.
    update(&mut s, Action::ConsoleLast);
    assert!(
        matches!(s.modal, Some(Modal::PickRole { .. })),
        "{:?}",
        s.modal
    );
    update(&mut s, Action::ModalConfirm);
    assert_eq!(
        how(&assumed_now(&mut s, PAYMENTS_DEV, "payments-dev")),
        ConsoleHow::CopyLink
    );

    // The menu again: copying is never preselected, so Enter there cannot copy the link.
    s.entry = None;
    update(&mut s, Action::Enter(Purpose::Console));
    match &s.modal {
        Some(Modal::ConsoleMenu {
            items, selected, ..
        }) => assert_eq!(items[*selected].key, 'o'),
        other => panic!("{other:?}"),
    }
}

#[test]
fn d_opens_the_default_browser_and_esc_closes_the_menu() {
    let mut s = configured();
    select(&mut s, "payments-dev");
    update(&mut s, Action::Enter(Purpose::Console));
    update(&mut s, Action::ModalCancel);
    assert!(s.modal.is_none() && s.entry.is_none());
    update(&mut s, Action::Enter(Purpose::Console));
    update(&mut s, Action::ModalInput('d'));
    update(&mut s, Action::ModalConfirm);
    let how = how(&assumed_now(&mut s, PAYMENTS_DEV, "payments-dev"));
    assert_eq!(how, ConsoleHow::Open(Default::default()));
    assert_eq!(s.console.last, ConsoleKind::DefaultBrowser);
}

/// `console.via = "portal"`: an Identity Center role opens the portal's shortcut link with
/// no credentials asked for; any other role still assumes.
#[test]
fn via_portal_opens_the_shortcut_link_without_credentials() {
    let mut s = configured();
    s.console.config.via = orgnav::config::ConsoleVia::Portal;
    s.console.portal_start_url = Some("https://d-1.awsapps.com/start".into());
    select(&mut s, "sandbox-alice");
    update(&mut s, Action::Enter(Purpose::Console));
    update(&mut s, Action::ModalInput('o')); // the menu
    let Some(Modal::PickRole { options, .. }) = &s.modal else {
        panic!("{:?}", s.modal)
    };
    assert_eq!(options[0].name, "AdministratorAccess", "{options:?}");
    let effects = update(&mut s, Action::ModalConfirm);
    let [
        Effect::RecordHistory { role, .. },
        Effect::OpenPortal { url, choice },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(role, "AdministratorAccess");
    assert_eq!(
        url,
        "https://d-1.awsapps.com/start/#/console?account_id=626594012825\
         &role_name=AdministratorAccess\
         &destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fconsole%2Fhome%3Fregion%3Deu-west-1"
    );
    assert_eq!(choice.command.as_ref().unwrap().argv("U")[0], "firefox");
    assert!(s.entry.is_none(), "no credentials are asked for");

    // Copy from the menu: the link (no secret) to the clipboard.
    update(&mut s, Action::Enter(Purpose::Console));
    update(&mut s, Action::ModalInput('y'));
    let effects = update(&mut s, Action::ModalConfirm);
    assert!(
        matches!(effects.as_slice(), [Effect::RecordHistory { .. }, Effect::CopyToClipboard(u)] if u == url),
        "{effects:?}"
    );
}

/// A way chosen in the menu belongs to that entry: cancelled, it must not reach the next
/// console entry made another way (the Quotas tab's `c`), which would copy a sign-in link the
/// user asked to open.
#[test]
fn a_cancelled_choice_does_not_reach_the_next_entry() {
    let mut s = configured();
    select(&mut s, "payments-dev");
    choose_in_menu(&mut s, 'y'); // "copy the sign-in link"
    assert!(matches!(s.modal, Some(Modal::PickRole { .. })));
    update(&mut s, Action::ModalCancel);
    s.quotas.tab = orgnav::tui::quota_state::DetailsTab::Quotas;
    update(&mut s, Action::Enter(Purpose::Console));
    update(&mut s, Action::ModalConfirm); // the role picker
    let ConsoleHow::Open(_) = how(&assumed_now(&mut s, PAYMENTS_DEV, "payments-dev")) else {
        panic!("the cancelled copy choice reached this entry")
    };
}
