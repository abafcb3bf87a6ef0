//! The access runner with a fake access: what each effect reports back, with its request id.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::mpsc;

use super::*;
use crate::access::launch::AccountSession;
use crate::aws::credentials::Credentials;
use crate::aws::roles::RoleSource;
use crate::model::hierarchy::tests::account;

/// Answers with what the test set; counts the calls that would reach AWS.
#[derive(Default)]
struct FakeAccess {
    cached: Option<Assumed>,
    assume: Mutex<Option<Result<Assumed, AccessError>>>,
    console: Option<Result<String, String>>,
    calls: AtomicUsize,
    recorded: Mutex<Vec<(String, String, EntryKind)>>,
    favourites: Mutex<Vec<(String, bool)>>,
    /// Marking a favourite is slow (unmarking fast): concurrent writers would reorder them.
    slow_marks: bool,
    /// The console never opens; the flag is set when its opening is dropped.
    never_opens: Option<Arc<std::sync::atomic::AtomicBool>>,
}

/// Sets its flag when dropped: with an opening future, tells that the opening was stopped.
struct Dropped(Arc<std::sync::atomic::AtomicBool>);

impl Drop for Dropped {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl AccountAccess for FakeAccess {
    fn cached(&self, _: &str, _: &str) -> Option<Assumed> {
        self.cached.clone()
    }

    fn assume<'a>(
        &'a self,
        _: &'a Account,
        _: &'a RoleOption,
        _: bool,
        _: Option<&'a str>,
    ) -> Pending<'a, Result<Assumed, AccessError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let answer = self.assume.lock().ok().and_then(|mut a| a.take());
        Box::pin(
            async move { answer.unwrap_or_else(|| Err(AccessError::Console("no answer".into()))) },
        )
    }

    fn open_console<'a>(
        &'a self,
        _: &'a Assumed,
        _: &'a str,
        _: &'a ConsoleHow,
        _: Stuck,
    ) -> Pending<'a, Result<String, String>> {
        if let Some(flag) = &self.never_opens {
            let guard = Dropped(Arc::clone(flag));
            return Box::pin(async move {
                let _guard = guard;
                std::future::pending::<()>().await;
                Ok(String::new())
            });
        }
        let answer = self
            .console
            .clone()
            .unwrap_or_else(|| Err("no answer".into()));
        Box::pin(async move { answer })
    }

    fn identity_center(&self) -> Option<Arc<IdentityCenter>> {
        None
    }

    fn record(&self, _: bool, account_id: &str, role: &str, kind: EntryKind) {
        if let Ok(mut r) = self.recorded.lock() {
            r.push((account_id.into(), role.into(), kind));
        }
    }

    fn set_favourite(&self, _: bool, account_id: &str, favourite: bool) {
        if self.slow_marks && favourite {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        if let Ok(mut f) = self.favourites.lock() {
            f.push((account_id.into(), favourite));
        }
    }
}

const ID: &str = "123456789012";

fn assumed() -> Assumed {
    Assumed {
        session: AccountSession {
            account_id: ID.into(),
            account_name: "payments-prod".into(),
            role: "Admin".into(),
            region: "eu-west-1".into(),
            production: true,
            credentials: Arc::new(Credentials {
                access_key_id: "ASIAFAKE".into(),
                secret_access_key: String::from("secret").into(),
                session_token: String::from("token").into(),
                expiration: jiff::Timestamp::UNIX_EPOCH,
            }),
            demo: false,
        },
        chained: false,
    }
}

fn assume_effect(request: u64) -> Effect {
    Effect::Assume {
        request,
        account: Box::new(account(ID, "payments-prod", "ou-prod")),
        option: Box::new(RoleOption {
            name: "Admin".into(),
            role_arn: format!("arn:aws:iam::{ID}:role/Admin"),
            source: RoleSource::Default,
            via_profile: None,
        }),
        production: true,
        mfa_code: None,
    }
}

async fn one_answer(access: Arc<FakeAccess>, effect: Effect) -> Loaded {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let port: Arc<dyn AccountAccess> = access;
    run(&port, &tx, effect);
    match rx.recv().await {
        Some(Action::Loaded(l)) => l,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn cached_credentials_answer_without_a_call() {
    let fake = Arc::new(FakeAccess {
        cached: Some(assumed()),
        ..FakeAccess::default()
    });
    let loaded = one_answer(Arc::clone(&fake), assume_effect(7)).await;
    let Loaded::Assumed { request, assumed } = loaded else {
        panic!("{loaded:?}")
    };
    assert_eq!((request, assumed.session.account_id.as_str()), (7, ID));
    assert_eq!(fake.calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn an_mfa_demand_comes_back_with_the_account_and_the_device() {
    let fake = Arc::new(FakeAccess {
        assume: Mutex::new(Some(Err(AccessError::MfaRequired {
            role: "Admin".into(),
            serial: "arn:aws:iam::111111111111:mfa/me".into(),
        }))),
        ..FakeAccess::default()
    });
    let loaded = one_answer(fake, assume_effect(8)).await;
    let Loaded::MfaNeeded {
        request,
        account,
        serial,
        ..
    } = loaded
    else {
        panic!("{loaded:?}")
    };
    assert_eq!(request, 8);
    assert_eq!(account.id, ID);
    assert_eq!(serial, "arn:aws:iam::111111111111:mfa/me");
}

#[tokio::test]
async fn a_failed_assume_is_one_line_for_that_request() {
    let fake = Arc::new(FakeAccess {
        assume: Mutex::new(Some(Err(AccessError::Console("access denied".into())))),
        ..FakeAccess::default()
    });
    let loaded = one_answer(fake, assume_effect(9)).await;
    let Loaded::AccessFailed { request, message } = loaded else {
        panic!("{loaded:?}")
    };
    assert_eq!((request, message.as_str()), (9, "access denied"));
}

#[tokio::test]
async fn the_console_reports_opened_or_failed_for_its_request() {
    for (answer, opened) in [
        (Ok("opened".to_string()), true),
        (Err("no browser".to_string()), false),
    ] {
        let fake = Arc::new(FakeAccess {
            console: Some(answer.clone()),
            ..FakeAccess::default()
        });
        let loaded = one_answer(
            fake,
            Effect::OpenConsole {
                request: 3,
                assumed: Box::new(assumed()),
                destination: "https://console.aws.amazon.com/console/home".into(),
                how: ConsoleHow::Open(Default::default()),
            },
        )
        .await;
        match (loaded, opened) {
            (
                Loaded::ConsoleOpened {
                    request: 3,
                    message,
                },
                true,
            ) => assert_eq!(message, "opened"),
            (
                Loaded::AccessFailed {
                    request: 3,
                    message,
                },
                false,
            ) => {
                assert_eq!(message, "no browser")
            }
            (other, _) => panic!("{other:?} for {answer:?}"),
        }
    }
}

#[tokio::test]
async fn login_without_identity_center_says_how_to_configure_it() {
    let loaded = one_answer(
        Arc::new(FakeAccess::default()),
        Effect::Login { request: 4 },
    )
    .await;
    let Loaded::LoginDone {
        request,
        result: Err(message),
    } = loaded
    else {
        panic!("{loaded:?}")
    };
    assert_eq!(request, 4);
    assert!(message.contains("[sso-session]"), "{message}");
}

#[tokio::test]
async fn an_entry_is_recorded_through_the_access() {
    let fake = Arc::new(FakeAccess::default());
    let (tx, _rx) = mpsc::unbounded_channel();
    let port: Arc<dyn AccountAccess> = fake.clone();
    run(
        &port,
        &tx,
        Effect::RecordHistory {
            account_id: ID.into(),
            role: "Admin".into(),
            kind: EntryKind::Console,
            demo: false,
        },
    );
    // The write runs on the blocking pool: wait for it by polling the fake.
    for _ in 0..1000 {
        if fake.recorded.lock().map(|r| !r.is_empty()).unwrap_or(false) {
            break;
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let recorded = fake.recorded.lock().map(|r| r.clone()).unwrap_or_default();
    assert_eq!(
        recorded,
        vec![(ID.to_string(), "Admin".to_string(), EntryKind::Console)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_writes_happen_in_the_order_they_were_asked_for() {
    let fake = Arc::new(FakeAccess {
        slow_marks: true,
        ..FakeAccess::default()
    });
    let port: Arc<dyn AccountAccess> = fake.clone();
    let (tx, _rx) = mpsc::unbounded_channel();
    let asked: Vec<bool> = (0..6).map(|n| n % 2 == 0).collect();
    for &favourite in &asked {
        let effect = Effect::SetFavourite {
            account_id: ID.into(),
            favourite,
            demo: false,
        };
        run(&port, &tx, effect);
    }
    let written = || -> Vec<bool> {
        let f = fake
            .favourites
            .lock()
            .map(|f| f.clone())
            .unwrap_or_default();
        f.into_iter().map(|(_, on)| on).collect()
    };
    for _ in 0..2000 {
        if written().len() == asked.len() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert_eq!(
        written(),
        asked,
        "the last write must be the last asked for"
    );
}

#[tokio::test]
async fn stopping_a_console_opening_ends_its_hand_off() {
    let dropped = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let port: Arc<dyn AccountAccess> = Arc::new(FakeAccess {
        never_opens: Some(Arc::clone(&dropped)),
        ..FakeAccess::default()
    });
    let (tx, _rx) = mpsc::unbounded_channel();
    let open = Effect::OpenConsole {
        request: 41,
        assumed: Box::new(assumed()),
        destination: "https://console.aws.amazon.com/console/home".into(),
        how: ConsoleHow::Open(Default::default()),
    };
    run(&port, &tx, open);
    tokio::task::yield_now().await;
    run(&port, &tx, Effect::StopConsole { request: 41 });
    for _ in 0..1000 {
        if dropped.load(Ordering::SeqCst) {
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(dropped.load(Ordering::SeqCst), "the hand-off goes on");
}
