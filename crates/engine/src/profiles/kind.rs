//! Whether a profile's account is a customer's production account or a test one, and the mark a
//! profile gets when its file (or an export) does not say.

use super::Environment;
use crate::origin::is_loopback;
use serde::{Deserialize, Serialize};

/// The account a profile works in: production (a customer's real data, where a write is asked
/// about first) or test (the sandbox, a server on this computer: writes go without asking).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    Production,
    Test,
}

impl AccountKind {
    /// The mark of a profile that was never given one (a file or export from before the mark, a
    /// new profile): **test** for the built-in sandbox and for a server on this computer
    /// (loopback: a sandbox or a mock started by hand), **production** for every other host.
    ///
    /// Not only `app.scopestack.io`: a staging server, another region or a proxy in front of
    /// ScopeStack may hold a customer's real data too, and the two mistakes do not cost the same —
    /// a test account marked production costs one question before a write, a production account
    /// marked test may cost a customer's data. The user changes the mark when it is wrong.
    pub fn default_for(environment: &Environment) -> AccountKind {
        match environment {
            Environment::BuiltInSandbox => AccountKind::Test,
            Environment::Server(e) if is_loopback(&e.api_url) => AccountKind::Test,
            Environment::Server(_) => AccountKind::Production,
        }
    }

    /// The word for it ("production", "test"), as the CLI prints it and accepts it.
    pub fn word(self) -> &'static str {
        match self {
            AccountKind::Production => "production",
            AccountKind::Test => "test",
        }
    }

    pub fn is_production(self) -> bool {
        self == AccountKind::Production
    }
}

/// Whether an HTTP method changes something on the server (POST, PATCH, PUT, DELETE), and so is
/// asked about on a production profile. Other methods (GET, HEAD, OPTIONS) only read.
pub fn is_write(method: &str) -> bool {
    ["POST", "PATCH", "PUT", "DELETE"].iter().any(|m| m.eq_ignore_ascii_case(method.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::Endpoints;
    use url::Url;

    fn server(base: &str) -> Environment {
        let url = |path: &str| Url::parse(base).unwrap().join(path).unwrap();
        Environment::Server(Endpoints {
            authorize_url: url("/oauth/authorize"),
            token_url: url("/oauth/token"),
            api_url: url("/"),
        })
    }

    #[test]
    fn the_sandbox_and_this_computer_are_test_other_hosts_production() {
        assert_eq!(AccountKind::default_for(&Environment::BuiltInSandbox), AccountKind::Test);
        for base in ["http://127.0.0.1:8080", "http://localhost:3000", "http://[::1]:9"] {
            assert_eq!(AccountKind::default_for(&server(base)), AccountKind::Test, "{base}");
        }
        for base in
            ["https://api.scopestack.io", "https://staging.scopestack.io", "https://10.0.0.5"]
        {
            assert_eq!(AccountKind::default_for(&server(base)), AccountKind::Production, "{base}");
        }
    }

    #[test]
    fn writes_are_the_four_changing_methods() {
        for m in ["POST", "patch", "PUT", "Delete"] {
            assert!(is_write(m), "{m}");
        }
        for m in ["GET", "HEAD", "OPTIONS", ""] {
            assert!(!is_write(m), "{m}");
        }
    }

    #[test]
    fn the_mark_is_written_as_a_word() {
        assert_eq!(serde_json::to_string(&AccountKind::Production).unwrap(), "\"production\"");
        assert_eq!(serde_json::from_str::<AccountKind>("\"test\"").unwrap(), AccountKind::Test);
        assert_eq!(AccountKind::Production.word(), "production");
    }
}
