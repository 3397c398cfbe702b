//! What an answer's body is — JSON, a web page, XML, empty, not text — and the errors a JSON
//! body carries: OAuth's `error` or JSON:API's `errors[]` with their `source.pointer`s.

use super::diagnosis::FieldError;
use serde_json::Value;

/// The shape of a body, as far as matters for a diagnosis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyShape {
    Empty,
    Json,
    /// Starts like JSON but does not parse: cut off, or damaged.
    BrokenJson,
    Html,
    Xml,
    /// Bytes that are not UTF-8 text.
    NotText,
    Text,
}

/// Bodies larger than this are judged by their start only (no full JSON parse).
const PARSE_LIMIT: usize = 4 * 1024 * 1024;

/// Tells what `body` is, from its first bytes and whether it parses.
pub fn shape(body: &[u8]) -> BodyShape {
    if body.len() > PARSE_LIMIT {
        let start = String::from_utf8_lossy(&body[..1024]);
        let t = start.trim_start();
        return if looks_like_html(t) {
            BodyShape::Html
        } else if t.starts_with('{') || t.starts_with('[') {
            BodyShape::Json
        } else {
            BodyShape::Text
        };
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return BodyShape::NotText;
    };
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.is_empty() {
        return BodyShape::Empty;
    }
    if looks_like_html(t) {
        return BodyShape::Html;
    }
    if t.starts_with("<?xml") || t.starts_with('<') {
        return BodyShape::Xml;
    }
    if t.starts_with('{') || t.starts_with('[') {
        return match serde_json::from_str::<Value>(t) {
            Ok(_) => BodyShape::Json,
            Err(_) => BodyShape::BrokenJson,
        };
    }
    match serde_json::from_str::<Value>(t) {
        Ok(_) => BodyShape::Json,
        Err(_) => BodyShape::Text,
    }
}

/// Whether a text is (the start of) a web page.
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(512).collect::<String>().to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<html")
        || head.contains("<head")
        || head.contains("<body")
}

/// The `<title>` of a web page, for telling a captive portal from a maintenance page.
pub fn html_title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title: String = text.get(open_end..close)?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then(|| title.chars().take(120).collect())
}

/// Words that suggest who made a web page that came back where JSON was expected.
pub fn html_origin_hint(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["maintenance", "be right back", "temporarily unavailable", "down for"]) {
        Some("maintenance")
    } else if has(&[
        "wi-fi",
        "wifi",
        "hotspot",
        "accept the terms",
        "captive",
        "guest network",
        "log in to the network",
        "portal",
    ]) {
        Some("captive_portal")
    } else if has(&[
        "proxy",
        "firewall",
        "blocked",
        "web filter",
        "zscaler",
        "forcepoint",
        "bluecoat",
        "access denied",
        "policy",
    ]) {
        Some("proxy")
    } else if has(&[
        "cloudflare",
        "bad gateway",
        "gateway time",
        "service unavailable",
        "nginx",
        "502",
        "503",
        "504",
    ]) {
        Some("gateway")
    } else if has(&["sign in", "log in", "login", "password"]) {
        Some("login_page")
    } else {
        None
    }
}

/// An OAuth error body: `{"error": "...", "error_description": "..."}`.
pub fn oauth_error(body: &[u8]) -> Option<(String, Option<String>)> {
    if body.len() > PARSE_LIMIT {
        return None;
    }
    let v: Value = serde_json::from_slice(body).ok()?;
    let error = v.get("error")?.as_str()?.to_string();
    let description = v.get("error_description").and_then(Value::as_str).map(String::from);
    Some((error, description))
}

/// One error of a JSON:API `errors[]` list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiError {
    pub status: Option<String>,
    pub code: Option<String>,
    pub title: Option<String>,
    pub detail: Option<String>,
    pub pointer: Option<String>,
    pub parameter: Option<String>,
}

impl ApiError {
    /// The error in one line: its detail, else its title, else its code.
    pub fn message(&self) -> String {
        self.detail
            .clone()
            .or_else(|| self.title.clone())
            .or_else(|| self.code.clone())
            .unwrap_or_else(|| "(no message)".into())
    }

    /// The error as a field error: the pointer, its last part as the field, and the message.
    pub fn field_error(&self) -> FieldError {
        let field = self
            .pointer
            .as_deref()
            .and_then(|p| p.rsplit('/').find(|s| !s.is_empty()))
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .or_else(|| self.parameter.clone());
        FieldError { pointer: self.pointer.clone(), field, message: self.message() }
    }
}

/// The errors of a JSON:API error document (`{"errors": [...]}`); also reads Rails' plain
/// `{"errors": {"field": ["message"]}}` and `{"error": "message"}` shapes.
pub fn api_errors(body: &[u8]) -> Vec<ApiError> {
    if body.len() > PARSE_LIMIT {
        return Vec::new();
    }
    let Ok(v) = serde_json::from_slice::<Value>(body) else { return Vec::new() };
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match v.get("errors") {
        Some(Value::Array(list)) => list
            .iter()
            .take(50)
            .map(|e| ApiError {
                status: e.get("status").and_then(text),
                code: e.get("code").and_then(text),
                title: e.get("title").and_then(text),
                detail: e.get("detail").and_then(text),
                pointer: e.pointer("/source/pointer").and_then(text),
                parameter: e.pointer("/source/parameter").and_then(text),
            })
            .collect(),
        Some(Value::Object(map)) => map
            .iter()
            .take(50)
            .map(|(field, messages)| {
                let message = match messages {
                    Value::Array(m) => m.iter().filter_map(text).collect::<Vec<_>>().join(", "),
                    other => text(other).unwrap_or_default(),
                };
                ApiError {
                    detail: Some(message),
                    pointer: Some(format!("/data/attributes/{field}")),
                    ..ApiError::default()
                }
            })
            .collect(),
        _ => match v.get("error").and_then(text) {
            Some(message) => vec![ApiError { detail: Some(message), ..ApiError::default() }],
            None => Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(shape(b""), BodyShape::Empty);
        assert_eq!(shape(b"  \n"), BodyShape::Empty);
        assert_eq!(shape(br#"{"a":1}"#), BodyShape::Json);
        assert_eq!(shape(br#"{"a":"#), BodyShape::BrokenJson);
        assert_eq!(shape(b"<!DOCTYPE html><html><title>x</title>"), BodyShape::Html);
        assert_eq!(shape(b"<?xml version=\"1.0\"?><token/>"), BodyShape::Xml);
        assert_eq!(shape(&[0xff, 0xfe, 0x00]), BodyShape::NotText);
        assert_eq!(shape(b"Service Unavailable"), BodyShape::Text);
    }

    #[test]
    fn titles_and_origins_of_pages() {
        let page = "<html><head><title>\n Scheduled  Maintenance </title></head><body>We'll be right back</body></html>";
        assert_eq!(html_title(page).as_deref(), Some("Scheduled Maintenance"));
        assert_eq!(html_origin_hint(page), Some("maintenance"));
        assert_eq!(
            html_origin_hint("<html><body>Welcome to Guest Wi-Fi. Accept the terms</body></html>"),
            Some("captive_portal")
        );
    }

    #[test]
    fn json_api_errors_with_pointers() {
        let body = br#"{"errors":[{"status":"422","title":"Invalid","detail":"project-name - can't be blank","source":{"pointer":"/data/attributes/project-name"}},{"title":"is invalid","source":{"pointer":"/data/relationships/client"}}]}"#;
        let errors = api_errors(body);
        assert_eq!(errors.len(), 2);
        let f = errors[0].field_error();
        assert_eq!(f.field.as_deref(), Some("project-name"));
        assert_eq!(f.message, "project-name - can't be blank");
        assert_eq!(errors[1].field_error().field.as_deref(), Some("client"));
        let rails = api_errors(br#"{"errors":{"name":["can't be blank","is too short"]}}"#);
        assert_eq!(rails[0].field_error().message, "can't be blank, is too short");
    }
}
