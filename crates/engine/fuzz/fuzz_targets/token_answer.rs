//! Arbitrary token-endpoint answers through the engine's own reading of them.
//! The checks are in `crates/engine/tests/fuzz_checks`, shared with the regression tests.
#![no_main]

#[path = "../../tests/fuzz_checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::token_answer(data));
