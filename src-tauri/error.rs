//! The error every command returns: a `kind` the UI can switch on and a message that says
//! what to do.

use serde::Serialize;

#[derive(Debug, Serialize, thiserror::Error)]
#[serde(tag = "kind", content = "message", rename_all = "snake_case")]
pub enum CommandError {
    #[error("{0}")]
    Profiles(String),
    #[error("{0}")]
    Startup(String),
}

impl From<engine::ProfileError> for CommandError {
    fn from(e: engine::ProfileError) -> Self {
        CommandError::Profiles(e.to_string())
    }
}
