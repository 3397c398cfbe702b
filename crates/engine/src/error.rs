//! The engine's error: one enum, each variant saying what happened and what to do, with a
//! stable [`ErrorKind`] front ends can switch on (the UI's cards, the CLI's exit codes).

use crate::profiles::ProfileError;
use crate::vault::VaultError;
use serde::Serialize;

/// The broad class of a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Something is missing or wrong in what the user entered.
    Input,
    /// The server refused the credentials, the grant or the token.
    AuthRefused,
    /// The server could not be reached, or answered with something unusable.
    Network,
    /// The OS keychain could not be used.
    Keychain,
    /// Something on this computer: a port in use, a file, a cancelled or timed-out sign-in.
    Local,
}

/// How the network failed, as far as can be told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NetworkFailure {
    Timeout,
    Connect,
    Tls,
    Other,
}

/// What is known of an answer the app could not use besides its words: what it was, and the
/// headers that explain it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnswerFacts {
    pub problem: Option<Problem>,
    /// `Content-Type`, as sent.
    pub content_type: Option<String>,
    /// `Retry-After`, in seconds (a date is counted from now).
    pub retry_after: Option<u64>,
    /// `Location`, of a redirect.
    pub location: Option<String>,
    /// `WWW-Authenticate`, of a 401.
    pub www_authenticate: Option<String>,
    /// `Date`: the server's clock.
    pub date: Option<String>,
}

/// What was wrong with an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A token URL answered with a redirect, which is never followed.
    Redirect,
    /// A token URL answered with neither a token nor an OAuth error.
    Unusable(crate::http_answer::Answer),
    /// A token answer that stops before its end.
    TokenCutOff,
    /// A token answer that is not JSON, or not a JSON object.
    TokenNotJson,
    MissingAccessToken,
    EmptyAccessToken,
    MissingTokenType,
    /// A `token_type` other than Bearer.
    NotBearer,
    /// A field of a token answer missing, repeated or of the wrong kind.
    TokenField {
        field: String,
    },
    /// An answer from the sign-in service past its size cap (1 MiB).
    TokenTooLarge,
    /// A response body past the request tester's limit.
    BodyTooLarge,
    /// A compressed body that could not be unpacked.
    Damaged,
    /// An API answer that is not JSON where JSON was expected.
    NotJson,
}

impl AnswerFacts {
    pub fn of(problem: Problem) -> AnswerFacts {
        AnswerFacts { problem: Some(problem), ..AnswerFacts::default() }
    }

    /// Boxed, as the errors keep it (small errors keep `Result`s small).
    pub fn boxed(self) -> Box<AnswerFacts> {
        Box::new(self)
    }

    /// The headers that explain an answer: `Content-Type`, `Retry-After`, `Location`.
    pub fn from_headers(headers: &http::HeaderMap) -> AnswerFacts {
        let get = |name: http::header::HeaderName| {
            headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
        };
        AnswerFacts {
            problem: None,
            content_type: get(http::header::CONTENT_TYPE),
            retry_after: get(http::header::RETRY_AFTER)
                .and_then(|v| crate::http_answer::retry_after_secs(&v, crate::tokens::now_unix())),
            location: get(http::header::LOCATION),
            www_authenticate: get(http::header::WWW_AUTHENTICATE),
            date: get(http::header::DATE),
        }
    }

    /// The headers kept, as name and value.
    pub fn headers(&self) -> Vec<(String, String)> {
        let retry_after = self.retry_after.map(|s| s.to_string());
        [
            ("Content-Type", &self.content_type),
            ("Retry-After", &retry_after),
            ("Location", &self.location),
            ("WWW-Authenticate", &self.www_authenticate),
            ("Date", &self.date),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| (name.to_string(), v.clone())))
        .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Lock(#[from] crate::file_lock::LockError),
    #[error("{0}")]
    MissingInput(String),
    /// A value given (typed in the window, a command-line flag, a file) outside what
    /// [`crate::limits`] allows: too long, too many, on several lines, not of its form. The
    /// message names the value and says what to change.
    #[error("{0}")]
    InvalidInput(String),
    /// The token endpoint answered with an OAuth error.
    #[error("The server refused: {error}{}. {hint}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Refused { error: String, description: Option<String>, hint: String },
    /// The server answered, but not with something usable. `answer` says what it was, for
    /// `diagnose` to read rather than the words of `detail`.
    #[error("The server's answer could not be used: {detail}")]
    BadResponse { status: Option<u16>, detail: String, answer: Box<AnswerFacts> },
    #[error("Could not reach {url}: {detail}")]
    Network { url: String, failure: NetworkFailure, detail: String },
    /// Renewal is impossible; the user must get a new token the normal way.
    #[error("Sign in again: {reason}")]
    SignInAgain { reason: String },
    #[error("This profile has no access token: none was fetched yet, or it was revoked. Sign in again with Get New Access Token.")]
    NoToken,
    /// The API answered the verify call with an error status.
    #[error("{message}")]
    Api { status: u16, message: String, answer: Box<AnswerFacts> },
    #[error("The sign-in was refused in the browser: {error}{}. {hint}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    AuthorizationDenied { error: String, description: Option<String>, hint: String },
    #[error("The browser came back with a different sign-in attempt than the one started here (the \"state\" did not match). Nothing was exchanged. Start the sign-in again.")]
    StateMismatch,
    #[error("The address the browser ended on has no authorization code: {0}. Paste the full address from the browser's address bar, after signing in.")]
    BadCallbackUrl(String),
    #[error("Port {port} on 127.0.0.1 is in use by another program, so the sign-in cannot receive the browser's answer there. Close the other program, or let the app pick a free port (only if your client accepts any 127.0.0.1 port).")]
    PortInUse { port: u16 },
    #[error("No sign-in arrived within {seconds} seconds. Start again, and finish signing in within the time.")]
    TimedOut { seconds: u64 },
    #[error("Cancelled before it finished; nothing was kept.")]
    Cancelled,
    #[error("Could not open the browser: {0}. Copy the sign-in address and open it yourself.")]
    BrowserOpen(String),
    #[error("{0}")]
    Local(String),
    /// A kept client secret or password given for another origin than the token URL's now.
    #[error("The {secret} kept for this profile was given for {given_for}, and the profile now gets its tokens from {now}. It is not sent to {now} until you say so: in the app, answer the question above the sign-in form; with scopestack-cli, run `login --remember` and give the {secret} again.")]
    SecretGivenElsewhere { secret: &'static str, given_for: String, now: String },
    /// A JSON:API page link that leads off the profile's API: paging stops.
    #[error("The next page's link leads to another server ({host}), not to the profile's API ({api}): paging follows links on the API only, so it stops here.")]
    PageLinkElsewhere { host: String, api: String },
    /// A request would leave over plain http to another computer.
    #[error("{url} would go over plain http:// to another computer, where anything on the way could read it. Requests leave over https:// only (http:// only to this computer): write https://, or check the variables the address uses.")]
    InsecureDestination { url: String },
}

impl EngineError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            EngineError::Profile(ProfileError::Locked(_)) | EngineError::Lock(_) => {
                ErrorKind::Local
            }
            EngineError::Profile(_)
            | EngineError::MissingInput(_)
            | EngineError::InvalidInput(_)
            | EngineError::BadCallbackUrl(_)
            | EngineError::SecretGivenElsewhere { .. }
            | EngineError::PageLinkElsewhere { .. }
            | EngineError::InsecureDestination { .. } => ErrorKind::Input,
            EngineError::Vault(_) => ErrorKind::Keychain,
            EngineError::Refused { .. }
            | EngineError::SignInAgain { .. }
            | EngineError::NoToken
            | EngineError::Api { .. }
            | EngineError::AuthorizationDenied { .. }
            | EngineError::StateMismatch => ErrorKind::AuthRefused,
            EngineError::BadResponse { .. } | EngineError::Network { .. } => ErrorKind::Network,
            EngineError::PortInUse { .. }
            | EngineError::TimedOut { .. }
            | EngineError::Cancelled
            | EngineError::BrowserOpen(_)
            | EngineError::Local(_) => ErrorKind::Local,
        }
    }
}

pub type Result<T, E = EngineError> = std::result::Result<T, E>;
