//! Support for the conformance tests against oidc-provider (`tests/oidc/server.mjs`): starting
//! and stopping the server, and a scripted browser that signs in on its built-in pages.

#![allow(dead_code)]

use engine::session::BrowserOpener;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;
use url::Url;

/// How long the server may take to print its ready line.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// The client IDs and secrets registered in `server.mjs`.
pub const BROWSER_POST: (&str, &str) = ("browser-post", "browser-post-secret");
/// Its secret needs RFC 6749 section 2.3.1 encoding in a Basic header.
pub const BROWSER_BASIC: (&str, &str) = ("browser-basic", "basic secret+with/odd:chars%&=");
pub const SERVICE_POST: (&str, &str) = ("service-post", "service-post-secret");
pub const SERVICE_BASIC: (&str, &str) = ("service-basic", "svc secret+with/odd:chars%&=");

/// One running oidc-provider; stopped when dropped (also when a test panics).
pub struct OidcServer {
    child: Child,
    stdin: Option<ChildStdin>,
    pub issuer: Url,
    stderr: Arc<Mutex<String>>,
}

impl OidcServer {
    /// Starts `node tests/oidc/server.mjs` on a free port and waits for its ready line.
    pub fn start() -> OidcServer {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc");
        let dir = dir.canonicalize().unwrap_or(dir);
        if !dir.join("node_modules/oidc-provider/package.json").is_file() {
            panic!(
                "oidc-provider is not installed in {}: run scripts/setup (or `cd tests/oidc && npm ci`) first. \
                 These conformance tests need it and do not skip without it.",
                dir.display()
            );
        }
        let mut child = Command::new("node")
            .arg("server.mjs")
            .arg("0")
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "could not run `node` (Node.js 20 or later is needed; run scripts/setup): {e}"
                )
            });

        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().expect("stderr is piped");
        let err_buf = stderr.clone();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                err_buf
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });

        // Read stdout on a thread (and keep draining it), handing over the first JSON line.
        let out_pipe = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(out_pipe).lines() {
                let Ok(line) = line else { break };
                if !sent && line.trim_start().starts_with('{') {
                    sent = tx.send(line).is_ok();
                }
            }
        });

        let stdin = child.stdin.take();
        let mut server =
            OidcServer { child, stdin, issuer: Url::parse("http://127.0.0.1/").unwrap(), stderr };
        let line = match rx.recv_timeout(START_TIMEOUT) {
            Ok(line) => line,
            Err(_) => panic!(
                "oidc-provider did not start within {START_TIMEOUT:?}; its stderr:\n{}",
                server.stderr()
            ),
        };
        let ready: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("bad ready line {line:?} from server.mjs: {e}"));
        let issuer = ready["issuer"]
            .as_str()
            .unwrap_or_else(|| panic!("no issuer in the ready line {line:?}"));
        server.issuer = Url::parse(issuer).expect("the issuer is a URL");
        server
    }

    /// What the server wrote to stderr so far (for failure messages).
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// An address on the server.
    pub fn url(&self, path: &str) -> Url {
        self.issuer.join(path).expect("a path on the issuer")
    }

    /// RFC 7662 introspection of `token`, authenticating as `client` in the body.
    pub async fn introspect(&self, client: (&str, &str), token: &str) -> serde_json::Value {
        let response = reqwest::Client::new()
            .post(self.url("/token/introspection"))
            .form(&[("token", token), ("client_id", client.0), ("client_secret", client.1)])
            .send()
            .await
            .expect("introspection request");
        assert!(response.status().is_success(), "introspection answered {}", response.status());
        response.json().await.expect("introspection JSON")
    }

    /// Whether introspection says `token` is active.
    pub async fn is_active(&self, client: (&str, &str), token: &str) -> bool {
        self.introspect(client, token).await["active"]
            .as_bool()
            .expect("introspection has \"active\"")
    }
}

impl Drop for OidcServer {
    fn drop(&mut self) {
        drop(self.stdin.take()); // the server also stops when its stdin closes
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free port on 127.0.0.1 right now (for a registered loopback callback), drawn below the
/// kernel's ephemeral range so that the servers of tests running alongside (which bind port 0)
/// cannot take it before the engine listens on it.
pub fn free_port() -> u16 {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    for _ in 0..200 {
        let port = rng.gen_range(20_000..32_000);
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port on 127.0.0.1 between 20000 and 32000");
}

/// What the scripted person does on the server's pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Person {
    /// Signs in (any login and password) and allows access.
    SignsInAndAllows,
    /// Chooses "Cancel" on the sign-in page.
    Cancels,
}

/// What the scripted browser saw: the pages it went through, and the last page's status and text
/// (the engine's loopback page, when it got that far).
#[derive(Debug)]
pub struct Visit {
    pub trail: Vec<String>,
    pub final_url: Url,
    pub final_status: u16,
    pub final_body: String,
}

/// A [`BrowserOpener`] that plays a person in a browser: cookies kept, redirects followed one by
/// one, the login form filled in, consent given (or the sign-in cancelled), and finally the
/// redirect to the loopback callback followed, as a browser would.
pub struct ScriptedBrowser {
    person: Person,
    opened: Mutex<Vec<Url>>,
    task: Mutex<Option<JoinHandle<Result<Visit, String>>>>,
}

impl ScriptedBrowser {
    pub fn new(person: Person) -> ScriptedBrowser {
        ScriptedBrowser { person, opened: Mutex::new(Vec::new()), task: Mutex::new(None) }
    }

    /// The addresses the engine asked to open.
    pub fn opened(&self) -> Vec<Url> {
        self.opened.lock().unwrap().clone()
    }

    /// Waits for the browser's visit to end.
    pub async fn visit(&self) -> Visit {
        let task = self.task.lock().unwrap().take().expect("the engine opened the browser");
        match tokio::time::timeout(Duration::from_secs(20), task).await {
            Ok(Ok(Ok(visit))) => visit,
            Ok(Ok(Err(e))) => panic!("the scripted browser failed: {e}"),
            Ok(Err(e)) => panic!("the scripted browser panicked: {e}"),
            Err(_) => panic!("the scripted browser did not finish"),
        }
    }
}

impl BrowserOpener for ScriptedBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        self.opened.lock().unwrap().push(url.clone());
        let task = tokio::spawn(browse(url.clone(), self.person));
        *self.task.lock().unwrap() = Some(task);
        Ok(())
    }
}

enum Step {
    Get(Url),
    Post(Url, Vec<(String, String)>),
}

async fn browse(start: Url, person: Person) -> Result<Visit, String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let server_origin = start.origin();
    let mut trail = Vec::new();
    let mut step = Step::Get(start);
    for _ in 0..20 {
        let (url, request) = match &step {
            Step::Get(url) => (url.clone(), client.get(url.clone())),
            Step::Post(url, form) => (url.clone(), client.post(url.clone()).form(form)),
        };
        trail.push(format!(
            "{} {}",
            if matches!(step, Step::Get(_)) { "GET" } else { "POST" },
            url.path()
        ));
        let response = request.send().await.map_err(|e| format!("{url}: {e}"))?;
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| format!("{url} redirected ({status}) without a Location"))?;
            let next = url.join(location).map_err(|e| format!("bad Location {location:?}: {e}"))?;
            step = Step::Get(next);
            continue;
        }
        let body = response.text().await.map_err(|e| e.to_string())?;
        if url.origin() != server_origin {
            // Left the server: this is the loopback callback's page.
            return Ok(Visit { trail, final_url: url, final_status: status, final_body: body });
        }
        if status != 200 {
            return Err(format!("{url} answered {status}: {}", excerpt(&body)));
        }
        let form =
            find_form(&body).ok_or_else(|| format!("no form on {url}: {}", excerpt(&body)))?;
        let action = url
            .join(&form.action)
            .map_err(|e| format!("bad form action {:?}: {e}", form.action))?;
        let prompt = form.hidden.iter().find(|(k, _)| k == "prompt").map(|(_, v)| v.as_str());
        step = match (prompt, person) {
            (Some("login"), Person::Cancels) => {
                let abort =
                    find_link(&body, "/abort").ok_or_else(|| format!("no Cancel link on {url}"))?;
                Step::Get(url.join(&abort).map_err(|e| e.to_string())?)
            }
            (Some("login"), Person::SignsInAndAllows) => {
                if !form.inputs.iter().any(|n| n == "login")
                    || !form.inputs.iter().any(|n| n == "password")
                {
                    return Err(format!(
                        "the sign-in form on {url} has no login and password fields"
                    ));
                }
                let mut fields = form.hidden.clone();
                fields.push(("login".into(), "ada@example.com".into()));
                fields.push(("password".into(), "any password".into()));
                Step::Post(action, fields)
            }
            (Some("consent"), _) => Step::Post(action, form.hidden.clone()),
            (other, _) => {
                return Err(format!(
                    "unexpected page at {url} (prompt {other:?}): {}",
                    excerpt(&body)
                ))
            }
        };
    }
    Err(format!("too many steps: {trail:?}"))
}

/// The first form on a page: its action, its hidden fields, and the names of all its inputs.
struct Form {
    action: String,
    hidden: Vec<(String, String)>,
    inputs: Vec<String>,
}

fn find_form(html: &str) -> Option<Form> {
    let start = html.find("<form")?;
    let end = start + html[start..].find("</form>")?;
    let form_html = &html[start..end];
    let form_tag = &form_html[..form_html.find('>')?];
    let action = attr(form_tag, "action")?;
    let mut hidden = Vec::new();
    let mut inputs = Vec::new();
    let mut rest = form_html;
    while let Some(i) = rest.find("<input") {
        let tag_end = rest[i..].find('>').map(|e| i + e)?;
        let tag = &rest[i..tag_end];
        if let Some(name) = attr(tag, "name") {
            if attr(tag, "type").as_deref() == Some("hidden") {
                hidden.push((name.clone(), attr(tag, "value").unwrap_or_default()));
            }
            inputs.push(name);
        }
        rest = &rest[tag_end..];
    }
    Some(Form { action, hidden, inputs })
}

/// The `href` of the first link whose address contains `needle`.
fn find_link(html: &str, needle: &str) -> Option<String> {
    let mut rest = html;
    while let Some(i) = rest.find("<a ") {
        let tag_end = rest[i..].find('>').map(|e| i + e)?;
        if let Some(href) = attr(&rest[i..tag_end], "href") {
            if href.contains(needle) {
                return Some(href);
            }
        }
        rest = &rest[tag_end..];
    }
    None
}

/// A double-quoted attribute's value in a tag, entities decoded.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + len]))
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn excerpt(body: &str) -> String {
    body.chars().take(400).collect()
}
