//! Token details: Doorkeeper's `GET /oauth/token/info`, asked on the token URL's origin (the
//! server that issued the token, never another) — the scopes, the client, the resource owner,
//! when the token was issued and the time left, kept as the server gave them.

use crate::error::{AnswerFacts, EngineError, Problem};
use crate::http::{get_small, ClientFor, SmallAnswer};
use crate::http_answer::{excerpt, MAX_TOKEN_RESPONSE_BYTES};
use crate::secret::Secret;
use crate::session::{Engine, Target};
use crate::tokens::{now_unix, TokenSet};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

/// What `/oauth/token/info` answered, field by field as the server gave it (`null` for a field it
/// left out). Doorkeeper's shape: `{"resource_owner_id":1,"scope":["read","write"],
/// "expires_in":7195,"application":{"uid":"…"},"created_at":1690000000}`. Other fields are kept
/// too, except any whose name suggests a secret.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct TokenInfo {
    /// Doorkeeper sends a list (`["read","write"]`); some servers a space-separated text.
    #[serde(default)]
    pub scope: Value,
    /// `{"uid": "…"}` (Doorkeeper), `{"name": "…"}`, a text, or null.
    #[serde(default)]
    pub application: Value,
    /// The user the token acts for; null for a token without one (client credentials on stock
    /// Doorkeeper).
    #[serde(default)]
    pub resource_owner_id: Value,
    /// Seconds left when the server answered; null for a token that does not expire.
    #[serde(default)]
    pub expires_in: Value,
    /// Unix seconds.
    #[serde(default)]
    pub created_at: Value,
    /// Any other field the server sent (`resource_owner_type`, …).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl TokenInfo {
    /// Reads an answer's body; fields whose names suggest a secret are dropped.
    pub fn parse(body: &[u8]) -> Result<TokenInfo, String> {
        let value: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        if !value.is_object() {
            return Err("it is JSON, but not an object".into());
        }
        let mut info: TokenInfo = serde_json::from_value(value).map_err(|e| e.to_string())?;
        info.other.retain(|name, _| !crate::redact::is_secret_name(name));
        Ok(info)
    }

    /// The scopes, from a list or a space-separated text.
    pub fn scopes(&self) -> Vec<String> {
        match &self.scope {
            Value::Array(list) => {
                list.iter().filter_map(Value::as_str).map(str::to_string).collect()
            }
            Value::String(s) => s.split_whitespace().map(str::to_string).collect(),
            _ => Vec::new(),
        }
    }

    /// The client the token was issued to, as people read it: its name and uid when both are
    /// given, else whichever is.
    pub fn client(&self) -> Option<String> {
        let text = |v: &Value| match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        match &self.application {
            Value::Object(app) => {
                let uid = app.get("uid").and_then(text);
                let name = app.get("name").and_then(text);
                match (name, uid) {
                    (Some(name), Some(uid)) if name != uid => Some(format!("{name} ({uid})")),
                    (name, uid) => name.or(uid),
                }
            }
            other => text(other),
        }
    }

    /// The resource owner's id as text; `None` when the server gave none.
    pub fn resource_owner(&self) -> Option<String> {
        match &self.resource_owner_id {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            _ => None,
        }
    }

    /// `created_at`, unix seconds.
    pub fn created_at_secs(&self) -> Option<i64> {
        whole_number(&self.created_at)
    }

    /// `expires_in`, seconds.
    pub fn expires_in_secs(&self) -> Option<i64> {
        whole_number(&self.expires_in)
    }

    /// Whether the token carries `scope` (the scopes are known and include it).
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes().iter().any(|s| s == scope)
    }
}

fn whole_number(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Token details as the window shows them: read from [`TokenInfo`], with the time it expires
/// counted from when the answer arrived.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct TokenDetails {
    pub scopes: Vec<String>,
    /// The client (application) it was issued to.
    pub client: Option<String>,
    /// The user it acts for (their id).
    pub resource_owner: Option<String>,
    /// Unix seconds.
    pub issued_at: Option<i64>,
    /// Unix seconds: when the answer arrived plus `expires_in`; `None` when the server gave no
    /// expiry.
    pub expires_at: Option<i64>,
    /// When the server answered, unix seconds.
    pub fetched_at: i64,
    /// The answer as the server gave it.
    pub info: TokenInfo,
}

impl TokenDetails {
    /// The details of `info`, received at `fetched_at`.
    pub fn of(info: TokenInfo, fetched_at: i64) -> TokenDetails {
        TokenDetails {
            scopes: info.scopes(),
            client: info.client(),
            resource_owner: info.resource_owner(),
            issued_at: info.created_at_secs(),
            expires_at: info.expires_in_secs().map(|left| fetched_at.saturating_add(left)),
            fetched_at,
            info,
        }
    }
}

/// Doorkeeper's token-info URL for a token URL: `…/oauth/token` → `…/oauth/token/info`; a token
/// URL of another shape gets `/oauth/token/info` on its origin. Always the token URL's origin.
pub fn info_url(token_url: &Url) -> Url {
    let mut url = token_url.clone();
    url.set_query(None);
    url.set_fragment(None);
    let path = token_url.path().trim_end_matches('/');
    if path.ends_with("/token") {
        url.set_path(&format!("{path}/info"));
    } else {
        url.set_path("/oauth/token/info");
    }
    url
}

/// Asks `GET /oauth/token/info` beside `token_url` about `token`.
pub async fn fetch(
    http: &impl ClientFor,
    token_url: &Url,
    token: &Secret,
) -> Result<TokenInfo, EngineError> {
    let url = info_url(token_url);
    // Where the token may go: the origin that issued it, over https or to this computer.
    if !crate::origin::same(&url, token_url) || crate::origin::check_transport(&url).is_err() {
        return Err(EngineError::InsecureDestination { url: crate::origin::of(&url) });
    }
    let SmallAnswer { status, answer, body } =
        get_small(http, &url, "application/json", Some(token), MAX_TOKEN_RESPONSE_BYTES).await?;
    let message = match status {
        200 => {
            return TokenInfo::parse(&body).map_err(|e| EngineError::BadResponse {
                status: Some(200),
                detail: format!("{url} did not answer with token details ({e}): {}", excerpt(&body)),
                answer: AnswerFacts { problem: Some(Problem::NotJson), ..answer }.boxed(),
            })
        }
        401 => "The server refused the token when asked about it (401): it has expired or was revoked. Renew it or get a new one.".to_string(),
        404 | 405 | 501 => format!("This server does not tell about tokens ({} answered {status}): the token details cannot be shown. The token itself is not affected.", url.path()),
        _ => format!("Asked about the token, the server answered {status}: {}", excerpt(&body)),
    };
    Err(EngineError::Api { status, message, answer: answer.boxed() })
}

/// The details of the profile's token (renewed first when due), from its token URL's server.
pub async fn details(engine: &Engine, target: &Target) -> Result<TokenDetails, EngineError> {
    let tokens = engine.valid_token(target).await?;
    let info = fetch(engine.http(), &target.endpoints.token_url, &tokens.access_token).await?;
    Ok(TokenDetails::of(info, now_unix()))
}

/// How long the token details asked for a 403's diagnosis may take: the answer is shown anyway.
const FOR_DIAGNOSIS: std::time::Duration = std::time::Duration::from_secs(10);

/// The scopes of `tokens` (the profile's token just sent), for telling a missing scope from a
/// missing right: the server's token details, else the token answer's `scope`; `None` when
/// neither tells. Never fails: the details are a help, not the answer.
pub async fn scopes_of(
    engine: &Engine,
    target: &Target,
    tokens: &TokenSet,
) -> Result<Option<Vec<String>>, EngineError> {
    let asked = fetch(engine.http(), &target.endpoints.token_url, &tokens.access_token);
    if let Ok(Ok(info)) = tokio::time::timeout(FOR_DIAGNOSIS, asked).await {
        if !info.scope.is_null() {
            return Ok(Some(info.scopes()));
        }
    }
    Ok(tokens
        .scope
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.split_whitespace().map(str::to_string).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Doorkeeper's answer: TokenInfoController#show renders AccessToken#as_json, these five
    /// fields in this order (the uid is made up).
    const DOORKEEPER_ANSWER: &str = r#"{"resource_owner_id":1,"scope":["public"],"expires_in":7195,"application":{"uid":"2Yzv8hXcQ0T4b1Nq7pWkLm3RsUeJd9Ga5FoViHy6ZtC"},"created_at":1690000000}"#;

    #[test]
    fn a_real_doorkeeper_answer_is_read_and_kept_as_given() {
        let info = TokenInfo::parse(DOORKEEPER_ANSWER.as_bytes()).unwrap();
        assert_eq!(info.scopes(), ["public"]);
        assert_eq!(info.client().as_deref(), Some("2Yzv8hXcQ0T4b1Nq7pWkLm3RsUeJd9Ga5FoViHy6ZtC"));
        assert_eq!(info.resource_owner().as_deref(), Some("1"));
        assert_eq!(info.created_at_secs(), Some(1_690_000_000));
        assert_eq!(info.expires_in_secs(), Some(7195));
        assert!(info.other.is_empty());
        // Printed again, the five fields are the server's own values.
        let again = serde_json::to_value(&info).unwrap();
        assert_eq!(again, serde_json::from_str::<Value>(DOORKEEPER_ANSWER).unwrap());
        let details = TokenDetails::of(info, 1_690_000_010);
        assert_eq!(details.expires_at, Some(1_690_007_205));
        assert_eq!(details.issued_at, Some(1_690_000_000));
    }

    #[test]
    fn other_shapes_are_read_too() {
        // Client credentials on stock Doorkeeper: no resource owner; a token without expiry; a
        // polymorphic owner type; a scope given as text; an application by name.
        let info = TokenInfo::parse(
            br#"{"resource_owner_id":null,"scope":"read write","expires_in":null,"application":{"uid":"abc","name":"Reporting"},"created_at":1700000000,"resource_owner_type":"User","access_token":"leaked"}"#,
        )
        .unwrap();
        assert_eq!(info.scopes(), ["read", "write"]);
        assert!(info.has_scope("write") && !info.has_scope("admin"));
        assert_eq!(info.client().as_deref(), Some("Reporting (abc)"));
        assert_eq!(info.resource_owner(), None);
        assert_eq!(info.expires_in_secs(), None);
        assert_eq!(info.other.get("resource_owner_type"), Some(&json!("User")));
        assert!(!info.other.contains_key("access_token"), "a secret-looking field is dropped");
        assert_eq!(TokenDetails::of(info, 5).expires_at, None);
        let sparse = TokenInfo::parse(br#"{"application":"Legacy app"}"#).unwrap();
        assert_eq!(sparse.client().as_deref(), Some("Legacy app"));
        assert!(sparse.scopes().is_empty());
        assert_eq!(sparse.scope, Value::Null);
        for bad in [&b"[1]"[..], b"not json", b""] {
            assert!(TokenInfo::parse(bad).is_err());
        }
    }

    #[test]
    fn the_info_url_sits_beside_the_token_url_on_its_origin() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(
            info_url(&u("https://app.scopestack.io/oauth/token")).as_str(),
            "https://app.scopestack.io/oauth/token/info"
        );
        assert_eq!(
            info_url(&u("http://127.0.0.1:9/auth/oauth/token/?x=1")).as_str(),
            "http://127.0.0.1:9/auth/oauth/token/info"
        );
        assert_eq!(
            info_url(&u("https://idp.example/connect/issue")).as_str(),
            "https://idp.example/oauth/token/info"
        );
    }
}
