//! Reading Postman's loose JSON: key/value lists (`[{key, value, disabled|enabled, type}]`, or
//! v2.0's plain objects), and the table of variables with `{{name}}` resolution.

use crate::redact::is_secret_name;
use serde_json::Value;
use std::collections::BTreeMap;

/// One entry of a Postman key/value list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub enabled: bool,
    /// Postman's `type` (`default`, `secret`, `string`, `text`, ...), lowercased.
    pub kind: String,
}

/// A JSON value as Postman text: strings as they are, numbers and booleans written out.
pub fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// The entries of a key/value list: an array of objects, or a plain object (v2.0 auth).
pub fn entries(v: Option<&Value>) -> Vec<Entry> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| {
                let key = item.get("key").and_then(Value::as_str)?.to_string();
                let disabled = item.get("disabled").and_then(Value::as_bool).unwrap_or(false);
                let enabled = item.get("enabled").and_then(Value::as_bool).unwrap_or(true);
                Some(Entry {
                    key,
                    value: text(item.get("value")),
                    enabled: enabled && !disabled,
                    kind: item
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("default")
                        .to_ascii_lowercase(),
                })
            })
            .collect(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| Entry {
                key: k.clone(),
                value: text(Some(v)),
                enabled: true,
                kind: "default".into(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The value of `key` in a key/value list (names compare without case, `_` or `-`).
pub fn lookup<'e>(list: &'e [Entry], key: &str) -> Option<&'e str> {
    let want = normalise(key);
    list.iter()
        .find(|e| normalise(&e.key) == want)
        .map(|e| e.value.as_str())
        .filter(|v| !v.is_empty())
}

/// `clientId`, `client_id` and `Client-ID` alike: lowercase letters and digits only.
pub fn normalise(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// A variable of a collection or environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    pub value: String,
    /// Typed `secret` in Postman, or named like a secret (token, password, …).
    pub secret: bool,
}

/// The variables in force: the collection's, then the environment's over them (as in Postman).
#[derive(Clone, Debug, Default)]
pub struct Variables {
    pub map: BTreeMap<String, Var>,
}

impl Variables {
    /// Adds the enabled entries of a list, replacing variables of the same name.
    pub fn extend(&mut self, list: &[Entry]) {
        for e in list.iter().filter(|e| e.enabled) {
            let secret = e.kind == "secret" || is_secret_name(&e.key);
            self.map.insert(e.key.clone(), Var { value: e.value.clone(), secret });
        }
    }

    /// `text` with every `{{name}}` of a known variable replaced (values may use variables too,
    /// a few levels deep); unknown names are left as they are.
    pub fn resolve(&self, text: &str) -> String {
        let mut out = text.to_string();
        for _ in 0..5 {
            let next = replace_double(&out, |name| self.map.get(name).map(|v| v.value.clone()));
            if next == out {
                break;
            }
            out = next;
        }
        out
    }
}

/// The names of the `{{name}}` of a text, in order (any characters but braces inside).
pub fn double_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        names.push(after[..end].trim().to_string());
        rest = &after[end + 2..];
    }
    names
}

/// `text` with each `{{name}}` for which `value` gives something replaced by it.
pub fn replace_double(text: &str, mut value: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.push_str(&rest[..start]);
        match value(after[..end].trim()) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_read_both_shapes_and_skip_nothing_silently() {
        let v21 = json!([{"key": "clientId", "value": "abc", "type": "string"}, {"key": "x", "value": 5, "disabled": true}]);
        let list = entries(Some(&v21));
        assert_eq!(list.len(), 2);
        assert!(!list[1].enabled);
        assert_eq!(list[1].value, "5");
        assert_eq!(lookup(&list, "client_id"), Some("abc"));
        let v20 = json!({"clientId": "abc", "useBrowser": true});
        assert_eq!(lookup(&entries(Some(&v20)), "usebrowser"), Some("true"));
    }

    #[test]
    fn variables_resolve_nested_and_leave_unknown_ones() {
        let mut vars = Variables::default();
        vars.extend(&entries(Some(&json!([
            {"key": "host", "value": "api.example.test"},
            {"key": "baseUrl", "value": "https://{{host}}/v1"},
            {"key": "apiToken", "value": "t"},
            {"key": "plain", "value": "p", "type": "secret"}
        ]))));
        assert_eq!(
            vars.resolve("{{baseUrl}}/me?x={{ missing }}"),
            "https://api.example.test/v1/me?x={{ missing }}"
        );
        assert!(
            vars.map["apiToken"].secret && vars.map["plain"].secret && !vars.map["host"].secret
        );
        assert_eq!(double_names("a{{b}}c{{ d e }}{{unclosed"), ["b", "d e"]);
    }
}
