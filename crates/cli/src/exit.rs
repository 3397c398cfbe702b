//! Exit codes of `scopestack-cli`, and the failure type every subcommand returns.

/// What a script can rely on. Documented in `--help`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Code {
    /// The command line was wrong (clap also exits with 2).
    #[allow(dead_code)]
    Usage = 2,
    /// The server refused the credentials or the token.
    #[allow(dead_code)]
    AuthRefused = 3,
    /// The server could not be reached, or answered with something unusable.
    #[allow(dead_code)]
    Network = 4,
    /// The OS keychain could not be used.
    #[allow(dead_code)]
    Keychain = 5,
    /// Something on this computer failed: a port in use, a file that cannot be written.
    Local = 6,
}

pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  2  usage: the command line was wrong
  3  authentication refused: the server rejected the credentials or the token
  4  network: the server could not be reached or answered with something unusable
  5  keychain: the OS keychain could not be used
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
}
