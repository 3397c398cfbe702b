//! `scopestack-cli profiles`: list, show, add, duplicate, remove, choose, mark, export and import profiles.
//!
//! Profiles hold settings only; secrets stay in the OS keychain. Exports hold no secret either.

use crate::connect::{self, grant_parser, ClientAuthArg};
use crate::display::{self, outln};
use crate::exit::Failure;
use clap::{Args, Subcommand, ValueEnum};
use engine::limits;
use engine::profiles::{export_profiles, import_profiles};
use engine::{
    AccountKind, CallbackMode, CallbackSettings, Environment, Method, Profile, ProfileId,
    ProfileStore,
};
use std::io::Read;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ProfilesArgs {
    #[command(subcommand)]
    action: ProfilesAction,
}

#[derive(Subcommand, Debug)]
enum ProfilesAction {
    /// List the profiles; * marks the one used when --profile is not given
    List {
        /// Print JSON: the profiles' settings, and "default" (the id used without --profile)
        #[arg(long)]
        json: bool,
    },
    /// Show one profile's settings
    Show {
        /// Its name (any case) or id
        name: String,
        /// Print the settings as JSON
        #[arg(long)]
        json: bool,
    },
    /// Add a profile (settings only: give secrets to `login --remember`)
    Add(AddArgs),
    /// Remove a profile, and the secrets and token kept for it in the keychain
    Remove {
        /// Its name (any case) or id
        name: String,
        /// Leave the keychain alone (for computers without one); its secrets there, if any, stay
        #[arg(long)]
        session_only: bool,
    },
    /// Copy a profile's settings (not its secrets or token) as "NAME copy" ("NAME copy 2", … when taken)
    Duplicate {
        /// Its name (any case) or id
        name: String,
    },
    /// Make a profile the one used when --profile is not given
    Use {
        /// Its name (any case) or id
        name: String,
    },
    /// Mark a profile production (`request` then refuses writes without --yes) or test
    Mark {
        /// Its name (any case) or id
        name: String,
        /// A production account: writes need --yes
        #[arg(long, conflicts_with = "test", required_unless_present = "test")]
        production: bool,
        /// A test account: writes go without --yes
        #[arg(long)]
        test: bool,
    },
    /// Write profiles to a JSON document without any secret, to import on another computer
    Export {
        /// Only these profiles (names or ids) [default: all]
        names: Vec<String>,
        /// Write to FILE instead of standard output
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add the profiles of an export; each gets a new id, and a name already taken gets " (2)"
    Import {
        /// The export file, or - for standard input
        file: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum CallbackArg {
    /// The system browser and a listener on 127.0.0.1
    Loopback,
    /// A sign-in window in the app (the command line uses loopback or paste instead)
    InAppWindow,
    /// Paste the address the browser ended on
    Paste,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The new profile's name
    name: String,
    /// How it gets tokens
    #[arg(long, value_name = "GRANT", value_parser = grant_parser())]
    grant: Method,
    /// Token URL [default: https://app.scopestack.io/oauth/token]
    #[arg(long, value_name = "URL")]
    token_url: Option<String>,
    /// Sign-in (authorize) URL [default: the token URL ending in /authorize instead of /token]
    #[arg(long, value_name = "URL")]
    auth_url: Option<String>,
    /// API URL [default: https://api.scopestack.io for app.scopestack.io, else the token URL's origin]
    #[arg(long, value_name = "URL")]
    api_url: Option<String>,
    /// One base URL serving both OAuth and the API, such as a sandbox started with `scopestack-cli sandbox`
    #[arg(long, value_name = "URL", conflicts_with_all = ["token_url", "auth_url", "api_url"])]
    base_url: Option<String>,
    /// Use the sandbox built into the app (the command line starts one for each command)
    #[arg(long, conflicts_with_all = ["token_url", "auth_url", "api_url", "base_url"])]
    built_in_sandbox: bool,
    /// Client ID
    #[arg(long, value_name = "ID", default_value = "", hide_default_value = true)]
    client_id: String,
    /// Service account's email (password grant)
    #[arg(long, value_name = "EMAIL", default_value = "", hide_default_value = true)]
    username: String,
    /// Scope
    #[arg(long, value_name = "SCOPE", default_value = "read write")]
    scope: String,
    /// How the client ID and secret are sent
    #[arg(long, value_enum, value_name = "HOW", default_value = "body")]
    client_auth: ClientAuthArg,
    /// The callback URL registered for the client ID (browser login)
    #[arg(long, value_name = "URL")]
    redirect_uri: Option<String>,
    /// How a browser sign-in comes back
    #[arg(long, value_enum, value_name = "MODE", default_value = "loopback")]
    callback: CallbackArg,
    /// Mark it a production account: `request` then refuses writes without --yes [default for
    /// any server not on this computer]
    #[arg(long, conflicts_with = "test")]
    production: bool,
    /// Mark it a test account: writes go without --yes [default for the built-in sandbox and
    /// servers on this computer]
    #[arg(long)]
    test: bool,
}

pub fn run(args: ProfilesArgs) -> Result<(), Failure> {
    match args.action {
        ProfilesAction::List { json } => list(json),
        ProfilesAction::Show { name, json } => show(&name, json),
        ProfilesAction::Add(add_args) => add(add_args),
        ProfilesAction::Remove { name, session_only } => remove(&name, session_only),
        ProfilesAction::Duplicate { name } => duplicate(&name),
        ProfilesAction::Use { name } => use_profile(&name),
        ProfilesAction::Mark { name, production, test: _ } => mark(&name, production),
        ProfilesAction::Export { names, out } => export(&names, out),
        ProfilesAction::Import { file } => import(&file),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map_err(|e| Failure::local(format!("could not encode the profiles: {e}")))
}

/// Where a profile's server is, in a few words.
fn server(p: &Profile) -> String {
    match &p.environment {
        Environment::BuiltInSandbox => "built-in sandbox".into(),
        Environment::Server(e) => {
            e.token_url.host_str().map(String::from).unwrap_or_else(|| e.token_url.to_string())
        }
    }
}

fn list(json: bool) -> Result<(), Failure> {
    let store = connect::open_store()?;
    let default = store.startup_profile().map(|p| p.id.clone());
    if json {
        let doc = serde_json::json!({ "default": default, "profiles": store.list() });
        outln!("{}", to_json(&doc)?);
        return Ok(());
    }
    if store.list().is_empty() {
        outln!("No profiles. Add one with: scopestack-cli profiles add NAME --grant …");
        return Ok(());
    }
    let width = store.list().iter().map(|p| p.name.chars().count()).max().unwrap_or(0).max(4);
    for p in store.list() {
        let mark = if Some(&p.id) == default.as_ref() { "*" } else { " " };
        outln!(
            "{mark} {:<width$}  {:<10}  {:<18}  {:<24}  id {}",
            p.name,
            p.account_kind.word(),
            display::method(p.method),
            server(p),
            p.id
        );
    }
    Ok(())
}

fn show(name: &str, json: bool) -> Result<(), Failure> {
    let store = connect::open_store()?;
    let p = connect::find_profile(&store, name)?;
    if json {
        outln!("{}", to_json(p)?);
        return Ok(());
    }
    outln!("Name:          {}", p.name);
    outln!("Id:            {}", p.id);
    outln!("Account:       {}", account_words(p.account_kind));
    outln!(
        "Method:        {} (--grant {})",
        display::method(p.method),
        display::grant_name(p.method)
    );
    match &p.environment {
        Environment::BuiltInSandbox => outln!(
            "Server:        the built-in sandbox (the command line starts one for each command)"
        ),
        Environment::Server(e) => {
            outln!("Sign-in URL:   {}", e.authorize_url);
            outln!("Token URL:     {}", e.token_url);
            outln!("API URL:       {}", e.api_url);
        }
    }
    let or_none = |s: &str| if s.trim().is_empty() { "(none)".to_string() } else { s.to_string() };
    outln!("Client ID:     {}", or_none(&p.client_id));
    if !p.username.is_empty() {
        outln!("Username:      {}", p.username);
    }
    outln!("Scope:         {}", p.scope);
    outln!(
        "Client auth:   {}",
        if p.client_auth == engine::ClientAuth::Basic { "basic header" } else { "form body" }
    );
    let mode = match p.callback.mode {
        CallbackMode::Loopback => "loopback",
        CallbackMode::InAppWindow => "in-app window",
        CallbackMode::Paste => "paste",
    };
    outln!(
        "Callback:      {} ({mode})",
        p.callback.redirect_uri.as_deref().unwrap_or("any 127.0.0.1 port")
    );
    Ok(())
}

/// What the mark means, in a few words.
fn account_words(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Production => "production (`request` asks for --yes before a write)",
        AccountKind::Test => "test (writes go without asking)",
    }
}

fn add(a: AddArgs) -> Result<(), Failure> {
    let environment = if a.built_in_sandbox {
        Environment::BuiltInSandbox
    } else if let Some(base) = &a.base_url {
        let base = connect::parse_url("--base-url", base)?;
        Environment::Server(engine::Endpoints::for_base(&base)?)
    } else {
        Environment::Server(connect::endpoints_from(
            a.token_url.as_deref(),
            a.auth_url.as_deref(),
            a.api_url.as_deref(),
        )?)
    };
    let redirect_uri = match &a.redirect_uri {
        Some(u) => Some(connect::parse_url("--redirect-uri", u)?.to_string()),
        None => None,
    };
    let mode = match a.callback {
        CallbackArg::Loopback => CallbackMode::Loopback,
        CallbackArg::InAppWindow => CallbackMode::InAppWindow,
        CallbackArg::Paste => CallbackMode::Paste,
    };
    let account_kind = if a.production {
        AccountKind::Production
    } else if a.test {
        AccountKind::Test
    } else {
        AccountKind::default_for(&environment)
    };
    let profile = Profile {
        id: ProfileId::generate(),
        name: limits::profile_name(&a.name)?,
        account_kind,
        environment,
        method: a.grant,
        client_id: limits::one_line("client ID", &a.client_id, limits::MAX_CLIENT_ID)?.to_string(),
        username: limits::one_line("user name", &a.username, limits::MAX_USERNAME)?.to_string(),
        scope: limits::scope(&a.scope)?,
        client_auth: a.client_auth.into(),
        callback: CallbackSettings { mode, redirect_uri },
    };
    let mut store = connect::open_store()?;
    store.add(profile.clone())?;
    outln!(
        "Added profile \"{}\" (id {}), a {} account. Get a token with: scopestack-cli login --profile \"{}\"",
        profile.name,
        profile.id,
        profile.account_kind.word(),
        profile.name
    );
    Ok(())
}

fn remove(name: &str, session_only: bool) -> Result<(), Failure> {
    let mut store = connect::open_store()?;
    let profile = connect::find_profile(&store, name)?.clone();
    let vault = if session_only { None } else { Some(connect::open_vault(false)?) };
    // Its history and saved requests first: if that fails, the profile is still whole.
    engine::requests::forget_profile(&profile.id)?;
    if let Some(vault) = &vault {
        vault.forget_profile(&profile.id)?;
    }
    store.remove(&profile.id)?;
    match vault {
        Some(_) => outln!("Removed profile \"{}\", its request history and saved requests, and the secrets and token kept for it.", profile.name),
        None => outln!("Removed profile \"{}\" with its request history and saved requests. The keychain was not touched: anything kept there for it stays.", profile.name),
    }
    Ok(())
}

fn duplicate(name: &str) -> Result<(), Failure> {
    let mut store = connect::open_store()?;
    let original = connect::find_profile(&store, name)?.clone();
    let copy = store.duplicate(&original.id)?;
    outln!(
        "Copied \"{}\" as \"{}\" (id {}), without its secrets or token: give them with `scopestack-cli login --profile \"{}\" --remember …`.",
        original.name,
        copy.name,
        copy.id,
        copy.name
    );
    Ok(())
}

fn use_profile(name: &str) -> Result<(), Failure> {
    let mut store = connect::open_store()?;
    let profile = connect::find_profile(&store, name)?.clone();
    store.set_last_profile(&profile.id)?;
    outln!("\"{}\" is now used when --profile is not given.", profile.name);
    Ok(())
}

fn mark(name: &str, production: bool) -> Result<(), Failure> {
    let mut store = connect::open_store()?;
    let mut profile = connect::find_profile(&store, name)?.clone();
    profile.account_kind = if production { AccountKind::Production } else { AccountKind::Test };
    store.update(profile.clone())?;
    outln!("\"{}\" is marked {}.", profile.name, account_words(profile.account_kind));
    Ok(())
}

fn export(names: &[String], out: Option<PathBuf>) -> Result<(), Failure> {
    let store = connect::open_store()?;
    let profiles: Vec<Profile> = if names.is_empty() {
        store.list().to_vec()
    } else {
        names.iter().map(|n| connect::find_profile(&store, n).cloned()).collect::<Result<_, _>>()?
    };
    let text = export_profiles(&profiles);
    match out {
        None => outln!("{text}"),
        Some(path) => {
            engine::profiles::write_atomically(&path, format!("{text}\n").as_bytes())
                .map_err(|e| Failure::local(e.to_string()))?;
            eprintln!(
                "Exported {} profile(s) to {} (settings only, no secrets).",
                profiles.len(),
                path.display()
            );
        }
    }
    Ok(())
}

fn import(file: &PathBuf) -> Result<(), Failure> {
    let text = if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::local(format!("Could not read standard input: {e}")))?;
        text
    } else {
        std::fs::read_to_string(file)
            .map_err(|e| Failure::local(format!("Could not read {}: {e}.", file.display())))?
    };
    let mut store: ProfileStore = connect::open_store()?;
    let imported = import_profiles(&mut store, &text)?;
    if imported.is_empty() {
        outln!("The export holds no profiles: nothing was imported.");
    }
    for i in &imported {
        match &i.renamed_from {
            Some(original) => outln!(
                "Imported \"{original}\" as \"{}\" (the name was taken; id {}).",
                i.profile.name,
                i.profile.id
            ),
            None => outln!("Imported \"{}\" (id {}).", i.profile.name, i.profile.id),
        }
    }
    if !imported.is_empty() {
        outln!("Exports hold no secrets: give them with `scopestack-cli login --profile NAME --remember …`.");
    }
    Ok(())
}
