//! The end-to-end tests, one test binary (one link) for every former test file: each file is a module here. scripts/test runs them with --test-threads=1: one app window at a time.

mod catalogue;
mod connection_check;
mod custody_shell;
mod custody_window;
mod diagnosis;
mod exit_mid_download;
mod interop;
mod jq_stop;
mod keychain;
mod large_body;
mod launch;
mod production_guard;
mod profiles;
mod request_tester;
mod soak;
mod token_details;
mod token_workflow;
mod variables;
mod workspace;
