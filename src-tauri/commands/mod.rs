//! The calls the web UI may make. Each is a few lines over the engine; no logic lives here.
//!
//! - this file: the window's snapshot and switching profiles;
//! - [`profiles`]: add, rename, duplicate, delete, edit, export, import;
//! - [`tokens`]: get a new token, cancel, renew, revoke, verify, status;
//! - [`token_details`]: what the token's server tells about it (`/oauth/token/info`);
//! - [`clipboard`]: copy and reveal the token;
//! - [`requests`]: the request tester;
//! - [`interop`]: Postman import/export, support bundles;
//! - [`saved`]: a profile's saved requests (save, save over, rename, move, duplicate, delete);
//! - [`variables`]: a profile's variables for the request tester;
//! - [`body_view`]: the response body viewer (lines and search of large bodies);
//! - [`ready`]: the window's "first view is on screen" signal;
//! - [`doctor`]: the connection check (Test connection);
//! - [`catalogue`]: the API catalogue: path completions, query parameters, body skeletons, the API's description.
//!
//! # What each command checks
//!
//! Nothing from the webview reaches a URL, a file path or the keychain unchecked. The limits
//! and checks are the engine's, shared with the CLI ([`engine::limits`]), beside the profile id
//! checks of [`crate::validate`]; every refusal is `CommandError::Input` saying what to change.
//! "known id": the shape of the app's ids (≤ 64 ASCII letters, digits, `-`, `_`) *and* a
//! profile of that id exists — keychain entries, history files and sign-in cookie folders are
//! only ever named from such an id. No command takes a path: files are chosen in native dialogs.
//!
//! | Command | Arguments and checks |
//! |---|---|
//! | `app_snapshot`, `use_session_only_vault` | none taken |
//! | `select_profile` | `id`: known id |
//! | `add_profile` | `name`: trimmed, not empty, one line, ≤ 100 characters |
//! | `rename_profile` | `id`: known id; `name`: as `add_profile` (and free, by the store) |
//! | `duplicate_profile` | `id`: known id (the copy's name is kept ≤ 100 characters) |
//! | `delete_profile` | `id`: known id, not the built-in sandbox, before the keychain is touched |
//! | `update_profile` | `id`: known id; client ID ≤ 256, user name ≤ 320, scope ≤ 1024 characters, one line each; callback and the three URLs ≤ 2048, parsed, `https://` or loopback `http://`; method, client auth, callback mode: typed enums |
//! | `export_profiles`, `import_profiles` | none: the file comes from the native dialog; imports ≤ 5 MB, all or nothing |
//! | `profile_status`, `renew_token`, `revoke_token`, `verify_token`, `callback_url`, `set_auto_renew`, `confirm_kept_secrets` | `id`: known id |
//! | `token_details` | `id`: known id; the token goes only to its token URL's origin (`/oauth/token/info`), https or loopback |
//! | `get_token` | `id`: known id; client secret and password ≤ 4096 bytes, no line break or NUL, before the keychain is written |
//! | `open_sign_in_url` | `id`: known id; the address is the engine's own sign-in URL (https or loopback only) |
//! | `finish_pasted_sign_in` | `id`: known id; `url`: ≤ 16 KiB, one line, an address, its code and state checked *before* the waiting sign-in is used (a wrong paste keeps it); secrets as `get_token` |
//! | `cancel_sign_in`, `cancel_request` | `id`: the shape only (a profile deleted a moment ago may still have work to stop) |
//! | `forget_sign_in_session` | `id`: known id (an empty id would otherwise name the folder of every profile's cookies) |
//! | `copy_token`, `reveal_token` | `id`: known id |
//! | `copy_text` | `text`: ≤ 64 KiB characters |
//! | `send_request` | `id`: known id; method letters only, ≤ 16; URL ≤ 8 KiB; ≤ 200 query pairs of ≤ 8 KiB; ≤ 100 headers, names ≤ 256, values ≤ 8 KiB; body ≤ 16 MB; timeout 1 ms – 10 min; the engine then sends the token to the profile's API origin only (unless `send_token_to_other_host`), and only over `https://` or to loopback, after variables and at every redirect |
//! | `token_destination` | as `send_request`, nothing sent |
//! | `jq_filter` | exchange id (unknown ids: the store's "no longer kept"); filter ≤ 16 KiB characters; it runs at most 10 s |
//! | `cancel_jq` | exchange id: any number (nothing running there, nothing to stop) |
//! | `jsonapi_view`, `copy_body` | exchange id, as above |
//! | `save_body` | exchange id; the file comes from the native dialog |
//! | `import_postman`, `open_support_bundle` | two booleans; the files come from native dialogs, ≤ 50 MB (Postman) or 20 MB (bundle), all or nothing |
//! | `export_postman_environment` | `id`: known id; `include_token`: a boolean the user ticked; the file from the native dialog |
//! | `export_support_bundle` | `id`: known id; the file from the native dialog |
//! | `saved_requests`, `saved_folders` | `id`: known id |
//! | `save_request` | `id`: known id; `name`: trimmed, not empty, one line, ≤ 200 characters; `folder`: ≤ 32 folders, each named as `name`; `spec`: as `send_request`; secret headers, parameters and body fields are left out before the file is written |
//! | `update_saved_request` | `id`: known id; `request`: the engine's id shape (hex and `-`, ≤ 40) and saved; `spec`: as `save_request` |
//! | `rename_saved_request` | `id`: known id; `request`: as `update_saved_request`; `name`: as `save_request` |
//! | `move_saved_request` | `id`: known id; `request`: as `update_saved_request`; `folder`: as `save_request` (empty: the top level) |
//! | `duplicate_saved_request`, `delete_saved_request` | `id`: known id; `request`: as `update_saved_request` |
//! | `copy_as_curl` | `id`: known id; exchange id |
//! | `import_curl` | `text`: ≤ 1 MiB characters; the engine refuses options that read files or send passwords |
//! | `profile_variables` | `id`: known id |
//! | `set_profile_variables` | `id`: known id; ≤ 200 variables, names of letters, digits, `-` `_` `.` (≤ 100), values ≤ 8 KiB; secret-looking names are left out |
//! | `history_list`, `history_clear` | `id`: known id |
//! | `history_request` | `id`: known id; `entry`: ≤ 40 hex digits and `-` |
//! | `api_catalogue`, `load_api_description` | `id`: known id; the description is fetched from the profile's own API root, https or loopback only, without the token, ≤ 16 MB |
//! | `check_connection` | `id`: known id; nothing secret is sent, only to the profile's own token and API URLs |
//! | `api_path_completions`, `api_query_parameters`, `api_body_skeleton` | `id`: known id; text ≤ 8 KiB; unknown types and methods without a body are input errors |
//!
//! `read_body` and the body viewer's commands (`body_view`) take an exchange id and offsets,
//! which the store bounds; `text_lines` reads at most 2,000 lines, searches are 1–1,000 bytes.

pub mod body_view;
pub mod catalogue;
pub mod clipboard;
pub mod doctor;
pub mod interop;
pub mod profiles;
pub mod ready;
pub mod requests;
pub mod saved;
pub mod token_details;
pub mod tokens;
pub mod variables;

use crate::error::CommandError;
use crate::state::{AppState, ProfileView, SandboxStatus};
use crate::validate;
use engine::ProfileId;
use serde::Serialize;
use tauri::State;

/// Everything the window shows on start and after a change of profiles.
#[derive(Serialize, specta::Type)]
pub struct AppSnapshot {
    profiles: Vec<ProfileView>,
    selected: Option<ProfileId>,
    sandbox: SandboxStatus,
    demo: sandbox::DemoData,
    notice: Option<String>,
    vault_mode: engine::vault::VaultMode,
}

pub fn snapshot(state: &AppState) -> Result<AppSnapshot, CommandError> {
    let (store, file_problem) = state.store_and_file_problem()?;
    let base = state.sandbox_base();
    let notices: Vec<String> = state.notice.iter().cloned().chain(file_problem).collect();
    let notice = (!notices.is_empty()).then(|| notices.join(" "));
    Ok(AppSnapshot {
        profiles: store.list().iter().map(|p| ProfileView::new(p, base)).collect(),
        selected: store.startup_profile().map(|p| p.id.clone()),
        sandbox: state.sandbox.clone(),
        demo: sandbox::demo_data(),
        notice,
        vault_mode: state.engine.vault.mode(),
    })
}

/// The window's first command: it may come before the app's state has started (which begins once
/// the window is made), and then waits for it.
#[tauri::command]
#[specta::specta]
pub async fn app_snapshot(app: tauri::AppHandle) -> Result<AppSnapshot, CommandError> {
    static FIRST: std::sync::Once = std::sync::Once::new();
    FIRST.call_once(|| crate::launch_phase("snapshot"));
    let state = crate::started(&app).await;
    snapshot(&state)
}

/// Switches to a profile and remembers it for the next launch.
#[tauri::command]
#[specta::specta]
pub fn select_profile(id: String, state: State<'_, AppState>) -> Result<AppSnapshot, CommandError> {
    let id = validate::profile(&state, &id)?;
    state.store()?.set_last_profile(&id)?;
    snapshot(&state)
}

/// The commands registered (`bindings.rs`' list, which `lib.rs` hands to Tauri) are the ones `build.rs` declares, and each is granted to
/// the main window and to no other: a command left out would be refused in the window, and a
/// capability for other windows would let the sign-in window's pages run commands.
#[cfg(test)]
mod grants {
    const BINDINGS: &str = include_str!("../bindings.rs");
    const BUILD: &str = include_str!("../build.rs");
    const CAPABILITIES: &str = include_str!("../../capabilities/main.json");

    /// The last path segment of each entry of the bindings' `collect_commands![…]`, which
    /// `lib.rs` registers.
    fn registered() -> Vec<String> {
        let start = BINDINGS
            .find("collect_commands![")
            .expect("bindings.rs lists the commands with collect_commands!");
        let body = &BINDINGS[start + "collect_commands![".len()..];
        let body = &body[..body.find(']').expect("collect_commands! is closed")];
        body.split(',')
            .map(|entry| entry.trim())
            .filter(|e| !e.is_empty())
            .map(|e| e.rsplit("::").next().unwrap_or(e).to_string())
            .collect()
    }

    /// The quoted names of build.rs's `APP_COMMANDS`.
    fn declared() -> Vec<String> {
        let start = BUILD.find("const APP_COMMANDS").expect("build.rs declares APP_COMMANDS");
        let body = &BUILD[start..];
        let body = &body[body.find("= &[").expect("a list") + 4..body.find("];").expect("closed")];
        body.split(',')
            .map(|e| e.trim().trim_matches('"').to_string())
            .filter(|e| !e.is_empty())
            .collect()
    }

    #[test]
    fn every_registered_command_is_declared_and_granted_to_the_main_window_only() {
        let capability: serde_json::Value =
            serde_json::from_str(CAPABILITIES).expect("capabilities/main.json is JSON");
        assert_eq!(
            capability["windows"],
            serde_json::json!(["main"]),
            "granted to the main window only"
        );
        assert!(
            capability.get("webviews").is_none() && capability.get("remote").is_none(),
            "no other webview, no remote page"
        );
        let granted: Vec<&str> = capability["permissions"]
            .as_array()
            .expect("a permission list")
            .iter()
            .filter_map(|p| p.as_str())
            .collect();
        let registered = registered();
        let declared = declared();
        assert!(registered.len() > 40, "read the handler list: {registered:?}");
        for command in &registered {
            assert!(declared.contains(command), "{command} is registered in lib.rs but not declared in build.rs's APP_COMMANDS: the window could not run it");
            let permission = format!("allow-{}", command.replace('_', "-"));
            assert!(
                granted.contains(&permission.as_str()),
                "{command} is not granted in capabilities/main.json (add \"{permission}\")"
            );
        }
        for permission in &granted {
            let known = permission
                .strip_prefix("allow-")
                .is_some_and(|c| declared.contains(&c.replace('-', "_")));
            assert!(
                known || *permission == "core:event:default",
                "{permission} is granted but is not one of the app's commands"
            );
        }
    }
}
