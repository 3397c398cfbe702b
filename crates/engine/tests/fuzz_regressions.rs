//! Every input a `cargo fuzz` run found crashing, kept and run through the same checks as its
//! target (`tests/fuzz_checks`): `tests/fuzz_regressions/<target>/<name>`, one input a file.

use crate::fuzz_checks;

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut found: Vec<(String, Vec<u8>)> = entries
        .map(|e| e.expect("a readable folder").path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).expect("a readable input")))
        .collect();
    found.sort();
    found
}

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let all = inputs(target);
    for (name, data) in &all {
        eprintln!("{target}/{name} ({} bytes)", data.len());
        check(data);
    }
    all.len()
}

#[test]
fn token_answer_crashes_stay_fixed() {
    replay("token_answer", fuzz_checks::token_answer);
}

#[test]
fn diagnose_response_crashes_stay_fixed() {
    replay("diagnose_response", fuzz_checks::diagnose_response);
}

#[test]
fn check_input_crashes_stay_fixed() {
    replay("check_input", fuzz_checks::check_input);
}

#[test]
fn jsonapi_view_crashes_stay_fixed() {
    replay("jsonapi_view", fuzz_checks::jsonapi_view);
}

#[test]
fn curl_import_crashes_stay_fixed() {
    assert!(replay("curl_import", fuzz_checks::curl_import) >= 1, "the kept curl_import crashes are missing");
}
