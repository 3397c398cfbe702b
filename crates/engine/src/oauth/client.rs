//! The `oauth2` client for one profile's token endpoint, and the reading of its answers into a
//! [`TokenSet`] or a plain-language [`EngineError`].

use super::transport;
use crate::error::{AnswerFacts, EngineError, Problem};
use crate::http::network_error;
use crate::http_answer::{excerpt, retry_after_secs, TransportError, MAX_TOKEN_RESPONSE_BYTES};
use crate::profiles::{ClientAuth, Grant, Method};
use crate::secret::Secret;
use crate::tokens::{now_unix, ResponseTimes, TokenSet};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, ExtraTokenFields,
    RequestTokenError, Scope, StandardRevocableToken, StandardTokenResponse, TokenResponse as _,
    TokenUrl,
};
use serde::{Deserialize, Serialize};
use url::Url;

/// The extra field Doorkeeper adds to token responses: when the token was created.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct DoorkeeperFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<serde_json::Value>,
}
impl ExtraTokenFields for DoorkeeperFields {}

pub type TokenResponse = StandardTokenResponse<DoorkeeperFields, BasicTokenType>;

pub type OAuthClient<HasAuthUrl = EndpointNotSet, HasRevocationUrl = EndpointNotSet> =
    oauth2::Client<
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
        Box::pin(async move {
            check_answer(transport::send(&client, request, MAX_TOKEN_RESPONSE_BYTES).await?)
        })
    }
}

/// Reads a token endpoint's answer exactly as a token request does — the same checks, the same
/// parsing as `oauth2`, the same [`token_set`] — without sending anything: for diagnosing an
/// answer seen elsewhere, and for fuzzing.
pub fn read_token_answer(
    response: oauth2::HttpResponse,
    grant: Grant,
    method: Method,
) -> Result<TokenSet, EngineError> {
    let response = check_answer(response).map_err(|t| network_error("the token URL", &t))?;
    let body = response.body().as_slice();
    if response.status() != http::StatusCode::OK {
        return match serde_json::from_slice::<BasicErrorResponse>(body) {
            Ok(r) => Err(refused(grant, r)),
            Err(e) => Err(parse_problem(Some(response.status().as_u16()), &e, "", body)),
        };
    }
    let parsed: Result<TokenResponse, _> =
        serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(body));
    match parsed {
        Ok(token) => token_set(token, method),
        Err(e) => match serde_json::from_slice::<BasicErrorResponse>(body) {
            Ok(r) => Err(refused(grant, r)),
            Err(_) => Err(parse_problem(Some(200), e.inner(), &e.path().to_string(), body)),
        },
    }
}

/// Lets through what `oauth2` can read — a 200 with JSON, or an OAuth error — and turns any
/// other answer into a [`TransportError`] that keeps its status: redirects (never followed),
/// web pages, empty or non-text bodies, other content types, and errors without an OAuth body.
fn check_answer(response: oauth2::HttpResponse) -> Result<oauth2::HttpResponse, TransportError> {
    use crate::http_answer::Answer;
    let status = response.status().as_u16();
    let header = |name: http::header::HeaderName| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
    };
    if (300..400).contains(&status) {
        return Err(TransportError::Redirected {
            status,
            location: header(http::header::LOCATION),
        });
    }
    let body = response.body().as_slice();
    let content_type = header(http::header::CONTENT_TYPE);
    let json_label = content_type
        .as_deref()
        .is_none_or(|ct| ct.to_ascii_lowercase().trim_start().starts_with("application/json"));
    let parsed = serde_json::from_slice::<serde_json::Value>(body).ok();
    let is_oauth_error =
        parsed.as_ref().is_some_and(|v| v.get("error").is_some_and(|e| e.is_string()))
            && serde_json::from_slice::<BasicErrorResponse>(body).is_ok();
    let answer = match std::str::from_utf8(body) {
        Err(_) => Some(Answer::NotText),
        Ok(text) if text.trim().is_empty() => Some(Answer::Empty),
        Ok(text) if looks_like_web_page(text) => Some(Answer::WebPage),
        Ok(_) if status != 200 && is_oauth_error => None,
        Ok(_)
            if (200..300).contains(&status)
                && json_label
                && parsed.as_ref().is_some_and(|v| v.get("access_token").is_some()) =>
        {
            None
        }
        Ok(_) if status != 200 && parsed.is_some() => Some(Answer::OtherJson),
        Ok(_) if status != 200 => {
            Some(if json_label { Answer::OtherJson } else { Answer::NotJson })
        }
        Ok(_) if !json_label && parsed.is_some() => Some(Answer::MislabelledJson),
        Ok(_) if !json_label => Some(Answer::NotJson),
        Ok(_) => None,
    };
    match answer {
        // A token with 201 or 203 is still a token; `oauth2` reads only 200.
        None if status != 200
            && (200..300).contains(&status)
            && parsed.as_ref().is_some_and(|v| v.get("access_token").is_some()) =>
        {
            let mut response = response;
            *response.status_mut() = http::StatusCode::OK;
            Ok(response)
        }
        None => Ok(response),
        Some(answer) => Err(TransportError::Unusable {
            status,
            answer,
            retry_after: header(http::header::RETRY_AFTER)
                .and_then(|v| retry_after_secs(&v, now_unix())),
            excerpt: if answer == Answer::NotText || answer == Answer::Empty {
                String::new()
            } else {
                excerpt(body)
            },
            content_type,
        }),
    }
}

fn looks_like_web_page(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(512).collect::<String>().to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.contains("<html")
        || head.contains("<body")
        || head.contains("<head")
}

type HttpFuture = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<oauth2::HttpResponse, TransportError>> + Send>,
>;

/// Reads a successful token response into a token set.
pub fn token_set(response: TokenResponse, method: Method) -> Result<TokenSet, EngineError> {
    let token_type = match response.token_type() {
        BasicTokenType::Bearer => "Bearer".to_string(),
        other => {
            return Err(EngineError::BadResponse {
                status: Some(200),
                detail: format!("the token type is \"{}\", but ScopeStack's API takes only Bearer tokens. Check the token URL.", other.as_ref()),
                answer: AnswerFacts::of(Problem::NotBearer).boxed(),
            })
        }
    };
    let access = response.access_token().secret();
    if access.trim().is_empty() {
        return Err(EngineError::BadResponse {
            status: Some(200),
            detail: "the answer has an empty access_token.".into(),
            answer: AnswerFacts::of(Problem::EmptyAccessToken).boxed(),
        });
    }
    let created_at = response
        .extra_fields()
        .created_at
        .as_ref()
        .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)));
    let scope =
        response.scopes().map(|s| s.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "));
    Ok(TokenSet::from_response(
        Secret::new(access.clone()),
        token_type,
        response.refresh_token().map(|r| Secret::new(r.secret().clone())),
        scope,
        ResponseTimes {
            expires_in: response.expires_in().map(|d| d.as_secs()),
            created_at,
            received_at: now_unix(),
        },
        method,
    ))
}

/// Turns a failed token request into an error that says what to do.
pub fn token_error(
    url: &Url,
    grant: Grant,
    e: RequestTokenError<TransportError, BasicErrorResponse>,
) -> EngineError {
    match e {
        RequestTokenError::ServerResponse(r) => refused(grant, r),
        RequestTokenError::Request(t) => network_error(url.as_str(), &t),
        RequestTokenError::Parse(e, body) => {
            match serde_json::from_slice::<BasicErrorResponse>(&body) {
                // Some servers send their OAuth error with 200; it is still an OAuth error.
                Ok(r) => refused(grant, r),
                Err(_) => parse_problem(Some(200), e.inner(), &e.path().to_string(), &body),
            }
        }
        RequestTokenError::Other(detail) => {
            EngineError::BadResponse { status: None, detail, answer: Default::default() }
        }
    }
}

/// A token answer that did not parse: cut off, not JSON, a field missing or of the wrong kind.
fn parse_problem(
    status: Option<u16>,
    inner: &serde_json::Error,
    path: &str,
    body: &[u8],
) -> EngineError {
    use crate::http_answer::words;
    let message = inner.to_string();
    let shown = excerpt(body);
    let field = |name: &str| Problem::TokenField { field: name.to_string() };
    let (detail, problem) = match inner.classify() {
        _ if message.starts_with("duplicate field `") => {
            let name =
                message.trim_start_matches("duplicate field `").split('`').next().unwrap_or("");
            (
                format!("the field \"{name}\" {} (it appears twice): {shown}", words::WRONG_FIELD),
                field(name),
            )
        }
        _ if matches!(path, "" | ".")
            && inner.classify() == serde_json::error::Category::Data
            && !message.starts_with("missing field") =>
        {
            (
                format!(
                    "the answer {} for a token: it is not a JSON object ({message}): {shown}",
                    words::INVALID_JSON
                ),
                Problem::TokenNotJson,
            )
        }
        serde_json::error::Category::Eof => (
            format!("the answer {} (incomplete JSON): {shown}", words::CUT_OFF),
            Problem::TokenCutOff,
        ),
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => (
            format!("the answer {} ({message}): {shown}", words::INVALID_JSON),
            Problem::TokenNotJson,
        ),
        serde_json::error::Category::Data => {
            if message.contains("missing field `access_token`") {
                (
                    format!("the answer {}: {shown}", words::MISSING_ACCESS_TOKEN),
                    Problem::MissingAccessToken,
                )
            } else if message.contains("missing field `token_type`") {
                (
                    format!("the answer {}: {shown}", words::MISSING_TOKEN_TYPE),
                    Problem::MissingTokenType,
                )
            } else if let Some(name) =
                message.strip_prefix("missing field `").and_then(|m| m.split('`').next())
            {
                (format!("the answer {} \"{name}\": {shown}", words::MISSING_FIELD), field(name))
            } else {
                let cause = message.split(" at line ").next().unwrap_or(&message);
                (
                    format!("the field \"{path}\" {} ({cause}): {shown}", words::WRONG_FIELD),
                    field(path),
                )
            }
        }
    };
    EngineError::BadResponse { status, detail, answer: AnswerFacts::of(problem).boxed() }
}

fn refused(grant: Grant, r: BasicErrorResponse) -> EngineError {
    let error = r.error().as_ref().to_string();
    let description = r.error_description().cloned();
    if grant == Grant::RefreshToken && error == "invalid_grant" {
        return EngineError::SignInAgain {
            reason: "the saved refresh token has expired or was revoked, so the token cannot be renewed by itself.".into(),
        };
    }
    EngineError::Refused { hint: hint(&error, grant), error, description }
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
