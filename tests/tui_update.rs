//! The TUI state machine without a terminal: search jumps, refresh generations, tags, quitting.
#![allow(clippy::unwrap_used)]

use orgnav::model::Node;
use orgnav::source::demo_snapshot;
use orgnav::tui::action::{Action, Effect, Loaded};
use orgnav::tui::state::{State, Status};
use orgnav::tui::update::{install, update};

fn state() -> State {
    let mut s = State::new(
        Status {
            profile: "p".into(),
            ..Status::default()
        },
        Default::default(),
    );
    install(&mut s, demo_snapshot().unwrap());
    update(
        &mut s,
        Action::Resize {
            width: 100,
            height: 30,
        },
    );
    s
}

fn selected_name(s: &State) -> String {
    let org = s.org.as_ref().unwrap();
    match s.selected_node().unwrap() {
        Node::Account(i) => org.h.account(i).name.clone(),
        Node::Ou(i) => org.h.ou(i).name.clone(),
    }
}

#[test]
fn search_enter_jumps_and_expands_ancestors() {
    let mut s = state();
    update(&mut s, Action::OpenSearch);
    for c in "identity-prod".chars() {
        update(&mut s, Action::SearchInput(c));
    }
    update(&mut s, Action::SearchAccept);
    assert!(s.search.is_none());
    assert_eq!(selected_name(&s), "identity-prod");
    let org = s.org.as_ref().unwrap();
    let Some(Node::Account(i)) = s.selected_node() else {
        panic!()
    };
    for a in org.h.ancestors(Node::Account(i)) {
        assert!(org.tree.is_expanded(a));
    }
    let sel = org.tree.selected();
    assert!(
        sel >= org.offset && sel < org.offset + 28,
        "selection visible"
    );
}

#[test]
fn escape_closes_search_without_moving() {
    let mut s = state();
    update(&mut s, Action::MoveDown);
    let before = s.selected_node();
    update(&mut s, Action::OpenSearch);
    update(&mut s, Action::SearchInput('x'));
    update(&mut s, Action::CloseSearch);
    assert!(s.search.is_none());
    assert_eq!(s.selected_node(), before);
}

#[test]
fn stale_generations_are_dropped_and_tags_follow_the_tree() {
    let mut s = state();
    let effects = update(&mut s, Action::Refresh);
    assert_eq!(effects, vec![Effect::Crawl { generation: 1 }]);
    update(&mut s, Action::Refresh);
    assert_eq!(s.generation, 2);
    let mut snapshot = demo_snapshot().unwrap();
    snapshot.org.accounts.truncate(3);
    // As a crawl returns it: tags follow in the background.
    snapshot.org.tags_loaded = false;
    // The answer to the first request arrives late: ignored.
    update(
        &mut s,
        Action::Loaded(Loaded::Org {
            generation: 1,
            snapshot: Box::new(snapshot.clone()),
        }),
    );
    assert!(s.org.as_ref().unwrap().h.account_count() > 3);
    let effects = update(
        &mut s,
        Action::Loaded(Loaded::Org {
            generation: 2,
            snapshot: Box::new(snapshot),
        }),
    );
    assert_eq!(s.org.as_ref().unwrap().h.account_count(), 3);
    assert!(matches!(
        effects[0],
        Effect::FetchTags { generation: 2, .. }
    ));
    assert!(effects.iter().any(|e| matches!(e, Effect::SaveCache(_))));
    assert!(s.status.loading_tags && !s.status.refreshing);
    // Identity Center's flat list comes complete: no tags to fetch.
    update(&mut s, Action::Refresh);
    let mut flat = demo_snapshot().unwrap();
    flat.org.tags_loaded = true;
    let effects = update(
        &mut s,
        Action::Loaded(Loaded::Org {
            generation: 3,
            snapshot: Box::new(flat),
        }),
    );
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::FetchTags { .. }))
    );
    assert!(!s.status.loading_tags);
}

#[test]
fn copy_yields_the_selected_id() {
    let mut s = state();
    update(&mut s, Action::OpenSearch);
    for c in "log-archive".chars() {
        update(&mut s, Action::SearchInput(c));
    }
    update(&mut s, Action::SearchAccept);
    let org = s.org.as_ref().unwrap();
    let Some(Node::Account(i)) = s.selected_node() else {
        panic!()
    };
    let id = org.h.account(i).id.clone();
    assert_eq!(
        update(&mut s, Action::CopyId),
        vec![Effect::CopyToClipboard(id)]
    );
}

#[test]
fn quit_and_page_movement() {
    let mut s = state();
    update(&mut s, Action::Bottom);
    let last = s.org.as_ref().unwrap().tree.rows().len() - 1;
    assert_eq!(s.org.as_ref().unwrap().tree.selected(), last);
    update(&mut s, Action::PageUp);
    assert!(s.org.as_ref().unwrap().tree.selected() < last);
    update(&mut s, Action::Quit);
    assert!(s.quit);
}

#[test]
fn signing_in_from_the_tui_keeps_the_place_and_reloads() {
    let mut s = state();
    update(&mut s, Action::MoveDown);
    update(&mut s, Action::MoveDown);
    let before = s.selected_node();
    // A revoked sign-in mid-session says how to get a new one.
    let generation = s.generation;
    update(
        &mut s,
        Action::Loaded(Loaded::Failed {
            generation,
            message: "ListAccounts: the AWS session has expired or the credentials are invalid \
                      (UnauthorizedException); log in again (`orgnav login` or `aws sso login`)"
                .into(),
            network: false,
        }),
    );
    assert!(
        s.status.last_error.as_deref().unwrap().contains("press L"),
        "{:?}",
        s.status.last_error
    );
    let effects = update(&mut s, Action::Login);
    let [Effect::Login { request }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let request = *request;
    // A second L while the sign-in runs shows it again and starts no second device flow.
    update(&mut s, Action::ModalCancel);
    assert!(update(&mut s, Action::Login).is_empty());
    assert!(matches!(
        s.modal,
        Some(orgnav::tui::state::Modal::Login { .. })
    ));
    update(
        &mut s,
        Action::Loaded(Loaded::LoginCode {
            request: request + 1,
            user_code: "STALE-0000".into(),
            url: "https://device.sso.eu-west-1.amazonaws.com/?user_code=STALE-0000".into(),
        }),
    );
    update(
        &mut s,
        Action::Loaded(Loaded::LoginCode {
            request,
            user_code: "WXYZ-1234".into(),
            url: "https://device.sso.eu-west-1.amazonaws.com/?user_code=WXYZ-1234".into(),
        }),
    );
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    t.draw(|f| orgnav::tui::ui::render(f, &s)).unwrap();
    let screen = t.backend().to_string();
    assert!(
        screen.contains("WXYZ-1234") && screen.contains("waiting") && !screen.contains("STALE"),
        "{screen}"
    );
    // Keys other than Esc do not close it; approval does, and the organization is read again.
    update(&mut s, Action::ModalConfirm);
    assert!(s.modal.is_some());
    let effects = update(
        &mut s,
        Action::Loaded(Loaded::LoginDone {
            request,
            result: Ok(()),
        }),
    );
    assert!(s.modal.is_none());
    assert!(
        matches!(effects.as_slice(), [Effect::Crawl { .. }]),
        "{effects:?}"
    );
    assert_eq!(s.selected_node(), before);
}
