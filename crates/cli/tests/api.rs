//! `scopestack-cli api`: path completion, a resource type's facts and write bodies from the
//! engine's catalogue, and `--load-description` against the real sandbox's API root.

use crate::support::*;
use serde_json::Value;

fn api(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    cli(home).arg("api").args(args).output().unwrap()
}

#[test]
fn paths_complete_from_the_catalogue() {
    let home = tempfile::tempdir().unwrap();
    let out = api(home.path(), &["paths", "pro"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let paths: Vec<&str> = text.lines().filter_map(|l| l.split_whitespace().nth(1)).collect();
    assert_eq!(
        &paths[..3],
        [
            "{account-slug}/v1/projects",
            "{account-slug}/v1/projects/{id}",
            "{account-slug}/v1/projects/{id}/merge-data"
        ],
        "{text}"
    );
    assert!(text.lines().next().unwrap().starts_with("GET,POST "), "{text}");

    let out =
        api(home.path(), &["paths", "--json", "https://api.scopestack.io/acme/v1/surveys/7/"]);
    assert_code(&out, 0);
    let list: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let texts: Vec<&str> =
        list.as_array().unwrap().iter().map(|c| c["text"].as_str().unwrap()).collect();
    assert_eq!(
        texts,
        [
            "https://api.scopestack.io/acme/v1/surveys/7/calculate",
            "https://api.scopestack.io/acme/v1/surveys/7/apply"
        ]
    );
    assert_eq!(list[0]["methods"], serde_json::json!(["PUT"]));

    let out = api(home.path(), &["paths"]);
    assert_code(&out, 0);
    let all = stdout(&out);
    for expected in [
        "/v1/phases ",
        "/v1/presales-engineers/{id} ",
        "/v1/project-services/{id}/synchronize-standard ",
    ] {
        assert!(all.contains(expected), "{expected} in the full list");
    }
    let out = api(home.path(), &["paths", "zzz"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("No path of the catalogue"), "{}", stderr(&out));
}

#[test]
fn show_tells_a_resource_type() {
    let home = tempfile::tempdir().unwrap();
    let out = api(home.path(), &["show", "projects"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    for expected in [
        "project-name",
        "required on create",
        "client                       → clients",
        "filter[active]",
        "Includes: client",
        "{account-slug}/v1/projects/{id}/merge-data    GET",
        "Paging: page[number], page[size]",
    ] {
        assert!(text.contains(expected), "{expected} in:\n{text}");
    }
    let out = api(home.path(), &["show", "surveys", "--json"]);
    assert_code(&out, 0);
    let r: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(r["type"], "surveys");
    let actions: Vec<&str> =
        r["actions"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(actions, ["calculate", "apply"]);
    let out = api(home.path(), &["show", "project"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("Did you mean projects"), "{}", stderr(&out));
}

#[test]
fn skeleton_prints_a_write_body() {
    let home = tempfile::tempdir().unwrap();
    let out = api(home.path(), &["skeleton", "project-contacts"]);
    assert_code(&out, 0);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["data"]["type"], "project-contacts");
    assert!(doc["data"].get("id").is_none());
    assert_eq!(doc["data"]["attributes"]["name"], "");
    assert_eq!(doc["data"]["relationships"]["project"]["data"]["type"], "projects");
    let out = api(home.path(), &["skeleton", "projects", "--method", "PATCH"]);
    assert_code(&out, 0);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["data"]["id"], "{id}");
    let out = api(home.path(), &["skeleton", "accounts"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("only reads accounts"), "{}", stderr(&out));
    let out = api(home.path(), &["skeleton", "projects", "--method", "GET"]);
    assert_code(&out, 2);
}

#[test]
fn load_description_enriches_from_the_sandbox_root() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let out = cli(home.path())
        .args([
            "profiles",
            "add",
            "Local",
            "--grant",
            "client-credentials",
            "--base-url",
            &sbx.base,
        ])
        .args(["--client-id", SERVICE_ID])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = api(
        home.path(),
        &["show", "projects", "--json", "--load-description", "--profile", "local"],
    );
    assert_code(&out, 0);
    let note = stderr(&out);
    assert!(
        note.contains("Loaded the API's description (OpenAPI 3.0.3") && note.contains(&sbx.base),
        "{note}"
    );
    let r: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let filters: Vec<&str> =
        r["filters"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(
        filters.contains(&"sales-executive"),
        "the sandbox's filter was merged in: {filters:?}"
    );
    let builtin = api(home.path(), &["show", "projects", "--json"]);
    let r: Value = serde_json::from_str(&stdout(&builtin)).unwrap();
    assert!(
        !r["filters"].as_array().unwrap().iter().any(|f| f == "sales-executive"),
        "not built in"
    );

    // The built-in Sandbox profile runs its own sandbox for the command.
    let out = api(home.path(), &["paths", "sur", "--load-description", "--profile", "sandbox"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("30 types described"), "{}", stderr(&out));

    // A server that is not there: a network failure, and nothing printed on stdout.
    let port = closed_port();
    let out = cli(home.path())
        .args(["profiles", "add", "Gone", "--grant", "client-credentials"])
        .args(["--base-url", &format!("http://127.0.0.1:{port}"), "--client-id", "x"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = api(home.path(), &["paths", "--load-description", "--profile", "gone"]);
    assert_code(&out, 4);
    assert!(stdout(&out).is_empty());
    let out = api(home.path(), &["paths", "--load-description"]);
    assert_code(&out, 2);
}
