//! [`diagnose_response`]: a raw HTTP answer (status, headers, body), with what the app knows
//! of the request, turned into a [`Diagnosis`] — or `None` when nothing is wrong.

use super::body::{self, BodyShape};
use super::codes::*;
use super::context::Context;
use super::diagnosis::{Diagnosis, Fix, SettingsField};
use super::{api, diagnose_error, headers, oauth, server};
use crate::http_answer::{retry_after_secs, status_and_reason};
use crate::oauth::client::read_token_answer;
use crate::profiles::Grant;
use crate::profiles::Method;
use crate::redact;
use crate::tokens::now_unix;

/// Explains an HTTP answer. `None` for a successful one: 2xx with the kind of body asked for
/// (a token from a token URL; JSON when JSON was asked for), and 304.
pub fn diagnose_response(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    ctx: &Context,
) -> Option<Diagnosis> {
    let now = now_unix();
    let diagnosis = if ctx.is_token_request() && !ctx.is_revocation() {
        token_answer(status, headers, body, ctx)?
    } else {
        other_answer(status, headers, body, ctx, now)?
    };
    let diagnosis = match headers::clock_skew_secs(headers, now) {
        Some(skew) if headers::is_skewed(skew) && diagnosis.code != API_UNAUTHORIZED_CLOCK_SKEW => diagnosis.cause(format!(
            "Also, {}. Set the date and time of this computer automatically: a wrong clock makes tokens look expired too early or too late.",
            headers::skew_words(skew)
        )),
        _ => diagnosis,
    };
    Some(diagnosis.details(summary(status, headers, body, ctx)))
}

/// A token endpoint's answer, read exactly as the engine reads it.
fn token_answer(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    ctx: &Context,
) -> Option<Diagnosis> {
    let Ok(code) = http::StatusCode::from_u16(status) else {
        return Some(unusable(status));
    };
    let mut response = http::Response::new(body.to_vec());
    *response.status_mut() = code;
    for (name, value) in headers {
        if let (Ok(n), Ok(v)) =
            (http::HeaderName::from_bytes(name.as_bytes()), http::HeaderValue::from_str(value))
        {
            response.headers_mut().append(n, v);
        }
    }
    let grant = ctx.grant().unwrap_or(Grant::ClientCredentials);
    let method = grant.method().or(ctx.method).unwrap_or(Method::BrowserLogin);
    let err = read_token_answer(response, grant, method).err()?;
    // A refresh refused with invalid_grant becomes "sign in again" in the engine; here the
    // OAuth error itself is the better explanation.
    if let (crate::EngineError::SignInAgain { .. }, Some((error, description))) =
        (&err, body::oauth_error(body))
    {
        return Some(oauth::diagnose(&error, description.as_deref(), ctx));
    }
    Some(diagnose_error(&err, ctx))
}

/// Any other answer: API calls, revocation, requests of the request tester.
fn other_answer(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    ctx: &Context,
    now: i64,
) -> Option<Diagnosis> {
    let retry_after = headers::get(headers, "retry-after").and_then(|v| retry_after_secs(v, now));
    let text = std::str::from_utf8(body).ok();
    let page = text.filter(|t| body::looks_like_html(t));
    Some(match status {
        200..=299 => success_with_wrong_body(status, headers, body, ctx)?,
        304 => return None,
        300..=399 => redirect(status, headers, ctx),
        429 => server::rate_limited(retry_after),
        400..=499 if body::oauth_error(body).is_some() => {
            let (error, description) = body::oauth_error(body)?;
            oauth::diagnose(&error, description.as_deref(), ctx)
        }
        400..=499 => api::diagnose(
            &api::Answer {
                status,
                headers,
                body,
                clock_skew: headers::clock_skew_secs(headers, now),
            },
            ctx,
        ),
        500..=599 => server::failure(status, page, retry_after),
        _ => unusable(status),
    })
}

/// A 2xx whose body is not what was asked for; `None` when it is.
fn success_with_wrong_body(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    ctx: &Context,
) -> Option<Diagnosis> {
    let wants_json =
        ctx.sent_accept.as_deref().is_none_or(|a| a.contains("json") || a.trim().is_empty());
    if !wants_json || status == 204 {
        return None;
    }
    let content_type = headers::get(headers, "content-type").unwrap_or("");
    let is_get = ctx.http_method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case("GET"));
    let field = Fix::OpenSettings {
        field: if ctx.url.as_deref().is_some_and(|u| u.contains("/v1/me")) {
            SettingsField::ApiUrl
        } else {
            SettingsField::RequestUrl
        },
    };
    Some(match body::shape(body) {
        BodyShape::Json => return None,
        BodyShape::Empty if !is_get || status != 200 => return None,
        BodyShape::Empty => Diagnosis::new(RESPONSE_EMPTY_BODY, "The answer was empty")
            .cause("The server said the request worked (200) but sent nothing back, where data was expected.")
            .cause("A proxy may have dropped the answer, or the address points at something other than ScopeStack's API.")
            .step("Try again; if it repeats, check the address.")
            .fix(Fix::Retry)
            .fix(field),
        BodyShape::Html => {
            let text = String::from_utf8_lossy(body);
            let who = match body::html_origin_hint(&text) {
                Some("captive_portal") => "The network you are on (hotel, airport, guest Wi-Fi) shows its own sign-in page first: open any web page in your browser and accept the network's terms.",
                Some("proxy") => "A company proxy or web filter answered instead of ScopeStack: ask your IT team to allow app.scopestack.io and api.scopestack.io.",
                Some("maintenance") => "It is a maintenance page: ScopeStack is probably being updated. Try again later.",
                Some("login_page") => "It is a sign-in page for people: the address points at ScopeStack's website (app.scopestack.io) rather than its API (api.scopestack.io).",
                _ => "The address may point at a website rather than ScopeStack's API (https://api.scopestack.io).",
            };
            Diagnosis::new(RESPONSE_HTML_PAGE, "A web page came back instead of data")
                .cause(format!(
                    "The server answered with a web page{} where data (JSON) was expected.",
                    body::html_title(&text).map(|t| format!(" titled \"{t}\"")).unwrap_or_default()
                ))
                .cause(who)
                .step("Open the address in your browser to see the page, deal with it, then try again.")
                .fix(Fix::Retry)
                .fix(field)
        }
        BodyShape::NotText => Diagnosis::new(RESPONSE_INVALID_UTF8, "The answer is garbled")
            .cause(
                "The answer contains bytes that are not text, where JSON was expected: it was damaged on the way, or the address points at a file.",
            )
            .step("Try again; if it repeats, check the address.")
            .fix(Fix::Retry)
            .fix(field),
        BodyShape::BrokenJson if headers::is_json_media(content_type) || content_type.is_empty() => {
            Diagnosis::new(RESPONSE_NOT_JSON, "The answer is cut off or damaged")
                .cause("The answer starts like JSON but does not end properly: the connection may have dropped, or a proxy cut it short.")
                .step("Try again.")
                .fix(Fix::Retry)
        }
        _ => Diagnosis::new(RESPONSE_WRONG_CONTENT_TYPE, "The answer is not the kind of data expected")
            .cause(format!(
                "The server answered with {} where JSON was expected.",
                if content_type.is_empty() { "content of no stated type".to_string() } else { format!("\"{}\"", headers::media_type(content_type)) }
            ))
            .cause("The address may point at another service than ScopeStack's API (https://api.scopestack.io).")
            .step("Check the address, and that the request asks for Accept: application/vnd.api+json.")
            .fix(Fix::AddAcceptHeader)
            .fix(field),
    })
}

fn redirect(status: u16, headers: &[(String, String)], ctx: &Context) -> Diagnosis {
    let location = headers::get(headers, "location").unwrap_or("");
    let d = Diagnosis::new(RESPONSE_REDIRECT, "The address has moved")
        .cause(format!(
            "The server answered {} and points to {}. The app does not follow such redirects by itself, so that the token is never sent to another address.",
            status_and_reason(status),
            if location.is_empty() { "no address".to_string() } else { format!("\"{}\"", redact::excerpt(location, 200)) }
        ));
    let d = match ctx.url.as_deref() {
        Some(url) if url.starts_with("http://") && location.starts_with("https://") => {
            d.cause("The request used http://; the server wants https://.")
        }
        Some(url) if url == location => {
            d.cause("The address redirects to itself, which would go round in circles.")
        }
        _ => d,
    };
    d.step("If you trust the new address, use it in the request or settings directly.")
        .fix(Fix::OpenSettings { field: SettingsField::RequestUrl })
}

fn unusable(status: u16) -> Diagnosis {
    Diagnosis::new(RESPONSE_UNUSABLE, format!("The server answered with an unknown status ({status})"))
        .cause("The status code is not one web servers use; something between you and the server may be broken.")
        .step("Try again; if it repeats, send the details to support.")
        .fix(Fix::Retry)
}

/// How much of a body is read to redact it for the details.
const BODY_REDACTED: usize = 64 * 1024;

/// The exchange in one line, secrets removed: `POST https://… → 400 Bad Request; application/json; 87 bytes: "…"`.
fn summary(status: u16, headers: &[(String, String)], body: &[u8], ctx: &Context) -> String {
    let request = match (&ctx.http_method, &ctx.url) {
        (Some(m), Some(u)) => format!("{} {} → ", m.to_ascii_uppercase(), redact::excerpt(u, 200)),
        (None, Some(u)) => format!("{} → ", redact::excerpt(u, 200)),
        _ => String::new(),
    };
    let ct = headers::get(headers, "content-type")
        .map(|c| format!("; {}", redact::excerpt(c, 80)))
        .unwrap_or_default();
    let wait = headers::get(headers, "retry-after")
        .map(|r| format!("; Retry-After: {}", redact::excerpt(r, 40)))
        .unwrap_or_default();
    let content_type = headers::get(headers, "content-type");
    let excerpt = |text: &str| match redact::body_excerpt(text, content_type, 300) {
        redact::BodyCopy::Kept { text, .. } => format!(": \"{text}\""),
        redact::BodyCopy::NotKept { note } => format!(": {note}"),
    };
    // The body's start, read whole up to a limit so that a JSON answer is redacted field by field.
    let head = &body[..body.len().min(BODY_REDACTED)];
    let shown = match std::str::from_utf8(head) {
        _ if body.is_empty() => String::new(),
        Ok(text) => excerpt(text),
        Err(e) if e.valid_up_to() > 0 && e.error_len().is_none() => {
            excerpt(&String::from_utf8_lossy(&head[..e.valid_up_to()]))
        }
        Err(_) => " (not text)".to_string(),
    };
    format!("{request}{}{ct}{wait}; {} bytes{shown}", status_and_reason(status), body.len())
}
