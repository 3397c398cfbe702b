//! A JSON:API document read into a view model for the UI: the resources with their attributes
//! and relationships (each related resource's attributes found in `included`), `meta`, the
//! paging links, and `errors[]` with their JSON pointers.

use crate::error::EngineError;
use crate::requests::store::ExchangeStore;
use crate::requests::summary::ExchangeId;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// Documents larger than this are not turned into a view (use jq on them).
pub const MAX_VIEW_BYTES: u64 = 32 * 1024 * 1024;
/// The window's table shows at most this many resources of a page: a 30 MB page holds
/// hundreds of thousands, which no table can lay out without freezing.
pub const MAX_VIEW_RESOURCES: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// `data` is an array.
    Collection,
    /// `data` is one resource (or null).
    Single,
    /// `errors` is present.
    Errors,
    NotJsonApi,
}

/// A related resource, with its attributes when `included` has it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct RelatedRef {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub included: Option<Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Relationship {
    pub name: String,
    /// Empty for an empty to-one (`null`) or to-many (`[]`), and when only links are given.
    pub targets: Vec<RelatedRef>,
    /// Whether it is a to-many relationship (`data` is an array).
    pub many: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Resource {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub attributes: Value,
    pub relationships: Vec<Relationship>,
}

/// Paging and self links; JSON:API allows a string or `{ "href": … }`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Links {
    pub first: Option<String>,
    pub last: Option<String>,
    pub next: Option<String>,
    pub prev: Option<String>,
    #[serde(rename = "self")]
    pub self_link: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ApiError {
    pub status: Option<String>,
    pub title: Option<String>,
    pub detail: Option<String>,
    pub code: Option<String>,
    /// `source.pointer`: which part of the request document is wrong (`/data/attributes/name`).
    pub pointer: Option<String>,
    /// `source.parameter`: which query parameter is wrong.
    pub parameter: Option<String>,
}

/// The view of one document.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct JsonApiView {
    pub kind: DocKind,
    pub resources: Vec<Resource>,
    /// How many resources the document has (more than `resources` holds when it was cut to
    /// [`MAX_VIEW_RESOURCES`] for the window).
    pub total_resources: usize,
    /// Resources of `included` that no relationship on this page points to.
    pub unreferenced_included: usize,
    pub meta: Option<Value>,
    pub links: Links,
    pub errors: Vec<ApiError>,
    /// Why the document is not shown as JSON:API, when it is not.
    pub note: Option<String>,
}

impl JsonApiView {
    fn not_json_api(note: impl Into<String>) -> JsonApiView {
        JsonApiView {
            kind: DocKind::NotJsonApi,
            resources: Vec::new(),
            total_resources: 0,
            unreferenced_included: 0,
            meta: None,
            links: Links::default(),
            errors: Vec::new(),
            note: Some(note.into()),
        }
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn link(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("href").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}

fn identity(v: &Value) -> Option<(String, String)> {
    Some((v.get("type").and_then(text)?, v.get("id").and_then(text)?))
}

/// Reads a JSON:API document from its bytes. Never fails: what is not JSON:API comes back as
/// [`DocKind::NotJsonApi`] with a note.
pub fn parse(body: &[u8]) -> JsonApiView {
    match serde_json::from_slice::<Value>(body) {
        Ok(doc) => view(&doc),
        Err(e) => JsonApiView::not_json_api(format!("The body is not JSON ({e}).")),
    }
}

/// Reads a parsed JSON document.
pub fn view(doc: &Value) -> JsonApiView {
    let Some(top) = doc.as_object() else {
        return JsonApiView::not_json_api("A JSON:API document is an object; this is not.");
    };
    if !top.contains_key("data") && !top.contains_key("errors") && !top.contains_key("meta") {
        return JsonApiView::not_json_api(
            "A JSON:API document has \"data\", \"errors\" or \"meta\" at the top; this has none.",
        );
    }
    let included: Vec<&Value> = top
        .get("included")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let mut by_identity: HashMap<(String, String), &Value> = HashMap::new();
    for r in &included {
        if let Some(key) = identity(r) {
            by_identity.insert(key, r);
        }
    }
    let mut referenced: std::collections::HashSet<(String, String)> = Default::default();

    let mut read_resource = |r: &Value| -> Option<Resource> {
        let (kind, id) =
            (r.get("type").and_then(text)?, r.get("id").and_then(text).unwrap_or_default());
        let mut relationships = Vec::new();
        if let Some(rels) = r.get("relationships").and_then(Value::as_object) {
            for (name, rel) in rels {
                let data = rel.get("data");
                let many = matches!(data, Some(Value::Array(_)));
                let linkage: Vec<&Value> = match data {
                    Some(Value::Array(a)) => a.iter().collect(),
                    Some(v @ Value::Object(_)) => vec![v],
                    _ => Vec::new(),
                };
                let targets = linkage
                    .into_iter()
                    .filter_map(identity)
                    .map(|key| {
                        let included = by_identity.get(&key).map(|inc| {
                            inc.get("attributes")
                                .cloned()
                                .unwrap_or(Value::Object(Default::default()))
                        });
                        if included.is_some() {
                            referenced.insert(key.clone());
                        }
                        RelatedRef { kind: key.0, id: key.1, included }
                    })
                    .collect();
                relationships.push(Relationship { name: name.clone(), targets, many });
            }
        }
        Some(Resource {
            kind,
            id,
            attributes: r.get("attributes").cloned().unwrap_or(Value::Object(Default::default())),
            relationships,
        })
    };

    let (kind, resources) = match top.get("data") {
        _ if top.get("errors").is_some_and(|e| e.is_array()) => (DocKind::Errors, Vec::new()),
        Some(Value::Array(items)) => {
            (DocKind::Collection, items.iter().filter_map(&mut read_resource).collect())
        }
        Some(Value::Null) | None => (DocKind::Single, Vec::new()),
        Some(one) => (DocKind::Single, read_resource(one).into_iter().collect()),
    };
    let unreferenced_included = by_identity.keys().filter(|k| !referenced.contains(*k)).count();

    let errors = top
        .get("errors")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|e| {
                    let source = e.get("source");
                    ApiError {
                        status: e.get("status").and_then(text),
                        title: e.get("title").and_then(text),
                        detail: e.get("detail").and_then(text),
                        code: e.get("code").and_then(text),
                        pointer: source.and_then(|s| s.get("pointer")).and_then(text),
                        parameter: source.and_then(|s| s.get("parameter")).and_then(text),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let links = top.get("links");
    let get = |name: &str| link(links.and_then(|l| l.get(name)));
    JsonApiView {
        kind,
        total_resources: resources.len(),
        resources,
        unreferenced_included,
        meta: top.get("meta").cloned(),
        links: Links {
            first: get("first"),
            last: get("last"),
            next: get("next"),
            prev: get("prev"),
            self_link: get("self"),
        },
        errors,
        note: None,
    }
}

/// The view of a stored body (read and parsed on a blocking thread).
pub async fn view_stored(
    store: &ExchangeStore,
    id: ExchangeId,
) -> Result<JsonApiView, EngineError> {
    let body = store.body(id)?;
    if body.len() > MAX_VIEW_BYTES {
        return Ok(JsonApiView::not_json_api(format!(
            "The body is too large to show as a table ({} bytes); filter it with jq, or save it to a file.",
            body.len()
        )));
    }
    tokio::task::spawn_blocking(move || {
        let mut view = parse(&body.read_all(MAX_VIEW_BYTES)?);
        view.resources.truncate(MAX_VIEW_RESOURCES);
        Ok(view)
    })
    .await
    .map_err(|e| EngineError::Local(format!("Reading the document stopped unexpectedly ({e}).")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn included_resources_are_resolved_under_each_relationship() {
        let doc = br#"{"data":[
            {"id":"1","type":"projects","attributes":{"project-name":"A"},"relationships":{"client":{"data":{"type":"clients","id":"7"}},"tags":{"data":[]},"owner":{"links":{"related":"x"}}}},
            {"id":"2","type":"projects","attributes":{"project-name":"B"},"relationships":{"client":{"data":null}}}],
            "included":[{"id":"7","type":"clients","attributes":{"name":"Acme"}},{"id":"8","type":"clients","attributes":{"name":"Unused"}}],
            "meta":{"record-count":2},
            "links":{"first":"http://x?page=1","next":{"href":"http://x?page=2"}}}"#;
        let v = parse(doc);
        assert_eq!(v.kind, DocKind::Collection);
        assert_eq!(v.resources.len(), 2);
        let client =
            &v.resources[0].relationships.iter().find(|r| r.name == "client").unwrap().targets[0];
        assert_eq!((client.kind.as_str(), client.id.as_str()), ("clients", "7"));
        assert_eq!(client.included.as_ref().unwrap()["name"], "Acme");
        assert!(v.resources[0].relationships.iter().find(|r| r.name == "tags").unwrap().many);
        assert!(v.resources[1].relationships[0].targets.is_empty());
        assert_eq!(v.unreferenced_included, 1);
        assert_eq!(v.links.next.as_deref(), Some("http://x?page=2"));
        assert_eq!(v.links.prev, None);
        assert_eq!(v.meta.unwrap()["record-count"], 2);
    }

    #[test]
    fn errors_keep_their_pointers() {
        let v = parse(br#"{"errors":[{"title":"can't be blank","detail":"name - can't be blank","code":"100","source":{"pointer":"/data/attributes/name"},"status":"422"}]}"#);
        assert_eq!(v.kind, DocKind::Errors);
        assert_eq!(v.errors[0].pointer.as_deref(), Some("/data/attributes/name"));
        assert_eq!(v.errors[0].status.as_deref(), Some("422"));
    }

    #[test]
    fn other_documents_are_not_json_api() {
        assert_eq!(parse(b"<html>").kind, DocKind::NotJsonApi);
        assert_eq!(parse(b"[1,2]").kind, DocKind::NotJsonApi);
        assert_eq!(parse(br#"{"error":"invalid_grant"}"#).kind, DocKind::NotJsonApi);
        let single = parse(br#"{"data":{"id":"4029","type":"mes","attributes":{"name":"A"}}}"#);
        assert_eq!((single.kind, single.resources[0].id.as_str()), (DocKind::Single, "4029"));
    }
}
