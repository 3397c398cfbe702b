//! The API catalogue against the real sandbox: its OpenAPI description (`GET /`) loads and
//! merges, the merged catalogue covers every resource type the sandbox serves, and every
//! resource path of the built-in catalogue answers 200 there (so each entry can be tried
//! offline). Roots that serve no description fail with a clear message.

use crate::common::*;
use engine::catalogue::{self, load_description};
use engine::http::ClientFor;
use reqwest::header::ACCEPT;
use serde_json::Value;

const SLUG: &str = sandbox::ACCOUNT_SLUG;

fn client() -> reqwest::Client {
    engine::http::client(engine::http::HttpSettings::default()).expect("HTTP client")
}

/// The resource types the sandbox's description lists.
async fn sandbox_types(sb: &sandbox::Sandbox) -> Vec<String> {
    let (status, text) = get(&format!("{}/", sb.base_url())).await.expect("GET /");
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .filter_map(|p| p.strip_prefix("/{account-slug}/v1/"))
        .filter(|rest| !rest.contains('/'))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_sandbox_description_enriches_the_catalogue_and_covers_every_type() {
    let sb = sandbox().await;
    let (merged, summary) =
        load_description(&client(), &base(&sb), catalogue::builtin()).await.expect("loads");
    assert!(summary.source.starts_with("OpenAPI 3.0.3"), "{summary:?}");
    let types = sandbox_types(&sb).await;
    assert_eq!(summary.resources_described as usize, types.len());
    assert!(types.len() >= 28, "{types:?}");
    for t in &types {
        assert!(merged.resource(t).is_some(), "the merged catalogue knows {t}");
        assert!(catalogue::builtin().resource(t).is_some(), "the built-in catalogue knows {t}");
    }
    assert!(summary.resources_added.is_empty(), "{summary:?}");
    // What the sandbox adds to what was built in: its relationship filters.
    let projects = merged.resource("projects").unwrap();
    assert!(projects.filters.iter().any(|f| f == "sales-executive"), "{:?}", projects.filters);
    assert!(summary.parameters_added > 0, "{summary:?}");
    assert_eq!(merged.enriched.as_ref(), Some(&summary));
    // The merged catalogue completes as the built-in one does.
    let c = catalogue::path_completions(&merged, "sandbox-demo/v1/surv");
    assert!(c.iter().any(|c| c.text == "sandbox-demo/v1/surveys/{id}/apply"), "{c:?}");
}

#[tokio::test]
async fn every_catalogue_resource_path_answers_on_the_sandbox() {
    let sb = sandbox().await;
    let engine = engine();
    let target = service_target(&sb);
    let tokens =
        engine.obtain_direct(&target, &creds(sandbox::SERVICE_CLIENT_SECRET)).await.expect("token");
    let http = client();
    let get_json = |path: String| {
        let url = url::Url::parse(&format!("{}/{SLUG}/v1/{path}", sb.base_url())).unwrap();
        let req = http
            .client_for(&url)
            .unwrap()
            .get(url)
            .bearer_auth(tokens.access_token.expose())
            .header(ACCEPT, engine::http_answer::JSON_API);
        async move {
            let resp = req.send().await.expect("sent");
            let status = resp.status().as_u16();
            (status, resp.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    // Every refusal, to name them all at once.
    let mut refused = Vec::new();
    for r in &catalogue::builtin().resources {
        let (status, list) = get_json(r.type_name.clone()).await;
        assert_eq!(status, 200, "{}: {list}", r.type_name);
        let first = list["data"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{} has records", r.type_name))
            .to_owned();
        let (status, _) = get_json(format!("{}/{first}", r.type_name)).await;
        assert_eq!(status, 200, "{}/{first}", r.type_name);
        for f in &r.filters {
            // The first value the catalogue offers for it, else a date or an id.
            let offered = catalogue::query_parameters(
                catalogue::builtin(),
                &format!("{SLUG}/v1/{}", r.type_name),
            )
            .into_iter()
            .find(|p| p.name == format!("filter[{f}]"))
            .and_then(|p| p.values.first().cloned());
            let value = offered.unwrap_or_else(|| {
                if f.ends_with(".after") {
                    "2024-01-01".into()
                } else {
                    "1".into()
                }
            });
            let path = format!("{}?filter[{f}]={value}&page[size]=1", r.type_name);
            let (status, doc) = get_json(path.clone()).await;
            if status != 200 {
                refused.push(format!("{path}: {status} {doc}"));
            }
        }
        for include in &r.includes {
            let path = format!("{}?include={include}&page[size]=3", r.type_name);
            let (status, doc) = get_json(path.clone()).await;
            if status != 200 || !doc["included"].is_array() {
                refused.push(format!("{path}: {status} {doc}"));
            }
        }
        for sort in &r.sorts {
            let path = format!("{}?sort=-{sort}&page[size]=1", r.type_name);
            let (status, doc) = get_json(path.clone()).await;
            if status != 200 {
                refused.push(format!("{path}: {status} {doc}"));
            }
        }
        for a in r.actions.iter().filter(|a| a.method == "GET") {
            let (status, doc) = get_json(format!("{}/{first}/{}", r.type_name, a.name)).await;
            assert_eq!(status, 200, "{}/{first}/{}: {doc}", r.type_name, a.name);
        }
    }
    assert!(refused.is_empty(), "the sandbox refused:\n{}", refused.join("\n"));
}

#[tokio::test]
async fn a_root_without_a_description_says_so() {
    let sb = sandbox().await;
    let elsewhere = url::Url::parse(&format!("{}/no-api-here", sb.base_url())).unwrap();
    let e = load_description(&client(), &elsewhere, catalogue::builtin()).await.unwrap_err();
    let text = e.to_string();
    assert!(text.contains("answered 404") && text.contains("built-in catalogue stays"), "{text}");

    // A web page at the root.
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(|| async { axum::response::Html("<html><body>Welcome</body></html>") }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    let page = url::Url::parse(&format!("http://{addr}")).unwrap();
    let text =
        load_description(&client(), &page, catalogue::builtin()).await.unwrap_err().to_string();
    assert!(text.contains("web page"), "{text}");

    let plain = url::Url::parse("http://example.invalid").unwrap();
    let text =
        load_description(&client(), &plain, catalogue::builtin()).await.unwrap_err().to_string();
    assert!(text.contains("neither https"), "{text}");
}
