//! The error every command returns: a `kind` the UI can switch on, a message that says what to
//! do, and — for failures the engine met — its diagnosis (causes, what to do, fix actions).

use engine::diagnose::{diagnose_error, Context, Diagnosis};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// What the user entered is missing or wrong.
    #[error("{0}")]
    Input(String),
    /// Something on this computer (a port, a file, a cancelled sign-in).
    #[error("{0}")]
    Local(String),
    #[error("{0}")]
    Startup(String),
    /// A failure of the engine, with its diagnosis.
    #[error("{message}")]
    Engine { kind: engine::ErrorKind, message: String, diagnosis: Box<Diagnosis> },
}

impl Serialize for CommandError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let kind = match self {
            CommandError::Input(_) => "input",
            CommandError::Local(_) => "local",
            CommandError::Startup(_) => "startup",
            CommandError::Engine { kind, .. } => match kind {
                engine::ErrorKind::Input => "input",
                engine::ErrorKind::AuthRefused => "auth_refused",
                engine::ErrorKind::Network => "network",
                engine::ErrorKind::Keychain => "keychain",
                engine::ErrorKind::Local => "local",
            },
        };
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("kind", kind)?;
        map.serialize_entry("message", &self.to_string())?;
        if let CommandError::Engine { diagnosis, .. } = self {
            map.serialize_entry("diagnosis", diagnosis)?;
        }
        map.end()
    }
}

impl From<engine::EngineError> for CommandError {
    fn from(e: engine::EngineError) -> Self {
        CommandError::diagnosed(e, &Context::default())
    }
}

impl CommandError {
    /// An engine failure diagnosed with what the command knows (the profile's method, the
    /// token URL, the callback URL, the token's age), which ranks the causes and fills the fixes.
    pub fn diagnosed(e: engine::EngineError, ctx: &Context) -> Self {
        let diagnosis = Box::new(diagnose_error(&e, ctx));
        CommandError::Engine { kind: e.kind(), message: e.to_string(), diagnosis }
    }
}

impl From<engine::ProfileError> for CommandError {
    fn from(e: engine::ProfileError) -> Self {
        engine::EngineError::from(e).into()
    }
}

impl From<engine::vault::VaultError> for CommandError {
    fn from(e: engine::vault::VaultError) -> Self {
        engine::EngineError::from(e).into()
    }
}
