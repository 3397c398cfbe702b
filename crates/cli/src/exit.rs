//! Exit codes of `scopestack-cli`, and the failure type every subcommand returns.
//!
//! Engine errors keep the engine's plain-language message; their [`ErrorKind`] decides the code.

use engine::vault::VaultError;
use engine::{EngineError, ErrorKind, ProfileError};

/// What a script can rely on. Documented in `--help`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Code {
    /// The command line was wrong, or something needed was not given (clap also exits with 2).
    Usage = 2,
    /// The server refused the credentials or the token.
    AuthRefused = 3,
    /// The server could not be reached, or answered with something unusable.
    Network = 4,
    /// The OS keychain could not be used, or did not answer within its bound.
    Keychain = 5,
    /// Something on this computer failed: a port in use, a file that cannot be written.
    Local = 6,
}

pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  2  usage: the command line was wrong, or something needed was not given
  3  authentication refused: the server rejected the credentials or the token (sign in again)
  4  network: the server could not be reached or answered with something unusable
  5  keychain: the OS keychain could not be used, or did not answer within its bound (5 s, or
     SCOPESTACK_COMPANION_KEYCHAIN_TIMEOUT_MS); --session-only keeps secrets in memory instead
  6  local: something on this computer failed (a port in use, a file that cannot be written)";

/// A failed command: the plain-language message and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: Code,
    pub message: String,
}

impl Failure {
    pub fn new(code: Code, message: impl Into<String>) -> Failure {
        Failure { code, message: message.into() }
    }

    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::new(Code::Usage, message)
    }

    pub fn local(message: impl Into<String>) -> Failure {
        Failure::new(Code::Local, message)
    }

    /// The same failure with a sentence added to its message.
    pub fn with_note(mut self, note: &str) -> Failure {
        self.message = format!("{} {note}", self.message);
        self
    }
}

/// The exit code of an engine error kind.
pub fn code_for(kind: ErrorKind) -> Code {
    match kind {
        ErrorKind::Input => Code::Usage,
        ErrorKind::AuthRefused => Code::AuthRefused,
        ErrorKind::Network => Code::Network,
        ErrorKind::Keychain => Code::Keychain,
        ErrorKind::Local => Code::Local,
    }
}

/// What the keychain messages say in the app's words, said for the command line.
const SESSION_ONLY_HINT: &str = "(On the command line: add --session-only.)";

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Failure {
        Failure::explained(e, &engine::diagnose::Context::default())
    }
}

impl Failure {
    /// An engine error with the engine's explanation of what happened and what to do under the
    /// message, ranked with what `ctx` knows of the attempt (a profile's method, client ID, …).
    /// A value outside the engine's limits is said in the engine's words alone, as the window
    /// says it: the message already names the value and what to change.
    pub fn explained(e: EngineError, ctx: &engine::diagnose::Context) -> Failure {
        if let EngineError::InvalidInput(message) = e {
            return Failure::usage(message);
        }
        let explained = engine::diagnose::diagnose_error(&e, ctx).to_text();
        let mut failure = match e {
            EngineError::Vault(v) => v.into(),
            EngineError::Profile(p) => p.into(),
            other => Failure::new(code_for(other.kind()), other.to_string()),
        };
        failure.message = format!("{}\n\n{}", failure.message, explained.trim_end());
        failure
    }
}

impl From<VaultError> for Failure {
    fn from(e: VaultError) -> Failure {
        let message = match e {
            VaultError::Damaged(_) => e.to_string(),
            _ => format!("{e} {SESSION_ONLY_HINT}"),
        };
        Failure::new(Code::Keychain, message)
    }
}

impl From<ProfileError> for Failure {
    /// A profile that is wrong is a usage error; a settings file that cannot be read or written
    /// is a local one.
    fn from(e: ProfileError) -> Failure {
        let code = match e {
            ProfileError::Io { .. }
            | ProfileError::NoConfigDir
            | ProfileError::Corrupt { .. }
            | ProfileError::ChangedElsewhereUnreadable { .. }
            | ProfileError::Locked(_) => Code::Local,
            _ => Code::Usage,
        };
        Failure::new(code, e.to_string())
    }
}

impl From<engine::profiles::TransferError> for Failure {
    fn from(e: engine::profiles::TransferError) -> Failure {
        match e {
            engine::profiles::TransferError::Store(p) => p.into(),
            other => Failure::usage(other.to_string()),
        }
    }
}
