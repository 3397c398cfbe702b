//! `scopestack-cli`: the headless front end of ScopeStack Companion, for terminals and scripts.
//!
//! Each subcommand lives in its own module and calls the engine (or the sandbox); this file
//! only parses arguments and turns results into exit codes.

mod exit;
mod sandbox_cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "scopestack-cli",
    version,
    about = "Get and use ScopeStack API access tokens from a terminal, and run the ScopeStack sandbox.",
    after_help = exit::EXIT_CODES_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the local ScopeStack sandbox (OAuth server + JSON:API) on 127.0.0.1, or print its demo data.
    Sandbox(sandbox_cmd::SandboxArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sandbox(args) => sandbox_cmd::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code as u8)
        }
    }
}
