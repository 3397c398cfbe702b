//! The engine's integration tests, one test binary (one link) for every former test file: each file is a module here, beside the support modules they share.

mod common;
mod corpus_support;
mod fuzz_checks;
mod oidc_support;
mod one_process;
mod requests_support;

mod body_view;
mod browser_login;
mod copies_keep_no_secret;
mod corpus_bad_servers;
mod custody_requests;
mod custody_secrets;
mod diagnose_errors;
mod diagnose_fuzzlike;
mod diagnose_input;
mod diagnose_responses;
mod direct_grants;
mod fuzz_regressions;
mod keychain;
mod keychain_missing;
mod limits;
mod loopback_attacks;
mod no_secrets_on_disk;
mod oidc_provider;
mod postman_interop;
mod renewal;
mod renewal_across_programs;
mod requests_api;
mod requests_history;
mod requests_memory;
mod requests_progress;
mod requests_server;
mod revoke_verify;
mod saved_requests;
mod support_bundle_secrets;
