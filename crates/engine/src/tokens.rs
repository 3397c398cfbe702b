//! The token set a server hands out, and when it expires.
//!
//! ScopeStack's access tokens are JWTs without an `exp` claim, so expiry comes from the token
//! response's `expires_in` (counted from `created_at` when the server sends it). Only when that is
//! missing do we look for a JWT `exp`; failing both, the token has "no expiry given".

use crate::profiles::Method;
use crate::secret::Secret;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// Where a token's expiry time came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ExpirySource {
    /// `expires_in` of the token response, from `created_at` or from when it arrived.
    ExpiresIn,
    /// The `exp` claim of a JWT access token.
    JwtExp,
    /// The server gave no expiry.
    NotGiven,
}

/// An access token with what belongs to it. Secrets are [`Secret`]s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSet {
    pub access_token: Secret,
    pub token_type: String,
    pub refresh_token: Option<Secret>,
    pub scope: Option<String>,
    /// Unix seconds: the server's `created_at`, else when the response arrived.
    pub issued_at: i64,
    /// Unix seconds; `None` when the server gave no expiry.
    pub expires_at: Option<i64>,
    pub expiry_source: ExpirySource,
    /// The method that obtained it, which decides how it is renewed.
    pub obtained_with: Method,
}

/// The fields of a token response that the expiry depends on.
pub struct ResponseTimes {
    pub expires_in: Option<u64>,
    pub created_at: Option<i64>,
    /// When the response arrived, unix seconds.
    pub received_at: i64,
}

impl TokenSet {
    /// Builds a token set from the parts of a token response.
    pub fn from_response(
        access_token: Secret,
        token_type: String,
        refresh_token: Option<Secret>,
        scope: Option<String>,
        times: ResponseTimes,
        obtained_with: Method,
    ) -> TokenSet {
        // A created_at far from our clock (a skewed server) would make a fresh token look expired
        // or immortal; trust it only within a day of the arrival time.
        let issued_at = times
            .created_at
            .filter(|c| (c - times.received_at).abs() <= 86_400)
            .unwrap_or(times.received_at);
        let (expires_at, expiry_source) = match times.expires_in {
            Some(secs) => (
                Some(issued_at.saturating_add(i64::try_from(secs).unwrap_or(i64::MAX))),
                ExpirySource::ExpiresIn,
            ),
            None => match jwt_exp(access_token.expose()) {
                Some(exp) => (Some(exp), ExpirySource::JwtExp),
                None => (None, ExpirySource::NotGiven),
            },
        };
        TokenSet {
            access_token,
            token_type,
            refresh_token,
            scope,
            issued_at,
            expires_at,
            expiry_source,
            obtained_with,
        }
    }

    /// Seconds left before expiry at `now` (negative once expired); `None` without an expiry.
    pub fn seconds_left(&self, now: i64) -> Option<i64> {
        self.expires_at.map(|e| e - now)
    }

    /// Whether the token should be renewed now: it expires within `margin_secs`.
    pub fn needs_renewal(&self, now: i64, margin_secs: i64) -> bool {
        matches!(self.seconds_left(now), Some(left) if left <= margin_secs)
    }

    /// The margin to renew this token with: `usual_secs`, or for a token that lives less than four
    /// times that, a quarter of its lifetime (at least a second) — so a 5-second token is renewed
    /// with a second left rather than at every use.
    pub fn renewal_margin(&self, usual_secs: i64) -> i64 {
        match self.expires_at.map(|e| e.saturating_sub(self.issued_at)) {
            Some(lifetime) if lifetime > 0 => usual_secs.min((lifetime / 4).max(1)),
            _ => usual_secs,
        }
    }

    /// [`TokenSet::needs_renewal`] with [`TokenSet::renewal_margin`] of the usual 60 seconds.
    pub fn due_for_renewal(&self, now: i64) -> bool {
        self.needs_renewal(now, self.renewal_margin(crate::session::DEFAULT_RENEW_MARGIN_SECS))
    }
}

/// The `exp` claim of a JWT, if the token is a JWT and has one.
pub fn jwt_exp(token: &str) -> Option<i64> {
    let mut parts = token.split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("exp")?.as_f64().filter(|e| e.is_finite()).map(|e| e as i64)
}

/// The current time in unix seconds.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.sig", b64(r#"{"alg":"HS512"}"#), b64(claims))
    }

    fn set(token: &str, times: ResponseTimes) -> TokenSet {
        TokenSet::from_response(
            Secret::new(token),
            "Bearer".into(),
            None,
            None,
            times,
            Method::ClientCredentials,
        )
    }

    #[test]
    fn expiry_counts_expires_in_from_created_at() {
        let t = set(
            "opaque",
            ResponseTimes {
                expires_in: Some(7200),
                created_at: Some(1_700_000_000),
                received_at: 1_700_000_005,
            },
        );
        assert_eq!(t.issued_at, 1_700_000_000);
        assert_eq!(t.expires_at, Some(1_700_007_200));
        assert_eq!(t.expiry_source, ExpirySource::ExpiresIn);
    }

    #[test]
    fn without_created_at_expiry_counts_from_arrival() {
        let t = set(
            "opaque",
            ResponseTimes { expires_in: Some(60), created_at: None, received_at: 1000 },
        );
        assert_eq!(t.expires_at, Some(1060));
    }

    #[test]
    fn a_skewed_created_at_is_not_trusted() {
        let t = set(
            "opaque",
            ResponseTimes { expires_in: Some(60), created_at: Some(5), received_at: 1_700_000_000 },
        );
        assert_eq!(t.expires_at, Some(1_700_000_060));
    }

    #[test]
    fn without_expires_in_the_jwt_exp_is_used() {
        let t = set(
            &jwt(r#"{"iss":"x","exp":1800000000}"#),
            ResponseTimes { expires_in: None, created_at: None, received_at: 1 },
        );
        assert_eq!(t.expires_at, Some(1_800_000_000));
        assert_eq!(t.expiry_source, ExpirySource::JwtExp);
    }

    #[test]
    fn scopestack_jwts_without_exp_have_no_expiry() {
        let t = set(
            &jwt(r#"{"iss":"ScopeStack","iat":1}"#),
            ResponseTimes { expires_in: None, created_at: None, received_at: 1 },
        );
        assert_eq!(t.expires_at, None);
        assert_eq!(t.expiry_source, ExpirySource::NotGiven);
        assert!(!t.needs_renewal(i64::MAX, 60));
    }

    #[test]
    fn renewal_is_due_within_the_margin() {
        let t = set(
            "opaque",
            ResponseTimes { expires_in: Some(100), created_at: None, received_at: 0 },
        );
        assert!(!t.needs_renewal(39, 60));
        assert!(t.needs_renewal(40, 60));
        assert!(t.needs_renewal(500, 60));
        assert_eq!(t.seconds_left(130), Some(-30));
    }

    #[test]
    fn a_short_lived_token_is_renewed_with_a_quarter_of_its_life_left() {
        let five_seconds = set(
            "opaque",
            ResponseTimes { expires_in: Some(5), created_at: None, received_at: 1000 },
        );
        assert_eq!(five_seconds.renewal_margin(60), 1);
        assert!(!five_seconds.due_for_renewal(1003));
        assert!(five_seconds.due_for_renewal(1004));
        let two_hours = set(
            "opaque",
            ResponseTimes { expires_in: Some(7200), created_at: None, received_at: 0 },
        );
        assert_eq!(two_hours.renewal_margin(60), 60);
        assert!(!two_hours.due_for_renewal(7139));
        assert!(two_hours.due_for_renewal(7140));
        let no_expiry = set(
            &jwt(r#"{"iss":"ScopeStack","iat":1}"#),
            ResponseTimes { expires_in: None, created_at: None, received_at: 1 },
        );
        assert_eq!(no_expiry.renewal_margin(60), 60);
    }

    #[test]
    fn garbage_is_not_a_jwt() {
        for t in [
            "",
            "a.b",
            "a.b.c.d",
            "x.!!!.y",
            &format!("a.{}.c", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("[1]")),
        ] {
            assert_eq!(jwt_exp(t), None, "{t}");
        }
    }
}
