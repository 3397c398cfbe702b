//! What `token`, `me`, `login` and `logout` share: choosing the profile (or one-off settings),
//! the vault, the secrets given for this command, an in-process sandbox for the Sandbox profile,
//! and getting a token that is valid now.

use crate::exit::{Code, Failure};
use crate::{secrets, signin};
use clap::{Args, ValueEnum};
use engine::http::{self, HttpSettings};
use engine::limits;
use engine::profiles::StoreNotice;
use engine::session::{SignInFrontEnd, Want};
use engine::tokens::TokenSet;
use engine::vault::{SecretKind, Vault, VaultMode};
use engine::{
    CallbackSettings, ClientAuth, Credentials, Endpoints, Engine, EngineError, Environment, Method,
    Profile, ProfileId, ProfileStore, Target,
};
use tokio_util::sync::CancellationToken;
use url::Url;

/// ScopeStack's production token URL, the default of one-off runs and new profiles.
pub const SCOPESTACK_TOKEN_URL: &str = "https://app.scopestack.io/oauth/token";
/// ScopeStack's production API URL.
pub const SCOPESTACK_API_URL: &str = "https://api.scopestack.io";

/// Which profile, and where its secrets are kept.
#[derive(Args, Debug, Default)]
pub struct SelectArgs {
    /// The profile to use, by name (any case) or id [default: the last-used profile]
    #[arg(short, long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Keep secrets and tokens in memory for this command only, instead of the OS keychain
    #[arg(long)]
    pub session_only: bool,
}

/// `--grant`: the engine's [`Method`] in OAuth's words (`display::grant_name` writes them), with
/// `browser-login` as another name for `authorization-code`.
pub fn grant_parser() -> impl clap::builder::TypedValueParser<Value = Method> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new([
        PossibleValue::new("client-credentials")
            .help("A service account's client ID and secret (recommended for scripts)"),
        PossibleValue::new("password")
            .help("An account-level client plus a service account's email and password"),
        PossibleValue::new("authorization-code")
            .alias("browser-login")
            .help("Browser login (authorization code with PKCE)"),
    ])
    .map(|name| match name.as_str() {
        "password" => Method::Password,
        "authorization-code" | "browser-login" => Method::BrowserLogin,
        _ => Method::ClientCredentials,
    })
}

/// How the client ID and secret travel to the token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ClientAuthArg {
    /// In the form body, as ScopeStack documents
    Body,
    /// As an HTTP Basic header
    Basic,
}

impl From<ClientAuthArg> for ClientAuth {
    fn from(a: ClientAuthArg) -> ClientAuth {
        match a {
            ClientAuthArg::Body => ClientAuth::Body,
            ClientAuthArg::Basic => ClientAuth::Basic,
        }
    }
}

/// The options of every command that needs a token: which profile (or one-off settings), the
/// secrets, and how a browser sign-in goes.
#[derive(Args, Debug)]
pub struct ConnectArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub secrets: crate::secrets::SecretArgs,
    #[command(flatten)]
    pub one_off: OneOffArgs,
    #[command(flatten)]
    pub sign_in: crate::signin::SignInArgs,
}

/// Settings for one run without a stored profile. Nothing of it is written anywhere.
#[derive(Args, Debug, Default)]
#[command(next_help_heading = "One-off use without a stored profile (keeps nothing)")]
pub struct OneOffArgs {
    /// Use these settings instead of a profile, with this grant
    #[arg(long, value_name = "GRANT", value_parser = grant_parser())]
    pub grant: Option<Method>,
    /// Token URL [default: https://app.scopestack.io/oauth/token]
    #[arg(long, value_name = "URL", requires = "grant")]
    pub token_url: Option<String>,
    /// Sign-in (authorize) URL [default: the token URL ending in /authorize instead of /token]
    #[arg(long, value_name = "URL", requires = "grant")]
    pub auth_url: Option<String>,
    /// API URL [default: https://api.scopestack.io for app.scopestack.io, else the token URL's origin]
    #[arg(long, value_name = "URL", requires = "grant")]
    pub api_url: Option<String>,
    /// Client ID
    #[arg(long, value_name = "ID", requires = "grant")]
    pub client_id: Option<String>,
    /// Service account's email (password grant)
    #[arg(long, value_name = "EMAIL", requires = "grant")]
    pub username: Option<String>,
    /// Callback URL registered for the client (browser login) [default: a free 127.0.0.1 port, or http://127.0.0.1:8765/callback with --paste]
    #[arg(long, value_name = "URL", requires = "grant")]
    pub redirect_uri: Option<String>,
    /// Scope [default: "read write"]
    #[arg(long, value_name = "SCOPE", requires = "grant")]
    pub scope: Option<String>,
    /// How the client ID and secret are sent [default: body]
    #[arg(long, value_enum, value_name = "HOW", requires = "grant")]
    pub client_auth: Option<ClientAuthArg>,
}

/// Where the settings of this command came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A profile of the profiles file.
    Stored,
    /// The built-in Sandbox profile, with a sandbox started for this command.
    Sandbox,
    /// One-off settings from the command line.
    OneOff,
}

/// Everything a command needs to talk to one server as one client.
pub struct Connection {
    pub engine: Engine,
    pub target: Target,
    pub source: Source,
    /// The secrets given for this command (from environment variables or standard input).
    pub creds: Credentials,
    /// The names of the environment variables that hold secrets: kept from the browser's environment.
    pub secret_vars: Vec<String>,
    store: Option<ProfileStore>,
    /// Kept alive for the command's duration; its tokens die with it.
    _sandbox: Option<sandbox::Sandbox>,
}

/// A single-threaded runtime: one command, one request at a time, quick to start.
pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::local(format!("could not start the async runtime: {e}")))
}

/// Opens the profiles file, reporting on stderr a file that had to be set aside.
pub fn open_store() -> Result<ProfileStore, Failure> {
    let (store, notice) = ProfileStore::open_default()?;
    if let Some(notice @ StoreNotice::UnreadableFileSetAside { .. }) = notice {
        eprintln!("warning: {notice}");
    }
    Ok(store)
}

/// Finds a profile by name (any case, spaces around ignored) or id.
pub fn find_profile<'a>(store: &'a ProfileStore, wanted: &str) -> Result<&'a Profile, Failure> {
    let wanted = wanted.trim();
    store
        .list()
        .iter()
        .find(|p| p.name.trim().eq_ignore_ascii_case(wanted))
        .or_else(|| store.list().iter().find(|p| p.id.as_str() == wanted))
        .ok_or_else(|| {
            let names: Vec<String> = store.list().iter().map(|p| format!("\"{}\"", p.name)).collect();
            Failure::usage(format!(
                "No profile is named \"{wanted}\". The profiles are: {}. (scopestack-cli profiles list)",
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            ))
        })
}

/// The profile `--profile` names, or the last-used one.
pub fn chosen_profile(store: &ProfileStore, wanted: Option<&str>) -> Result<Profile, Failure> {
    match wanted {
        Some(name) => find_profile(store, name).cloned(),
        None => store.startup_profile().cloned().ok_or_else(|| {
            Failure::usage("There are no profiles. Add one with `scopestack-cli profiles add`, or use one-off settings (--grant …).")
        }),
    }
}

/// The keychain, checked; or memory only with `--session-only`.
pub fn open_vault(session_only: bool) -> Result<Vault, Failure> {
    if session_only {
        return Ok(Vault::session_only());
    }
    let vault = Vault::keychain();
    vault.check()?;
    Ok(vault)
}

/// Parses a URL given on the command line (no longer than a profile's URLs may be).
pub fn parse_url(flag: &str, value: &str) -> Result<Url, Failure> {
    limits::bounded(flag, value.trim(), limits::MAX_SETTINGS_URL)?;
    Url::parse(value.trim()).map_err(|e| {
        Failure::usage(format!("{flag} \"{value}\" is not a valid URL ({e}). Give a full address such as {SCOPESTACK_TOKEN_URL}."))
    })
}

/// The three URLs from what was given: the token URL (default ScopeStack's), the sign-in URL
/// (default: beside the token URL) and the API URL (default: ScopeStack's API for ScopeStack's
/// token host, else the token URL's origin, as for a sandbox).
pub fn endpoints_from(
    token_url: Option<&str>,
    auth_url: Option<&str>,
    api_url: Option<&str>,
) -> Result<Endpoints, Failure> {
    let token_url = parse_url("--token-url", token_url.unwrap_or(SCOPESTACK_TOKEN_URL))?;
    let authorize_url = match auth_url {
        Some(u) => parse_url("--auth-url", u)?,
        None => {
            let mut u = token_url.clone();
            let path = token_url.path();
            let base = path.strip_suffix("/token").ok_or_else(|| {
                Failure::usage(format!("The token URL {token_url} does not end in /token, so the sign-in URL cannot be guessed: give --auth-url."))
            })?;
            u.set_path(&format!("{base}/authorize"));
            u.set_query(None);
            u
        }
    };
    let api_url = match api_url {
        Some(u) => parse_url("--api-url", u)?,
        None if token_url.host_str() == Some("app.scopestack.io") => {
            parse_url("--api-url", SCOPESTACK_API_URL)?
        }
        None => {
            let mut u = token_url.clone();
            u.set_path("/");
            u.set_query(None);
            u
        }
    };
    Ok(Endpoints { authorize_url, token_url, api_url })
}

/// The profile of a one-off run. Its id is not in any file, and its vault is memory only.
fn one_off_profile(method: Method, args: &OneOffArgs) -> Result<Profile, Failure> {
    let client_id = args.client_id.as_deref().unwrap_or_default();
    let client_id = limits::one_line("client ID", client_id, limits::MAX_CLIENT_ID)?;
    if client_id.is_empty() {
        return Err(Failure::usage("One-off use needs --client-id (and the client secret with --client-secret-env VAR or --client-secret-stdin)."));
    }
    let username = args.username.as_deref().unwrap_or_default();
    let username = limits::one_line("user name", username, limits::MAX_USERNAME)?;
    if method == Method::Password && username.is_empty() {
        return Err(Failure::usage("The password grant needs the service account's email: --username EMAIL (and --password-env VAR or --password-stdin)."));
    }
    let endpoints = endpoints_from(
        args.token_url.as_deref(),
        args.auth_url.as_deref(),
        args.api_url.as_deref(),
    )?;
    let redirect_uri = match &args.redirect_uri {
        Some(u) => Some(parse_url("--redirect-uri", u)?.to_string()),
        None => None,
    };
    let environment = Environment::Server(endpoints);
    let profile = Profile {
        id: ProfileId::new("one-off"),
        name: "one-off settings".into(),
        // Settings given on the command line are marked as a new profile would be: production
        // unless they point at this computer.
        account_kind: engine::AccountKind::default_for(&environment),
        environment,
        method,
        client_id: client_id.to_string(),
        username: username.to_string(),
        scope: limits::scope(args.scope.as_deref().unwrap_or("read write"))?,
        client_auth: args.client_auth.map(Into::into).unwrap_or_default(),
        callback: CallbackSettings { redirect_uri, ..Default::default() },
    };
    profile.validate()?;
    Ok(profile)
}

/// The engine, over the engine's HTTP clients built on first use: a command that only talks to
/// this computer over http:// (a local sandbox) never reads the OS certificate store, and one
/// that fails to read it says so on its first https:// request.
fn engine(vault: Vault) -> Engine {
    // One renewal of a profile's token at a time, together with the app and other commands.
    Engine::new(vault, http::Clients::lazy(HttpSettings::default())).with_shared_renewal_locks()
}

/// Sets up the command: reads the secrets given, picks the profile or one-off settings, opens the
/// vault, and for the Sandbox profile starts a sandbox for as long as the command runs.
pub async fn connect(
    select: &SelectArgs,
    given: &secrets::SecretArgs,
    one_off: &OneOffArgs,
) -> Result<Connection, Failure> {
    let creds = secrets::read(given)?;
    let secret_vars = given.env_names();
    if let Some(grant) = one_off.grant {
        if select.profile.is_some() {
            return Err(Failure::usage(
                "Use either --profile or one-off settings (--grant …), not both.",
            ));
        }
        let profile = one_off_profile(grant, one_off)?;
        let endpoints = profile.environment.endpoints(None)?;
        return Ok(Connection {
            engine: engine(Vault::session_only()),
            target: Target { profile, endpoints },
            source: Source::OneOff,
            creds,
            secret_vars,
            store: None,
            _sandbox: None,
        });
    }
    let store = open_store()?;
    let profile = chosen_profile(&store, select.profile.as_deref())?;
    if profile.environment == Environment::BuiltInSandbox {
        return connect_sandbox(profile, creds, secret_vars, store).await;
    }
    let endpoints = profile.environment.endpoints(None)?;
    Ok(Connection {
        engine: engine(open_vault(select.session_only)?),
        target: Target { profile, endpoints },
        source: Source::Stored,
        creds,
        secret_vars,
        store: Some(store),
        _sandbox: None,
    })
}

/// The built-in Sandbox profile: a sandbox on a free port for this command, a memory-only vault
/// (its tokens die with the sandbox, so none is written to the keychain), and the sandbox's demo
/// client secret when none was given (a demo value that `scopestack-cli sandbox demo` prints).
async fn connect_sandbox(
    profile: Profile,
    mut creds: Credentials,
    secret_vars: Vec<String>,
    store: ProfileStore,
) -> Result<Connection, Failure> {
    let running =
        sandbox::Sandbox::start(sandbox::SandboxConfig::default()).await.map_err(|e| {
            Failure::local(format!("The sandbox for the Sandbox profile could not start: {e}"))
        })?;
    let base = parse_url("the sandbox address", &running.base_url())?;
    let endpoints = profile.environment.endpoints(Some(&base))?;
    if creds.client_secret.is_none() {
        creds.client_secret = sandbox::demo_data()
            .clients
            .into_iter()
            .find(|c| c.client_id == profile.client_id.trim())
            .map(|c| engine::Secret::new(c.client_secret));
    }
    Ok(Connection {
        engine: engine(Vault::session_only()),
        target: Target { profile, endpoints },
        source: Source::Sandbox,
        creds,
        secret_vars,
        store: Some(store),
        _sandbox: Some(running),
    })
}

impl Connection {
    pub fn profile(&self) -> &Profile {
        &self.target.profile
    }

    /// How the profile is named in messages.
    pub fn label(&self) -> String {
        match self.source {
            Source::OneOff => "the one-off settings".into(),
            _ => format!("\"{}\"", self.profile().name),
        }
    }

    /// `--profile "NAME"`, for commands suggested in messages.
    pub fn profile_flag(&self) -> String {
        format!("--profile \"{}\"", self.profile().name)
    }

    fn session_only(&self) -> bool {
        self.engine.vault.mode() == VaultMode::SessionOnly
    }

    /// Remembers the profile as the last used, so the next command without --profile uses it.
    /// A settings file that cannot be written does not fail the command.
    pub fn mark_used(&mut self) {
        let id = self.target.profile.id.clone();
        if let Some(store) = self.store.as_mut() {
            if store.startup_profile().map(|p| &p.id) != Some(&id) {
                if let Err(e) = store.set_last_profile(&id) {
                    eprintln!(
                        "warning: could not remember {} as the last-used profile: {e}",
                        self.target.profile.name
                    );
                }
            }
        }
    }

    fn kept(&self, kind: SecretKind) -> Result<bool, Failure> {
        if self.source != Source::Stored {
            return Ok(false);
        }
        Ok(self.engine.vault.get(&self.target.profile.id, kind)?.is_some())
    }

    /// Checks that a direct grant has what it needs, with a message that says how to give it.
    fn check_direct_inputs(&self) -> Result<(), Failure> {
        let remember = if self.source == Source::Stored {
            " (add --remember to `login` to keep it in the keychain)"
        } else {
            ""
        };
        if self.creds.client_secret.is_none() && !self.kept(SecretKind::ClientSecret)? {
            let what = if self.source == Source::Stored {
                format!("{} has no client secret kept", self.label())
            } else {
                "No client secret was given".into()
            };
            return Err(Failure::usage(format!(
                "{what}: give it with --client-secret-env VAR or --client-secret-stdin{remember}."
            )));
        }
        if self.profile().method == Method::Password {
            if self.profile().username.trim().is_empty() {
                return Err(Failure::usage(format!(
                    "{} has no service account email for the password method. Add a profile with --username EMAIL.",
                    self.label()
                )));
            }
            if self.creds.password.is_none() && !self.kept(SecretKind::Password)? {
                return Err(Failure::usage(format!(
                    "The password of {} is needed: give it with --password-env VAR or --password-stdin{remember}.",
                    self.profile().username.trim()
                )));
            }
        }
        Ok(())
    }

    /// A failed token request explained with what is known of this profile's token requests
    /// (its token URL, method, client ID and callback), as the window explains it.
    pub fn token_failure(&self, e: EngineError) -> Failure {
        Failure::explained(e, &engine::diagnose::Context::for_token_request(&self.target, None))
    }

    /// An engine error explained with what is known of this profile (its method, client ID,
    /// callback), as the window explains it.
    pub fn failure(&self, e: EngineError) -> Failure {
        Failure::explained(e, &engine::diagnose::Context::for_target(&self.target))
    }

    /// A new token by the profile's method: a direct request, or a browser sign-in.
    pub async fn obtain(&self, sign_in: &signin::SignInArgs) -> Result<TokenSet, Failure> {
        self.token(Want::New, sign_in).await
    }

    /// A token that is valid now. A stored profile's token is renewed first when due; a direct
    /// method gets a new one when there is none yet (or it cannot be renewed and secrets were
    /// given). One-off and Sandbox runs have nothing stored, so they always get a new one.
    pub async fn current_token(&self, sign_in: &signin::SignInArgs) -> Result<TokenSet, Failure> {
        let want = if self.source == Source::Stored { Want::ValidNow } else { Want::New };
        self.token(want, sign_in).await
    }

    /// The engine's [`Engine::token`], with the command line's part.
    async fn token(&self, want: Want, sign_in: &signin::SignInArgs) -> Result<TokenSet, Failure> {
        // Nothing cancels a direct request here: Ctrl+C ends the command.
        let never = CancellationToken::new();
        let terminal = Terminal { conn: self, sign_in };
        self.engine.token(&self.target, &self.creds, want, &never, &terminal).await?.ok_or_else(
            || Failure::local("The sign-in ended without a token. Run the command again."),
        )
    }

    /// "Sign in again", said for the command line.
    fn no_token(&self) -> Failure {
        let mut message = format!(
            "Sign in again: there is no access token for {} on this computer (it was never obtained, or was signed out). Run: scopestack-cli login {}",
            self.label(),
            self.profile_flag()
        );
        if self.session_only() {
            message.push_str(
                " (without --session-only: with it, nothing is kept from one command to the next)",
            );
        }
        Failure::new(Code::AuthRefused, message)
    }
}

/// The command line's part in getting a token: the options that give a missing secret, the
/// browser sign-in (loopback or `--paste`), and failures said for a terminal.
struct Terminal<'a> {
    conn: &'a Connection,
    sign_in: &'a signin::SignInArgs,
}

impl SignInFrontEnd for Terminal<'_> {
    type Error = Failure;

    fn failure(&self, e: EngineError) -> Failure {
        match e {
            EngineError::NoToken => self.conn.no_token(),
            e @ EngineError::SignInAgain { .. } => self
                .conn
                .token_failure(e)
                .with_note(&format!("Run: scopestack-cli login {}", self.conn.profile_flag())),
            e => self.conn.token_failure(e),
        }
    }

    fn before_direct_request(&self) -> Result<(), Failure> {
        self.conn.check_direct_inputs()
    }

    async fn browser_sign_in(&self) -> Result<Option<TokenSet>, Failure> {
        let conn = self.conn;
        signin::sign_in(&conn.engine, &conn.target, &conn.creds, &conn.secret_vars, self.sign_in)
            .await
            .map(Some)
    }
}
