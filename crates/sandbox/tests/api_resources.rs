//! `/{slug}/v1/projects` and `/{slug}/v1/clients`: lists, paging, filters, include, reads and writes.

use std::collections::HashSet;

use crate::common::*;
use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use sandbox::*;
use serde_json::{json, Value};

const PROJECTS: &str = "/sandbox-demo/v1/projects";
const CLIENTS: &str = "/sandbox-demo/v1/clients";

async fn send(
    sb: &Sandbox,
    method: reqwest::Method,
    path: &str,
    token: &str,
    content_type: Option<&str>,
    body: &str,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut req = http()
        .request(method, format!("{}{path}", sb.base_url()))
        .bearer_auth(token)
        .header(ACCEPT, JSONAPI)
        .body(body.to_owned());
    if let Some(ct) = content_type {
        req = req.header(CONTENT_TYPE, ct);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    (status, headers, resp.json().await.unwrap_or(Value::Null))
}

async fn post(
    sb: &Sandbox,
    path: &str,
    token: &str,
    body: &Value,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    send(sb, reqwest::Method::POST, path, token, Some(JSONAPI), &body.to_string()).await
}

async fn patch(
    sb: &Sandbox,
    path: &str,
    token: &str,
    body: &Value,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    send(sb, reqwest::Method::PATCH, path, token, Some(JSONAPI), &body.to_string()).await
}

fn new_project(name: Value, client_id: &str) -> Value {
    json!({"data": {
        "type": "projects",
        "attributes": {"project-name": name},
        "relationships": {"client": {"data": {"type": "clients", "id": client_id}}},
    }})
}

fn ids(doc: &Value) -> Vec<String> {
    doc["data"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn project_list_first_page_shape() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let resp = api_get(&sb, PROJECTS, &token).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CONTENT_TYPE], JSONAPI);
    let doc: Value = resp.json().await.unwrap();
    assert_eq!(doc["data"].as_array().unwrap().len(), 10);
    assert_eq!(doc["meta"], json!({"record-count": 25, "page-count": 3}));
    let base = format!("{}{PROJECTS}", sb.base_url());
    assert_eq!(doc["links"]["first"], format!("{base}?page%5Bnumber%5D=1&page%5Bsize%5D=10"));
    assert_eq!(doc["links"]["next"], format!("{base}?page%5Bnumber%5D=2&page%5Bsize%5D=10"));
    assert_eq!(doc["links"]["last"], format!("{base}?page%5Bnumber%5D=3&page%5Bsize%5D=10"));
    assert!(doc["links"].get("prev").is_none());
    assert!(doc.get("included").is_none());
    let p = &doc["data"][0];
    assert_eq!(p["type"], "projects");
    assert!(p["id"].is_string());
    assert_eq!(p["links"]["self"], format!("{base}/{}", p["id"].as_str().unwrap()));
    for attr in ["project-name", "active", "created-at", "updated-at", "status", "client-name"] {
        assert!(p["attributes"].get(attr).is_some(), "{attr}");
    }
    assert_eq!(p["relationships"]["client"]["data"]["type"], "clients");
    assert!(p["relationships"]["client"]["data"]["id"].is_string());
}

#[tokio::test]
async fn pages_link_to_each_other_and_cover_every_record_once() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let mut url = format!("{}{PROJECTS}?page[size]=10", sb.base_url());
    let mut seen = HashSet::new();
    let mut pages = 0;
    loop {
        let path = url.strip_prefix(&sb.base_url()).unwrap().to_owned();
        let (status, doc) = api_json(&sb, &path, &token).await;
        assert_eq!(status, StatusCode::OK);
        pages += 1;
        if pages > 1 {
            assert!(doc["links"]["prev"].is_string(), "page {pages} has prev");
        }
        for id in ids(&doc) {
            assert!(seen.insert(id), "no duplicates");
        }
        match doc["links"].get("next") {
            Some(next) => url = next.as_str().unwrap().to_owned(),
            None => {
                assert_eq!(doc["data"].as_array().unwrap().len(), 5, "last page");
                assert_eq!(
                    doc["links"]["prev"],
                    format!("{}{PROJECTS}?page%5Bnumber%5D=2&page%5Bsize%5D=10", sb.base_url())
                );
                break;
            }
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 25);
    let (_, middle) = api_json(&sb, &format!("{PROJECTS}?page[number]=2"), &token).await;
    assert!(middle["links"]["prev"].is_string() && middle["links"]["next"].is_string());
    let (_, beyond) = api_json(&sb, &format!("{PROJECTS}?page[number]=9"), &token).await;
    assert_eq!(beyond["data"], json!([]));
    assert_eq!(beyond["meta"]["record-count"], 25);
}

#[tokio::test]
async fn page_size_limits() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let (status, doc) = api_json(&sb, &format!("{PROJECTS}?page[size]=250"), &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["data"].as_array().unwrap().len(), 25);
    assert_eq!(doc["meta"], json!({"record-count": 25, "page-count": 1}));
    assert!(doc["links"].get("next").is_none() && doc["links"].get("prev").is_none());
    for bad in
        ["page[size]=251", "page[size]=0", "page[number]=0", "page[number]=abc", "page[offset]=3"]
    {
        let (status, doc) = api_json(&sb, &format!("{PROJECTS}?{bad}"), &token).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(doc["errors"][0]["status"], "400");
    }
    let (_, doc) = api_json(&sb, &format!("{PROJECTS}?page[size]=251"), &token).await;
    assert_eq!(doc["errors"][0]["detail"], "size exceeds maximum page size of 250.");
}

#[tokio::test]
async fn filter_active() {
    let sb = start().await;
    let token = readonly_token(&sb).await;
    for (path, value, count) in [
        (PROJECTS, "true", 20),
        (PROJECTS, "false", 5),
        (CLIENTS, "true", 6),
        (CLIENTS, "false", 2),
    ] {
        let (status, doc) =
            api_json(&sb, &format!("{path}?filter[active]={value}&page[size]=100"), &token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(doc["meta"]["record-count"], count, "{path} {value}");
        let want = value == "true";
        assert!(doc["data"].as_array().unwrap().iter().all(|r| r["attributes"]["active"] == want));
        assert!(doc["links"]["first"]
            .as_str()
            .unwrap()
            .contains(&format!("filter%5Bactive%5D={value}")));
    }
    let (status, doc) = api_json(&sb, &format!("{PROJECTS}?filter[active]=true"), &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["meta"]["page-count"], 2);
    assert!(doc["links"]["next"].as_str().unwrap().contains("filter%5Bactive%5D=true"));
    let (status, doc) = api_json(&sb, &format!("{PROJECTS}?filter[active]=maybe"), &token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(doc["errors"][0]["title"], "Invalid filter value");
    let (status, _) = api_json(&sb, &format!("{PROJECTS}?filter[colour]=red"), &token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, doc) = api_json(&sb, &format!("{CLIENTS}?filter[name]=harbor"), &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["meta"]["record-count"], 1);
    assert_eq!(doc["data"][0]["attributes"]["name"], "Harbor Point Bank");
}

#[tokio::test]
async fn include_client_adds_the_related_clients() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let (status, doc) =
        api_json(&sb, &format!("{PROJECTS}?include=client&page[size]=5"), &token).await;
    assert_eq!(status, StatusCode::OK);
    let wanted: HashSet<String> = doc["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["relationships"]["client"]["data"]["id"].as_str().unwrap().to_owned())
        .collect();
    let included = doc["included"].as_array().unwrap();
    let got: HashSet<String> =
        included.iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(got, wanted);
    assert_eq!(included.len(), got.len(), "no duplicates");
    assert!(included.iter().all(|c| c["type"] == "clients" && c["attributes"]["name"].is_string()));
    assert!(doc["links"]["next"].as_str().unwrap().contains("include=client"));
    let (status, doc) = api_json(&sb, &format!("{PROJECTS}?include=owner"), &token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(doc["errors"][0]["title"], "Invalid field");
    let (status, _) = api_json(&sb, &format!("{CLIENTS}?include=client"), &token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn sorting() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let (_, doc) =
        api_json(&sb, &format!("{PROJECTS}?sort=-created-at&page[size]=250"), &token).await;
    let dates: Vec<&str> = doc["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["attributes"]["created-at"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    assert_ne!(ids(&doc)[0], "1201");
    let (status, doc) = api_json(&sb, &format!("{CLIENTS}?sort=shoe-size"), &token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(doc["errors"][0]["title"], "Invalid sort criteria");
}

#[tokio::test]
async fn get_one_project_and_one_client() {
    let sb = start().await;
    let token = readonly_token(&sb).await;
    let (_, list) = api_json(&sb, PROJECTS, &token).await;
    let first = &list["data"][0];
    let id = first["id"].as_str().unwrap();
    let (status, doc) = api_json(&sb, &format!("{PROJECTS}/{id}"), &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&doc["data"], first);
    let (_, doc) = api_json(&sb, &format!("{PROJECTS}/{id}?include=client"), &token).await;
    assert_eq!(doc["included"][0]["id"], first["relationships"]["client"]["data"]["id"]);
    let client_id = first["relationships"]["client"]["data"]["id"].as_str().unwrap();
    let (status, doc) = api_json(&sb, &format!("{CLIENTS}/{client_id}"), &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["data"]["type"], "clients");
    assert_eq!(doc["data"]["attributes"]["name"], first["attributes"]["client-name"]);
    for attr in ["name", "active", "msa-date", "domain"] {
        assert!(doc["data"]["attributes"].get(attr).is_some(), "{attr}");
    }
}

#[tokio::test]
async fn unknown_ids_slugs_and_routes_are_404() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    for (path, key) in [
        (format!("{PROJECTS}/999999"), "999999"),
        (format!("{PROJECTS}/abc"), "abc"),
        (format!("{CLIENTS}/1201"), "1201"),
        ("/other-account/v1/projects".to_owned(), "other-account"),
        ("/other-account/v1/projects/1201".to_owned(), "other-account"),
    ] {
        let resp = api_get(&sb, &path, &token).await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(resp.headers()[CONTENT_TYPE], JSONAPI);
        let doc: Value = resp.json().await.unwrap();
        assert_eq!(
            doc,
            json!({"errors": [{"title": "Record not found", "detail": format!("The record identified by {key} could not be found."), "code": "404", "status": "404"}]})
        );
    }
    for path in
        ["/sandbox-demo/v1/widgets", "/nope", "/v2/me", "/sandbox-demo/v1/projects/1201/extra"]
    {
        let resp = api_get(&sb, path, &token).await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(resp.headers()[CONTENT_TYPE], JSONAPI);
        let doc: Value = resp.json().await.unwrap();
        assert_eq!(doc["errors"][0]["title"], "Route not found");
        assert_eq!(doc["errors"][0]["status"], "404");
    }
    let resp = http().put(format!("{}{PROJECTS}/1201", sb.base_url())).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(resp.json::<Value>().await.unwrap()["errors"][0]["status"], "405");
}

#[tokio::test]
async fn delete_removes_a_record_for_a_writer_only() {
    let sb = start().await;
    let delete = |path: &str, token: &str| {
        http()
            .delete(format!("{}{path}", sb.base_url()))
            .header(ACCEPT, JSONAPI)
            .bearer_auth(token)
            .send()
    };
    let admin = admin_token(&sb).await;
    let (status, before) = api_json(&sb, &format!("{CLIENTS}?page[size]=100"), &admin).await;
    assert_eq!(status, StatusCode::OK);
    let id = before["data"][0]["id"].as_str().unwrap().to_owned();
    let reader = readonly_token(&sb).await;
    let resp = delete(&format!("{CLIENTS}/{id}"), &reader).await.unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "a read-only user may not delete");
    let resp = delete(&format!("{CLIENTS}/{id}"), &admin).await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert!(resp.bytes().await.unwrap().is_empty(), "204 has no body");
    let (status, _) = api_json(&sb, &format!("{CLIENTS}/{id}"), &admin).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the record is gone");
    let (_, after) = api_json(&sb, &format!("{CLIENTS}?page[size]=100"), &admin).await;
    assert_eq!(after["meta"]["record-count"], before["meta"]["record-count"].as_u64().unwrap() - 1);
    let resp = delete(&format!("{CLIENTS}/{id}"), &admin).await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND, "twice: nothing left to delete");
    let resp = delete("/sandbox-demo/v1/accounts/1", &admin).await.unwrap();
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED, "a read-only type");
    let resp = http().delete(format!("{}{CLIENTS}/{id}", sb.base_url())).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "no token");
}

#[tokio::test]
async fn resources_need_a_token_and_the_accept_header() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let resp = http()
        .get(format!("{}{PROJECTS}", sb.base_url()))
        .header(ACCEPT, JSONAPI)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(resp.text().await.unwrap(), UNAUTHORIZED);
    let resp = http()
        .get(format!("{}{PROJECTS}", sb.base_url()))
        .bearer_auth(&token)
        .header(ACCEPT, "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_ACCEPTABLE);
    // Even the 404 of a foreign slug comes after authentication.
    let resp = http()
        .get(format!("{}/other/v1/projects", sb.base_url()))
        .header(ACCEPT, JSONAPI)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let (status, _, body) =
        send(&sb, reqwest::Method::POST, PROJECTS, "bad-token", Some(JSONAPI), "{}").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, serde_json::from_str::<Value>(UNAUTHORIZED).unwrap());
}

#[tokio::test]
async fn create_a_project() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let (status, headers, doc) =
        post(&sb, PROJECTS, &token, &new_project(json!("Firewall upgrade"), "302")).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    assert_eq!(headers[CONTENT_TYPE], JSONAPI);
    let data = &doc["data"];
    assert_eq!(data["type"], "projects");
    assert_eq!(data["attributes"]["project-name"], "Firewall upgrade");
    assert_eq!(data["attributes"]["active"], true);
    assert_eq!(data["attributes"]["client-name"], "Cedar Valley Health");
    assert_eq!(data["relationships"]["client"]["data"], json!({"type": "clients", "id": "302"}));
    let location = headers[LOCATION].to_str().unwrap();
    assert_eq!(location, data["links"]["self"]);
    let path = location.strip_prefix(&sb.base_url()).unwrap();
    let (status, fetched) = api_json(&sb, path, &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched["data"], *data);
    let (_, list) = api_json(&sb, PROJECTS, &token).await;
    assert_eq!(list["meta"]["record-count"], 26);
}

#[tokio::test]
async fn writes_need_the_jsonapi_content_type() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let body = new_project(json!("X"), "301").to_string();
    for (ct, specified) in [
        (Some("application/json"), "application/json"),
        (None, "none"),
        (
            Some("application/vnd.api+json; charset=utf-8"),
            "application/vnd.api+json; charset=utf-8",
        ),
    ] {
        for (method, path) in [
            (reqwest::Method::POST, PROJECTS.to_owned()),
            (reqwest::Method::PATCH, format!("{PROJECTS}/1201")),
        ] {
            let (status, headers, doc) = send(&sb, method, &path, &token, ct, &body).await;
            assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct:?}");
            assert_eq!(headers[CONTENT_TYPE], JSONAPI);
            assert_eq!(
                doc,
                json!({"errors": [{
                    "title": "Unsupported media type",
                    "detail": format!("All requests that create or update must use the 'application/vnd.api+json' Content-Type. This request specified '{specified}'."),
                    "code": "415",
                    "status": "415",
                }]})
            );
        }
    }
}

#[tokio::test]
async fn read_only_users_cannot_write() {
    let sb = start().await;
    let token = readonly_token(&sb).await;
    let forbidden = json!({"errors": [{"title": "Forbidden", "detail": "You are not allowed to perform this action.", "code": "403", "status": "403"}]});
    let (status, _, doc) = post(&sb, PROJECTS, &token, &new_project(json!("Nope"), "301")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(doc, forbidden);
    let body = json!({"data": {"type": "projects", "id": "1201", "attributes": {"project-name": "Renamed"}}});
    let (status, _, doc) = patch(&sb, &format!("{PROJECTS}/1201"), &token, &body).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(doc, forbidden);
    let (_, list) = api_json(&sb, PROJECTS, &token).await;
    assert_eq!(list["meta"]["record-count"], 25);
}

#[tokio::test]
async fn validation_errors_are_422_with_pointers() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let pointer_of = |doc: &Value| -> Vec<String> {
        doc["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["source"]["pointer"].as_str().unwrap().to_owned())
            .collect()
    };
    let missing = json!({"data": {"type": "projects", "attributes": {}, "relationships": {"client": {"data": {"type": "clients", "id": "301"}}}}});
    let (status, headers, doc) = post(&sb, PROJECTS, &token, &missing).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(headers[CONTENT_TYPE], JSONAPI);
    assert_eq!(
        doc,
        json!({"errors": [{
            "title": "can't be blank",
            "detail": "project-name - can't be blank",
            "code": "100",
            "source": {"pointer": "/data/attributes/project-name"},
            "status": "422",
        }]})
    );
    let (status, _, doc) = post(&sb, PROJECTS, &token, &new_project(json!("   "), "301")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(pointer_of(&doc), ["/data/attributes/project-name"]);
    let (status, _, doc) = post(&sb, PROJECTS, &token, &new_project(json!("Ok"), "999")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(pointer_of(&doc), ["/data/relationships/client"]);
    assert_eq!(doc["errors"][0]["detail"], "client - must exist");
    let wrong_type = json!({"data": {"type": "clients", "attributes": {"project-name": "Ok"}, "relationships": {"client": {"data": {"type": "clients", "id": "301"}}}}});
    let (status, _, doc) = post(&sb, PROJECTS, &token, &wrong_type).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(pointer_of(&doc), ["/data/type"]);
    let several = json!({"data": {"type": "projects", "attributes": {"active": "yes"}}});
    let (status, _, doc) = post(&sb, PROJECTS, &token, &several).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut pointers = pointer_of(&doc);
    pointers.sort();
    assert_eq!(
        pointers,
        ["/data/attributes/active", "/data/attributes/project-name", "/data/relationships/client"]
    );
    assert!(doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["status"] == "422" && e["title"].is_string() && e["detail"].is_string()));
    let (_, list) = api_json(&sb, PROJECTS, &token).await;
    assert_eq!(list["meta"]["record-count"], 25, "nothing was created");
}

#[tokio::test]
async fn malformed_documents_are_400() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    for body in ["{not json", "", "[]", r#"{"data": "x"}"#] {
        let (status, headers, doc) =
            send(&sb, reqwest::Method::POST, PROJECTS, &token, Some(JSONAPI), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(headers[CONTENT_TYPE], JSONAPI);
        assert_eq!(doc["errors"][0]["status"], "400");
    }
    let unknown_attr =
        json!({"data": {"type": "projects", "attributes": {"project-name": "x", "budget": 5}}});
    let (status, _, doc) = post(&sb, PROJECTS, &token, &unknown_attr).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(doc["errors"][0]["detail"], "budget is not allowed.");
}

#[tokio::test]
async fn update_a_project() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let path = format!("{PROJECTS}/1203");
    let body = json!({"data": {"type": "projects", "id": "1203", "attributes": {"project-name": "Renamed project", "active": false},
        "relationships": {"client": {"data": {"type": "clients", "id": "305"}}}}});
    let (status, _, doc) = patch(&sb, &path, &token, &body).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["data"]["attributes"]["project-name"], "Renamed project");
    assert_eq!(doc["data"]["attributes"]["active"], false);
    assert_eq!(doc["data"]["relationships"]["client"]["data"]["id"], "305");
    let (_, fetched) = api_json(&sb, &path, &token).await;
    assert_eq!(fetched["data"], doc["data"]);

    let blank =
        json!({"data": {"type": "projects", "id": "1203", "attributes": {"project-name": ""}}});
    let (status, _, doc) = patch(&sb, &path, &token, &blank).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(doc["errors"][0]["source"]["pointer"], "/data/attributes/project-name");

    let (status, _, _) = patch(&sb, &format!("{PROJECTS}/999999"), &token, &blank).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mismatch =
        json!({"data": {"type": "projects", "id": "1204", "attributes": {"project-name": "x"}}});
    let (status, _, _) = patch(&sb, &path, &token, &mismatch).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, fetched_again) = api_json(&sb, &path, &token).await;
    assert_eq!(fetched_again["data"]["attributes"]["project-name"], "Renamed project");
}

#[tokio::test]
async fn create_and_update_a_client() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let (status, _, doc) = post(
        &sb,
        CLIENTS,
        &token,
        &json!({"data": {"type": "clients", "attributes": {"domain": "x.example"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(doc["errors"][0]["source"]["pointer"], "/data/attributes/name");
    let (status, headers, doc) = post(&sb, CLIENTS, &token, &json!({"data": {"type": "clients", "attributes": {"name": "Quarry Labs", "msa-date": "2024-05-01"}}})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(headers.get(LOCATION).is_some());
    assert_eq!(doc["data"]["attributes"]["name"], "Quarry Labs");
    let id = doc["data"]["id"].as_str().unwrap();
    let (status, _, doc) = patch(
        &sb,
        &format!("{CLIENTS}/{id}"),
        &token,
        &json!({"data": {"type": "clients", "id": id, "attributes": {"msa-date": "not-a-date"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(doc["errors"][0]["source"]["pointer"], "/data/attributes/msa-date");
    let (status, _, doc) = patch(
        &sb,
        &format!("{CLIENTS}/{id}"),
        &token,
        &json!({"data": {"type": "clients", "id": id, "attributes": {"active": false}}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["data"]["attributes"]["active"], false);
    let (_, list) = api_json(&sb, &format!("{CLIENTS}?filter[active]=false"), &token).await;
    assert_eq!(list["meta"]["record-count"], 3);
}

#[tokio::test]
async fn a_token_without_the_write_scope_may_read_but_not_write_even_for_an_admin() {
    let sb = start().await;
    let (status, body, _) = token_request(
        &sb,
        &[
            ("grant_type", "password"),
            ("client_id", PASSWORD_CLIENT_ID),
            ("client_secret", PASSWORD_CLIENT_SECRET),
            ("username", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
            ("scope", "read"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let read_only = body["access_token"].as_str().unwrap().to_owned();
    let (status, clients) = api_json(&sb, CLIENTS, &read_only).await;
    assert_eq!(status, StatusCode::OK, "reading needs only the read scope");
    let id = clients["data"][0]["id"].as_str().unwrap().to_owned();

    let new_client = json!({"data": {"type": "clients", "attributes": {"name": "Scoped Co"}}});
    let (status, _, body) = post(&sb, CLIENTS, &read_only, &new_client).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let detail = body["errors"][0]["detail"].as_str().unwrap();
    assert!(detail.contains("scopes (read) do not include write"), "{detail}");
    let rename = json!({"data": {"type": "clients", "id": id, "attributes": {"name": "Renamed"}}});
    let (status, _, _) = patch(&sb, &format!("{CLIENTS}/{id}"), &read_only, &rename).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) =
        send(&sb, reqwest::Method::DELETE, &format!("{CLIENTS}/{id}"), &read_only, None, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (surveys_status, surveys) = api_json(&sb, "/sandbox-demo/v1/surveys", &read_only).await;
    assert_eq!(surveys_status, StatusCode::OK);
    let survey = surveys["data"][0]["id"].as_str().unwrap();
    let calculate = format!("/sandbox-demo/v1/surveys/{survey}/calculate");
    let (status, _, body) = send(&sb, reqwest::Method::PUT, &calculate, &read_only, None, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an action that changes data: {body}");
    let (_, projects) = api_json(&sb, PROJECTS, &read_only).await;
    let project = projects["data"][0]["id"].as_str().unwrap();
    let merge_data = format!("{PROJECTS}/{project}/merge-data");
    let (status, _) = api_json(&sb, &merge_data, &read_only).await;
    assert_eq!(status, StatusCode::OK, "an action that only reads");
    let (_, after) = api_json(&sb, &format!("{CLIENTS}/{id}"), &read_only).await;
    assert_ne!(after["data"]["attributes"]["name"], "Renamed", "nothing changed");

    // The same admin with both scopes writes.
    let (status, _, body) = post(&sb, CLIENTS, &admin_token(&sb).await, &new_client).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}
