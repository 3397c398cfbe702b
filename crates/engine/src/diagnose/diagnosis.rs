//! What a diagnosis is: a stable code, plain-language explanation and steps, and [`Fix`]es the
//! UI turns into buttons.

use crate::profiles::Method;
use serde::Serialize;

/// The explanation of one failure, for someone who is not a developer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Diagnosis {
    /// Stable and dotted, from general to specific, e.g. `oauth.invalid_grant.password`. Listed
    /// in [`super::codes::ALL`]; front ends may switch on it, tests pin it.
    pub code: &'static str,
    /// One line, plain words.
    pub title: String,
    /// The likely causes, most likely first.
    pub what_happened: Vec<String>,
    /// What to do, in order.
    pub what_to_do: Vec<String>,
    /// Actions the app can take for the user (buttons).
    pub fixes: Vec<Fix>,
    /// Validation errors shown beside the fields they are about (422 answers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub field_errors: Vec<FieldError>,
    /// A short summary of the raw exchange or error, with secrets removed, for support.
    pub details: Option<String>,
    /// The raw exchange itself when it is known — request line and headers, status and headers,
    /// the first part of each body — with secrets removed ([`super::exchange`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<String>,
}

/// An action the app can take to fix a problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fix {
    /// Renew the access token (with the refresh token, or by asking again).
    RenewToken,
    /// Get a new token the normal way (Get New Access Token).
    SignInAgain,
    /// Add `Accept: application/vnd.api+json` to the request.
    AddAcceptHeader,
    /// Add `Content-Type: application/vnd.api+json` to the request.
    AddContentTypeHeader,
    /// Use the password method without sending a callback URL (the Postman pitfall).
    SwitchToPasswordWithoutRedirectUri,
    /// Use another of the three ways to get a token.
    SwitchMethod { to: Method },
    /// Copy the callback URL, to give to ScopeStack support or compare with the registered one.
    CopyCallbackUrl { url: String },
    /// Try the same thing again.
    Retry,
    /// Try again after this many seconds.
    RetryAfter { seconds: u64 },
    /// Keep secrets in memory for this session instead of the system keychain.
    UseSessionOnlyVault,
    /// Open the settings at this field.
    OpenSettings { field: SettingsField },
    /// Let the kept client secret and password go to the profile's token URL as it is now.
    ConfirmKeptSecrets { given_for: String, now: String },
}

/// The settings and request fields a diagnosis can point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SettingsField {
    Method,
    ClientId,
    ClientSecret,
    Username,
    Password,
    Scope,
    TokenUrl,
    AuthorizeUrl,
    ApiUrl,
    CallbackUrl,
    ClientAuth,
    ProfileName,
    /// A token pasted by hand.
    Token,
    /// The URL of a request in the request tester.
    RequestUrl,
    /// The headers of a request in the request tester.
    RequestHeaders,
    /// The body of a request in the request tester.
    RequestBody,
}

/// One validation error of a 422 answer, tied to the field it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct FieldError {
    /// The JSON pointer the server gave, e.g. `/data/attributes/project-name`.
    pub pointer: Option<String>,
    /// The field's name, e.g. `project-name` (the pointer's last part).
    pub field: Option<String>,
    /// What is wrong, in the server's words.
    pub message: String,
}

impl Diagnosis {
    pub fn new(code: &'static str, title: impl Into<String>) -> Diagnosis {
        Diagnosis {
            code,
            title: title.into(),
            what_happened: Vec::new(),
            what_to_do: Vec::new(),
            fixes: Vec::new(),
            field_errors: Vec::new(),
            details: None,
            exchange: None,
        }
    }

    /// Adds a likely cause (call in order, most likely first).
    pub fn cause(mut self, text: impl Into<String>) -> Self {
        self.what_happened.push(text.into());
        self
    }

    /// Adds a step.
    pub fn step(mut self, text: impl Into<String>) -> Self {
        self.what_to_do.push(text.into());
        self
    }

    /// Adds a fix, once.
    pub fn fix(mut self, fix: Fix) -> Self {
        if !self.fixes.contains(&fix) {
            self.fixes.push(fix);
        }
        self
    }

    pub fn details(mut self, details: impl Into<String>) -> Self {
        self.details = Some(details.into());
        self
    }

    /// Adds the raw exchange, redacted.
    pub fn with_exchange(mut self, exchange: &super::exchange::Exchange<'_>) -> Self {
        self.exchange = Some(super::exchange::exchange_text(exchange));
        self
    }

    /// The diagnosis as one block of text, for the CLI and logs.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n", self.title);
        if !self.what_happened.is_empty() {
            out.push_str("\nWhat happened:\n");
            for line in &self.what_happened {
                out.push_str(&format!("  - {line}\n"));
            }
        }
        if !self.field_errors.is_empty() {
            out.push_str("\nFields:\n");
            for e in &self.field_errors {
                out.push_str(&format!(
                    "  - {}: {}\n",
                    e.field.as_deref().or(e.pointer.as_deref()).unwrap_or("(whole request)"),
                    e.message
                ));
            }
        }
        if !self.what_to_do.is_empty() {
            out.push_str("\nWhat to do:\n");
            for (i, line) in self.what_to_do.iter().enumerate() {
                out.push_str(&format!("  {}. {line}\n", i + 1));
            }
        }
        if let Some(d) = &self.details {
            out.push_str(&format!("\nDetails: {d}\n"));
        }
        out.push_str(&format!("(code: {})\n", self.code));
        out
    }
}
