//! Arbitrary pasted text through curl import, and the Copy as curl / Import curl round trip.
//! The checks are in `crates/engine/tests/fuzz_checks`, shared with the regression tests.
#![no_main]

#[path = "../../tests/fuzz_checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::curl_import(data));
