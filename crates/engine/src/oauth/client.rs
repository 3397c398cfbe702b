//! The `oauth2` client for one profile's token endpoint, and the reading of its answers into a
//! [`TokenSet`] or a plain-language [`EngineError`].

use super::transport::{self, TransportError};
use crate::error::EngineError;
use crate::profiles::{ClientAuth, Method};
use crate::secret::Secret;
use crate::tokens::{now_unix, ResponseTimes, TokenSet};
use oauth2::basic::{BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType};
use oauth2::{
    AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, ExtraTokenFields, RequestTokenError, Scope, StandardRevocableToken,
    StandardTokenResponse, TokenResponse as _, TokenUrl,
};
use serde::{Deserialize, Serialize};
use url::Url;

/// The extra field Doorkeeper adds to token responses: when the token was created.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct DoorkeeperFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<serde_json::Value>,
}
impl ExtraTokenFields for DoorkeeperFields {}

pub type TokenResponse = StandardTokenResponse<DoorkeeperFields, BasicTokenType>;

pub type OAuthClient<HasAuthUrl = EndpointNotSet, HasRevocationUrl = EndpointNotSet> = oauth2::Client<
    BasicErrorResponse,
    TokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    HasAuthUrl,
    EndpointNotSet,
    EndpointNotSet,
    HasRevocationUrl,
    EndpointSet,
>;

/// Everything needed to talk to one token endpoint as one client.
#[derive(Clone, Debug)]
pub struct ClientSettings {
    pub token_url: Url,
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub client_auth: ClientAuth,
    pub scope: String,
}

impl ClientSettings {
    /// The `oauth2` client for these settings.
    pub fn client(&self) -> Result<OAuthClient, EngineError> {
        let client_id = self.client_id.trim();
        if client_id.is_empty() {
            return Err(EngineError::MissingInput("Enter the client ID first (ScopeStack support gives it to you with the client secret).".into()));
        }
        let mut client = oauth2::Client::new(ClientId::new(client_id.to_string()))
            .set_token_uri(TokenUrl::from_url(self.token_url.clone()))
            .set_auth_type(match self.client_auth {
                ClientAuth::Body => AuthType::RequestBody,
                ClientAuth::Basic => AuthType::BasicAuth,
            });
        if let Some(secret) = self.client_secret.as_ref().filter(|s| !s.is_empty()) {
            client = client.set_client_secret(ClientSecret::new(secret.expose().to_string()));
        }
        Ok(client)
    }

    pub fn scopes(&self) -> Vec<Scope> {
        self.scope.split_whitespace().map(|s| Scope::new(s.to_string())).collect()
    }
}

/// The HTTP function handed to `oauth2`: our client, with the token-response size cap.
pub fn http_fn(client: &reqwest::Client) -> impl Fn(oauth2::HttpRequest) -> HttpFuture {
    let client = client.clone();
    move |request| {
        let client = client.clone();
        Box::pin(async move { transport::send(&client, request, transport::MAX_TOKEN_RESPONSE_BYTES).await })
    }
}

type HttpFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Result<oauth2::HttpResponse, TransportError>> + Send>>;

/// Reads a successful token response into a token set.
pub fn token_set(response: TokenResponse, method: Method) -> Result<TokenSet, EngineError> {
    let token_type = match response.token_type() {
        BasicTokenType::Bearer => "Bearer".to_string(),
        other => {
            return Err(EngineError::BadResponse {
                status: Some(200),
                detail: format!("the token type is \"{}\", but ScopeStack's API takes only Bearer tokens. Check the token URL.", other.as_ref()),
            })
        }
    };
    let access = response.access_token().secret();
    if access.trim().is_empty() {
        return Err(EngineError::BadResponse { status: Some(200), detail: "the answer has an empty access_token.".into() });
    }
    let created_at = response.extra_fields().created_at.as_ref().and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)));
    let scope = response.scopes().map(|s| s.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "));
    Ok(TokenSet::from_response(
        Secret::new(access.clone()),
        token_type,
        response.refresh_token().map(|r| Secret::new(r.secret().clone())),
        scope,
        ResponseTimes { expires_in: response.expires_in().map(|d| d.as_secs()), created_at, received_at: now_unix() },
        method,
    ))
}

/// What a token request was for: decides the hint when the server says no.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    ClientCredentials,
    Password,
    AuthorizationCode,
    Refresh,
}

/// Turns a failed token request into an error that says what to do.
pub fn token_error(url: &Url, grant: Grant, e: RequestTokenError<TransportError, BasicErrorResponse>) -> EngineError {
    match e {
        RequestTokenError::ServerResponse(r) => {
            let error = r.error().as_ref().to_string();
            let description = r.error_description().cloned();
            if grant == Grant::Refresh && error == "invalid_grant" {
                return EngineError::SignInAgain {
                    reason: "the saved refresh token has expired or was revoked, so the token cannot be renewed by itself.".into(),
                };
            }
            EngineError::Refused { hint: hint(&error, grant), error, description }
        }
        RequestTokenError::Request(t) => transport::network_error(url.as_str(), &t),
        RequestTokenError::Parse(e, body) => EngineError::BadResponse {
            status: None,
            detail: format!("expected a token as JSON ({e}), got: {}", excerpt(&body)),
        },
        RequestTokenError::Other(detail) => EngineError::BadResponse { status: None, detail },
    }
}

fn hint(error: &str, grant: Grant) -> String {
    match (error, grant) {
        ("invalid_client", _) => "Check the client ID and client secret: copy them again, and look for 0/O and l/I mix-ups.".into(),
        ("invalid_grant", Grant::Password) => "Check the service account's email and password. The user may also be deactivated or may not have accepted the invitation yet.".into(),
        ("invalid_grant", Grant::AuthorizationCode) => "The sign-in code expired or was used already, or the callback URL differs from the one registered for this client. Sign in again; if it repeats, check the callback URL with ScopeStack support.".into(),
        ("invalid_grant", _) => "The grant was refused. Check the credentials.".into(),
        ("unauthorized_client", _) => "This client ID is not set up for this method. Choose the method it was made for, or ask ScopeStack support.".into(),
        ("invalid_scope", _) => "Use the scope \"read write\".".into(),
        ("unsupported_grant_type", _) => "This server does not offer this method. Choose another method.".into(),
        ("invalid_request", _) => "The server found the request incomplete. Check that every field of the method is filled in.".into(),
        _ => "See the server's message above.".into(),
    }
}

/// The first 300 characters of a body, for messages (never a whole page).
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return "an empty answer".into();
    }
    let mut out: String = text.chars().take(300).collect();
    if text.chars().count() > 300 {
        out.push('…');
    }
    format!("\"{out}\"")
}
