//! The real `scopestack-cli` binary: `import postman` (a collection, with an environment, an
//! environment alone, bad files), `export postman-env`, and `support-bundle` out and back in,
//! in a temporary `SCOPESTACK_COMPANION_HOME`.

use crate::support::*;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/postman").join(name)
}

const COLLECTION: &str = "acme-scopestack.postman_collection.json";
const ENVIRONMENT: &str = "acme-scopestack.postman_environment.json";

fn profiles_json(home: &Path) -> serde_json::Value {
    let out = cli(home).args(["profiles", "list", "--json"]).output().unwrap();
    assert_code(&out, 0);
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn profile_named<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    doc["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no profile {name}: {doc}"))
}

fn all_text_under(dir: &Path) -> String {
    let mut text = String::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                text.push_str(&String::from_utf8_lossy(&std::fs::read(&path).unwrap()));
            }
        }
    }
    text
}

#[test]
fn import_postman_makes_a_profile_with_saved_requests_and_prints_the_report() {
    let home = tempfile::tempdir().unwrap();
    let out =
        cli(home.path()).args(["import", "postman"]).arg(fixture(COLLECTION)).output().unwrap();
    assert_code(&out, 0);
    let report = stdout(&out);
    for expected in [
        "Created the profile \"Acme ScopeStack API\"",
        "Saved requests: 6",
        "client secret in the file was not kept",
        "pre-request script",
    ] {
        assert!(report.contains(expected), "{expected} in:\n{report}");
    }
    let doc = profiles_json(home.path());
    let p = profile_named(&doc, "Acme ScopeStack API");
    assert_eq!(p["client_id"], "acme-fixture-client");
    assert_eq!(p["method"], "client_credentials");
    let files = all_text_under(home.path());
    assert!(
        files.contains("List projects") && files.contains("{account-slug}/v1/projects"),
        "the saved requests are on disk"
    );
    for secret in [
        "fixture-client-secret-42",
        "fixture-old-access-token-0001",
        "fixture-api-key-7",
        "fixture-basic-pass",
    ] {
        assert!(!files.contains(secret), "{secret} reached a file");
    }

    let out = cli(home.path())
        .args(["import", "postman", "--name", "Acme staging", "--json", "--environment"])
        .arg(fixture(ENVIRONMENT))
        .arg(fixture(COLLECTION))
        .output()
        .unwrap();
    assert_code(&out, 0);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["profile_name"], "Acme staging");
    let doc = profiles_json(home.path());
    assert_eq!(
        profile_named(&doc, "Acme staging")["environment"]["api_url"],
        "https://api.staging.acme.test/",
        "the environment's baseUrl wins"
    );

    let out = cli(home.path())
        .args(["import", "postman", "--into", "Acme staging"])
        .arg(fixture(ENVIRONMENT))
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("Filled the profile \"Acme staging\""), "{}", stdout(&out));
    assert!(!all_text_under(home.path()).contains("env-password-88"));

    // Removing a profile removes its saved requests with it; the other profile's stay.
    let saved =
        engine::requests::SavedRequests::in_dir(home.path().join("data").join("saved-requests"));
    let first = engine::ProfileId::new(
        profile_named(&profiles_json(home.path()), "Acme ScopeStack API")["id"].as_str().unwrap(),
    );
    let staging = engine::ProfileId::new(
        profile_named(&profiles_json(home.path()), "Acme staging")["id"].as_str().unwrap(),
    );
    assert_eq!(saved.list(&first).unwrap().len(), 6);
    let out = cli(home.path())
        .args(["profiles", "remove", "Acme ScopeStack API", "--session-only"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(
        saved.list(&first).unwrap().is_empty() && !saved.path(&first).exists(),
        "the removed profile's saved requests are gone"
    );
    assert_eq!(saved.list(&staging).unwrap().len(), 6, "the other profile's saved requests stay");

    // A damaged variables file stops a request before anything is sent, and says which file.
    std::fs::write(saved.path(&staging), "{ not json").unwrap();
    let out = cli(home.path())
        .args(["request", "--profile", "Acme staging", "--session-only", "GET", "/v1/me"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    let said = stderr(&out);
    assert!(
        said.contains("are damaged")
            && said.contains(&saved.path(&staging).display().to_string())
            && said.contains("Move the file away"),
        "{said}"
    );
    assert_eq!(
        std::fs::read_to_string(saved.path(&staging)).unwrap(),
        "{ not json",
        "the file is left as it was"
    );
}

#[test]
fn bad_postman_files_exit_2_with_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    let bad = home.path().join("bad.json");
    std::fs::write(&bad, r#"{"hello": "world"}"#).unwrap();
    let out = cli(home.path()).args(["import", "postman"]).arg(&bad).output().unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("neither a Postman collection"), "{}", stderr(&out));
    let out = cli(home.path())
        .args(["import", "postman"])
        .arg(home.path().join("missing.json"))
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("Could not open"), "{}", stderr(&out));
    assert_eq!(
        profiles_json(home.path())["profiles"].as_array().unwrap().len(),
        2,
        "nothing was added"
    );
}

#[test]
fn export_postman_env_writes_settings_and_the_token_only_when_asked() {
    let home = tempfile::tempdir().unwrap();
    assert_code(
        &cli(home.path()).args(["import", "postman"]).arg(fixture(COLLECTION)).output().unwrap(),
        0,
    );
    let file = home.path().join("env.json");
    let out = cli(home.path())
        .args(["export", "postman-env", "--profile", "acme scopestack api", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert_code(&out, 0);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let keys: Vec<&str> =
        doc["values"].as_array().unwrap().iter().map(|v| v["key"].as_str().unwrap()).collect();
    assert!(
        keys.starts_with(&["baseUrl", "authUrl", "accessTokenUrl", "clientId", "scope"]),
        "{keys:?}"
    );
    assert!(!keys.contains(&"accessToken"));
    assert_eq!(doc["_postman_variable_scope"], "environment");

    let out = cli(home.path())
        .args([
            "export",
            "postman-env",
            "--profile",
            "Acme ScopeStack API",
            "--include-token",
            "--session-only",
            "--out",
        ])
        .arg(home.path().join("t.json"))
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("no access token"), "{}", stderr(&out));
    assert!(!home.path().join("t.json").exists(), "nothing written without the token asked for");

    let out = cli(home.path())
        .args(["export", "postman-env", "--profile", "Sandbox", "--out"])
        .arg(home.path().join("s.json"))
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("new address at every launch"), "{}", stderr(&out));
}

#[test]
fn support_bundle_out_and_back_in() {
    let home = tempfile::tempdir().unwrap();
    assert_code(&cli(home.path()).args(["profiles", "list"]).output().unwrap(), 0);
    // Two exchanges of the Sandbox profile, as the app records them.
    let history = engine::requests::History::in_dir(home.path().join("data").join("history"));
    let sandbox = engine::ProfileId::new(engine::profiles::SANDBOX_PROFILE_ID);
    let spec = engine::requests::RequestSpec::get("/v1/me")
        .with_header("X-Trace", "Tr4ceL00ksLikeAT0kenValue9");
    history
        .record(
            &sandbox,
            engine::requests::HistoryEntry::from_failure(&spec, &engine::EngineError::Cancelled),
        )
        .unwrap();
    history
        .record(
            &sandbox,
            engine::requests::HistoryEntry::from_failure(
                &engine::requests::RequestSpec::get("/v1/projects"),
                &engine::EngineError::NoToken,
            ),
        )
        .unwrap();

    let bundle = home.path().join("bundle.json");
    let out = cli(home.path())
        .args(["support-bundle", "--profile", "Sandbox", "--session-only", "--out"])
        .arg(&bundle)
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("2 exchange(s)"), "{}", stdout(&out));
    let text = std::fs::read_to_string(&bundle).unwrap();
    assert!(
        !text.contains("Tr4ceL00ksLikeAT0kenValue9"),
        "a token-looking header value is removed"
    );
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["format"], "scopestack-companion-support-bundle");
    assert_eq!(doc["app"]["version"], env!("CARGO_PKG_VERSION"));

    let out = cli(home.path()).args(["support-bundle", "import"]).arg(&bundle).output().unwrap();
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("Profile: \"Sandbox (from support bundle)\""),
        "{}",
        stdout(&out)
    );
    let doc = profiles_json(home.path());
    let id =
        profile_named(&doc, "Sandbox (from support bundle)")["id"].as_str().unwrap().to_string();
    let imported = engine::ProfileId::new(id);
    assert_eq!(
        history.list(&imported).unwrap().len(),
        2,
        "the exchanges are in the new profile's history"
    );

    // Removing the profile removes its history with it; the Sandbox's own stays.
    assert!(history.path(&imported).exists());
    let out = cli(home.path())
        .args(["profiles", "remove", "Sandbox (from support bundle)", "--session-only"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("with its request history and saved requests"),
        "{}",
        stdout(&out)
    );
    assert!(!history.path(&imported).exists(), "the removed profile's history file is gone");
    assert_eq!(history.list(&sandbox).unwrap().len(), 2);

    let out = cli(home.path())
        .args(["support-bundle", "import"])
        .arg(fixture(COLLECTION))
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("not a ScopeStack Companion support bundle"), "{}", stderr(&out));
    let out = cli(home.path()).args(["support-bundle"]).output().unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("--profile NAME --out FILE"), "{}", stderr(&out));
    let help = cli(home.path()).args(["support-bundle", "--help"]).output().unwrap();
    assert!(
        stdout(&help).contains("import") && stdout(&help).contains("--out"),
        "{}",
        stdout(&help)
    );
}
