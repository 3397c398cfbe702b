//! The two profiles every new installation starts with: the built-in Sandbox and ScopeStack.

use super::{
    AccountKind, CallbackSettings, ClientAuth, Endpoints, Environment, Method, Profile, ProfileId,
};
use url::Url;

pub const SANDBOX_PROFILE_ID: &str = "sandbox";
pub const SCOPESTACK_PROFILE_ID: &str = "scopestack";

/// The client ID of the sandbox's demo service account (a demo value, not a secret).
const SANDBOX_SERVICE_ACCOUNT_CLIENT_ID: &str = "sandbox-service-account";

/// The callback URL used when none is registered for the client: the one ScopeStack support is
/// asked to register (any port of 127.0.0.1 matches it on Doorkeeper).
pub const DEFAULT_CALLBACK: &str = "http://127.0.0.1:8765/callback";

/// The scope every built-in profile asks for (the window shows it as the default too).
pub const DEFAULT_SCOPE: &str = "read write";
/// ScopeStack's production URLs (the "ScopeStack" profile's).
pub const PRODUCTION_AUTHORIZE_URL: &str = "https://app.scopestack.io/oauth/authorize";
pub const PRODUCTION_TOKEN_URL: &str = "https://app.scopestack.io/oauth/token";
pub const PRODUCTION_API_URL: &str = "https://api.scopestack.io";

/// "Sandbox": the simulator built into the app, set up for client credentials (the method
/// ScopeStack recommends), so it works offline with the demo credentials.
pub fn sandbox_profile() -> Profile {
    Profile {
        id: ProfileId::new(SANDBOX_PROFILE_ID),
        name: "Sandbox".into(),
        environment: Environment::BuiltInSandbox,
        method: Method::ClientCredentials,
        client_id: SANDBOX_SERVICE_ACCOUNT_CLIENT_ID.into(),
        username: String::new(),
        scope: DEFAULT_SCOPE.into(),
        client_auth: ClientAuth::Body,
        callback: CallbackSettings::default(),
        account_kind: AccountKind::Test,
    }
}

/// "ScopeStack": the production URLs of ScopeStack's API Quick Start, with no credentials.
pub fn scopestack_production() -> Profile {
    let url = |s: &str| Url::parse(s).expect("built-in ScopeStack URL is valid");
    Profile {
        id: ProfileId::new(SCOPESTACK_PROFILE_ID),
        name: "ScopeStack".into(),
        environment: Environment::Server(Endpoints {
            authorize_url: url(PRODUCTION_AUTHORIZE_URL),
            token_url: url(PRODUCTION_TOKEN_URL),
            api_url: url(PRODUCTION_API_URL),
        }),
        method: Method::BrowserLogin,
        client_id: String::new(),
        username: String::new(),
        scope: DEFAULT_SCOPE.into(),
        client_auth: ClientAuth::Body,
        callback: CallbackSettings::default(),
        account_kind: AccountKind::Production,
    }
}
