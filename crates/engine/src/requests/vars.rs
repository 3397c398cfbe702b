//! Variables in a request: `{account-slug}` and any other `{name}` (also written `{{name}}`, as
//! Postman users type them), replaced in the URL, the query and the header values.

use crate::error::EngineError;
use std::collections::HashMap;

/// The variable of the account's slug, the first path segment of account-scoped API calls.
pub const ACCOUNT_SLUG: &str = "account-slug";

/// One `{name}` found in a text: where it is and what it names.
#[derive(Debug, PartialEq, Eq)]
struct Placeholder<'a> {
    start: usize,
    end: usize,
    name: &'a str,
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

/// The placeholders of `text`, in order. `{name}` and `{{name}}` both count; anything else in
/// braces (JSON, `{}`) is left alone.
fn placeholders(text: &str) -> Vec<Placeholder<'_>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'{' {
            i += 1;
            continue;
        }
        let double = bytes.get(i + 1) == Some(&b'{');
        let name_start = if double { i + 2 } else { i + 1 };
        let mut j = name_start;
        if j < bytes.len() && is_name_start(bytes[j]) {
            j += 1;
            while j < bytes.len() && is_name_char(bytes[j]) {
                j += 1;
            }
            let closing: &[u8] = if double { b"}}" } else { b"}" };
            if bytes[j..].starts_with(closing) {
                found.push(Placeholder {
                    start: i,
                    end: j + closing.len(),
                    name: &text[name_start..j],
                });
                i = j + closing.len();
                continue;
            }
        }
        i += 1;
    }
    found
}

/// The names of the variables `text` uses.
pub fn used_in(text: &str) -> Vec<String> {
    placeholders(text).into_iter().map(|p| p.name.to_string()).collect()
}

/// `text` with every `{name}` replaced by its value; an unknown name is an input error that says
/// which variables exist.
pub fn expand(text: &str, vars: &HashMap<String, String>) -> Result<String, EngineError> {
    let found = placeholders(text);
    if found.is_empty() {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for p in found {
        let value = vars.get(p.name).ok_or_else(|| unknown(p.name, vars))?;
        out.push_str(&text[last..p.start]);
        out.push_str(value);
        last = p.end;
    }
    out.push_str(&text[last..]);
    Ok(out)
}

/// `text` with each `{{name}}` that has a value replaced by it, and everything else — single
/// braces, names without a value, JSON — left as it is. For request bodies, where braces are
/// everywhere and a Postman `{{name}}` is the only sure sign of a variable.
pub fn expand_known_double(text: &str, vars: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for p in placeholders(text) {
        let double = text[p.start..].starts_with("{{");
        if let (true, Some(value)) = (double, vars.get(p.name)) {
            out.push_str(&text[last..p.start]);
            out.push_str(value);
            last = p.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

fn unknown(name: &str, vars: &HashMap<String, String>) -> EngineError {
    let mut known: Vec<&str> = vars.keys().map(String::as_str).collect();
    known.sort_unstable();
    let known = if known.is_empty() {
        "none is set".to_string()
    } else {
        format!("the ones set are {}", known.join(", "))
    };
    EngineError::MissingInput(format!(
        "The request uses the variable {{{name}}}, which has no value ({known}). Set it, or replace {{{name}}} with the text it stands for."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn single_and_double_braces_are_expanded() {
        let v = vars(&[("account-slug", "acme"), ("id", "42")]);
        assert_eq!(expand("{account-slug}/v1/projects/{{id}}", &v).unwrap(), "acme/v1/projects/42");
        assert_eq!(expand("no variables", &v).unwrap(), "no variables");
    }

    #[test]
    fn json_and_empty_braces_are_not_variables() {
        assert!(placeholders(r#"{"data":{}} {} { spaced } {9lives}"#).is_empty());
        assert_eq!(used_in("a{b}c{{d.e}}"), vec!["b", "d.e"]);
    }

    #[test]
    fn bodies_expand_known_double_brace_names_only() {
        let v = vars(&[("name", "Acme"), ("id", "42")]);
        let body = r#"{"data":{"id":"{{id}}","attributes":{"name":"{{name}}","note":"{id} {{other}} {{ id }}"}}}"#;
        assert_eq!(
            expand_known_double(body, &v),
            r#"{"data":{"id":"42","attributes":{"name":"Acme","note":"{id} {{other}} {{ id }}"}}}"#
        );
        assert_eq!(expand_known_double("no variables {}", &v), "no variables {}");
    }

    #[test]
    fn an_unknown_variable_is_named_with_the_known_ones() {
        let err =
            expand("{account-slug}/v1/{kind}", &vars(&[("account-slug", "acme")])).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("{kind}") && text.contains("account-slug"), "{text}");
        assert_eq!(err.kind(), crate::ErrorKind::Input);
    }
}
