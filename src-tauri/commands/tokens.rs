//! Token commands: get a new access token (each method and each way of catching the browser's
//! answer), cancel, renew, revoke, verify, and the profile's status.

use crate::error::CommandError;
use crate::signin_window;
use crate::state::AppState;
use crate::validate;
use crate::views::{status, ProfileStatus};
use engine::browser::SystemBrowser;
use engine::diagnose::Context;
use engine::limits;
use engine::oauth::loopback::DEFAULT_TIMEOUT;
use engine::session::{SignInFrontEnd, SignInStage, Target, Want};
use engine::tokens::TokenSet;
use engine::vault::SecretKind;
use engine::verify::Identity;
use engine::{CallbackMode, Credentials, EngineError, Grant, Method, ProfileId};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_specta::Event;
use tokio_util::sync::CancellationToken;
use url::Url;

/// A step of getting a profile's token, for the window's progress line: the typed event
/// `token-progress` (`events.tokenProgress` in the bindings).
#[derive(Clone, Serialize, specta::Type)]
#[serde(rename = "Progress")] // the name the window's TypeScript knows it by
pub struct TokenProgress {
    profile_id: ProfileId,
    #[serde(flatten)]
    stage: ProgressStage,
}

// What `#[derive(tauri_specta::Event)]` writes (its macros crate is not among the dependencies),
// with the event's name spelt out: the window listens for it by this name.
impl tauri_specta::Event for TokenProgress {
    const NAME: &'static str = "token-progress";
}

#[derive(Clone, Serialize, specta::Type)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum ProgressStage {
    Requesting,
    OpeningBrowser { url: String },
    WaitingForBrowser { redirect_uri: String },
    AwaitingPaste { url: String },
    ExchangingCode,
}

fn emit(app: &AppHandle, id: &ProfileId, stage: ProgressStage) {
    let _ = TokenProgress { profile_id: id.clone(), stage }.emit(app);
}

/// Secrets typed into the form. Empty fields mean "use the one kept in the keychain".
#[derive(Deserialize, specta::Type)]
pub struct SecretsInput {
    #[serde(default)]
    client_secret: Option<String>,
    #[serde(default)]
    password: Option<String>,
    /// Keep the typed secrets in the keychain for renewals and next time.
    #[serde(default)]
    remember: bool,
}

fn credentials(
    state: &AppState,
    target: &Target,
    input: SecretsInput,
) -> Result<Credentials, CommandError> {
    let creds = Credentials {
        client_secret: limits::secret("client secret", input.client_secret)?,
        password: limits::secret("password", input.password)?,
    };
    if input.remember {
        if let Some(s) = &creds.client_secret {
            state.engine.remember(target, SecretKind::ClientSecret, s)?;
        }
        if let Some(p) = &creds.password {
            state.engine.remember(target, SecretKind::Password, p)?;
        }
    }
    Ok(creds)
}

/// The callback URL a browser sign-in of this profile uses (shown with a copy button).
pub fn callback_for(target: &Target) -> String {
    target.profile.callback.url_or_default()
}

/// Async, so off the window's main thread: it uses the keychain, which may take up to its bound.
#[tauri::command]
#[specta::specta]
pub async fn profile_status(
    id: String,
    state: State<'_, AppState>,
) -> Result<ProfileStatus, CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    Ok(status(&state, &target))
}

/// "Get New Access Token": runs the profile's method. Progress arrives as `token-progress`
/// events; `cancel_sign_in` stops it at any step.
#[tauri::command]
#[specta::specta]
pub async fn get_token(
    id: String,
    secrets: SecretsInput,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<ProfileStatus, CommandError> {
    let id = validate::profile(&state, &id)?;
    let target = state.target(&id)?;
    let creds = credentials(&state, &target, secrets)?;
    let cancel = CancellationToken::new();
    let previous = state.with_runtime(&id, |rt| {
        rt.pasted_sign_in = None;
        rt.sign_in.replace(cancel.clone())
    });
    if let Some(previous) = previous {
        previous.cancel();
    }
    let window =
        Window { app: &app, state: &state, target: &target, creds: &creds, cancel: &cancel };
    let result = state.engine.token(&target, &creds, Want::New, &cancel, &window).await;
    state.with_runtime(&id, |rt| rt.sign_in = None);
    result?;
    state.with_runtime(&id, |rt| rt.identity = None);
    Ok(status(&state, &target))
}

/// The window's part in getting a token: progress events, the in-app sign-in window, paste
/// mode's waiting sign-in, failures diagnosed against the profile's token request.
struct Window<'a> {
    app: &'a AppHandle,
    state: &'a AppState,
    target: &'a Target,
    creds: &'a Credentials,
    cancel: &'a CancellationToken,
}

impl SignInFrontEnd for Window<'_> {
    type Error = CommandError;

    fn failure(&self, e: EngineError) -> CommandError {
        CommandError::diagnosed(e, &Context::for_token_request(self.target, None))
    }

    fn before_direct_request(&self) -> Result<(), CommandError> {
        emit(self.app, &self.target.profile.id, ProgressStage::Requesting);
        Ok(())
    }

    async fn browser_sign_in(&self) -> Result<Option<TokenSet>, CommandError> {
        let Window { app, state, target, creds, cancel } = *self;
        let id = &target.profile.id;
        let engine = &state.engine;
        let diagnosed = |e: EngineError| self.failure(e);
        let tokens = match target.profile.callback.mode {
            CallbackMode::Loopback => {
                let progress = |stage: SignInStage| {
                    let stage = match stage {
                        SignInStage::OpeningBrowser { url } => {
                            ProgressStage::OpeningBrowser { url }
                        }
                        SignInStage::WaitingForBrowser { redirect_uri } => {
                            ProgressStage::WaitingForBrowser { redirect_uri }
                        }
                        SignInStage::ExchangingCode => ProgressStage::ExchangingCode,
                    };
                    emit(app, id, stage);
                };
                engine
                    .sign_in_with_loopback(
                        target,
                        creds,
                        &SystemBrowser::default(),
                        DEFAULT_TIMEOUT,
                        cancel,
                        &progress,
                    )
                    .await
                    .map_err(diagnosed)?
            }
            CallbackMode::InAppWindow => {
                let redirect = parse_callback(&callback_for(target))?;
                let pending = engine.begin_sign_in(target, creds, &redirect).map_err(diagnosed)?;
                emit(
                    app,
                    id,
                    ProgressStage::WaitingForBrowser { redirect_uri: redirect.to_string() },
                );
                let landed = signin_window::catch_callback(app, target, &pending, cancel).await?;
                emit(app, id, ProgressStage::ExchangingCode);
                tokio::select! {
                    result = engine.finish_sign_in(target, creds, pending, &landed) => result.map_err(diagnosed)?,
                    _ = cancel.cancelled() => return Err(EngineError::Cancelled.into()),
                }
            }
            CallbackMode::Paste => {
                let redirect = parse_callback(&callback_for(target))?;
                let pending = engine.begin_sign_in(target, creds, &redirect).map_err(diagnosed)?;
                emit(
                    app,
                    id,
                    ProgressStage::AwaitingPaste { url: pending.authorize_url.to_string() },
                );
                state.with_runtime(id, |rt| rt.pasted_sign_in = Some(pending));
                return Ok(None);
            }
        };
        Ok(Some(tokens))
    }
}

fn parse_callback(uri: &str) -> Result<Url, CommandError> {
    Url::parse(uri).map_err(|e| {
        CommandError::Input(format!("The callback URL \"{uri}\" is not a valid address ({e})."))
    })
}

/// Opens a paste-mode sign-in's address in the system browser.
#[tauri::command]
#[specta::specta]
pub fn open_sign_in_url(id: String, state: State<'_, AppState>) -> Result<(), CommandError> {
    let id = validate::profile(&state, &id)?;
    let url = state
        .with_runtime(&id, |rt| rt.pasted_sign_in.as_ref().map(|p| p.authorize_url.clone()))
        .ok_or_else(|| {
            CommandError::Input(
                "No sign-in is waiting for an address. Choose Get New Access Token first.".into(),
            )
        })?;
    engine::session::BrowserOpener::open(&SystemBrowser::default(), &url)
        .map_err(|e| EngineError::BrowserOpen(e).into())
}

/// Paste mode: finishes the sign-in from the address the browser ended on.
#[tauri::command]
#[specta::specta]
pub async fn finish_pasted_sign_in(
    id: String,
    url: String,
    secrets: SecretsInput,
    state: State<'_, AppState>,
) -> Result<ProfileStatus, CommandError> {
    let id = validate::profile(&state, &id)?;
    let url = limits::pasted_address(&url)?;
    let target = state.target(&id)?;
    let creds = credentials(&state, &target, secrets)?;
    let not_waiting = || {
        CommandError::Input(
            "No sign-in is waiting for an address. Choose Get New Access Token first.".into(),
        )
    };
    // A wrong paste (another sign-in's address, one without a code) keeps the sign-in waiting,
    // so the right address can still be pasted.
    state.with_runtime(&id, |rt| match &rt.pasted_sign_in {
        None => Err(not_waiting()),
        Some(waiting) => {
            engine::oauth::authcode::code_from_pasted(waiting, url).map(|_| ()).map_err(|e| {
                CommandError::diagnosed(
                    e,
                    &Context::for_token_request(&target, Some(Grant::AuthorizationCode)),
                )
            })
        }
    })?;
    let pending = state.with_runtime(&id, |rt| rt.pasted_sign_in.take()).ok_or_else(not_waiting)?;
    state.engine.finish_sign_in(&target, &creds, pending, url).await.map_err(|e| {
        CommandError::diagnosed(
            e,
            &Context::for_token_request(&target, Some(Grant::AuthorizationCode)),
        )
    })?;
    state.with_runtime(&id, |rt| rt.identity = None);
    Ok(status(&state, &target))
}

/// Cancels the profile's running sign-in (and a paste-mode sign-in waiting for its address).
#[tauri::command]
#[specta::specta]
pub fn cancel_sign_in(id: String, state: State<'_, AppState>) -> Result<(), CommandError> {
    // The shape only: a profile deleted a moment ago may still have a sign-in to stop.
    let id = validate::profile_id(&id)?;
    let running = state.with_runtime(&id, |rt| {
        rt.pasted_sign_in = None;
        rt.sign_in.take()
    });
    if let Some(cancel) = running {
        cancel.cancel();
    }
    Ok(())
}

/// The user's word that the profile's kept client secret and password may go to its token URL
/// as it is now (it moved since they were given); the window asks first, naming both hosts.
/// Async, so off the window's main thread: it uses the keychain, which may take up to its bound.
#[tauri::command]
#[specta::specta]
pub async fn confirm_kept_secrets(
    id: String,
    state: State<'_, AppState>,
) -> Result<ProfileStatus, CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    state.engine.confirm_kept_secrets(&target)?;
    Ok(status(&state, &target))
}

#[tauri::command]
#[specta::specta]
pub async fn renew_token(
    id: String,
    state: State<'_, AppState>,
) -> Result<ProfileStatus, CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    let result = state.engine.renew(&target).await;
    crate::auto_renew::record(&state, &target.profile.id, &result);
    let grant = (target.profile.method == Method::BrowserLogin).then_some(Grant::RefreshToken);
    result.map_err(|e| CommandError::diagnosed(e, &Context::for_token_request(&target, grant)))?;
    Ok(status(&state, &target))
}

/// Revokes the token on the server (RFC 7009) and deletes it here.
#[tauri::command]
#[specta::specta]
pub async fn revoke_token(
    id: String,
    state: State<'_, AppState>,
) -> Result<engine::session::RevokeOutcome, CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    let outcome = state.engine.revoke(&target).await?;
    state.with_runtime(&target.profile.id, |rt| rt.identity = None);
    Ok(outcome)
}

/// "Verify it worked": `GET /v1/me` with the token.
#[tauri::command]
#[specta::specta]
pub async fn verify_token(
    id: String,
    state: State<'_, AppState>,
) -> Result<Identity, CommandError> {
    let target = state.target(&validate::profile(&state, &id)?)?;
    let result = state.engine.verify(&target).await;
    state.with_runtime(&target.profile.id, |rt| rt.identity = result.as_ref().ok().cloned());
    result.map_err(|e| {
        let mut ctx = Context::for_target(&target);
        if let Ok(me) = engine::verify::me_url(&target.endpoints.api_url) {
            ctx = ctx.api_request("GET", me.as_str());
        }
        ctx.sent_authorization = Some(true);
        if let Ok(Some(tokens)) = state.engine.stored_tokens(&target) {
            ctx = ctx.with_tokens(&tokens, engine::tokens::now_unix());
        }
        CommandError::diagnosed(e, &ctx)
    })
}

#[tauri::command]
#[specta::specta]
pub fn set_auto_renew(
    id: String,
    enabled: bool,
    state: State<'_, AppState>,
) -> Result<(), CommandError> {
    let id = validate::profile(&state, &id)?;
    state.with_runtime(&id, |rt| rt.auto_renew_off = !enabled);
    Ok(())
}

/// From now on keep secrets for this session only (when the keychain cannot be used).
#[tauri::command]
#[specta::specta]
pub fn use_session_only_vault(state: State<'_, AppState>) {
    state.engine.vault.use_session_only();
}

/// Forgets the in-app sign-in window's cookies for the profile.
#[tauri::command]
#[specta::specta]
pub fn forget_sign_in_session(
    id: String,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<(), CommandError> {
    // Only a known profile's folder: an empty or odd id must never name the folder of them all.
    signin_window::forget_session(&app, &validate::profile(&state, &id)?)
}

/// The callback URL the profile's browser sign-in uses.
#[tauri::command]
#[specta::specta]
pub fn callback_url(id: String, state: State<'_, AppState>) -> Result<String, CommandError> {
    Ok(callback_for(&state.target(&validate::profile(&state, &id)?)?))
}
