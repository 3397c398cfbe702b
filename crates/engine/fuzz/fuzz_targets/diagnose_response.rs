//! Arbitrary answers through `diagnose_response`, as a token request and as an API call.
//! The checks are in `crates/engine/tests/fuzz_checks`, shared with the regression tests.
#![no_main]

#[path = "../../tests/fuzz_checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::diagnose_response(data));
