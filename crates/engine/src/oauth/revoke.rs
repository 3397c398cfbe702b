//! Revocation (RFC 7009): tell the server to cancel a token. Doorkeeper serves it at
//! `/oauth/revoke` beside `/oauth/token`; a server without it gets an honest "cannot revoke".

use super::client::ClientSettings;
use crate::error::EngineError;
use crate::http::{classify_reqwest, ClientFor};
use crate::http_answer::{excerpt, read_capped, MAX_TOKEN_RESPONSE_BYTES};
use crate::profiles::ClientAuth;
use crate::secret::Secret;
use url::Url;

/// What the server did with a revocation request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Revocation {
    Revoked,
    /// The server has no revocation endpoint; the token stays valid there until it expires.
    NotSupported,
}

/// Doorkeeper's revocation URL for a token URL: `…/oauth/token` → `…/oauth/revoke`.
pub fn revocation_url(token_url: &Url) -> Option<Url> {
    let path = token_url.path();
    let base = path.strip_suffix("/token")?;
    let mut url = token_url.clone();
    url.set_path(&format!("{base}/revoke"));
    url.set_query(None);
    Some(url)
}

/// Revokes one token. `hint` is `access_token` or `refresh_token`.
pub async fn revoke(
    http: &impl ClientFor,
    settings: &ClientSettings,
    token: &Secret,
    hint: &str,
) -> Result<Revocation, EngineError> {
    let Some(url) = revocation_url(&settings.token_url) else {
        return Ok(Revocation::NotSupported);
    };
    let mut form = vec![("token", token.expose()), ("token_type_hint", hint)];
    let secret = settings.client_secret.as_ref().map(|s| s.expose()).unwrap_or("");
    let mut request = http.client_for(&url)?.post(url.clone());
    match settings.client_auth {
        ClientAuth::Body => {
            form.push(("client_id", settings.client_id.trim()));
            if !secret.is_empty() {
                form.push(("client_secret", secret));
            }
        }
        ClientAuth::Basic => {
            // RFC 6749 section 2.3.1: each is form-encoded before going into the Basic header, as
            // `oauth2` does for the token requests (a secret with "+", "%" or ":" depends on it).
            let encode =
                |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            request = request.basic_auth(encode(settings.client_id.trim()), Some(encode(secret)));
        }
    }
    let response =
        request.form(&form).send().await.map_err(|e| classify_reqwest(url.as_str(), &e))?;
    let status = response.status().as_u16();
    match status {
        200..=299 => Ok(Revocation::Revoked),
        404 | 405 | 501 => Ok(Revocation::NotSupported),
        _ => {
            // Capped like token answers: an error page is small, and a huge one is not read.
            let facts = crate::error::AnswerFacts::from_headers(response.headers());
            let body = read_capped(response, MAX_TOKEN_RESPONSE_BYTES).await.unwrap_or_default();
            let parsed: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
            let error = parsed.as_ref().and_then(|v| v["error"].as_str()).map(String::from);
            match error {
                Some(error) => Err(EngineError::Refused {
                    description: parsed
                        .as_ref()
                        .and_then(|v| v["error_description"].as_str())
                        .map(String::from),
                    hint: if error == "invalid_client" {
                        "The server wants the client ID and secret to revoke; enter the client secret and try again.".into()
                    } else {
                        "The token was deleted here but may still work on the server until it expires.".into()
                    },
                    error,
                }),
                None => Err(EngineError::BadResponse {
                    status: Some(status),
                    detail: format!("revocation answered {status}: {}", excerpt(&body)),
                    answer: facts.boxed(),
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_revocation_url_sits_beside_the_token_url() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(
            revocation_url(&u("https://app.scopestack.io/oauth/token")).unwrap().as_str(),
            "https://app.scopestack.io/oauth/revoke"
        );
        assert_eq!(
            revocation_url(&u("http://127.0.0.1:9/oauth/token?x=1")).unwrap().as_str(),
            "http://127.0.0.1:9/oauth/revoke"
        );
        assert_eq!(revocation_url(&u("https://idp.example/connect/tokens")), None);
    }
}
