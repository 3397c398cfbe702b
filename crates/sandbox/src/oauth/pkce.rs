//! PKCE (RFC 7636): the S256 transformation and a constant-time comparison.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The only `code_challenge_method` accepted (Doorkeeper configured without `plain`).
pub(crate) const S256: &str = "S256";

/// `BASE64URL(SHA256(verifier))` without padding.
pub(crate) fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Whether `verifier` is the one `challenge` was made from.
pub(crate) fn verifies(challenge: &str, verifier: &str) -> bool {
    constant_time_eq(s256(verifier).as_bytes(), challenge.as_bytes())
}

/// Compares two byte strings in time that depends only on their lengths.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert_eq!(super::s256(verifier), challenge);
        assert!(super::verifies(challenge, verifier));
        assert!(!super::verifies(challenge, "something-else"));
    }
}
