//! Method A, browser login: the authorization-code grant with PKCE (S256) and a checked `state`.
//!
//! [`begin`] makes the sign-in address; whichever way the browser's answer comes back (the
//! loopback listener, the in-app window, or a pasted address), [`code_from_callback`] reads it
//! and [`exchange`] trades the code for tokens.

use super::client::{http_fn, token_error, token_set, ClientSettings};
use crate::error::EngineError;
use crate::http::ClientFor;
use crate::profiles::Grant;
use crate::profiles::Method;
use crate::tokens::TokenSet;
use oauth2::{
    AuthUrl, AuthorizationCode, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
};
use url::Url;

/// A started sign-in: the address to open, and what is needed to finish it. The verifier and the
/// state are drawn from the OS's cryptographic random source (via `oauth2`), and never printed.
pub struct PendingSignIn {
    pub authorize_url: Url,
    pub redirect_uri: Url,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
}

impl std::fmt::Debug for PendingSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingSignIn")
            .field("redirect_uri", &self.redirect_uri.as_str())
            .finish_non_exhaustive()
    }
}

/// Starts a sign-in: a fresh PKCE verifier and state, and the authorize URL to open.
pub fn begin(
    settings: &ClientSettings,
    authorize_url: &Url,
    redirect_uri: &Url,
) -> Result<PendingSignIn, EngineError> {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = settings
        .client()?
        .set_auth_uri(AuthUrl::from_url(authorize_url.clone()))
        .set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()))
        .authorize_url(CsrfToken::new_random)
        .add_scopes(settings.scopes())
        .set_pkce_challenge(challenge)
        .url();
    Ok(PendingSignIn { authorize_url: url, redirect_uri: redirect_uri.clone(), state, verifier })
}

impl PendingSignIn {
    /// Whether `url` is where this sign-in's browser answer lands (same scheme, host, port and
    /// path as the redirect URI; the query is the answer).
    pub fn is_callback(&self, url: &Url) -> bool {
        url.scheme() == self.redirect_uri.scheme()
            && url.host_str() == self.redirect_uri.host_str()
            && url.port_or_known_default() == self.redirect_uri.port_or_known_default()
            && url.path() == self.redirect_uri.path()
    }
}

/// Reads the browser's answer: the code when `state` matches, else a distinct, explained error.
pub fn code_from_callback(
    pending: &PendingSignIn,
    callback: &Url,
) -> Result<AuthorizationCode, EngineError> {
    let param =
        |name: &str| callback.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    if let Some(error) = param("error") {
        // An error redirect still carries our state; one that does not is not our sign-in.
        if param("state").as_deref() != Some(pending.state.secret().as_str()) {
            return Err(EngineError::StateMismatch);
        }
        let hint = match error.as_str() {
            "access_denied" => "Someone chose Deny on the sign-in page, or the account may not use this client. Start again and choose Allow or Sign in.",
            "invalid_request" | "unsupported_response_type" => "The server did not accept the sign-in request. Check the sign-in (authorize) URL.",
            "invalid_scope" => "Use the scope \"read write\".",
            "unauthorized_client" => "This client ID is not set up for browser login. Ask ScopeStack support, or choose the method it was made for.",
            _ => "See the server's message.",
        };
        return Err(EngineError::AuthorizationDenied {
            error,
            description: param("error_description"),
            hint: hint.into(),
        });
    }
    match param("state") {
        Some(state) if state == *pending.state.secret() => {}
        _ => return Err(EngineError::StateMismatch),
    }
    match param("code") {
        Some(code) if !code.is_empty() => Ok(AuthorizationCode::new(code)),
        _ => Err(EngineError::BadCallbackUrl("the address has no \"code\"".into())),
    }
}

/// Finishes a sign-in from the address the browser ended on (the in-app window and paste mode).
pub fn code_from_pasted(
    pending: &PendingSignIn,
    pasted: &str,
) -> Result<AuthorizationCode, EngineError> {
    let url = Url::parse(pasted.trim()).map_err(|e| {
        EngineError::BadCallbackUrl(format!("\"{}\" is not an address ({e})", pasted.trim()))
    })?;
    code_from_callback(pending, &url)
}

/// Trades the code for tokens, proving possession of the PKCE verifier and sending the same
/// `redirect_uri` as the sign-in.
pub async fn exchange(
    http: &impl ClientFor,
    settings: &ClientSettings,
    pending: PendingSignIn,
    code: AuthorizationCode,
) -> Result<TokenSet, EngineError> {
    let response = settings
        .client()?
        .set_redirect_uri(RedirectUrl::from_url(pending.redirect_uri.clone()))
        .exchange_code(code)
        .set_pkce_verifier(pending.verifier)
        .request_async(&http_fn(http.client_for(&settings.token_url)?))
        .await
        .map_err(|e| token_error(&settings.token_url, Grant::AuthorizationCode, e))?;
    token_set(response, Method::BrowserLogin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::ClientAuth;

    fn pending() -> PendingSignIn {
        let settings = ClientSettings {
            token_url: Url::parse("https://app.example/oauth/token").unwrap(),
            client_id: "cid".into(),
            client_secret: None,
            client_auth: ClientAuth::Body,
            scope: "read write".into(),
        };
        begin(
            &settings,
            &Url::parse("https://app.example/oauth/authorize").unwrap(),
            &Url::parse("http://127.0.0.1:8765/callback").unwrap(),
        )
        .unwrap()
    }

    fn param(url: &Url, name: &str) -> Option<String> {
        url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
    }

    #[test]
    fn the_sign_in_address_carries_pkce_s256_state_and_scope() {
        let p = pending();
        let url = &p.authorize_url;
        assert_eq!(param(url, "response_type").as_deref(), Some("code"));
        assert_eq!(param(url, "client_id").as_deref(), Some("cid"));
        assert_eq!(param(url, "redirect_uri").as_deref(), Some("http://127.0.0.1:8765/callback"));
        assert_eq!(param(url, "code_challenge_method").as_deref(), Some("S256"));
        assert_eq!(param(url, "scope").as_deref(), Some("read write"));
        let state = param(url, "state").unwrap();
        assert!(state.len() >= 16);
        assert_ne!(
            param(&pending().authorize_url, "state").unwrap(),
            state,
            "a fresh state each time"
        );
    }

    fn callback(p: &PendingSignIn, query: &str) -> Url {
        let state = param(&p.authorize_url, "state").unwrap();
        Url::parse(&format!("http://127.0.0.1:8765/callback?{}", query.replace("STATE", &state)))
            .unwrap()
    }

    #[test]
    fn a_matching_state_yields_the_code() {
        let p = pending();
        let code = code_from_callback(&p, &callback(&p, "code=abc&state=STATE")).unwrap();
        assert_eq!(code.secret(), "abc");
    }

    #[test]
    fn a_wrong_or_missing_state_is_refused() {
        let p = pending();
        assert!(matches!(
            code_from_callback(&p, &callback(&p, "code=abc&state=forged")),
            Err(EngineError::StateMismatch)
        ));
        assert!(matches!(
            code_from_callback(&p, &callback(&p, "code=abc")),
            Err(EngineError::StateMismatch)
        ));
        assert!(matches!(
            code_from_callback(&p, &callback(&p, "error=access_denied&state=forged")),
            Err(EngineError::StateMismatch)
        ));
    }

    #[test]
    fn an_error_redirect_is_explained() {
        let p = pending();
        let err = code_from_callback(
            &p,
            &callback(
                &p,
                "error=access_denied&error_description=The+resource+owner+denied&state=STATE",
            ),
        )
        .unwrap_err();
        match &err {
            EngineError::AuthorizationDenied { error, description, .. } => {
                assert_eq!(error, "access_denied");
                assert_eq!(description.as_deref(), Some("The resource owner denied"));
            }
            other => panic!("expected a denial, got {other:?}"),
        }
        assert!(err.to_string().contains("Deny"), "{err}");
    }

    #[test]
    fn a_pasted_address_without_code_or_garbage_is_explained() {
        let p = pending();
        assert!(matches!(code_from_pasted(&p, "not a url"), Err(EngineError::BadCallbackUrl(_))));
        let state = param(&p.authorize_url, "state").unwrap();
        assert!(matches!(
            code_from_pasted(&p, &format!("http://127.0.0.1:8765/callback?state={state}")),
            Err(EngineError::BadCallbackUrl(_))
        ));
        assert_eq!(
            code_from_pasted(
                &p,
                &format!("  http://127.0.0.1:8765/callback?code=x&state={state} ")
            )
            .unwrap()
            .secret(),
            "x"
        );
    }

    #[test]
    fn callbacks_are_recognised_by_scheme_host_port_and_path() {
        let p = pending();
        assert!(p.is_callback(&Url::parse("http://127.0.0.1:8765/callback?code=1").unwrap()));
        assert!(!p.is_callback(&Url::parse("http://127.0.0.1:8766/callback?code=1").unwrap()));
        assert!(!p.is_callback(&Url::parse("http://127.0.0.1:8765/other").unwrap()));
        assert!(!p.is_callback(&Url::parse("https://app.example/oauth/authorize").unwrap()));
    }
}
