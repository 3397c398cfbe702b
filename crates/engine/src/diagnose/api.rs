//! API error answers — 401, 403, 404, 405, 406, 409, 415, 400, 422 and other 4xx — ranked with
//! what the app knows: whether a token was sent and its shape, its age, the path, the headers.

use super::body::{self, ApiError};
use super::codes::*;
use super::context::Context;
use super::diagnosis::{Diagnosis, Fix, SettingsField};
use super::headers;
use super::urls;
use super::words::ACCESS_TOKEN;
use crate::http_answer::{status_and_reason, JSON_API};

/// ScopeStack's access tokens last about two hours.
const TOKEN_LIFETIME_SECS: i64 = 7200;

/// What an API error answer carried.
pub struct Answer<'a> {
    pub status: u16,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    /// Server time minus ours, from `Date`.
    pub clock_skew: Option<i64>,
}

/// The diagnosis of a 4xx API answer (5xx and 429 are in [`super::server`]).
pub fn diagnose(a: &Answer<'_>, ctx: &Context) -> Diagnosis {
    let errors = body::api_errors(a.body);
    let mut d = match a.status {
        401 => unauthorized(a, ctx),
        403 => forbidden(a, ctx),
        404 => not_found(ctx),
        405 => Diagnosis::new(API_METHOD_NOT_ALLOWED, "This address does not take this kind of request")
            .cause(format!(
                "The server does not accept {} at this address (405 Method Not Allowed).",
                ctx.http_method.as_deref().map(|m| format!("a {m} request")).unwrap_or_else(|| "this kind of request".into())
            ))
            .step("Check the request's method (GET to read, POST to create, PATCH to change, DELETE to remove) and the address.")
            .fix(Fix::OpenSettings { field: SettingsField::RequestUrl }),
        406 => accept(ctx),
        415 => content_type(ctx),
        400 if mentions(&errors, a.body, "accept") && !mentions(&errors, a.body, "content-type") => accept(ctx),
        400 if ctx.is_write()
            && (mentions(&errors, a.body, "content-type") || mentions(&errors, a.body, "media type") || !sent_json_api(&ctx.sent_content_type)) =>
        {
            content_type(ctx)
        }
        400 => Diagnosis::new(API_BAD_REQUEST, "The server could not read the request")
            .cause("Something in the request is malformed: a query parameter (filter, page, sort, include) or the body.")
            .step("Compare the request with the API documentation; the server's messages are listed below.")
            .fix(Fix::OpenSettings { field: SettingsField::RequestBody }),
        409 => Diagnosis::new(API_CONFLICT, "The change conflicts with the current data")
            .cause("The record changed in the meantime, or one with the same name or identifier exists already (409 Conflict).")
            .step("Reload the record, then make the change again."),
        422 => validation(&errors),
        407 => Diagnosis::new(NET_PROXY_AUTH_REQUIRED, "The proxy server wants a sign-in")
            .cause("Your network's proxy server asked for a user name and password (407) before letting the request through.")
            .step("Ask your IT team for the proxy's sign-in, or for an address the proxy lets through.")
            .fix(Fix::Retry),
        _ => Diagnosis::new(API_CLIENT_ERROR, format!("The server refused the request ({})", a.status))
            .cause(format!("The server answered {}: it found something wrong with the request.", status_and_reason(a.status)))
            .step("Check the request; the server's messages are listed below.")
            .fix(Fix::Retry),
    };
    if a.status != 422 {
        for e in errors.iter().take(5) {
            d = d.cause(format!("The server said: {}", e.message()));
        }
    }
    if let Some(text) = std::str::from_utf8(a.body).ok().filter(|t| body::looks_like_html(t)) {
        d = d.cause(format!(
            "The answer was a web page, not the API's JSON{}: a proxy, firewall or gateway may have answered instead of ScopeStack.",
            body::html_title(text).map(|t| format!(" (\"{t}\")")).unwrap_or_default()
        ));
    }
    d
}

fn unauthorized(a: &Answer<'_>, ctx: &Context) -> Diagnosis {
    let (challenge_error, challenge_description) = headers::get(a.headers, "www-authenticate")
        .map(headers::bearer_challenge)
        .unwrap_or_default();
    let said = challenge_description.clone().unwrap_or_default().to_ascii_lowercase();
    let token = ctx.sent_token.as_ref().map(|t| t.expose().trim().to_string());
    let renew = |d: Diagnosis| d.fix(Fix::RenewToken).fix(Fix::SignInAgain);
    let aged = ctx.token_expired == Some(true)
        || ctx.token_age_secs.is_some_and(|age| age >= TOKEN_LIFETIME_SECS)
        || said.contains("expired");
    let d = if ctx.sent_authorization == Some(false) || token.as_deref() == Some("") {
        Diagnosis::new(API_UNAUTHORIZED_NO_TOKEN, "The request carried no access token")
            .cause(format!("The request had no Authorization header, so the API did not know who was asking. Every request needs {ACCESS_TOKEN}."))
            .step("Send the header Authorization: Bearer followed by the token. In the app's request tester, choose the profile's token for the request.")
            .fix(Fix::OpenSettings { field: SettingsField::RequestHeaders })
            .fix(Fix::SignInAgain)
    } else if token.as_deref().is_some_and(|t| t.starts_with('{') || t.contains("access_token")) {
        Diagnosis::new(API_UNAUTHORIZED_TOKEN_IS_JSON, "The whole token answer was used as the token")
            .cause("What was sent as the token is the server's whole answer ({\"access_token\": ...}), not the token inside it. The API cannot read that.")
            .step("Use only the value of access_token — the long text between the quotes after \"access_token\":. The app's token panel copies just that.")
            .fix(Fix::OpenSettings { field: SettingsField::Token })
    } else if let Some(problem) = token.as_deref().and_then(malformed) {
        Diagnosis::new(
            API_UNAUTHORIZED_MALFORMED_TOKEN,
            "The token was sent in a shape the API cannot read",
        )
        .cause(problem)
        .step("Copy the token again with the app's copy button, and paste only the token.")
        .fix(Fix::OpenSettings { field: SettingsField::Token })
        .fix(Fix::SignInAgain)
    } else if aged {
        let age = ctx
            .token_age_secs
            .map(age_words)
            .map(|w| format!(" It was issued {w} ago; tokens last about two hours."))
            .unwrap_or_default();
        renew(
            Diagnosis::new(API_UNAUTHORIZED_EXPIRED, "The access token has expired")
                .cause(format!("The token is too old to be accepted.{age}"))
                .step("Renew the token (or get a new one), then send the request again."),
        )
    } else if said.contains("revoked") {
        renew(
            Diagnosis::new(API_UNAUTHORIZED_REVOKED, "The access token was cancelled")
                .cause("The token was revoked: someone signed out, cancelled it, or changed the user's password.")
                .step("Get a new token."),
        )
    } else if a.clock_skew.is_some_and(headers::is_skewed) && ctx.token_expired != Some(true) {
        let skew = a.clock_skew.unwrap_or(0);
        renew(
            Diagnosis::new(API_UNAUTHORIZED_CLOCK_SKEW, "The token was refused — and this computer's clock is off")
                .cause(format!(
                    "The server's clock says another time than this computer's ({}). The app decides when to renew the token by this computer's clock, so it may have kept a token the server considers expired.",
                    headers::skew_words(skew)
                ))
                .step("Set this computer's date and time automatically (in the system settings).")
                .step("Then renew the token and try again."),
        )
    } else {
        renew(
            Diagnosis::new(API_UNAUTHORIZED, "The API did not accept the access token")
                .cause("The token expired, was revoked, or belongs to another server (for example a sandbox token sent to ScopeStack).")
                .cause("The user the token belongs to may have been deactivated.")
                .step("Renew the token or get a new one, then try again.")
                .step("If a new token is refused too, ask a ScopeStack administrator whether the user is active."),
        )
    };
    match challenge_error {
        Some(e) => d.cause(format!(
            "The server said: {e}{}",
            challenge_description.map(|s| format!(" — {s}")).unwrap_or_default()
        )),
        None => d,
    }
}

/// What is wrong with a token's shape, if anything.
fn malformed(token: &str) -> Option<String> {
    let lower = token.to_ascii_lowercase();
    if lower.starts_with("bearer ") {
        Some("The token starts with the word \"Bearer\" — it was sent as \"Bearer Bearer ...\". The app adds \"Bearer\" itself.".into())
    } else if token.starts_with('"') || token.starts_with('\'') || token.ends_with('"') {
        Some("The token has quotation marks around it, copied along with it.".into())
    } else if token.chars().any(char::is_whitespace) {
        Some(
            "The token has spaces or line breaks inside it, probably from copying it across lines."
                .into(),
        )
    } else if !token.is_ascii() {
        Some("The token contains characters that are not plain letters and digits, probably from copying it through a document or chat app.".into())
    } else {
        None
    }
}

fn age_words(secs: i64) -> String {
    match secs.max(0) {
        s if s < 120 => format!("{s} seconds"),
        s if s < 7200 => format!("{} minutes", s / 60),
        s if s < 172_800 => format!("{} hours", s / 3600),
        s => format!("{} days", s / 86_400),
    }
}

fn forbidden(a: &Answer<'_>, ctx: &Context) -> Diagnosis {
    let (challenge_error, _) = headers::get(a.headers, "www-authenticate")
        .map(headers::bearer_challenge)
        .unwrap_or_default();
    // The scope a request needs on ScopeStack: write to change anything, read otherwise.
    let needed = if ctx.is_write() { "write" } else { "read" };
    let has = |scopes: &[String]| -> String {
        if scopes.is_empty() {
            "none".into()
        } else {
            scopes.join(" ")
        }
    };
    let scope_lacking = |scopes: Option<&[String]>| {
        let it_has = scopes.map(|s| format!(" (it has: {})", has(s))).unwrap_or_default();
        Diagnosis::new(API_FORBIDDEN_SCOPE, format!("The token lacks the {needed} scope"))
            .cause(format!(
                "The token lacks the {needed} scope{it_has} — get a token with scope 'read write'."
            ))
            .cause("A token carries only the scopes (the list of rights it asks for) it was issued with; your role does not come into it. ScopeStack's tokens ask for \"read write\".")
            .step("Set the profile's scope to \"read write\", get a new token, and send the request again.")
            .fix(Fix::OpenSettings { field: SettingsField::Scope })
            .fix(Fix::SignInAgain)
    };
    if challenge_error.as_deref() == Some("insufficient_scope") {
        return scope_lacking(ctx.token_scopes.as_deref());
    }
    match ctx.token_scopes.as_deref() {
        Some(scopes) if !scopes.iter().any(|s| s == needed) => return scope_lacking(Some(scopes)),
        Some(scopes) => {
            return Diagnosis::new(API_FORBIDDEN_ROLE, "Your role lacks the right for this")
                .cause(format!(
                    "Your role lacks the right for this — ask an account admin. The token carries the {needed} scope (it has: {}), so it is not the token: ScopeStack refused the user it acts for.",
                    has(scopes)
                ))
                .cause("The record may also belong to another account than the token's.")
                .step("Ask an account admin to give your role this right (Settings → Users in ScopeStack), or use a user that has it.")
                .step("The token's user and privileges are under \"Who the token acts as\" (GET /v1/me).")
        }
        None => {}
    }
    let d = Diagnosis::new(API_FORBIDDEN, "Your token works, but this user may not do this");
    let d = if ctx.is_write() {
        d.cause(
            "The user's role in ScopeStack allows reading but not this change: reading often works while creating, changing or deleting does not.",
        )
    } else {
        d.cause("The user's role in ScopeStack does not include this data or action.")
    };
    d.cause("The token may lack the scope for this (ScopeStack's tokens ask for \"read write\"); its details tell which scopes it has.")
        .cause("The record may belong to another account than the token's.")
        .step("Check the user's role and privileges in ScopeStack (Settings → Users), or ask an administrator to grant the right.")
        .step("Verify the token (GET /v1/me) to see which user and account it belongs to, and its privileges.")
}

fn not_found(ctx: &Context) -> Diagnosis {
    let url = ctx.url.as_deref().and_then(urls::parse_loose);
    let base = ctx.api_url.as_deref().and_then(urls::parse_loose);
    if let Some((url, resource)) = url
        .as_ref()
        .and_then(|u| urls::missing_account_slug_under(u, base.as_ref()).map(|r| (u, r)))
    {
        return Diagnosis::new(API_NOT_FOUND_MISSING_ACCOUNT_SLUG, "The account is missing from the address")
            .cause(format!(
                "Account data such as {resource} lives under the account's short name (its \"slug\"): {}. The address has /v1/ straight after the host.",
                urls::with_slug_placeholder(url)
            ))
            .step("Put your account slug in front of /v1 — the Verify step (GET /v1/me) shows it as account-slug. In the request tester, {account-slug} is filled in for you.")
            .fix(Fix::OpenSettings { field: SettingsField::RequestUrl });
    }
    if url.as_ref().is_some_and(|u| u.path().trim_end_matches('/').ends_with("/v1/me")) {
        let mut d = Diagnosis::new(
            API_NOT_FOUND_WRONG_API_URL,
            "The API URL does not lead to ScopeStack's API",
        )
        .cause("The check of the token (GET /v1/me) was not found at this API URL.");
        if url.as_ref().and_then(urls::host_role) == Some(urls::HostRole::App) {
            d = d.cause("The API URL points at app.scopestack.io, where sign-in lives; the API is at api.scopestack.io.");
        }
        return d
            .cause("The API URL may have a path it should not have (such as /v1): it should be only the host, such as https://api.scopestack.io.")
            .step("Set the API URL to https://api.scopestack.io (or your server's own).")
            .fix(Fix::OpenSettings { field: SettingsField::ApiUrl });
    }
    Diagnosis::new(API_NOT_FOUND, "Not found")
        .cause("No record or address matches: the ID may be wrong, or the record was deleted or belongs to another account.")
        .cause("Account data must have the account slug in front of /v1 (https://api.scopestack.io/{account-slug}/v1/...).")
        .step("Check the address and the record's ID.")
        .fix(Fix::OpenSettings { field: SettingsField::RequestUrl })
}

fn sent_json_api(sent: &Option<String>) -> bool {
    sent.as_deref().is_some_and(headers::is_json_api_media)
}

fn accept(ctx: &Context) -> Diagnosis {
    match ctx.sent_accept.as_deref().filter(|a| !a.trim().is_empty()) {
        Some(sent) if !sent.contains(JSON_API) => Diagnosis::new(API_ACCEPT_HEADER_WRONG, "The API wants a different Accept header")
            .cause(format!("The request said it accepts \"{sent}\", but ScopeStack's API answers only in its JSON:API format (406 Not Acceptable)."))
            .step(format!("Set the header Accept: {JSON_API}"))
            .fix(Fix::AddAcceptHeader),
        _ => Diagnosis::new(API_ACCEPT_HEADER_MISSING, "The Accept header is missing")
            .cause("ScopeStack's API answers only requests that say they accept its JSON:API format (406 Not Acceptable).")
            .step(format!("Add the header Accept: {JSON_API}"))
            .fix(Fix::AddAcceptHeader),
    }
}

fn content_type(ctx: &Context) -> Diagnosis {
    match ctx.sent_content_type.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(sent) if !headers::is_json_api_media(sent) => {
            Diagnosis::new(API_CONTENT_TYPE_HEADER_WRONG, "The body is labelled with the wrong Content-Type")
                .cause(format!("The request's body was labelled \"{sent}\"; ScopeStack's API takes bodies only in its JSON:API format."))
                .step(format!(
                    "Set the header Content-Type: {JSON_API}, and shape the body as {{\"data\": {{\"type\": ..., \"attributes\": {{...}}}}}}."
                ))
                .fix(Fix::AddContentTypeHeader)
        }
        _ => Diagnosis::new(API_CONTENT_TYPE_HEADER_MISSING, "The Content-Type header is missing")
            .cause("Requests that send a body (POST, PATCH) must say it is in ScopeStack's JSON:API format.")
            .step(format!("Add the header Content-Type: {JSON_API}"))
            .fix(Fix::AddContentTypeHeader),
    }
}

fn validation(errors: &[ApiError]) -> Diagnosis {
    let mut d = Diagnosis::new(API_VALIDATION_FAILED, "The server did not accept some of the values")
        .cause("The request was understood, but some fields are missing or have values the server does not accept (422). Each problem is shown beside its field.");
    for e in errors.iter().take(50) {
        d.field_errors.push(e.field_error());
    }
    for f in d.field_errors.clone().iter().take(10) {
        d = d.cause(match (&f.field, &f.pointer) {
            (Some(field), Some(pointer)) => format!("{field} ({pointer}): {}", f.message),
            (Some(field), None) => format!("{field}: {}", f.message),
            _ => f.message.clone(),
        });
    }
    d.step("Correct the fields listed, then send the request again.")
        .fix(Fix::OpenSettings { field: SettingsField::RequestBody })
}

fn mentions(errors: &[ApiError], body: &[u8], word: &str) -> bool {
    errors.iter().any(|e| e.message().to_ascii_lowercase().contains(word))
        || String::from_utf8_lossy(&body[..body.len().min(4096)])
            .to_ascii_lowercase()
            .contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORBIDDEN: &[u8] = br#"{"errors":[{"title":"Forbidden","detail":"You are not allowed to perform this action.","code":"403","status":"403"}]}"#;

    fn forbidden_answer(
        method: &str,
        scopes: Option<&[&str]>,
        headers: &[(String, String)],
    ) -> Diagnosis {
        let ctx = Context::default()
            .api_request(method, "https://api.scopestack.io/acme/v1/projects/1")
            .with_token_scopes(scopes.map(|s| s.iter().map(|w| w.to_string()).collect()));
        diagnose(&Answer { status: 403, headers, body: FORBIDDEN, clock_skew: None }, &ctx)
    }

    #[test]
    fn a_403_with_a_read_only_token_says_the_write_scope_is_missing() {
        let d = forbidden_answer("PATCH", Some(&["read"]), &[]);
        assert_eq!(d.code, API_FORBIDDEN_SCOPE);
        assert_eq!(d.title, "The token lacks the write scope");
        assert_eq!(
            d.what_happened[0],
            "The token lacks the write scope (it has: read) — get a token with scope 'read write'."
        );
        assert!(d.fixes.contains(&Fix::OpenSettings { field: SettingsField::Scope }));
        // A token with no scope at all, for a read.
        let d = forbidden_answer("GET", Some(&[]), &[]);
        assert_eq!(d.code, API_FORBIDDEN_SCOPE);
        assert!(
            d.what_happened[0].contains("lacks the read scope (it has: none)"),
            "{:?}",
            d.what_happened
        );
    }

    #[test]
    fn a_403_with_the_scopes_needed_says_the_role_lacks_the_right() {
        let d = forbidden_answer("POST", Some(&["read", "write"]), &[]);
        assert_eq!(d.code, API_FORBIDDEN_ROLE);
        assert!(
            d.what_happened[0]
                .starts_with("Your role lacks the right for this — ask an account admin."),
            "{:?}",
            d.what_happened
        );
        assert!(d.what_happened[0].contains("(it has: read write)"));
        assert!(!d.fixes.contains(&Fix::SignInAgain), "a new token would not help");
        // A read with a read-only token is the role too.
        assert_eq!(forbidden_answer("GET", Some(&["read"]), &[]).code, API_FORBIDDEN_ROLE);
    }

    #[test]
    fn without_known_scopes_the_403_names_both_and_the_servers_challenge_wins() {
        let d = forbidden_answer("PATCH", None, &[]);
        assert_eq!(d.code, API_FORBIDDEN);
        assert!(d.what_happened.iter().any(|c| c.contains("scope")), "{:?}", d.what_happened);
        let challenge =
            [("WWW-Authenticate".to_string(), r#"Bearer error="insufficient_scope""#.to_string())];
        let d = forbidden_answer("PATCH", Some(&["read", "write"]), &challenge);
        assert_eq!(d.code, API_FORBIDDEN_SCOPE, "the server's own word comes first");
        assert_eq!(forbidden_answer("GET", None, &challenge).code, API_FORBIDDEN_SCOPE);
    }
}
