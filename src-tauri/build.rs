//! Build script: embeds the built UI and declares the app's commands, so that each gets an
//! `allow-<command>` permission and is granted only where `capabilities/` says (the main window).

/// Every command registered in `lib.rs`'s `invoke_handler`. With this list, a window runs only the
/// commands a capability grants it; a command missing here is refused everywhere.
const APP_COMMANDS: &[&str] = &[
    "app_snapshot",
    "select_profile",
    "ui_ready",
    "add_profile",
    "rename_profile",
    "duplicate_profile",
    "delete_profile",
    "update_profile",
    "export_profiles",
    "import_profiles",
    "profile_status",
    "get_token",
    "open_sign_in_url",
    "finish_pasted_sign_in",
    "cancel_sign_in",
    "renew_token",
    "revoke_token",
    "verify_token",
    "token_details",
    "check_connection",
    "set_auto_renew",
    "use_session_only_vault",
    "forget_sign_in_session",
    "callback_url",
    "token_destination",
    "confirm_kept_secrets",
    "copy_token",
    "reveal_token",
    "copy_text",
    "send_request",
    "cancel_request",
    "read_body",
    "profile_variables",
    "set_profile_variables",
    "open_text_view",
    "cancel_text_view",
    "release_exchange",
    "text_lines",
    "text_search",
    "text_match",
    "text_fold_end",
    "jq_filter",
    "cancel_jq",
    "jsonapi_view",
    "copy_as_curl",
    "import_curl",
    "copy_body",
    "save_body",
    "history_list",
    "history_clear",
    "history_request",
    "import_postman",
    "export_postman_environment",
    "export_support_bundle",
    "open_support_bundle",
    "saved_requests",
    "saved_folders",
    "save_request",
    "update_saved_request",
    "rename_saved_request",
    "move_saved_request",
    "duplicate_saved_request",
    "delete_saved_request",
    "api_catalogue",
    "api_path_completions",
    "api_query_parameters",
    "api_body_skeleton",
    "load_api_description",
];

fn main() {
    // The built UI is embedded in the binary by `generate_context!`: rebuild when it changes.
    println!("cargo:rerun-if-changed=ui/dist");
    pack_relative_relocations();
    let manifest = tauri_build::AppManifest::new().commands(APP_COMMANDS);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        eprintln!("The app's build setup failed: {e:#}. Check tauri.conf.json and capabilities/.");
        std::process::exit(1);
    }
}

/// Release builds for Linux pack the binary's relative relocations (`-z pack-relative-relocs`,
/// DT_RELR): the dynamic loader then reads a table of about 10 KB at start instead of 1.4 MB, and
/// the app's idle memory is about 1.6 MB smaller. The binary then needs glibc 2.36 or later, so
/// it is done only where the build machine's glibc is that new (Debian 12, Ubuntu 24.04, Fedora
/// 37 and later): a package runs on the system it was built on, and newer ones, either way.
fn pack_relative_relocations() {
    let target = std::env::var("TARGET").unwrap_or_default();
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    if release && target.ends_with("-linux-gnu") && build_glibc_at_least(2, 36) {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Whether the build machine's glibc (`getconf GNU_LIBC_VERSION`: "glibc 2.36") is at least
/// `major.minor`; false when it cannot be told.
fn build_glibc_at_least(major: u32, minor: u32) -> bool {
    let Ok(out) = std::process::Command::new("getconf").arg("GNU_LIBC_VERSION").output() else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mut version = text.trim().trim_start_matches("glibc ").split('.');
    let number = |part: Option<&str>| part.and_then(|p| p.parse::<u32>().ok());
    match (number(version.next()), number(version.next())) {
        (Some(a), Some(b)) => (a, b) >= (major, minor),
        _ => false,
    }
}
