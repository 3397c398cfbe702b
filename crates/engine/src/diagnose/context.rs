//! [`Context`]: what the app knows about the attempt that failed, used to rank the causes.

use crate::profiles::{Grant, Method, Profile};
use crate::secret::Secret;
use crate::tokens::TokenSet;

/// What the app knows about the failed attempt. Every field is optional: the more is known, the
/// sharper the diagnosis.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// The profile's way of getting a token.
    pub method: Option<Method>,
    /// The OAuth `grant_type` sent: `password`, `client_credentials`, `authorization_code` or
    /// `refresh_token`. When `None`, it is taken from `method`.
    pub grant: Option<Grant>,
    /// Whether the token request carried a `redirect_uri` (the Postman pitfall with `password`).
    pub sent_redirect_uri: bool,
    /// The `Accept` header sent (`None`: not sent, or not known).
    pub sent_accept: Option<String>,
    /// The `Content-Type` header sent (`None`: not sent, or not known).
    pub sent_content_type: Option<String>,
    /// `GET`, `POST`, ...
    pub http_method: Option<String>,
    /// The URL the request went to.
    pub url: Option<String>,
    /// The profile's API URL (its path prefix is not mistaken for an account slug).
    pub api_url: Option<String>,
    /// How long ago the token in use was issued.
    pub token_age_secs: Option<i64>,
    /// Whether the token in use had expired by the app's clock.
    pub token_expired: Option<bool>,
    /// The callback URL the sign-in used, or the one registered for the client.
    pub callback_url: Option<String>,
    /// The client ID as the user entered it (not trimmed).
    pub client_id: Option<String>,
    /// Whether an `Authorization` header was sent (`None`: not known).
    pub sent_authorization: Option<bool>,
    /// The token as sent after `Bearer `, to check its shape. Never copied into a text.
    pub sent_token: Option<Secret>,
    /// The scopes of the token in use, when known (the server's token details, or the token
    /// answer's `scope`): a 403 then tells a missing scope from a missing right.
    pub token_scopes: Option<Vec<String>>,
}

impl Context {
    /// What a profile tells: its method (and so the grant), client ID and callback URL.
    pub fn for_profile(profile: &Profile) -> Context {
        Context {
            method: Some(profile.method),
            client_id: Some(profile.client_id.clone()),
            callback_url: profile.callback.redirect_uri.clone(),
            ..Context::default()
        }
    }
}

impl Context {
    /// What a target tells: the profile's, plus its API URL.
    pub fn for_target(target: &crate::session::Target) -> Context {
        Context {
            api_url: Some(target.endpoints.api_url.to_string()),
            ..Context::for_profile(&target.profile)
        }
    }

    /// What a token request of this profile tells: its method, client ID, token URL, the grant
    /// when it is not the method's own (a refresh), and for browser login the callback URL to
    /// give ScopeStack support.
    pub fn for_token_request(target: &crate::session::Target, grant: Option<Grant>) -> Context {
        let mut ctx = Context::for_target(target);
        match grant {
            Some(grant) => ctx = ctx.token_request(grant, target.endpoints.token_url.as_str()),
            None => {
                ctx.url = Some(target.endpoints.token_url.to_string());
                ctx.http_method = Some("POST".into());
            }
        }
        if target.profile.method == Method::BrowserLogin {
            ctx.callback_url = Some(target.profile.callback.url_or_default());
        }
        ctx
    }
}

impl Context {
    /// Adds what a token set tells: its age and whether it expired, at `now` (unix seconds).
    pub fn with_tokens(mut self, tokens: &TokenSet, now: i64) -> Self {
        self.token_age_secs = Some(now - tokens.issued_at);
        self.token_expired = tokens.seconds_left(now).map(|left| left <= 0);
        self
    }

    /// Sets the scopes of the token in use, when known.
    pub fn with_token_scopes(mut self, scopes: Option<Vec<String>>) -> Self {
        self.token_scopes = scopes;
        self
    }

    /// Sets the grant and the URL of a token request.
    pub fn token_request(mut self, grant: Grant, url: &str) -> Self {
        self.grant = Some(grant);
        self.url = Some(url.to_string());
        self.http_method = Some("POST".into());
        self
    }

    /// Adds what a form sent to a token URL tells (a request typed or pasted into the request
    /// tester): its `grant_type`, and whether it carried a `redirect_uri`.
    pub fn with_token_form(mut self, body: &[u8]) -> Self {
        for (name, value) in url::form_urlencoded::parse(body) {
            match name.as_ref() {
                "grant_type" => self.grant = Grant::from_wire(&value).or(self.grant),
                "redirect_uri" => self.sent_redirect_uri = true,
                _ => {}
            }
        }
        self
    }

    /// Sets an API request: method and URL, with the token and JSON:API `Accept` the engine sends.
    pub fn api_request(mut self, http_method: &str, url: &str) -> Self {
        self.http_method = Some(http_method.to_string());
        self.url = Some(url.to_string());
        self
    }

    /// The grant in use: the one given, else the one the method uses.
    pub fn grant(&self) -> Option<Grant> {
        self.grant.or(self.method.map(Grant::from))
    }

    /// Whether the request went to a token endpoint (by grant or by URL).
    pub fn is_token_request(&self) -> bool {
        self.grant.is_some()
            || self.url_path().is_some_and(|p| p.trim_end_matches('/').ends_with("/oauth/token"))
    }

    /// Whether the request was a revocation.
    pub fn is_revocation(&self) -> bool {
        self.url_path().is_some_and(|p| p.trim_end_matches('/').ends_with("/revoke"))
    }

    /// Whether the request writes (POST, PUT, PATCH, DELETE).
    pub fn is_write(&self) -> bool {
        self.http_method.as_deref().is_some_and(|m| {
            matches!(m.to_ascii_uppercase().as_str(), "POST" | "PUT" | "PATCH" | "DELETE")
        })
    }

    pub(crate) fn url_path(&self) -> Option<String> {
        let url = url::Url::parse(self.url.as_deref()?.trim()).ok()?;
        Some(url.path().to_string())
    }
}
