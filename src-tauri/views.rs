//! What the UI is shown of a profile's token and secrets: facts and a masked token, never a
//! secret value.

use crate::state::{lock, AppState, RenewalRecord};
use engine::session::Target;
use engine::tokens::{ExpirySource, TokenSet};
use engine::verify::Identity;
use engine::Method;
use serde::Serialize;

#[derive(Serialize, specta::Type)]
pub struct TokenView {
    /// The first and last characters only, e.g. "eyJhbG…Xk9Q".
    pub masked: String,
    pub token_type: String,
    pub scope: Option<String>,
    pub issued_at: i64,
    pub expires_at: Option<i64>,
    pub expiry_source: ExpirySource,
    pub has_refresh_token: bool,
    pub obtained_with: Method,
}

impl TokenView {
    pub fn new(t: &TokenSet) -> TokenView {
        TokenView {
            masked: mask(t.access_token.expose()),
            token_type: t.token_type.clone(),
            scope: t.scope.clone(),
            issued_at: t.issued_at,
            expires_at: t.expires_at,
            expiry_source: t.expiry_source,
            has_refresh_token: t.refresh_token.is_some(),
            obtained_with: t.obtained_with,
        }
    }
}

#[derive(Serialize, specta::Type)]
pub struct ProfileStatus {
    pub token: Option<TokenView>,
    /// Which secrets are kept (whether, never what), and those that wait for the user's word
    /// because the profile's token URL moved since they were given.
    pub secrets: engine::session::KeptSecrets,
    pub auto_renew: bool,
    pub last_renewal: Option<RenewalRecord>,
    pub identity: Option<Identity>,
    /// A browser sign-in is waiting for the pasted address.
    pub awaiting_paste: bool,
    pub signing_in: bool,
    pub vault_mode: engine::vault::VaultMode,
    /// Set when the vault could not be read; the rest is then empty.
    pub vault_error: Option<String>,
}

/// The current status of a profile. A vault failure is reported in the status, not as an error,
/// so the window can still show the profile.
pub fn status(state: &AppState, target: &Target) -> ProfileStatus {
    let id = &target.profile.id;
    let vault = &state.engine.vault;
    let mut vault_error = None;
    let secrets = state.engine.kept_secrets(target).unwrap_or_else(|e| {
        vault_error = Some(e.to_string());
        Default::default()
    });
    let token = match state.engine.stored_tokens(target) {
        Ok(t) => t.as_ref().map(TokenView::new),
        Err(e) => {
            vault_error = Some(e.to_string());
            None
        }
    };
    let runtime = lock(&state.runtime);
    let rt = runtime.get(id);
    ProfileStatus {
        token,
        secrets,
        auto_renew: !rt.is_some_and(|r| r.auto_renew_off),
        last_renewal: rt.and_then(|r| r.last_renewal.clone()),
        identity: rt.and_then(|r| r.identity.clone()),
        awaiting_paste: rt.is_some_and(|r| r.pasted_sign_in.is_some()),
        signing_in: rt.is_some_and(|r| r.sign_in.is_some()),
        vault_mode: vault.mode(),
        vault_error,
    }
}

/// Shows enough of a token to recognise it, not enough to use it.
pub fn mask(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    if chars.len() <= 12 {
        return "•".repeat(chars.len().max(8));
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn masking_keeps_only_the_ends() {
        assert_eq!(mask("eyJhbGciOiJIUzUxMiJ9.payload.signatureXk9Q"), "eyJhbG…Xk9Q");
        assert_eq!(mask("short"), "••••••••");
        assert!(!mask("eyJhbGciOiJIUzUxMiJ9.payload.signatureXk9Q").contains("payload"));
    }
}
