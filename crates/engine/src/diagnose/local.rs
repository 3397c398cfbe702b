//! Problems on this computer and in the settings: the keychain, the browser sign-in (state,
//! callback, port, time limit, cancel), profiles, files, and fields left empty.

use super::codes::*;
use super::context::Context;
use super::diagnosis::{Diagnosis, Fix, SettingsField};
use super::words::CALLBACK;
use crate::file_lock::LockError;
use crate::profiles::ProfileError;
use crate::vault::VaultError;

pub fn vault(e: &VaultError) -> Diagnosis {
    let session_only =
        "Or choose \"Keep secrets for this session only\": the app then keeps them in memory until it closes, and writes nothing to disk.";
    match e {
        VaultError::Locked => Diagnosis::new(KEYCHAIN_LOCKED, "The system keychain is locked")
            .cause("The app keeps secrets and tokens in the system keychain, which is locked right now.")
            .step("Unlock the keychain (sign in to your desktop session again, or open your keyring app and unlock it), then try again.")
            .step(session_only)
            .fix(Fix::Retry)
            .fix(Fix::UseSessionOnlyVault),
        VaultError::Unavailable(_) => Diagnosis::new(KEYCHAIN_UNAVAILABLE, "No system keychain was found")
            .cause("The app keeps secrets and tokens in the system keychain (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager), and none answered.")
            .step("Install or start a keychain (on Linux: GNOME Keyring or KWallet), then restart the app.")
            .step(session_only)
            .fix(Fix::UseSessionOnlyVault),
        VaultError::Failed(_) => Diagnosis::new(KEYCHAIN_FAILED, "The system keychain failed")
            .cause("The keychain answered with an error while saving or reading a secret.")
            .step("Try again.")
            .step(session_only)
            .fix(Fix::Retry)
            .fix(Fix::UseSessionOnlyVault),
        VaultError::Damaged(_) => Diagnosis::new(KEYCHAIN_DAMAGED, "A saved token could not be read")
            .cause("What the keychain holds for this profile is damaged, or was written by another program.")
            .step("Get a new token: it replaces the damaged entry.")
            .fix(Fix::SignInAgain),
        VaultError::NoAnswer { .. } => Diagnosis::new(KEYCHAIN_NO_ANSWER, "The system keychain did not answer")
            .cause("The app keeps secrets and tokens in the system keychain, which gave no answer in time. It is most likely locked and waiting for its password in a prompt, or its service (such as GNOME Keyring) has stopped or hangs.")
            .step("Unlock the keychain (answer its password prompt, or open your keyring app and unlock it), then try again.")
            .step("If it still does not answer, restart the keychain service or sign out of your desktop and back in.")
            .step(session_only)
            .fix(Fix::Retry)
            .fix(Fix::UseSessionOnlyVault),
    }
}

pub fn profile(e: &ProfileError) -> Diagnosis {
    match e {
        ProfileError::InvalidUrl { field, value, .. } => {
            let d = Diagnosis::new(INPUT_INVALID_URL, format!("The {field} is not a web address"));
            let d = if !value.contains("://") {
                d.cause(format!("\"{value}\" has no https:// at its start."))
            } else {
                d.cause(format!("\"{value}\" is not a complete address."))
            };
            d.step(format!("Enter the full address, such as {}.", example(field))).fix(Fix::OpenSettings { field: url_field(field) })
        }
        ProfileError::InsecureUrl { field, value } => Diagnosis::new(INPUT_INSECURE_URL, format!("The {field} must use https://"))
            .cause(format!(
                "\"{value}\" starts with http://, so tokens and secrets would travel unencrypted. Only addresses on this computer may use http://."
            ))
            .step("Change http:// to https://.")
            .fix(Fix::OpenSettings { field: url_field(field) }),
        ProfileError::UnsupportedScheme { field, value } => Diagnosis::new(INPUT_UNSUPPORTED_SCHEME, format!("The {field} must start with https://"))
            .cause(format!("\"{value}\" is not a web address the app can use."))
            .step(format!("Enter an address such as {}.", example(field)))
            .fix(Fix::OpenSettings { field: url_field(field) }),
        ProfileError::EmptyName => Diagnosis::new(INPUT_PROFILE_NAME_MISSING, "The profile needs a name")
            .cause("A profile cannot be saved without a name.")
            .step("Give the profile a name, such as \"Production\".")
            .fix(Fix::OpenSettings { field: SettingsField::ProfileName }),
        ProfileError::DuplicateName(name) => Diagnosis::new(INPUT_PROFILE_NAME_TAKEN, "Another profile has this name")
            .cause(format!("A profile named \"{name}\" exists already."))
            .step("Choose another name.")
            .fix(Fix::OpenSettings { field: SettingsField::ProfileName }),
        ProfileError::UnknownProfile(_) => Diagnosis::new(LOCAL_UNKNOWN_PROFILE, "This profile no longer exists")
            .cause("The profile was deleted, perhaps in another window.")
            .step("Choose another profile, or create it again."),
        ProfileError::SandboxNotRunning => Diagnosis::new(LOCAL_SANDBOX_NOT_RUNNING, "The built-in sandbox is not running")
            .cause("The Sandbox profile talks to a practice server inside the app, which did not start.")
            .step("Restart the app.")
            .fix(Fix::Retry),
        ProfileError::NoConfigDir => Diagnosis::new(LOCAL_NO_SETTINGS_FOLDER, "No folder for the settings was found")
            .cause("The app could not find a folder to keep its settings in.")
            .step("Set the environment variable SCOPESTACK_COMPANION_HOME to a folder you can write to, then restart the app."),
        ProfileError::Io { path, .. } => Diagnosis::new(LOCAL_FILE_ACCESS, "A settings file could not be read or written")
            .cause(format!("The app could not use {}: the folder may be missing, read-only, or the disk full.", path.display()))
            .step("Check that the folder exists, that you may write to it, and that the disk has free space.")
            .fix(Fix::Retry),
        ProfileError::Corrupt { path, .. } => Diagnosis::new(LOCAL_PROFILES_FILE_DAMAGED, "The profiles file is damaged")
            .cause(format!("{} could not be read: it may have been edited by hand or cut short.", path.display()))
            .step("Restore the file from a backup, or move it away to start with fresh profiles (secrets stay in the keychain)."),
        ProfileError::ChangedElsewhereUnreadable { path, reason } => Diagnosis::new(LOCAL_PROFILES_FILE_DAMAGED, "The profiles file was changed elsewhere and is damaged")
            .cause(format!("Another program (the CLI, an editor) wrote {} since the app read it, and it cannot be read now ({reason}). The app changed nothing.", path.display()))
            .step("Fix the file or move it away, then try again; moving it away starts with fresh profiles (secrets stay in the keychain).")
            .fix(Fix::Retry),
        ProfileError::Locked(e) => lock(e),
    }
}

/// A lock shared with the app's other programs that could not be had (see [`crate::file_lock`]).
pub fn lock(e: &LockError) -> Diagnosis {
    match e {
        LockError::Busy { what, waited_secs } => Diagnosis::new(LOCAL_BUSY_ELSEWHERE, "Another ScopeStack Companion program is busy with this")
            .cause(format!("Another window of the app or a scopestack-cli command has been {what} for {waited_secs} s, and only one may do it at a time. Nothing was changed here."))
            .step("Let the other program finish, or close it, then try again.")
            .fix(Fix::Retry),
        LockError::Open { path, .. } => Diagnosis::new(LOCAL_FILE_ACCESS, "A settings file could not be read or written")
            .cause(format!("The app could not use {}: the folder may be missing, read-only, or the disk full.", path.display()))
            .step("Check that the folder exists, that you may write to it, and that the disk has free space.")
            .fix(Fix::Retry),
    }
}

fn url_field(field: &str) -> SettingsField {
    match field {
        "token URL" => SettingsField::TokenUrl,
        "authorize URL" => SettingsField::AuthorizeUrl,
        "API URL" => SettingsField::ApiUrl,
        _ => SettingsField::RequestUrl,
    }
}

fn example(field: &str) -> &'static str {
    match field {
        "token URL" => "https://app.scopestack.io/oauth/token",
        "authorize URL" => "https://app.scopestack.io/oauth/authorize",
        _ => "https://api.scopestack.io",
    }
}

/// A field left empty (`MissingInput`): which one, from the engine's message.
pub fn missing(message: &str) -> Diagnosis {
    let lower = message.to_ascii_lowercase();
    let field = if lower.contains("client id") {
        SettingsField::ClientId
    } else if lower.contains("client secret") {
        SettingsField::ClientSecret
    } else if lower.contains("email") {
        SettingsField::Username
    } else if lower.contains("password") {
        SettingsField::Password
    } else if lower.contains("callback") {
        SettingsField::CallbackUrl
    } else {
        SettingsField::Method
    };
    Diagnosis::new(INPUT_MISSING, "Something needed is not filled in")
        .cause(message.to_string())
        .step("Fill in the field, then try again.")
        .fix(Fix::OpenSettings { field })
}

/// A value outside the limits every front end applies (`InvalidInput`): the message says which
/// and what to change.
pub fn invalid(message: &str) -> Diagnosis {
    Diagnosis::new(INPUT_INVALID, "What was entered cannot be used as it is")
        .cause(message.to_string())
        .step("Change it as the message says, then try again.")
}

pub fn secret_given_elsewhere(secret: &str, given_for: &str, now: &str) -> Diagnosis {
    Diagnosis::new(CUSTODY_SECRET_GIVEN_ELSEWHERE, format!("The kept {secret} waits for your word before it goes to {now}"))
        .cause(format!("The {secret} kept for this profile was given for {given_for}. The profile's token URL now points at {now} (the settings were edited, or an import changed them), so the app did not send it there."))
        .cause(format!("If you did not expect the change, someone may be trying to collect your {secret}: check the profile's token URL before going on."))
        .step(format!("If {now} is right, let the kept {secret} go there; otherwise correct the token URL, or enter the {secret} again."))
        .fix(Fix::ConfirmKeptSecrets { given_for: given_for.to_string(), now: now.to_string() })
        .fix(Fix::OpenSettings { field: SettingsField::TokenUrl })
}

pub fn insecure_destination(url: &str) -> Diagnosis {
    Diagnosis::new(CUSTODY_INSECURE_DESTINATION, "The request would travel unencrypted, so it was not sent")
        .cause(format!("{url} uses http:// for a computer other than this one: the token, your data and the answer could be read by anything on the way."))
        .cause("A variable or a redirect may have turned the address into plain http.")
        .step("Write the address with https://, and check the variables it uses (Variables tab).")
}

pub fn page_link_elsewhere(host: &str, api: &str) -> Diagnosis {
    Diagnosis::new(CUSTODY_PAGE_LINK_ELSEWHERE, format!("Paging stopped: the next page is on {host}"))
        .cause(format!("The answer's page link leads to {host}, not to the profile's API ({api}). The app follows page links on the API only, so your token never goes elsewhere by following one."))
        .step(format!("If {host} is yours, send its address yourself from the request line; the token is then left out unless you tick to send it."))
}

pub fn state_mismatch() -> Diagnosis {
    Diagnosis::new(SIGNIN_STATE_MISMATCH, "The browser came back from a different sign-in")
        .cause("The answer that reached the app belongs to another sign-in attempt than the one started here — an older browser tab, a second attempt, or a link from someone else. As a safety measure, nothing was exchanged.")
        .step("Close the old sign-in tabs and start the sign-in again, once.")
        .fix(Fix::SignInAgain)
}

pub fn bad_callback_url(ctx: &Context) -> Diagnosis {
    let d = Diagnosis::new(SIGNIN_BAD_CALLBACK_URL, "The pasted address has no sign-in code")
        .cause("The address pasted is not the one the browser ended on after signing in, or it was cut short.")
        .step("After signing in, copy the whole address from the browser's address bar (it contains ?code=...), and paste it.")
        .fix(Fix::SignInAgain);
    with_callback(d, ctx)
}

pub fn port_in_use(port: u16, ctx: &Context) -> Diagnosis {
    let d = Diagnosis::new(SIGNIN_PORT_IN_USE, format!("Port {port} is used by another program"))
        .cause(format!("The sign-in waits for the browser's answer on port {port} of this computer, and another program is using that port (perhaps another copy of this app, or Postman)."))
        .cause(format!("ScopeStack sends the browser back only to {CALLBACK}, so the port must be the registered one — unless your client accepts any 127.0.0.1 port."))
        .step("Close the other program (or the other sign-in), then try again.")
        .step("Or set a callback URL whose port is free and ask ScopeStack support to register it.")
        .fix(Fix::Retry)
        .fix(Fix::OpenSettings { field: SettingsField::CallbackUrl });
    with_callback(d, ctx)
}

pub fn timed_out(seconds: u64) -> Diagnosis {
    Diagnosis::new(SIGNIN_TIMED_OUT, "The sign-in took too long")
        .cause(format!("No answer came back from the browser within {} minutes.", (seconds / 60).max(1)))
        .cause("The browser may be waiting on a page that did not redirect back: for example an error page about the callback URL.")
        .step("Start the sign-in again and finish it in the browser within the time.")
        .step("If the browser shows an error about the redirect or callback URL, the callback URL must be registered for your client ID by ScopeStack support.")
        .fix(Fix::SignInAgain)
}

pub fn cancelled() -> Diagnosis {
    Diagnosis::new(SIGNIN_CANCELLED, "The sign-in was cancelled")
        .cause("The sign-in was stopped before it finished; nothing was changed.")
        .step("Start it again when you are ready.")
        .fix(Fix::SignInAgain)
}

pub fn browser_not_opened() -> Diagnosis {
    Diagnosis::new(SIGNIN_BROWSER_NOT_OPENED, "The browser could not be opened")
        .cause("The app could not start your web browser on this computer.")
        .step("Copy the sign-in address the app shows, open it in your browser yourself, and sign in there.")
        .step("Or choose the in-app sign-in window in the settings.")
        .fix(Fix::OpenSettings { field: SettingsField::CallbackUrl })
}

pub fn authorization_denied(error: &str, description: Option<&str>) -> Diagnosis {
    let said = format!(
        "The sign-in page said: \"{error}\"{}",
        description.map(|d| format!(" — {d}")).unwrap_or_default()
    );
    let d = match error {
        "access_denied" => Diagnosis::new(SIGNIN_DENIED, "The sign-in was declined")
            .cause("Someone chose Deny on the sign-in page, or this ScopeStack account may not use this app.")
            .step("Start again and choose Allow. If the page does not offer it, ask a ScopeStack administrator.")
            .fix(Fix::SignInAgain),
        "invalid_scope" => Diagnosis::new(SIGNIN_REFUSED, "The sign-in page refused the requested scope")
            .cause("The scope (the list of rights asked for) is not allowed for this client. ScopeStack uses \"read write\".")
            .step("Set the scope to \"read write\" and sign in again.")
            .fix(Fix::OpenSettings { field: SettingsField::Scope }),
        "unauthorized_client" => Diagnosis::new(SIGNIN_REFUSED, "This client ID may not use browser login")
            .cause("The client ID is not set up for browser login.")
            .step("Ask ScopeStack support, or choose the method it was made for.")
            .fix(Fix::SwitchMethod { to: crate::profiles::Method::ClientCredentials })
            .fix(Fix::OpenSettings { field: SettingsField::ClientId }),
        _ => Diagnosis::new(SIGNIN_REFUSED, "The sign-in page refused the request")
            .cause("The server did not accept the sign-in request: the sign-in (authorize) URL, client ID or callback URL may be wrong.")
            .step("Check the sign-in URL (https://app.scopestack.io/oauth/authorize), the client ID and the callback URL.")
            .fix(Fix::OpenSettings { field: SettingsField::AuthorizeUrl })
            .fix(Fix::OpenSettings { field: SettingsField::CallbackUrl }),
    };
    d.cause(said)
}

fn with_callback(d: Diagnosis, ctx: &Context) -> Diagnosis {
    match &ctx.callback_url {
        Some(url) => d.fix(Fix::CopyCallbackUrl { url: url.clone() }),
        None => d,
    }
}

pub fn other(message: &str) -> Diagnosis {
    Diagnosis::new(LOCAL_OTHER, "Something went wrong on this computer")
        .cause(message.to_string())
        .step("Try again; if it repeats, restart the app.")
        .fix(Fix::Retry)
}
