//! Request tester commands: send (with the profile's token), cancel, read the body in chunks
//! (raw or pretty-printed in Rust, never on the UI thread), jq, the JSON:API view, curl, history.

use crate::error::CommandError;
use crate::file_dialogs;
use crate::state::AppState;
use crate::validate;
use engine::diagnose::{Context, Diagnosis};
use engine::limits;
use engine::requests::jq::JqStop;
use engine::requests::store::{BodyChunk, MAX_CHUNK};
use engine::requests::{
    self, ExchangeId, ExchangeSummary, History, HistoryEntry, JqLimits, JqOutput, JsonApiView,
    RequestSpec, TextMode,
};
use engine::{EngineError, ProfileId};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_specta::Event;
use tokio_util::sync::CancellationToken;

/// Bodies up to this size are read and shown without asking.
pub const SHOW_WITHOUT_ASKING: u64 = 10 * 1024 * 1024;

fn history(state: &AppState) -> Result<&History, CommandError> {
    state.history.as_ref().map_err(|e| CommandError::Local(e.clone()))
}

/// An exchange, and the engine's diagnosis when the answer is a failure.
#[derive(Serialize, specta::Type)]
pub struct SentExchange {
    #[serde(flatten)]
    summary: ExchangeSummary,
    diagnosis: Option<Diagnosis>,
}

/// How far a profile's running request has come: the typed event `request-progress`
/// (`events.requestProgress` in the bindings).
#[derive(Clone, Serialize, specta::Type)]
pub struct RequestProgress {
    profile_id: ProfileId,
    progress: requests::SendProgress,
}

// What `#[derive(tauri_specta::Event)]` writes, with the event's name spelt out.
impl tauri_specta::Event for RequestProgress {
    const NAME: &'static str = "request-progress";
}

/// Sends a request with the profile's token (renewed first when due) and keeps it in history.
/// Progress goes out as [`RequestProgress`] events while it runs.
#[tauri::command]
#[specta::specta]
pub async fn send_request(
    id: String,
    spec: RequestSpec,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<SentExchange, CommandError> {
    let id = validate::profile(&state, &id)?;
    let target = state.target(&id)?;
    requests::spec::check_limits(&spec)?;
    // The profile's variables (from a Postman import) fill `{name}` and `{{name}}`.
    let mut vars: HashMap<String, String> = requests::profile_variables(&id)?;
    if let Some(identity) = state.with_runtime(&id, |rt| rt.identity.clone()) {
        vars.insert("account-slug".to_string(), identity.account_slug);
    }
    let cancel = CancellationToken::new();
    if let Some(previous) = state.with_runtime(&id, |rt| rt.request.replace(cancel.clone())) {
        previous.cancel();
    }
    // How far the answer has come goes to the window as it changes (the channel keeps only the
    // latest, at most ten a second), until the send ends.
    let (progress, mut updates) = requests::progress::channel();
    let forward = {
        let (app, profile_id) = (app.clone(), id.clone());
        tauri::async_runtime::spawn(async move {
            while updates.changed().await.is_ok() {
                let now = *updates.borrow_and_update();
                let _ =
                    RequestProgress { profile_id: profile_id.clone(), progress: now }.emit(&app);
            }
        })
    };
    let result = requests::send_with_progress(
        &state.engine,
        &target,
        &spec,
        &vars,
        &state.exchanges,
        &cancel,
        &progress,
    )
    .await;
    drop(progress);
    let _ = forward.await;
    state.with_runtime(&id, |rt| rt.request = None);
    // The diagnosis is kept with the exchange, for support bundles.
    let diagnosis = result.as_ref().ok().and_then(|summary| {
        engine::diagnose::diagnose_exchange(&state.engine, &target, &state.exchanges, summary)
    });
    let entry = match &result {
        Ok(summary) => {
            HistoryEntry::from_exchange(&spec, summary).with_diagnosis(diagnosis.as_ref())
        }
        Err(e) => HistoryEntry::from_failure(&spec, e).with_diagnosis(Some(
            &engine::diagnose::diagnose_error(e, &Context::for_target(&target)),
        )),
    };
    let _ = history(&state)?.record(&id, entry);
    let summary = result?;
    prepare_pretty(&state, &summary);
    Ok(SentExchange { summary, diagnosis })
}

/// Starts pretty-printing a JSON answer (up to the size shown without asking) while the window
/// shows its status and JSON:API view, so the Body tab opens at once.
fn prepare_pretty(state: &AppState, summary: &ExchangeSummary) {
    if summary.body_kind != requests::BodyKind::Json || summary.sizes.decoded > SHOW_WITHOUT_ASKING
    {
        return;
    }
    let (views, store, exchange) = (state.text_views.clone(), state.exchanges.clone(), summary.id);
    tokio::task::spawn_blocking(move || {
        // Not JSON after all, or evicted meanwhile: the Body tab will say so when it asks.
        let _ = views.open(&store, exchange, requests::TextMode::Pretty);
    });
}

/// Where the profile's token would go if the request were sent now, for the line beside Send
/// ("This address is not your ScopeStack API: the token is not sent").
#[tauri::command]
#[specta::specta]
pub fn token_destination(
    id: String,
    spec: RequestSpec,
    state: State<'_, AppState>,
) -> Result<requests::spec::TokenDestination, CommandError> {
    let id = validate::profile(&state, &id)?;
    let target = state.target(&id)?;
    requests::spec::check_limits(&spec)?;
    let mut vars: HashMap<String, String> = requests::profile_variables(&id)?;
    // The account slug as the last /v1/me gave it (the preview shows the real address); before
    // that, the placeholder itself stands in (it tells the origin as well, and the window shows
    // it as still to be filled).
    let slug = state.with_runtime(&id, |rt| rt.identity.as_ref().map(|i| i.account_slug.clone()));
    vars.insert("account-slug".to_string(), slug.unwrap_or_else(|| "{account-slug}".to_string()));
    Ok(requests::spec::token_destination(&spec, &vars, &target.endpoints.api_url)?)
}

#[tauri::command]
#[specta::specta]
pub fn cancel_request(id: String, state: State<'_, AppState>) -> Result<(), CommandError> {
    // The shape only: a profile deleted a moment ago may still have a request to stop.
    if let Some(cancel) = state.with_runtime(&validate::profile_id(&id)?, |rt| rt.request.take()) {
        cancel.cancel();
    }
    Ok(())
}

/// Reads `offset..` of the body (raw) or of its pretty-printed form (made in Rust by the body
/// viewer's document), a chunk at a time, each ending on a character boundary.
#[tauri::command]
#[specta::specta]
pub async fn read_body(
    exchange: ExchangeId,
    pretty: bool,
    offset: u64,
    state: State<'_, AppState>,
) -> Result<BodyChunk, CommandError> {
    let text = if pretty {
        super::body_view::document(&state, exchange, TextMode::Pretty).await?.text().clone()
    } else {
        state.exchanges.body(exchange)?
    };
    Ok(text.text_chunk(offset, MAX_CHUNK)?)
}

/// The jq filters running now, one per exchange at most: a new filter on an exchange stops the
/// one still running there (the window shows only the newest), and `cancel_jq` stops it.
static RUNNING_JQ: Mutex<Vec<(ExchangeId, u64, JqStop)>> = Mutex::new(Vec::new());

fn running_jq() -> std::sync::MutexGuard<'static, Vec<(ExchangeId, u64, JqStop)>> {
    RUNNING_JQ.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs a jq filter on the whole body, off the UI thread, on a worker of its own. It ends by
/// itself after 10 s ("ran longer than 10 s and was stopped"), or at `cancel_jq` ("Cancelled").
#[tauri::command]
#[specta::specta]
pub async fn jq_filter(
    exchange: ExchangeId,
    filter: String,
    state: State<'_, AppState>,
) -> Result<JqOutput, CommandError> {
    limits::bounded("jq filter", &filter, limits::MAX_JQ_FILTER)?;
    static RUNS: AtomicU64 = AtomicU64::new(0);
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let stop = JqStop::new();
    {
        let mut running = running_jq();
        running.retain(|(on, _, earlier)| {
            if *on == exchange {
                earlier.stop();
            }
            *on != exchange
        });
        running.push((exchange, run, stop.clone()));
    }
    let limits = JqLimits::default();
    let result =
        requests::jq::run_stoppable(&state.exchanges, exchange, &filter, limits, stop).await;
    running_jq().retain(|(_, r, _)| *r != run);
    Ok(result?)
}

/// Stops the jq filter running on an exchange, if any: the `jq_filter` waiting for it ends with
/// "Cancelled" at once, and its worker thread ends with it.
#[tauri::command]
#[specta::specta]
pub fn cancel_jq(exchange: ExchangeId) {
    running_jq().retain(|(on, _, stop)| {
        if *on == exchange {
            stop.stop();
        }
        *on != exchange
    });
}

/// The body read as a JSON:API document: resources, included, meta, links, errors.
#[tauri::command]
#[specta::specta]
pub async fn jsonapi_view(
    exchange: ExchangeId,
    state: State<'_, AppState>,
) -> Result<JsonApiView, CommandError> {
    Ok(requests::jsonapi::view_stored(&state.exchanges, exchange).await?)
}

/// Copies a request as a curl command. The token is `$TOKEN` unless `include_token`: then it
/// goes from Rust straight to the clipboard, never through the webview, and is cleared from it
/// like a copied token (after the delay, or at exit, if the clipboard still holds the command).
#[tauri::command]
#[specta::specta]
pub async fn copy_as_curl(
    id: String,
    exchange: ExchangeId,
    include_token: bool,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<(), CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    let summary = state.exchanges.summary(exchange)?;
    let request = requests::CurlRequest::from_summary(&summary);
    let command =
        requests::curl::to_curl_for(&state.engine, &target, &request, include_token).await?;
    if include_token {
        return super::clipboard::copy_secret(&app, &state, engine::Secret::new(command))
            .map(|_| ());
    }
    app.clipboard()
        .write_text(command)
        .map_err(|e| CommandError::Local(format!("Could not copy to the clipboard: {e}")))
}

/// Reads a pasted curl command into a request.
#[tauri::command]
#[specta::specta]
pub fn import_curl(text: String) -> Result<RequestSpec, CommandError> {
    limits::bounded("curl command", &text, limits::MAX_CURL_COMMAND)?;
    Ok(requests::from_curl(&text)?)
}

/// Copies the whole body (up to the show-without-asking size) to the clipboard.
#[tauri::command]
#[specta::specta]
pub fn copy_body(
    exchange: ExchangeId,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<(), CommandError> {
    let len = state.exchanges.body_len(exchange)?;
    if len > SHOW_WITHOUT_ASKING {
        return Err(CommandError::Input(
            "This body is too large for the clipboard: save it to a file instead.".into(),
        ));
    }
    let body = state.exchanges.body(exchange)?.read_all(SHOW_WITHOUT_ASKING)?;
    app.clipboard()
        .write_text(String::from_utf8_lossy(&body).into_owned())
        .map_err(|e| CommandError::Local(format!("Could not copy to the clipboard: {e}")))
}

/// Saves the body to a file the user picks. Returns where, or nothing when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_body(
    exchange: ExchangeId,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<String>, CommandError> {
    let Some(path) = file_dialogs::save_file(&app, "Save response body", "response.json", None)
    else {
        return Ok(None);
    };
    state.exchanges.save_to(exchange, &path)?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
#[specta::specta]
pub fn history_list(
    id: String,
    state: State<'_, AppState>,
) -> Result<Vec<HistoryEntry>, CommandError> {
    Ok(history(&state)?.list(&validate::profile(&state, &id)?)?)
}

#[tauri::command]
#[specta::specta]
pub fn history_clear(id: String, state: State<'_, AppState>) -> Result<(), CommandError> {
    Ok(history(&state)?.clear(&validate::profile(&state, &id)?)?)
}

/// The request of a history entry, to load into the editor and send again.
#[tauri::command]
#[specta::specta]
pub fn history_request(
    id: String,
    entry: String,
    state: State<'_, AppState>,
) -> Result<RequestSpec, CommandError> {
    let found =
        history(&state)?.get(&validate::profile(&state, &id)?, limits::history_id(&entry)?)?;
    found
        .map(|e| e.to_spec())
        .ok_or_else(|| EngineError::MissingInput("That history entry is gone.".into()).into())
}
