//! Managing profiles in the real window: add, rename, duplicate, delete (confirmed), export and
//! import through the system's file dialogs (typed into like a person would), and the window
//! size remembered across launches.

use e2e::dialogs::{answer_dialog, fresh_home as home};
use e2e::AppSession;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn add_rename_duplicate_and_delete_a_profile() {
    let app = AppSession::launch(&home("manage")).await.unwrap();
    app.click_on(".new-profile-button", WAIT).await.unwrap();
    app.type_into("input[aria-label='New profile name']", "Acme", WAIT).await.unwrap();
    app.click_on(".new-profile button[type=submit]", WAIT).await.unwrap();
    app.wait_for_text(".profile-header h1", "Acme", WAIT).await.unwrap();
    app.wait_for_text(".profile-item[aria-current='true']", "api.scopestack.io", WAIT)
        .await
        .unwrap();

    app.click_on(".header-actions button:first-child", WAIT).await.unwrap();
    app.type_into("input[aria-label='Profile name']", "Acme production", WAIT).await.unwrap();
    app.click_on(".rename button[type=submit]", WAIT).await.unwrap();
    app.wait_for_text(".profile-item[aria-current='true']", "Acme production", WAIT).await.unwrap();

    app.click_on(".header-actions button:nth-child(2)", WAIT).await.unwrap();
    app.wait_for_text(".profile-header h1", "Acme production copy", WAIT).await.unwrap();

    app.click_on(".header-actions .danger-outline", WAIT).await.unwrap();
    app.wait_for_text(".confirm", "Delete “Acme production copy”", WAIT).await.unwrap();
    app.click_on("[data-testid=confirm-delete]", WAIT).await.unwrap();
    app.wait_for_text(".profile-header h1", "Sandbox", WAIT).await.unwrap();
    let list = app.wait_for_text(".profile-list", "Acme production", WAIT).await.unwrap();
    assert!(!list.contains("copy"), "the copy is gone: {list}");
    // The built-in sandbox cannot be deleted.
    app.wait_gone(".header-actions .danger-outline", WAIT).await.unwrap();
    let saved = std::fs::read_to_string(app.home.join("profiles.json")).unwrap();
    assert!(
        saved.contains("Acme production") && !saved.contains("Acme production copy"),
        "{saved}"
    );
    app.close().await;
}

#[tokio::test]
async fn profiles_export_without_secrets_and_import_back() {
    let dir = home("transfer");
    let export = dir.join("exported-profiles.json");
    let app = AppSession::launch(&dir).await.unwrap();
    // Keep a secret in the keychain first, to prove the export does not carry it.
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();

    app.click_on(".transfer button:nth-child(2)", WAIT).await.unwrap();
    answer_dialog("Export profiles", "ctrl+a", &export.to_string_lossy()).await;
    app.wait_for_text("[data-testid=transfer-note]", "Exported to", WAIT).await.unwrap();
    let text = std::fs::read_to_string(&export).expect("the export was written");
    assert!(
        text.contains("scopestack-companion-profiles") && text.contains("ScopeStack"),
        "{text}"
    );
    assert!(
        !text.contains("demo-service-secret") && !text.contains("eyJ"),
        "no secret or token in the export"
    );

    app.click_on(".transfer button:nth-child(1)", WAIT).await.unwrap();
    answer_dialog("Import profiles", "ctrl+l", &export.to_string_lossy()).await;
    let note = app
        .wait_for_text("[data-testid=transfer-note]", "Imported 2 profiles", WAIT)
        .await
        .unwrap();
    assert!(
        note.contains("was Sandbox") && note.contains("was ScopeStack"),
        "names that clash are renamed: {note}"
    );
    app.wait_for_text(".profile-list", "ScopeStack (2)", WAIT).await.unwrap();
    app.close().await;
}

#[tokio::test]
async fn the_window_size_is_remembered() {
    let dir = home("window");
    let app = AppSession::launch(&dir).await.unwrap();
    app.wait_for(".profile-item", WAIT).await.unwrap();
    app.set_window_size(1000, 700).await.unwrap();
    let rect = app.window_rect().await.unwrap();
    assert_eq!(
        (rect["width"].as_u64(), rect["height"].as_u64()),
        (Some(1000), Some(700)),
        "resized: {rect}"
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    app.close().await;
    let app = AppSession::launch(&dir).await.unwrap();
    app.wait_for(".profile-item", WAIT).await.unwrap();
    let rect = app.window_rect().await.unwrap();
    assert_eq!(
        (rect["width"].as_u64(), rect["height"].as_u64()),
        (Some(1000), Some(700)),
        "{rect}"
    );
    app.close().await;
}

/// A profile the CLI adds while the window is open is neither lost nor hidden: the window's next
/// change (here adding a profile) takes the file in first, and shows both.
#[tokio::test]
async fn a_profile_the_cli_adds_meanwhile_is_kept_and_shown() {
    let app = AppSession::launch(&home("cli-meanwhile")).await.unwrap();
    app.wait_for_text(".profile-header h1", "Sandbox", WAIT).await.unwrap();
    let out = std::process::Command::new(e2e::target_dir().join("debug/scopestack-cli"))
        .env("SCOPESTACK_COMPANION_HOME", &app.home)
        .args(["profiles", "add", "From the CLI", "--grant", "client-credentials"])
        .output()
        .expect("run scopestack-cli (built with the workspace)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    app.click_on(".new-profile-button", WAIT).await.unwrap();
    app.type_into("input[aria-label='New profile name']", "Acme", WAIT).await.unwrap();
    app.click_on(".new-profile button[type=submit]", WAIT).await.unwrap();
    app.wait_for_text(".profile-header h1", "Acme", WAIT).await.unwrap();
    let list = app.wait_for_text(".profile-list", "From the CLI", WAIT).await.unwrap();
    assert!(list.contains("Acme"), "{list}");
    let saved = std::fs::read_to_string(app.home.join("profiles.json")).unwrap();
    assert!(
        saved.contains("\"From the CLI\"") && saved.contains("\"Acme\""),
        "both are in the file: {saved}"
    );
    app.close().await;
}
