//! The body viewer's calls: open an exchange's body (raw or pretty-printed in Rust) as an
//! indexed text, read a screenful of lines, search it, find where a fold ends. All of it runs
//! off the main thread and only a few lines cross the IPC bridge at a time, so a 50 MB answer
//! never freezes the window.

use crate::error::CommandError;
use crate::state::AppState;
use engine::requests::textview::{MatchPosition, SearchSummary, MAX_LINES_AT_ONCE};
use engine::requests::{ExchangeId, TextDoc, TextMode};
use serde::Serialize;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tauri::{AppHandle, State};
use tauri_specta::Event;

/// The longest search text.
const MAX_QUERY: usize = 1000;

/// Lines sent with [`TextViewInfo`], so the first screen needs no second call (one block of
/// the window's viewer).
const HEAD_LINES: u64 = 256;

/// What the viewer needs to lay a text out, and its first lines.
#[derive(Serialize, specta::Type)]
pub struct TextViewInfo {
    mode: TextMode,
    lines: u64,
    bytes: u64,
    /// The first lines, when the text is large enough for the viewer (else the window reads
    /// it whole).
    head: Vec<String>,
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        CommandError::Local(format!(
            "The body viewer stopped unexpectedly ({e}). Send the request again."
        ))
    })?
}

fn io_failed(e: std::io::Error) -> CommandError {
    CommandError::Local(format!(
        "The body could not be read back from its temporary file ({e}). Send the request again."
    ))
}

/// The document of an exchange, made (pretty-printed and indexed) on first use.
pub(crate) async fn document(
    state: &AppState,
    exchange: ExchangeId,
    mode: TextMode,
) -> Result<Arc<TextDoc>, CommandError> {
    if let Some(doc) = state.text_views.get(exchange, mode) {
        return Ok(doc);
    }
    let (views, store) = (state.text_views.clone(), state.exchanges.clone());
    blocking(move || Ok(views.open(&store, exchange, mode)?)).await
}

/// Opens the raw or pretty text of an exchange. A body that is not JSON cannot be pretty: the
/// error says where it stops being JSON, and the window shows it raw.
/// `head_over`: the first lines come along when the text is larger than this many bytes.
#[tauri::command]
#[specta::specta]
pub async fn open_text_view(
    exchange: ExchangeId,
    mode: TextMode,
    head_over: u64,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<TextViewInfo, CommandError> {
    // How far the making has come goes to the window a few times a second, until it ends.
    let making = state.text_views.watch(exchange);
    let total = state.exchanges.body(exchange).map(|b| b.len()).unwrap_or(0);
    let ticker = {
        let (making, app) = (making.clone(), app.clone());
        tauri::async_runtime::spawn(async move {
            loop {
                tokio::time::sleep(PROGRESS_EVERY).await;
                let done = making.done.load(Ordering::Relaxed);
                let _ = BodyProgress { exchange, mode, done, total }.emit(&app);
            }
        })
    };
    // One trip to a blocking thread: make (or find) the document and read its first lines.
    let (views, store, watched) =
        (state.text_views.clone(), state.exchanges.clone(), making.clone());
    let result = blocking(move || {
        let doc = views.open_watched(&store, exchange, mode, &watched)?;
        let (lines, bytes) = (doc.line_count(), doc.byte_len());
        let head = if bytes > head_over {
            doc.lines(0, HEAD_LINES).map_err(io_failed)?
        } else {
            Vec::new()
        };
        Ok(TextViewInfo { mode, lines, bytes, head })
    })
    .await;
    ticker.abort();
    state.text_views.forget_making(&making);
    result
}

/// Stops making an exchange's text (its pretty-printing or indexing); the `open_text_view`
/// waiting for it ends with "Cancelled".
#[tauri::command]
#[specta::specta]
pub fn cancel_text_view(exchange: ExchangeId, state: State<'_, AppState>) {
    state.text_views.cancel(exchange);
}

/// How often a text being made reports its progress.
const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(150);

/// How far an exchange's text has come while it is made: the typed event `body-progress`
/// (`events.bodyProgress`): bytes of the body read of its length.
#[derive(Clone, Serialize, specta::Type)]
pub struct BodyProgress {
    exchange: ExchangeId,
    mode: TextMode,
    done: u64,
    total: u64,
}

// What `#[derive(tauri_specta::Event)]` writes, with the event's name spelt out.
impl tauri_specta::Event for BodyProgress {
    const NAME: &'static str = "body-progress";
}

/// Lines `first..first + count` of an opened text.
#[tauri::command]
#[specta::specta]
pub async fn text_lines(
    exchange: ExchangeId,
    mode: TextMode,
    first: u64,
    count: u64,
    state: State<'_, AppState>,
) -> Result<Vec<String>, CommandError> {
    if count > MAX_LINES_AT_ONCE {
        return Err(CommandError::Input(format!(
            "At most {MAX_LINES_AT_ONCE} lines can be read at once."
        )));
    }
    let doc = document(&state, exchange, mode).await?;
    blocking(move || doc.lines(first, count).map_err(io_failed)).await
}

fn check_query(query: &str) -> Result<(), CommandError> {
    if query.is_empty() || query.len() > MAX_QUERY {
        return Err(CommandError::Input(format!(
            "Type between 1 and {MAX_QUERY} characters to search for."
        )));
    }
    Ok(())
}

/// Counts the matches of `query` in an opened text (kept for [`text_match`]).
#[tauri::command]
#[specta::specta]
pub async fn text_search(
    exchange: ExchangeId,
    mode: TextMode,
    query: String,
    case_sensitive: bool,
    state: State<'_, AppState>,
) -> Result<SearchSummary, CommandError> {
    check_query(&query)?;
    let doc = document(&state, exchange, mode).await?;
    blocking(move || doc.search(&query, case_sensitive).map_err(io_failed)).await
}

/// Where the `n`-th match (from 0) is: its line and column.
#[tauri::command]
#[specta::specta]
pub async fn text_match(
    exchange: ExchangeId,
    mode: TextMode,
    query: String,
    case_sensitive: bool,
    n: u64,
    state: State<'_, AppState>,
) -> Result<Option<MatchPosition>, CommandError> {
    check_query(&query)?;
    let doc = document(&state, exchange, mode).await?;
    blocking(move || doc.match_at(&query, case_sensitive, n).map_err(io_failed)).await
}

/// Where the `{` or `[` ending line `line` closes, for folding (`None`: nothing to fold).
#[tauri::command]
#[specta::specta]
pub async fn text_fold_end(
    exchange: ExchangeId,
    mode: TextMode,
    line: u64,
    state: State<'_, AppState>,
) -> Result<Option<u64>, CommandError> {
    let doc = document(&state, exchange, mode).await?;
    blocking(move || doc.fold_end(line).map_err(io_failed)).await
}

/// The window shows an exchange no more (its tab was closed, or a new answer took its place):
/// the engine drops its body (a temporary file goes with it), its texts and their files, and
/// stops any making of them. Nothing is left to read of it afterwards.
#[tauri::command]
#[specta::specta]
pub async fn release_exchange(
    exchange: ExchangeId,
    state: State<'_, AppState>,
) -> Result<(), CommandError> {
    // The store first: a text being made now is then not kept (TextViews::open_watched).
    state.exchanges.remove(exchange);
    let views = state.text_views.clone();
    blocking(move || {
        views.forget(exchange);
        Ok(())
    })
    .await
}
