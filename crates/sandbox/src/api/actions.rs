//! The action endpoints on one record: `GET projects/{id}/merge-data`,
//! `PUT surveys/{id}/calculate` and `…/apply`, `PUT project-services/{id}/synchronize-standard`.
//! Unknown actions are "route not found"; a known action with another method is 405.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use serde_json::{json, Value};

use super::auth::{check_content_type, guard};
use super::errors::{document, ApiError, Problem};
use super::render;
use super::resources::{check_slug, record_id, route};
use crate::clock::{iso8601, now_unix};
use crate::records::{Kind, Record, Records};
use crate::state::AppState;

/// Handles `{method} /{slug}/v1/{type}/{id}/{action}`.
pub(crate) async fn action(
    State(state): State<AppState>,
    Path((slug, segment, id, name)): Path<(String, String, String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<axum::response::Response, ApiError> {
    let kind = route(&segment, &method, &uri)?;
    let Some(spec) = (kind.spec().actions)().into_iter().find(|a| a.name == name) else {
        return Err(ApiError::route_not_found(&method, uri.path()));
    };
    if spec.method != method {
        return Err(ApiError::method_not_allowed(&method, uri.path()));
    }
    let caller = guard(&state, &headers)?;
    if !body.is_empty() {
        check_content_type(&headers)?;
    }
    check_slug(&slug)?;
    let mut store = state.store();
    let record_id = record_id(&store.records, kind, &id)?;
    if method != Method::GET {
        caller.may_write()?;
    }
    let base = state.base_url.clone();
    let records = &mut store.records;
    let answer = match (kind.type_name(), spec.name) {
        ("projects", "merge-data") => merge_data(&base, record_id, records),
        ("surveys", "calculate") => {
            calculate(records, record_id);
            one(&base, kind, record_id, records)
        }
        ("surveys", "apply") => {
            apply(records, record_id)?;
            one(&base, kind, record_id, records)
        }
        ("project-services", "synchronize-standard") => {
            synchronize(records, record_id)?;
            one(&base, kind, record_id, records)
        }
        _ => return Err(ApiError::route_not_found(&method, uri.path())),
    };
    tracing::debug!(kind = kind.type_name(), id = record_id, action = spec.name, "ran an action");
    Ok(document(StatusCode::OK, &answer))
}

/// `{"data": …}` of one record.
fn one(base: &str, kind: Kind, id: u64, records: &Records) -> Value {
    match records.by_id(kind, id) {
        Some(r) => json!({"data": render::resource(base, kind, r, records)}),
        None => json!({"data": null}),
    }
}

fn kind(name: &str) -> Kind {
    Kind::of(name).unwrap_or(Kind::PROJECTS)
}

fn text(r: &Record, attr: &str) -> Value {
    r.attributes.get(attr).cloned().unwrap_or(Value::Null)
}

/// The records of `type_name` whose `rel` points at `id`.
fn children<'a>(records: &'a Records, type_name: &str, rel: &str, id: u64) -> Vec<&'a Record> {
    records.of(kind(type_name)).iter().filter(|r| r.rel(rel) == Some(id)).collect()
}

/// Everything a document template can use of one project.
fn merge_data(base: &str, id: u64, records: &Records) -> Value {
    let Some(project) = records.by_id(Kind::PROJECTS, id) else { return json!({"data": null}) };
    let client = project.client_id().and_then(|c| records.by_id(Kind::CLIENTS, c));
    let services: Vec<Value> = children(records, "project-services", "project", id)
        .into_iter()
        .map(|s| {
            let tasks: Vec<Value> =
                children(records, "project-subservices", "project-service", s.id)
                    .into_iter()
                    .map(|t| json!({"name": text(t, "name"), "quantity": text(t, "quantity")}))
                    .collect();
            json!({"name": text(s, "name"), "quantity": text(s, "quantity"), "subservices": tasks})
        })
        .collect();
    let contacts: Vec<Value> = children(records, "project-contacts", "project", id)
        .into_iter()
        .map(|c| json!({"name": text(c, "name"), "email": text(c, "email"), "title": text(c, "title")}))
        .collect();
    let locations: Vec<Value> = children(records, "project-locations", "project", id)
        .into_iter()
        .map(|l| json!({"name": text(l, "name"), "city": text(l, "city"), "state": text(l, "state")}))
        .collect();
    let variables: serde_json::Map<String, Value> =
        children(records, "project-variables", "project", id)
            .into_iter()
            .filter_map(|v| {
                Some((v.attributes.get("name")?.as_str()?.to_owned(), text(v, "value")))
            })
            .collect();
    json!({
        "data": {
            "id": id.to_string(),
            "type": "merge-data",
            "attributes": {
                "project-name": text(project, "project-name"),
                "status": text(project, "status"),
                "executive-summary": text(project, "executive-summary"),
                "client-name": client.map(|c| text(c, "name")).unwrap_or(Value::Null),
                "client-domain": client.map(|c| text(c, "domain")).unwrap_or(Value::Null),
                "project-services": services,
                "project-contacts": contacts,
                "project-locations": locations,
                "project-variables": variables,
            },
            "links": {"self": format!("{}/merge-data", render::record_url(base, Kind::PROJECTS, id))},
        }
    })
}

/// Works out two recommended services from the survey's questionnaire.
fn calculate(records: &mut Records, id: u64) {
    let services: Vec<(u64, Value)> = records
        .of(kind("services"))
        .iter()
        .filter(|s| s.active())
        .map(|s| (s.id, text(s, "name")))
        .collect();
    let Some(survey) = records.of_mut(kind("surveys")).iter_mut().find(|s| s.id == id) else {
        return;
    };
    let start = survey.rel("questionnaire").unwrap_or(0) as usize;
    let picks: Vec<Value> = (0..2)
        .filter_map(|k| services.get((start + k * 3) % services.len().max(1)))
        .map(|(sid, name)| json!({"service-id": sid.to_string(), "name": name, "quantity": 1}))
        .collect();
    survey.attributes.insert("recommendations".to_owned(), Value::Array(picks));
    survey.attributes.insert("status".to_owned(), json!("calculated"));
    survey.attributes.insert("updated-at".to_owned(), Value::String(iso8601(now_unix())));
}

/// Adds the calculated recommendations to the survey's project: 422 before `calculate`.
fn apply(records: &mut Records, id: u64) -> Result<(), ApiError> {
    let (project, picks) = {
        let Some(survey) = records.by_id(kind("surveys"), id) else { return Ok(()) };
        if survey.attributes.get("status") != Some(&json!("calculated")) {
            return Err(ApiError::unprocessable(vec![Problem {
                field: "status".to_owned(),
                message: "must be calculated before it is applied (PUT …/calculate first)"
                    .to_owned(),
                pointer: "/data/attributes/status".to_owned(),
            }]));
        }
        let picks = survey.attributes.get("recommendations").and_then(Value::as_array).cloned();
        (survey.rel("project"), picks.unwrap_or_default())
    };
    let now = iso8601(now_unix());
    if let Some(project) = project {
        for pick in picks {
            let service = pick["service-id"].as_str().and_then(|s| s.parse::<u64>().ok());
            let ps_kind = kind("project-services");
            let new_id = records.next_id(ps_kind);
            let mut rels = vec![("project", project)];
            if let Some(service) = service {
                rels.push(("service", service));
            }
            let attributes = json!({
                "name": pick["name"], "quantity": pick["quantity"], "service-description": null,
                "created-at": now, "updated-at": now,
            });
            records.of_mut(ps_kind).push(Record {
                id: new_id,
                attributes: crate::records::into_map(attributes),
                rels,
            });
        }
    }
    if let Some(survey) = records.of_mut(kind("surveys")).iter_mut().find(|s| s.id == id) {
        survey.attributes.insert("status".to_owned(), json!("applied"));
        survey.attributes.insert("updated-at".to_owned(), Value::String(now));
    }
    Ok(())
}

/// Copies the standard service's name and description onto the project service: 422 when it
/// came from no standard service.
fn synchronize(records: &mut Records, id: u64) -> Result<(), ApiError> {
    let ps_kind = kind("project-services");
    let service = records.by_id(ps_kind, id).and_then(|ps| ps.rel("service"));
    let Some(standard) = service.and_then(|s| records.by_id(kind("services"), s)).cloned() else {
        return Err(ApiError::unprocessable(vec![Problem {
            field: "service".to_owned(),
            message: "must exist: this project service did not come from a standard service"
                .to_owned(),
            pointer: "/data/relationships/service".to_owned(),
        }]));
    };
    if let Some(ps) = records.of_mut(ps_kind).iter_mut().find(|r| r.id == id) {
        for attr in ["name", "service-description"] {
            ps.attributes.insert(attr.to_owned(), text(&standard, attr));
        }
        ps.attributes.insert("updated-at".to_owned(), Value::String(iso8601(now_unix())));
    }
    Ok(())
}
