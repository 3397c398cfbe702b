//! The error every command returns: a `kind` the UI can switch on, a message that says what to
//! do, and — for failures the engine met — its diagnosis (causes, what to do, fix actions).

use engine::diagnose::{diagnose_error, Context, Diagnosis};
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

/// What the UI switches on: `CommandError`'s `kind` in the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CommandErrorKind {
    Input,
    Local,
    Startup,
    AuthRefused,
    Network,
    Keychain,
}

/// `CommandError` as it crosses into the window (and its TypeScript type).
#[derive(Serialize, specta::Type)]
#[serde(rename = "CommandError")]
struct CommandErrorJson<'a> {
    kind: CommandErrorKind,
    message: String,
    /// For failures the engine met.
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnosis: Option<&'a Diagnosis>,
}

impl CommandError {
    pub fn kind(&self) -> CommandErrorKind {
        match self {
            CommandError::Input(_) => CommandErrorKind::Input,
            CommandError::Local(_) => CommandErrorKind::Local,
            CommandError::Startup(_) => CommandErrorKind::Startup,
            CommandError::Engine { kind, .. } => match kind {
                engine::ErrorKind::Input => CommandErrorKind::Input,
                engine::ErrorKind::AuthRefused => CommandErrorKind::AuthRefused,
                engine::ErrorKind::Network => CommandErrorKind::Network,
                engine::ErrorKind::Keychain => CommandErrorKind::Keychain,
                engine::ErrorKind::Local => CommandErrorKind::Local,
            },
        }
    }
}

impl Serialize for CommandError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let diagnosis = match self {
            CommandError::Engine { diagnosis, .. } => Some(&**diagnosis),
            _ => None,
        };
        CommandErrorJson { kind: self.kind(), message: self.to_string(), diagnosis }
            .serialize(serializer)
    }
}

impl specta::Type for CommandError {
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        CommandErrorJson::definition(types)
    }
}

impl From<engine::EngineError> for CommandError {
    /// A value outside the engine's limits ([`engine::limits`]) is the user's to change: an
    /// input error with the engine's words. Every other failure comes with its diagnosis.
    fn from(e: engine::EngineError) -> Self {
        match e {
            engine::EngineError::InvalidInput(message) => CommandError::Input(message),
            e => CommandError::diagnosed(e, &Context::default()),
        }
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
