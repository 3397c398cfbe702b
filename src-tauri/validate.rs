//! Checks on what the webview sends, before it reaches the engine, a URL, a file name or the
//! keychain: lengths bounded, profile ids known, URLs parsed and their scheme checked. Every
//! refusal is a [`CommandError::Input`] that says what to change.

use crate::error::CommandError;
use crate::state::AppState;
use engine::requests::RequestSpec;
use engine::{ProfileId, ProfileStore};
use url::Url;

/// Profile ids are made by the app (`p-` and 16 hex digits, or a built-in name).
pub const MAX_PROFILE_ID: usize = 64;
pub const MAX_PROFILE_NAME: usize = 100;
pub const MAX_CLIENT_ID: usize = 256;
/// The longest e-mail address a mail server accepts.
pub const MAX_USERNAME: usize = 320;
pub const MAX_SCOPE: usize = 1024;
/// Client secrets and passwords, in bytes.
pub const MAX_SECRET: usize = 4096;
/// The sign-in, token, API and callback URLs of a profile.
pub const MAX_SETTINGS_URL: usize = 2048;
/// The address a browser ended on, pasted back (it carries the code and the state).
pub const MAX_PASTED_URL: usize = 16 * 1024;
pub const MAX_REQUEST_URL: usize = 8 * 1024;
pub const MAX_METHOD: usize = 16;
pub const MAX_HEADERS: usize = 100;
pub const MAX_HEADER_NAME: usize = 256;
pub const MAX_HEADER_VALUE: usize = 8 * 1024;
pub const MAX_QUERY_PAIRS: usize = 200;
pub const MAX_QUERY_PART: usize = 8 * 1024;
/// The request body typed in the editor, in bytes.
pub const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;
/// The longest time a request may be given to finish.
pub const MAX_TIMEOUT_MS: u64 = 10 * 60 * 1000;
pub const MAX_JQ_FILTER: usize = 16 * 1024;
pub const MAX_CURL_COMMAND: usize = 1024 * 1024;
pub const MAX_COPIED_TEXT: usize = 64 * 1024;
/// History entry ids are the app's own (hex time, a dash, hex random).
pub const MAX_HISTORY_ID: usize = 40;

fn input(message: impl Into<String>) -> CommandError {
    CommandError::Input(message.into())
}

/// `value`, when it has at most `max` characters.
pub fn bounded<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, CommandError> {
    // A quick byte check first, so a huge value is not walked character by character.
    if value.len() > max * 4 || value.chars().count() > max {
        return Err(input(format!("The {field} is too long (at most {max} characters). Check that the right text was pasted.")));
    }
    Ok(value)
}

/// `value`, trimmed, when it fits on one line and has at most `max` characters.
pub fn one_line<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, CommandError> {
    let value = bounded(field, value.trim(), max)?;
    if value.chars().any(char::is_control) {
        return Err(input(format!("The {field} has a line break or another invisible control character. Type it again on one line.")));
    }
    Ok(value)
}

/// A profile id of the shape the app makes; whether it exists is [`known_profile`]'s job.
pub fn profile_id(raw: &str) -> Result<ProfileId, CommandError> {
    let plausible = !raw.is_empty()
        && raw.len() <= MAX_PROFILE_ID
        && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !plausible {
        return Err(input("That is not a profile of this app. Choose a profile in the sidebar."));
    }
    Ok(ProfileId::new(raw))
}

/// The id of a profile that exists in `store`. Everything keyed by a profile — its keychain
/// entries, its history file, its sign-in cookies — is reached only through this.
pub fn known_profile(store: &ProfileStore, raw: &str) -> Result<ProfileId, CommandError> {
    let id = profile_id(raw)?;
    if store.get(&id).is_err() {
        return Err(input("That profile no longer exists (it may have been deleted). Choose a profile in the sidebar."));
    }
    Ok(id)
}

/// [`known_profile`] against the running app's profiles.
pub fn profile(state: &AppState, raw: &str) -> Result<ProfileId, CommandError> {
    known_profile(&*state.store()?, raw)
}

/// A profile's name: trimmed, not empty, one line, at most [`MAX_PROFILE_NAME`] characters.
pub fn profile_name(raw: &str) -> Result<String, CommandError> {
    let name = one_line("profile name", raw, MAX_PROFILE_NAME)?;
    if name.is_empty() {
        return Err(input("Give the profile a name, such as \"Production\" or \"Test account\"."));
    }
    Ok(name.to_string())
}

/// One of a profile's URLs: parsed, `https://` (or `http://` on this computer only).
pub fn settings_url(field: &'static str, raw: &str) -> Result<Url, CommandError> {
    let value = one_line(field, raw, MAX_SETTINGS_URL)?;
    if value.is_empty() {
        return Err(input(format!("Enter the {field}, starting with https://.")));
    }
    let url = Url::parse(value).map_err(|e| {
        let hint = if value.contains("://") { "" } else { " Start it with https://." };
        input(format!("The {field} \"{value}\" is not a valid address ({e}).{hint}"))
    })?;
    engine::profiles::check_url(field, &url).map_err(|e| input(e.to_string()))?;
    Ok(url)
}

/// A client secret or password typed into the form: `None` when left empty.
pub fn secret(field: &str, raw: Option<String>) -> Result<Option<String>, CommandError> {
    let Some(value) = raw.filter(|v| !v.is_empty()) else { return Ok(None) };
    if value.len() > MAX_SECRET {
        return Err(input(format!("The {field} is too long (at most {MAX_SECRET} bytes). Check that the right text was pasted.")));
    }
    if value.contains(['\0', '\n', '\r']) {
        return Err(input(format!("The {field} has a line break or a NUL character, which no {field} has. Paste it again without them.")));
    }
    Ok(Some(value))
}

/// The address a browser ended on, pasted back: bounded and parsed (the engine checks its code and state).
pub fn pasted_address(raw: &str) -> Result<&str, CommandError> {
    let value = one_line("pasted address", raw, MAX_PASTED_URL)?;
    Url::parse(value).map_err(|_| {
        input("Paste the whole address from the browser's address bar after signing in (it starts with http:// or https:// and holds ?code=…).")
    })?;
    Ok(value)
}

/// A request of the request tester: every part bounded and the method a word. Where it may go
/// (and whether the token goes with it) the engine decides as it sends.
pub fn request(spec: &RequestSpec) -> Result<(), CommandError> {
    let method = one_line("method", &spec.method, MAX_METHOD)?;
    if !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(input(format!(
            "\"{method}\" is not an HTTP method. Use GET, POST, PATCH, PUT or DELETE."
        )));
    }
    bounded("request URL", &spec.url, MAX_REQUEST_URL)?;
    if spec.query.len() > MAX_QUERY_PAIRS {
        return Err(input(format!(
            "The request has {} query parameters; at most {MAX_QUERY_PAIRS} can be sent.",
            spec.query.len()
        )));
    }
    for (k, v) in &spec.query {
        bounded("query parameter", k, MAX_QUERY_PART)?;
        bounded("query parameter value", v, MAX_QUERY_PART)?;
    }
    if spec.headers.len() > MAX_HEADERS {
        return Err(input(format!(
            "The request has {} headers; at most {MAX_HEADERS} can be sent.",
            spec.headers.len()
        )));
    }
    for (k, v) in &spec.headers {
        bounded("header name", k, MAX_HEADER_NAME)?;
        bounded("header value", v, MAX_HEADER_VALUE)?;
    }
    if spec.body.as_ref().is_some_and(|b| b.len() > MAX_REQUEST_BODY) {
        return Err(input(format!(
            "The request body is larger than {} MB. Send a smaller body.",
            MAX_REQUEST_BODY / (1024 * 1024)
        )));
    }
    if spec.timeout_ms.is_some_and(|t| t == 0 || t > MAX_TIMEOUT_MS) {
        return Err(input(format!(
            "Give the request between 1 ms and {} minutes to finish.",
            MAX_TIMEOUT_MS / 60_000
        )));
    }
    Ok(())
}

/// A history entry id of the shape the app makes.
pub fn history_id(raw: &str) -> Result<&str, CommandError> {
    if raw.is_empty()
        || raw.len() > MAX_HISTORY_ID
        || !raw.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
    {
        return Err(input(
            "That history entry is not one of this app's. Choose one from Recent requests.",
        ));
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(r: Result<impl std::fmt::Debug, CommandError>) -> String {
        match r {
            Err(CommandError::Input(m)) => m,
            other => panic!("expected an input error, got {other:?}"),
        }
    }

    #[test]
    fn lengths_are_bounded_in_characters() {
        assert_eq!(bounded("x", "ééé", 3).unwrap(), "ééé");
        assert!(err(bounded("client ID", "abcd", 3)).contains("client ID is too long (at most 3"));
        assert!(bounded("x", &"a".repeat(10_000_000), 100).is_err());
    }

    #[test]
    fn one_line_values_are_trimmed_and_refuse_control_characters() {
        assert_eq!(one_line("client ID", "  abc \n", 10).unwrap(), "abc");
        assert!(err(one_line("client ID", "ab\ncd", 10)).contains("line break"));
        assert!(one_line("client ID", "a\u{7}b", 10).is_err());
    }

    #[test]
    fn profile_ids_have_the_apps_shape() {
        for ok in ["sandbox", "scopestack", "p-00ff12ab34cd56ef"] {
            assert_eq!(profile_id(ok).unwrap().as_str(), ok);
        }
        for bad in ["", "../x", "a/b", "p 1", "é", &"a".repeat(MAX_PROFILE_ID + 1), "a\0"] {
            assert!(err(profile_id(bad)).contains("Choose a profile"), "{bad:?}");
        }
    }

    #[test]
    fn only_profiles_in_the_store_are_known() {
        let dir = std::env::temp_dir().join(format!("validate-test-{}", std::process::id()));
        let store = ProfileStore::open(&dir).unwrap().0;
        let existing = store.list()[0].id.as_str().to_string();
        assert_eq!(known_profile(&store, &existing).unwrap().as_str(), existing);
        assert!(err(known_profile(&store, "p-0000000000000000")).contains("no longer exists"));
        assert!(err(known_profile(&store, "")).contains("Choose a profile"));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn profile_names_are_needed_and_bounded() {
        assert_eq!(profile_name("  Production ").unwrap(), "Production");
        assert!(err(profile_name("   ")).contains("Give the profile a name"));
        assert!(profile_name(&"n".repeat(MAX_PROFILE_NAME + 1)).is_err());
    }

    #[test]
    fn settings_urls_are_parsed_and_scheme_checked() {
        assert_eq!(
            settings_url("token URL", " https://app.scopestack.io/oauth/token ")
                .unwrap()
                .host_str(),
            Some("app.scopestack.io")
        );
        assert!(settings_url("token URL", "http://127.0.0.1:9/oauth/token").is_ok());
        assert!(err(settings_url("token URL", "app.scopestack.io/oauth/token"))
            .contains("Start it with https://"));
        assert!(err(settings_url("token URL", "http://app.scopestack.io/oauth/token"))
            .contains("https://"));
        assert!(settings_url("API URL", "file:///etc/passwd").is_err());
        assert!(settings_url("API URL", "javascript:alert(1)").is_err());
        assert!(err(settings_url("API URL", "")).contains("Enter the API URL"));
        assert!(settings_url(
            "API URL",
            &format!("https://x.test/{}", "a".repeat(MAX_SETTINGS_URL))
        )
        .is_err());
    }

    #[test]
    fn secrets_are_bounded_and_single_line() {
        assert_eq!(secret("password", Some(String::new())).unwrap(), None);
        assert_eq!(secret("password", None).unwrap(), None);
        assert_eq!(secret("password", Some("pä ss!".into())).unwrap().as_deref(), Some("pä ss!"));
        assert!(err(secret("client secret", Some("a\nb".into()))).contains("line break"));
        assert!(secret("client secret", Some("x".repeat(MAX_SECRET + 1))).is_err());
    }

    #[test]
    fn pasted_addresses_must_be_addresses() {
        assert!(pasted_address(" http://127.0.0.1:8765/callback?code=a&state=b ").is_ok());
        assert!(err(pasted_address("code=a&state=b")).contains("whole address"));
        assert!(pasted_address(&format!("https://x.test/?code={}", "a".repeat(MAX_PASTED_URL)))
            .is_err());
    }

    #[test]
    fn requests_are_bounded() {
        assert!(request(&RequestSpec::get("/v1/me")).is_ok());
        assert!(request(&RequestSpec::get("{account-slug}/v1/projects")).is_ok());
        assert!(err(request(&RequestSpec::new("GE T", "/v1/me"))).contains("not an HTTP method"));
        let mut many = RequestSpec::get("/v1/me");
        many.headers = vec![("X-A".into(), "b".into()); MAX_HEADERS + 1];
        assert!(err(request(&many)).contains("headers"));
        assert!(request(
            &RequestSpec::get("/v1/me").with_header("X-A", &"v".repeat(MAX_HEADER_VALUE + 1))
        )
        .is_err());
        assert!(request(
            &RequestSpec::get("/v1/me").with_query("q", &"v".repeat(MAX_QUERY_PART + 1))
        )
        .is_err());
        assert!(request(
            &RequestSpec::new("POST", "/x").with_body(vec![b'a'; MAX_REQUEST_BODY + 1])
        )
        .is_err());
        let mut slow = RequestSpec::get("/v1/me");
        slow.timeout_ms = Some(MAX_TIMEOUT_MS + 1);
        assert!(err(request(&slow)).contains("minutes"));
    }

    #[test]
    fn history_ids_have_the_apps_shape() {
        assert!(history_id("18f2a3b4c5d-0a1b2c3d").is_ok());
        assert!(history_id("../../x").is_err());
        assert!(history_id("").is_err());
    }
}
