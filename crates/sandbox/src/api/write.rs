//! Reading a create or update document: structural faults are 400s, field problems are
//! collected for a 422 with `source.pointer`.

use serde_json::{Map, Value};

use super::errors::{ApiError, Problem};
use crate::records::{AttrType, Kind, Records};

/// What a valid document asks to set.
#[derive(Debug, Clone, Default)]
pub(crate) struct Draft {
    pub attributes: Map<String, Value>,
    /// The relationships the document sets (name and id).
    pub rels: Vec<(&'static str, u64)>,
    /// Field problems (answered with 422 once the caller may write).
    pub problems: Vec<Problem>,
}

fn problem(field: &str, message: &str, pointer: &str) -> Problem {
    Problem { field: field.to_owned(), message: message.to_owned(), pointer: pointer.to_owned() }
}

fn not_allowed(key: &str) -> ApiError {
    ApiError::bad_request("Param not allowed", format!("{key} is not allowed."), "105")
}

/// Parses the body of a create (`update_id` = None) or update of `kind`.
pub(crate) fn parse(
    kind: Kind,
    body: &[u8],
    records: &Records,
    update_id: Option<u64>,
) -> Result<Draft, ApiError> {
    let doc: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(
            "Bad Request",
            format!("The request body is not valid JSON: {e}."),
            "400",
        )
    })?;
    let Some(data) = doc.get("data").and_then(Value::as_object) else {
        return Err(ApiError::bad_request(
            "Missing Parameter",
            "The required parameter, data, is missing.".to_owned(),
            "106",
        ));
    };
    check_id(data.get("id"), update_id)?;
    let mut draft = Draft::default();
    match data.get("type").and_then(Value::as_str) {
        Some(t) if t == kind.type_name() => {}
        Some(_) | None => draft.problems.push(problem(
            "type",
            &format!("must be {}", kind.type_name()),
            "/data/type",
        )),
    }
    read_attributes(kind, data.get("attributes"), update_id.is_none(), &mut draft)?;
    read_relationships(kind, data.get("relationships"), records, update_id.is_none(), &mut draft)?;
    Ok(draft)
}

/// Creates take no id; updates need the id of the URL.
fn check_id(id: Option<&Value>, update_id: Option<u64>) -> Result<(), ApiError> {
    let given = id.map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    match (update_id, given) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(not_allowed("id")),
        (Some(_), None) => Err(ApiError::bad_request(
            "Missing key",
            "The resource object does not contain a key.".to_owned(),
            "113",
        )),
        (Some(expected), Some(given)) if given == expected.to_string() => Ok(()),
        (Some(_), Some(given)) => Err(ApiError::bad_request(
            "Key is not included in URL",
            format!("The URL does not support the key {given}"),
            "114",
        )),
    }
}

fn read_attributes(
    kind: Kind,
    attrs: Option<&Value>,
    creating: bool,
    draft: &mut Draft,
) -> Result<(), ApiError> {
    let empty = Map::new();
    let attrs = match attrs {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(map)) => map,
        Some(_) => {
            return Err(ApiError::bad_request(
                "Bad Request",
                "attributes must be an object.".to_owned(),
                "400",
            ))
        }
    };
    if let Some(key) = attrs.keys().find(|k| !kind.writable().iter().any(|(name, _)| name == k)) {
        return Err(not_allowed(key));
    }
    for (name, ty) in kind.writable() {
        let pointer = format!("/data/attributes/{name}");
        let value = attrs.get(*name);
        let message = match (ty, value) {
            (AttrType::RequiredText, None) if creating => Some("can't be blank"),
            (AttrType::RequiredText, Some(Value::String(s))) if s.trim().is_empty() => {
                Some("can't be blank")
            }
            (AttrType::RequiredText, Some(Value::Null)) => Some("can't be blank"),
            (AttrType::RequiredText | AttrType::OptionalText, Some(v))
                if !v.is_string() && !v.is_null() =>
            {
                Some("must be a string")
            }
            (AttrType::OptionalDate, Some(Value::String(s))) if !is_date(s) => {
                Some("is not a valid date")
            }
            (AttrType::OptionalDate, Some(v)) if !v.is_string() && !v.is_null() => {
                Some("is not a valid date")
            }
            (AttrType::Boolean, Some(v)) if !v.is_boolean() => Some("must be true or false"),
            (AttrType::OptionalNumber, Some(v)) if !v.is_number() && !v.is_null() => {
                Some("is not a number")
            }
            _ => None,
        };
        match (message, value) {
            (Some(message), _) => draft.problems.push(problem(name, message, &pointer)),
            (None, Some(v)) => {
                draft.attributes.insert((*name).to_owned(), v.clone());
            }
            (None, None) => {}
        }
    }
    Ok(())
}

fn read_relationships(
    kind: Kind,
    rels: Option<&Value>,
    records: &Records,
    creating: bool,
    draft: &mut Draft,
) -> Result<(), ApiError> {
    let empty = Map::new();
    let rels = match rels {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(map)) => map,
        Some(_) => {
            return Err(ApiError::bad_request(
                "Bad Request",
                "relationships must be an object.".to_owned(),
                "400",
            ))
        }
    };
    if let Some(key) = rels.keys().find(|k| kind.rel(k).is_none()) {
        return Err(not_allowed(key));
    }
    for rel in kind.rels() {
        let pointer = format!("/data/relationships/{}", rel.name);
        let Some(given) = rels.get(rel.name) else {
            if creating && rel.required {
                draft.problems.push(problem(rel.name, "must exist", &pointer));
            }
            continue;
        };
        let target = Kind::of(rel.target);
        let id = given
            .get("data")
            .filter(|d| d.get("type").and_then(Value::as_str) == Some(rel.target))
            .and_then(|d| d.get("id"))
            .and_then(|id| match id {
                Value::String(s) => s.parse::<u64>().ok(),
                Value::Number(n) => n.as_u64(),
                _ => None,
            })
            .filter(|id| target.is_some_and(|t| records.by_id(t, *id).is_some()));
        match id {
            Some(id) => draft.rels.push((rel.name, id)),
            None => draft.problems.push(problem(rel.name, "must exist", &pointer)),
        }
    }
    Ok(())
}

/// `YYYY-MM-DD` with a plausible month and day.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return false;
    }
    let (m, d): (u32, u32) = (m.parse().unwrap_or(0), d.parse().unwrap_or(0));
    (1..=12).contains(&m) && (1..=31).contains(&d)
}
