//! `scopestack-cli login`: get a new token by the profile's method, and keep it (with `--remember`,
//! the secrets given too).

use crate::connect::{self, ConnectArgs, Source};
use crate::display::{self, outln};
use crate::exit::Failure;
use clap::Args;
use engine::vault::{SecretKind, VaultMode};

#[derive(Args, Debug)]
pub struct LoginArgs {
    /// Keep the client secret and password given here in the OS keychain, for `token` to renew with
    #[arg(long, conflicts_with = "session_only")]
    remember: bool,
    #[command(flatten)]
    profile: ConnectArgs,
}

pub fn run(args: LoginArgs) -> Result<(), Failure> {
    if args.remember && args.profile.one_off.grant.is_some() {
        return Err(Failure::usage("One-off runs keep nothing, so --remember needs a profile: add one with `scopestack-cli profiles add`."));
    }
    if args.remember
        && args.profile.secrets.env_names().is_empty()
        && !args.profile.secrets.client_secret_stdin
        && !args.profile.secrets.password_stdin
    {
        return Err(Failure::usage("--remember keeps the secrets given with this command: give them with --client-secret-env/--client-secret-stdin or --password-env/--password-stdin."));
    }
    connect::runtime()?.block_on(async {
        let mut conn = connect::connect(&args.profile.select, &args.profile.secrets, &args.profile.one_off).await?;
        let tokens = conn.obtain(&args.profile.sign_in).await?;
        let mut kept = Vec::new();
        if args.remember {
            if conn.source == Source::Sandbox {
                eprintln!("note: the Sandbox profile runs a sandbox for each command and keeps nothing, so --remember was ignored.");
            } else {
                for (kind, value, what) in [
                    (SecretKind::ClientSecret, &conn.creds.client_secret, "client secret"),
                    (SecretKind::Password, &conn.creds.password, "password"),
                ] {
                    if let Some(value) = value {
                        conn.engine.remember(&conn.target, kind, value)?;
                        kept.push(what);
                    }
                }
            }
        }
        conn.mark_used();
        outln!("Signed in to {} with {}: the token {}.", conn.label(), display::method(conn.profile().method), display::expiry(&tokens));
        match conn.source {
            Source::OneOff => outln!("One-off settings: nothing was kept. Use `token` with the same settings to print a token."),
            Source::Sandbox => outln!("The Sandbox profile's sandbox stops with this command, and its token with it."),
            Source::Stored if conn.engine.vault.mode() == VaultMode::SessionOnly => {
                outln!("--session-only: the token was kept in memory only, and is gone now.")
            }
            Source::Stored => {
                let also = if kept.is_empty() { String::new() } else { format!(" with the {}", kept.join(" and ")) };
                outln!("The token is kept in the OS keychain{also}. Print it with: scopestack-cli token {}", conn.profile_flag());
            }
        }
        Ok(())
    })
}
