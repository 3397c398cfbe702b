//! Checks on profile settings, with messages that say what to change.

use super::{Endpoints, Environment, Profile, ProfileError};
use url::Url;

/// Accepts `https://` anywhere and `http://` only for this computer (loopback), where nothing
/// travels over a network.
pub fn check_url(field: &'static str, url: &Url) -> Result<(), ProfileError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(ProfileError::InsecureUrl { field, value: url.to_string() }),
        _ => Err(ProfileError::UnsupportedScheme { field, value: url.to_string() }),
    }
}

use crate::origin::is_loopback;

fn check_endpoints(e: &Endpoints) -> Result<(), ProfileError> {
    check_url("authorize URL", &e.authorize_url)?;
    check_url("token URL", &e.token_url)?;
    check_url("API URL", &e.api_url)
}

impl Profile {
    /// Checks what every saved profile must satisfy (a name, safe URLs). Missing credentials
    /// are allowed here: they are asked for when a token is requested.
    pub fn validate(&self) -> Result<(), ProfileError> {
        if self.name.trim().is_empty() {
            return Err(ProfileError::EmptyName);
        }
        if let Environment::Server(endpoints) = &self.environment {
            check_endpoints(endpoints)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn https_is_accepted_everywhere() {
        assert!(check_url("token URL", &url("https://app.scopestack.io/oauth/token")).is_ok());
    }

    #[test]
    fn http_is_accepted_for_loopback_only() {
        for ok in [
            "http://127.0.0.1:8080/x",
            "http://localhost/x",
            "http://[::1]:9/x",
            "http://127.3.2.1/",
        ] {
            assert!(check_url("token URL", &url(ok)).is_ok(), "{ok}");
        }
        let err = check_url("token URL", &url("http://app.scopestack.io/oauth/token")).unwrap_err();
        assert!(matches!(err, ProfileError::InsecureUrl { .. }));
        assert!(err.to_string().contains("use https://"), "{err}");
    }

    #[test]
    fn other_schemes_are_refused() {
        let err = check_url("API URL", &url("ftp://api.scopestack.io")).unwrap_err();
        assert!(matches!(err, ProfileError::UnsupportedScheme { .. }));
    }

    #[test]
    fn a_profile_needs_a_name() {
        let mut p = crate::profiles::scopestack_production();
        p.name = "  ".into();
        assert!(matches!(p.validate(), Err(ProfileError::EmptyName)));
    }
}
