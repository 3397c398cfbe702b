//! Postman interop against the made-up fixtures in `tests/fixtures/postman/`: a collection
//! becomes a profile with saved requests and variables (secrets only in the vault, and only when
//! asked), an environment fills a new or chosen profile, an exported environment carries the
//! token only when asked — and an imported collection works against the sandbox.

use crate::common::*;
use engine::interop::postman::{self, environment, ImportOptions, ImportReport, Stores};
use engine::profiles::{CallbackMode, ClientAuth, Environment, Method, ProfileId, ProfileStore};
use engine::requests::{self, ExchangeStore, SavedRequests};
use engine::session::{Credentials, Target};
use engine::vault::{SecretKind, Vault};
use engine::Secret;
use std::collections::HashMap;
use tokio_util::sync::CancellationToken;

const COLLECTION: &str =
    include_str!("../../../tests/fixtures/postman/acme-scopestack.postman_collection.json");
const ENVIRONMENT: &str =
    include_str!("../../../tests/fixtures/postman/acme-scopestack.postman_environment.json");
/// Every secret the fixtures hold.
const FIXTURE_SECRETS: [&str; 7] = [
    "fixture-client-secret-42",
    "fixture-old-access-token-0001",
    "fixture-api-key-7",
    "fixture-basic-pass",
    "env-client-secret-77",
    "env-password-88",
    "env-old-access-token-99",
];

struct Place {
    dir: tempfile::TempDir,
    profiles: ProfileStore,
    saved: SavedRequests,
    vault: Vault,
}

impl Place {
    fn new() -> Place {
        let dir = tempfile::tempdir().unwrap();
        let (profiles, _) = ProfileStore::open(dir.path()).unwrap();
        let saved = SavedRequests::in_dir(dir.path().join("saved-requests"));
        Place { dir, profiles, saved, vault: Vault::session_only() }
    }

    fn import(
        &mut self,
        text: &str,
        options: &ImportOptions,
    ) -> Result<ImportReport, engine::EngineError> {
        postman::import_text(
            text,
            Stores { profiles: &mut self.profiles, saved: &self.saved },
            options,
        )
        .map(|imported| imported.keep_secrets(&self.vault))
    }

    /// No fixture secret in any file written.
    fn assert_no_secret_on_disk(&self) {
        let mut stack = vec![self.dir.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for secret in FIXTURE_SECRETS {
                    assert!(!text.contains(secret), "{secret} in {}", path.display());
                }
            }
        }
    }
}

#[test]
fn a_collection_becomes_a_profile_with_saved_requests_and_variables() {
    let mut place = Place::new();
    let report = place
        .import(COLLECTION, &ImportOptions { keep_secrets: true, ..ImportOptions::default() })
        .unwrap();
    let id = report.profile_id.clone().unwrap();
    let profile = place.profiles.get(&id).unwrap().clone();
    assert_eq!(profile.name, "Acme ScopeStack API");
    assert_eq!(profile.method, Method::ClientCredentials);
    assert_eq!(profile.client_id, "acme-fixture-client");
    assert_eq!(profile.scope, "read write");
    assert_eq!(profile.client_auth, ClientAuth::Body);
    let Environment::Server(e) = &profile.environment else { panic!("a server profile") };
    assert_eq!(
        (e.api_url.as_str(), e.token_url.as_str(), e.authorize_url.as_str()),
        (
            "https://api.scopestack.io/",
            "https://app.scopestack.io/oauth/token",
            "https://app.scopestack.io/oauth/authorize"
        )
    );

    let saved = place.saved.list(&id).unwrap();
    let names: Vec<(&str, String)> =
        saved.iter().map(|r| (r.name.as_str(), r.folder.join("/"))).collect();
    assert_eq!(
        names,
        [
            ("Who am I", String::new()),
            ("List projects", "Projects".into()),
            ("Get project", "Projects".into()),
            ("Create project", "Projects/Drafts".into()),
            ("List clients", "Clients".into()),
            ("Upload logo", "Clients".into()),
        ]
    );
    assert_eq!(report.saved_requests, 6);
    let list = &saved[1].spec;
    assert_eq!(list.url, "/{account-slug}/v1/projects");
    assert_eq!(
        list.query,
        vec![("include".into(), "client".into()), ("page[size]".into(), "{{pageSize}}".into())]
    );
    assert_eq!(saved[2].spec.url, "/{account-slug}/v1/projects/{id}");
    let create = &saved[3].spec;
    assert_eq!(create.method, "POST");
    assert!(create.header("authorization").is_none(), "the profile's token is sent instead");
    assert!(String::from_utf8_lossy(create.body.as_ref().unwrap())
        .contains("From Postman {{projectId}}"));
    assert!(
        saved[4].spec.headers.is_empty() && saved[4].redacted == ["header X-Api-Key"],
        "{:?}",
        saved[4]
    );

    let vars = place.saved.variables(&id).unwrap();
    assert_eq!(vars.get("pageSize").map(String::as_str), Some("5"));
    assert_eq!(vars.get("id").map(String::as_str), Some("1001"), "the path variable, resolved");
    assert!(
        !vars.contains_key("baseUrl")
            && !vars.contains_key("accountSlug")
            && !vars.contains_key("clientSecret"),
        "{vars:?}"
    );

    assert_eq!(
        place.vault.get(&id, SecretKind::ClientSecret).unwrap().unwrap().expose(),
        "fixture-client-secret-42"
    );
    let text = report.to_text();
    for expected in [
        "kept for this session only",
        "access token in the file was dropped",
        "pre-request script",
        "test script of \"Create project\"",
        "formdata",
        "\"basic\" authorization",
        "{{$guid}}",
        "{{baseUrl}} → the profile's API URL",
    ] {
        assert!(text.contains(expected), "the report says {expected}:\n{text}");
    }
    place.assert_no_secret_on_disk();
}

#[test]
fn secrets_are_dropped_unless_asked_and_names_never_clash() {
    let mut place = Place::new();
    let first = place.import(COLLECTION, &ImportOptions::default()).unwrap();
    assert!(place
        .vault
        .get(first.profile_id.as_ref().unwrap(), SecretKind::ClientSecret)
        .unwrap()
        .is_none());
    assert!(
        first.secrets.iter().any(|s| s.contains("client secret in the file was not kept")),
        "{:?}",
        first.secrets
    );
    let second = place
        .import(
            COLLECTION,
            &ImportOptions { name: Some("Acme".into()), ..ImportOptions::default() },
        )
        .unwrap();
    let third = place
        .import(
            COLLECTION,
            &ImportOptions { name: Some("acme".into()), ..ImportOptions::default() },
        )
        .unwrap();
    assert_eq!(
        (second.profile_name.as_str(), third.profile_name.as_str(), third.renamed_from.as_deref()),
        ("Acme", "acme (2)", Some("acme"))
    );
    place.assert_no_secret_on_disk();
}

#[test]
fn an_environment_fills_a_new_profile_or_a_chosen_one() {
    let mut place = Place::new();
    let report = place
        .import(ENVIRONMENT, &ImportOptions { keep_secrets: true, ..ImportOptions::default() })
        .unwrap();
    assert!(report.created_profile);
    let id = report.profile_id.clone().unwrap();
    let p = place.profiles.get(&id).unwrap().clone();
    assert_eq!(
        (p.name.as_str(), p.client_id.as_str(), p.username.as_str()),
        ("Acme staging", "acme-staging-client", "robot@acme.test")
    );
    let Environment::Server(e) = &p.environment else { panic!() };
    assert_eq!(
        (e.api_url.as_str(), e.token_url.as_str()),
        ("https://api.staging.acme.test/", "https://login.staging.acme.test/oauth/token")
    );
    assert_eq!(
        place.vault.get(&id, SecretKind::Password).unwrap().unwrap().expose(),
        "env-password-88"
    );
    let vars = place.saved.variables(&id).unwrap();
    assert_eq!(
        vars.keys().collect::<Vec<_>>(),
        ["authHost", "region"],
        "disabled and secret values are left out"
    );
    assert!(report.secrets.iter().any(|s| s.contains("access token in the file was dropped")));

    let sandbox_id = ProfileId::new(engine::profiles::SANDBOX_PROFILE_ID);
    let into = place
        .import(
            ENVIRONMENT,
            &ImportOptions { into_profile: Some(sandbox_id.clone()), ..ImportOptions::default() },
        )
        .unwrap();
    assert!(!into.created_profile);
    let sandbox = place.profiles.get(&sandbox_id).unwrap();
    assert_eq!(sandbox.environment, Environment::BuiltInSandbox, "the sandbox's URLs stay");
    assert_eq!(sandbox.client_id, "acme-staging-client");
    assert!(into.skipped.iter().any(|s| s.contains("built-in sandbox")), "{:?}", into.skipped);
    assert!(
        place.vault.get(&sandbox_id, SecretKind::ClientSecret).unwrap().is_none(),
        "not kept unless asked"
    );
    place.assert_no_secret_on_disk();
}

#[test]
fn other_files_are_refused_with_what_to_do() {
    let mut place = Place::new();
    let cases = [
        ("{ nope", "not JSON"),
        (
            r#"{"format":"scopestack-companion-profiles","version":1,"profiles":[]}"#,
            "neither a Postman collection",
        ),
        (
            r#"{"id":"1","name":"Old","requests":[],"order":[],"info":{"schema":"https://schema.getpostman.com/json/collection/v1.0.0/collection.json"},"item":[]}"#,
            "v1 format",
        ),
    ];
    for (text, expected) in cases {
        let err = place.import(text, &ImportOptions::default()).unwrap_err();
        assert!(err.to_string().contains(expected), "{text}: {err}");
    }
    let bearer = COLLECTION.replacen("\"type\": \"oauth2\"", "\"type\": \"bearer\"", 1);
    let report = place.import(&bearer, &ImportOptions::default()).unwrap();
    assert!(
        report.skipped.iter().any(|s| s.contains("\"bearer\" authorization was not imported")),
        "{:?}",
        report.skipped
    );
    place.profiles.remove(report.profile_id.as_ref().unwrap()).unwrap();
    let insecure = COLLECTION.replace("https://api.scopestack.io", "http://api.example.test");
    let err = place.import(&insecure, &ImportOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains("nothing was imported") && err.to_string().contains("https://"),
        "{err}"
    );
    assert_eq!(place.profiles.list().len(), 2);
}

#[test]
fn an_exported_environment_imports_back_and_holds_the_token_only_when_asked() {
    let mut place = Place::new();
    let report = place.import(COLLECTION, &ImportOptions::default()).unwrap();
    let id = report.profile_id.unwrap();
    let profile = place.profiles.get(&id).unwrap().clone();
    let Environment::Server(endpoints) = &profile.environment else { panic!() };
    let vars = place.saved.variables(&id).unwrap();
    let token = Secret::new("current-token-to-export-123");
    let plain = environment::export(&profile, endpoints, &vars, None, 0);
    assert!(
        !plain.contains("current-token-to-export-123") && !plain.contains("\"accessToken\""),
        "{plain}"
    );
    let with_token = environment::export(&profile, endpoints, &vars, Some(&token), 0);
    let doc: serde_json::Value = serde_json::from_str(&with_token).unwrap();
    let entry =
        doc["values"].as_array().unwrap().iter().find(|v| v["key"] == "accessToken").unwrap();
    assert_eq!(
        (entry["value"].as_str(), entry["type"].as_str()),
        (Some("current-token-to-export-123"), Some("secret"))
    );

    let back = place.import(&plain, &ImportOptions::default()).unwrap();
    let p = place.profiles.get(back.profile_id.as_ref().unwrap()).unwrap();
    assert_eq!(
        (p.client_id.as_str(), p.scope.as_str()),
        (profile.client_id.as_str(), "read write")
    );
    assert_eq!(p.environment, profile.environment);
    assert_eq!(
        place
            .saved
            .variables(back.profile_id.as_ref().unwrap())
            .unwrap()
            .get("pageSize")
            .map(String::as_str),
        Some("5")
    );
}

#[tokio::test]
async fn an_imported_collection_gets_a_token_and_sends_its_saved_requests_on_the_sandbox() {
    let sb = sandbox().await;
    let env = serde_json::json!({
        "name": "Local sandbox",
        "values": [
            {"key": "baseUrl", "value": sb.base_url(), "enabled": true},
            {"key": "authHost", "value": sb.base_url(), "enabled": true},
            {"key": "clientId", "value": sandbox::SERVICE_CLIENT_ID, "enabled": true},
            {"key": "clientSecret", "value": sandbox::SERVICE_CLIENT_SECRET, "type": "secret", "enabled": true}
        ],
        "_postman_variable_scope": "environment"
    });
    let mut place = Place::new();
    let options = ImportOptions {
        keep_secrets: true,
        environment: Some(env.to_string()),
        ..ImportOptions::default()
    };
    let report = place.import(COLLECTION, &options).unwrap();
    let id = report.profile_id.unwrap();
    let profile = place.profiles.get(&id).unwrap().clone();
    let Environment::Server(endpoints) = profile.environment.clone() else { panic!() };
    assert_eq!(endpoints.token_url.as_str(), format!("{}/oauth/token", sb.base_url()));
    assert_eq!(profile.callback.mode, CallbackMode::Loopback);

    let engine = engine::session::Engine::new(
        Vault::session_only(),
        engine::http::client(Default::default()).unwrap(),
    );
    let secret = place
        .vault
        .get(&id, SecretKind::ClientSecret)
        .unwrap()
        .expect("the secret went to the vault");
    let target = Target { profile, endpoints };
    engine
        .obtain_direct(&target, &Credentials { client_secret: Some(secret), password: None })
        .await
        .expect("a token with the imported settings");

    let vars: HashMap<String, String> = place.saved.variables(&id).unwrap().into_iter().collect();
    let store = ExchangeStore::new();
    let saved = place.saved.list(&id).unwrap();
    for name in ["Who am I", "List projects"] {
        let request = saved.iter().find(|r| r.name == name).unwrap();
        let summary = requests::send(
            &engine,
            &target,
            &request.spec,
            &vars,
            &store,
            &CancellationToken::new(),
        )
        .await
        .unwrap();
        assert_eq!(summary.status, 200, "{name}: {}", summary.url);
        if name == "List projects" {
            assert!(
                summary.url.contains("page%5Bsize%5D=5") || summary.url.contains("page[size]=5"),
                "{}",
                summary.url
            );
        }
    }
    sb.shutdown().await;
}
