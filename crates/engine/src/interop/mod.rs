//! Moving a profile's work in and out of the app in other shapes: Postman collections and
//! environments ([`postman`]), and support bundles that let support see a customer's setup
//! without any of its secrets ([`support_bundle`]).

pub mod postman;
pub mod support_bundle;
pub mod utc;
