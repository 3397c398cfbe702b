//! A JSON:API write body for a resource type: `{"data":{"type":…,"attributes":{…},
//! "relationships":{…}}}` with every writable attribute under a placeholder of its kind, and the
//! `id` member for PATCH and PUT.

use serde_json::{json, Map, Value};

use super::{AttrKind, Attribute, Catalogue};
use crate::EngineError;

/// The placeholder of an attribute: its kind's empty value (`""`, `0`, `false` — `true` for
/// `active` —, `{}`, `[]`), a date's pattern, or an enum's first value.
fn placeholder(a: &Attribute) -> Value {
    match a.kind {
        AttrKind::String | AttrKind::Text => Value::String(String::new()),
        AttrKind::Integer | AttrKind::Number => json!(0),
        // A new record is active unless said otherwise; other flags start off.
        AttrKind::Boolean => Value::Bool(a.name == "active"),
        AttrKind::Date => Value::String("YYYY-MM-DD".to_owned()),
        AttrKind::DateTime => Value::String("YYYY-MM-DDThh:mm:ssZ".to_owned()),
        AttrKind::Enum => Value::String(a.values.first().cloned().unwrap_or_default()),
        AttrKind::Object => Value::Object(Map::new()),
        AttrKind::Array => Value::Array(Vec::new()),
    }
}

/// The write body (pretty JSON) of `resource_type` for `method` (`POST`; `PATCH` or `PUT` add
/// `"id": "{id}"`): the writable attributes, required ones first, and the writable to-one
/// relationships (to-many ones as an empty list). An error for a type the catalogue does not
/// know, a read-only type, or a method that sends no body.
pub fn body_skeleton(
    catalogue: &Catalogue,
    resource_type: &str,
    method: &str,
) -> Result<String, EngineError> {
    let method = method.trim().to_ascii_uppercase();
    let update = match method.as_str() {
        "POST" => false,
        "PATCH" | "PUT" => true,
        other => {
            return Err(EngineError::InvalidInput(format!(
                "A {} request sends no body: choose POST to create, or PATCH to change a record.",
                if other.is_empty() { "(no method)" } else { other }
            )))
        }
    };
    let Some(r) = catalogue.resource(resource_type.trim()) else {
        return Err(EngineError::InvalidInput(format!(
            "\"{}\" is not a resource type the app knows. Known types: {}.",
            resource_type.chars().take(60).collect::<String>(),
            catalogue.type_names().join(", ")
        )));
    };
    if r.read_only {
        return Err(EngineError::InvalidInput(format!(
            "The API only reads {}: there is no body to write.",
            r.type_name
        )));
    }
    let mut writable: Vec<&Attribute> = r.attributes.iter().filter(|a| !a.read_only).collect();
    writable.sort_by_key(|a| !a.required);
    let attributes: Map<String, Value> =
        writable.into_iter().map(|a| (a.name.clone(), placeholder(a))).collect();
    let relationships: Map<String, Value> = r
        .relationships
        .iter()
        .filter(|rel| !rel.read_only && !rel.to_many)
        .map(|rel| (rel.name.clone(), json!({"data": {"type": rel.type_name, "id": ""}})))
        .collect();
    let mut data = Map::new();
    data.insert("type".to_owned(), Value::String(r.type_name.clone()));
    if update {
        data.insert("id".to_owned(), Value::String("{id}".to_owned()));
    }
    data.insert("attributes".to_owned(), Value::Object(attributes));
    if !relationships.is_empty() {
        data.insert("relationships".to_owned(), Value::Object(relationships));
    }
    let doc = json!({ "data": Value::Object(data) });
    serde_json::to_string_pretty(&doc)
        .map_err(|e| EngineError::Local(format!("The body could not be written: {e}")))
}

#[cfg(test)]
mod tests {
    use super::super::builtin;
    use super::*;

    #[test]
    fn a_project_body_has_its_attributes_and_client() {
        let text = body_skeleton(builtin(), "projects", "POST").unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["data"]["type"], "projects");
        assert!(doc["data"].get("id").is_none());
        let attrs = doc["data"]["attributes"].as_object().unwrap();
        assert_eq!(attrs.keys().next().map(String::as_str), Some("project-name"), "required first");
        assert_eq!(attrs["project-name"], "");
        assert_eq!(attrs["active"], true);
        assert_eq!(attrs["msa-date"], "YYYY-MM-DD");
        assert!(attrs.get("created-at").is_none() && attrs.get("status").is_none(), "read only");
        assert_eq!(doc["data"]["relationships"]["client"]["data"]["type"], "clients");
        assert!(doc["data"]["relationships"].get("project-services").is_none());
        assert!(text.contains("\n  \"data\": {"), "pretty: {text}");
    }

    #[test]
    fn updates_carry_the_id_and_bad_asks_say_why() {
        let doc: Value =
            serde_json::from_str(&body_skeleton(builtin(), "vendors", "patch").unwrap()).unwrap();
        assert_eq!(doc["data"]["id"], "{id}");
        assert!(doc["data"].get("relationships").is_none());
        let e = body_skeleton(builtin(), "widgets", "POST").unwrap_err().to_string();
        assert!(e.contains("widgets") && e.contains("projects"), "{e}");
        let e = body_skeleton(builtin(), "projects", "GET").unwrap_err().to_string();
        assert!(e.contains("GET request sends no body"), "{e}");
        assert!(body_skeleton(builtin(), "accounts", "POST").is_err());
    }
}
