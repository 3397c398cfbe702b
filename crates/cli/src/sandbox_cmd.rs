//! `scopestack-cli sandbox`: run the ScopeStack simulator standalone, or print its demo data.

use crate::exit::{Code, Failure};
use clap::{Args, Subcommand};
use std::time::Duration;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SandboxArgs {
    #[command(subcommand)]
    action: Option<SandboxAction>,
    /// The port to listen on (127.0.0.1 only). Without it, a free port is chosen.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// How long access tokens live, in seconds.
    #[arg(long, default_value_t = 7200, value_name = "SECONDS")]
    token_lifetime: u64,
}

#[derive(Subcommand)]
enum SandboxAction {
    /// Print the sandbox's demo account, clients and users (demo values, not secrets).
    Demo {
        /// Print JSON for scripts: {"account_slug", "clients": [...], "users": [...]}.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: SandboxArgs) -> Result<(), Failure> {
    match args.action {
        Some(SandboxAction::Demo { json }) => print_demo(json),
        None => serve(args.port, Duration::from_secs(args.token_lifetime)),
    }
}

fn print_demo(json: bool) -> Result<(), Failure> {
    let demo = sandbox::demo_data();
    if json {
        let text = serde_json::to_string_pretty(&demo).map_err(|e| {
            Failure::new(Code::Local, format!("could not encode the demo data: {e}"))
        })?;
        println!("{text}");
        return Ok(());
    }
    println!("Account: {} (slug {}, id {})", demo.account_name, demo.account_slug, demo.account_id);
    println!("\nClients:");
    for c in &demo.clients {
        let callbacks =
            if c.redirect_uris.is_empty() { "-".to_string() } else { c.redirect_uris.join(" ") };
        println!(
            "  {:<34} {:<19} id {:<26} secret {:<22} callback {}",
            c.name,
            wire_name(&c.method),
            c.client_id,
            c.client_secret,
            callbacks
        );
    }
    println!("\nUsers:");
    for u in &demo.users {
        let code =
            u.one_time_code.as_deref().map(|c| format!(" (one-time code {c})")).unwrap_or_default();
        println!("  {:<32} password {:<24} {}{}", u.email, u.password, wire_name(&u.role), code);
    }
    Ok(())
}

/// The name a value has in the JSON output (`client_credentials`, `read-only`, …).
fn wire_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}

fn serve(port: u16, token_lifetime: Duration) -> Result<(), Failure> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| {
        Failure::new(Code::Local, format!("could not start the async runtime: {e}"))
    })?;
    runtime.block_on(async {
        let config = sandbox::SandboxConfig { port, token_lifetime, ..Default::default() };
        let running = sandbox::Sandbox::start(config).await.map_err(|e| Failure::new(Code::Local, e.to_string()))?;
        println!("{}", running.base_url());
        eprintln!(
            "ScopeStack sandbox listening on {} — token URL {}/oauth/token, API {}/v1/me. Demo credentials: scopestack-cli sandbox demo. Ctrl+C stops it.",
            running.base_url(),
            running.base_url(),
            running.base_url()
        );
        let _ = tokio::signal::ctrl_c().await;
        running.shutdown().await;
        Ok(())
    })
}
