//! `scopestack-cli doctor`: the connection check of a profile (or of given URLs), step by step —
//! names, connection, proxy, TLS, token endpoint, clock, API — with the diagnosis of a failure.
//! Sends no secret; needs no keychain.

use crate::connect::{self, parse_url};
use crate::display::outln;
use crate::exit::{Code, Failure};
use clap::Args;
use engine::doctor::{self, CheckSettings, Outcome, Report};
use engine::Environment;
use std::time::Duration;

/// What `doctor --help` says of its exit codes.
pub const EXIT_HELP: &str = "\
Exit codes:
  0  every step passed (a skipped step, such as TLS for plain HTTP on this computer, counts as passed)
  2  usage: the command line was wrong, or no such profile
  4  network: a step failed (the report says which, why, and what to do)
  6  local: the built-in sandbox could not start";

#[derive(Args, Debug)]
pub struct DoctorArgs {
    /// The profile to check, by name (any case) or id [default: the last-used profile]
    #[arg(short, long, value_name = "NAME", conflicts_with = "token_url")]
    profile: Option<String>,
    /// Check this token URL instead of a profile's (with --api-url, or the token URL's origin)
    #[arg(long, value_name = "URL")]
    token_url: Option<String>,
    /// The API URL to check with --token-url [default: https://api.scopestack.io for app.scopestack.io, else the token URL's origin]
    #[arg(long, value_name = "URL", requires = "token_url")]
    api_url: Option<String>,
    /// The time limit of each step, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=120))]
    step_timeout: u64,
    /// Print the report as JSON: token_url, api_url, passed, steps [{id, title, outcome, detail, diagnosis}]
    #[arg(long)]
    json: bool,
}

pub fn run(args: DoctorArgs) -> Result<(), Failure> {
    connect::runtime()?.block_on(async {
        let (label, endpoints, _sandbox) = match &args.token_url {
            Some(token_url) => {
                let endpoints = connect::endpoints_from(
                    Some(token_url),
                    Some(token_url),
                    args.api_url.as_deref(),
                )?;
                (format!("token URL {}", parse_url("--token-url", token_url)?), endpoints, None)
            }
            None => {
                let store = connect::open_store()?;
                let profile = connect::chosen_profile(&store, args.profile.as_deref())?;
                let label = format!("profile \"{}\"", profile.name);
                if profile.environment == Environment::BuiltInSandbox {
                    // The built-in sandbox runs inside the app; here it runs for this command.
                    let running = sandbox::Sandbox::start(sandbox::SandboxConfig::default())
                        .await
                        .map_err(|e| {
                            Failure::local(format!(
                                "The sandbox for the Sandbox profile could not start: {e}"
                            ))
                        })?;
                    let base = parse_url("the sandbox address", &running.base_url())?;
                    let endpoints = profile.environment.endpoints(Some(&base))?;
                    (label, endpoints, Some(running))
                } else {
                    (label, profile.environment.endpoints(None)?, None)
                }
            }
        };
        let settings = CheckSettings {
            step_timeout: Duration::from_secs(args.step_timeout),
            ..CheckSettings::default()
        };
        let report = doctor::check(&endpoints, &settings).await;
        if args.json {
            let text = serde_json::to_string_pretty(&report)
                .map_err(|e| Failure::local(format!("could not encode the report: {e}")))?;
            outln!("{text}");
        } else {
            print_report(&label, &report);
        }
        match report.first_failure() {
            None => Ok(()),
            Some(step) => Err(Failure::new(
                Code::Network,
                format!(
                    "the connection check failed at \"{}\": {}",
                    step.title,
                    step.diagnosis.as_ref().map(|d| d.title.as_str()).unwrap_or(&step.detail)
                ),
            )),
        }
    })
}

fn mark(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "✓",
        Outcome::Fail => "✗",
        Outcome::Skipped => "–",
    }
}

fn word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "passed",
        Outcome::Fail => "FAILED",
        Outcome::Skipped => "skipped",
    }
}

fn print_report(label: &str, report: &Report) {
    outln!("Connection check of {label}");
    outln!("  token URL: {}", report.token_url);
    outln!("  API URL:   {}", report.api_url);
    outln!("");
    for step in &report.steps {
        outln!("{} {} ({}): {}", mark(step.outcome), step.title, word(step.outcome), step.detail);
        if let Some(d) = &step.diagnosis {
            for line in d.to_text().lines() {
                if line.trim().is_empty() {
                    outln!("");
                } else {
                    outln!("    {line}");
                }
            }
            outln!("");
        }
    }
    let failed = report.steps.iter().filter(|s| s.outcome == Outcome::Fail).count();
    if failed == 0 {
        outln!("Every step passed.");
    } else {
        outln!("{failed} step(s) failed.");
    }
}
