//! The navigator's refresh: `r` re-reads the selected account or OU (Ctrl-R the whole tree),
//! progress in the header, and a refresh cut short by throttling or an unreachable AWS tried
//! again later — backing off — while the cached tree stays on screen, marked stale.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use orgnav::aws::progress::Progress;
use orgnav::model::{Node, Tags};
use orgnav::tui::action::{Action, Effect, Loaded, TagReads};
use orgnav::tui::keymap::map_key;
use orgnav::tui::state::State;
use orgnav::tui::update::update;
use support::tui::{PAYMENTS_DEV, draw, select, state};

fn press(s: &mut State, key: KeyEvent) -> Vec<Effect> {
    let action = map_key(s, key).unwrap();
    update(s, action)
}

fn r() -> KeyEvent {
    KeyEvent::from(KeyCode::Char('r'))
}

fn ctrl_r() -> KeyEvent {
    KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)
}

fn tags_answer(generation: u64, id: &str, read_at: i64) -> Action {
    let tags = HashMap::from([(
        id.to_string(),
        Tags::from([("Fresh".to_string(), "yes".to_string())]),
    )]);
    Action::Loaded(Loaded::Tags {
        generation,
        tags,
        failed: 0,
        first_error: None,
        unread: vec![],
        read_at,
        interrupted: false,
    })
}

#[test]
fn r_rereads_the_selected_account_and_ctrl_r_the_whole_tree() {
    let mut s = state();
    select(&mut s, "payments-dev");
    let effects = press(&mut s, r());
    let [
        Effect::FetchTags {
            generation,
            reads: TagReads::One(id),
        },
        Effect::DescribeAccount { id: described, .. },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (id.as_str(), described.as_str()),
        (PAYMENTS_DEV, PAYMENTS_DEV)
    );
    assert!(s.status.loading_tags);

    update(
        &mut s,
        tags_answer(*generation, PAYMENTS_DEV, 1_795_000_000),
    );
    let mut renamed = support::tui::state().org.unwrap().h.org.accounts;
    let mut fresh = renamed
        .iter_mut()
        .find(|a| a.id == PAYMENTS_DEV)
        .unwrap()
        .clone();
    fresh.name = "payments-dev-renamed".into();
    fresh.parent_id = String::new();
    let effects = update(
        &mut s,
        Action::Loaded(Loaded::AccountRead {
            generation: *generation,
            result: Ok(Box::new(fresh)),
        }),
    );
    assert!(matches!(effects.as_slice(), [Effect::SaveCache(_)]));
    let org = s.org.as_ref().unwrap();
    let a = org.h.account(org.h.account_index(PAYMENTS_DEV).unwrap());
    assert_eq!(a.name, "payments-dev-renamed");
    assert_eq!(a.tags["Fresh"], "yes");
    assert!(!a.parent_id.is_empty(), "its place in the tree stays");
    assert_eq!(org.h.org.tags_read[PAYMENTS_DEV], 1_795_000_000);
    assert!(!s.status.loading_tags);

    let effects = press(&mut s, ctrl_r());
    assert!(
        matches!(effects.as_slice(), [Effect::Crawl { .. }]),
        "{effects:?}"
    );
}

#[test]
fn r_on_an_ou_rereads_its_tags() {
    let mut s = state();
    update(&mut s, Action::Top);
    while !matches!(s.selected_node(), Some(Node::Ou(i)) if i != s.org.as_ref().unwrap().h.root()) {
        update(&mut s, Action::MoveDown);
    }
    let effects = press(&mut s, r());
    assert!(
        matches!(effects.as_slice(), [Effect::FetchTags { reads: TagReads::One(id), .. }] if id.starts_with("ou-")),
        "{effects:?}"
    );
}

fn failed(generation: u64) -> Action {
    Action::Loaded(Loaded::Failed {
        generation,
        message: "AWS Organizations kept throttling ListRoots: still throttled after retrying"
            .into(),
        network: true,
    })
}

/// The retry's time has come: the clock is moved past it.
fn make_due(s: &mut State) {
    let retry = s.status.retry.as_mut().unwrap();
    retry.at = Some(jiff::Timestamp::from_second(0).unwrap());
}

#[test]
fn a_throttled_refresh_keeps_the_tree_and_is_tried_again_later_backing_off() {
    let mut s = state();
    // Retries are scheduled from the clock `Action::Clock` reads.
    s.now = jiff::Timestamp::now();
    let accounts = s.org.as_ref().unwrap().h.account_count();
    let mut delays = Vec::new();
    for _ in 0..6 {
        let effects = press(&mut s, ctrl_r());
        let [Effect::Crawl { generation }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        update(&mut s, failed(*generation));
        assert!(s.status.stale, "the cached tree stays, marked stale");
        assert_eq!(s.org.as_ref().unwrap().h.account_count(), accounts);
        let retry = s.status.retry.unwrap();
        delays.push(retry.delay_secs);
        assert!(retry.at.unwrap() > s.now);
        // Not yet due: the clock ticking starts nothing.
        assert!(update(&mut s, Action::Clock).is_empty());
    }
    assert_eq!(delays, [60, 120, 240, 480, 900, 900]);
    assert!(
        s.status
            .last_error
            .as_deref()
            .unwrap()
            .contains("trying again in 15 min"),
        "{:?}",
        s.status.last_error
    );
    make_due(&mut s);
    let effects = update(&mut s, Action::Clock);
    let [Effect::Crawl { generation }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let mut snapshot = orgnav::source::demo_snapshot().unwrap();
    snapshot.org.tags_loaded = false;
    update(
        &mut s,
        Action::Loaded(Loaded::Org {
            generation: *generation,
            snapshot: Box::new(snapshot),
        }),
    );
    assert_eq!(s.status.retry, None);
    assert!(!s.status.stale);
}

#[test]
fn tags_cut_short_by_throttling_are_read_again_later() {
    let mut s = state();
    let generation = s.generation;
    update(
        &mut s,
        Action::Loaded(Loaded::Tags {
            generation,
            tags: HashMap::new(),
            failed: 2,
            first_error: Some("AWS Organizations kept throttling ListTagsForResource".into()),
            unread: vec![PAYMENTS_DEV.to_string()],
            read_at: 1_795_000_000,
            interrupted: true,
        }),
    );
    assert!(s.status.retry.unwrap().tags_only);
    make_due(&mut s);
    let effects = update(&mut s, Action::Clock);
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::FetchTags {
                reads: TagReads::Planned(_),
                ..
            }]
        ),
        "{effects:?}"
    );
    update(&mut s, tags_answer(generation, PAYMENTS_DEV, 1_795_000_100));
    assert_eq!(s.status.retry, None);
}

#[test]
fn the_header_shows_how_far_the_refresh_has_got() {
    let mut s = state();
    let total = s.org.as_ref().unwrap().h.account_count();
    let effects = press(&mut s, ctrl_r());
    let [Effect::Crawl { generation }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let generation = *generation;
    let progress = |s: &mut State, progress| {
        update(
            s,
            Action::Loaded(Loaded::Progress {
                generation,
                progress,
            }),
        );
        draw(s).lines().next().unwrap().to_string()
    };
    let header = progress(&mut s, Progress::Accounts { read: 12 });
    assert!(
        header.contains(&format!("refreshing: 12 of ~{total} accounts")),
        "{header}"
    );
    let mut snapshot = orgnav::source::demo_snapshot().unwrap();
    snapshot.org.tags_loaded = false;
    update(
        &mut s,
        Action::Loaded(Loaded::Org {
            generation,
            snapshot: Box::new(snapshot),
        }),
    );
    let header = progress(&mut s, Progress::Tags { read: 3, total: 10 });
    assert!(header.contains("loading tags 3/10"), "{header}");
    insta::assert_snapshot!(draw(&s));
}
