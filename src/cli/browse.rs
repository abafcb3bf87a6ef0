//! `orgnav` with no subcommand: the TUI, started from the cache (or the demo) at once, with a
//! background refresh (stale-while-revalidate).

use super::{CliError, Ctx};
use crate::source::cache::Loaded;
use crate::source::demo_snapshot;
use crate::tui::action::Effect;
use crate::tui::state::{AccessView, State, Status};
use crate::tui::{Ended, Startup, signal_name, update::install};

/// Role options' inputs: the config's rules (the demo's own on the demo); the profiles'
/// roles arrive with `LoadProfiles`.
fn access_view(ctx: &Ctx) -> AccessView {
    let roles = if ctx.cli.demo {
        crate::access::demo::roles()
    } else {
        crate::aws::roles::RoleSetup {
            rules: ctx.config.roles.clone(),
            profiles: Vec::new(),
            default_role: ctx.config.default_role.clone(),
        }
    };
    AccessView {
        rules: roles.rules,
        profiles: roles.profiles,
        default_role: roles.default_role,
        region: ctx.source.session.region.clone().unwrap_or_default(),
    }
}

/// The navigator draws on stdout and reads keys from stdin, or from `/dev/tty` when stdin is
/// a pipe (as fzf does); without them it would fail deep in the terminal setup.
fn require_terminal() -> Result<(), CliError> {
    use std::io::IsTerminal;
    let keys = std::io::stdin().is_terminal() || std::fs::File::open("/dev/tty").is_ok();
    if std::io::stdout().is_terminal() && keys {
        Ok(())
    } else {
        Err(CliError::usage(
            "orgnav needs a terminal (use `orgnav ls` in scripts)",
        ))
    }
}

pub async fn run(ctx: &Ctx) -> Result<(), CliError> {
    require_terminal()?;
    let cli = &ctx.cli;
    let mut status = Status {
        profile: ctx.source.profile_label.clone(),
        region: ctx.source.session.region.clone().unwrap_or_default(),
        demo: cli.demo,
        offline: cli.offline,
        // The navigator draws on a terminal: only NO_COLOR can take colour away.
        no_color: !crate::text::colour_allowed(true),
        ..Status::default()
    };
    let mut effects = Vec::new();
    let mut snapshot = None;
    if cli.demo {
        snapshot = Some(demo_snapshot().map_err(CliError::runtime)?);
    } else {
        match ctx.source.load_cache() {
            Loaded::Fresh(s) => snapshot = Some(s),
            Loaded::Missing => {}
            Loaded::Discarded(why) if cli.offline => {
                return Err(super::org_cmds::offline_unusable(&why));
            }
            Loaded::Discarded(why) => {
                tracing::warn!("{why}");
                status.notice = Some(format!("{why}; recrawling"));
            }
        }
        if cli.offline && snapshot.is_none() {
            return Err(CliError::runtime(format!(
                "--offline: no cached organization for profile `{}` yet; run once without --offline",
                ctx.source.profile_label
            )));
        }
        if !cli.offline {
            status.refreshing = true;
            effects.push(Effect::Crawl { generation: 1 });
        }
    }
    let mut state = State::new(status, ctx.config.production.clone());
    state.generation = 1;
    // Loading the config checked `[keys]` (cli::CONFIG_CHECKS); a Config made in code has none.
    state.keymap = crate::tui::keymap::Keymap::new(&ctx.config.keys).unwrap_or_default();
    state.history = crate::access::history::History::load_for(cli.demo);
    if let Some(s) = snapshot {
        install(&mut state, s);
    }
    if !cli.demo {
        effects.push(Effect::LoadProfiles);
    }
    state.access = access_view(ctx);
    state.console.config = ctx.config.console.clone();
    state.console.portal_start_url = ctx
        .identity_center()
        .map(|ic| ic.settings.start_url.clone());
    let session_region = ctx
        .source
        .session
        .region
        .clone()
        .unwrap_or_else(|| crate::aws::session::FALLBACK_REGION.to_string());
    state.quotas =
        crate::tui::quota_state::QuotaView::new(ctx.config.quotas.clone(), &session_region);
    let source = ctx.source.clone();
    let access = ctx.access();
    let shell = crate::access::launch::user_shell(ctx.config.shell.as_deref());
    crate::tui::run(Startup {
        state,
        effects,
        source,
        access,
        shell,
        refreshing: ctx.config.credentials.refreshing,
    })
    .await
    .map_err(|e| CliError::runtime(format!("terminal: {e}")))
    .and_then(ended)
}

/// A signal or a lost terminal ends orgnav as the signal would: exit code 128 + its number.
fn ended(how: Ended) -> Result<(), CliError> {
    let (message, signo) = match how {
        Ended::Quit => return Ok(()),
        Ended::Signal(signo) => (format!("ended by {}", signal_name(signo)), signo),
        Ended::TerminalLost => ("the terminal closed".to_string(), libc::SIGHUP),
    };
    Err(CliError {
        message,
        code: u8::try_from(128 + signo).unwrap_or(1),
    })
}
