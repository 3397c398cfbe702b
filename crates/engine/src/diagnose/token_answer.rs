//! Token endpoint answers that are not a usable token — redirects, web pages, empty or cut-off
//! bodies, wrong content types, missing or malformed fields — read from what the engine's
//! `BadResponse` knows of the answer ([`AnswerFacts`]).

use super::body;
use super::codes::*;
use super::diagnosis::{Diagnosis, Fix, SettingsField};
use super::server;
use crate::error::{AnswerFacts, Problem};
use crate::http_answer::Answer;
use crate::redact;

/// The diagnosis of a `BadResponse` about a token answer; `None` when it is not one. `detail`
/// holds an excerpt of the answer (a web page's title and origin are read from it).
pub fn from_facts(status: Option<u16>, answer: &AnswerFacts, detail: &str) -> Option<Diagnosis> {
    let token_url = || Fix::OpenSettings { field: SettingsField::TokenUrl };
    let status_code = status.unwrap_or(0);
    let d = match answer.problem.as_ref()? {
        Problem::Redirect => {
            let elsewhere = answer.location.as_deref().map(|l| redact::excerpt(l, 200));
            Diagnosis::new(TOKEN_RESPONSE_REDIRECT, "The token URL sends requests elsewhere")
                .cause(format!(
                    "The token URL answered {status_code} (a redirect){}. The app never follows a token URL somewhere else, because the request carries the client secret.",
                    elsewhere.as_deref().map(|l| format!(" pointing to {l}")).unwrap_or_default()
                ))
                .cause("The token URL is probably old or mistyped (http:// instead of https://, a missing /oauth/token, or another host). ScopeStack's is https://app.scopestack.io/oauth/token.")
                .step("Correct the token URL in the settings. Use the address it points to only if you recognise and trust it.")
                .fix(token_url())
        }
        Problem::Unusable(kind) => from_status(status_code, *kind, answer, detail),
        Problem::TokenTooLarge => Diagnosis::new(TOKEN_RESPONSE_TOO_LARGE, "The token URL sent a huge answer")
            .cause("The answer was larger than 1 MB; a token answer is a few hundred bytes. The app stopped reading it.")
            .cause("The token URL probably points at a file or a page rather than ScopeStack's sign-in service.")
            .step("Check the token URL: it should be https://app.scopestack.io/oauth/token.")
            .fix(token_url()),
        Problem::TokenCutOff => Diagnosis::new(TOKEN_RESPONSE_TRUNCATED_JSON, "The token answer was cut off")
            .cause("The server's answer stopped in the middle: the connection may have dropped, or a proxy cut the answer short.")
            .step("Try again.")
            .step("If it repeats, try another network, or ask your IT team whether a proxy changes traffic to scopestack.io.")
            .fix(Fix::Retry),
        Problem::TokenNotJson => Diagnosis::new(TOKEN_RESPONSE_NOT_JSON, "The token answer is not readable")
            .cause("The server answered with text that is not valid JSON, the format a token comes in.")
            .cause("The token URL may point at something other than ScopeStack's sign-in service, or something in between changed the answer.")
            .step("Check the token URL, then try again.")
            .fix(token_url())
            .fix(Fix::Retry),
        Problem::MissingAccessToken => Diagnosis::new(TOKEN_RESPONSE_MISSING_ACCESS_TOKEN, "The answer has no access token in it")
            .cause("The server answered with JSON, but without an access_token — so it is not a token answer.")
            .cause("The token URL may point at another service or at an API address. ScopeStack's is https://app.scopestack.io/oauth/token.")
            .step("Check the token URL.")
            .fix(token_url()),
        Problem::EmptyAccessToken => Diagnosis::new(TOKEN_RESPONSE_EMPTY_ACCESS_TOKEN, "The server sent an empty access token")
            .cause("The answer has an access_token field, but it is empty: the server failed to make a token.")
            .step("Try again; if it repeats, contact ScopeStack support with the details.")
            .fix(Fix::Retry),
        problem @ (Problem::MissingTokenType | Problem::NotBearer) => {
            let code = if *problem == Problem::NotBearer { TOKEN_RESPONSE_NOT_BEARER } else { TOKEN_RESPONSE_MISSING_TOKEN_TYPE };
            Diagnosis::new(code, "The server sent a kind of token ScopeStack's API does not take")
                .cause(if code == TOKEN_RESPONSE_NOT_BEARER {
                    "The answer says the token is not a \"Bearer\" token, the only kind ScopeStack's API accepts."
                } else {
                    "The answer does not say what kind of token it is (no token_type); ScopeStack always says \"Bearer\"."
                })
                .cause("The token URL probably points at a server other than ScopeStack.")
                .step("Check the token URL: it should be https://app.scopestack.io/oauth/token.")
                .fix(token_url())
        }
        Problem::TokenField { field } => {
            let field = if field.is_empty() { "a field" } else { field.as_str() };
            let about = if field.contains("expires_in") {
                " (expires_in says how many seconds the token lasts, and must be a whole, positive number)"
            } else {
                ""
            };
            Diagnosis::new(TOKEN_RESPONSE_INVALID_FIELD, "The token answer has a field the app cannot read")
                .cause(format!("In the server's answer, {field} is missing or holds the wrong kind of value{about}."))
                .cause("The token URL may point at a server other than ScopeStack's, which always sends these fields correctly.")
                .step("Check the token URL, then try again. If it is ScopeStack's, send the details to ScopeStack support.")
                .fix(token_url())
                .fix(Fix::Retry)
        }
        _ => return None,
    };
    Some(d)
}

/// The status and body kind of an answer that was neither a token nor an OAuth error.
fn from_status(status: u16, kind: Answer, answer: &AnswerFacts, detail: &str) -> Diagnosis {
    let page = (kind == Answer::WebPage).then_some(detail);
    let retry_after = answer.retry_after;
    let content_type = answer.content_type.as_deref().map(|ct| redact::excerpt(ct, 80));
    let token_url = Fix::OpenSettings { field: SettingsField::TokenUrl };
    match status {
        0..=199 | 600.. => Diagnosis::new(TOKEN_RESPONSE_UNEXPECTED_STATUS, format!("The token URL answered with an unknown status ({status})"))
            .cause("The status code is not one web servers use: the token URL may point at something other than a sign-in service, or something in between is broken.")
            .step("Check the token URL, then try again.")
            .fix(token_url)
            .fix(Fix::Retry),
        429 => server::rate_limited(retry_after),
        407 => Diagnosis::new(NET_PROXY_AUTH_REQUIRED, "The proxy server wants a sign-in")
            .cause("Your network's proxy server asked for a user name and password (407) before letting the token request through.")
            .step("Ask your IT team for the proxy's sign-in, and put it in the proxy address: http://user:password@proxy:port.")
            .fix(Fix::Retry),
        500..=599 => server::failure(status, page, retry_after),
        404 | 405 => Diagnosis::new(TOKEN_RESPONSE_NOT_FOUND, "The token URL is not a sign-in service")
            .cause(format!("The token URL answered {status} ({}): nothing there hands out tokens.", if status == 404 { "not found" } else { "this address does not take such requests" }))
            .cause("It may have a typo, lack /oauth/token at the end, or point at the API (api.scopestack.io) instead of app.scopestack.io.")
            .step("Set the token URL to https://app.scopestack.io/oauth/token (or your server's own).")
            .fix(token_url),
        _ if kind == Answer::WebPage => html_page(status, detail),
        _ if kind == Answer::Empty => Diagnosis::new(TOKEN_RESPONSE_EMPTY_BODY, "The token URL answered with nothing")
            .cause(format!("The server answered {status}, but with an empty body: no token and no error message."))
            .cause("The token URL may point at something other than ScopeStack's sign-in service, or a proxy dropped the answer.")
            .step("Check the token URL, then try again.")
            .fix(token_url)
            .fix(Fix::Retry),
        _ if kind == Answer::NotText => Diagnosis::new(TOKEN_RESPONSE_INVALID_UTF8, "The token answer is garbled")
            .cause("The answer contains bytes that are not text, so it cannot be a token. Something between you and the server may have damaged it, or the token URL points at a file.")
            .step("Check the token URL, then try again; if it repeats, try another network.")
            .fix(token_url)
            .fix(Fix::Retry),
        _ if kind == Answer::MislabelledJson => Diagnosis::new(TOKEN_RESPONSE_WRONG_CONTENT_TYPE, "The token answer is labelled as the wrong kind of content")
            .cause(format!(
                "The server sent JSON but said it was {}, not application/json. Sign-in services always label tokens as JSON, so the app does not trust it.",
                content_type.map(|ct| format!("\"{ct}\"")).unwrap_or_else(|| "something else".into())
            ))
            .cause("A proxy may have changed the answer, or the token URL points at a server other than ScopeStack's.")
            .step("Check the token URL. If it is right, ask your IT team whether a proxy rewrites traffic to scopestack.io.")
            .fix(token_url),
        _ if matches!(kind, Answer::NotJson | Answer::OtherJson) => Diagnosis::new(TOKEN_RESPONSE_NOT_JSON, "The token URL did not answer with a token")
            .cause(format!(
                "The server answered {status} with content that is not a token ({}).",
                match (kind, content_type) {
                    (Answer::NotJson, Some(ct)) => format!("\"{ct}\""),
                    (Answer::NotJson, None) => "of no stated type".into(),
                    _ => "JSON that is neither a token nor an OAuth error".into(),
                }
            ))
            .cause("The token URL probably points at another kind of service.")
            .step("Set the token URL to https://app.scopestack.io/oauth/token (or your server's own).")
            .fix(token_url),
        _ => Diagnosis::new(TOKEN_RESPONSE_UNEXPECTED_STATUS, format!("The token URL answered {status} without saying why"))
            .cause("The server refused the request but gave no OAuth error, as a sign-in service would.")
            .step("Check the token URL and the method's fields, then try again.")
            .fix(token_url)
            .fix(Fix::Retry),
    }
}

/// A web page where a token was expected: a captive portal, a proxy's page, a sign-in page.
fn html_page(status: u16, detail: &str) -> Diagnosis {
    let origin = body::html_origin_hint(detail);
    let d = Diagnosis::new(TOKEN_RESPONSE_HTML_PAGE, "A web page came back instead of a token");
    let d = match origin {
        Some("captive_portal") => d.cause("The network you are on (hotel, airport, guest Wi-Fi) shows its sign-in page before letting traffic through. Open a web page in your browser, accept the network's terms, then try again."),
        Some("proxy") => d.cause("A company proxy or firewall answered instead of ScopeStack, probably blocking the address. Ask your IT team to allow app.scopestack.io and api.scopestack.io."),
        Some("login_page") => d.cause("The token URL points at a sign-in page for people, not at the token service. ScopeStack's token URL ends in /oauth/token."),
        _ => d.cause("The token URL may point at a website rather than ScopeStack's token service (it should end in /oauth/token)."),
    };
    d.cause(format!("The server answered {status} with a web page (HTML). A proxy, a network sign-in page (hotel or guest Wi-Fi), or a maintenance page can do this."))
        .step("Open https://app.scopestack.io in your browser: if another page shows up, deal with it first (accept the network's terms, or ask IT).")
        .step("Check that the token URL is https://app.scopestack.io/oauth/token, then try again.")
        .fix(Fix::OpenSettings { field: SettingsField::TokenUrl })
        .fix(Fix::Retry)
}
