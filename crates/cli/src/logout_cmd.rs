//! `scopestack-cli logout`: revoke the profile's token on the server (RFC 7009) and delete it here.

use crate::connect::{self, Connection, OneOffArgs, SelectArgs, Source};
use crate::display::outln;
use crate::exit::Failure;
use crate::secrets::SecretArgs;
use clap::Args;
use engine::session::RevokeOutcome;
use engine::vault::{SecretKind, Vault};
use engine::{Engine, EngineError};

#[derive(Args, Debug)]
pub struct LogoutArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// Also delete the client secret and password kept for the profile
    #[arg(long)]
    forget_secrets: bool,
    /// The client secret, when the server wants it to revoke and it is not kept: from the environment variable VAR
    #[arg(long, value_name = "VAR")]
    client_secret_env: Option<String>,
    /// The same, from the first line of standard input
    #[arg(long, conflicts_with = "client_secret_env")]
    client_secret_stdin: bool,
}

pub fn run(args: LogoutArgs) -> Result<(), Failure> {
    let secrets = SecretArgs {
        client_secret_env: args.client_secret_env.clone(),
        client_secret_stdin: args.client_secret_stdin,
        ..Default::default()
    };
    connect::runtime()?.block_on(async {
        let conn = connect::connect(&args.select, &secrets, &OneOffArgs::default()).await?;
        if conn.source == Source::Sandbox {
            outln!("The Sandbox profile keeps no token (each command runs its own sandbox): nothing to sign out of.");
            return Ok(());
        }
        let label = conn.label();
        let had_token = conn.engine.stored_tokens(&conn.target)?.is_some();
        let outcome = revoke(&conn).await;
        if args.forget_secrets {
            for kind in [SecretKind::ClientSecret, SecretKind::Password] {
                conn.engine.vault.delete(&conn.profile().id, kind)?;
            }
        }
        let secrets = if args.forget_secrets { " Its kept client secret and password were deleted too." } else { "" };
        let outcome = outcome.map_err(|e| Failure::from(e).with_note("The token was deleted from this computer all the same."))?;
        if !had_token {
            outln!("There was no token for {label} on this computer: nothing to revoke.{secrets}");
        } else if outcome.revoked_on_server {
            outln!("Signed out of {label}: the token was revoked on the server and deleted locally.{secrets}");
        } else {
            outln!("Signed out of {label}: deleted locally; this server cannot revoke, so the token keeps working there until it expires.{secrets}");
        }
        Ok(())
    })
}

/// Revokes and deletes the stored token. A client secret given to this command (not kept) is used
/// through a memory-only engine, so that it is never written to the keychain.
async fn revoke(conn: &Connection) -> Result<RevokeOutcome, EngineError> {
    let Some(secret) = &conn.creds.client_secret else {
        return conn.engine.revoke(&conn.target).await;
    };
    let Some(tokens) = conn.engine.stored_tokens(&conn.target)? else {
        return conn.engine.revoke(&conn.target).await;
    };
    let id = &conn.profile().id;
    let once = Engine::new(Vault::session_only(), conn.engine.http().clone());
    once.vault.set_tokens(id, &tokens)?;
    once.vault.set(id, SecretKind::ClientSecret, secret)?;
    let outcome = once.revoke(&conn.target).await;
    conn.engine.vault.delete(id, SecretKind::Tokens)?;
    outcome
}
