//! The IPC contract: the TypeScript of every command, its arguments, results and errors, the events' payloads and the constants both sides share, generated into `ui/src/generated/bindings.ts` by the test below (`scripts/test` fails when the committed file differs).

use crate::{auto_renew, commands};
#[cfg(test)]
use specta_typescript::Typescript;
use tauri_specta::{collect_commands, collect_events, Builder, ErrorHandlingMode};

/// Where the generated TypeScript goes (committed; the UI imports it through `api.ts`).
#[cfg(test)]
const BINDINGS: &str = "ui/src/generated/bindings.ts";

/// Every command the window may call (`lib.rs` registers them from here; `build.rs` grants them
/// to the main window, which a test in `commands` checks), the typed events the app emits
/// (`lib.rs` mounts them) and the shared constants.
pub fn builder() -> Builder<tauri::Wry> {
    let production = engine::profiles::scopestack_production();
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            commands::app_snapshot,
            commands::select_profile,
            commands::ready::ui_ready,
            commands::profiles::add_profile,
            commands::profiles::rename_profile,
            commands::profiles::duplicate_profile,
            commands::profiles::delete_profile,
            commands::profiles::update_profile,
            commands::profiles::export_profiles,
            commands::profiles::import_profiles,
            commands::tokens::profile_status,
            commands::tokens::get_token,
            commands::tokens::open_sign_in_url,
            commands::tokens::finish_pasted_sign_in,
            commands::tokens::cancel_sign_in,
            commands::tokens::renew_token,
            commands::tokens::confirm_kept_secrets,
            commands::tokens::revoke_token,
            commands::tokens::verify_token,
            commands::token_details::token_details,
            commands::doctor::check_connection,
            commands::tokens::set_auto_renew,
            commands::tokens::use_session_only_vault,
            commands::tokens::forget_sign_in_session,
            commands::tokens::callback_url,
            commands::clipboard::copy_token,
            commands::clipboard::reveal_token,
            commands::clipboard::copy_text,
            commands::requests::send_request,
            commands::requests::cancel_request,
            commands::requests::token_destination,
            commands::requests::read_body,
            commands::variables::profile_variables,
            commands::variables::set_profile_variables,
            commands::body_view::open_text_view,
            commands::body_view::cancel_text_view,
            commands::body_view::release_exchange,
            commands::body_view::text_lines,
            commands::body_view::text_search,
            commands::body_view::text_match,
            commands::body_view::text_fold_end,
            commands::requests::jq_filter,
            commands::requests::cancel_jq,
            commands::requests::jsonapi_view,
            commands::requests::copy_as_curl,
            commands::requests::import_curl,
            commands::requests::copy_body,
            commands::requests::save_body,
            commands::requests::history_list,
            commands::requests::history_clear,
            commands::requests::history_request,
            commands::interop::import_postman,
            commands::interop::export_postman_environment,
            commands::interop::export_support_bundle,
            commands::interop::open_support_bundle,
            commands::saved::saved_requests,
            commands::saved::saved_folders,
            commands::saved::save_request,
            commands::saved::update_saved_request,
            commands::saved::rename_saved_request,
            commands::saved::move_saved_request,
            commands::saved::duplicate_saved_request,
            commands::saved::delete_saved_request,
            commands::catalogue::api_catalogue,
            commands::catalogue::api_path_completions,
            commands::catalogue::api_query_parameters,
            commands::catalogue::api_body_skeleton,
            commands::catalogue::load_api_description,
        ])
        .events(collect_events![
            commands::tokens::TokenProgress,
            auto_renew::TokenRenewed,
            commands::requests::RequestProgress,
            commands::body_view::BodyProgress,
            commands::interop::ImportProgress
        ])
        .error_handling(ErrorHandlingMode::Throw)
        .dangerously_cast_bigints_to_number()
        .constant("SHOW_WITHOUT_ASKING", commands::requests::SHOW_WITHOUT_ASKING)
        .constant("JSON_API", engine::http_answer::JSON_API)
        .constant("RESENT_NOTE", engine::requests::send::RESENT_NOTE)
        .constant("DEFAULT_CALLBACK", engine::profiles::DEFAULT_CALLBACK)
        .constant("DEFAULT_SCOPE", engine::profiles::DEFAULT_SCOPE)
        .constant(
            "PRODUCTION_ENDPOINTS",
            production.environment.endpoints(None).expect("the production profile has its URLs"),
        )
}

/// The generated file's text.
#[cfg(test)]
fn typescript() -> Typescript {
    Typescript::default().header("// Generated by src-tauri/bindings.rs (cargo test -p scopestack-companion --lib bindings): do not edit.")
}

#[cfg(test)]
mod tests {
    /// Writes the bindings; `scripts/test` then fails if the committed file changed.
    #[test]
    fn export_bindings() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(super::BINDINGS);
        super::builder().export(super::typescript(), &path).expect("the bindings export");
        let text = std::fs::read_to_string(&path).expect("the bindings were written");
        assert!(
            text.contains("\"send_request\"") && text.contains("export type CommandError"),
            "{text}"
        );
    }
}
