//! The clipboard over OSC 52: the terminal (even over SSH) puts the text on its clipboard.
//! Terminal multiplexers swallow the sequence unless it is wrapped for them: tmux takes it
//! in a DCS passthrough (`\ePtmux;…\e\\`, inner ESCs doubled), GNU screen in DCS strings of
//! at most 76 bytes each. Nothing answers, so success cannot be known: callers say the text
//! was *sent to the terminal*, never that it was copied.

use std::io::Write;

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};

/// The console sign-in link: it signs in to the account for a while, so it is a secret kept
/// out of debug output (logs), off the screen, and handed only to `send_secret`.
#[derive(Clone)]
pub struct SignInLink(SecretString);

impl SignInLink {
    pub fn new(url: String) -> Self {
        Self(url.into())
    }

    pub fn secret(&self) -> &SecretString {
        &self.0
    }
}

impl From<SecretString> for SignInLink {
    fn from(url: SecretString) -> Self {
        Self(url)
    }
}

impl std::fmt::Debug for SignInLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignInLink(redacted)")
    }
}

/// Actions and effects compare in tests; two links are equal when their URLs are.
impl PartialEq for SignInLink {
    fn eq(&self, other: &Self) -> bool {
        self.0.expose_secret() == other.0.expose_secret()
    }
}

/// The multiplexer between orgnav and the terminal, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Multiplexer {
    None,
    Tmux,
    Screen,
}

impl Multiplexer {
    /// From `$TMUX` and `$STY`. Not from `$TERM`: tmux long used TERM=screen as its default,
    /// and over SSH from inside tmux that is all that arrives on the remote side, where tmux
    /// (`set-clipboard on`) forwards a bare OSC 52 but ignores screen's DCS strings.
    pub fn detect() -> Self {
        let var = |k| std::env::var(k).ok().filter(|v| !v.is_empty());
        Self::from_env(var("TMUX"), var("STY"))
    }

    fn from_env(tmux: Option<String>, sty: Option<String>) -> Self {
        if tmux.is_some() {
            Self::Tmux
        } else if sty.is_some() {
            Self::Screen
        } else {
            Self::None
        }
    }
}

/// The longest DCS string GNU screen passes on is 768 bytes; 76 is what terminal tools
/// (e.g. vim's and tmux's OSC 52 plugins) use, safely under it.
const SCREEN_CHUNK: usize = 76;

/// The bytes that put `text` on the terminal's clipboard through `mux`.
pub fn osc52(text: &[u8], mux: Multiplexer) -> Vec<u8> {
    let payload = base64::engine::general_purpose::STANDARD.encode(text);
    let seq = format!("\x1b]52;c;{payload}\x07");
    match mux {
        Multiplexer::None => seq,
        Multiplexer::Tmux => format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b")),
        // screen limits a DCS string's length; the sequence is ASCII, so bytes are chars.
        Multiplexer::Screen => seq
            .as_bytes()
            .chunks(SCREEN_CHUNK)
            .map(|c| format!("\x1bP{}\x1b\\", String::from_utf8_lossy(c)))
            .collect(),
    }
    .into_bytes()
}

/// Sends `text` to the terminal's clipboard (see the module's note: nothing confirms it).
pub fn send(text: &str) -> std::io::Result<()> {
    write_out(&osc52(text.as_bytes(), Multiplexer::detect()))
}

/// As `send`, for a secret (the console sign-in link): it goes to the terminal and nowhere
/// else, never through a plain `String` that could be logged.
pub fn send_secret(text: &SecretString) -> std::io::Result<()> {
    write_out(&osc52(
        text.expose_secret().as_bytes(),
        Multiplexer::detect(),
    ))
}

fn write_out(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout();
    out.write_all(bytes)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn plain_terminal_gets_bare_osc52() {
        assert_eq!(
            osc52(b"123456789012", Multiplexer::None),
            b"\x1b]52;c;MTIzNDU2Nzg5MDEy\x07"
        );
    }

    #[test]
    fn tmux_gets_a_passthrough_with_doubled_escapes() {
        assert_eq!(
            osc52(b"hi", Multiplexer::Tmux),
            b"\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"
        );
    }

    #[test]
    fn screen_gets_dcs_chunks_of_76_bytes() {
        let out = osc52(&[b'a'; 60], Multiplexer::Screen);
        // 4 + 80 base64 + 1 = 85 bytes of OSC 52: a chunk of 76 and one of 9.
        let inner = format!(
            "\x1b]52;c;{}\x07",
            base64::engine::general_purpose::STANDARD.encode([b'a'; 60])
        );
        let expected = format!("\x1bP{}\x1b\\\x1bP{}\x1b\\", &inner[..76], &inner[76..]);
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        assert_eq!(
            osc52(b"hi", Multiplexer::Screen),
            b"\x1bP\x1b]52;c;aGk=\x07\x1b\\"
        );
    }

    #[test]
    fn the_multiplexer_comes_from_the_environment() {
        use Multiplexer as M;
        assert_eq!(M::from_env(None, None), M::None);
        assert_eq!(M::from_env(s("/tmp/tmux-1/default,1,0"), None), M::Tmux);
        assert_eq!(M::from_env(None, s("1234.pts-0.host")), M::Screen);
    }
}
