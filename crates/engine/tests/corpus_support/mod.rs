//! The corpus of bad server behaviours: a raw-TCP server with one route per behaviour, side
//! servers for what happens before any path is sent (TLS, proxies), the table of cases, and
//! the runner. Used by `corpus_*.rs` only.
#![allow(dead_code)]

pub mod case;
pub mod cases;
pub mod run;
pub mod server;
pub mod side_servers;
