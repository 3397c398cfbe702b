//! Managing profiles in the real window: add, rename, duplicate, delete (confirmed), export and
//! import through the system's file dialogs (typed into like a person would), and the window
//! size remembered across launches.

use e2e::dialogs::{answer_dialog, fresh_home as home};
use e2e::AppSession;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// The chosen profile's name, in the profile switcher.
const CHOSEN: &str = "[data-testid=profile-switcher] .switcher-name";

/// Adds a profile through the switcher's "New profile…" and its name dialog.
async fn add_profile(app: &AppSession, name: &str) {
    app.click_on("[data-testid=profile-switcher]", WAIT).await.unwrap();
    app.click_on("[data-testid=new-profile]", WAIT).await.unwrap();
    app.type_into("dialog[open] [data-testid=name-input]", name, WAIT).await.unwrap();
    app.click_on("dialog[open] [data-testid=name-submit]", WAIT).await.unwrap();
}

/// Opens the profile switcher, waits until its list holds `expected`, closes it again and
/// returns the list's text.
async fn profile_list(app: &AppSession, expected: &str) -> String {
    app.click_on("[data-testid=profile-switcher]", WAIT).await.unwrap();
    let list = app.wait_for_text(".profile-switcher [role=menu]", expected, WAIT).await.unwrap();
    app.close_menu(WAIT).await.unwrap();
    list
}

/// Opens the profile switcher, waits until the chosen (checked) profile reads `expected`, and
/// closes it again.
async fn chosen_in_list(app: &AppSession, expected: &str) {
    app.click_on("[data-testid=profile-switcher]", WAIT).await.unwrap();
    app.wait_for_text(".profile-switcher [role=menuitemradio][aria-checked=true]", expected, WAIT)
        .await
        .unwrap();
    app.close_menu(WAIT).await.unwrap();
}

#[tokio::test]
async fn add_rename_duplicate_and_delete_a_profile() {
    let app = AppSession::launch(&home("manage")).await.unwrap();
    add_profile(&app, "Acme").await;
    app.wait_for_text(CHOSEN, "Acme", WAIT).await.unwrap();
    chosen_in_list(&app, "api.scopestack.io").await;

    app.click_on("[data-testid=profile-menu]", WAIT).await.unwrap();
    app.click_on("[data-testid=rename-profile]", WAIT).await.unwrap();
    app.type_into("dialog[open] [data-testid=name-input]", "Acme production", WAIT).await.unwrap();
    app.click_on("dialog[open] [data-testid=name-submit]", WAIT).await.unwrap();
    chosen_in_list(&app, "Acme production").await;

    app.click_on("[data-testid=profile-menu]", WAIT).await.unwrap();
    app.click_on("[data-testid=duplicate-profile]", WAIT).await.unwrap();
    app.wait_for_text(CHOSEN, "Acme production copy", WAIT).await.unwrap();

    app.click_on("[data-testid=profile-menu]", WAIT).await.unwrap();
    app.click_on("[data-testid=delete-profile]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=delete-dialog][open]", "Delete “Acme production copy”", WAIT)
        .await
        .unwrap();
    app.click_on("dialog[open] [data-testid=confirm-delete]", WAIT).await.unwrap();
    app.wait_for_text(CHOSEN, "Sandbox", WAIT).await.unwrap();
    let list = profile_list(&app, "Acme production").await;
    assert!(!list.contains("copy"), "the copy is gone: {list}");
    // The built-in sandbox cannot be deleted.
    app.click_on("[data-testid=profile-menu]", WAIT).await.unwrap();
    app.wait_for("[data-testid=rename-profile]", WAIT).await.unwrap();
    app.wait_gone("[data-testid=delete-profile]", WAIT).await.unwrap();
    app.close_menu(WAIT).await.unwrap();
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

    app.click_on("[data-testid=app-menu]", WAIT).await.unwrap();
    app.click_on("[data-testid=export-profiles]", WAIT).await.unwrap();
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

    app.click_on("[data-testid=app-menu]", WAIT).await.unwrap();
    app.click_on("[data-testid=import-profiles]", WAIT).await.unwrap();
    answer_dialog("Import profiles", "ctrl+l", &export.to_string_lossy()).await;
    let note = app
        .wait_for_text("[data-testid=transfer-note]", "Imported 2 profiles", WAIT)
        .await
        .unwrap();
    assert!(
        note.contains("was Sandbox") && note.contains("was ScopeStack"),
        "names that clash are renamed: {note}"
    );
    profile_list(&app, "ScopeStack (2)").await;
    app.close().await;
}

/// The window's width and height, as WebDriver reports them.
async fn window_size(app: &AppSession) -> (Option<u64>, Option<u64>) {
    let rect = app.window_rect().await.unwrap();
    (rect["width"].as_u64(), rect["height"].as_u64())
}

#[tokio::test]
async fn the_window_size_is_remembered() {
    let dir = home("window");
    let app = AppSession::launch(&dir).await.unwrap();
    app.wait_for(CHOSEN, WAIT).await.unwrap();
    app.set_window_size(1000, 700).await.unwrap();
    assert_eq!(window_size(&app).await, (Some(1000), Some(700)), "resized");
    tokio::time::sleep(Duration::from_millis(800)).await;
    app.close().await;
    let app = AppSession::launch(&dir).await.unwrap();
    app.wait_for(CHOSEN, WAIT).await.unwrap();
    assert_eq!(window_size(&app).await, (Some(1000), Some(700)), "restored");
    app.close().await;
}

/// Two settings folders (`SCOPESTACK_COMPANION_HOME`: a portable copy, a test) keep their own
/// window size, even with one OS config folder between them.
#[tokio::test]
async fn each_settings_folder_keeps_its_own_window_size() {
    let (first, second, config) = (home("window-first"), home("window-second"), home("window-xdg"));
    let shared = [("XDG_CONFIG_HOME", config.to_str().unwrap())];
    let app = AppSession::launch_with(&first, &shared).await.unwrap();
    app.wait_for(CHOSEN, WAIT).await.unwrap();
    app.set_window_size(1000, 700).await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    app.close().await;
    assert!(first.join("window-state.json").is_file(), "kept in the settings folder");

    let app = AppSession::launch_with(&second, &shared).await.unwrap();
    app.wait_for(CHOSEN, WAIT).await.unwrap();
    assert_eq!(
        window_size(&app).await,
        (Some(1180), Some(780)),
        "the other folder's window opens at the default size"
    );
    app.close().await;
}

/// A profile the CLI adds while the window is open is neither lost nor hidden: the window's next
/// change (here adding a profile) takes the file in first, and shows both.
#[tokio::test]
async fn a_profile_the_cli_adds_meanwhile_is_kept_and_shown() {
    let app = AppSession::launch(&home("cli-meanwhile")).await.unwrap();
    app.wait_for_text(CHOSEN, "Sandbox", WAIT).await.unwrap();
    let out = std::process::Command::new(e2e::target_dir().join("debug/scopestack-cli"))
        .env("SCOPESTACK_COMPANION_HOME", &app.home)
        .args(["profiles", "add", "From the CLI", "--grant", "client-credentials"])
        .output()
        .expect("run scopestack-cli (built with the workspace)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    add_profile(&app, "Acme").await;
    app.wait_for_text(CHOSEN, "Acme", WAIT).await.unwrap();
    let list = profile_list(&app, "From the CLI").await;
    assert!(list.contains("Acme"), "{list}");
    let saved = std::fs::read_to_string(app.home.join("profiles.json")).unwrap();
    assert!(
        saved.contains("\"From the CLI\"") && saved.contains("\"Acme\""),
        "both are in the file: {saved}"
    );
    app.close().await;
}
