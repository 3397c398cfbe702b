//! The window's first snapshot on a protocol of its own, `first-view:`, loaded by a script in the
//! head of `ui/index.html` (`first-view://localhost/snapshot.js`) and read by `ui/src/first-view.ts`.
//!
//! Why: WebKit paints its first frame once the page has parsed and nothing more is loading. With
//! the snapshot asked for by command, after the page's script had started, that frame showed an
//! empty page, and the first view waited for the next one. A script in the head holds the parser
//! until the snapshot is in the page, so the page's script renders the view before it ends, and
//! the first frame WebKit paints is the view. (A synchronous request from the page's script, tried
//! first, let WebKit paint while it waited.)
//!
//! The protocol answers the main window only, and once: afterwards every snapshot comes by
//! command, with the command's checks. What it sends is what `app_snapshot` sends, no secret.

use std::sync::atomic::{AtomicBool, Ordering};
use tauri::http::{header, Response, StatusCode};

/// The protocol's name, as `ui/index.html` loads it (and the window's CSP allows it).
pub const SCHEME: &str = "first-view";

/// Whether the first snapshot has been sent.
static SENT: AtomicBool = AtomicBool::new(false);

/// Registers the protocol on the app being built.
pub fn register(builder: tauri::Builder<tauri::Wry>) -> tauri::Builder<tauri::Wry> {
    // A classic script is loaded without CORS, so the answers name no origin.
    builder.register_asynchronous_uri_scheme_protocol(SCHEME, |ctx, _request, responder| {
        if !is_first_ask(ctx.webview_label(), &SENT) {
            let gone = "The first snapshot was already sent: ask with the app_snapshot command.";
            return responder.respond(answer(StatusCode::GONE, TEXT, gone.into()));
        }
        let app = ctx.app_handle().clone();
        tauri::async_runtime::spawn(async move {
            let state = crate::started(&app).await;
            // A failure is left to the command, which the page then calls, and which explains it.
            let json =
                crate::commands::snapshot(&state).ok().and_then(|s| serde_json::to_string(&s).ok());
            responder.respond(match json {
                Some(json) => answer(StatusCode::OK, SCRIPT, script_setting(&json)),
                None => {
                    let failed = "Ask with the app_snapshot command.";
                    answer(StatusCode::INTERNAL_SERVER_ERROR, TEXT, failed.into())
                }
            });
        });
    })
}

const TEXT: &str = "text/plain";
const SCRIPT: &str = "text/javascript";

/// The script that puts the snapshot in the page, where `ui/src/first-view.ts` reads it. JSON is
/// a JavaScript expression (U+2028 and U+2029 in strings too, since ES2019).
fn script_setting(json: &str) -> Vec<u8> {
    format!("window.__SCOPESTACK_FIRST_SNAPSHOT__ = {json};\n").into_bytes()
}

/// Whether a request from the webview `label` gets the snapshot: the main window's first ask.
fn is_first_ask(label: &str, sent: &AtomicBool) -> bool {
    label == "main" && !sent.swap(true, Ordering::SeqCst)
}

fn answer(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .body(body)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_window_gets_the_snapshot_once_and_no_other_webview_ever() {
        let sent = AtomicBool::new(false);
        assert!(!is_first_ask("sign-in", &sent), "a sign-in window showing another site");
        assert!(is_first_ask("main", &sent), "the main window's first ask");
        assert!(!is_first_ask("main", &sent), "a second ask, even from the main window");
        assert!(!is_first_ask("sign-in", &sent));
    }
}
