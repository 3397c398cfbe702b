//! Shared pieces of the engine's integration tests: a sandbox, a `Target` for each demo client,
//! an engine over a session-only vault, a "scripted browser" that signs in like a person, and a
//! tiny HTTP server that records what it is sent and answers what a test tells it to.
#![allow(dead_code)] // each test file uses its own part of this module

use axum::body::Bytes;
use axum::http::{HeaderMap, Method as HttpMethod, StatusCode, Uri};
use engine::profiles::{
    CallbackMode, CallbackSettings, ClientAuth, Endpoints, Environment, Method, Profile, ProfileId,
};
use engine::session::{BrowserOpener, Credentials, Engine, SignInStage, Target};
use engine::vault::Vault;
use engine::Secret;
use sandbox::{Sandbox, SandboxConfig};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;
use url::Url;

// ---------------------------------------------------------------------------------------------
// Sandbox, targets, engine

/// A sandbox on a free port with the given lifetimes.
pub async fn sandbox_with(token_lifetime: Duration, code_lifetime: Duration) -> Sandbox {
    Sandbox::start(SandboxConfig { port: 0, token_lifetime, code_lifetime })
        .await
        .expect("start the sandbox")
}

/// A sandbox with ScopeStack's lifetimes (two hours, ten minutes).
pub async fn sandbox() -> Sandbox {
    sandbox_with(Duration::from_secs(7200), Duration::from_secs(600)).await
}

pub fn base(sb: &Sandbox) -> Url {
    Url::parse(&sb.base_url()).expect("sandbox base URL")
}

pub fn endpoints(sb: &Sandbox) -> Endpoints {
    Endpoints::for_base(&base(sb)).expect("sandbox endpoints")
}

/// A profile talking to `endpoints` with the given method and client.
pub fn target_at(
    endpoints: Endpoints,
    id: &str,
    method: Method,
    client_id: &str,
    username: &str,
) -> Target {
    let profile = Profile {
        id: ProfileId::new(id),
        name: id.to_string(),
        account_kind: engine::AccountKind::Test,
        environment: Environment::Server(endpoints.clone()),
        method,
        client_id: client_id.to_string(),
        username: username.to_string(),
        scope: "read write".into(),
        client_auth: ClientAuth::Body,
        callback: CallbackSettings::default(),
    };
    Target { profile, endpoints }
}

/// Method B: the demo service account.
pub fn service_target(sb: &Sandbox) -> Target {
    target_at(endpoints(sb), "service", Method::ClientCredentials, sandbox::SERVICE_CLIENT_ID, "")
}

/// Method C: the account-level client with `email`.
pub fn password_target(sb: &Sandbox, email: &str) -> Target {
    target_at(endpoints(sb), "password", Method::Password, sandbox::PASSWORD_CLIENT_ID, email)
}

/// Method A: the browser-login client, loopback on a free port (no callback registered here).
pub fn browser_target(sb: &Sandbox) -> Target {
    target_at(endpoints(sb), "browser", Method::BrowserLogin, sandbox::BROWSER_CLIENT_ID, "")
}

/// Method A with the client whose registered callback is Postman's.
pub fn postman_target(sb: &Sandbox) -> Target {
    let mut t =
        target_at(endpoints(sb), "postman", Method::BrowserLogin, sandbox::POSTMAN_CLIENT_ID, "");
    t.profile.callback = CallbackSettings {
        mode: CallbackMode::Loopback,
        redirect_uri: Some(sandbox::POSTMAN_REDIRECT_URI.into()),
    };
    t
}

pub fn with_basic(mut t: Target) -> Target {
    t.profile.client_auth = ClientAuth::Basic;
    t
}

pub fn with_callback(mut t: Target, redirect_uri: &str) -> Target {
    t.profile.callback.redirect_uri = Some(redirect_uri.to_string());
    t
}

/// An engine over a fresh session-only vault and the engine's own HTTP client.
pub fn engine() -> Engine {
    let http = engine::http::client(engine::http::HttpSettings {
        connect_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(15),
    })
    .expect("HTTP client");
    Engine::new(Vault::session_only(), http)
}

pub fn secret(s: &str) -> Option<Secret> {
    Some(Secret::new(s))
}

pub fn creds(client_secret: &str) -> Credentials {
    Credentials { client_secret: secret(client_secret), password: None }
}

pub fn creds_pw(client_secret: &str, password: &str) -> Credentials {
    Credentials { client_secret: secret(client_secret), password: secret(password) }
}

/// A progress callback that records the stages.
pub fn stage_recorder() -> (Arc<Mutex<Vec<SignInStage>>>, impl Fn(SignInStage) + Send + Sync) {
    let stages = Arc::new(Mutex::new(Vec::new()));
    let sink = stages.clone();
    (stages, move |s| sink.lock().unwrap().push(s))
}

pub fn no_progress() -> impl Fn(SignInStage) + Send + Sync {
    |_| {}
}

/// The value of a query parameter.
pub fn query_param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// The redirect_uri an authorize URL carries.
pub fn redirect_uri_of(authorize_url: &Url) -> Url {
    Url::parse(
        &query_param(authorize_url, "redirect_uri").expect("authorize URL has a redirect_uri"),
    )
    .expect("redirect_uri is a URL")
}

/// A port that was free a moment ago (bound, then released).
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a free port");
    l.local_addr().unwrap().port()
}

/// Whether nothing accepts connections on 127.0.0.1:`port` any more.
pub fn refuses_connections(port: u16) -> bool {
    match std::net::TcpStream::connect_timeout(
        &SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        Duration::from_secs(2),
    ) {
        Ok(_) => false,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionRefused,
    }
}

/// Whether 127.0.0.1:`port` can be listened on again.
pub fn port_is_free(port: u16) -> bool {
    std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok()
}

/// A plain HTTP GET as a browser would send it (no redirects followed); status and body.
pub async fn get(url: &str) -> Result<(u16, String), reqwest::Error> {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let response = client.get(url).send().await?;
    let status = response.status().as_u16();
    Ok((status, response.text().await.unwrap_or_default()))
}

/// POSTs a form to the sandbox's token endpoint directly (not through the engine).
pub async fn raw_token_request(sb: &Sandbox, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/oauth/token", sb.base_url()))
        .form(form)
        .send()
        .await
        .expect("token endpoint");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(serde_json::Value::Null))
}

/// Revokes a token at the sandbox directly, as another app or an administrator would.
pub async fn raw_revoke(sb: &Sandbox, client_id: &str, client_secret: &str, token: &str) {
    let response = reqwest::Client::new()
        .post(format!("{}/oauth/revoke", sb.base_url()))
        .form(&[("client_id", client_id), ("client_secret", client_secret), ("token", token)])
        .send()
        .await
        .expect("revoke endpoint");
    assert_eq!(response.status().as_u16(), 200, "the sandbox revoked the token");
}

/// The decoded claims of a JWT access token.
pub fn jwt_claims(token: &str) -> serde_json::Value {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url payload");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

/// This machine's IPv4 addresses other than loopback, read from `hostname -I` or `ip -4 addr`
/// (nothing is sent anywhere to find them).
pub fn non_loopback_ipv4() -> Vec<Ipv4Addr> {
    let run = |cmd: &str, args: &[&str]| {
        std::process::Command::new(cmd)
            .args(args)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    };
    let mut text = run("hostname", &["-I"]);
    text.push(' ');
    text.push_str(&run("ip", &["-4", "-o", "addr", "show"]).replace('/', " "));
    let mut found: Vec<Ipv4Addr> = text
        .split_whitespace()
        .filter_map(|w| w.parse::<Ipv4Addr>().ok())
        .filter(|ip| {
            !ip.is_loopback() && !ip.is_unspecified() && !ip.is_broadcast() && ip.octets()[3] != 255
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

// ---------------------------------------------------------------------------------------------
// The scripted browser

/// What the person at the browser does on the sign-in page.
#[derive(Clone, Debug)]
pub enum Person {
    /// Types an email and password and presses "Sign in" (and, when asked, a one-time code).
    SignIn { email: String, password: String, one_time_code: Option<String> },
    /// Presses "Deny" on the first page.
    Deny,
    /// Signs in, then presses "Deny" on the one-time-code page.
    DenyAtCode { email: String, password: String },
    /// Looks at the page and does nothing (for timeouts and cancels).
    Idle,
}

impl Person {
    pub fn admin() -> Person {
        Person::SignIn {
            email: sandbox::ADMIN_EMAIL.into(),
            password: sandbox::ADMIN_PASSWORD.into(),
            one_time_code: None,
        }
    }
    pub fn readonly() -> Person {
        Person::SignIn {
            email: sandbox::READONLY_EMAIL.into(),
            password: sandbox::READONLY_PASSWORD.into(),
            one_time_code: None,
        }
    }
    pub fn mfa(code: &str) -> Person {
        Person::SignIn {
            email: sandbox::MFA_EMAIL.into(),
            password: sandbox::MFA_PASSWORD.into(),
            one_time_code: Some(code.into()),
        }
    }
}

/// Where the browser ended up after following the sandbox's redirect.
#[derive(Clone, Debug)]
pub enum Landing {
    Page { status: u16, body: String },
    Failed(String),
}

/// What the browser saw.
#[derive(Clone, Debug, Default)]
pub struct Visit {
    /// Every sandbox page shown, in order: status and HTML.
    pub pages: Vec<(u16, String)>,
    /// Where the sandbox sent the browser at the end (the callback with code or error).
    pub redirect: Option<String>,
    /// The page the callback address answered with, when the redirect was followed.
    pub landing: Option<Landing>,
}

impl Visit {
    pub fn landing_page(&self) -> (u16, String) {
        match &self.landing {
            Some(Landing::Page { status, body }) => (*status, body.clone()),
            other => panic!("the browser did not land on a page: {other:?} ({self:?})"),
        }
    }
    pub fn last_page(&self) -> &(u16, String) {
        self.pages.last().expect("the browser saw a page")
    }
}

struct BrowserInner {
    person: Person,
    follow_redirect: bool,
    /// One cookie jar for the browser's lifetime, as a real browser keeps its session.
    client: reqwest::Client,
    opened: Mutex<Vec<Url>>,
    running: Mutex<Vec<JoinHandle<Visit>>>,
}

/// A [`BrowserOpener`] that acts like a person at a browser: it loads the sign-in page, fills
/// in and submits the forms, and follows the final redirect to the callback address.
#[derive(Clone)]
pub struct ScriptedBrowser(Arc<BrowserInner>);

impl ScriptedBrowser {
    pub fn new(person: Person) -> ScriptedBrowser {
        Self::build(person, true)
    }

    /// A browser that stops at the final redirect (paste mode: the address bar shows it).
    pub fn not_following(person: Person) -> ScriptedBrowser {
        Self::build(person, false)
    }

    fn build(person: Person, follow_redirect: bool) -> ScriptedBrowser {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("browser HTTP client");
        ScriptedBrowser(Arc::new(BrowserInner {
            person,
            follow_redirect,
            client,
            opened: Mutex::new(Vec::new()),
            running: Mutex::new(Vec::new()),
        }))
    }

    /// The addresses this browser was asked to open.
    pub fn opened(&self) -> Vec<Url> {
        self.0.opened.lock().unwrap().clone()
    }

    /// What the browser saw on the last address it was asked to open (waits for it to finish).
    pub async fn finished(&self) -> Visit {
        let handle = self.0.running.lock().unwrap().pop().expect("the browser was opened");
        handle.await.expect("the browser task")
    }

    /// Visits `url` now, in this task (for paste mode, where nothing opens a browser).
    pub async fn visit(&self, url: &Url) -> Visit {
        self.0.opened.lock().unwrap().push(url.clone());
        run_browser(self.0.clone(), url.clone()).await
    }
}

impl BrowserOpener for ScriptedBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|e| e.to_string())?;
        self.0.opened.lock().unwrap().push(url.clone());
        let handle = runtime.spawn(run_browser(self.0.clone(), url.clone()));
        self.0.running.lock().unwrap().push(handle);
        Ok(())
    }
}

async fn run_browser(b: Arc<BrowserInner>, url: Url) -> Visit {
    let mut visit = Visit::default();
    let mut response = match b.client.get(url.clone()).send().await {
        Ok(r) => r,
        Err(e) => {
            visit.landing = Some(Landing::Failed(format!("the sign-in page did not load: {e}")));
            return visit;
        }
    };
    let mut page_url = url;
    // Up to a handful of pages: sign-in, one-time code, continue-as.
    for _ in 0..4 {
        let status = response.status().as_u16();
        if status == 302 || status == 303 {
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            visit.redirect = Some(location.clone());
            if b.follow_redirect {
                visit.landing = Some(match get(&location).await {
                    Ok((status, body)) => Landing::Page { status, body },
                    Err(e) => Landing::Failed(error_chain(&e)),
                });
            }
            return visit;
        }
        let body = response.text().await.unwrap_or_default();
        visit.pages.push((status, body.clone()));
        let Some(form) = first_form(&body) else { return visit };
        let mut fields = form.inputs;
        let set = |fields: &mut Vec<(String, String)>, name: &str, value: &str| {
            fields.retain(|(k, _)| k != name);
            fields.push((name.to_string(), value.to_string()));
        };
        let button = match (&b.person, form.id.as_str()) {
            (Person::Idle, _) => return visit,
            (Person::Deny, _) => "deny",
            (
                Person::SignIn { email, password, .. } | Person::DenyAtCode { email, password },
                "login-form",
            ) => {
                if visit.pages.len() > 1 {
                    return visit; // shown the sign-in page again: the sign-in was refused
                }
                set(&mut fields, "email", email);
                set(&mut fields, "password", password);
                "sign_in"
            }
            (Person::DenyAtCode { .. }, "mfa-form") => "deny",
            (Person::SignIn { one_time_code, .. }, "mfa-form") => {
                let Some(code) = one_time_code else { return visit };
                if visit.pages.iter().filter(|(_, p)| p.contains("id=\"mfa-form\"")).count() > 1 {
                    return visit; // the code was refused; a person would stop and look
                }
                set(&mut fields, "one_time_code", code);
                "verify"
            }
            (_, "continue-form") => "authorize",
            _ => return visit,
        };
        fields.push((button.to_string(), "1".to_string()));
        let action = page_url.join(&form.action).expect("form action");
        response = match b.client.post(action.clone()).form(&fields).send().await {
            Ok(r) => r,
            Err(e) => {
                visit.landing = Some(Landing::Failed(format!("the form could not be sent: {e}")));
                return visit;
            }
        };
        page_url = action;
    }
    visit
}

struct Form {
    id: String,
    action: String,
    inputs: Vec<(String, String)>,
}

/// The first `<form>` of a page: its id, action, and its `<input>`s' names and values.
fn first_form(html: &str) -> Option<Form> {
    let start = html.find("<form")?;
    let end = html[start..].find("</form>").map(|e| start + e).unwrap_or(html.len());
    let form_html = &html[start..end];
    let tag_end = form_html.find('>')?;
    let form_tag = &form_html[..tag_end];
    let mut inputs = Vec::new();
    let mut rest = &form_html[tag_end..];
    while let Some(i) = rest.find("<input") {
        let tag_len = rest[i..].find('>').unwrap_or(rest.len() - i);
        let tag = &rest[i..i + tag_len];
        if let Some(name) = attribute(tag, "name") {
            inputs.push((name, attribute(tag, "value").unwrap_or_default()));
        }
        rest = &rest[i + tag_len..];
    }
    Some(Form {
        id: attribute(form_tag, "id").unwrap_or_default(),
        action: attribute(form_tag, "action").unwrap_or_default(),
        inputs,
    })
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + len]))
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// A [`BrowserOpener`] that only hands the address to the test (which then plays browser itself).
pub struct ChannelOpener(pub tokio::sync::mpsc::UnboundedSender<Url>);

impl BrowserOpener for ChannelOpener {
    fn open(&self, url: &Url) -> Result<(), String> {
        self.0.send(url.clone()).map_err(|e| e.to_string())
    }
}

pub fn channel_opener() -> (ChannelOpener, tokio::sync::mpsc::UnboundedReceiver<Url>) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    (ChannelOpener(tx), rx)
}

/// A [`BrowserOpener`] that must never be called.
pub struct PanickingOpener;

impl BrowserOpener for PanickingOpener {
    fn open(&self, url: &Url) -> Result<(), String> {
        panic!("no browser should have been opened, but {url} was");
    }
}

// ---------------------------------------------------------------------------------------------
// A recording HTTP server

/// One request as the fake server saw it.
#[derive(Clone, Debug)]
pub struct Captured {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Captured {
    pub fn form(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.body.as_bytes()).into_owned().collect()
    }
    pub fn field(&self, name: &str) -> Option<String> {
        self.form().into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    }
}

type Responder = dyn Fn(&Captured) -> (u16, String) + Send + Sync;

/// An HTTP server on 127.0.0.1 that records every request and answers with `respond`'s JSON.
pub struct FakeServer {
    pub base: Url,
    pub requests: Arc<Mutex<Vec<Captured>>>,
    task: JoinHandle<()>,
}

impl FakeServer {
    pub async fn start(
        respond: impl Fn(&Captured) -> (u16, String) + Send + Sync + 'static,
    ) -> FakeServer {
        let requests: Arc<Mutex<Vec<Captured>>> = Arc::new(Mutex::new(Vec::new()));
        let respond: Arc<Responder> = Arc::new(respond);
        let seen = requests.clone();
        let app = axum::Router::new().fallback(
            move |method: HttpMethod, uri: Uri, headers: HeaderMap, body: Bytes| {
                let seen = seen.clone();
                let respond = respond.clone();
                async move {
                    let captured = Captured {
                        method: method.to_string(),
                        path: uri.path().to_string(),
                        headers: headers
                            .iter()
                            .map(|(k, v)| {
                                (k.to_string(), v.to_str().unwrap_or_default().to_string())
                            })
                            .collect(),
                        body: String::from_utf8_lossy(&body).into_owned(),
                    };
                    let (status, body) = respond(&captured);
                    seen.lock().unwrap().push(captured);
                    (
                        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                        [("content-type", "application/json")],
                        body,
                    )
                }
            },
        );
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind the fake server");
        let base = Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeServer { base, requests, task }
    }

    pub fn endpoints(&self) -> Endpoints {
        Endpoints::for_base(&self.base).expect("fake server endpoints")
    }

    pub fn requests(&self) -> Vec<Captured> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A Doorkeeper-shaped token answer.
pub fn token_json(access: &str, refresh: Option<&str>, expires_in: u64) -> String {
    let mut v = serde_json::json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "scope": "read write",
        "created_at": engine::tokens::now_unix(),
    });
    if let Some(r) = refresh {
        v["refresh_token"] = serde_json::Value::String(r.to_string());
    }
    v.to_string()
}
