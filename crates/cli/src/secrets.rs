//! Secrets given to one command: only from environment variables named on the command line, or
//! from standard input — never as a command-line value, where any user of the machine could read
//! them in the process list.

use crate::exit::Failure;
use clap::Args;
use engine::{Credentials, Secret};
use std::io::{BufRead, IsTerminal, Write};

#[derive(Args, Debug, Default)]
#[command(next_help_heading = "Secrets (never as values on the command line)")]
pub struct SecretArgs {
    /// Read the client secret from the environment variable VAR
    #[arg(long, value_name = "VAR")]
    pub client_secret_env: Option<String>,
    /// Read the client secret from the first line of standard input
    #[arg(long, conflicts_with = "client_secret_env")]
    pub client_secret_stdin: bool,
    /// Read the password (password grant) from the environment variable VAR
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Read the password from standard input (the line after the client secret when both are read)
    #[arg(long, conflicts_with = "password_env")]
    pub password_stdin: bool,
}

impl SecretArgs {
    /// The environment variables named to hold secrets.
    pub fn env_names(&self) -> Vec<String> {
        [&self.client_secret_env, &self.password_env].into_iter().flatten().cloned().collect()
    }
}

/// Reads the secrets given: environment variables first, then standard input (client secret line,
/// then password line).
pub fn read(args: &SecretArgs) -> Result<Credentials, Failure> {
    let mut creds = Credentials::default();
    if let Some(var) = &args.client_secret_env {
        creds.client_secret = Some(from_env(var, "--client-secret-env", "client secret")?);
    }
    if let Some(var) = &args.password_env {
        creds.password = Some(from_env(var, "--password-env", "password")?);
    }
    if args.client_secret_stdin {
        creds.client_secret = Some(from_stdin("Client secret", "client secret")?);
    }
    if args.password_stdin {
        creds.password = Some(from_stdin("Password", "password")?);
    }
    Ok(creds)
}

/// `field`'s value, within the limits the window applies to secrets too; `None` when empty.
fn within_limits(field: &str, value: String) -> Result<Option<Secret>, Failure> {
    Ok(engine::limits::secret(field, Some(value))?)
}

fn from_env(var: &str, flag: &str, field: &str) -> Result<Secret, Failure> {
    match std::env::var(var) {
        Ok(value) => within_limits(field, value)?.ok_or_else(|| {
            Failure::usage(format!("The environment variable {var} (named by {flag}) is empty."))
        }),
        Err(std::env::VarError::NotPresent) => {
            Err(Failure::usage(format!("The environment variable {var} (named by {flag}) is not set. Give the name of the variable, not the secret itself.")))
        }
        Err(std::env::VarError::NotUnicode(_)) => Err(Failure::usage(format!("The environment variable {var} (named by {flag}) is not valid text."))),
    }
}

/// One line of standard input. At a terminal it asks, and hides what is typed where `stty` can.
fn from_stdin(what: &str, field: &str) -> Result<Secret, Failure> {
    let interactive = std::io::stdin().is_terminal();
    if interactive {
        eprint!("{what}: ");
        let _ = std::io::stderr().flush();
    }
    let hidden = interactive && stty(&["-echo"]);
    let line = read_line();
    if hidden {
        stty(&["echo"]);
        eprintln!();
    }
    let nothing = || Failure::usage(format!("{what}: nothing was read from standard input."));
    within_limits(field, line?.ok_or_else(nothing)?)?.ok_or_else(nothing)
}

/// The next line of standard input without its line ending; `None` at the end of the input.
pub fn read_line() -> Result<Option<String>, Failure> {
    let mut line = String::new();
    let n = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::local(format!("Could not read standard input: {e}")))?;
    if n == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim_end_matches(['\r', '\n']).to_string()))
}

/// Runs `stty` on the terminal; false when it cannot.
fn stty(args: &[&str]) -> bool {
    std::process::Command::new("stty")
        .args(args)
        .stdin(std::process::Stdio::inherit())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
