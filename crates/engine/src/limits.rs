//! The limits on what people give the app (typed in the window, passed as flags, read from a file) and the checks both front ends run before a value goes anywhere, each refusal an [`EngineError::InvalidInput`] that says what to change.

use crate::error::EngineError;
use crate::secret::Secret;
use url::Url;

pub use crate::profiles::MAX_PROFILE_NAME;
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
/// The request body typed in the editor (or given to `request --data`), in bytes.
pub const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;
/// The longest time a request may be given to finish.
pub const MAX_TIMEOUT_MS: u64 = 10 * 60 * 1000;
pub const MAX_JQ_FILTER: usize = 16 * 1024;
pub const MAX_CURL_COMMAND: usize = 1024 * 1024;
pub const MAX_COPIED_TEXT: usize = 64 * 1024;
/// History entry ids are the engine's own (hex time, a dash, hex random); saved requests' ids
/// have the same shape.
pub const MAX_HISTORY_ID: usize = 40;
/// The name of a saved request, and of each folder of its path.
pub const MAX_SAVED_NAME: usize = 200;
/// The deepest folder path of a saved request (as deep as a Postman import goes).
pub const MAX_FOLDER_DEPTH: usize = 32;

pub(crate) fn invalid(message: impl Into<String>) -> EngineError {
    EngineError::InvalidInput(message.into())
}

/// `value`, when it has at most `max` characters.
pub fn bounded<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, EngineError> {
    // A quick byte check first, so a huge value is not walked character by character.
    if value.len() > max * 4 || value.chars().count() > max {
        return Err(invalid(format!("The {field} is too long (at most {max} characters). Check that the right text was pasted.")));
    }
    Ok(value)
}

/// `value`, trimmed, when it fits on one line and has at most `max` characters.
pub fn one_line<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, EngineError> {
    let value = bounded(field, value.trim(), max)?;
    if value.chars().any(char::is_control) {
        return Err(invalid(format!("The {field} has a line break or another invisible control character. Type it again on one line.")));
    }
    Ok(value)
}

/// A profile's name: trimmed, not empty, one line, at most [`MAX_PROFILE_NAME`] characters.
pub fn profile_name(raw: &str) -> Result<String, EngineError> {
    let name = one_line("profile name", raw, MAX_PROFILE_NAME)?;
    if name.is_empty() {
        return Err(invalid(
            "Give the profile a name, such as \"Production\" or \"Test account\".",
        ));
    }
    Ok(name.to_string())
}

/// A profile's scope: words, so line breaks between them are spaces; at most [`MAX_SCOPE`]
/// characters.
pub fn scope(raw: &str) -> Result<String, EngineError> {
    let words = bounded("scope", raw, MAX_SCOPE)?.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(one_line("scope", &words, MAX_SCOPE)?.to_string())
}

/// One of a profile's URLs: parsed, `https://` (or `http://` on this computer only).
pub fn settings_url(field: &'static str, raw: &str) -> Result<Url, EngineError> {
    let value = one_line(field, raw, MAX_SETTINGS_URL)?;
    if value.is_empty() {
        return Err(invalid(format!("Enter the {field}, starting with https://.")));
    }
    let url = Url::parse(value).map_err(|e| {
        let hint = if value.contains("://") { "" } else { " Start it with https://." };
        invalid(format!("The {field} \"{value}\" is not a valid address ({e}).{hint}"))
    })?;
    crate::profiles::check_url(field, &url).map_err(|e| invalid(e.to_string()))?;
    Ok(url)
}

/// A client secret or password as given: `None` when empty.
pub fn secret(field: &str, raw: Option<String>) -> Result<Option<Secret>, EngineError> {
    let Some(value) = raw.filter(|v| !v.is_empty()) else { return Ok(None) };
    if value.len() > MAX_SECRET {
        return Err(invalid(format!("The {field} is too long (at most {MAX_SECRET} bytes). Check that the right text was pasted.")));
    }
    if value.contains(['\0', '\n', '\r']) {
        return Err(invalid(format!("The {field} has a line break or a NUL character, which no {field} has. Paste it again without them.")));
    }
    Ok(Some(Secret::new(value)))
}

/// The address a browser ended on, pasted back: bounded and parsed (the sign-in checks its code
/// and state).
pub fn pasted_address(raw: &str) -> Result<&str, EngineError> {
    let value = one_line("pasted address", raw, MAX_PASTED_URL)?;
    Url::parse(value).map_err(|_| {
        invalid("Paste the whole address from the browser's address bar after signing in (it starts with http:// or https:// and holds ?code=…).")
    })?;
    Ok(value)
}

/// A history entry id of the shape the engine makes.
pub fn history_id(raw: &str) -> Result<&str, EngineError> {
    if raw.is_empty()
        || raw.len() > MAX_HISTORY_ID
        || !raw.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
    {
        return Err(invalid(
            "That history entry is not one of this app's. Choose one from Recent requests.",
        ));
    }
    Ok(raw)
}

/// A saved request's id, of the shape the engine makes (as a history entry's).
pub fn saved_request_id(raw: &str) -> Result<&str, EngineError> {
    history_id(raw).map_err(|_| {
        invalid("That is not one of this app's saved requests. Choose one from Saved requests.")
    })
}

/// A saved request's name: trimmed, not empty, one line, at most [`MAX_SAVED_NAME`] characters.
pub fn saved_request_name(raw: &str) -> Result<String, EngineError> {
    let name = one_line("saved request's name", raw, MAX_SAVED_NAME)?;
    if name.is_empty() {
        return Err(invalid("Give the request a name, such as \"List projects\"."));
    }
    Ok(name.to_string())
}

/// A saved request's folder path, outermost first (empty: the top level): at most
/// [`MAX_FOLDER_DEPTH`] folders, each name trimmed, not empty, one line, at most
/// [`MAX_SAVED_NAME`] characters.
pub fn folder_path(raw: &[String]) -> Result<Vec<String>, EngineError> {
    if raw.len() > MAX_FOLDER_DEPTH {
        return Err(invalid(format!(
            "The folder path is {} folders deep: use at most {MAX_FOLDER_DEPTH}.",
            raw.len()
        )));
    }
    raw.iter()
        .map(|folder| {
            let name = one_line("folder name", folder, MAX_SAVED_NAME)?;
            if name.is_empty() {
                return Err(invalid("A folder of the path has no name. Name every folder, or save at the top level (no folder)."));
            }
            Ok(name.to_string())
        })
        .collect()
}
