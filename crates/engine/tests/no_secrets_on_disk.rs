//! A whole session of every method, with the profiles file in a temporary app home and secrets
//! in the session-only vault: afterwards no file under that home (nor under the HOME, XDG and
//! TMPDIR folders pointed into it), no log line, and no error message holds a client secret, a
//! password, an authorization code, or an access or refresh token.
//!
//! In a process of its own: it points environment variables at the temporary folder for the whole
//! process and installs the process-wide log subscriber.

use crate::common::*;
use engine::profiles::{
    CallbackMode, CallbackSettings, ClientAuth, Environment, Method, Profile, ProfileId,
    ProfileStore,
};
use engine::session::{Credentials, Target};
use engine::tokens::TokenSet;
use engine::vault::SecretKind;
use engine::Secret;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use url::Url;

/// Everything written to the log, kept in memory for the scan.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;
    fn make_writer(&'a self) -> LogBuffer {
        self.clone()
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The secrets seen during the session, by what they are.
#[derive(Default)]
struct Seen(Vec<(String, String)>);

impl Seen {
    fn add(&mut self, what: &str, value: &str) {
        assert!(value.len() >= 8, "{what} is too short to search for reliably");
        self.0.push((what.to_string(), value.to_string()));
    }
    fn tokens(&mut self, what: &str, t: &TokenSet) {
        self.add(&format!("{what} access token"), t.access_token.expose());
        if let Some(r) = &t.refresh_token {
            self.add(&format!("{what} refresh token"), r.expose());
        }
    }
}

fn add_profile(
    store: &mut ProfileStore,
    name: &str,
    endpoints: &engine::Endpoints,
    method: Method,
    client_id: &str,
    username: &str,
) -> Target {
    let profile = Profile {
        id: ProfileId::generate(),
        name: name.into(),
        account_kind: engine::AccountKind::Test,
        environment: Environment::Server(endpoints.clone()),
        method,
        client_id: client_id.into(),
        username: username.into(),
        scope: "read write".into(),
        client_auth: ClientAuth::Body,
        callback: CallbackSettings::default(),
    };
    store.add(profile.clone()).expect("add the profile");
    Target { profile, endpoints: endpoints.clone() }
}

#[test]
fn a_full_session_of_every_method_leaves_no_secret_on_disk_or_in_the_log() {
    if !crate::one_process::in_a_process_of_its_own(
        "no_secrets_on_disk::a_full_session_of_every_method_leaves_no_secret_on_disk_or_in_the_log",
    ) {
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().to_path_buf();
    let app_home = root.join("app-home");
    for (var, sub) in [
        (engine::paths::HOME_ENV, "app-home"),
        ("HOME", "home"),
        ("XDG_CONFIG_HOME", "xdg-config"),
        ("XDG_DATA_HOME", "xdg-data"),
        ("XDG_CACHE_HOME", "xdg-cache"),
        ("XDG_STATE_HOME", "xdg-state"),
        ("TMPDIR", "tmp"),
    ] {
        let dir = root.join(sub);
        std::fs::create_dir_all(&dir).unwrap();
        std::env::set_var(var, &dir);
    }
    let log = LogBuffer::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(log.clone())
        .init();

    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (seen, messages) = runtime.block_on(full_session());
    drop(runtime);

    let mut files = Vec::new();
    files_under(&root, &mut files);
    let profiles_file = app_home.join(engine::profiles::PROFILES_FILE);
    assert!(
        files.contains(&profiles_file),
        "the profiles file was written in the app home: {files:?}"
    );
    let profiles_text = std::fs::read_to_string(&profiles_file).unwrap();
    for client_id in [
        sandbox::SERVICE_CLIENT_ID,
        sandbox::PASSWORD_CLIENT_ID,
        sandbox::BROWSER_CLIENT_ID,
        sandbox::READONLY_EMAIL,
    ] {
        assert!(
            profiles_text.contains(client_id),
            "the scan looks at the real settings: {client_id} is in {profiles_text}"
        );
    }

    let log_text = String::from_utf8_lossy(&log.0.lock().unwrap()).into_owned();
    assert!(log_text.contains("issued an access token"), "the log was captured");

    let mut leaks = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for (what, value) in &seen.0 {
            if text.contains(value.as_str()) {
                leaks.push(format!("{what} in {}", file.display()));
            }
        }
    }
    for (what, value) in &seen.0 {
        if log_text.contains(value.as_str()) {
            leaks.push(format!("{what} in the log"));
        }
        if messages.contains(value.as_str()) {
            leaks.push(format!("{what} in an error message or debug print"));
        }
    }
    assert!(leaks.is_empty(), "secrets found: {leaks:#?}");
    assert!(seen.0.len() >= 20, "the session saw the secrets it should have: {}", seen.0.len());
}

/// Runs every method end to end; returns the secrets involved and every message shown.
async fn full_session() -> (Seen, String) {
    let sb = sandbox_with(Duration::from_secs(30), Duration::from_secs(600)).await;
    let ep = endpoints(&sb);
    let (mut store, notice) =
        ProfileStore::open_default().expect("open the profiles in the app home");
    assert!(notice.is_none());
    let engine = engine().with_renew_margin(60); // every 30-second token is due for renewal
    let mut seen = Seen::default();
    let mut messages = String::new();
    for (what, value) in [
        ("service client secret", sandbox::SERVICE_CLIENT_SECRET),
        ("password client secret", sandbox::PASSWORD_CLIENT_SECRET),
        ("browser client secret", sandbox::BROWSER_CLIENT_SECRET),
        ("postman client secret", sandbox::POSTMAN_CLIENT_SECRET),
        ("admin password", sandbox::ADMIN_PASSWORD),
        ("read-only password", sandbox::READONLY_PASSWORD),
        ("MFA password", sandbox::MFA_PASSWORD),
    ] {
        seen.add(what, value);
    }

    // Method B, body and Basic: secret kept, token, renewal (a fresh request), verify, revoke.
    let cc = add_profile(
        &mut store,
        "Service",
        &ep,
        Method::ClientCredentials,
        sandbox::SERVICE_CLIENT_ID,
        "",
    );
    let mut cc_basic_profile = add_profile(
        &mut store,
        "Service (Basic)",
        &ep,
        Method::ClientCredentials,
        sandbox::SERVICE_CLIENT_ID,
        "",
    )
    .profile;
    cc_basic_profile.client_auth = ClientAuth::Basic;
    store.update(cc_basic_profile.clone()).unwrap();
    let cc_basic = Target { profile: cc_basic_profile, endpoints: ep.clone() };
    for target in [&cc, &cc_basic] {
        engine
            .remember(
                target,
                SecretKind::ClientSecret,
                &Secret::new(sandbox::SERVICE_CLIENT_SECRET),
            )
            .unwrap();
        let first = engine
            .obtain_direct(target, &Credentials::default())
            .await
            .expect("client credentials");
        seen.tokens("client credentials", &first);
        messages.push_str(&format!("{first:?}\n"));
        let renewed = engine.valid_token(target).await.expect("renewed");
        assert_ne!(renewed.access_token, first.access_token);
        seen.tokens("renewed client credentials", &renewed);
        engine.verify(target).await.expect("verify");
        engine.revoke(target).await.expect("revoke");
        store.set_last_profile(&target.profile.id).unwrap();
    }

    // Method C: password typed and kept, refresh, verify, revoke.
    let pw = add_profile(
        &mut store,
        "Password",
        &ep,
        Method::Password,
        sandbox::PASSWORD_CLIENT_ID,
        sandbox::READONLY_EMAIL,
    );
    let typed = Credentials {
        client_secret: secret(sandbox::PASSWORD_CLIENT_SECRET),
        password: secret(sandbox::READONLY_PASSWORD),
    };
    messages.push_str(&format!("{typed:?}\n"));
    let first = engine.obtain_direct(&pw, &typed).await.expect("password grant");
    seen.tokens("password", &first);
    engine
        .remember(&pw, SecretKind::ClientSecret, &Secret::new(sandbox::PASSWORD_CLIENT_SECRET))
        .unwrap();
    engine.remember(&pw, SecretKind::Password, &Secret::new(sandbox::READONLY_PASSWORD)).unwrap();
    let renewed = engine.valid_token(&pw).await.expect("refreshed");
    seen.tokens("refreshed password", &renewed);
    engine.verify(&pw).await.unwrap();
    engine.revoke(&pw).await.unwrap();
    // And renewed by asking again with the kept password.
    let again = engine.obtain_direct(&pw, &Credentials::default()).await.unwrap();
    seen.tokens("password again", &again);
    raw_revoke(
        &sb,
        sandbox::PASSWORD_CLIENT_ID,
        sandbox::PASSWORD_CLIENT_SECRET,
        again.refresh_token.as_ref().unwrap().expose(),
    )
    .await;
    let asked = engine.renew(&pw).await.expect("asked again with the kept password");
    seen.tokens("password asked again", &asked);

    // Method A through the loopback listener: the admin, and the MFA user.
    let browser = add_profile(
        &mut store,
        "Browser",
        &ep,
        Method::BrowserLogin,
        sandbox::BROWSER_CLIENT_ID,
        "",
    );
    engine
        .remember(&browser, SecretKind::ClientSecret, &Secret::new(sandbox::BROWSER_CLIENT_SECRET))
        .unwrap();
    for person in [Person::admin(), Person::mfa(sandbox::MFA_ONE_TIME_CODE)] {
        let opener = ScriptedBrowser::new(person);
        let tokens = engine
            .sign_in_with_loopback(
                &browser,
                &Credentials::default(),
                &opener,
                Duration::from_secs(10),
                &CancellationToken::new(),
                &|stage| tracing::info!(?stage, "sign-in progress"),
            )
            .await
            .expect("browser sign-in");
        seen.tokens("browser", &tokens);
        let visit = opener.finished().await;
        let landed = Url::parse(visit.redirect.as_deref().unwrap()).unwrap();
        seen.add("authorization code", &query_param(&landed, "code").unwrap());
        let renewed = engine.valid_token(&browser).await.unwrap();
        seen.tokens("refreshed browser", &renewed);
        engine.verify(&browser).await.unwrap();
    }
    engine.revoke(&browser).await.unwrap();

    // Method A in paste mode, with the Postman-registered client.
    let mut postman_profile = add_profile(
        &mut store,
        "Postman",
        &ep,
        Method::BrowserLogin,
        sandbox::POSTMAN_CLIENT_ID,
        "",
    )
    .profile;
    postman_profile.callback = CallbackSettings {
        mode: CallbackMode::Paste,
        redirect_uri: Some(sandbox::POSTMAN_REDIRECT_URI.into()),
    };
    store.update(postman_profile.clone()).unwrap();
    let postman = Target { profile: postman_profile, endpoints: ep.clone() };
    let pending = engine
        .begin_sign_in(
            &postman,
            &creds(sandbox::POSTMAN_CLIENT_SECRET),
            &Url::parse(sandbox::POSTMAN_REDIRECT_URI).unwrap(),
        )
        .unwrap();
    messages.push_str(&format!("{pending:?}\n"));
    let visit = ScriptedBrowser::not_following(Person::admin()).visit(&pending.authorize_url).await;
    let landed = visit.redirect.unwrap();
    seen.add(
        "pasted authorization code",
        &query_param(&Url::parse(&landed).unwrap(), "code").unwrap(),
    );
    let tokens = engine
        .finish_sign_in(&postman, &creds(sandbox::POSTMAN_CLIENT_SECRET), pending, &landed)
        .await
        .unwrap();
    seen.tokens("paste mode", &tokens);
    messages.push_str(&format!("{tokens:?}\n"));
    engine
        .remember(&postman, SecretKind::ClientSecret, &Secret::new(sandbox::POSTMAN_CLIENT_SECRET))
        .unwrap();
    engine.revoke(&postman).await.unwrap();

    // Failures, whose messages are shown to people and written to logs.
    let errors = [
        engine.obtain_direct(&cc, &creds("wrong-service-secret-typed")).await.unwrap_err(),
        engine
            .obtain_direct(&pw, &creds_pw(sandbox::PASSWORD_CLIENT_SECRET, "wrong-password-typed"))
            .await
            .unwrap_err(),
        engine
            .obtain_direct(
                &pw,
                &creds_pw("wrong-password-client-secret", sandbox::READONLY_PASSWORD),
            )
            .await
            .unwrap_err(),
    ];
    seen.add("wrong client secret", "wrong-service-secret-typed");
    seen.add("wrong password", "wrong-password-typed");
    seen.add("wrong password-client secret", "wrong-password-client-secret");
    for e in &errors {
        tracing::warn!(error = %e, "request failed");
        messages.push_str(&format!("{e}\n{e:?}\n"));
    }

    // Everything the store can write, once more.
    store.set_last_profile(&browser.profile.id).unwrap();
    store.remove(&cc_basic.profile.id).unwrap();
    sb.shutdown().await;
    (seen, messages)
}
