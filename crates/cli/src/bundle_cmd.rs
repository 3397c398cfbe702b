//! `scopestack-cli support-bundle --profile P --out FILE` writes a support bundle (the profile's
//! settings, its last exchanges with their diagnoses, app and OS versions; every secret removed);
//! `scopestack-cli support-bundle import FILE` opens one as a new profile with those exchanges
//! in its history.

use crate::connect;
use crate::display::outln;
use crate::exit::Failure;
use clap::{Args, Subcommand};
use engine::interop::support_bundle;
use engine::requests::History;
use std::path::PathBuf;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BundleArgs {
    #[command(subcommand)]
    action: Option<BundleAction>,
    /// The profile to write a bundle of, by name (any case) or id
    #[arg(short, long, value_name = "NAME")]
    profile: Option<String>,
    /// Where to write the bundle (replaced whole, never half-written)
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Do not read the keychain (its secrets are then not searched for by value; names, JWTs
    /// and token-looking values are still removed)
    #[arg(long)]
    session_only: bool,
}

#[derive(Subcommand, Debug)]
enum BundleAction {
    /// Open a support bundle: its profile is added as "NAME (from support bundle)" and its
    /// exchanges put into that profile's request history
    Import {
        /// The bundle file, or - for standard input
        file: PathBuf,
    },
}

pub fn run(args: BundleArgs) -> Result<(), Failure> {
    let history = History::open_default()?;
    if let Some(BundleAction::Import { file }) = args.action {
        let text = crate::postman_cmd::read_limited(
            &file,
            support_bundle::MAX_BUNDLE_BYTES,
            "a support bundle",
        )?;
        let mut store = connect::open_store()?;
        let opened = support_bundle::import(&mut store, &history, &text)?;
        let b = &opened.bundle;
        outln!(
            "Opened the support bundle made {} by {} {} on {}.",
            b.made_at,
            b.app.name,
            b.app.version,
            b.system.os_release.as_deref().unwrap_or(&b.system.os)
        );
        outln!(
            "Profile: \"{}\" (id {}), with {} exchange(s) in its request history.",
            opened.profile.name,
            opened.profile.id,
            opened.exchanges
        );
        for e in b.exchanges.iter().take(10) {
            let outcome =
                e.status.map(|s| s.to_string()).or_else(|| e.error.clone()).unwrap_or_default();
            let why = e.diagnosis.as_ref().map(|d| format!(" — {}", d.title)).unwrap_or_default();
            outln!("  {} {} → {outcome}{why}", e.method, e.url);
        }
        if let engine::Environment::Server(endpoints) = &opened.profile.environment {
            let elsewhere = opened.other_hosts(&endpoints.api_url);
            if !elsewhere.is_empty() {
                outln!("Some exchanges went to {}, not the profile's API: run again, they are sent without the token.", elsewhere.join(", "));
            }
        }
        return Ok(());
    }
    let (Some(name), Some(out)) = (args.profile, args.out) else {
        return Err(Failure::usage("Give the profile and the file: scopestack-cli support-bundle --profile NAME --out FILE (or: support-bundle import FILE)."));
    };
    let store = connect::open_store()?;
    let profile = connect::find_profile(&store, &name)?.clone();
    let vault = connect::open_vault(args.session_only)?;
    let input = support_bundle::gather(&profile, &vault, &history, env!("CARGO_PKG_VERSION"))?;
    let exchanges = support_bundle::write(input, &out)?;
    outln!(
        "Wrote the support bundle of \"{}\" to {} ({exchanges} exchange(s); every secret removed).",
        profile.name,
        out.display()
    );
    Ok(())
}
