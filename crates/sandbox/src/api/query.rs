//! List options of the resource endpoints: `filter[...]`, `include` and `sort`.

use std::cmp::Ordering;

use serde_json::Value;

use super::errors::ApiError;
use crate::records::{Kind, Record};

/// Parsed list options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ListQuery {
    pub active: Option<bool>,
    pub name: Option<String>,
    /// Relationship name and the id it must point to.
    pub related: Vec<(&'static str, String)>,
    /// Attribute name and the value it must have.
    pub exact: Vec<(&'static str, String)>,
    /// Date-time attribute and the time it must be after (`filter[updated-at.after]`).
    pub after: Vec<(String, String)>,
    /// The relationships whose records go into `included[]`.
    pub includes: Vec<&'static str>,
    /// Attribute and whether descending.
    pub sort: Vec<(String, bool)>,
}

/// Reads `include` alone (also valid on single-record reads).
pub(crate) fn parse_include(
    kind: Kind,
    query: &[(String, String)],
) -> Result<Vec<&'static str>, ApiError> {
    let mut out = Vec::new();
    for (_, value) in query.iter().filter(|(k, _)| k == "include") {
        for rel in value.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            let known = kind.rel(rel).map(|r| r.name).or_else(|| kind.has_many(rel).map(|h| h.0));
            match known {
                Some(name) if !out.contains(&name) => out.push(name),
                Some(_) => {}
                None => {
                    return Err(ApiError::bad_request(
                        "Invalid field",
                        format!(
                            "{rel} is not a valid includable relationship of {}",
                            kind.type_name()
                        ),
                        "112",
                    ))
                }
            }
        }
    }
    Ok(out)
}

/// Reads filters, include and sort of a list request.
pub(crate) fn parse(kind: Kind, query: &[(String, String)]) -> Result<ListQuery, ApiError> {
    let mut out = ListQuery { includes: parse_include(kind, query)?, ..ListQuery::default() };
    for (key, value) in query {
        if let Some(filter) = key.strip_prefix("filter[").and_then(|k| k.strip_suffix(']')) {
            match filter {
                "active" => {
                    out.active = Some(match value.trim().to_ascii_lowercase().as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(ApiError::bad_request(
                                "Invalid filter value",
                                format!("{value} is not a valid value for active."),
                                "103",
                            ))
                        }
                    })
                }
                "name" => out.name = Some(value.to_lowercase()),
                "created-at.after" | "updated-at.after" => out
                    .after
                    .push((filter.trim_end_matches(".after").to_owned(), value.trim().to_owned())),
                other => {
                    if let Some(rel) = kind.rel(other) {
                        out.related.push((rel.name, value.trim().to_owned()));
                    } else if let Some(attr) = kind.spec().filters.iter().find(|f| **f == other) {
                        match attr.strip_suffix(".after") {
                            Some(field) => {
                                out.after.push((field.to_owned(), value.trim().to_owned()))
                            }
                            None => out.exact.push((attr, value.trim().to_owned())),
                        }
                    } else {
                        return Err(ApiError::bad_request(
                            "Filter not allowed",
                            format!("{other} is not allowed."),
                            "102",
                        ));
                    }
                }
            }
        } else if key == "sort" {
            for field in value.split(',').map(str::trim).filter(|f| !f.is_empty()) {
                let (name, desc) = match field.strip_prefix('-') {
                    Some(name) => (name, true),
                    None => (field, false),
                };
                if !kind.can_sort(name) {
                    return Err(ApiError::bad_request(
                        "Invalid sort criteria",
                        format!("{name} is not a valid sort criteria for {}", kind.type_name()),
                        "114",
                    ));
                }
                out.sort.push((name.to_owned(), desc));
            }
        }
    }
    Ok(out)
}

/// An attribute's value as a filter compares it.
fn as_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

impl ListQuery {
    /// Whether `record` passes the filters.
    pub fn keeps(&self, kind: Kind, record: &Record) -> bool {
        let active_ok = self.active.is_none_or(|a| record.active() == a);
        let name_ok = self.name.as_ref().is_none_or(|needle| {
            record
                .attributes
                .get(kind.name_attr())
                .and_then(Value::as_str)
                .is_some_and(|n| n.to_lowercase().contains(needle.as_str()))
        });
        let related_ok = self
            .related
            .iter()
            .all(|(rel, id)| record.rel(rel).map(|r| r.to_string()).as_ref() == Some(id));
        let exact_ok = self.exact.iter().all(|(attr, want)| {
            as_text(record.attributes.get(*attr)).is_some_and(|v| v.eq_ignore_ascii_case(want))
        });
        // ISO 8601 times in UTC compare as text; a date alone is its day's first moment.
        let after_ok = self.after.iter().all(|(attr, when)| {
            record.attributes.get(attr).and_then(Value::as_str).is_some_and(|v| v > when.as_str())
        });
        active_ok && name_ok && related_ok && exact_ok && after_ok
    }

    /// Orders records by the `sort` fields (by id when none).
    pub fn sort(&self, records: &mut [Record]) {
        records.sort_by(|a, b| {
            for (field, desc) in &self.sort {
                let ord = if field == "id" {
                    a.id.cmp(&b.id)
                } else {
                    compare(a.attributes.get(field), b.attributes.get(field))
                };
                let ord = if *desc { ord.reverse() } else { ord };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            a.id.cmp(&b.id)
        });
    }
}

/// Orders attribute values: missing and null first, then booleans, numbers, strings.
fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    fn rank(v: Option<&Value>) -> u8 {
        match v {
            None | Some(Value::Null) => 0,
            Some(Value::Bool(_)) => 1,
            Some(Value::Number(_)) => 2,
            Some(Value::String(_)) => 3,
            Some(_) => 4,
        }
    }
    match (a, b) {
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x.to_lowercase().cmp(&y.to_lowercase()),
        _ => rank(a).cmp(&rank(b)),
    }
}
