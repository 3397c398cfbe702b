//! `scopestack-cli`: the headless front end of ScopeStack Companion, for terminals and scripts.
//!
//! Each subcommand lives in its own module and calls the engine (or the sandbox); this file
//! only parses arguments and turns results into exit codes.
//!
//! - [`connect`]: choosing the profile or one-off settings, the vault, the Sandbox profile's
//!   in-process sandbox, and getting a token that is valid now.
//! - [`secrets`]: secrets from environment variables or standard input, never from arguments.
//! - [`signin`]: browser sign-in through `$BROWSER`/`xdg-open` (the engine's `browser`), or paste mode.
//! - [`exit`]: exit codes; [`display`]: times and names in output.
//! - one module per subcommand: [`token_cmd`], [`login_cmd`], [`logout_cmd`], [`me_cmd`],
//!   [`request_cmd`], [`profiles_cmd`], [`sandbox_cmd`], [`postman_cmd`] (Postman import and
//!   export), [`bundle_cmd`] (support bundles), [`doctor_cmd`] (the connection check),
//!   [`api_cmd`] (the API catalogue: paths, resource types, write bodies).

mod api_cmd;
mod bundle_cmd;
mod connect;
mod display;
mod doctor_cmd;
mod exit;
mod login_cmd;
mod logout_cmd;
mod me_cmd;
mod postman_cmd;
mod profiles_cmd;
mod request_cmd;
mod sandbox_cmd;
mod secrets;
mod signin;
mod token_cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "scopestack-cli",
    version,
    about = "Get and use ScopeStack API access tokens from a terminal, and run the ScopeStack sandbox.",
    long_about = "Get and use ScopeStack API access tokens from a terminal, and run the ScopeStack sandbox.\n\n\
        Profiles are shared with the ScopeStack Companion app (in $SCOPESTACK_COMPANION_HOME, else \
        ~/.config/scopestack-companion); secrets and tokens live in the OS keychain. Secrets are \
        never taken as values on the command line: name an environment variable \
        (--client-secret-env VAR, --password-env VAR) or use standard input.\n\n\
        Examples:\n  \
        export TOKEN=$(scopestack-cli token --profile acme)\n  \
        S=… scopestack-cli token --grant client-credentials --client-id ID --client-secret-env S\n  \
        scopestack-cli login --profile acme --client-secret-env S --remember",
    after_help = exit::EXIT_CODES_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print an access token that is valid now (renewed first when due), for `$(scopestack-cli token)`
    #[command(after_help = exit::EXIT_CODES_HELP)]
    Token(token_cmd::TokenArgs),
    /// Get a new token by the profile's method (browser login, client credentials or password)
    #[command(after_help = exit::EXIT_CODES_HELP)]
    Login(login_cmd::LoginArgs),
    /// Check the token with GET /v1/me: who it belongs to, which account, which privileges
    #[command(after_help = exit::EXIT_CODES_HELP)]
    Me(me_cmd::MeArgs),
    /// Send a request to the API with the token; the body goes to stdout, the status line to stderr
    Request(request_cmd::RequestArgs),
    /// Revoke the profile's token on the server and delete it from this computer
    #[command(after_help = exit::EXIT_CODES_HELP)]
    Logout(logout_cmd::LogoutArgs),
    /// List, show, add, duplicate, remove, export and import profiles (settings only, never secrets)
    #[command(after_help = exit::EXIT_CODES_HELP)]
    Profiles(profiles_cmd::ProfilesArgs),
    /// Test the connection to a profile's server step by step: names, TCP, proxy, TLS, token endpoint, clock, API
    #[command(after_help = doctor_cmd::EXIT_HELP)]
    Doctor(doctor_cmd::DoctorArgs),
    /// What the app knows of the API: `api paths [PREFIX]`, `api show RESOURCE`, `api skeleton RESOURCE`
    #[command(after_help = exit::EXIT_CODES_HELP)]
    Api(api_cmd::ApiArgs),
    /// Run the local ScopeStack sandbox (OAuth server + JSON:API) on 127.0.0.1, or print its demo data.
    Sandbox(sandbox_cmd::SandboxArgs),
    /// Import a Postman collection or environment into a profile (`import postman FILE`)
    #[command(after_help = exit::EXIT_CODES_HELP)]
    Import(postman_cmd::ImportArgs),
    /// Export a profile as a Postman environment (`export postman-env --profile P --out FILE`)
    #[command(after_help = exit::EXIT_CODES_HELP)]
    Export(postman_cmd::ExportArgs),
    /// Write a support bundle of a profile without any secret (`--profile P --out FILE`), or open one (`import FILE`)
    #[command(after_help = exit::EXIT_CODES_HELP)]
    SupportBundle(bundle_cmd::BundleArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Token(args) => token_cmd::run(args),
        Command::Login(args) => login_cmd::run(args),
        Command::Me(args) => me_cmd::run(args),
        Command::Request(args) => request_cmd::run(args),
        Command::Logout(args) => logout_cmd::run(args),
        Command::Profiles(args) => profiles_cmd::run(args),
        Command::Doctor(args) => doctor_cmd::run(args),
        Command::Api(args) => api_cmd::run(args),
        Command::Sandbox(args) => sandbox_cmd::run(args),
        Command::Import(args) => postman_cmd::run_import(args),
        Command::Export(args) => postman_cmd::run_export(args),
        Command::SupportBundle(args) => bundle_cmd::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code as u8)
        }
    }
}
