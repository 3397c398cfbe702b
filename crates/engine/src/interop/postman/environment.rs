//! Postman environments: reading one (`{name, values: [{key, value, enabled, type}]}`) and
//! writing one for a profile — its URLs, client ID and scope as variables, its variables, and
//! the current access token only when the caller asks for it, typed `secret`.

use super::values::{entries, normalise, text, Entry};
use crate::error::EngineError;
use crate::profiles::{Endpoints, Profile};
use crate::secret::Secret;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A profile setting an environment variable stands for, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    ApiUrl,
    AuthorizeUrl,
    TokenUrl,
    ClientId,
    Scope,
    Username,
    RedirectUri,
    ClientSecret,
    Password,
    /// An access or refresh token: never imported.
    Token,
}

/// The setting a variable name stands for (`baseUrl`, `accessTokenUrl`, `client_id`, …).
pub fn setting_of(name: &str) -> Option<Setting> {
    Some(match normalise(name).as_str() {
        "baseurl" | "apiurl" | "apibaseurl" | "url" | "api" => Setting::ApiUrl,
        "authurl" | "authorizeurl" | "authorizationurl" => Setting::AuthorizeUrl,
        "accesstokenurl" | "tokenurl" => Setting::TokenUrl,
        "clientid" => Setting::ClientId,
        "scope" | "scopes" => Setting::Scope,
        "username" | "email" => Setting::Username,
        "redirecturi" | "redirecturl" | "callbackurl" | "callback" => Setting::RedirectUri,
        "clientsecret" => Setting::ClientSecret,
        "password" => Setting::Password,
        "accesstoken" | "token" | "refreshtoken" | "bearertoken" | "authtoken" => Setting::Token,
        _ => return None,
    })
}

/// A Postman environment as read.
#[derive(Clone, Debug, Default)]
pub struct PostmanEnvironment {
    pub name: String,
    pub values: Vec<Entry>,
}

/// Whether a JSON document is a Postman environment.
pub fn is_environment(doc: &Value) -> bool {
    doc.get("values").is_some_and(Value::is_array)
        && (text(doc.get("_postman_variable_scope")) == "environment"
            || (doc.get("info").is_none() && doc.get("item").is_none()))
}

pub fn read(doc: &Value) -> Result<PostmanEnvironment, EngineError> {
    if !is_environment(doc) {
        return Err(EngineError::MissingInput(
            "This is not a Postman environment (it has no \"values\" list). In Postman, open Environments, choose the environment's … menu and Export.".into(),
        ));
    }
    Ok(PostmanEnvironment {
        name: text(doc.get("name")).trim().to_string(),
        values: entries(doc.get("values")),
    })
}

/// A random version-4 UUID, as Postman gives every environment.
fn uuid_v4() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// The environment of a profile, as Postman imports it. `token` is written (typed `secret`)
/// only when given: pass it only when the user asked for it.
pub fn export(
    profile: &Profile,
    endpoints: &Endpoints,
    variables: &BTreeMap<String, String>,
    token: Option<&Secret>,
    now_unix: i64,
) -> String {
    let mut values: Vec<(String, String, &str)> = vec![
        ("baseUrl".into(), endpoints.api_url.as_str().trim_end_matches('/').to_string(), "default"),
        ("authUrl".into(), endpoints.authorize_url.to_string(), "default"),
        ("accessTokenUrl".into(), endpoints.token_url.to_string(), "default"),
        ("clientId".into(), profile.client_id.clone(), "default"),
        ("scope".into(), profile.scope.clone(), "default"),
    ];
    if !profile.username.is_empty() {
        values.push(("username".into(), profile.username.clone(), "default"));
    }
    if let Some(uri) = &profile.callback.redirect_uri {
        values.push(("redirect_uri".into(), uri.clone(), "default"));
    }
    for (k, v) in variables {
        if setting_of(k).is_none() && !values.iter().any(|(name, _, _)| name == k) {
            values.push((k.clone(), v.clone(), "default"));
        }
    }
    if let Some(token) = token {
        values.push(("accessToken".into(), token.expose().to_string(), "secret"));
    }
    let doc = json!({
        "id": uuid_v4(),
        "name": format!("{} (ScopeStack Companion)", profile.name),
        "values": values.into_iter().map(|(key, value, kind)| json!({"key": key, "value": value, "type": kind, "enabled": true})).collect::<Vec<_>>(),
        "_postman_variable_scope": "environment",
        "_postman_exported_at": crate::interop::utc::rfc3339(now_unix),
        "_postman_exported_using": concat!("ScopeStack Companion/", env!("CARGO_PKG_VERSION")),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> (Profile, Endpoints) {
        let mut p = crate::profiles::scopestack_production();
        p.client_id = "acme-client".into();
        p.name = "Acme".into();
        let crate::profiles::Environment::Server(e) = p.environment.clone() else { unreachable!() };
        (p, e)
    }

    #[test]
    fn an_export_holds_the_settings_and_the_token_only_when_asked() {
        let (p, e) = profile();
        let vars = BTreeMap::from([
            ("projectId".to_string(), "42".to_string()),
            ("clientId".to_string(), "shadow".to_string()),
        ]);
        let token = Secret::new("the-current-token-value");
        let without: Value = serde_json::from_str(&export(&p, &e, &vars, None, 0)).unwrap();
        let env = read(&without).unwrap();
        let keys: Vec<&str> = env.values.iter().map(|v| v.key.as_str()).collect();
        assert_eq!(
            keys,
            ["baseUrl", "authUrl", "accessTokenUrl", "clientId", "scope", "projectId"]
        );
        assert_eq!(env.values[0].value, "https://api.scopestack.io");
        assert_eq!(env.values[3].value, "acme-client");
        assert!(!serde_json::to_string(&without).unwrap().contains("the-current-token-value"));
        let with: Value = serde_json::from_str(&export(&p, &e, &vars, Some(&token), 0)).unwrap();
        let last = read(&with).unwrap().values.pop().unwrap();
        assert_eq!(
            (last.key.as_str(), last.value.as_str(), last.kind.as_str()),
            ("accessToken", "the-current-token-value", "secret")
        );
        assert_eq!(with["_postman_variable_scope"], "environment");
    }

    #[test]
    fn settings_are_recognised_by_name() {
        assert_eq!(setting_of("base_url"), Some(Setting::ApiUrl));
        assert_eq!(setting_of("Access-Token-URL"), Some(Setting::TokenUrl));
        assert_eq!(setting_of("refresh_token"), Some(Setting::Token));
        assert_eq!(setting_of("projectId"), None);
        assert!(read(&serde_json::json!({"item": []})).is_err());
    }
}
