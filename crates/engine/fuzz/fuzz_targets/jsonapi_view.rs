//! Arbitrary bodies through the JSON:API view the request tester shows.
//! The checks are in `crates/engine/tests/fuzz_checks`, shared with the regression tests.
#![no_main]

#[path = "../../tests/fuzz_checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::jsonapi_view(data));
