//! Enriching the catalogue from the API's own description, an OpenAPI 3 or Swagger 2 document:
//! the account-scoped paths it lists become resource types, record paths and actions; their
//! query parameters become filters, includes, sorts and paging; write bodies' schemas become
//! attributes and relationships. What the catalogue knew stays; only what is new is added.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{is_name, Action, AttrKind, Attribute, Catalogue, Relationship, Resource};
use crate::EngineError;

/// The largest description read (a full API's description is a few megabytes at most).
pub const MAX_DESCRIPTION_BYTES: usize = 16 * 1024 * 1024;
/// The most paths read from one description.
const MAX_PATHS: usize = 10_000;
/// How deep `$ref`s are followed.
const MAX_REF_DEPTH: usize = 12;

/// What merging a description added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct EnrichSummary {
    /// The document's kind and title: `OpenAPI 3.0.3, "Sandbox API" 1.0`.
    pub source: String,
    /// Resource types the description names.
    pub resources_described: u32,
    /// Resource types the catalogue did not know, added.
    pub resources_added: Vec<String>,
    /// Attributes and relationships added to types.
    pub attributes_added: u32,
    /// Filters, includes, sorts and paging added.
    pub parameters_added: u32,
    /// Action endpoints added.
    pub actions_added: u32,
}

fn bad(message: impl Into<String>) -> EngineError {
    EngineError::InvalidInput(message.into())
}

/// Merges what the OpenAPI 3 or Swagger 2 document `text` describes into a copy of
/// `catalogue`. Fails, saying why, on a document that is too large, not JSON, or neither
/// OpenAPI 3 nor Swagger 2; a description without any account-scoped path is no error (the
/// summary says it added nothing).
pub fn enrich_from_openapi(
    catalogue: &Catalogue,
    text: &str,
) -> Result<(Catalogue, EnrichSummary), EngineError> {
    if text.len() > MAX_DESCRIPTION_BYTES {
        return Err(bad(format!(
            "The API's description is {} MB, more than the {} MB an API description can be; it was not read.",
            text.len() / (1024 * 1024),
            MAX_DESCRIPTION_BYTES / (1024 * 1024)
        )));
    }
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        bad(format!("The API's description is not valid JSON ({e}), so nothing was added."))
    })?;
    let source = kind_of(&doc)?;
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Err(bad(format!(
            "The {source} document has no \"paths\": it describes no endpoint."
        )));
    };
    if paths.len() > MAX_PATHS {
        return Err(bad(format!(
            "The API's description lists {} paths, more than the {MAX_PATHS} read.",
            paths.len()
        )));
    }
    let mut out = catalogue.clone();
    let mut summary = EnrichSummary { source, ..EnrichSummary::default() };
    let mut described: Vec<String> = Vec::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        let Some(segments) = account_segments(path) else { continue };
        let Some(type_name) = segments.first().filter(|t| is_name(t)) else { continue };
        if !described.contains(type_name) {
            described.push(type_name.clone());
        }
        if out.resource(type_name).is_none() {
            let about = item
                .iter()
                .filter_map(|(_, op)| op.get("summary").or_else(|| op.get("description")))
                .filter_map(Value::as_str)
                .map(|s| s.lines().next().unwrap_or_default().trim().chars().take(200).collect())
                .find(|s: &String| !s.is_empty())
                .unwrap_or_else(|| format!("{type_name}, as the API's description names it."));
            out.resources.push(Resource::new(type_name, &about));
            summary.resources_added.push(type_name.clone());
        }
        let Some(r) = out.resources.iter_mut().find(|r| &r.type_name == type_name) else {
            continue;
        };
        let shared_params = item.get("parameters");
        for (method, op) in item {
            let method = method.to_ascii_uppercase();
            if !["GET", "POST", "PATCH", "PUT", "DELETE"].contains(&method.as_str()) {
                continue;
            }
            match segments.len() {
                1 if method == "GET" => {
                    for p in params(&doc, shared_params).chain(params(&doc, op.get("parameters"))) {
                        summary.parameters_added += add_parameter(r, &doc, p);
                    }
                }
                1 if method == "POST" => {
                    summary.attributes_added += add_body(r, &doc, op);
                }
                2 if method == "PATCH" || method == "PUT" => {
                    summary.attributes_added += add_body(r, &doc, op);
                }
                3 if is_name(&segments[2]) && !r.actions.iter().any(|a| a.name == segments[2]) => {
                    let description = op
                        .get("summary")
                        .or_else(|| op.get("description"))
                        .and_then(Value::as_str)
                        .map(|s| s.lines().next().unwrap_or_default().trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| format!("{method} on one of {type_name}."));
                    r.actions.push(Action { name: segments[2].clone(), method, description });
                    summary.actions_added += 1;
                }
                _ => {}
            }
        }
    }
    summary.resources_described = described.len() as u32;
    out.enriched = Some(summary.clone());
    Ok((out, summary))
}

/// `OpenAPI 3.x` or `Swagger 2.0` with the document's title and version; an error for anything else.
fn kind_of(doc: &Value) -> Result<String, EngineError> {
    let Some(obj) = doc.as_object() else {
        return Err(bad("The API's description is JSON but not an object: it is not OpenAPI."));
    };
    let kind = match (obj.get("openapi").and_then(Value::as_str), obj.get("swagger").and_then(Value::as_str)) {
        (Some(v), _) if v.starts_with("3.") => format!("OpenAPI {v}"),
        (_, Some(v)) if v.starts_with("2.") => format!("Swagger {v}"),
        (Some(v), _) | (_, Some(v)) => {
            return Err(bad(format!(
                "The API's description is version {v}, which the app does not read (OpenAPI 3 or Swagger 2)."
            )))
        }
        _ => {
            return Err(bad(
                "The answer is JSON but not an API description (it has neither \"openapi\" nor \"swagger\").",
            ))
        }
    };
    let info = obj.get("info");
    let title = info.and_then(|i| i.get("title")).and_then(Value::as_str).unwrap_or_default();
    let version = info.and_then(|i| i.get("version")).and_then(Value::as_str).unwrap_or_default();
    Ok(if title.is_empty() {
        kind
    } else {
        format!(
            "{kind}, \"{}\" {}",
            title.chars().take(100).collect::<String>(),
            version.chars().take(40).collect::<String>()
        )
        .trim_end()
        .to_owned()
    })
}

/// The segments after `v1` of an account-scoped path (`/{slug}/v1/projects/{id}` →
/// `projects`, `{id}`), with path parameters written `{id}`; None for other paths.
fn account_segments(path: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let v1 = parts.iter().position(|p| *p == "v1")?;
    // Account-scoped: a slug before v1 (`/{account-slug}/v1/…`, `/{slug}/v1/…`).
    if v1 != 1 {
        return None;
    }
    let rest: Vec<String> = parts[v1 + 1..]
        .iter()
        .map(|s| if s.starts_with('{') { "{id}".to_owned() } else { (*s).to_owned() })
        .collect();
    if rest.is_empty()
        || rest.len() > 3
        || rest[0] == "{id}"
        || (rest.len() >= 2 && rest[1] != "{id}")
    {
        return None;
    }
    Some(rest)
}

/// Follows `$ref` (`#/components/…`, `#/definitions/…`) within the document.
fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..MAX_REF_DEPTH {
        let Some(pointer) = value.get("$ref").and_then(Value::as_str) else { return value };
        let Some(target) = pointer.strip_prefix('#').and_then(|p| doc.pointer(p)) else {
            return value;
        };
        value = target;
    }
    value
}

/// The parameters of a list (resolved).
fn params<'a>(doc: &'a Value, list: Option<&'a Value>) -> impl Iterator<Item = &'a Value> {
    list.and_then(Value::as_array).into_iter().flatten().map(move |p| resolve(doc, p))
}

/// The enum values of a parameter (OpenAPI 3 `schema`, Swagger 2 inline, or their `items`).
fn enum_values(doc: &Value, p: &Value) -> Vec<String> {
    let schema = p.get("schema").map(|s| resolve(doc, s)).unwrap_or(p);
    let list = schema
        .get("enum")
        .or_else(|| schema.get("items").map(|i| resolve(doc, i)).and_then(|i| i.get("enum")));
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .flat_map(|s| s.split(','))
        .map(|s| s.trim().trim_start_matches('-').to_owned())
        .filter(|s| is_name(s))
        .collect()
}

fn push_new(list: &mut Vec<String>, value: String) -> u32 {
    if list.contains(&value) {
        0
    } else {
        list.push(value);
        1
    }
}

/// Adds a query parameter of a list; how many names it added.
fn add_parameter(r: &mut Resource, doc: &Value, p: &Value) -> u32 {
    if p.get("in").and_then(Value::as_str) != Some("query") {
        return 0;
    }
    let Some(name) = p.get("name").and_then(Value::as_str) else { return 0 };
    if let Some(filter) = name.strip_prefix("filter[").and_then(|n| n.strip_suffix(']')) {
        return if is_name(filter) { push_new(&mut r.filters, filter.to_owned()) } else { 0 };
    }
    match name {
        "include" => enum_values(doc, p).into_iter().map(|v| push_new(&mut r.includes, v)).sum(),
        "sort" => enum_values(doc, p).into_iter().map(|v| push_new(&mut r.sorts, v)).sum(),
        "page[number]" | "page[size]" if !r.paged => {
            r.paged = true;
            1
        }
        _ => 0,
    }
}

/// The schema of a write's body (OpenAPI 3 `requestBody`, Swagger 2 `in: body`).
fn body_schema<'a>(doc: &'a Value, op: &'a Value) -> Option<&'a Value> {
    if let Some(body) = op.get("requestBody").map(|b| resolve(doc, b)) {
        let content = body.get("content")?.as_object()?;
        let media = content.values().next()?;
        return media.get("schema").map(|s| resolve(doc, s));
    }
    params(doc, op.get("parameters"))
        .find(|p| p.get("in").and_then(Value::as_str) == Some("body"))
        .and_then(|p| p.get("schema"))
        .map(|s| resolve(doc, s))
}

fn props<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a Map<String, Value>> {
    resolve(doc, schema).get("properties").and_then(Value::as_object)
}

/// Adds the attributes and relationships a write body's schema names; how many it added.
fn add_body(r: &mut Resource, doc: &Value, op: &Value) -> u32 {
    let Some(schema) = body_schema(doc, op) else { return 0 };
    let Some(data) = props(doc, schema).and_then(|p| p.get("data")) else { return 0 };
    let Some(data_props) = props(doc, data) else { return 0 };
    let mut added = 0;
    if let Some(attrs) = data_props.get("attributes") {
        let attrs = resolve(doc, attrs);
        let required: Vec<&str> = attrs
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (name, schema) in props(doc, attrs).into_iter().flatten() {
            if !is_name(name) || r.attribute(name).is_some() {
                continue;
            }
            let schema = resolve(doc, schema);
            let values: Vec<String> = schema
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            r.attributes.push(Attribute {
                name: name.clone(),
                kind: if values.is_empty() { kind_of_schema(schema) } else { AttrKind::Enum },
                required: required.contains(&name.as_str()),
                read_only: schema.get("readOnly").and_then(Value::as_bool).unwrap_or(false),
                values,
            });
            added += 1;
        }
    }
    if let Some(rels) = data_props.get("relationships") {
        for (name, schema) in props(doc, rels).into_iter().flatten() {
            if !is_name(name) || r.relationships.iter().any(|rel| &rel.name == name) {
                continue;
            }
            let linkage = props(doc, schema).and_then(|p| p.get("data")).map(|d| resolve(doc, d));
            let to_many =
                linkage.and_then(|d| d.get("type")).and_then(Value::as_str) == Some("array");
            let linkage = if to_many {
                linkage.and_then(|d| d.get("items")).map(|i| resolve(doc, i))
            } else {
                linkage
            };
            let target = linkage
                .and_then(|d| props(doc, d))
                .and_then(|p| p.get("type"))
                .map(|t| resolve(doc, t))
                .and_then(|t| t.get("enum").and_then(|e| e.get(0)).or_else(|| t.get("example")))
                .and_then(Value::as_str)
                .filter(|t| is_name(t))
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{name}s"));
            r.relationships.push(Relationship {
                name: name.clone(),
                type_name: target,
                to_many,
                required: false,
                read_only: false,
            });
            added += 1;
        }
    }
    added
}

/// An attribute kind from a JSON schema's `type` and `format`.
fn kind_of_schema(schema: &Value) -> AttrKind {
    let ty = match schema.get("type") {
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        Some(t) => t.as_str(),
        None => None,
    };
    match (ty, schema.get("format").and_then(Value::as_str)) {
        (Some("string"), Some("date")) => AttrKind::Date,
        (Some("string"), Some("date-time")) => AttrKind::DateTime,
        (Some("integer"), _) => AttrKind::Integer,
        (Some("number"), _) => AttrKind::Number,
        (Some("boolean"), _) => AttrKind::Boolean,
        (Some("object"), _) => AttrKind::Object,
        (Some("array"), _) => AttrKind::Array,
        _ => AttrKind::String,
    }
}

#[cfg(test)]
mod tests {
    use super::super::builtin;
    use super::*;

    const OPENAPI: &str = r##"{
      "openapi": "3.0.3",
      "info": {"title": "Test API", "version": "2"},
      "components": {"schemas": {"Widget": {"type": "object", "properties": {"data": {"type": "object", "properties": {
        "type": {"type": "string", "enum": ["widgets"]},
        "attributes": {"type": "object", "required": ["label"], "properties": {
          "label": {"type": "string"}, "size": {"type": "integer"}, "due": {"type": "string", "format": "date"},
          "tint": {"type": "string", "enum": ["red", "blue"]}}},
        "relationships": {"type": "object", "properties": {"project": {"type": "object", "properties": {"data": {"type": "object", "properties": {"type": {"type": "string", "enum": ["projects"]}, "id": {"type": "string"}}}}}}}
      }}}}}},
      "paths": {
        "/{account-slug}/v1/widgets": {
          "get": {"summary": "Widgets of the account", "parameters": [
            {"name": "filter[label]", "in": "query", "schema": {"type": "string"}},
            {"name": "include", "in": "query", "schema": {"type": "string", "enum": ["project"]}},
            {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["label", "-size"]}},
            {"name": "page[size]", "in": "query", "schema": {"type": "integer"}}]},
          "post": {"requestBody": {"content": {"application/vnd.api+json": {"schema": {"$ref": "#/components/schemas/Widget"}}}}}
        },
        "/{account-slug}/v1/widgets/{id}/polish": {"put": {"summary": "Polishes the widget"}},
        "/{account-slug}/v1/projects": {"get": {"parameters": [{"name": "filter[owner]", "in": "query"}]}},
        "/v1/me": {"get": {}}
      }
    }"##;

    #[test]
    fn adds_what_the_description_names() {
        let (merged, summary) = enrich_from_openapi(builtin(), OPENAPI).unwrap();
        assert_eq!(summary.source, "OpenAPI 3.0.3, \"Test API\" 2");
        assert_eq!(summary.resources_added, ["widgets"]);
        assert_eq!(summary.resources_described, 2);
        assert_eq!(summary.actions_added, 1);
        let w = merged.resource("widgets").unwrap();
        assert_eq!(w.description, "Widgets of the account");
        assert_eq!(w.filters, ["label"]);
        assert_eq!(w.includes, ["project"]);
        assert_eq!(w.sorts, ["label", "size"]);
        let label = w.attribute("label").unwrap();
        assert!(label.required && label.kind == AttrKind::String);
        assert_eq!(w.attribute("due").unwrap().kind, AttrKind::Date);
        assert_eq!(w.attribute("tint").unwrap().values, ["red", "blue"]);
        assert_eq!(w.relationships[0].type_name, "projects");
        assert_eq!(w.actions[0].name, "polish");
        assert!(merged.resource("projects").unwrap().filters.contains(&"owner".to_owned()));
        assert_eq!(merged.resources.len(), builtin().resources.len() + 1);
        assert!(merged.enriched.is_some());
    }

    #[test]
    fn swagger_two_bodies_are_read_too() {
        let doc = r##"{"swagger": "2.0", "definitions": {"B": {"properties": {"data": {"properties": {"attributes": {"properties": {"colour": {"type": "string"}}}}}}}},
          "paths": {"/{slug}/v1/vendors/{vendor_id}": {"patch": {"parameters": [{"in": "body", "name": "body", "schema": {"$ref": "#/definitions/B"}}]}}}}"##;
        let (merged, summary) = enrich_from_openapi(builtin(), doc).unwrap();
        assert_eq!(summary.attributes_added, 1);
        assert!(merged.resource("vendors").unwrap().attribute("colour").is_some());
    }

    #[test]
    fn bad_documents_say_why() {
        let e = |text: &str| enrich_from_openapi(builtin(), text).unwrap_err().to_string();
        assert!(e("<html>").contains("not valid JSON"));
        assert!(e("[1]").contains("not an object"));
        assert!(e(r#"{"data": []}"#).contains("neither \"openapi\" nor \"swagger\""));
        assert!(e(r#"{"openapi": "4.0", "paths": {}}"#).contains("version 4.0"));
        assert!(e(r#"{"openapi": "3.1.0"}"#).contains("no \"paths\""));
        let huge = " ".repeat(MAX_DESCRIPTION_BYTES + 1);
        assert!(e(&huge).contains("more than the 16 MB"));
        let looped = r##"{"openapi": "3.0.0", "components": {"schemas": {"A": {"$ref": "#/components/schemas/A"}}},
          "paths": {"/{s}/v1/clients": {"post": {"requestBody": {"content": {"x": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}}"##;
        assert_eq!(enrich_from_openapi(builtin(), looped).unwrap().1.attributes_added, 0);
    }
}
