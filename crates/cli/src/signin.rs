//! Browser sign-in from a terminal: the system browser with a loopback listener, or paste mode
//! (print the sign-in address, read back the address the browser ended on).

use crate::exit::Failure;
use clap::Args;
use engine::browser::SystemBrowser;
use engine::session::SignInStage;
use engine::tokens::TokenSet;
use engine::{CallbackMode, Credentials, Engine, Target};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use url::Url;

/// The callback of paste mode when the profile has none registered.
pub const PASTE_REDIRECT_URI: &str = engine::profiles::DEFAULT_CALLBACK;

#[derive(Args, Debug)]
#[command(next_help_heading = "Browser sign-in")]
pub struct SignInArgs {
    /// Open no browser: print the sign-in address, then read the address the browser ended on from standard input
    #[arg(long)]
    pub paste: bool,
    /// How long to wait for the browser to come back, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,
}

/// Whether the system browser's answer can be caught on this computer at `uri`.
fn is_loopback_callback(uri: &str) -> bool {
    Url::parse(uri).is_ok_and(|u| {
        u.scheme() == "http"
            && matches!(u.host_str(), Some("127.0.0.1") | Some("localhost") | Some("[::1]"))
    })
}

/// Signs in through a browser: loopback unless paste mode is asked for (by `--paste` or the
/// profile), or the registered callback is not on this computer. `secret_vars`: the environment
/// variables that hold secrets, kept from the browser's environment.
pub async fn sign_in(
    engine: &Engine,
    target: &Target,
    creds: &Credentials,
    secret_vars: &[String],
    args: &SignInArgs,
) -> Result<TokenSet, Failure> {
    let callback = &target.profile.callback;
    let registered = callback.redirect_uri.as_deref();
    let catchable = registered.is_none_or(is_loopback_callback);
    if !args.paste && !catchable {
        eprintln!(
            "The callback registered for this client ({}) is not on this computer, so its answer cannot be caught here: switching to paste mode.",
            registered.unwrap_or_default()
        );
    }
    if args.paste || callback.mode == CallbackMode::Paste || !catchable {
        paste(engine, target, creds).await
    } else {
        loopback(engine, target, creds, secret_vars, Duration::from_secs(args.timeout)).await
    }
}

async fn loopback(
    engine: &Engine,
    target: &Target,
    creds: &Credentials,
    secret_vars: &[String],
    timeout: Duration,
) -> Result<TokenSet, Failure> {
    let opener = SystemBrowser { hidden_vars: secret_vars.to_vec(), output_to_stderr: true };
    let cancel = CancellationToken::new();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    let seconds = timeout.as_secs();
    let progress = move |stage: SignInStage| {
        match stage {
        SignInStage::OpeningBrowser { url } => eprintln!("Opening your browser to sign in. If it does not open, open this address yourself:\n\n  {url}\n"),
        SignInStage::WaitingForBrowser { redirect_uri } => {
            eprintln!("Waiting for the browser to come back to {redirect_uri} (up to {seconds} seconds; Ctrl+C cancels)…")
        }
        SignInStage::ExchangingCode => eprintln!("Signed in in the browser; exchanging the code for a token…"),
    }
    };
    Ok(engine.sign_in_with_loopback(target, creds, &opener, timeout, &cancel, &progress).await?)
}

async fn paste(engine: &Engine, target: &Target, creds: &Credentials) -> Result<TokenSet, Failure> {
    let redirect = target
        .profile
        .callback
        .redirect_uri
        .clone()
        .unwrap_or_else(|| PASTE_REDIRECT_URI.to_string());
    let redirect = Url::parse(&redirect).map_err(|e| {
        Failure::usage(format!("The callback URL \"{redirect}\" is not a valid address ({e})."))
    })?;
    let pending = engine.begin_sign_in(target, creds, &redirect)?;
    eprintln!(
        "Open this address in a browser and sign in:\n\n  {}\n\nThe browser then goes to {} (the page may not load; that is fine).\nPaste the whole address from the browser's address bar here, then press Enter:",
        pending.authorize_url,
        redirect
    );
    // Read on a blocking thread, so that an in-process sandbox keeps answering meanwhile.
    let line = loop {
        let line = tokio::task::spawn_blocking(crate::secrets::read_line)
            .await
            .map_err(|e| Failure::local(format!("Could not read standard input: {e}")))??;
        match line {
            Some(l) if l.trim().is_empty() => continue,
            Some(l) => break l,
            None => return Err(Failure::usage("No address was pasted: standard input ended. Paste the address the browser ended on.")),
        }
    };
    // Within the window's limits on a pasted address; the engine then checks its code and state.
    let address = engine::limits::pasted_address(&line)?;
    eprintln!("Exchanging the code for a token…");
    Ok(engine.finish_sign_in(target, creds, pending, address).await?)
}
