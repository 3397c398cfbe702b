//! `GET /` with `Accept: application/json`: an OpenAPI 3 description of the sandbox's API,
//! generated from the resource table ([`crate::kinds`]) so it always matches what is served.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::errors::ApiError;
use crate::kinds::{AttrType, Kind};
use crate::state::AppState;

/// Handles `GET /`: the description, unless `Accept` rules out JSON (then 406).
pub(crate) async fn description(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("*/*");
    if !(accept.contains("json") || accept.contains("*/*")) {
        return ApiError::not_acceptable(accept).into_response();
    }
    let body = serde_json::to_vec_pretty(&document(&state.base_url)).unwrap_or_default();
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn schema_of(ty: AttrType) -> Value {
    match ty {
        AttrType::RequiredText | AttrType::OptionalText => json!({"type": "string"}),
        AttrType::OptionalDate => json!({"type": "string", "format": "date"}),
        AttrType::Boolean => json!({"type": "boolean"}),
        AttrType::OptionalNumber => json!({"type": "number"}),
    }
}

fn query(name: &str, schema: Value, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema, "description": description})
}

/// The schema of a write body of `kind`.
fn write_schema(kind: Kind) -> Value {
    let mut attrs = Map::new();
    let mut required = Vec::new();
    for (name, ty) in kind.writable() {
        attrs.insert((*name).to_owned(), schema_of(*ty));
        if *ty == AttrType::RequiredText {
            required.push(*name);
        }
    }
    let mut rels = Map::new();
    for rel in kind.rels() {
        rels.insert(
            rel.name.to_owned(),
            json!({"type": "object", "properties": {"data": {"type": "object", "properties": {
                "type": {"type": "string", "enum": [rel.target]}, "id": {"type": "string"}}}}}),
        );
    }
    json!({"type": "object", "required": ["data"], "properties": {"data": {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {"type": "string", "enum": [kind.type_name()]},
            "id": {"type": "string"},
            "attributes": {"type": "object", "required": required, "properties": attrs},
            "relationships": {"type": "object", "properties": rels},
        }
    }}})
}

fn body_ref(kind: Kind) -> Value {
    json!({"required": true, "content": {"application/vnd.api+json": {"schema": {"$ref": format!("#/components/schemas/{}-write", kind.type_name())}}}})
}

fn ok(description: &str) -> Value {
    json!({"200": {"description": description, "content": {"application/vnd.api+json": {}}}})
}

/// The whole description.
pub(crate) fn document(base_url: &str) -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    paths.insert(
        "/v1/me".to_owned(),
        json!({"get": {"summary": "The signed-in user, their account and privileges", "responses": ok("The user")}}),
    );
    for kind in Kind::all() {
        let spec = kind.spec();
        let t = spec.type_name;
        let includes: Vec<&str> =
            kind.rels().iter().map(|r| r.name).chain(spec.has_many.iter().map(|h| h.0)).collect();
        let mut params = vec![
            query(
                "filter[active]",
                json!({"type": "boolean"}),
                "Only active (true) or inactive (false) records",
            ),
            query(
                "filter[name]",
                json!({"type": "string"}),
                "Only records whose name contains this text",
            ),
        ];
        for rel in kind.rels() {
            params.push(query(
                &format!("filter[{}]", rel.name),
                json!({"type": "string"}),
                &format!("Only records of this {} (its id)", rel.name),
            ));
        }
        for f in spec.filters {
            params.push(query(
                &format!("filter[{f}]"),
                json!({"type": "string"}),
                &format!("Only records whose {f} is this value"),
            ));
        }
        let include_param = query(
            "include",
            json!({"type": "string", "enum": includes}),
            "Related records to add to included[] (comma-separated)",
        );
        if !includes.is_empty() {
            params.push(include_param.clone());
        }
        let mut sorts: Vec<String> = vec!["id".to_owned()];
        sorts.extend(spec.sortable.iter().map(|s| (*s).to_owned()));
        sorts.extend(spec.sortable.iter().map(|s| format!("-{s}")));
        params.push(query(
            "sort",
            json!({"type": "string", "enum": sorts}),
            "Order of the list (a leading - sorts descending)",
        ));
        params.push(query(
            "page[number]",
            json!({"type": "integer", "minimum": 1}),
            "Which page (from 1)",
        ));
        params.push(query(
            "page[size]",
            json!({"type": "integer", "minimum": 1, "maximum": 250}),
            "Records per page (at most 250)",
        ));
        let slug = json!({"name": "account-slug", "in": "path", "required": true, "schema": {"type": "string"}});
        let mut collection = json!({
            "parameters": [slug],
            "get": {"summary": spec.summary, "parameters": params, "responses": ok("A page of the list")},
        });
        let id =
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}});
        let mut record = json!({
            "parameters": [slug, id],
            "get": {"summary": format!("One of {t}"), "parameters": if includes.is_empty() { json!([]) } else { json!([include_param]) }, "responses": ok("The record")},
        });
        if !spec.read_only {
            collection["post"] = json!({"summary": format!("Creates one of {t}"), "requestBody": body_ref(kind), "responses": {"201": {"description": "Created"}}});
            record["patch"] = json!({"summary": format!("Changes one of {t}"), "requestBody": body_ref(kind), "responses": ok("The changed record")});
            record["delete"] = json!({"summary": format!("Deletes one of {t}"), "responses": {"204": {"description": "Deleted"}}});
            schemas.insert(format!("{t}-write"), write_schema(kind));
        }
        paths.insert(format!("/{{account-slug}}/v1/{t}"), collection);
        paths.insert(format!("/{{account-slug}}/v1/{t}/{{id}}"), record);
        for action in (spec.actions)() {
            let method = action.method.as_str().to_ascii_lowercase();
            let mut item = json!({"parameters": [slug, id]});
            item[method] = json!({"summary": action.summary, "responses": ok(action.summary)});
            paths.insert(format!("/{{account-slug}}/v1/{t}/{{id}}/{}", action.name), item);
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "ScopeStack sandbox API",
            "version": "1",
            "description": "The built-in sandbox's JSON:API: every account-scoped resource type it serves, with its filters, includes, sort fields, write bodies and actions.",
        },
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_its_paths() {
        let doc = document("http://127.0.0.1:1");
        for kind in Kind::all() {
            let t = kind.type_name();
            assert!(doc["paths"].get(format!("/{{account-slug}}/v1/{t}")).is_some(), "{t}");
            assert!(doc["paths"].get(format!("/{{account-slug}}/v1/{t}/{{id}}")).is_some(), "{t}");
        }
        assert!(doc["paths"]["/{account-slug}/v1/surveys/{id}/calculate"]["put"].is_object());
        let projects = &doc["components"]["schemas"]["projects-write"]["properties"]["data"];
        assert_eq!(projects["properties"]["attributes"]["required"], json!(["project-name"]));
    }
}
