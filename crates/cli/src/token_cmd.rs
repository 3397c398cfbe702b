//! `scopestack-cli token`: print an access token that is valid now, for `$(scopestack-cli token)`;
//! with `--details`, what the server tells about it (`/oauth/token/info`) instead of the token.

use crate::connect::{self, ConnectArgs, Source};
use crate::display::outln;
use crate::exit::Failure;
use clap::Args;
use engine::renewals::{RenewalTally, RenewedBy};
use engine::token_info::{TokenDetails, TokenInfo};
use engine::tokens::{now_unix, TokenSet};

#[derive(Args, Debug)]
pub struct TokenArgs {
    /// Print JSON: access_token, token_type, expires_at (unix seconds, null when the server gave
    /// none), expires_in (seconds left), scope, has_refresh_token, renewed (how this command
    /// renewed the token: "refresh", "asking_again", "asking_again_after_refresh_refused"; null
    /// when it did not)
    #[arg(long)]
    json: bool,
    /// Print what the server tells about the token instead of the token: its scopes, the client
    /// it was issued to, its resource owner, when it was issued and the time left, from the
    /// token URL's server (Doorkeeper's /oauth/token/info). With --json: scope, application,
    /// resource_owner_id, expires_in, created_at as the server gave them
    #[arg(long)]
    details: bool,
    #[command(flatten)]
    profile: ConnectArgs,
}

pub fn run(args: TokenArgs) -> Result<(), Failure> {
    connect::runtime()?.block_on(async {
        let mut conn = connect::connect(&args.profile.select, &args.profile.secrets, &args.profile.one_off).await?;
        let before = conn.engine.renewal_tally();
        let tokens = conn.current_token(&args.profile.sign_in).await?;
        let renewed = renewed_by(&conn.engine.renewal_tally().since(&before));
        conn.mark_used();
        if conn.source == Source::Sandbox {
            eprintln!(
                "note: this token comes from a sandbox that runs only while this command runs, so it stops working now. \
                 For a lasting one, run `scopestack-cli sandbox` and use one-off settings with its URL."
            );
        }
        if args.details {
            let info = engine::token_info::fetch(
                conn.engine.http(),
                &conn.target.endpoints.token_url,
                &tokens.access_token,
            )
            .await
            .map_err(|e| match e {
                // A server without the endpoint: its words say so; a 404's diagnosis would mislead.
                e @ engine::EngineError::Api { status: 404 | 405 | 501, .. } => {
                    Failure::new(crate::exit::code_for(e.kind()), e.to_string())
                }
                e => conn.failure(e),
            })?;
            print_details(info, args.json)?;
        } else if args.json {
            outln!("{}", json(&tokens, renewed));
        } else {
            outln!("{}", tokens.access_token.expose());
        }
        Ok(())
    })
}

/// The `--json` form of a token set, in this order.
#[derive(serde::Serialize)]
struct TokenJson<'a> {
    access_token: &'a str,
    token_type: &'a str,
    /// Unix seconds; `None` (null) when the server gave no expiry.
    expires_at: Option<i64>,
    /// Seconds left at the time of printing.
    expires_in: Option<i64>,
    scope: Option<&'a str>,
    has_refresh_token: bool,
    /// How this command renewed the token; `None` (null) when it did not.
    renewed: Option<RenewedBy>,
}

/// The way of the one renewal in `tally`, if it has one.
fn renewed_by(tally: &RenewalTally) -> Option<RenewedBy> {
    if tally.by_refresh > 0 {
        Some(RenewedBy::Refresh)
    } else if tally.by_asking_again > 0 {
        Some(RenewedBy::AskingAgain)
    } else if tally.by_asking_again_after_refresh_refused > 0 {
        Some(RenewedBy::AskingAgainAfterRefreshRefused)
    } else {
        None
    }
}

fn json(tokens: &TokenSet, renewed: Option<RenewedBy>) -> String {
    let doc = TokenJson {
        access_token: tokens.access_token.expose(),
        token_type: &tokens.token_type,
        expires_at: tokens.expires_at,
        expires_in: tokens.expires_at.map(|at| (at - now_unix()).max(0)),
        scope: tokens.scope.as_deref(),
        has_refresh_token: tokens.refresh_token.is_some(),
        renewed,
    };
    serde_json::to_string(&doc).unwrap_or_default()
}

/// The server's token details: as it gave them (`--json`), or in words.
fn print_details(info: TokenInfo, as_json: bool) -> Result<(), Failure> {
    if as_json {
        let text = serde_json::to_string(&info)
            .map_err(|e| Failure::local(format!("could not encode the answer: {e}")))?;
        outln!("{text}");
        return Ok(());
    }
    let details = TokenDetails::of(info, now_unix());
    let or_none = |v: Option<String>, none: &str| v.unwrap_or_else(|| none.to_string());
    let scopes = if details.scopes.is_empty() {
        "none stated".to_string()
    } else {
        details.scopes.join(" ")
    };
    outln!("Scopes:         {scopes}");
    outln!("Client:         {}", or_none(details.client, "not stated"));
    outln!("Resource owner: {}", or_none(details.resource_owner, "none (the client itself)"));
    outln!("Issued at:      {}", or_none(details.issued_at.map(utc), "not stated"));
    let left = match details.expires_at {
        Some(at) => format!("{} s (until {})", (at - details.fetched_at).max(0), utc(at)),
        None => "no expiry given".to_string(),
    };
    outln!("Time left:      {left}");
    Ok(())
}

/// Unix seconds as RFC 3339 (UTC).
fn utc(secs: i64) -> String {
    engine::interop::utc::rfc3339(secs)
}
