//! The corpus of bad server behaviours (see `CORPUS.md`): every case is run concurrently
//! against the bad server with short timeouts, and must end in its own diagnosis code — no
//! panic, no hang, and nothing lost from the vault.

use crate::corpus_support;

use crate::corpus_support::case::Case;
use crate::corpus_support::run::{run, Sides};
use crate::corpus_support::server::BadServer;
use engine::diagnose::codes;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// No case may take longer: the client's own total timeout is 5 s.
const GUARD: Duration = Duration::from_secs(12);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_bad_behaviour_ends_in_its_own_diagnosis() {
    let server = Arc::new(BadServer::start().await);
    let sides = Arc::new(Sides::start().await);
    let only = std::env::var("CORPUS_ONLY").ok();
    let mut cases = corpus_support::cases::all(server.port);
    if let Some(only) = &only {
        cases.retain(|c| only.split(',').any(|n| n == c.name));
    }
    let cases = Arc::new(cases);
    assert!(only.is_some() || cases.len() >= 80, "the corpus has {} cases", cases.len());
    let mut names = std::collections::HashSet::new();
    for case in cases.iter() {
        assert!(names.insert(case.name), "{} twice", case.name);
        if let Some(b) = &case.behaviour {
            server.route(case.name, b.clone());
        }
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..cases.len() {
        let (server, sides, cases) = (server.clone(), sides.clone(), cases.clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::timeout(GUARD, run(&cases[i], &server, &sides)).await
        }));
    }
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, "");
    for (i, task) in tasks.into_iter().enumerate() {
        let case: &Case = &cases[i];
        let outcome = match task.await {
            Err(panic) => {
                failures.push(format!("{}: panicked: {panic}", case.name));
                continue;
            }
            Ok(Err(_)) => {
                failures.push(format!("{}: still running after {GUARD:?} (a hang)", case.name));
                continue;
            }
            Ok(Ok(outcome)) => outcome,
        };
        if outcome.elapsed > slowest.0 {
            slowest = (outcome.elapsed, case.name);
        }
        let mut problems = Vec::new();
        if outcome.code != case.expect {
            problems.push(format!(
                "expected {}, got {} ({})",
                case.expect,
                outcome.code,
                outcome.diagnosis.as_ref().and_then(|d| d.details.clone()).unwrap_or_default()
            ));
        }
        if let Some((_, expect)) = &case.raw {
            if outcome.raw_code.as_deref() != Some(*expect) {
                problems.push(format!(
                    "raw: expected {expect}, got {:?} ({})",
                    outcome.raw_code,
                    outcome
                        .raw_diagnosis
                        .as_ref()
                        .and_then(|d| d.details.clone())
                        .unwrap_or_default()
                ));
            }
        }
        for d in [&outcome.diagnosis, &outcome.raw_diagnosis].into_iter().flatten() {
            if !codes::ALL.contains(&d.code) {
                problems.push(format!("{} is not in codes::ALL", d.code));
            }
            if d.title.is_empty() || d.what_happened.is_empty() || d.what_to_do.is_empty() {
                problems.push(format!("{} lacks a title, a cause or a step", d.code));
            }
            let text = serde_json::to_string(d).unwrap();
            for secret in
                ["s3cret-value", "previous-refresh-token", "previous-access-token", "c2ln"]
            {
                if text.contains(secret) {
                    problems.push(format!("the diagnosis shows a secret ({secret}): {text}"));
                }
            }
        }
        if let Some(check) = case.check {
            if let Err(e) = check(&outcome) {
                problems.push(e);
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}", case.name, problems.join("; ")));
        }
    }
    let total = started.elapsed();
    eprintln!(
        "corpus: {} cases in {total:.2?}; slowest {} in {:.2?}",
        cases.len(),
        slowest.1,
        slowest.0
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(total < Duration::from_secs(20), "the corpus took {total:?}");
}

#[test]
fn corpus_md_lists_every_case() {
    let cases = corpus_support::cases::all(1);
    let mut table = String::from(
        "| # | behaviour | route | operation | expected |\n| --- | --- | --- | --- | --- |\n",
    );
    for (i, c) in cases.iter().enumerate() {
        let expected = match &c.raw {
            Some((_, raw)) if *raw != c.expect => format!("`{}` (raw exchange: `{raw}`)", c.expect),
            _ => format!("`{}`", c.expect),
        };
        table.push_str(&format!(
            "| {} | {} | `{}` | {} | {expected} |\n",
            i + 1,
            c.what.replace('|', "\\|"),
            c.name,
            c.op.label()
        ));
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/CORPUS.md");
    let current = std::fs::read_to_string(path).unwrap_or_default();
    let begin = "<!-- corpus table: begin -->\n";
    let end = "<!-- corpus table: end -->";
    if std::env::var_os("CORPUS_UPDATE").is_some() {
        let (head, tail) = match (current.find(begin), current.find(end)) {
            (Some(b), Some(e)) => (current[..b].to_string(), current[e..].to_string()),
            _ => (current.clone(), end.to_string()),
        };
        std::fs::write(path, format!("{head}{begin}{table}{tail}")).unwrap();
        return;
    }
    assert!(
        current.contains(&format!("{begin}{table}{end}")),
        "CORPUS.md is out of date: run `CORPUS_UPDATE=1 cargo test -p engine --test integration corpus_md`"
    );
}
