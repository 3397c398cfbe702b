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
    pub client: Option<String>,
    pub include_client: bool,
    /// Attribute and whether descending.
    pub sort: Vec<(String, bool)>,
}

/// Reads `include` alone (also valid on single-record reads).
pub(crate) fn parse_include(kind: Kind, query: &[(String, String)]) -> Result<bool, ApiError> {
    let mut include_client = false;
    for (_, value) in query.iter().filter(|(k, _)| k == "include") {
        for rel in value.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            if kind == Kind::Projects && rel == "client" {
                include_client = true;
            } else {
                return Err(ApiError::bad_request(
                    "Invalid field",
                    format!("{rel} is not a valid includable relationship of {}", kind.type_name()),
                    "112",
                ));
            }
        }
    }
    Ok(include_client)
}

/// Reads filters, include and sort of a list request.
pub(crate) fn parse(kind: Kind, query: &[(String, String)]) -> Result<ListQuery, ApiError> {
    let mut out = ListQuery { include_client: parse_include(kind, query)?, ..ListQuery::default() };
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
                "client" if kind == Kind::Projects => out.client = Some(value.trim().to_owned()),
                other => {
                    return Err(ApiError::bad_request(
                        "Filter not allowed",
                        format!("{other} is not allowed."),
                        "102",
                    ))
                }
            }
        } else if key == "sort" {
            for field in value.split(',').map(str::trim).filter(|f| !f.is_empty()) {
                let (name, desc) = match field.strip_prefix('-') {
                    Some(name) => (name, true),
                    None => (field, false),
                };
                if name != "id" && !kind.sortable().contains(&name) {
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
        let client_ok = self
            .client
            .as_ref()
            .is_none_or(|c| record.client_id.map(|id| id.to_string()).as_ref() == Some(c));
        active_ok && name_ok && client_ok
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
