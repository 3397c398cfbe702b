//! The direct grants: client credentials, password, and refresh. Each is one POST to the token
//! endpoint; credentials go in the body unless the profile asks for Basic.

use super::client::{http_fn, token_error, token_set, ClientSettings};
use crate::error::EngineError;
use crate::http::ClientFor;
use crate::profiles::Grant;
use crate::profiles::Method;
use crate::secret::Secret;
use crate::tokens::TokenSet;
use oauth2::{RefreshToken, ResourceOwnerPassword, ResourceOwnerUsername};

/// Method B: the service account's client ID and secret.
pub async fn client_credentials(
    http: &impl ClientFor,
    settings: &ClientSettings,
) -> Result<TokenSet, EngineError> {
    require_secret(settings)?;
    let response = settings
        .client()?
        .exchange_client_credentials()
        .add_scopes(settings.scopes())
        .request_async(&http_fn(http.client_for(&settings.token_url)?))
        .await
        .map_err(|e| token_error(&settings.token_url, Grant::ClientCredentials, e))?;
    token_set(response, Method::ClientCredentials)
}

/// Method C: the account-level client plus the service account's email and password. Never sends
/// `redirect_uri` (ScopeStack refuses the grant with `invalid_grant` when it is sent).
pub async fn password(
    http: &impl ClientFor,
    settings: &ClientSettings,
    username: &str,
    password: &Secret,
) -> Result<TokenSet, EngineError> {
    require_secret(settings)?;
    let username = username.trim();
    if username.is_empty() {
        return Err(EngineError::MissingInput("Enter the service account's email.".into()));
    }
    if password.is_empty() {
        return Err(EngineError::MissingInput("Enter the service account's password.".into()));
    }
    let user = ResourceOwnerUsername::new(username.to_string());
    let pass = ResourceOwnerPassword::new(password.expose().to_string());
    let response = settings
        .client()?
        .exchange_password(&user, &pass)
        .add_scopes(settings.scopes())
        .request_async(&http_fn(http.client_for(&settings.token_url)?))
        .await
        .map_err(|e| token_error(&settings.token_url, Grant::Password, e))?;
    token_set(response, Method::Password)
}

/// Renews with a refresh token. When the server returns no new refresh token, the old one is
/// kept. An expired or revoked refresh token ends in [`EngineError::SignInAgain`].
pub async fn refresh(
    http: &impl ClientFor,
    settings: &ClientSettings,
    current: &TokenSet,
) -> Result<TokenSet, EngineError> {
    let Some(refresh_token) = &current.refresh_token else {
        return Err(EngineError::SignInAgain {
            reason: "this token came without a refresh token, so it cannot be renewed by itself."
                .into(),
        });
    };
    let token = RefreshToken::new(refresh_token.expose().to_string());
    let response = settings
        .client()?
        .exchange_refresh_token(&token)
        .request_async(&http_fn(http.client_for(&settings.token_url)?))
        .await
        .map_err(|e| token_error(&settings.token_url, Grant::RefreshToken, e))?;
    let mut renewed = token_set(response, current.obtained_with)?;
    if renewed.refresh_token.is_none() {
        renewed.refresh_token = current.refresh_token.clone();
    }
    if renewed.scope.is_none() {
        renewed.scope = current.scope.clone();
    }
    Ok(renewed)
}

fn require_secret(settings: &ClientSettings) -> Result<(), EngineError> {
    match &settings.client_secret {
        Some(s) if !s.is_empty() => Ok(()),
        _ => Err(EngineError::MissingInput(
            "Enter the client secret (ScopeStack shows it once, when the client is created)."
                .into(),
        )),
    }
}
