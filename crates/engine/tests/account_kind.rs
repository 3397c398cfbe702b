//! The production/test mark of a profile: the built-in defaults, the mark read from files written
//! before it existed (by its server), and the mark carried by duplicates, profile exports and
//! support bundles.

use engine::interop::support_bundle::{self, AppInfo, BundleInput, SecretsPresent};
use engine::profiles::{
    export_profiles, import_profiles, scopestack_production, ProfileStore, PROFILES_FILE,
};
use engine::requests::History;
use engine::{AccountKind, Endpoints, Environment, Profile, ProfileId};
use url::Url;

fn store() -> (tempfile::TempDir, ProfileStore) {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = ProfileStore::open(dir.path()).unwrap();
    (dir, store)
}

fn kind_of(store: &ProfileStore, name: &str) -> AccountKind {
    store.list().iter().find(|p| p.name == name).unwrap().account_kind
}

/// A profile on `base` (one origin for OAuth and the API) with the given mark.
fn on(base: &str, name: &str, kind: AccountKind) -> Profile {
    let mut p = scopestack_production();
    p.id = ProfileId::generate();
    p.name = name.into();
    p.environment = Environment::Server(Endpoints::for_base(&Url::parse(base).unwrap()).unwrap());
    p.account_kind = kind;
    p
}

#[test]
fn the_sandbox_is_test_and_scopestack_is_production() {
    let (dir, store) = store();
    assert_eq!(kind_of(&store, "Sandbox"), AccountKind::Test);
    assert_eq!(kind_of(&store, "ScopeStack"), AccountKind::Production);
    let text = std::fs::read_to_string(dir.path().join(PROFILES_FILE)).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["profiles"][0]["account_kind"], "test");
    assert_eq!(file["profiles"][1]["account_kind"], "production", "the mark is written: {text}");
}

/// A profiles.json as versions before the mark wrote it: no `account_kind` anywhere.
const OLD_FILE: &str = r#"{
  "version": 1,
  "profiles": [
    {"id": "sandbox", "name": "Sandbox", "environment": {"kind": "built_in_sandbox"},
     "method": "client_credentials", "client_id": "sandbox-service-account", "scope": "read write"},
    {"id": "scopestack", "name": "ScopeStack", "environment": {"kind": "server",
      "authorize_url": "https://app.scopestack.io/oauth/authorize",
      "token_url": "https://app.scopestack.io/oauth/token", "api_url": "https://api.scopestack.io"},
     "method": "browser_login", "scope": "read write"},
    {"id": "p-1", "name": "Staging", "environment": {"kind": "server",
      "authorize_url": "https://staging.example.com/oauth/authorize",
      "token_url": "https://staging.example.com/oauth/token", "api_url": "https://staging.example.com/"},
     "method": "password", "username": "robot@acme.example", "scope": "read"},
    {"id": "p-2", "name": "Local sandbox", "environment": {"kind": "server",
      "authorize_url": "http://127.0.0.1:4010/oauth/authorize",
      "token_url": "http://127.0.0.1:4010/oauth/token", "api_url": "http://127.0.0.1:4010/"},
     "method": "client_credentials", "scope": "read write"}
  ],
  "last_profile": "p-1"
}"#;

#[test]
fn an_old_file_loads_with_the_mark_of_each_server() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(PROFILES_FILE), OLD_FILE).unwrap();
    let (mut store, notice) = ProfileStore::open(dir.path()).unwrap();
    assert!(notice.is_none(), "the old file was read, not set aside: {notice:?}");
    assert_eq!(kind_of(&store, "Sandbox"), AccountKind::Test);
    assert_eq!(kind_of(&store, "ScopeStack"), AccountKind::Production);
    assert_eq!(kind_of(&store, "Staging"), AccountKind::Production, "any other host: production");
    assert_eq!(kind_of(&store, "Local sandbox"), AccountKind::Test, "this computer: test");
    assert_eq!(store.startup_profile().unwrap().name, "Staging");

    // The next change writes the marks; the user's own choice then stays, whatever the server.
    let mut local = store.get(&ProfileId::new("p-2")).unwrap().clone();
    local.account_kind = AccountKind::Production;
    store.update(local).unwrap();
    let text = std::fs::read_to_string(dir.path().join(PROFILES_FILE)).unwrap();
    assert_eq!(text.matches("\"account_kind\"").count(), 4, "{text}");
    let (reopened, _) = ProfileStore::open(dir.path()).unwrap();
    assert_eq!(kind_of(&reopened, "Local sandbox"), AccountKind::Production);
    assert_eq!(kind_of(&reopened, "Staging"), AccountKind::Production);
}

#[test]
fn a_mark_given_by_hand_is_kept_either_way() {
    let (dir, mut store) = store();
    store.add(on("https://api.acme.example", "Acme test copy", AccountKind::Test)).unwrap();
    store.add(on("http://127.0.0.1:4010", "Prod-like mock", AccountKind::Production)).unwrap();
    let (reopened, _) = ProfileStore::open(dir.path()).unwrap();
    assert_eq!(kind_of(&reopened, "Acme test copy"), AccountKind::Test);
    assert_eq!(kind_of(&reopened, "Prod-like mock"), AccountKind::Production);
}

#[test]
fn a_duplicate_keeps_the_mark() {
    let (_dir, mut store) = store();
    let p = on("http://127.0.0.1:4010", "Marked", AccountKind::Production);
    store.add(p.clone()).unwrap();
    let copy = store.duplicate(&p.id).unwrap();
    assert_eq!(copy.account_kind, AccountKind::Production);
    let sandbox_copy = store.duplicate(&ProfileId::new("sandbox")).unwrap();
    assert_eq!(sandbox_copy.account_kind, AccountKind::Test);
}

#[test]
fn an_export_carries_the_mark_and_an_old_export_gets_its_servers() {
    let (_dir, mut store) = store();
    let marked = on("http://127.0.0.1:4010", "Marked", AccountKind::Production);
    let text = export_profiles(std::slice::from_ref(&marked));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["profiles"][0]["account_kind"], "production");
    let imported = import_profiles(&mut store, &text).unwrap();
    assert_eq!(imported[0].profile.account_kind, AccountKind::Production);

    // An export from before the mark: its entries get the default of their server.
    let mut old: serde_json::Value = serde_json::from_str(&export_profiles(&[
        on("https://api.acme.example", "Old acme", AccountKind::Test),
        on("http://127.0.0.1:4010", "Old local", AccountKind::Production),
    ]))
    .unwrap();
    for entry in old["profiles"].as_array_mut().unwrap() {
        entry.as_object_mut().unwrap().remove("account_kind");
    }
    let imported = import_profiles(&mut store, &old.to_string()).unwrap();
    assert_eq!(imported[0].profile.account_kind, AccountKind::Production);
    assert_eq!(imported[1].profile.account_kind, AccountKind::Test);
}

fn bundle_of(profile: &Profile) -> String {
    support_bundle::build(BundleInput {
        profile: profile.clone(),
        history: Vec::new(),
        known_secrets: Vec::new(),
        secrets: SecretsPresent::default(),
        app: AppInfo { name: "ScopeStack Companion".into(), version: "test".into() },
        now_unix_ms: 0,
    })
    .unwrap()
}

#[test]
fn a_support_bundle_carries_the_mark_to_the_profile_it_opens_as() {
    let (dir, mut store) = store();
    let history = History::in_dir(dir.path().join("history"));
    let marked = on("http://127.0.0.1:4010", "Customer mock", AccountKind::Production);
    let text = bundle_of(&marked);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["profile"]["account_kind"], "production");
    let opened = support_bundle::import(&mut store, &history, &text).unwrap();
    assert_eq!(opened.profile.account_kind, AccountKind::Production);
    assert_eq!(store.get(&opened.profile.id).unwrap().account_kind, AccountKind::Production);

    // A bundle from before the mark opens with its server's default.
    let mut old: serde_json::Value = serde_json::from_str(&bundle_of(&on(
        "https://api.acme.example",
        "Acme",
        AccountKind::Test,
    )))
    .unwrap();
    old["profile"].as_object_mut().unwrap().remove("account_kind");
    let opened = support_bundle::import(&mut store, &history, &old.to_string()).unwrap();
    assert_eq!(opened.profile.account_kind, AccountKind::Production);
}
