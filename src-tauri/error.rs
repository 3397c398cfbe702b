//! The error every command returns: a `kind` the UI can switch on and a message that says
//! what to do.

use serde::Serialize;

#[derive(Debug, Serialize, thiserror::Error)]
#[serde(tag = "kind", content = "message", rename_all = "snake_case")]
pub enum CommandError {
    /// What the user entered is missing or wrong.
    #[error("{0}")]
    Input(String),
    /// The server refused the credentials, the grant or the token.
    #[error("{0}")]
    AuthRefused(String),
    #[error("{0}")]
    Network(String),
    #[error("{0}")]
    Keychain(String),
    /// Something on this computer (a port, a file, a cancelled sign-in).
    #[error("{0}")]
    Local(String),
    #[error("{0}")]
    Startup(String),
}

impl From<engine::EngineError> for CommandError {
    fn from(e: engine::EngineError) -> Self {
        use engine::ErrorKind;
        let message = e.to_string();
        match e.kind() {
            ErrorKind::Input => CommandError::Input(message),
            ErrorKind::AuthRefused => CommandError::AuthRefused(message),
            ErrorKind::Network => CommandError::Network(message),
            ErrorKind::Keychain => CommandError::Keychain(message),
            ErrorKind::Local => CommandError::Local(message),
        }
    }
}

impl From<engine::ProfileError> for CommandError {
    fn from(e: engine::ProfileError) -> Self {
        CommandError::Input(e.to_string())
    }
}

impl From<engine::vault::VaultError> for CommandError {
    fn from(e: engine::vault::VaultError) -> Self {
        CommandError::Keychain(e.to_string())
    }
}
