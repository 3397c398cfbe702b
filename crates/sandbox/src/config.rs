//! How a sandbox is started: its port and the lifetimes of tokens and authorization codes.

use std::time::Duration;

/// Settings for [`crate::Sandbox::start`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxConfig {
    /// Port on 127.0.0.1 to listen on; 0 lets the operating system pick a free one.
    pub port: u16,
    /// How long an access token stays valid (ScopeStack: about two hours).
    pub token_lifetime: Duration,
    /// How long an authorization code can be exchanged (Doorkeeper: ten minutes).
    pub code_lifetime: Duration,
}

/// Default access-token lifetime: 7200 seconds, like ScopeStack.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(7200);
/// Default authorization-code lifetime: 600 seconds, like Doorkeeper.
pub const DEFAULT_CODE_LIFETIME: Duration = Duration::from_secs(600);

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 0,
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            code_lifetime: DEFAULT_CODE_LIFETIME,
        }
    }
}
