//! Access tokens as ScopeStack makes them: HS512 JWTs with `iss`, `iat`, `jti` and `user`, no `exp`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha512;

type HmacSha512 = Hmac<Sha512>;

/// The JOSE header of every token.
const HEADER: &str = r#"{"alg":"HS512","typ":"JWT"}"#;

/// The claims of an access token. Expiry is kept by the server, so there is no `exp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Claims {
    pub iss: String,
    pub iat: u64,
    pub jti: String,
    pub user: UserClaim,
}

/// The `user` claim: who the token acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UserClaim {
    pub id: u64,
    pub email: String,
    /// The account slug.
    pub account: String,
}

/// A signing key made at random for each sandbox, so tokens never outlive it.
pub(crate) struct JwtKey([u8; 64]);

impl JwtKey {
    /// A fresh random key.
    pub fn random() -> Self {
        JwtKey(crate::random::random_bytes::<64>())
    }

    fn mac(&self) -> HmacSha512 {
        // HMAC accepts keys of any length, so this cannot fail.
        match HmacSha512::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC takes keys of any length"),
        }
    }

    /// The compact JWT for `claims`.
    pub fn sign(&self, claims: &Claims) -> String {
        let payload = serde_json::to_vec(claims).unwrap_or_default();
        let signing_input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(HEADER), URL_SAFE_NO_PAD.encode(payload));
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{sig}")
    }

    /// The claims of `token` if it is a well-formed HS512 JWT signed with this key.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let mut parts = token.split('.');
        let (header, payload, sig) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let jose: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
        if jose.get("alg")?.as_str()? != "HS512" {
            return None;
        }
        let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
        let mut mac = self.mac();
        mac.update(&token.as_bytes()[..header.len() + 1 + payload.len()]);
        mac.verify_slice(&sig).ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims {
            iss: "ScopeStack".into(),
            iat: 1_700_000_000,
            jti: "j".into(),
            user: UserClaim { id: 1, email: "a@b.test".into(), account: "acme".into() },
        }
    }

    #[test]
    fn round_trips_and_rejects_tampering() {
        let key = JwtKey::random();
        let token = key.sign(&claims());
        assert_eq!(key.verify(&token), Some(claims()));
        assert_eq!(JwtKey::random().verify(&token), None);
        let mut tampered = token.clone();
        tampered.push('A');
        assert_eq!(key.verify(&tampered), None);
        assert_eq!(key.verify("not.a.jwt"), None);
        assert_eq!(key.verify(""), None);
    }
}
