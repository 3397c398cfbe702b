//! Postman import and support bundles in the real window: "Import from Postman…" with a made-up
//! collection answered in the native file dialog shows the import report, the new profile and
//! its saved requests (one loads into the editor); "Support bundle…" writes a bundle without
//! the session's secrets; "Open support bundle…" brings it back as a new profile.

use e2e::dialogs::{answer_dialog, fresh_home as home};
use e2e::AppSession;
use std::path::PathBuf;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// The chosen profile's name, in the profile switcher.
const CHOSEN: &str = "[data-testid=profile-switcher] .switcher-name";

/// The shown request tab's address field.
const URL: &str = ".request-tabpanel:not([hidden]) input[name=request_url]";

/// The saved requests in the Requests view's pane, each as "FOLDER / NAME" (or "NAME").
const SAVED_LIST: &str = "return [...document.querySelectorAll('[data-testid=saved-requests] [data-saved-request]')].map((b) => { const f = b.closest('.pane-folder').querySelector('.folder-name'); return (f ? f.textContent + ' / ' : '') + b.dataset.savedRequest; });";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/postman")
        .join(name)
        .canonicalize()
        .expect("the fixture exists")
}

#[tokio::test]
async fn a_postman_collection_becomes_a_profile_with_saved_requests() {
    let dir = home("postman");
    let app = AppSession::launch(&dir).await.unwrap();
    app.click_on("[data-testid=app-menu]", WAIT).await.unwrap();
    app.click_on("[data-testid=import-postman]", WAIT).await.unwrap();
    app.click_on("dialog[open] [data-testid=postman-choose-file]", WAIT).await.unwrap();
    answer_dialog(
        "Import from Postman",
        "ctrl+l",
        &fixture("acme-scopestack.postman_collection.json").to_string_lossy(),
    )
    .await;

    let report = app
        .wait_for_text("[data-testid=import-report]", "Acme ScopeStack API", WAIT)
        .await
        .unwrap();
    for expected in [
        "6 saved requests",
        "What became what",
        "client secret in the file was not kept",
        "pre-request script",
        "Not imported",
    ] {
        assert!(report.contains(expected), "the report says {expected}: {report}");
    }
    app.screenshot("postman-import-report").await.unwrap();
    app.click_on("dialog[open] [data-testid=import-report-close]", WAIT).await.unwrap();
    app.wait_gone("[data-testid=import-report]", WAIT).await.unwrap();

    app.wait_for_text(CHOSEN, "Acme ScopeStack API", WAIT).await.unwrap();
    app.click_on("[data-testid=profile-switcher]", WAIT).await.unwrap();
    app.wait_for_text(
        ".profile-switcher [role=menuitemradio][aria-checked=true]",
        "api.scopestack.io",
        WAIT,
    )
    .await
    .unwrap();
    app.close_menu(WAIT).await.unwrap();
    app.click_on("[data-testid=view-requests]", WAIT).await.unwrap();
    app.wait_for_count("[data-testid=saved-requests] [data-saved-request]", 6, WAIT).await.unwrap();
    let saved = app.execute(SAVED_LIST).await.unwrap();
    let saved: Vec<&str> =
        saved.as_array().unwrap().iter().map(|v| v.as_str().unwrap_or_default()).collect();
    let saved = saved.join("\n");
    assert!(
        saved.contains("Projects / Drafts / Create project") && saved.contains("List clients"),
        "{saved}"
    );
    app.click_on("[data-saved-request='List projects']", WAIT).await.unwrap();
    app.wait_for_content(".request-tab.chosen", "List projects", WAIT).await.unwrap();
    let url = app.execute(&format!("return document.querySelector({URL:?}).value")).await.unwrap();
    assert_eq!(
        url.as_str(),
        Some("/{account-slug}/v1/projects?include=client&page[size]={{pageSize}}"),
        "{url}"
    );
    app.screenshot("postman-saved-requests").await.unwrap();

    let profiles = std::fs::read_to_string(dir.join("profiles.json")).unwrap();
    assert!(
        profiles.contains("acme-fixture-client") && !profiles.contains("fixture-client-secret-42"),
        "{profiles}"
    );
    app.close().await;
}

#[tokio::test]
async fn a_support_bundle_is_written_without_secrets_and_opens_as_a_new_profile() {
    let dir = home("bundle");
    let bundle = dir.join("sandbox-support-bundle.json");
    let app = AppSession::launch(&dir).await.unwrap();
    // A session on the Sandbox profile: a token, and a request that fails.
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    app.fill(URL, "/v1/nothing-here", WAIT).await.unwrap();
    app.click_on(".request-tabpanel:not([hidden]) [data-testid=send]", WAIT).await.unwrap();
    app.wait_for_count("[data-testid=history] .history-item", 1, WAIT).await.unwrap();
    app.wait_for_content("[data-testid=history]", "/v1/nothing-here", WAIT).await.unwrap();

    app.click_on("[data-testid=profile-menu]", WAIT).await.unwrap();
    app.click_on("[data-testid=support-bundle]", WAIT).await.unwrap();
    answer_dialog("Save support bundle", "ctrl+a", &bundle.to_string_lossy()).await;
    app.wait_for_text("[data-testid=interop-note]", "every secret removed", WAIT).await.unwrap();
    let text = std::fs::read_to_string(&bundle).expect("the bundle was written");
    assert!(
        text.contains("scopestack-companion-support-bundle") && text.contains("/v1/nothing-here"),
        "{text}"
    );
    assert!(text.contains("\"diagnosis\""), "the failed exchange carries its diagnosis: {text}");
    assert!(
        !text.contains("demo-service-secret") && !text.contains("eyJ"),
        "no secret or token in the bundle"
    );

    app.click_on("[data-testid=app-menu]", WAIT).await.unwrap();
    app.click_on("[data-testid=open-support-bundle]", WAIT).await.unwrap();
    answer_dialog("Open support bundle", "ctrl+l", &bundle.to_string_lossy()).await;
    let report = app
        .wait_for_text("[data-testid=bundle-report]", "Sandbox (from support bundle)", WAIT)
        .await
        .unwrap();
    assert!(report.contains("/v1/nothing-here") && report.contains("404"), "{report}");
    app.screenshot("support-bundle-opened").await.unwrap();
    app.click_on("dialog[open] [data-testid=bundle-report-close]", WAIT).await.unwrap();
    app.wait_for_text(CHOSEN, "Sandbox (from support bundle)", WAIT).await.unwrap();
    app.click_on("[data-testid=view-requests]", WAIT).await.unwrap();
    app.wait_for_count("[data-testid=history] .history-item", 1, WAIT).await.unwrap();
    app.wait_for_content("[data-testid=history]", "/v1/nothing-here", WAIT).await.unwrap();
    app.close().await;
}
