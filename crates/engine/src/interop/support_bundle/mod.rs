//! Support bundles: one JSON file that lets ScopeStack support reproduce a customer's setup — a
//! profile's settings, its last exchanges with their diagnoses, the app's and computer's versions
//! — with every secret removed; and opening one, which recreates the profile and its exchanges.
//!
//! - [`document`]: [`Bundle`], the file's shape.
//! - [`scrub`]: [`Scrubber`], removing secrets in every encoding, and the final check.
//! - [`system`]: [`SystemInfo`], the OS and kernel versions.
//! - [`export`]: gathering and writing a bundle.
//! - [`import`]: reading, checking and opening one.

pub mod document;
pub mod export;
pub mod import;
pub mod scrub;
pub mod system;

pub use document::{AppInfo, Bundle, SecretsPresent, FORMAT, VERSION};
pub use export::{build, gather, write, BundleInput, MAX_EXCHANGES};
pub use import::{import, read, OpenedBundle, MAX_BUNDLE_BYTES};
pub use scrub::Scrubber;
pub use system::SystemInfo;
