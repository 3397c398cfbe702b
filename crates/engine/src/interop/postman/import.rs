//! Putting a Postman collection or environment into the app: a profile (new, or chosen for an
//! environment), the collection's requests as saved requests of it, its variables as profile
//! variables, and its secrets into the vault when the user asks — never into a file.
//!
//! The import itself touches only the profiles and saved requests; its secrets come back in an
//! [`Imported`], kept with [`Imported::keep_secrets`] once the caller has let go of the profiles,
//! so a keychain that takes seconds to answer (locked, or its daemon gone) holds up nothing else.

use super::auth::{read_oauth2, OAuthSettings};
use super::collection::{self, RawRequest};
use super::environment::{self, Setting};
use super::report::ImportReport;
use super::templates::{self, Plan};
use super::values::{Entry, Variables};
use crate::error::EngineError;
use crate::profiles::{
    free_name, AccountKind, CallbackMode, CallbackSettings, ClientAuth, Endpoints, Environment,
    Method, Profile, ProfileId, ProfileStore,
};
use crate::requests::saved::{NewSavedRequest, SavedRequests};
use crate::requests::RequestSpec;
use crate::secret::Secret;
use crate::vault::{SecretKind, Vault, VaultMode};
use std::collections::BTreeMap;
use url::Url;

/// Where an import puts things (its secrets go to the vault afterwards: [`Imported`]).
pub struct Stores<'a> {
    pub profiles: &'a mut ProfileStore,
    pub saved: &'a SavedRequests,
}

/// A finished import whose secrets are still to be kept: the profile is saved, and
/// [`Imported::keep_secrets`] puts the file's client secret and password in the vault (when the
/// user asked) and completes the report.
#[must_use = "the report is complete, and the secrets kept, only after keep_secrets"]
pub struct Imported {
    report: ImportReport,
    /// The profile the secrets belong to (they are bound to its token URL as imported).
    profile: Profile,
    /// The file's non-empty secrets, each with its name for the report.
    secrets: Vec<(SecretKind, Secret, &'static str)>,
    /// Whether the user asked to keep them (else the report says they were dropped).
    keep: bool,
    /// The tokens of the file, always dropped.
    tokens: Vec<&'static str>,
}

impl Imported {
    /// The profile made or filled.
    pub fn profile_id(&self) -> Option<&ProfileId> {
        self.report.profile_id.as_ref()
    }

    /// Keeps the secrets in `vault` (each waits at most the keychain's bound) and returns the
    /// whole report, which says where each secret went.
    pub fn keep_secrets(mut self, vault: &Vault) -> ImportReport {
        for (kind, value, what) in &self.secrets {
            keep_secret(vault, &self.profile, *kind, value, self.keep, what, &mut self.report);
        }
        self.tokens.dedup();
        drop_tokens(&self.tokens, &mut self.report);
        self.report
    }
}

/// What the user chose for an import.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The new profile's name (default: the collection's or environment's).
    pub name: Option<String>,
    /// Keep the client secret and password of the file in the vault (else they are dropped).
    pub keep_secrets: bool,
    /// For an environment: fill this profile instead of making a new one.
    pub into_profile: Option<ProfileId>,
    /// For a collection: the text of a Postman environment whose variables apply to it.
    pub environment: Option<String>,
}

fn url_of(text: &str) -> Option<Url> {
    let lower = text.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        .then(|| Url::parse(text.trim()).ok())
        .flatten()
}

/// ScopeStack serves OAuth from app.scopestack.io and the API from api.scopestack.io; other
/// servers (the sandbox, a gateway) serve both from one origin.
fn oauth_base_for(api: &Url) -> Url {
    let mut base = api.clone();
    if api.host_str() == Some("api.scopestack.io") {
        let _ = base.set_host(Some("app.scopestack.io"));
    }
    base.set_path("/");
    base.set_query(None);
    base
}

fn api_for(oauth: &Url) -> Url {
    let mut base = oauth.clone();
    if oauth.host_str() == Some("app.scopestack.io") {
        let _ = base.set_host(Some("api.scopestack.io"));
    }
    base.set_path("/");
    base.set_query(None);
    base
}

/// The three URLs from what the file tells, filling gaps as ScopeStack lays them out.
fn endpoints(plan: &Plan, oauth: Option<&OAuthSettings>, report: &mut ImportReport) -> Endpoints {
    let auth_url = oauth.and_then(|o| o.auth_url.as_deref()).and_then(url_of);
    let token_url = oauth.and_then(|o| o.token_url.as_deref()).and_then(url_of);
    for (given, parsed, what) in [
        (oauth.and_then(|o| o.auth_url.as_ref()), &auth_url, "authorize URL"),
        (oauth.and_then(|o| o.token_url.as_ref()), &token_url, "access token URL"),
    ] {
        if let (Some(text), None) = (given, parsed) {
            report.skipped(format!("The {what} \"{text}\" is not a full address (a variable without a value?); a default was used. Check it in the profile."));
        }
    }
    let production = |path: &str| Url::parse(&format!("https://app.scopestack.io{path}")).ok();
    let api_url = plan
        .api_url
        .clone()
        .or_else(|| token_url.as_ref().or(auth_url.as_ref()).map(api_for))
        .unwrap_or_else(|| {
            report.skipped("The collection does not say where the API is; the profile uses ScopeStack's https://api.scopestack.io.");
            Url::parse("https://api.scopestack.io").expect("a valid built-in URL")
        });
    let oauth_base = oauth_base_for(&api_url);
    let fill = |given: Option<Url>, path: &str, report: &mut ImportReport| {
        given.unwrap_or_else(|| {
            let url = oauth_base
                .join(path)
                .ok()
                .or_else(|| production(path))
                .expect("a valid built-in URL");
            report
                .became(format!("(no {} in the file) → {url}", path.trim_start_matches("/oauth/")));
            url
        })
    };
    let authorize_url = fill(auth_url, "/oauth/authorize", report);
    let token_url = fill(token_url, "/oauth/token", report);
    Endpoints { authorize_url, token_url, api_url }
}

fn callback(uri: Option<&str>) -> CallbackSettings {
    let Some(uri) = uri else { return CallbackSettings::default() };
    let loopback = url_of(uri).is_some_and(|u| {
        u.scheme() == "http" && matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
    });
    let mode = if loopback { CallbackMode::Loopback } else { CallbackMode::InAppWindow };
    CallbackSettings { mode, redirect_uri: Some(uri.to_string()) }
}

fn method_words(m: Method) -> &'static str {
    match m {
        Method::BrowserLogin => "browser login",
        Method::ClientCredentials => "client credentials",
        Method::Password => "password",
    }
}

/// Keeps a secret in the vault when the user asked, else says it was dropped. It came with the
/// file's URLs, so it is bound to the profile's token URL as imported.
fn keep_secret(
    vault: &Vault,
    profile: &Profile,
    kind: SecretKind,
    value: &Secret,
    keep: bool,
    what: &str,
    report: &mut ImportReport,
) {
    if !keep {
        report.secret(format!("The {what} in the file was not kept: enter it when you get a token (or import again and choose to keep secrets in the keychain)."));
        return;
    }
    match vault.set_kept(
        &profile.id,
        kind,
        value,
        &crate::session::binding_of(profile).token_origin,
    ) {
        Ok(()) if vault.mode() == VaultMode::SessionOnly => report
            .secret(format!("The {what} is kept for this session only (no keychain is in use).")),
        Ok(()) => {
            report.secret(format!("The {what} is kept in the system keychain, not in any file."))
        }
        Err(e) => report.secret(format!(
            "The {what} could not be kept in the keychain ({e}); enter it when you get a token."
        )),
    }
}

fn drop_tokens(tokens: &[&str], report: &mut ImportReport) {
    for t in tokens {
        report.secret(format!(
            "The {t} in the file was dropped: get a new one with Get New Access Token."
        ));
    }
}

/// The saved request of a Postman request.
fn saved_request(
    raw: &RawRequest,
    plan: &Plan,
    vars: &Variables,
    path_vars: &mut BTreeMap<String, String>,
    report: &mut ImportReport,
) -> NewSavedRequest {
    let mut spec = RequestSpec::new(&raw.method, &templates::rewrite_url(raw, plan, vars, report));
    let rewrite = |e: &Entry, report: &mut ImportReport| {
        (e.key.clone(), templates::rewrite_text(&e.value, plan, vars, report))
    };
    spec.query = raw.query.iter().filter(|e| e.enabled).map(|e| rewrite(e, report)).collect();
    for header in raw.headers.iter().filter(|e| e.enabled) {
        if header.key.trim().eq_ignore_ascii_case("authorization") {
            report.became("Authorization headers → left out: the app sends the profile's token");
            continue;
        }
        spec.headers.push(rewrite(header, report));
    }
    if let Some(body) = &raw.body {
        spec.body = Some(body.clone().into_bytes());
        if raw.form_body && spec.header("content-type").is_none() {
            spec.headers.push(("Content-Type".into(), "application/x-www-form-urlencoded".into()));
        }
    }
    match super::auth::auth_type(raw.auth.as_ref()).as_deref() {
        Some("noauth") => spec.auth = false,
        None | Some("oauth2") | Some("inherit") => {}
        Some("bearer") => report.became(format!("\"{}\" had its own bearer token → it uses the profile's token", raw.name)),
        Some(other) => report.skipped(format!("\"{}\" uses Postman's \"{other}\" authorization, which was not imported; it sends the profile's token.", raw.name)),
    }
    for v in raw.path_variables.iter().filter(|v| !v.value.is_empty()) {
        path_vars.entry(v.key.clone()).or_insert_with(|| vars.resolve(&v.value));
    }
    NewSavedRequest { name: raw.name.clone(), folder: raw.folder.clone(), spec }
}

fn parse(text: &str, what: &str) -> Result<serde_json::Value, EngineError> {
    serde_json::from_str(text).map_err(|e| {
        EngineError::MissingInput(format!(
            "The {what} is not JSON ({e}). Export it from Postman again as a JSON file."
        ))
    })
}

/// Imports a collection: a new profile with its saved requests and variables.
pub fn import_collection(
    doc: &serde_json::Value,
    stores: Stores<'_>,
    options: &ImportOptions,
) -> Result<Imported, EngineError> {
    let mut report = ImportReport { created_profile: true, ..ImportReport::default() };
    let col = collection::read(doc, &mut report)?;
    let mut vars = Variables::default();
    vars.extend(&col.variables);
    if let Some(env_text) = &options.environment {
        let env = environment::read(&parse(env_text, "environment file")?)?;
        vars.extend(&env.values);
        report.became(format!(
            "the environment \"{}\" → its variables apply to the collection's",
            env.name
        ));
    }
    let mut oauth = read_oauth2(col.auth.as_ref(), &vars, &mut report);
    match super::auth::auth_type(col.auth.as_ref()).as_deref() {
        _ if oauth.is_some() => report.became("the collection's OAuth 2.0 settings → the profile's sign-in settings"),
        None | Some("noauth") | Some("inherit") => {}
        Some(other) => report.skipped(format!(
            "The collection's \"{other}\" authorization was not imported (any credential in it was dropped); the profile gets its own token."
        )),
    }
    for raw in &col.requests {
        let Some(theirs) = read_oauth2(raw.auth.as_ref(), &vars, &mut report) else { continue };
        match &oauth {
            None => {
                report.became(format!("the OAuth 2.0 settings of \"{}\" → the profile's sign-in settings", raw.name));
                oauth = Some(theirs);
            }
            Some(ours) if ours.client_id != theirs.client_id || ours.token_url != theirs.token_url || ours.grant != theirs.grant => {
                report.skipped(format!("\"{}\" has other OAuth 2.0 settings (client {}); the profile keeps the first ones. Import it into its own profile if needed.", raw.name, theirs.client_id))
            }
            Some(_) => {}
        }
    }
    let plan = templates::plan(&col.requests, &vars, &mut report);
    let endpoints = endpoints(&plan, oauth.as_ref(), &mut report);
    let method = match oauth.as_ref() {
        Some(o) => o.method.unwrap_or(Method::BrowserLogin),
        None => {
            report.skipped("The collection has no OAuth 2.0 settings: the profile uses client credentials. Choose its method and enter its client ID.");
            Method::ClientCredentials
        }
    };
    let wanted = options.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| {
        if col.name.is_empty() {
            "Postman import".into()
        } else {
            col.name.clone()
        }
    });
    let profile =
        new_profile(stores.profiles, wanted.trim(), endpoints, method, oauth.as_ref(), &mut report);
    profile.validate().map_err(|e| {
        EngineError::MissingInput(format!(
            "The collection's settings cannot make a profile, so nothing was imported: {e}"
        ))
    })?;

    let mut path_vars = BTreeMap::new();
    let requests: Vec<NewSavedRequest> = col
        .requests
        .iter()
        .map(|r| saved_request(r, &plan, &vars, &mut path_vars, &mut report))
        .collect();
    let mut kept_vars: BTreeMap<String, String> = BTreeMap::new();
    for (name, var) in &vars.map {
        if plan.base_var.as_ref() == Some(name) || plan.slug_vars.contains(name) {
            continue;
        }
        if var.secret {
            report.secret(format!("The variable {{{{{name}}}}} holds a secret and was not kept: requests that use it need it typed in."));
        } else {
            kept_vars.insert(name.clone(), vars.resolve(&var.value));
        }
    }
    for (k, v) in path_vars {
        kept_vars.entry(k).or_insert(v);
    }
    store_all(stores, profile, requests, kept_vars, oauth.as_ref(), options, report)
}

fn new_profile(
    store: &ProfileStore,
    wanted: &str,
    endpoints: Endpoints,
    method: Method,
    oauth: Option<&OAuthSettings>,
    report: &mut ImportReport,
) -> Profile {
    let name = free_name(store, wanted);
    report.renamed_from = (name != wanted).then(|| wanted.to_string());
    let scope =
        oauth.map(|o| o.scope.split_whitespace().collect::<Vec<_>>().join(" ")).unwrap_or_default();
    let scope = if scope.is_empty() {
        report.became("(no scope in the file) → read write");
        "read write".to_string()
    } else {
        scope
    };
    let client_auth = match oauth.and_then(|o| o.client_auth) {
        Some(a) => a,
        None => {
            if oauth.is_some() {
                report.became("(no client authentication in the file) → client ID and secret in the request body, as ScopeStack documents");
            }
            ClientAuth::Body
        }
    };
    report.method = Some(method);
    report.became(format!("sign-in method → {}", method_words(method)));
    let environment = Environment::Server(endpoints);
    Profile {
        id: ProfileId::generate(),
        name,
        account_kind: AccountKind::default_for(&environment),
        environment,
        method,
        client_id: oauth.map(|o| o.client_id.clone()).unwrap_or_default(),
        username: oauth.map(|o| o.username.clone()).unwrap_or_default(),
        scope,
        client_auth,
        callback: callback(oauth.and_then(|o| o.redirect_uri.as_deref())),
    }
}

/// The saved requests that go to another server than the profile's API, each as a line of the
/// report: the token is not sent there (imports never widen where it goes).
fn requests_elsewhere(
    profile: &Profile,
    requests: &[NewSavedRequest],
    vars: &BTreeMap<String, String>,
) -> Vec<String> {
    let Environment::Server(endpoints) = &profile.environment else { return Vec::new() };
    let mut vars: std::collections::HashMap<String, String> =
        vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    vars.entry(crate::requests::vars::ACCOUNT_SLUG.to_string())
        .or_insert_with(|| "account".to_string());
    requests
        .iter()
        .filter_map(|r| {
            let destination =
                crate::requests::spec::token_destination(&r.spec, &vars, &endpoints.api_url)
                    .ok()?;
            let host = destination.other_host?;
            Some(format!(
                "\"{}\" goes to {host}, not the profile's API: it is sent without the token.",
                r.name
            ))
        })
        .collect()
}

/// Adds the profile, then its requests and variables, and hands back its secrets to keep; a
/// failure after the profile was added removes it again, so an import happens whole or not at all.
fn store_all(
    stores: Stores<'_>,
    profile: Profile,
    requests: Vec<NewSavedRequest>,
    vars: BTreeMap<String, String>,
    oauth: Option<&OAuthSettings>,
    options: &ImportOptions,
    mut report: ImportReport,
) -> Result<Imported, EngineError> {
    report.other_hosts = requests_elsewhere(&profile, &requests, &vars);
    stores.profiles.add(profile.clone())?;
    let written = stores
        .saved
        .add(&profile.id, requests)
        .and_then(|saved| Ok((saved.len(), stores.saved.set_variables(&profile.id, &vars)?)));
    let (count, dropped) = match written {
        Ok(done) => done,
        Err(e) => {
            let _ = stores.saved.clear(&profile.id);
            let _ = stores.profiles.remove(&profile.id);
            return Err(e);
        }
    };
    for name in dropped {
        report.secret(format!(
            "The variable {{{{{name}}}}} is named like a secret and was not kept."
        ));
    }
    report.saved_requests = count;
    report.variables = vars.keys().filter(|k| !crate::redact::is_secret_name(k)).cloned().collect();
    report.profile_id = Some(profile.id.clone());
    report.profile_name = profile.name.clone();
    let (secrets, tokens) = match oauth {
        Some(o) => {
            let file_secrets = [
                (SecretKind::ClientSecret, &o.client_secret, "client secret"),
                (SecretKind::Password, &o.password, "password"),
            ];
            let secrets = file_secrets
                .into_iter()
                .filter_map(|(kind, value, what)| {
                    let value = value.as_deref().filter(|v| !v.trim().is_empty())?;
                    Some((kind, Secret::new(value), what))
                })
                .collect();
            (secrets, o.tokens.clone())
        }
        None => (Vec::new(), Vec::new()),
    };
    Ok(Imported { report, profile, secrets, keep: options.keep_secrets, tokens })
}

/// Imports an environment into a new profile or the one chosen.
pub fn import_environment(
    doc: &serde_json::Value,
    stores: Stores<'_>,
    options: &ImportOptions,
) -> Result<Imported, EngineError> {
    let env = environment::read(doc)?;
    let mut report = ImportReport::default();
    let mut vars = Variables::default();
    vars.extend(&env.values);
    let mut profile = match &options.into_profile {
        Some(id) => stores.profiles.get(id)?.clone(),
        None => {
            let wanted =
                options.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| {
                    if env.name.is_empty() {
                        "Postman environment".into()
                    } else {
                        env.name.clone()
                    }
                });
            let mut p = crate::profiles::scopestack_production();
            p.id = ProfileId::generate();
            p.method = Method::ClientCredentials;
            p.name = free_name(stores.profiles, wanted.trim());
            report.renamed_from = (p.name != wanted.trim()).then(|| wanted.trim().to_string());
            report.created_profile = true;
            p
        }
    };
    let mut secrets: Vec<(SecretKind, Secret, &'static str)> = Vec::new();
    let mut tokens = Vec::new();
    let mut kept = BTreeMap::new();
    for e in env.values.iter().filter(|e| e.enabled) {
        let value = vars.resolve(&e.value).trim().to_string();
        match environment::setting_of(&e.key) {
            Some(Setting::ClientSecret | Setting::Password) if value.is_empty() => {}
            Some(Setting::ClientSecret) => {
                secrets.push((SecretKind::ClientSecret, Secret::new(value), "client secret"))
            }
            Some(Setting::Password) => {
                secrets.push((SecretKind::Password, Secret::new(value), "password"))
            }
            Some(Setting::Token) if !value.is_empty() => tokens.push("access token"),
            Some(Setting::Token) => {}
            Some(setting) if !value.is_empty() => {
                apply_setting(&mut profile, setting, &e.key, &value, &mut report)
            }
            Some(_) => {}
            None if vars.map.get(&e.key).is_some_and(|v| v.secret) => report
                .secret(format!("The variable {{{{{}}}}} holds a secret and was not kept.", e.key)),
            None => {
                kept.insert(e.key.clone(), value);
            }
        }
    }
    profile.validate().map_err(|e| {
        EngineError::MissingInput(format!(
            "The environment's settings cannot be used, so nothing was imported: {e}"
        ))
    })?;
    if report.created_profile {
        stores.profiles.add(profile.clone())?;
    } else {
        stores.profiles.update(profile.clone())?;
    }
    let dropped = stores.saved.set_variables(&profile.id, &kept)?;
    for name in dropped {
        report.secret(format!(
            "The variable {{{{{name}}}}} is named like a secret and was not kept."
        ));
    }
    report.method = Some(profile.method);
    report.variables = kept.keys().filter(|k| !crate::redact::is_secret_name(k)).cloned().collect();
    report.profile_id = Some(profile.id.clone());
    report.profile_name = profile.name.clone();
    Ok(Imported { report, profile, secrets, keep: options.keep_secrets, tokens })
}

fn apply_setting(
    profile: &mut Profile,
    setting: Setting,
    key: &str,
    value: &str,
    report: &mut ImportReport,
) {
    let mut set_url =
        |pick: fn(&mut Endpoints) -> &mut Url, what: &str, report: &mut ImportReport| match (
            &mut profile.environment,
            url_of(value),
        ) {
            (Environment::Server(e), Some(url)) => {
                *pick(e) = url;
                report.became(format!("{{{{{key}}}}} → the profile's {what}"));
            }
            (Environment::BuiltInSandbox, _) => report.skipped(format!(
                "{{{{{key}}}}} was not used: the built-in sandbox's {what} is set by the app."
            )),
            (_, None) => report.skipped(format!(
                "{{{{{key}}}}} (\"{value}\") is not a full address, so the {what} was not changed."
            )),
        };
    match setting {
        Setting::ApiUrl => set_url(|e| &mut e.api_url, "API URL", report),
        Setting::AuthorizeUrl => set_url(|e| &mut e.authorize_url, "authorize URL", report),
        Setting::TokenUrl => set_url(|e| &mut e.token_url, "token URL", report),
        Setting::ClientId => {
            profile.client_id = value.to_string();
            report.became(format!("{{{{{key}}}}} → the profile's client ID"));
        }
        Setting::Scope => {
            profile.scope = value.split_whitespace().collect::<Vec<_>>().join(" ");
            report.became(format!("{{{{{key}}}}} → the profile's scope"));
        }
        Setting::Username => {
            profile.username = value.to_string();
            report.became(format!(
                "{{{{{key}}}}} → the profile's username (for the password method)"
            ));
        }
        Setting::RedirectUri => {
            profile.callback = callback(Some(value));
            report.became(format!("{{{{{key}}}}} → the profile's callback URL"));
        }
        Setting::ClientSecret | Setting::Password | Setting::Token => {}
    }
}

/// Imports a Postman file, telling a collection from an environment by its shape.
pub fn import_text(
    text: &str,
    stores: Stores<'_>,
    options: &ImportOptions,
) -> Result<Imported, EngineError> {
    if text.len() as u64 > super::MAX_FILE_BYTES {
        return Err(EngineError::MissingInput(format!(
            "The file is larger than {} MB, too large for a Postman collection or environment. Export a smaller one.",
            super::MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    let doc = parse(text, "file")?;
    if collection::is_collection(&doc) {
        import_collection(&doc, stores, options)
    } else if environment::is_environment(&doc) {
        if options.environment.is_some() {
            return Err(EngineError::MissingInput("The first file is an environment; give the collection first and the environment with --environment.".into()));
        }
        import_environment(&doc, stores, options)
    } else {
        Err(EngineError::MissingInput(
            "This file is neither a Postman collection (v2.1 or v2.0) nor a Postman environment. In Postman, use Export on the collection (Collection v2.1) or the environment.".into(),
        ))
    }
}
