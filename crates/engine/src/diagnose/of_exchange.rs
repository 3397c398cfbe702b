//! [`diagnose_exchange`]: what went wrong with an answer of the request tester, using what the
//! engine knows of the request (headers sent, the profile's token and its age, a token form typed
//! into the tester) — one function, so the window and `scopestack-cli request` say the same.

use super::context::Context;
use super::diagnosis::Diagnosis;
use super::exchange::Exchange;
use crate::requests::{ExchangeStore, ExchangeSummary};
use crate::session::{Engine, Target};

/// How much of a body the diagnosis reads.
const READ_AT_MOST: usize = 1024 * 1024;

/// The diagnosis of an exchange kept in `store`; `None` when the answer is fine (or is no longer
/// kept). A successful answer larger than what is read is not judged: its first megabyte alone
/// would look cut off.
pub fn diagnose_exchange(
    engine: &Engine,
    target: &Target,
    store: &ExchangeStore,
    summary: &ExchangeSummary,
) -> Option<Diagnosis> {
    if summary.status < 400 && summary.sizes.decoded > READ_AT_MOST as u64 {
        return None;
    }
    let sent = |name: &str| {
        summary
            .request_headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let mut ctx = Context::for_target(target).api_request(&summary.method, &summary.final_url);
    ctx.sent_accept = sent("accept");
    ctx.sent_content_type = sent("content-type");
    ctx.sent_authorization = Some(sent("authorization").is_some());
    if let Ok(Some(tokens)) = engine.stored_tokens(target) {
        ctx = ctx.with_tokens(&tokens, crate::tokens::now_unix());
        // The token answer's scopes, when the server's token details were not asked.
        if summary.sent_profile_token && summary.token_scopes.is_none() {
            ctx = ctx.with_token_scopes(
                tokens.scope.as_deref().filter(|s| !s.trim().is_empty()).map(scope_words),
            );
        }
    }
    if summary.token_scopes.is_some() {
        ctx = ctx.with_token_scopes(summary.token_scopes.clone());
    }
    // A token request typed or pasted into the tester (Postman's password request with its redirect_uri).
    if let Some(form) = summary.request_body.as_deref().filter(|_| ctx.is_token_request()) {
        ctx = ctx.with_token_form(form);
    }
    let body = store.read_chunk(summary.id, 0, READ_AT_MOST).ok()?;
    let exchange = Exchange {
        method: &summary.method,
        url: &summary.final_url,
        request_headers: &summary.request_headers,
        request_body: summary.request_body.as_deref(),
        status: summary.status,
        response_headers: &summary.headers,
        response_body: &body,
    };
    super::diagnose_response(summary.status, &summary.headers, &body, &ctx)
        .map(|d| d.with_exchange(&exchange))
}

/// A `scope` text as its words.
fn scope_words(scope: &str) -> Vec<String> {
    scope.split_whitespace().map(str::to_string).collect()
}
