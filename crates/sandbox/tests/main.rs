//! The sandbox's integration tests, one test binary (one link) for every former test file: each file is a module here, beside the support module they share.

mod common;

mod api_catalogue;
mod api_me;
mod api_resources;
mod compression;
mod demo;
mod lifecycle;
mod marked;
mod oauth_authorize;
mod oauth_revoke_info;
mod oauth_token;
mod sample_records;
