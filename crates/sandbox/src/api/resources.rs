//! `/{account-slug}/v1/{type}[/{id}]` for every resource type of [`crate::kinds`]: list, read,
//! create, update and delete (read-only types answer 405 to writes).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::auth::{check_content_type, guard};
use super::errors::{document, ApiError};
use super::{pagination, query, render, write};
use crate::clock::{iso8601, now_unix};
use crate::demo::ACCOUNT_SLUG;
use crate::records::{AttrType, Kind, Record, Records};
use crate::state::AppState;

type ApiResult = Result<Response, ApiError>;

/// 404 unless `slug` is the caller's account (the only one the sandbox has).
pub(crate) fn check_slug(slug: &str) -> Result<(), ApiError> {
    if slug == ACCOUNT_SLUG {
        Ok(())
    } else {
        Err(ApiError::record_not_found(slug))
    }
}

/// Query pairs in order.
pub(crate) fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

/// The kind of a collection path, or the JSON:API "route not found".
pub(crate) fn route(segment: &str, method: &Method, uri: &Uri) -> Result<Kind, ApiError> {
    Kind::of(segment).ok_or_else(|| ApiError::route_not_found(method, uri.path()))
}

/// The numeric id of the record `id` names, or the JSON:API 404 for it.
pub(crate) fn record_id(records: &Records, kind: Kind, id: &str) -> Result<u64, ApiError> {
    records.find(kind, id).map(|r| r.id).ok_or_else(|| ApiError::record_not_found(id))
}

/// The kind of a path a write goes to: 405 for a type the API only reads.
fn writable_route(segment: &str, method: &Method, uri: &Uri) -> Result<Kind, ApiError> {
    let kind = route(segment, method, uri)?;
    if kind.spec().read_only {
        return Err(ApiError::method_not_allowed(method, uri.path()));
    }
    Ok(kind)
}

/// `GET /{slug}/v1/{type}`.
pub(crate) async fn list(
    State(state): State<AppState>,
    Path((slug, segment)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let kind = route(&segment, &method, &uri)?;
    guard(&state, &headers)?;
    check_slug(&slug)?;
    let pairs = query_pairs(raw.as_deref());
    let page = pagination::parse(&pairs)?;
    let options = query::parse(kind, &pairs)?;
    let store = state.store();
    let mut matching: Vec<Record> =
        store.records.of(kind).iter().filter(|r| options.keeps(kind, r)).cloned().collect();
    options.sort(&mut matching);
    let on_page: Vec<&Record> = pagination::slice(&matching, page).iter().collect();
    let base = &state.base_url;
    let data: Vec<Value> =
        on_page.iter().map(|r| render::resource(base, kind, r, &store.records)).collect();
    let mut body = json!({
        "data": data,
        "meta": pagination::meta(matching.len(), page),
        "links": pagination::links(&render::collection_url(base, kind), &pairs, page, matching.len()),
    });
    if !options.includes.is_empty() {
        body["included"] =
            Value::Array(render::included(base, kind, &on_page, &options.includes, &store.records));
    }
    Ok(document(StatusCode::OK, &body))
}

/// `GET /{slug}/v1/{type}/{id}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    Path((slug, segment, id)): Path<(String, String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let kind = route(&segment, &method, &uri)?;
    guard(&state, &headers)?;
    check_slug(&slug)?;
    let includes = query::parse_include(kind, &query_pairs(raw.as_deref()))?;
    let store = state.store();
    let record = store.records.find(kind, &id).ok_or_else(|| ApiError::record_not_found(&id))?;
    let mut body = json!({"data": render::resource(&state.base_url, kind, record, &store.records)});
    if !includes.is_empty() {
        body["included"] = Value::Array(render::included(
            &state.base_url,
            kind,
            &[record],
            &includes,
            &store.records,
        ));
    }
    Ok(document(StatusCode::OK, &body))
}

/// `POST /{slug}/v1/{type}`.
pub(crate) async fn create(
    State(state): State<AppState>,
    Path((slug, segment)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let kind = writable_route(&segment, &method, &uri)?;
    let caller = guard(&state, &headers)?;
    check_content_type(&headers)?;
    check_slug(&slug)?;
    let mut store = state.store();
    let draft = write::parse(kind, &body, &store.records, None)?;
    caller.may_write()?;
    if !draft.problems.is_empty() {
        return Err(ApiError::unprocessable(draft.problems));
    }
    let id = store.records.next_id(kind);
    let now = iso8601(now_unix());
    let mut attributes = Map::new();
    for (name, ty) in kind.writable() {
        let empty = match (ty, *name) {
            (AttrType::RequiredText, _) => Value::String(String::new()),
            (AttrType::Boolean, "active") => Value::Bool(true),
            (AttrType::Boolean, _) => Value::Bool(false),
            _ => Value::Null,
        };
        attributes.insert((*name).to_owned(), empty);
    }
    for (name, value) in kind.spec().defaults {
        attributes.insert((*name).to_owned(), Value::String((*value).to_owned()));
    }
    attributes.extend(draft.attributes);
    attributes.insert("created-at".to_owned(), Value::String(now.clone()));
    attributes.insert("updated-at".to_owned(), Value::String(now));
    let record = Record { id, attributes, rels: draft.rels };
    store.records.of_mut(kind).push(record.clone());
    tracing::debug!(kind = kind.type_name(), id, "created a record");
    let body = json!({"data": render::resource(&state.base_url, kind, &record, &store.records)});
    let mut response = document(StatusCode::CREATED, &body);
    if let Ok(location) = HeaderValue::from_str(&render::record_url(&state.base_url, kind, id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// `PATCH /{slug}/v1/{type}/{id}`.
pub(crate) async fn update(
    State(state): State<AppState>,
    Path((slug, segment, id)): Path<(String, String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let kind = writable_route(&segment, &method, &uri)?;
    let caller = guard(&state, &headers)?;
    check_content_type(&headers)?;
    check_slug(&slug)?;
    let mut store = state.store();
    let record_id = record_id(&store.records, kind, &id)?;
    let draft = write::parse(kind, &body, &store.records, Some(record_id))?;
    caller.may_write()?;
    if !draft.problems.is_empty() {
        return Err(ApiError::unprocessable(draft.problems));
    }
    let Some(record) = store.records.of_mut(kind).iter_mut().find(|r| r.id == record_id) else {
        return Err(ApiError::record_not_found(&id));
    };
    record.attributes.extend(draft.attributes);
    record.attributes.insert("updated-at".to_owned(), Value::String(iso8601(now_unix())));
    for (name, id) in draft.rels {
        record.set_rel(name, id);
    }
    let record = record.clone();
    tracing::debug!(kind = kind.type_name(), id = record_id, "updated a record");
    let body = json!({"data": render::resource(&state.base_url, kind, &record, &store.records)});
    Ok(document(StatusCode::OK, &body))
}

/// `DELETE /{slug}/v1/{type}/{id}`: 204 and no body, as JSON:API servers answer. Records that
/// pointed at the deleted one keep their (now dangling) link, as a real account's would until
/// someone edits them.
pub(crate) async fn remove(
    State(state): State<AppState>,
    Path((slug, segment, id)): Path<(String, String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult {
    let kind = writable_route(&segment, &method, &uri)?;
    let caller = guard(&state, &headers)?;
    check_slug(&slug)?;
    let mut store = state.store();
    let record_id = record_id(&store.records, kind, &id)?;
    caller.may_write()?;
    store.records.of_mut(kind).retain(|r| r.id != record_id);
    tracing::debug!(kind = kind.type_name(), id = record_id, "deleted a record");
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Fallback for paths no route serves.
pub(crate) async fn route_not_found(method: Method, uri: Uri) -> Response {
    ApiError::route_not_found(&method, uri.path()).into_response()
}

/// Fallback for known paths with an unsupported method.
pub(crate) async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    ApiError::method_not_allowed(&method, uri.path()).into_response()
}
