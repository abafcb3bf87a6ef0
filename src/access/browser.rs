//! Opening a secret URL (the console sign-in link) in the browser so that no other local
//! user can get it: a browser's arguments are public (`/proc/*/cmdline`), so the browser is
//! given only a private page (0600, in a fresh 0700 directory under the user's runtime
//! directory) that redirects to a one-shot 127.0.0.1 address whose nonce is in that page
//! alone. That address answers once with a redirect to the sign-in URL; then the page and
//! its directory are removed and the listener closes.

use std::process::Stdio;
use std::time::Duration;

pub mod command;
mod handoff;
mod peer;

/// How long the one-shot address waits for the browser.
pub const HANDOFF_TIMEOUT: Duration = Duration::from_secs(60);

pub use handoff::open_secret_url_in;

/// Opens `url` in `choice`'s browser or container through the private page and the one-shot
/// address (`open_secret_url_in`); when the browser has not followed the link within
/// `patience` (none started, or a slow one), or the hand-off failed before that, `stuck` gets
/// the link and why, once, so the caller can offer it another way (the TUI: copy it). The
/// hand-off goes on until its own time limit.
pub async fn open_secret_url_watched_in(
    url: secrecy::SecretString,
    choice: &command::BrowserChoice,
    patience: Duration,
    stuck: impl FnOnce(secrecy::SecretString, String),
) -> Result<(), String> {
    let link = url.clone();
    let open = open_secret_url_in(url, choice);
    tokio::pin!(open);
    tokio::select! {
        done = &mut open => {
            if let Err(why) = &done {
                stuck(link, why.clone());
            }
            return done;
        }
        () = tokio::time::sleep(patience) => stuck(
            link,
            format!("no browser has opened the sign-in link after {} s", patience.as_secs()),
        ),
    }
    open.await
}

/// 128 random bits from the operating system, in hex. Without them there is no hand-off: a
/// guessable address would hand the sign-in URL to any local process.
fn nonce() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("cannot draw a random address: {e}"))?;
    Ok(hex::encode(bytes))
}

/// `BROWSER` (colon-separated commands, `%s` replaced by the URL, else appended), then
/// `xdg-open` / `open`. Spawned detached: null stdio, its own session, never waited on.
pub fn spawn_browser(url: &str) -> std::io::Result<()> {
    let candidates: Vec<String> = match std::env::var("BROWSER") {
        Ok(b) if !b.trim().is_empty() => b.split(':').map(str::to_string).collect(),
        _ => vec![if cfg!(target_os = "macos") {
            "open".into()
        } else {
            "xdg-open".into()
        }],
    };
    let mut last = std::io::Error::other("no browser configured");
    for c in candidates {
        let mut words: Vec<String> = c.split_whitespace().map(str::to_string).collect();
        if words.is_empty() {
            continue;
        }
        if words.iter().any(|w| w.contains("%s")) {
            words = words.into_iter().map(|w| w.replace("%s", url)).collect();
        } else {
            words.push(url.to_string());
        }
        match spawn_detached(&words) {
            Ok(()) => return Ok(()),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Starts `argv` detached: null stdio, its own session, never waited on.
pub fn spawn_detached(argv: &[String]) -> std::io::Result<()> {
    let Some((program, args)) = argv.split_first() else {
        return Err(std::io::Error::other("no browser command"));
    };
    let mut cmd = std::process::Command::new(program);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: setsid is async-signal-safe and touches no memory of the parent; it
        // detaches the browser from orgnav's terminal and its signals.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
    }
    cmd.spawn().map(drop)
}

/// Opens a URL that is no secret (the portal's shortcut link) with `choice`'s browser or
/// container, as the console hand-off would.
pub fn open_public_url(url: &str, choice: &command::BrowserChoice) -> std::io::Result<()> {
    let target = match &choice.container {
        Some(c) => c.url(url),
        None => url.to_string(),
    };
    launch(&target, choice)
}

/// Starts `choice`'s browser on `target`: its command, else `firefox` for a container (the
/// `ext+container:` scheme is Firefox's), else `BROWSER` / the system's opener.
fn launch(target: &str, choice: &command::BrowserChoice) -> std::io::Result<()> {
    match (&choice.command, &choice.container) {
        (Some(cmd), _) => spawn_detached(&cmd.argv(target)),
        (None, Some(_)) => spawn_detached(&["firefox".to_string(), target.to_string()]),
        (None, None) => spawn_browser(target),
    }
}
