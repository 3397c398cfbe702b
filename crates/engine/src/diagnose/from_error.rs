//! [`diagnose_error`]: an engine error, with what the app knows, turned into a [`Diagnosis`].

use super::api;
use super::codes::*;
use super::context::Context;
use super::diagnosis::{Diagnosis, Fix, SettingsField};
use super::{local, network, oauth, server, token_answer};
use crate::error::{AnswerFacts, EngineError, Problem};
use crate::http_answer::status_and_reason;
use crate::redact;

/// Explains an engine error: its likely causes, most likely first, and what to do.
pub fn diagnose_error(err: &EngineError, ctx: &Context) -> Diagnosis {
    let d = match err {
        EngineError::Profile(e) => local::profile(e),
        EngineError::Vault(e) => local::vault(e),
        EngineError::Lock(e) => local::lock(e),
        EngineError::MissingInput(message) => local::missing(message),
        EngineError::InvalidInput(message) => local::invalid(message),
        EngineError::Refused { error, description, .. } => oauth::diagnose(error, description.as_deref(), ctx),
        EngineError::BadResponse { status, detail, answer } => bad_response(*status, detail, answer),
        EngineError::Network { url, failure, detail } => network::diagnose(url, *failure, detail, ctx),
        EngineError::SignInAgain { reason } => sign_in_again(reason, ctx),
        EngineError::NoToken => Diagnosis::new(TOKEN_MISSING, "There is no access token yet")
            .cause("This profile has no token: none was fetched yet, it was revoked, or it was kept for the last session only.")
            .step("Click Get New Access Token.")
            .fix(Fix::SignInAgain),
        EngineError::Api { status, message, answer } => api_status(*status, message, answer, ctx),
        EngineError::AuthorizationDenied { error, description, .. } => local::authorization_denied(error, description.as_deref()),
        EngineError::StateMismatch => local::state_mismatch(),
        EngineError::BadCallbackUrl(_) => local::bad_callback_url(ctx),
        EngineError::PortInUse { port } => local::port_in_use(*port, ctx),
        EngineError::TimedOut { seconds } => local::timed_out(*seconds),
        EngineError::Cancelled => local::cancelled(),
        EngineError::BrowserOpen(_) => local::browser_not_opened(),
        EngineError::Local(message) => local::other(message),
        EngineError::SecretGivenElsewhere { secret, given_for, now } => local::secret_given_elsewhere(secret, given_for, now),
        EngineError::InsecureDestination { url } => local::insecure_destination(url),
        EngineError::PageLinkElsewhere { host, api } => local::page_link_elsewhere(host, api),
    };
    d.details(redact::excerpt(&err.to_string(), 800))
}

fn sign_in_again(reason: &str, ctx: &Context) -> Diagnosis {
    if reason.contains("expired or was revoked") {
        let d = oauth::diagnose(
            "invalid_grant",
            None,
            &Context { grant: Some(crate::profiles::Grant::RefreshToken), ..ctx.clone() },
        );
        let mut d = Diagnosis { code: TOKEN_REFRESH_TOKEN_EXPIRED, ..d };
        d.what_happened.retain(|c| !c.starts_with("The server said"));
        return d;
    }
    Diagnosis::new(TOKEN_CANNOT_RENEW, "The token cannot be renewed by itself")
        .cause(format!("The token has expired and the app cannot renew it on its own: {reason}"))
        .cause("Tokens from browser login are renewed with a refresh token; tokens from client credentials or the password method by asking again, which needs the secrets kept in the keychain.")
        .step("Get a new token the normal way. To let the app renew by itself next time, keep the client secret (and password) in the keychain.")
        .fix(Fix::SignInAgain)
}

/// Whether the answer was a web page: by its `Content-Type`, else by what it holds.
fn is_page(answer: &AnswerFacts, text: &str) -> bool {
    answer.content_type.as_deref().is_some_and(|ct| super::headers::media_type(ct) == "text/html")
        || super::body::looks_like_html(text)
}

fn bad_response(status: Option<u16>, detail: &str, answer: &AnswerFacts) -> Diagnosis {
    if let Some(d) = token_answer::from_facts(status, answer, detail) {
        return d;
    }
    if let Some(s) = status.filter(|s| (300..400).contains(s)) {
        return moved(s, answer.location.as_deref().unwrap_or(detail));
    }
    if let Some(s) = status.filter(|s| *s >= 500) {
        return server::failure(s, is_page(answer, detail).then_some(detail), answer.retry_after);
    }
    if is_page(answer, detail) {
        return Diagnosis::new(RESPONSE_HTML_PAGE, "A web page came back instead of data")
            .cause("The server answered with a web page (HTML) where the app expected data (JSON). A network sign-in page (hotel or guest Wi-Fi), a company proxy, or a maintenance page can do this.")
            .cause("The address may point at ScopeStack's website rather than its API: the API is at https://api.scopestack.io.")
            .step("Open https://api.scopestack.io in your browser: if another page shows up, deal with it first (accept the network's terms, or ask IT).")
            .step("Check the API URL in the settings, then try again.")
            .fix(Fix::OpenSettings { field: SettingsField::ApiUrl })
            .fix(Fix::Retry);
    }
    match answer.problem {
        Some(Problem::BodyTooLarge) => Diagnosis::new(RESPONSE_TOO_LARGE, "The answer is too large")
            .cause("The answer was larger than the app's limit, so it stopped receiving it.")
            .step("Ask for less at once: use paging (page[size]) or filters."),
        Some(Problem::Damaged) => Diagnosis::new(RESPONSE_DAMAGED, "The answer arrived damaged")
            .cause("The server said the answer was compressed, but it could not be unpacked: it was cut short or damaged on the way.")
            .step("Try again; if it repeats, try another network.")
            .fix(Fix::Retry),
        Some(Problem::NotJson) => Diagnosis::new(RESPONSE_NOT_JSON, "The answer is not in the expected format")
            .cause("The server answered, but not with the JSON the app expected: the address may point at something other than ScopeStack's API.")
            .step("Check the API URL: it should be https://api.scopestack.io.")
            .fix(Fix::OpenSettings { field: SettingsField::ApiUrl })
            .fix(Fix::Retry),
        _ => Diagnosis::new(RESPONSE_UNUSABLE, "The server's answer could not be used")
            .cause("The server answered with something the app could not use; the details below show what came back.")
            .step("Check the address in the settings, then try again.")
            .fix(Fix::Retry),
    }
}

fn api_status(status: u16, message: &str, answer: &AnswerFacts, ctx: &Context) -> Diagnosis {
    let page = is_page(answer, message).then_some(message);
    match status {
        300..=399 => moved(status, answer.location.as_deref().unwrap_or(message)),
        429 => server::rate_limited(answer.retry_after),
        500..=599 => server::failure(status, page, answer.retry_after),
        _ => {
            // `Api` errors come from the verify call, whose message starts with the URL it used.
            let mut ctx = ctx.clone();
            if let Some(me) = message.split_whitespace().find(|w| w.contains("/v1/me")) {
                ctx.url = Some(me.to_string());
            }
            let headers = answer.headers();
            let clock_skew = super::headers::clock_skew_secs(&headers, crate::tokens::now_unix());
            api::diagnose(
                &api::Answer { status, headers: &headers, body: message.as_bytes(), clock_skew },
                &ctx,
            )
        }
    }
}

fn moved(status: u16, detail: &str) -> Diagnosis {
    Diagnosis::new(RESPONSE_REDIRECT, "The address has moved")
        .cause(format!(
            "The server answered {} (a redirect). The app does not follow redirects by itself, so that tokens and secrets never go to another address.",
            status_and_reason(status)
        ))
        .cause("The address in the settings may be old, or use http:// where the server wants https://.")
        .step("Check the address in the settings; the details below show where the server points.")
        .fix(Fix::OpenSettings { field: SettingsField::ApiUrl })
        .cause(format!("What came back: {}", redact::excerpt(detail, 200)))
}
