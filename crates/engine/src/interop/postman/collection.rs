//! Reading a Postman collection (format v2.1, and v2.0 where it differs only in small ways):
//! its name, variables, collection-level auth, and every request with the folder path it sits
//! in. Nothing is changed here: [`super::templates`] rewrites, [`super::import`] stores.

use super::report::ImportReport;
use super::values::{entries, text, Entry};
use crate::error::EngineError;
use serde_json::Value;

/// Folders nested deeper than this are not followed (a file that loops or is malicious).
const MAX_DEPTH: usize = 32;
/// The most requests one import keeps.
pub const MAX_REQUESTS: usize = 5000;

/// One request of a collection, as written in the file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawRequest {
    pub name: String,
    /// The folders it sits in, outermost first.
    pub folder: Vec<String>,
    pub method: String,
    /// The URL without its query (`{{baseUrl}}/v1/projects`).
    pub url: String,
    pub query: Vec<Entry>,
    /// Postman's `:name` path variables and their values.
    pub path_variables: Vec<Entry>,
    pub headers: Vec<Entry>,
    pub body: Option<String>,
    /// The body came from Postman's `urlencoded` mode (a form).
    pub form_body: bool,
    pub auth: Option<Value>,
}

/// A whole collection.
#[derive(Clone, Debug, Default)]
pub struct Collection {
    pub name: String,
    pub variables: Vec<Entry>,
    pub auth: Option<Value>,
    pub requests: Vec<RawRequest>,
}

/// Whether a JSON document is a Postman collection (it has `info` with a collection schema, or
/// `info` and `item`).
pub fn is_collection(doc: &Value) -> bool {
    let schema = doc.pointer("/info/schema").and_then(Value::as_str).unwrap_or("");
    schema.contains("schema.getpostman.com/json/collection")
        || (doc.get("info").is_some() && doc.get("item").is_some())
}

/// Reads a collection document; refuses the v1 format and unknown versions with what to do.
pub fn read(doc: &Value, report: &mut ImportReport) -> Result<Collection, EngineError> {
    let schema = doc.pointer("/info/schema").and_then(Value::as_str).unwrap_or("");
    if schema.contains("/v1.") || (doc.get("requests").is_some() && doc.get("item").is_none()) {
        return Err(EngineError::MissingInput(
            "This Postman collection is in the old v1 format. In Postman, choose Export and \"Collection v2.1\", then import that file.".into(),
        ));
    }
    if !schema.is_empty() && !schema.contains("/v2.0") && !schema.contains("/v2.1") {
        report.skipped(format!("The collection names the schema {schema}; it was read as v2.1."));
    }
    let mut collection = Collection {
        name: text(doc.pointer("/info/name")).trim().to_string(),
        variables: entries(doc.get("variable")),
        auth: doc.get("auth").cloned(),
        requests: Vec::new(),
    };
    note_scripts(doc, "the collection", report);
    walk(doc.get("item"), &mut Vec::new(), &mut collection.requests, report);
    if collection.requests.len() > MAX_REQUESTS {
        report.skipped(format!(
            "Only the first {MAX_REQUESTS} of {} requests were imported.",
            collection.requests.len()
        ));
        collection.requests.truncate(MAX_REQUESTS);
    }
    Ok(collection)
}

fn note_scripts(node: &Value, whose: &str, report: &mut ImportReport) {
    let Some(Value::Array(events)) = node.get("event") else { return };
    for event in events {
        let listen = text(event.get("listen"));
        let has_code = match event.pointer("/script/exec") {
            Some(Value::Array(lines)) => lines.iter().any(|l| !text(Some(l)).trim().is_empty()),
            Some(Value::String(s)) => !s.trim().is_empty(),
            _ => false,
        };
        if has_code {
            let kind = if listen == "prerequest" { "pre-request script" } else { "test script" };
            report.skipped(format!(
                "The {kind} of {whose} was not imported: the app does not run Postman scripts."
            ));
        }
    }
}

fn walk(
    items: Option<&Value>,
    folder: &mut Vec<String>,
    out: &mut Vec<RawRequest>,
    report: &mut ImportReport,
) {
    let Some(Value::Array(items)) = items else { return };
    if folder.len() >= MAX_DEPTH {
        report.skipped(format!(
            "Folders nested deeper than {MAX_DEPTH} levels (under \"{}\") were not imported.",
            folder.join(" / ")
        ));
        return;
    }
    for item in items {
        let name = text(item.get("name")).trim().to_string();
        if let Some(request) = item.get("request") {
            let mut raw = read_request(request, report);
            raw.name =
                if name.is_empty() { format!("{} {}", raw.method, raw.url) } else { name.clone() };
            raw.folder = folder.clone();
            note_scripts(item, &format!("\"{}\"", raw.name), report);
            out.push(raw);
        } else if item.get("item").is_some() {
            note_scripts(item, &format!("the folder \"{name}\""), report);
            if item
                .get("auth")
                .is_some_and(|a| super::auth::auth_type(Some(a)).as_deref() != Some("oauth2"))
            {
                report.skipped(format!("The folder \"{name}\" has its own authorization; its requests use the profile's token."));
            }
            folder.push(if name.is_empty() { "Folder".into() } else { name });
            walk(item.get("item"), folder, out, report);
            folder.pop();
        }
    }
}

fn read_request(request: &Value, report: &mut ImportReport) -> RawRequest {
    // v2 allows a request to be just its URL.
    if let Value::String(url) = request {
        let (url, query) = split_query(url);
        return RawRequest { method: "GET".into(), url, query, ..RawRequest::default() };
    }
    let method = text(request.get("method")).trim().to_ascii_uppercase();
    let method = if method.is_empty() { "GET".to_string() } else { method };
    let (url, query, path_variables) = read_url(request.get("url"));
    let headers = match request.get("header") {
        Some(Value::String(block)) => block
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| Entry {
                key: k.trim().into(),
                value: v.trim().into(),
                enabled: true,
                kind: "default".into(),
            })
            .collect(),
        other => entries(other),
    };
    let (body, form_body) = read_body(request.get("body"), &method, report);
    RawRequest {
        name: String::new(),
        folder: Vec::new(),
        method,
        url,
        query,
        path_variables,
        headers,
        body,
        form_body,
        auth: request.get("auth").cloned(),
    }
}

/// `a?b=1&c` into `a` and its query entries.
fn split_query(url: &str) -> (String, Vec<Entry>) {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, q),
        None => return (url.trim().to_string(), Vec::new()),
    };
    let entries = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Entry {
                key: k.to_string(),
                value: v.to_string(),
                enabled: true,
                kind: "default".into(),
            }
        })
        .collect();
    (base.trim().to_string(), entries)
}

fn joined(v: Option<&Value>, sep: &str) -> String {
    match v {
        Some(Value::Array(parts)) => {
            parts.iter().map(|p| text(Some(p))).collect::<Vec<_>>().join(sep)
        }
        other => text(other),
    }
}

fn read_url(url: Option<&Value>) -> (String, Vec<Entry>, Vec<Entry>) {
    match url {
        Some(Value::String(s)) => {
            let (base, query) = split_query(s);
            (base, query, Vec::new())
        }
        Some(obj @ Value::Object(_)) => {
            let raw = text(obj.get("raw"));
            let (base, raw_query) = if raw.trim().is_empty() {
                let protocol = text(obj.get("protocol"));
                let host = joined(obj.get("host"), ".");
                let port = text(obj.get("port"));
                let path = joined(obj.get("path"), "/");
                let mut built =
                    if protocol.is_empty() { host } else { format!("{protocol}://{host}") };
                if !port.is_empty() {
                    built.push(':');
                    built.push_str(&port);
                }
                if !path.is_empty() {
                    built.push('/');
                    built.push_str(path.trim_start_matches('/'));
                }
                (built, Vec::new())
            } else {
                split_query(&raw)
            };
            // The structured query (with its disabled entries) wins over the raw one.
            let query =
                if obj.get("query").is_some() { entries(obj.get("query")) } else { raw_query };
            (base, query, entries(obj.get("variable")))
        }
        _ => (String::new(), Vec::new(), Vec::new()),
    }
}

fn read_body(
    body: Option<&Value>,
    method: &str,
    report: &mut ImportReport,
) -> (Option<String>, bool) {
    let Some(body) = body else { return (None, false) };
    if body.get("disabled").and_then(Value::as_bool) == Some(true) {
        return (None, false);
    }
    match text(body.get("mode")).as_str() {
        "raw" => {
            let raw = text(body.get("raw"));
            (if raw.is_empty() { None } else { Some(raw) }, false)
        }
        "urlencoded" => {
            let fields: Vec<(String, String)> = entries(body.get("urlencoded"))
                .into_iter()
                .filter(|e| e.enabled)
                .map(|e| (e.key, e.value))
                .collect();
            let form =
                url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
            (Some(form), true)
        }
        "" => (None, false),
        other => {
            report.skipped(format!("A {method} request's body in Postman's \"{other}\" mode was not imported (only raw and form bodies are)."));
            (None, false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn folders_urls_queries_and_bodies_are_read() {
        let doc = json!({
            "info": {"name": "Demo", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
            "item": [
                {"name": "Projects", "item": [
                    {"name": "List", "request": {"method": "get", "url": {"raw": "{{baseUrl}}/v1/projects?include=client&x=1",
                        "host": ["{{baseUrl}}"], "path": ["v1", "projects"],
                        "query": [{"key": "include", "value": "client"}, {"key": "x", "value": "1", "disabled": true}]}}},
                    {"name": "Create", "request": {"method": "POST", "url": "{{baseUrl}}/v1/projects",
                        "header": [{"key": "Content-Type", "value": "application/vnd.api+json"}],
                        "body": {"mode": "raw", "raw": "{\"data\":{}}"}}}
                ]},
                {"name": "Form", "request": {"method": "POST", "url": {"protocol": "https", "host": ["api", "example", "test"], "path": ["form"]},
                    "body": {"mode": "urlencoded", "urlencoded": [{"key": "a", "value": "1 2"}]}}},
                {"name": "Upload", "request": {"method": "POST", "url": "https://x.test/u", "body": {"mode": "formdata", "formdata": []}},
                    "event": [{"listen": "test", "script": {"exec": ["pm.test()"]}}]}
            ]
        });
        assert!(is_collection(&doc));
        let mut report = ImportReport::default();
        let c = read(&doc, &mut report).unwrap();
        assert_eq!(c.name, "Demo");
        assert_eq!(c.requests.len(), 4);
        let list = &c.requests[0];
        assert_eq!(
            (list.method.as_str(), list.url.as_str(), list.folder.clone()),
            ("GET", "{{baseUrl}}/v1/projects", vec!["Projects".to_string()])
        );
        assert_eq!(list.query.iter().filter(|q| q.enabled).count(), 1);
        assert_eq!(c.requests[1].body.as_deref(), Some("{\"data\":{}}"));
        assert_eq!(c.requests[2].url, "https://api.example.test/form");
        assert_eq!((c.requests[2].body.as_deref(), c.requests[2].form_body), (Some("a=1+2"), true));
        assert_eq!(c.requests[3].body, None);
        assert!(report.skipped.iter().any(|s| s.contains("formdata")), "{:?}", report.skipped);
        assert!(
            report.skipped.iter().any(|s| s.contains("test script of \"Upload\"")),
            "{:?}",
            report.skipped
        );
    }

    #[test]
    fn the_v1_format_is_refused_with_what_to_do() {
        let mut report = ImportReport::default();
        let err =
            read(&json!({"id": "x", "name": "Old", "requests": [], "order": []}), &mut report)
                .unwrap_err();
        assert!(err.to_string().contains("Collection v2.1"), "{err}");
    }
}
