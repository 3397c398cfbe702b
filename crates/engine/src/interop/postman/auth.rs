//! Postman's OAuth 2.0 settings (`auth.type == "oauth2"`, at the collection or a request) read
//! into what a profile needs: the method, the two OAuth URLs, client ID, scope, callback, how the
//! client authenticates — and, kept apart, the secrets the file carries.

use super::report::ImportReport;
use super::values::{entries, lookup, Variables};
use crate::profiles::{ClientAuth, Method};
use serde_json::Value;

/// Postman's callback for its own browser flow ("Authorize using browser").
pub const POSTMAN_BROWSER_CALLBACK: &str = "https://oauth.pstmn.io/v1/browser-callback";

/// The OAuth 2.0 settings of one `auth` block, variables resolved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OAuthSettings {
    /// Postman's `grant_type` as written.
    pub grant: String,
    pub method: Option<Method>,
    pub auth_url: Option<String>,
    pub token_url: Option<String>,
    pub client_id: String,
    pub scope: String,
    pub redirect_uri: Option<String>,
    /// `None` when the file does not say.
    pub client_auth: Option<ClientAuth>,
    pub username: String,
    pub client_secret: Option<String>,
    pub password: Option<String>,
    /// Which tokens the file holds ("access token", "refresh token"): always dropped.
    pub tokens: Vec<&'static str>,
}

/// The `type` of an `auth` block (`oauth2`, `bearer`, `noauth`, …), lowercased.
pub fn auth_type(auth: Option<&Value>) -> Option<String> {
    auth.and_then(|a| a.get("type")).and_then(Value::as_str).map(str::to_ascii_lowercase)
}

/// The method of a Postman grant type, if the app has one.
fn method_of(grant: &str) -> Option<Method> {
    match grant.trim().to_ascii_lowercase().as_str() {
        "authorization_code" | "authorization_code_with_pkce" => Some(Method::BrowserLogin),
        "client_credentials" => Some(Method::ClientCredentials),
        "password" | "password_credentials" => Some(Method::Password),
        _ => None,
    }
}

/// Reads an `oauth2` auth block; `None` when `auth` is of another type.
pub fn read_oauth2(
    auth: Option<&Value>,
    vars: &Variables,
    report: &mut ImportReport,
) -> Option<OAuthSettings> {
    let auth = auth?;
    if auth_type(Some(auth)).as_deref() != Some("oauth2") {
        return None;
    }
    let list = entries(auth.get("oauth2"));
    let get = |key: &str| {
        lookup(&list, key).map(|v| vars.resolve(v).trim().to_string()).filter(|v| !v.is_empty())
    };
    // Postman leaves grant_type out when it is its default, the authorization code.
    let grant = get("grant_type").unwrap_or_else(|| "authorization_code".to_string());
    let method = method_of(&grant);
    if method.is_none() {
        report.skipped(format!(
            "The OAuth 2.0 grant \"{grant}\" is not one of ScopeStack's three ways to get a token; the profile uses browser login instead. Check its method."
        ));
    }
    let redirect_uri = match get("redirect_uri").or_else(|| get("callback_url")) {
        Some(uri) => Some(uri),
        None if get("useBrowser").as_deref() == Some("true") => {
            Some(POSTMAN_BROWSER_CALLBACK.to_string())
        }
        None => None,
    };
    let client_auth = get("client_authentication").map(|v| {
        if v.eq_ignore_ascii_case("header") {
            ClientAuth::Basic
        } else {
            ClientAuth::Body
        }
    });
    let mut tokens = Vec::new();
    if get("accessToken").is_some() {
        tokens.push("access token");
    }
    if get("refreshToken").is_some() {
        tokens.push("refresh token");
    }
    Some(OAuthSettings {
        grant,
        method,
        auth_url: get("authUrl"),
        token_url: get("accessTokenUrl"),
        client_id: get("clientId").unwrap_or_default(),
        scope: get("scope").unwrap_or_default(),
        redirect_uri,
        client_auth,
        username: get("username").unwrap_or_default(),
        client_secret: get("clientSecret"),
        password: get("password"),
        tokens,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v21_and_v20_blocks_read_alike() {
        let mut vars = Variables::default();
        vars.extend(&entries(Some(&json!([{"key": "cid", "value": "my-client"}]))));
        let v21 = json!({"type": "oauth2", "oauth2": [
            {"key": "grant_type", "value": "password_credentials"},
            {"key": "clientId", "value": "{{cid}}"},
            {"key": "clientSecret", "value": "s"},
            {"key": "username", "value": "robot@acme.test"},
            {"key": "password", "value": "p"},
            {"key": "accessToken", "value": "old"},
            {"key": "client_authentication", "value": "header"},
            {"key": "accessTokenUrl", "value": "https://app.example.test/oauth/token"}
        ]});
        let mut report = ImportReport::default();
        let s = read_oauth2(Some(&v21), &vars, &mut report).unwrap();
        assert_eq!(s.method, Some(Method::Password));
        assert_eq!(s.client_id, "my-client");
        assert_eq!(s.client_auth, Some(ClientAuth::Basic));
        assert_eq!((s.client_secret.as_deref(), s.password.as_deref()), (Some("s"), Some("p")));
        assert_eq!(s.tokens, ["access token"]);
        let v20 = json!({"type": "oauth2", "oauth2": {"grant_type": "client_credentials", "clientId": "x", "useBrowser": true}});
        let s = read_oauth2(Some(&v20), &vars, &mut report).unwrap();
        assert_eq!(s.method, Some(Method::ClientCredentials));
        assert_eq!(s.redirect_uri.as_deref(), Some(POSTMAN_BROWSER_CALLBACK));
        assert!(report.skipped.is_empty());
        assert!(read_oauth2(Some(&json!({"type": "bearer"})), &vars, &mut report).is_none());
    }

    #[test]
    fn an_implicit_grant_is_reported() {
        let mut report = ImportReport::default();
        let block =
            json!({"type": "oauth2", "oauth2": [{"key": "grant_type", "value": "implicit"}]});
        let s = read_oauth2(Some(&block), &Variables::default(), &mut report).unwrap();
        assert_eq!(s.method, None);
        assert!(report.skipped[0].contains("implicit"), "{:?}", report.skipped);
    }
}
