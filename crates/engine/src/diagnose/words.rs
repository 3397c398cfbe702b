//! Phrases many diagnoses share, so that a term is always explained the same way.

use crate::profiles::Method;

/// What a "grant" is, for people who have never read OAuth.
pub const GRANT: &str = "the \"grant\" (OAuth's word for the way the app asks for a token: with a password, with the client ID and secret only, or after a browser sign-in)";

/// The same, as a sentence.
pub const GRANT_DEFINED: &str = "A \"grant\" is OAuth's word for the way the app asks for a token: with a password, with the client ID and secret only, or after a browser sign-in.";

/// What an access token is.
pub const ACCESS_TOKEN: &str = "the access token (the long code the API checks on every request; it works for about two hours)";

/// What the client ID and secret are.
pub const CLIENT: &str = "the client ID and client secret (the pair ScopeStack gives out so that an app may ask for tokens)";

/// What the callback URL is.
pub const CALLBACK: &str =
    "the callback URL (the address the browser returns to after you sign in; ScopeStack accepts only the one registered for your client ID)";

/// The name of a method as the app shows it.
pub fn method_name(method: Method) -> &'static str {
    match method {
        Method::BrowserLogin => "Browser login",
        Method::ClientCredentials => "Client credentials",
        Method::Password => "Password",
    }
}

/// The grant in plain words.
pub fn grant_name(grant: crate::profiles::Grant) -> &'static str {
    use crate::profiles::Grant;
    match grant {
        Grant::Password => "the password method",
        Grant::ClientCredentials => "the client credentials method",
        Grant::AuthorizationCode => "browser login",
        Grant::RefreshToken => "renewing with the refresh token",
    }
}

/// The two methods other than `current`, the recommended one first.
pub fn other_methods(current: Option<Method>) -> Vec<Method> {
    [Method::ClientCredentials, Method::BrowserLogin, Method::Password]
        .into_iter()
        .filter(|m| Some(*m) != current)
        .collect()
}
