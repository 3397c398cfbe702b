//! [`check_input`]: warnings before anything is sent — a token pasted as the server's whole JSON
//! answer, a client ID with spaces or look-alike characters, an address without `https://`, or
//! ScopeStack's two hosts swapped.

use super::codes::*;
use super::diagnosis::SettingsField;
use super::lookalike;
use super::urls::{self, HostRole};
use crate::origin::is_loopback;
use crate::secret::Secret;
use serde::Serialize;
use url::Url;

/// What the user has entered; `None` for what is not being checked.
#[derive(Clone, Debug, Default)]
pub struct Input<'a> {
    /// A token pasted by hand (for a request, or to import).
    pub token: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub token_url: Option<&'a str>,
    pub authorize_url: Option<&'a str>,
    pub api_url: Option<&'a str>,
    /// The URL of a request in the request tester.
    pub request_url: Option<&'a str>,
}

/// Something that looks wrong before sending.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Warning {
    pub code: &'static str,
    pub field: SettingsField,
    pub message: String,
    /// The value as it was probably meant, to offer as a one-click change. Never a secret: for a
    /// pasted token, use [`extract_token`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

fn warn(
    code: &'static str,
    field: SettingsField,
    message: impl Into<String>,
    suggestion: Option<String>,
) -> Warning {
    Warning { code, field, message: message.into(), suggestion }
}

/// Checks what the user entered; an empty list when nothing looks wrong.
pub fn check_input(input: &Input<'_>) -> Vec<Warning> {
    let mut out = Vec::new();
    if let Some(token) = input.token {
        check_token(token, &mut out);
    }
    if let Some(id) = input.client_id {
        check_client_id(id, &mut out);
    }
    for (text, field) in [
        (input.token_url, SettingsField::TokenUrl),
        (input.authorize_url, SettingsField::AuthorizeUrl),
        (input.api_url, SettingsField::ApiUrl),
        (input.request_url, SettingsField::RequestUrl),
    ] {
        if let Some(text) = text {
            check_url(text, field, &mut out);
        }
    }
    out
}

/// The token inside what was pasted: the `access_token` of a pasted JSON answer, without a
/// `Bearer ` prefix, quotes or whitespace. `None` when there is nothing to change or to find.
pub fn extract_token(pasted: &str) -> Option<Secret> {
    let t = pasted.trim();
    let from_json = if t.starts_with('{') || t.contains("access_token") {
        match serde_json::from_str::<serde_json::Value>(t) {
            Ok(v) => Some(v.get("access_token")?.as_str()?.to_string()),
            Err(_) => {
                // A partial paste: take the string after "access_token":
                let rest = &t[t.find("access_token")? + "access_token".len()..];
                let rest = rest
                    .trim_start_matches(['"', '\\', ' '])
                    .strip_prefix(':')?
                    .trim_start()
                    .trim_start_matches(['"', '\\']);
                Some(rest.split(['"', '\\', ',', '}']).next()?.to_string())
            }
        }
    } else {
        None
    };
    let mut token = from_json.unwrap_or_else(|| t.to_string());
    if token.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("bearer ")) {
        token = token[7..].to_string();
    }
    let token: String =
        token.trim().trim_matches(['"', '\'']).chars().filter(|c| !c.is_whitespace()).collect();
    (!token.is_empty() && token != pasted).then(|| Secret::new(token))
}

fn check_token(token: &str, out: &mut Vec<Warning>) {
    let t = token.trim();
    if t.is_empty() {
        return;
    }
    let field = SettingsField::Token;
    if t.starts_with('{') || t.contains("access_token") {
        let found = extract_token(t).is_some();
        out.push(warn(
            INPUT_TOKEN_IS_JSON,
            field,
            if found {
                "This is the server's whole answer, not just the token. The access token is the value after \"access_token\": — the app can take it out for you."
            } else {
                "This looks like the server's whole answer, not just the token, and no access_token could be found in it. Paste only the value after \"access_token\":."
            },
            None,
        ));
        return;
    }
    let mut t = t;
    if t.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("bearer ")) {
        out.push(warn(
            INPUT_TOKEN_HAS_BEARER_PREFIX,
            field,
            "The token starts with \"Bearer \". Paste only the token: the app adds \"Bearer\" itself.",
            None,
        ));
        t = t[7..].trim_start();
    }
    if t.starts_with(['"', '\'']) || t.ends_with(['"', '\'']) {
        out.push(warn(
            INPUT_TOKEN_QUOTED,
            field,
            "The token has quotation marks around it. Paste it without them.",
            None,
        ));
    }
    if token.trim() != token || t.chars().any(char::is_whitespace) {
        out.push(warn(
            INPUT_TOKEN_WHITESPACE,
            field,
            "The token has spaces or line breaks in it, probably from copying. The app removes them.",
            None,
        ));
    }
}

fn check_client_id(id: &str, out: &mut Vec<Warning>) {
    if id.trim().is_empty() {
        return;
    }
    let (around, inside) = lookalike::whitespace(id);
    let cleaned = lookalike::cleaned(id);
    if around || inside {
        out.push(warn(
            INPUT_CLIENT_ID_WHITESPACE,
            SettingsField::ClientId,
            if inside {
                "The client ID has a space inside it. Client IDs have none: it probably came from copying."
            } else {
                "The client ID has a space or line break at its start or end."
            },
            Some(cleaned.clone()),
        ));
    }
    let unusual: Vec<_> = lookalike::unusual_characters(id)
        .into_iter()
        .filter(|s| !s.found.is_whitespace())
        .collect();
    if !unusual.is_empty() {
        out.push(warn(
            INPUT_CLIENT_ID_LOOKALIKE,
            SettingsField::ClientId,
            format!(
                "The client ID contains characters that only look like plain letters or digits ({}). The server will not recognise it. Copy it again as plain text, or use the corrected value.",
                lookalike::list(&unusual, 4)
            ),
            Some(cleaned),
        ));
    }
}

fn check_url(text: &str, field: SettingsField, out: &mut Vec<Warning>) {
    let t = text.trim();
    if t.is_empty() {
        return;
    }
    let name = match field {
        SettingsField::TokenUrl => "token URL",
        SettingsField::AuthorizeUrl => "sign-in (authorize) URL",
        SettingsField::ApiUrl => "API URL",
        _ => "address",
    };
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if t != text || compact != t {
        out.push(warn(
            INPUT_URL_WHITESPACE,
            field,
            format!("The {name} has spaces in it."),
            Some(compact.clone()),
        ));
    }
    if !compact.contains("://") {
        let suggestion = format!("https://{}", compact.trim_start_matches('/'));
        out.push(warn(
            INPUT_URL_WITHOUT_SCHEME,
            field,
            format!("The {name} should start with https://."),
            Some(suggestion.clone()),
        ));
        if let Ok(url) = Url::parse(&suggestion) {
            check_hosts(&url, field, name, out);
        }
        return;
    }
    let Ok(url) = Url::parse(&compact) else { return };
    if url.scheme() == "http" && !is_loopback(&url) {
        let mut secure = url.clone();
        let _ = secure.set_scheme("https");
        out.push(warn(
            INPUT_URL_NOT_HTTPS,
            field,
            format!("The {name} uses http://: tokens and secrets would travel unencrypted. Use https://."),
            Some(secure.to_string()),
        ));
    }
    check_hosts(&url, field, name, out);
}

/// ScopeStack's hosts swapped or paths misplaced.
fn check_hosts(url: &Url, field: SettingsField, name: &str, out: &mut Vec<Warning>) {
    let role = urls::host_role(url);
    let path = url.path().trim_end_matches('/');
    let origin = || format!("{}://{}", url.scheme(), url.host_str().unwrap_or(""));
    match field {
        SettingsField::ApiUrl if role == Some(HostRole::App) => out.push(warn(
            INPUT_API_URL_IS_APP_HOST,
            field,
            "The API URL points at app.scopestack.io, where sign-in and tokens live. ScopeStack's API is at api.scopestack.io.",
            urls::swap_host(url, HostRole::Api).map(|mut u| {
                u.set_path("");
                u.to_string().trim_end_matches('/').to_string()
            }),
        )),
        SettingsField::ApiUrl if path == "/v1" || path.starts_with("/v1/") => out.push(warn(
            INPUT_API_URL_HAS_PATH,
            field,
            format!("The API URL should be only the host, without {path}: the app adds /v1/me and the other paths itself."),
            Some(origin()),
        )),
        SettingsField::TokenUrl | SettingsField::AuthorizeUrl if role == Some(HostRole::Api) => {
            let (code, end) = if field == SettingsField::TokenUrl {
                (INPUT_TOKEN_URL_IS_API_HOST, "/oauth/token")
            } else {
                (INPUT_AUTHORIZE_URL_IS_API_HOST, "/oauth/authorize")
            };
            out.push(warn(
                code,
                field,
                format!("The {name} points at api.scopestack.io, the API. Sign-in and tokens are on app.scopestack.io."),
                urls::swap_host(url, HostRole::App).map(|mut u| {
                    u.set_path(end);
                    u.to_string()
                }),
            ))
        }
        SettingsField::TokenUrl if role == Some(HostRole::App) && path != "/oauth/token" => {
            out.push(warn(INPUT_TOKEN_URL_PATH, field, "ScopeStack's token URL ends in /oauth/token.", Some(format!("{}/oauth/token", origin()))))
        }
        SettingsField::RequestUrl => {
            if let Some(resource) = urls::missing_account_slug(url) {
                out.push(warn(
                    INPUT_REQUEST_URL_MISSING_ACCOUNT_SLUG,
                    field,
                    format!("Account data such as {resource} needs the account slug before /v1: {}.", urls::with_slug_placeholder(url)),
                    Some(urls::with_slug_placeholder(url)),
                ));
            }
            if role == Some(HostRole::App) && path.contains("/v1") {
                out.push(warn(
                    INPUT_REQUEST_URL_IS_APP_HOST,
                    field,
                    "API requests go to api.scopestack.io, not app.scopestack.io.",
                    urls::swap_host(url, HostRole::Api).map(|u| u.to_string()),
                ));
            }
        }
        _ => {}
    }
}
