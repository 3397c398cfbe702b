//! Arbitrary text as every field `check_input` looks at, and as a pasted token.
//! The checks are in `crates/engine/tests/fuzz_checks`, shared with the regression tests.
#![no_main]

#[path = "../../tests/fuzz_checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_input(data));
