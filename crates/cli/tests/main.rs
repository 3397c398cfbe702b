//! The CLI's integration tests, one test binary (one link) for every former test file: each file is a module here, beside the support module they share.

mod support;

mod api;
mod custody;
mod doctor;
mod interop;
mod keychain_bounds;
mod lazy_tls;
mod one_off;
mod production_guard;
mod profiles;
mod request;
mod token_details;
