//! "Verify it worked": `GET {api}/v1/me` with the token, read into who and which account.

use crate::error::{AnswerFacts, EngineError, Problem};
use crate::http::{get_small, SmallAnswer};
use crate::http_answer::{excerpt, JSON_API, MAX_TOKEN_RESPONSE_BYTES};
use crate::secret::Secret;
use serde::Serialize;
use url::Url;

/// Who a token belongs to, from `/v1/me`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Identity {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub account_slug: String,
    pub account_id: String,
    pub privileges: Vec<Privilege>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Privilege {
    pub privilege: String,
    pub access_level: String,
}

/// The `/v1/me` URL of an API base URL.
pub fn me_url(api_url: &Url) -> Result<Url, EngineError> {
    let mut base = api_url.clone();
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    base.join("v1/me")
        .map_err(|e| EngineError::Local(format!("The API URL {api_url} cannot take a path: {e}")))
}

/// Calls `/v1/me` with the token and reads the identity.
pub async fn verify(
    http: &impl crate::http::ClientFor,
    api_url: &Url,
    token: &Secret,
) -> Result<Identity, EngineError> {
    let url = me_url(api_url)?;
    // /v1/me is a few kilobytes; a server that sends more is cut off, not read into memory.
    let SmallAnswer { status, answer, body } =
        get_small(http, &url, JSON_API, Some(token), MAX_TOKEN_RESPONSE_BYTES).await?;
    let message = match status {
        200 => return parse_identity(&body),
        401 => "The API refused the token (401 Unauthorized): it has expired or was revoked, or the user was deactivated. Sign in again to get a new token.".to_string(),
        403 => "The token works, but this user may not read their own profile (403 Forbidden). Check the user's role in ScopeStack.".to_string(),
        404 => format!("{url} was not found (404). Check the API URL: it should be the API host, such as https://api.scopestack.io."),
        406 => "The API wants the header Accept: application/vnd.api+json (406 Not Acceptable).".to_string(),
        _ => format!("The API answered {status}: {}", excerpt(&body)),
    };
    Err(EngineError::Api { status, message, answer: answer.boxed() })
}

fn parse_identity(body: &[u8]) -> Result<Identity, EngineError> {
    let bad = |detail: String, problem: Option<Problem>| EngineError::BadResponse {
        status: Some(200),
        detail,
        answer: AnswerFacts { problem, ..AnswerFacts::default() }.boxed(),
    };
    let doc: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        bad(
            format!("/v1/me did not answer with JSON ({e}): {}", excerpt(body)),
            Some(Problem::NotJson),
        )
    })?;
    let data = &doc["data"];
    let attrs = &data["attributes"];
    if !attrs.is_object() {
        return Err(bad(
            format!("/v1/me answered without data.attributes: {}", excerpt(body)),
            None,
        ));
    }
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let privileges = attrs["privileges"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| Privilege {
                    privilege: text(&p["privilege"]),
                    access_level: text(&p["access-level"]),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Identity {
        user_id: text(&data["id"]),
        name: text(&attrs["name"]),
        email: text(&attrs["email"]),
        account_slug: text(&attrs["account-slug"]),
        account_id: text(&attrs["account-id"]),
        privileges,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn me_url_keeps_a_path_prefix() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(
            me_url(&u("https://api.scopestack.io")).unwrap().as_str(),
            "https://api.scopestack.io/v1/me"
        );
        assert_eq!(me_url(&u("http://127.0.0.1:9/")).unwrap().as_str(), "http://127.0.0.1:9/v1/me");
        assert_eq!(
            me_url(&u("https://gw.example/scopestack")).unwrap().as_str(),
            "https://gw.example/scopestack/v1/me"
        );
    }

    #[test]
    fn the_identity_is_read_from_the_json_api_document() {
        let body = br#"{"data":{"id":"4029","type":"mes","attributes":{"name":"Avery","email":"a@x.test","account-id":864,"account-slug":"acme","privileges":[{"privilege":"projects.overview","access-level":"manage"}]}}}"#;
        let id = parse_identity(body).unwrap();
        assert_eq!(
            (id.user_id.as_str(), id.account_slug.as_str(), id.account_id.as_str()),
            ("4029", "acme", "864")
        );
        assert_eq!(id.privileges[0].access_level, "manage");
    }

    #[test]
    fn a_non_json_answer_is_explained() {
        let err = parse_identity(b"<html>maintenance</html>").unwrap_err();
        assert!(err.to_string().contains("maintenance"), "{err}");
    }
}
