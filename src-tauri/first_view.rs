//! The window's first snapshot on a protocol of its own, `first-view:`, which the page reads
//! synchronously before its first render (`ui/src/first-view.ts`).
//!
//! Why: WebKit paints its first frame once the page has parsed and its script has run. With the
//! snapshot asked for by command, that frame showed an empty page, and the first view waited for
//! the next one. Read synchronously, the snapshot is there when the script renders, and the first
//! frame WebKit paints is the first view.
//!
//! The protocol answers the main window only, and once: afterwards every snapshot comes by
//! command, with the command's checks. What it sends is what `app_snapshot` sends, no secret.

use std::sync::atomic::{AtomicBool, Ordering};
use tauri::http::{header, Response, StatusCode};

/// The protocol's name, as `ui/src/first-view.ts` asks for it (and the window's CSP allows it).
pub const SCHEME: &str = "first-view";

/// Whether the first snapshot has been sent.
static SENT: AtomicBool = AtomicBool::new(false);

/// Registers the protocol on the app being built.
pub fn register(builder: tauri::Builder<tauri::Wry>) -> tauri::Builder<tauri::Wry> {
    builder.register_asynchronous_uri_scheme_protocol(SCHEME, |ctx, request, responder| {
        if !is_first_ask(ctx.webview_label(), &SENT) {
            return responder.respond(plain(
                StatusCode::GONE,
                "The first snapshot was already sent: ask with the app_snapshot command.",
            ));
        }
        // The page's origin (tauri://localhost, or http://tauri.localhost on Windows) is another
        // origin than the protocol's: the answer names it, so the page may read it.
        let origin = request.headers().get(header::ORIGIN).cloned();
        let app = ctx.app_handle().clone();
        tauri::async_runtime::spawn(async move {
            let state = crate::started(&app).await;
            // A failure is left to the command, which the page then calls, and which explains it.
            let json =
                crate::commands::snapshot(&state).ok().and_then(|s| serde_json::to_vec(&s).ok());
            responder.respond(match json {
                Some(json) => origin
                    .into_iter()
                    .fold(Response::builder(), |answer, origin| {
                        answer.header(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                    })
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::CACHE_CONTROL, "no-store")
                    .body(json)
                    .unwrap_or_default(),
                None => {
                    plain(StatusCode::INTERNAL_SERVER_ERROR, "Ask with the app_snapshot command.")
                }
            });
        });
    })
}

/// Whether a request from the webview `label` gets the snapshot: the main window's first ask.
fn is_first_ask(label: &str, sent: &AtomicBool) -> bool {
    label == "main" && !sent.swap(true, Ordering::SeqCst)
}

fn plain(status: StatusCode, text: &str) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(text.as_bytes().to_vec())
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
