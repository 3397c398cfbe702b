//! The answers at the end of the path: the token endpoint's to a request without credentials (an
//! OAuth error means it is there), the server's clock from the `Date` header, and the API's to
//! `GET /v1/me` without a token (401 is the right answer). Sent with the engine's HTTP client
//! setup, through the proxy the check found; no token, client ID or secret is ever sent.

use super::path::Target;
use super::{CheckSettings, Found};
use crate::diagnose::codes::{
    CHECK_API_ANSWER, CHECK_API_UNPROTECTED, CHECK_CLOCK_SKEW, CHECK_TOKEN_ENDPOINT,
};
use crate::diagnose::headers::{clock_skew_secs, is_skewed};
use crate::diagnose::{diagnose_error, diagnose_response, Context, Diagnosis, Fix, SettingsField};
use crate::http::HttpSettings;
use crate::http_answer::{read_capped, status_and_reason, JSON_API};
use crate::profiles::{Endpoints, Grant};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use url::Url;

/// What the three answering steps found.
pub struct Answers {
    pub token: Found,
    pub clock: Found,
    pub api: Found,
}

/// One HTTP answer, read.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// This computer's time (Unix seconds) halfway between sending and the answer.
    midpoint: i64,
}

/// The most of an answer's body read.
const MAX_BODY: usize = 64 * 1024;

fn now_secs_f64() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
}

/// The engine's client setup, through `target`'s proxy (or none), each request within `limit`.
fn client(target: &Target, limit: Duration) -> Result<reqwest::Client, reqwest::Error> {
    let settings = HttpSettings { connect_timeout: limit, total_timeout: limit };
    let builder = crate::http::builder(settings)
        .tls_built_in_root_certs(!crate::http::is_loopback_http(&target.url));
    match &target.proxy {
        None => builder.no_proxy().build(),
        Some(p) => {
            let mut proxy = reqwest::Proxy::all(p.url())?;
            if let Some(auth) = &p.auth {
                proxy = proxy.custom_http_auth(auth.clone());
            }
            builder.proxy(proxy).build()
        }
    }
}

/// Sends `request` and reads the answer, or the failure diagnosed for `ctx`.
async fn send(
    request: Result<reqwest::RequestBuilder, reqwest::Error>,
    url: &Url,
    ctx: &Context,
) -> Result<Reply, Found> {
    let failed = |e: reqwest::Error| {
        let err = crate::http::classify_reqwest(url.as_str(), &e);
        let detail = err.to_string();
        Found::fail(detail.clone(), diagnose_error(&err, ctx).details(detail))
    };
    let request = request.map_err(failed)?;
    let sent = now_secs_f64();
    let response = request.send().await.map_err(failed)?;
    // Floored, as the server's `Date` is: whole seconds on both sides.
    let midpoint = ((sent + now_secs_f64()) / 2.0).floor() as i64;
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    // A body larger than the cap is not needed whole: the start of it tells what it is.
    let body = read_capped(response, MAX_BODY).await.unwrap_or_default();
    Ok(Reply { status, headers, body, midpoint })
}

/// Asks the token endpoint and the API; `reachable` says whether the way to each is open.
pub async fn ask(
    endpoints: &Endpoints,
    targets: &[Target],
    reachable: (bool, bool),
    settings: &CheckSettings,
) -> Answers {
    let limit = settings.step_timeout;
    let token_target = &targets[0];
    let api_target = targets.last().unwrap_or(token_target);
    let not_tried = || Found::skipped("not tried: the way to the server is not open (see above)");

    let token_ctx = Context {
        url: Some(endpoints.token_url.to_string()),
        grant: Some(Grant::ClientCredentials),
        http_method: Some("POST".into()),
        ..Context::default()
    };
    let token_request = async {
        if !reachable.0 {
            return None;
        }
        let request = client(token_target, limit).map(|c| {
            c.post(endpoints.token_url.clone())
                .header("Accept", "application/json")
                .form(&[("grant_type", "client_credentials")])
        });
        Some(send(request, &endpoints.token_url, &token_ctx).await)
    };
    let me_url = crate::verify::me_url(&endpoints.api_url).ok();
    let api_ctx = Context {
        url: me_url.as_ref().map(Url::to_string),
        api_url: Some(endpoints.api_url.to_string()),
        http_method: Some("GET".into()),
        sent_accept: Some(JSON_API.into()),
        sent_authorization: Some(false),
        ..Context::default()
    };
    let api_request = async {
        match (&me_url, reachable.1) {
            (Some(me), true) => {
                let request =
                    client(api_target, limit).map(|c| c.get(me.clone()).header("Accept", JSON_API));
                Some(send(request, me, &api_ctx).await)
            }
            _ => None,
        }
    };
    // Both at once: neither request depends on the other's answer.
    let (token_reply, api_reply) = futures_util::join!(token_request, api_request);
    let token = match &token_reply {
        None => not_tried(),
        Some(Err(found)) => found.clone(),
        Some(Ok(reply)) => token_found(reply, &endpoints.token_url, &token_ctx),
    };
    let api = match (&api_reply, &me_url) {
        (None, _) | (_, None) => not_tried(),
        (Some(Err(found)), _) => found.clone(),
        (Some(Ok(reply)), Some(me)) => api_found(reply, me, &api_ctx),
    };

    let replies = [&token_reply, &api_reply];
    let dated = replies
        .iter()
        .filter_map(|r| r.as_ref().and_then(|r| r.as_ref().ok()))
        .find_map(|r| clock_skew_secs(&r.headers, r.midpoint));
    let answered = replies.iter().any(|r| matches!(r, Some(Ok(_))));
    let clock = match dated {
        Some(skew) => clock_found(skew),
        None if answered => Found::skipped("the server's answers carry no Date header to compare"),
        None => Found::skipped("not tried: no answer came to read the server's clock from"),
    };
    Answers { token, clock, api }
}

/// The token endpoint's answer: an OAuth error (400 or 401 with `error`) says it is there.
fn token_found(reply: &Reply, url: &Url, ctx: &Context) -> Found {
    let error = serde_json::from_slice::<serde_json::Value>(&reply.body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string));
    let status = status_and_reason(reply.status);
    match (reply.status, error) {
        (400 | 401, Some(error)) => Found::pass(format!(
            "answered {status} with the OAuth error \"{}\", as it should without credentials",
            crate::redact::excerpt(&error, 60)
        )),
        (code, _) => {
            let detail = format!(
                "answered {status} to a token request without credentials, not an OAuth error"
            );
            let own = || {
                Diagnosis::new(
                    CHECK_TOKEN_ENDPOINT,
                    format!("The token URL does not answer like an OAuth token endpoint ({status})"),
                )
                .cause(format!("A token request without any credential should get an OAuth error (400 or 401 with \"error\"); {url} answered {status} instead."))
                .cause("The token URL may be wrong: ScopeStack's is https://app.scopestack.io/oauth/token.")
                .step("Check the token URL in the profile's settings.")
                .fix(Fix::OpenSettings { field: SettingsField::TokenUrl })
            };
            let diagnosis = if (200..300).contains(&code) {
                own()
            } else {
                diagnose_response(reply.status, &reply.headers, &reply.body, ctx)
                    .unwrap_or_else(own)
            };
            Found::fail(detail.clone(), diagnosis.details(detail))
        }
    }
}

/// The API's answer to `/v1/me` without a token: 401 is right.
fn api_found(reply: &Reply, me: &Url, ctx: &Context) -> Found {
    let status = status_and_reason(reply.status);
    if reply.status == 401 {
        return Found::pass(format!(
            "GET {} answered {status} without a token, as it should",
            me.path()
        ));
    }
    let detail = format!("GET {} answered {status} without a token (401 was expected)", me.path());
    let diagnosis = if (200..300).contains(&reply.status) {
        Diagnosis::new(CHECK_API_UNPROTECTED, format!("The API URL answers without a sign-in ({status})"))
            .cause(format!("ScopeStack's API answers 401 to {me} without a token; this address answered {status}, so it is not ScopeStack's API."))
            .cause("The API URL may point at another site, at a company portal page, or at a test server that asks for no sign-in.")
            .step("Check the API URL in the profile's settings: ScopeStack's is https://api.scopestack.io.")
            .fix(Fix::OpenSettings { field: SettingsField::ApiUrl })
    } else {
        diagnose_response(reply.status, &reply.headers, &reply.body, ctx).unwrap_or_else(|| {
            Diagnosis::new(CHECK_API_ANSWER, format!("The API answered {status} instead of asking for a sign-in"))
                .cause(format!("{me} should answer 401 without a token."))
                .step("Check the API URL in the profile's settings: ScopeStack's is https://api.scopestack.io.")
                .fix(Fix::OpenSettings { field: SettingsField::ApiUrl })
        })
    };
    Found::fail(detail.clone(), diagnosis.details(detail))
}

/// A clock difference in words, in seconds and, from two minutes, about how many minutes.
fn skew_in_words(skew: i64) -> String {
    let abs = skew.unsigned_abs();
    let amount = if abs < 120 {
        format!("{abs} s")
    } else {
        format!("{abs} s (about {} minutes)", (abs + 30) / 60)
    };
    if skew > 0 {
        format!("this computer's clock is {amount} behind the server's")
    } else {
        format!("this computer's clock is {amount} ahead of the server's")
    }
}

/// The clock step from the difference `skew` (the server's time minus this computer's).
fn clock_found(skew: i64) -> Found {
    // The Date header counts whole seconds: a second either way is no difference.
    let words = if skew.abs() <= 1 {
        "the server's clock and this computer's agree (within a second)".to_string()
    } else {
        skew_in_words(skew)
    };
    if !is_skewed(skew) {
        return Found::pass(words);
    }
    let d = Diagnosis::new(CHECK_CLOCK_SKEW, format!("This computer's clock is wrong: {}", skew_in_words(skew)))
        .cause("Tokens carry the times they were issued and expire. With this computer's clock off by minutes, a fresh token can look expired (or not yet valid), and the app renews or refuses tokens at the wrong times.")
        .cause("Secure certificates can look out of date for the same reason.")
        .step("Set this computer's date and time automatically (on Linux: `timedatectl set-ntp true`, or the Date & Time settings), and check its time zone.")
        .step("Then test the connection again.")
        .fix(Fix::Retry);
    Found::fail(words, d.details(format!("clock difference: {skew:+} s")))
}
