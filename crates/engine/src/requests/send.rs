//! [`send()`]: one exchange — the token (renewed when due), redirects followed by hand and
//! recorded, the body streamed through [`crate::requests::body`], timings and sizes measured —
//! kept in the [`ExchangeStore`] and summarised. Cancelling stops it wherever it is; a partial
//! body's temporary file is deleted. The token goes only to the profile's API origin, and every
//! hop must be https:// or this computer ([`crate::origin`]), checked here where requests leave.
//! [`send_with_progress`] also tells how far the answer has come while it runs
//! ([`crate::requests::progress`]). A 401 to the profile's token while it should still be valid
//! is answered once by renewing it and sending again (GET and HEAD, or a request the server
//! refused as `invalid_token` before doing anything); a 403 is given the token's scopes, for
//! telling a missing scope from a missing right.

use crate::error::{EngineError, NetworkFailure};
use crate::http::{classify_reqwest, ClientFor};
use crate::http::{HttpSettings, USER_AGENT};
use crate::http_answer::JSON_API;
use crate::origin;
use crate::redact;
use crate::requests::body::{self, Coding, Receiver};
use crate::requests::progress::{ProgressSender, Reporter};
use crate::requests::spec::{self, PreparedRequest, RequestSpec};
use crate::requests::store::{human_bytes, ExchangeStore, StoredBody};
use crate::requests::summary::{ExchangeSummary, RedirectHop, Sizes, Timings};
use crate::requests::{sniff, status, vars};
use crate::secret::Secret;
use crate::session::{Engine, Target};
use crate::tokens::TokenSet;
use std::collections::HashMap;
use std::time::Duration;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use url::Url;

/// Redirects followed at most.
pub const MAX_REDIRECTS: usize = 10;

/// What the tester asks servers to compress with (what [`body`] decodes).
pub const ACCEPT_ENCODING: &str = "gzip, br";

/// Sends `spec` for `target`: `{variables}` from `vars` (`{account-slug}`, when not given, is
/// read from `/v1/me` once per token), the profile's token unless the spec says otherwise.
/// The body is kept in `store` under the summary's id.
pub async fn send(
    engine: &Engine,
    target: &Target,
    spec: &RequestSpec,
    vars: &HashMap<String, String>,
    store: &ExchangeStore,
    cancel: &CancellationToken,
) -> Result<ExchangeSummary, EngineError> {
    send_reporting(engine, target, spec, vars, store, cancel, None).await
}

/// [`send()`], telling `progress` how far the answer has come while it runs: a first update
/// when the request goes out, one when the answer begins (with its `Content-Length`), then as
/// the body comes — at most [`UPDATES_PER_SECOND`](crate::requests::progress::UPDATES_PER_SECOND)
/// a second — and a last one, `done`, with the whole body's size. Nothing more is sent after a
/// failure or a cancel: the result says what happened.
pub async fn send_with_progress(
    engine: &Engine,
    target: &Target,
    spec: &RequestSpec,
    vars: &HashMap<String, String>,
    store: &ExchangeStore,
    cancel: &CancellationToken,
    progress: &ProgressSender,
) -> Result<ExchangeSummary, EngineError> {
    send_reporting(engine, target, spec, vars, store, cancel, Some(progress)).await
}

async fn send_reporting(
    engine: &Engine,
    target: &Target,
    spec: &RequestSpec,
    vars: &HashMap<String, String>,
    store: &ExchangeStore,
    cancel: &CancellationToken,
    progress: Option<&ProgressSender>,
) -> Result<ExchangeSummary, EngineError> {
    let mut vars = vars.clone();
    // Whether looking up {account-slug} met a 401 and renewed the token (said like a resend).
    let mut slug_renewed = false;
    if spec.variables().iter().any(|v| v == vars::ACCOUNT_SLUG)
        && !vars.contains_key(vars::ACCOUNT_SLUG)
    {
        let (slug, renewed) = until_cancelled(cancel, account_slug(engine, target)).await?;
        vars.insert(vars::ACCOUNT_SLUG.to_string(), slug);
        slug_renewed = renewed;
    }
    // Prepared first, so an address that may not be sent to fails before anything else; the
    // token is then fetched (and renewed) only when it goes: to the profile's API, or where the
    // user chose to send it for this request.
    let mut prepared = spec::prepare(spec, &vars, &target.endpoints.api_url, None)?;
    let mut sent = None;
    if prepared.sends_profile_token {
        let tokens = until_cancelled(cancel, engine.valid_token(target)).await?;
        prepared.bearer = Some(tokens.access_token.clone());
        sent = Some(tokens);
    }
    let client = engine.tester_client();
    let (mut summary, mut body) = exchange(client, &prepared, store, cancel, progress).await?;
    // Only the profile's own API's refusal says the token is bad: another host the user chose to
    // send it to may refuse it for its own reasons.
    let from_the_api = Url::parse(&summary.final_url)
        .is_ok_and(|answered| origin::same(&answered, &target.endpoints.api_url));
    let resend =
        sent.as_ref().filter(|t| from_the_api && should_resend(&summary, &prepared.method, t));
    if let Some(tokens) = resend {
        match until_cancelled(cancel, renewed_token(engine, target, tokens)).await {
            Ok(renewed) => {
                prepared.bearer = Some(renewed.access_token.clone());
                sent = Some(renewed);
                // The first answer is let go (its temporary file, if any, is deleted).
                drop(body);
                (summary, body) = exchange(client, &prepared, store, cancel, progress).await?;
                summary.renewed_and_resent = true;
                summary.notes.insert(0, RESENT_NOTE.to_string());
            }
            Err(EngineError::Cancelled) => return Err(EngineError::Cancelled),
            Err(e) => summary.notes.insert(
                0,
                format!("The server refused the token, and renewing it failed, so it was not sent again: {e}"),
            ),
        }
    }
    if slug_renewed && !summary.renewed_and_resent {
        summary.renewed_and_resent = true;
        summary.notes.insert(0, RESENT_NOTE.to_string());
    }
    if summary.status == 403 {
        if let Some(tokens) = &sent {
            summary.token_scopes =
                until_cancelled(cancel, crate::token_info::scopes_of(engine, target, tokens))
                    .await?;
        }
    }
    store.insert(summary.clone(), body);
    Ok(summary)
}

/// The note of an answer got by sending again with a renewed token (the window's status line
/// says the same).
pub const RESENT_NOTE: &str = "The server refused the token; renewed it and sent again.";

/// Whether a 401 to the profile's `token` is answered by renewing it and sending once more: the
/// token should still be valid by this computer's clock, and sending again must be harmless — a
/// GET or HEAD, or any request the server refused before doing anything with it (it said
/// `WWW-Authenticate: Bearer error="invalid_token"`). Never another write, which the server may
/// have carried out.
fn should_resend(summary: &ExchangeSummary, method: &reqwest::Method, token: &TokenSet) -> bool {
    let still_valid = token.seconds_left(crate::tokens::now_unix()).is_none_or(|left| left > 0);
    let harmless = *method == reqwest::Method::GET
        || *method == reqwest::Method::HEAD
        || summary.header("www-authenticate").is_some_and(says_invalid_token);
    summary.status == 401 && still_valid && harmless
}

/// Whether a `WWW-Authenticate` value is a Bearer challenge with `error="invalid_token"`.
fn says_invalid_token(challenge: &str) -> bool {
    let text: String = challenge.chars().filter(|c| !c.is_whitespace()).collect();
    let text = text.to_ascii_lowercase();
    text.starts_with("bearer")
        && (text.contains("error=\"invalid_token\"") || text.contains("error=invalid_token"))
}

/// A token in place of `refused`: the one kept now when another renewal replaced it meanwhile,
/// else a renewal (by refresh token, or by the method's own way without the user).
async fn renewed_token(
    engine: &Engine,
    target: &Target,
    refused: &TokenSet,
) -> Result<TokenSet, EngineError> {
    match engine.stored_tokens(target)? {
        Some(kept) if kept.access_token != refused.access_token => Ok(kept),
        _ => engine.renew(target).await,
    }
}

async fn until_cancelled<T>(
    cancel: &CancellationToken,
    work: impl std::future::Future<Output = Result<T, EngineError>>,
) -> Result<T, EngineError> {
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(EngineError::Cancelled),
        result = work => result,
    }
}

/// The account slug of the token's user, from the profile's own `/v1/me`, remembered per API
/// URL and token; and whether `/v1/me` refused the token (401) while it should still have been
/// valid, so that it was renewed once and asked again, as [`send()`] does with a GET.
async fn account_slug(engine: &Engine, target: &Target) -> Result<(String, bool), EngineError> {
    let tokens = match engine.valid_token(target).await {
        Ok(tokens) => tokens,
        Err(e @ EngineError::SecretGivenElsewhere { .. }) => return Err(e),
        Err(_) => {
            return Err(EngineError::MissingInput(
                "The request uses {account-slug}, which is read from /v1/me with the profile's token — and this profile has none. Sign in, or type the account slug instead.".into(),
            ))
        }
    };
    let key = |token: &Secret| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        token.expose().hash(&mut h);
        (target.endpoints.api_url.to_string(), h.finish())
    };
    if let Some(slug) = engine.known_account_slug(&key(&tokens.access_token)) {
        return Ok((slug, false));
    }
    let me = |token: Secret| async move {
        crate::verify::verify(engine.http(), &target.endpoints.api_url, &token).await
    };
    let still_valid = tokens.seconds_left(crate::tokens::now_unix()).is_none_or(|left| left > 0);
    let (identity, token, renewed) = match me(tokens.access_token.clone()).await {
        Err(EngineError::Api { status: 401, .. }) if still_valid => {
            let renewed = renewed_token(engine, target, &tokens).await?;
            (me(renewed.access_token.clone()).await?, renewed.access_token, true)
        }
        other => (other?, tokens.access_token, false),
    };
    if identity.account_slug.is_empty() {
        return Err(EngineError::MissingInput("/v1/me did not say which account this user belongs to, so {account-slug} has no value. Type the account slug instead.".into()));
    }
    engine.remember_account_slug(key(&token), identity.account_slug.clone());
    Ok((identity.account_slug, renewed))
}

fn timed_out(url: &Url, detail: String) -> EngineError {
    EngineError::Network { url: url.to_string(), failure: NetworkFailure::Timeout, detail }
}

fn has(headers: &[(String, String)], name: &str) -> bool {
    headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

/// Sends a prepared request with `client` (which must not decompress nor follow redirects by
/// itself: see [`crate::http::tester_client`] and [`crate::http::Clients::lazy_tester`]). Its URL must be https:// or this computer, and so must every
/// redirect followed.
pub async fn send_prepared(
    client: &impl ClientFor,
    prepared: &PreparedRequest,
    store: &ExchangeStore,
    cancel: &CancellationToken,
) -> Result<ExchangeSummary, EngineError> {
    send_prepared_reporting(client, prepared, store, cancel, None).await
}

/// [`send_prepared`], telling `progress` how far the answer has come, as
/// [`send_with_progress`] does.
pub async fn send_prepared_with_progress(
    client: &impl ClientFor,
    prepared: &PreparedRequest,
    store: &ExchangeStore,
    cancel: &CancellationToken,
    progress: &ProgressSender,
) -> Result<ExchangeSummary, EngineError> {
    send_prepared_reporting(client, prepared, store, cancel, Some(progress)).await
}

async fn send_prepared_reporting(
    client: &impl ClientFor,
    prepared: &PreparedRequest,
    store: &ExchangeStore,
    cancel: &CancellationToken,
    progress: Option<&ProgressSender>,
) -> Result<ExchangeSummary, EngineError> {
    let (summary, body) = exchange(client, prepared, store, cancel, progress).await?;
    store.insert(summary.clone(), body);
    Ok(summary)
}

/// One exchange, and its body to keep in `store` under the summary's id.
async fn exchange(
    client: &impl ClientFor,
    prepared: &PreparedRequest,
    store: &ExchangeStore,
    cancel: &CancellationToken,
    progress: Option<&ProgressSender>,
) -> Result<(ExchangeSummary, StoredBody), EngineError> {
    if origin::check_transport(&prepared.url).is_err() {
        return Err(EngineError::InsecureDestination { url: origin::of(&prepared.url) });
    }
    let wait = HttpSettings::default().total_timeout;
    let started = Instant::now();
    let mut reporter = Reporter::start(progress, started);
    let deadline = prepared.timeout.map(|t| started + t);
    let overall = |url: &Url| {
        timed_out(
            url,
            format!(
                "the exchange did not finish within the {} ms this request allows.",
                prepared.timeout.unwrap_or_default().as_millis()
            ),
        )
    };

    let mut method = prepared.method.clone();
    let mut url = prepared.url.clone();
    let mut headers = prepared.wire_headers();
    if !has(&headers, "accept-encoding") {
        headers.push(("Accept-Encoding".to_string(), ACCEPT_ENCODING.to_string()));
    }
    let mut shown_headers = Vec::with_capacity(headers.len() + 1);
    if !has(&headers, "user-agent") {
        shown_headers.push(("User-Agent".to_string(), USER_AGENT.to_string()));
    }
    shown_headers.extend(redact::redact_headers(&headers));
    let mut request_body = prepared.body.clone();
    let mut redirects = Vec::new();
    let mut notes = Vec::new();
    if let Some(host) = &prepared.token_withheld_from {
        notes.push(format!(
            "This address is not your ScopeStack API ({host}): the profile's token was not sent."
        ));
    }

    let mut response = loop {
        // Each hop's own client: a redirect may lead from http://127.0.0.1 to https://.
        let mut request = client.client_for(&url)?.request(method.clone(), url.clone());
        for (k, v) in &headers {
            request = request.header(k.as_str(), v.as_str());
        }
        if let Some(b) = &request_body {
            request = request.body(b.clone());
        }
        let hop_deadline = deadline.unwrap_or_else(|| Instant::now() + wait);
        let response = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(EngineError::Cancelled),
            r = tokio::time::timeout_at(hop_deadline, request.send()) => match r {
                Err(_) if deadline.is_some() => return Err(overall(&url)),
                Err(_) => return Err(timed_out(&url, format!("the server did not answer within {} seconds. Check your connection, or try again later.", wait.as_secs()))),
                Ok(Err(e)) => return Err(classify_reqwest(url.as_str(), &e)),
                Ok(Ok(r)) => r,
            },
        };
        let code = response.status().as_u16();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let (true, Some(location)) =
            (prepared.follow_redirects && response.status().is_redirection(), location)
        else {
            break response;
        };
        if code == 304 {
            break response;
        }
        let next = match url.join(&location) {
            Ok(next) if matches!(next.scheme(), "http" | "https") => next,
            _ => {
                notes.push(format!("The redirect to \"{location}\" was not followed: it is not an http(s) address."));
                break response;
            }
        };
        if origin::check_transport(&next).is_err() {
            notes.push(format!("The redirect to {} was not followed: it would travel over plain http:// to another computer. This is the redirect's own answer.", origin::of(&next)));
            break response;
        }
        if redirects.len() == MAX_REDIRECTS {
            notes.push(format!("Stopped after {MAX_REDIRECTS} redirects: this is the answer of the last address reached."));
            break response;
        }
        redirects.push(RedirectHop {
            url: url.to_string(),
            status: code,
            location: next.to_string(),
        });
        let to_get = code == 303 || (matches!(code, 301 | 302) && method == reqwest::Method::POST);
        if to_get && method != reqwest::Method::HEAD {
            method = reqwest::Method::GET;
            request_body = None;
            headers.retain(|(k, _)| {
                !k.eq_ignore_ascii_case("content-type") && !k.eq_ignore_ascii_case("content-length")
            });
        }
        if !origin::same(&url, &next) && headers.iter().any(|(k, _)| redact::header_is_secret(k)) {
            headers.retain(|(k, _)| !redact::header_is_secret(k));
            notes.push(format!(
                "The redirect led to another server ({}): the token and other secret headers were not sent there.",
                next.host_str().unwrap_or("?")
            ));
        }
        drop(response);
        url = next;
    };
    let ttfb = started.elapsed();

    let status = response.status().as_u16();
    let http_version = format!("{:?}", response.version());
    let response_headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let header = |name: &str| {
        response.headers().get(name).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let content_type = header("content-type");
    let content_encoding = header("content-encoding").filter(|v| !v.trim().is_empty());
    let no_body = method == reqwest::Method::HEAD || matches!(status, 204 | 304);
    let content_length = if no_body { Some(0) } else { response.content_length() };
    let coding = match body::coding(content_encoding.as_deref()) {
        Ok(c) => c,
        Err(name) => {
            notes.push(format!("The body is encoded with \"{name}\", which the app does not decode: it is kept as received."));
            Coding::Identity
        }
    };

    reporter.first_byte(content_length, Instant::now());
    let mut receiver = Receiver::new(store, coding, status, content_length);
    loop {
        let chunk_deadline = deadline.unwrap_or_else(|| Instant::now() + wait);
        let next = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(EngineError::Cancelled),
            r = tokio::time::timeout_at(chunk_deadline, response.chunk()) => r,
        };
        match next {
            Err(_) if deadline.is_some() => return Err(overall(&url)),
            Err(_) => {
                return Err(timed_out(
                    &url,
                    format!(
                        "the body stopped coming for {} seconds after {} had arrived.",
                        wait.as_secs(),
                        human_bytes(receiver.wire())
                    ),
                ))
            }
            Ok(Err(e)) => return Err(classify_reqwest(url.as_str(), &e)),
            Ok(Ok(None)) => break,
            Ok(Ok(Some(chunk))) => {
                receiver.push(&chunk)?;
                reporter.received(receiver.wire(), Instant::now());
            }
        }
    }
    let received = receiver.finish()?;
    reporter.done(received.wire, Instant::now());
    let total = started.elapsed();

    let stored_on_disk = matches!(received.body, StoredBody::File { .. });
    if stored_on_disk {
        notes.push(format!("The body is {}: it is kept in a temporary file rather than in memory, and read in parts.", human_bytes(received.decoded)));
    }
    let complete = received.decoded as usize <= received.head.len();
    let body_kind =
        sniff::body_kind(content_type.as_deref(), &received.head, complete, received.utf8);
    let media = sniff::media_type(content_type.as_deref());
    let summary = ExchangeSummary {
        id: store.next_id(),
        method: prepared.method.to_string(),
        url: prepared.url.to_string(),
        final_url: url.to_string(),
        status,
        status_text: status::describe(status),
        http_version,
        headers: response_headers,
        request_headers: shown_headers,
        request_body: prepared.body.clone(),
        sent_profile_token: prepared.bearer.is_some(),
        token_withheld_from: prepared.token_withheld_from.clone(),
        follow_redirects: prepared.follow_redirects,
        timings: Timings { ttfb_ms: ms(ttfb), total_ms: ms(total) },
        sizes: Sizes { wire: received.wire, decoded: received.decoded },
        redirects,
        content_type,
        content_encoding,
        body_kind,
        is_json_api: media.as_deref() == Some(JSON_API),
        stored_on_disk,
        notes,
        renewed_and_resent: false,
        token_scopes: None,
    };
    Ok((summary, received.body))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Front ends run these on multi-threaded runtimes (Tauri commands): their futures must be
    /// `Send`. Checked at compile time.
    #[allow(dead_code)]
    fn futures_are_send(
        engine: &Engine,
        target: &Target,
        spec: &RequestSpec,
        vars: &HashMap<String, String>,
        store: &ExchangeStore,
        cancel: &CancellationToken,
    ) {
        fn is_send<T: Send>(_: &T) {}
        is_send(&send(engine, target, spec, vars, store, cancel));
        let (progress, _) = crate::requests::progress::channel();
        is_send(&send_with_progress(engine, target, spec, vars, store, cancel, &progress));
        is_send(&crate::requests::jq::run(store, 1, ".", Default::default()));
        is_send(&crate::requests::jsonapi::view_stored(store, 1));
        fn is_sync<T: Send + Sync>() {}
        is_sync::<ExchangeStore>();
        is_sync::<crate::requests::History>();
    }

    #[test]
    fn only_harmless_requests_are_sent_again_after_a_401() {
        use crate::requests::store::tests::summary;
        let token = |expires_at: Option<i64>| TokenSet {
            access_token: Secret::new("t"),
            token_type: "Bearer".into(),
            refresh_token: None,
            scope: None,
            issued_at: 0,
            expires_at,
            expiry_source: crate::tokens::ExpirySource::ExpiresIn,
            obtained_with: crate::profiles::Method::ClientCredentials,
        };
        let valid = token(Some(crate::tokens::now_unix() + 600));
        let answer = |status: u16, challenge: Option<&str>| {
            let mut s = summary(1);
            s.status = status;
            if let Some(c) = challenge {
                s.headers.push(("WWW-Authenticate".into(), c.into()));
            }
            s
        };
        let (get, head, post) =
            (reqwest::Method::GET, reqwest::Method::HEAD, reqwest::Method::POST);
        assert!(should_resend(&answer(401, None), &get, &valid));
        assert!(should_resend(&answer(401, None), &head, &valid));
        assert!(!should_resend(&answer(401, None), &post, &valid), "a write may have been applied");
        assert!(!should_resend(&answer(403, None), &get, &valid));
        assert!(!should_resend(&answer(200, None), &get, &valid));
        let invalid = r#"Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid""#;
        assert!(
            should_resend(&answer(401, Some(invalid)), &post, &valid),
            "refused before any processing"
        );
        assert!(should_resend(
            &answer(401, Some("bearer error=invalid_token")),
            &reqwest::Method::PATCH,
            &valid
        ));
        assert!(!should_resend(
            &answer(401, Some(r#"Bearer error="insufficient_scope""#)),
            &post,
            &valid
        ));
        assert!(!should_resend(&answer(401, Some(r#"Basic realm="x""#)), &post, &valid));
        // A token already expired by this computer's clock is not "refused while valid".
        assert!(!should_resend(&answer(401, None), &get, &token(Some(1))));
        assert!(should_resend(&answer(401, None), &get, &token(None)), "no expiry given");
    }

    #[test]
    fn timings_are_rounded_to_a_tenth_of_a_millisecond() {
        assert_eq!(ms(Duration::from_micros(12_345)), 12.3);
        assert_eq!(ms(Duration::from_micros(50)), 0.1);
    }
}
