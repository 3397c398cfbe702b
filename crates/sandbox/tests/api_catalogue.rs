//! The grown sandbox: every resource type its OpenAPI description (`GET /`) names answers with
//! related demo data; relationships filter and include; writes of required relationships; the
//! action endpoints; read-only types refuse writes.

use crate::common::*;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use sandbox::*;
use serde_json::{json, Value};

const BASE: &str = "/sandbox-demo/v1";

async fn send(
    sb: &Sandbox,
    method: Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut req = http()
        .request(method, format!("{}{path}", sb.base_url()))
        .bearer_auth(token)
        .header(ACCEPT, JSONAPI);
    if let Some(body) = body {
        req = req.header(CONTENT_TYPE, JSONAPI).body(body.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn description(sb: &Sandbox) -> Value {
    let resp = http()
        .get(format!("{}/", sb.base_url()))
        .header(ACCEPT, "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CONTENT_TYPE], "application/json");
    resp.json().await.unwrap()
}

/// The resource types the description lists (`/{account-slug}/v1/{type}`).
fn described_types(doc: &Value) -> Vec<String> {
    doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|p| p.strip_prefix("/{account-slug}/v1/"))
        .filter(|rest| !rest.contains('/'))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_root_describes_the_api_without_a_token() {
    let sb = start().await;
    let doc = description(&sb).await;
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["servers"][0]["url"], sb.base_url());
    let types = described_types(&doc);
    for t in ["projects", "clients", "project-services", "surveys", "phases", "presales-engineers"]
    {
        assert!(types.iter().any(|x| x == t), "{t} in {types:?}");
    }
    assert!(types.len() >= 28, "{types:?}");
    assert!(doc["paths"]["/{account-slug}/v1/projects/{id}/merge-data"]["get"].is_object());
    assert!(doc["paths"]["/{account-slug}/v1/surveys/{id}/apply"]["put"].is_object());
    let sort = &doc["paths"]["/{account-slug}/v1/projects"]["get"]["parameters"];
    assert!(sort.as_array().unwrap().iter().any(|p| p["name"] == "filter[client]"));
    let resp =
        http().get(format!("{}/", sb.base_url())).header(ACCEPT, "text/html").send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn every_described_type_lists_and_reads_its_demo_records() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let doc = description(&sb).await;
    for t in described_types(&doc) {
        let (status, list) =
            send(&sb, Method::GET, &format!("{BASE}/{t}?page[size]=250"), &token, None).await;
        assert_eq!(status, StatusCode::OK, "{t}: {list}");
        let data = list["data"].as_array().unwrap();
        assert!(!data.is_empty(), "{t} has demo records");
        assert_eq!(list["meta"]["record-count"].as_u64().unwrap() as usize, data.len(), "{t}");
        let first = &data[0];
        assert_eq!(first["type"], t.as_str());
        let id = first["id"].as_str().unwrap();
        let (status, one) = send(&sb, Method::GET, &format!("{BASE}/{t}/{id}"), &token, None).await;
        assert_eq!(status, StatusCode::OK, "{t}/{id}");
        assert_eq!(&one["data"], first);
        // Every relationship points at a record that answers.
        for (name, rel) in first["relationships"].as_object().into_iter().flatten() {
            if let Some(target) = rel["data"].as_object() {
                let path = format!(
                    "{BASE}/{}/{}",
                    target["type"].as_str().unwrap(),
                    target["id"].as_str().unwrap()
                );
                let (status, _) = send(&sb, Method::GET, &path, &token, None).await;
                assert_eq!(status, StatusCode::OK, "{t}/{id} → {name}: {path}");
            }
        }
    }
}

#[tokio::test]
async fn relationships_filter_and_include() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let (status, doc) = send(
        &sb,
        Method::GET,
        &format!("{BASE}/project-services?filter[project]=1201&include=project,service"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    let data = doc["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert!(data.iter().all(|s| s["relationships"]["project"]["data"]["id"] == "1201"));
    let included = doc["included"].as_array().unwrap();
    assert!(included.iter().any(|r| r["type"] == "projects" && r["id"] == "1201"));
    assert_eq!(included.iter().filter(|r| r["type"] == "services").count(), 2);
    let service_id = data[0]["id"].as_str().unwrap();
    let (_, tasks) = send(
        &sb,
        Method::GET,
        &format!("{BASE}/project-subservices?filter[project-service]={service_id}"),
        &token,
        None,
    )
    .await;
    assert_eq!(tasks["meta"]["record-count"], 2);
    let (status, doc) = send(
        &sb,
        Method::GET,
        &format!("{BASE}/project-services?filter[colour]=red"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(doc["errors"][0]["title"], "Filter not allowed");
    let (_, docs) = send(
        &sb,
        Method::GET,
        &format!("{BASE}/surveys?filter[status]=pending&sort=-name"),
        &token,
        None,
    )
    .await;
    assert_eq!(docs["meta"]["record-count"], 4);
    assert_eq!(docs["data"][0]["attributes"]["name"], "Discovery survey 4");
}

#[tokio::test]
async fn creates_check_required_relationships_and_read_only_types_refuse_writes() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let contact = |project: &str| json!({"data": {"type": "project-contacts", "attributes": {"name": "Robin Field", "email": "robin@example.test"}, "relationships": {"project": {"data": {"type": "projects", "id": project}}}}});
    let (status, doc) = send(
        &sb,
        Method::POST,
        &format!("{BASE}/project-contacts"),
        &token,
        Some(&contact("1203")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    assert_eq!(doc["data"]["relationships"]["project"]["data"]["id"], "1203");
    let (status, doc) =
        send(&sb, Method::POST, &format!("{BASE}/project-contacts"), &token, Some(&contact("999")))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(doc["errors"][0]["source"]["pointer"], "/data/relationships/project");
    let body = json!({"data": {"type": "accounts", "attributes": {"name": "x"}}});
    let (status, _) =
        send(&sb, Method::POST, &format!("{BASE}/accounts"), &token, Some(&body)).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let (status, doc) =
        send(&sb, Method::GET, &format!("{BASE}/accounts/{ACCOUNT_ID}"), &token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["data"]["attributes"]["slug"], ACCOUNT_SLUG);
}

#[tokio::test]
async fn action_endpoints_answer() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let (status, merge) =
        send(&sb, Method::GET, &format!("{BASE}/projects/1201/merge-data"), &token, None).await;
    assert_eq!(status, StatusCode::OK, "{merge}");
    let attrs = &merge["data"]["attributes"];
    assert_eq!(attrs["client-name"], "Bluebird Logistics");
    assert_eq!(attrs["project-services"].as_array().unwrap().len(), 2);
    assert_eq!(attrs["project-services"][0]["subservices"].as_array().unwrap().len(), 2);
    assert!(attrs["project-variables"]["region"].is_string());

    let survey = format!("{BASE}/surveys?filter[project]=1201");
    let (_, list) = send(&sb, Method::GET, &survey, &token, None).await;
    let id = list["data"][0]["id"].as_str().unwrap().to_owned();
    let (status, doc) =
        send(&sb, Method::PUT, &format!("{BASE}/surveys/{id}/apply"), &token, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "apply before calculate: {doc}");
    let (status, doc) =
        send(&sb, Method::PUT, &format!("{BASE}/surveys/{id}/calculate"), &token, None).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["data"]["attributes"]["status"], "calculated");
    assert_eq!(doc["data"]["attributes"]["recommendations"].as_array().unwrap().len(), 2);
    let (status, doc) =
        send(&sb, Method::PUT, &format!("{BASE}/surveys/{id}/apply"), &token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["data"]["attributes"]["status"], "applied");
    let (_, services) = send(
        &sb,
        Method::GET,
        &format!("{BASE}/project-services?filter[project]=1201"),
        &token,
        None,
    )
    .await;
    assert_eq!(services["meta"]["record-count"], 4, "the two recommendations were added");

    let (_, list) = send(
        &sb,
        Method::GET,
        &format!("{BASE}/project-services?filter[project]=1202"),
        &token,
        None,
    )
    .await;
    let ps = list["data"][0]["id"].as_str().unwrap().to_owned();
    let rename = json!({"data": {"type": "project-services", "id": ps, "attributes": {"name": "Renamed locally"}}});
    let (status, _) =
        send(&sb, Method::PATCH, &format!("{BASE}/project-services/{ps}"), &token, Some(&rename))
            .await;
    assert_eq!(status, StatusCode::OK);
    let (status, doc) = send(
        &sb,
        Method::PUT,
        &format!("{BASE}/project-services/{ps}/synchronize-standard"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_ne!(doc["data"]["attributes"]["name"], "Renamed locally");

    let (status, _) = send(
        &sb,
        Method::POST,
        &format!("{BASE}/projects/1201/merge-data"),
        &token,
        Some(&json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let (status, _) =
        send(&sb, Method::GET, &format!("{BASE}/projects/1201/polish"), &token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) =
        send(&sb, Method::GET, &format!("{BASE}/projects/999/merge-data"), &token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let reader = readonly_token(&sb).await;
    let (status, _) =
        send(&sb, Method::PUT, &format!("{BASE}/surveys/{id}/calculate"), &reader, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) =
        send(&sb, Method::GET, &format!("{BASE}/projects/1201/merge-data"), &reader, None).await;
    assert_eq!(status, StatusCode::OK, "reads need no write right");
}
