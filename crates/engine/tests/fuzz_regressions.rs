//! Every fuzz target's kept inputs, run through the same checks as the target (`tests/fuzz_checks`): the crashes a `cargo fuzz` run found (`tests/fuzz_regressions/<target>/`), the seed corpus (`tests/fuzz_seeds/<target>/`, also a starting corpus for `cargo fuzz run <target> ../tests/fuzz_seeds/<target>`), and a local fuzz run's corpus when there is one (`fuzz/corpus/<target>/`, not kept in git). One input a file; a target with nothing to replay fails.

use crate::fuzz_checks;
use std::path::Path;

/// The files of one folder, sorted by name; none when the folder does not exist.
fn inputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<(String, Vec<u8>)> = entries
        .map(|e| e.expect("a readable folder").path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).expect("a readable input"),
            )
        })
        .collect();
    found.sort();
    found
}

/// Replays the target's kept crashes, its seeds and a local corpus; fails when there are no seeds, or when fewer kept crashes than `crashes_kept` are found. Returns how many inputs ran.
fn replay(target: &str, crashes_kept: usize, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ran = 0;
    for (folder, at_least) in
        [("tests/fuzz_regressions", crashes_kept), ("tests/fuzz_seeds", 1), ("fuzz/corpus", 0)]
    {
        let all = inputs(&root.join(folder).join(target));
        assert!(
            all.len() >= at_least,
            "{folder}/{target}: {} inputs, {at_least} expected",
            all.len()
        );
        for (name, data) in &all {
            eprintln!("{folder}/{target}/{name} ({} bytes)", data.len());
            check(data);
        }
        ran += all.len();
    }
    assert!(ran > 0, "nothing to replay for {target}");
    ran
}

#[test]
fn token_answer_crashes_stay_fixed() {
    replay("token_answer", 0, fuzz_checks::token_answer);
}

#[test]
fn diagnose_response_crashes_stay_fixed() {
    replay("diagnose_response", 0, fuzz_checks::diagnose_response);
}

#[test]
fn check_input_crashes_stay_fixed() {
    replay("check_input", 0, fuzz_checks::check_input);
}

#[test]
fn jsonapi_view_crashes_stay_fixed() {
    replay("jsonapi_view", 0, fuzz_checks::jsonapi_view);
}

#[test]
fn curl_import_crashes_stay_fixed() {
    replay("curl_import", 4, fuzz_checks::curl_import);
}
