//! `scopestack-cli import postman FILE` (a collection or an environment, told apart by their
//! shape) and `scopestack-cli export postman-env`: Postman files in and out of a profile.

use crate::connect;
use crate::display::outln;
use crate::exit::Failure;
use clap::{Args, Subcommand};
use engine::interop::postman::{self, environment, ImportOptions, Stores};
use engine::requests::SavedRequests;
use engine::{EngineError, Environment};
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(subcommand)]
    what: ImportWhat,
}

#[derive(Subcommand, Debug)]
enum ImportWhat {
    /// Import a Postman collection (v2.1 or v2.0) or environment. A collection becomes a new
    /// profile (its OAuth 2.0 settings) with its requests as saved requests and its variables as
    /// profile variables; an environment fills a new profile, or the one named with --into.
    /// Secrets in the file go to the keychain only with --keep-secrets; else they are dropped.
    /// Prints what became what, and what was not imported and why.
    Postman(PostmanImportArgs),
}

#[derive(Args, Debug)]
struct PostmanImportArgs {
    /// The collection or environment file (JSON), or - for standard input
    file: PathBuf,
    /// A Postman environment whose variables apply to the collection (as in Postman)
    #[arg(long, short, value_name = "ENVFILE")]
    environment: Option<PathBuf>,
    /// The new profile's name [default: the collection's or environment's name]
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// For an environment: fill this profile (name or id) instead of making a new one
    #[arg(long, value_name = "PROFILE", conflicts_with = "name")]
    into: Option<String>,
    /// Keep the file's client secret and password in the keychain (tokens are always dropped)
    #[arg(long)]
    keep_secrets: bool,
    /// With --keep-secrets: keep them in memory for this command only (nothing in the keychain)
    #[arg(long)]
    session_only: bool,
    /// Print the import report as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(subcommand)]
    what: ExportWhat,
}

#[derive(Subcommand, Debug)]
enum ExportWhat {
    /// Write a Postman environment for a profile: baseUrl, authUrl, accessTokenUrl, clientId,
    /// scope (and username, callback, the profile's variables). The current access token is
    /// written only with --include-token, typed "secret".
    PostmanEnv(PostmanEnvArgs),
}

#[derive(Args, Debug)]
struct PostmanEnvArgs {
    /// The profile, by name (any case) or id
    #[arg(short, long, value_name = "NAME")]
    profile: String,
    /// Where to write the environment (replaced whole, never half-written)
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
    /// Also write the profile's current access token (it grants access to the account: keep the file safe)
    #[arg(long)]
    include_token: bool,
    /// Read the token from memory only (finds none: for computers without a keychain)
    #[arg(long)]
    session_only: bool,
}

/// Reads a whole file (or standard input for `-`), refusing one larger than `max` bytes.
pub fn read_limited(path: &Path, max: u64, what: &str) -> Result<String, Failure> {
    let mut text = String::new();
    let too_large = || {
        Failure::usage(format!(
            "{} is larger than {} MB, too large for {what}.",
            path.display(),
            max / 1024 / 1024
        ))
    };
    let result = if path.as_os_str() == "-" {
        std::io::stdin().take(max + 1).read_to_string(&mut text)
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| Failure::usage(format!("Could not open {}: {e}.", path.display())))?;
        if file.metadata().map(|m| m.len() > max).unwrap_or(false) {
            return Err(too_large());
        }
        file.take(max + 1).read_to_string(&mut text)
    };
    result
        .map_err(|e| Failure::usage(format!("Could not read {} as text: {e}.", path.display())))?;
    if text.len() as u64 > max {
        return Err(too_large());
    }
    Ok(text)
}

pub fn run_import(args: ImportArgs) -> Result<(), Failure> {
    let ImportWhat::Postman(args) = args.what;
    let text = read_limited(&args.file, postman::MAX_FILE_BYTES, "a Postman file")?;
    let environment = args
        .environment
        .as_deref()
        .map(|p| read_limited(p, postman::MAX_FILE_BYTES, "a Postman environment"))
        .transpose()?;
    let mut store = connect::open_store()?;
    let into_profile = args
        .into
        .as_deref()
        .map(|name| connect::find_profile(&store, name).map(|p| p.id.clone()))
        .transpose()?;
    let vault = if args.keep_secrets {
        connect::open_vault(args.session_only)?
    } else {
        engine::vault::Vault::session_only()
    };
    let saved = SavedRequests::open_default()?;
    let options = ImportOptions {
        name: args.name,
        keep_secrets: args.keep_secrets,
        into_profile,
        environment,
    };
    let imported =
        postman::import_text(&text, Stores { profiles: &mut store, saved: &saved }, &options)?;
    drop(store);
    let report = imported.keep_secrets(&vault);
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&report)
                .map_err(|e| Failure::local(format!("could not encode the report: {e}")))?
        );
    } else {
        outln!("{}", report.to_text().trim_end());
    }
    Ok(())
}

pub fn run_export(args: ExportArgs) -> Result<(), Failure> {
    let ExportWhat::PostmanEnv(args) = args.what;
    let store = connect::open_store()?;
    let profile = connect::find_profile(&store, &args.profile)?.clone();
    let endpoints = match &profile.environment {
        Environment::Server(e) => e.clone(),
        Environment::BuiltInSandbox => {
            return Err(Failure::usage(
                "The built-in Sandbox profile has a new address at every launch, so an environment of it would not work later. Export another profile, or start `scopestack-cli sandbox --port N` and add a profile for it.",
            ))
        }
    };
    let token = if args.include_token {
        let vault = connect::open_vault(args.session_only)?;
        // Only a token issued for the profile's addresses as they are now: one issued before its
        // URLs moved is dropped, never written next to the new addresses.
        let tokens = vault
            .get_tokens_for(&profile.id, &engine::session::binding_of(&profile))?
            .ok_or_else(|| {
                Failure::from(EngineError::NoToken).with_note(&format!(
                    "(Get one with `scopestack-cli login --profile \"{}\"`.)",
                    profile.name
                ))
            })?;
        if tokens.seconds_left(engine::tokens::now_unix()).is_some_and(|s| s <= 0) {
            eprintln!("warning: the profile's access token has expired; Postman will be refused until it gets a new one");
        }
        Some(tokens.access_token)
    } else {
        None
    };
    let variables = SavedRequests::open_default()?.variables(&profile.id)?;
    let text = environment::export(
        &profile,
        &endpoints,
        &variables,
        token.as_ref(),
        engine::tokens::now_unix(),
    );
    engine::profiles::write_atomically(&args.out, text.as_bytes())?;
    let with = if token.is_some() {
        " with its current access token (keep the file safe)"
    } else {
        " (no token; add --include-token to write it)"
    };
    outln!(
        "Wrote the Postman environment of \"{}\" to {}{with}.",
        profile.name,
        args.out.display()
    );
    Ok(())
}
