//! The token endpoint's OAuth errors (`invalid_client`, `invalid_grant`, ...) as ScopeStack
//! documents their causes, ranked with what the app knows of the attempt.

use super::codes::*;
use super::context::Context;
use super::diagnosis::{Diagnosis, Fix, SettingsField};
use super::lookalike;
use super::words::{self, CALLBACK, CLIENT, GRANT, GRANT_DEFINED};
use crate::profiles::{Grant, Method};

/// The diagnosis of an OAuth error from the token (or revocation) endpoint.
pub fn diagnose(error: &str, description: Option<&str>, ctx: &Context) -> Diagnosis {
    let said = match description {
        Some(d) if !d.trim().is_empty() => format!("The server said: \"{error}\" — {}", d.trim()),
        _ => format!("The server said: \"{error}\"."),
    };
    let said = if said.to_ascii_lowercase().contains("grant") {
        format!("{said} ({GRANT_DEFINED})")
    } else {
        said
    };
    let d = if ctx.is_revocation() {
        revocation(error)
    } else {
        match error {
            "invalid_client" => invalid_client(ctx),
            "invalid_grant" => invalid_grant(description, ctx),
            "unauthorized_client" => unauthorized_client(ctx),
            "unsupported_grant_type" => unsupported_grant_type(ctx),
            "invalid_scope" => Diagnosis::new(OAUTH_INVALID_SCOPE, "The server does not accept the requested scope")
                .cause("The scope (the list of rights the token asks for) is not one this client may have. ScopeStack uses \"read write\".")
                .step("Set the scope to: read write")
                .fix(Fix::OpenSettings { field: SettingsField::Scope }),
            "invalid_request" => invalid_request(ctx),
            "access_denied" => Diagnosis::new(OAUTH_ACCESS_DENIED, "Access was denied")
                .cause("The user or the server said no to giving this app a token.")
                .step("Get a new token and, on the sign-in page, choose Allow.")
                .step("If it repeats, ask your ScopeStack administrator whether this account may use the API.")
                .fix(Fix::SignInAgain),
            "server_error" | "temporarily_unavailable" => Diagnosis::new(OAUTH_SERVER_ERROR, "ScopeStack's sign-in service had a problem")
                .cause("The problem is on the server's side, not in your settings.")
                .step("Wait a minute and try again.")
                .step("If it keeps happening, check ScopeStack's status or contact ScopeStack support.")
                .fix(Fix::Retry),
            _ => Diagnosis::new(OAUTH_OTHER, format!("The server refused the token request ({error})"))
                .cause("The server gave a reason this app does not know. Its message is below.")
                .step("Check the settings of this profile, then try again.")
                .step("If it repeats, send the details to ScopeStack support.")
                .fix(Fix::Retry),
        }
    };
    d.cause(said)
}

fn invalid_client(ctx: &Context) -> Diagnosis {
    let id = ctx.client_id.as_deref().unwrap_or("");
    let (around, inside) = lookalike::whitespace(id);
    let unusual = lookalike::unusual_characters(id);
    let confusable = lookalike::ascii_confusables(id.trim());
    let open = |d: Diagnosis| {
        d.fix(Fix::OpenSettings { field: SettingsField::ClientId })
            .fix(Fix::OpenSettings { field: SettingsField::ClientSecret })
    };
    let mut d = if around || inside {
        Diagnosis::new(OAUTH_INVALID_CLIENT_WHITESPACE, "The client ID has spaces in it")
            .cause(format!(
                "The client ID you entered has {} — easy to pick up when copying. ScopeStack did not recognise it.",
                if around { "a space or line break at its start or end" } else { "a space inside it" }
            ))
            .step("Open the settings and remove the spaces from the client ID (the app trims the ends, but spaces inside stay).")
    } else if !unusual.is_empty() {
        Diagnosis::new(OAUTH_INVALID_CLIENT_UNUSUAL_CHARACTERS, "The client ID contains characters that only look right")
            .cause(format!(
                "The client ID contains characters that are not plain letters or digits, though they may look like them: {}. They usually come from copying through a document or chat app.",
                lookalike::list(&unusual, 5)
            ))
            .step(format!("Replace the client ID with: {} (the same, with those characters made plain) — or copy it again from ScopeStack as plain text.", lookalike::cleaned(id)))
    } else if !confusable.is_empty() && ctx.client_id.is_some() {
        Diagnosis::new(OAUTH_INVALID_CLIENT_LOOKALIKE_CHARACTERS, "The server does not recognise this client ID and secret")
            .cause(format!(
                "The client ID or secret does not match what ScopeStack has. If it was typed by hand, a 0 (zero) may have become an O, or an l (small L) an I (capital i). Check these characters of the client ID: {}.",
                lookalike::list(&confusable, 8)
            ))
            .step("Copy the client ID and secret again, rather than typing them, and paste them into the settings.")
    } else {
        Diagnosis::new(OAUTH_INVALID_CLIENT, "The server does not recognise this client ID and secret")
            .cause("The client ID or secret does not match what ScopeStack has: a character differs (0 and O, or l and I, are easily mixed up), or the secret is old.")
            .step("Copy the client ID and secret again, rather than typing them, and paste them into the settings.")
    };
    d = d.cause(format!(
        "The client secret may be wrong or out of date. ScopeStack shows a client secret only once, when it is created, and a new one replaces the old. (The client ID and secret are {}.)",
        CLIENT.trim_start_matches("the client ID and client secret (").trim_end_matches(')')
    ));
    if ctx.method == Some(Method::ClientCredentials) {
        d = d.cause("For client credentials, the client ID must be a service account's, not the account-level one used for the password method or browser login.");
    }
    open(d.step(
        "If it still fails, ask ScopeStack support to check that the client exists and is active.",
    ))
}

fn invalid_grant(description: Option<&str>, ctx: &Context) -> Diagnosis {
    let mentions_redirect =
        description.is_some_and(|d| d.to_ascii_lowercase().contains("redirect"));
    match ctx.grant() {
        Some(Grant::Password) if ctx.sent_redirect_uri => Diagnosis::new(OAUTH_INVALID_GRANT_REDIRECT_URI_WITH_PASSWORD, "A callback URL was sent with the password method")
            .cause(format!(
                "The request used the password method and also sent a callback URL (redirect_uri). ScopeStack refuses {GRANT} when both come together. This is the known pitfall of Postman's \"Password Credentials\" option."
            ))
            .step("Use the password method without a callback URL — the app does this for you.")
            .step("Or, better for new setups, use Client credentials.")
            .fix(Fix::SwitchToPasswordWithoutRedirectUri)
            .fix(Fix::SwitchMethod { to: Method::ClientCredentials }),
        Some(Grant::Password) => Diagnosis::new(OAUTH_INVALID_GRANT_PASSWORD, "ScopeStack did not accept the email and password")
            .cause("The service account's email or password is wrong (check Caps Lock, and copy the password again).")
            .cause("The user was deactivated in ScopeStack.")
            .cause("The user was invited but has not accepted the invitation yet, so the account is not active.")
            .step("Check the email and password: sign in with them at app.scopestack.io in a browser.")
            .step("If that fails too, ask a ScopeStack administrator to reactivate the user or send the invitation again.")
            .step("For automations, Client credentials avoids passwords altogether.")
            .fix(Fix::OpenSettings { field: SettingsField::Password })
            .fix(Fix::OpenSettings { field: SettingsField::Username })
            .fix(Fix::SwitchMethod { to: Method::ClientCredentials }),
        Some(Grant::AuthorizationCode) => {
            let mut d = Diagnosis::new(OAUTH_INVALID_GRANT_AUTHORIZATION_CODE, "The sign-in could not be completed")
                .cause("The one-time sign-in code expired (it lasts only a few minutes) or was already used — for example when the browser page was reloaded.")
                .cause(format!("The callback URL differs from the one registered for this client ID: {CALLBACK}."))
                .step("Get a new token and finish signing in straight away.")
                .step("If it fails again, compare the callback URL with the one ScopeStack support registered for your client ID.")
                .fix(Fix::SignInAgain)
                .fix(Fix::OpenSettings { field: SettingsField::CallbackUrl });
            if let Some(url) = &ctx.callback_url {
                d = d.fix(Fix::CopyCallbackUrl { url: url.clone() });
            }
            d
        }
        Some(Grant::RefreshToken) => Diagnosis::new(OAUTH_INVALID_GRANT_REFRESH_TOKEN, "The token can no longer be renewed")
            .cause("The refresh token (the code that renews the access token) expired — it lapses after about 30 days unused — or it was revoked.")
            .cause("The user's password changed, or the user was deactivated.")
            .step("Get a new token the normal way.")
            .fix(Fix::SignInAgain),
        Some(Grant::ClientCredentials) => Diagnosis::new(OAUTH_INVALID_GRANT_CLIENT_CREDENTIALS, "ScopeStack refused the client credentials")
            .cause("The service account behind this client ID may be deactivated, or the client was removed.")
            .step("Ask a ScopeStack administrator to check the service account, or create a new client ID and secret for it.")
            .fix(Fix::OpenSettings { field: SettingsField::ClientId }),
        _ => {
            // Only a request known to have carried a callback URL (one typed or pasted into the
            // request tester) can be Postman's pitfall: the app's own password requests never do.
            let mut d = Diagnosis::new(OAUTH_INVALID_GRANT, "ScopeStack refused the request for a token");
            if ctx.sent_redirect_uri {
                d = d.cause(
                    "The request sent a callback URL (redirect_uri) with a password, as Postman's \"Password Credentials\" option does, and ScopeStack refuses a password request that carries one. Use Client credentials, or Browser login, instead.",
                );
            }
            let code_first = mentions_redirect && !ctx.sent_redirect_uri;
            let password = "The password is wrong, the user is deactivated, or the invitation was not accepted yet.";
            let code = "The one-time sign-in code expired or was already used, or the callback URL differs from the registered one.";
            let (first, second) = if code_first { (code, password) } else { (password, code) };
            d.cause(first)
                .cause(second)
                .step("Choose one of the app's three methods and fill in its fields; the app sends exactly what ScopeStack expects.")
                .fix(Fix::SwitchMethod { to: Method::ClientCredentials })
                .fix(Fix::SwitchMethod { to: Method::BrowserLogin })
                .fix(Fix::SignInAgain)
        }
    }
}

fn unauthorized_client(ctx: &Context) -> Diagnosis {
    let mut d = Diagnosis::new(OAUTH_UNAUTHORIZED_CLIENT, "This client ID may not use this method")
        .cause(format!(
            "Each client ID is set up for certain ways of getting a token; {} is not one of them for this client ({GRANT}).",
            ctx.grant().map(words::grant_name).unwrap_or("this method")
        ))
        .cause("Service-account client IDs are for Client credentials; the account-level client ID is for the password method and browser login.")
        .step("Choose the method this client ID was made for, or ask ScopeStack support which one it is.");
    for m in words::other_methods(ctx.method) {
        d = d.fix(Fix::SwitchMethod { to: m });
    }
    d.fix(Fix::OpenSettings { field: SettingsField::ClientId })
}

fn unsupported_grant_type(ctx: &Context) -> Diagnosis {
    let mut d = Diagnosis::new(OAUTH_UNSUPPORTED_GRANT_TYPE, "The server does not offer this way of getting a token")
        .cause(format!("The token URL answered, but does not support {} ({GRANT}).", ctx.grant().map(words::grant_name).unwrap_or("this method")))
        .cause("The token URL may point at another service than ScopeStack's sign-in. It should be https://app.scopestack.io/oauth/token.")
        .step("Check the token URL, or choose another method.")
        .fix(Fix::OpenSettings { field: SettingsField::TokenUrl });
    for m in words::other_methods(ctx.method) {
        d = d.fix(Fix::SwitchMethod { to: m });
    }
    d
}

fn invalid_request(ctx: &Context) -> Diagnosis {
    let mut d =
        Diagnosis::new(OAUTH_INVALID_REQUEST, "The server found the token request incomplete");
    if ctx.grant() == Some(Grant::Password) && ctx.sent_redirect_uri {
        d = d
            .cause("A callback URL (redirect_uri) was sent with the password method, which ScopeStack does not expect.")
            .fix(Fix::SwitchToPasswordWithoutRedirectUri);
    }
    d.cause("A field the method needs is empty or was not sent: client ID, client secret, or for the password method the email and password.")
        .step("Fill in every field of the method in the settings, then try again.")
        .fix(Fix::OpenSettings { field: SettingsField::ClientId })
        .fix(Fix::Retry)
}

fn revocation(error: &str) -> Diagnosis {
    if error == "invalid_client" {
        Diagnosis::new(OAUTH_REVOKE_INVALID_CLIENT, "The server wants the client ID and secret to cancel the token")
            .cause(format!("To cancel (revoke) a token, ScopeStack checks {CLIENT}; they were missing or wrong."))
            .step("Enter the client secret in the settings and try again. The token was already removed from this computer.")
            .fix(Fix::OpenSettings { field: SettingsField::ClientSecret })
            .fix(Fix::Retry)
    } else {
        Diagnosis::new(OAUTH_REVOKE_REFUSED, "The server did not cancel the token")
            .cause("The token was removed from this computer, but the server refused to cancel it; it may keep working there until it expires (about two hours).")
            .step("If the token may have leaked, ask a ScopeStack administrator to revoke the client's tokens.")
            .fix(Fix::Retry)
    }
}
