//! Running one case: the operation against its target with short timeouts, the diagnosis of
//! what came back, and what the vault kept.

use super::case::{Case, Op, Outcome, RawRequest, Where};
use super::server::BadServer;
use super::side_servers;
use engine::diagnose::{diagnose_error, diagnose_response, Context};
use engine::http::HttpSettings;
use engine::oauth::{authcode, grants, revoke, ClientSettings};
use engine::profiles::{
    CallbackSettings, ClientAuth, Endpoints, Environment, Method, Profile, ProfileId,
};
use engine::session::{Credentials, Engine, Target};
use engine::tokens::{now_unix, ResponseTimes, TokenSet};
use engine::vault::Vault;
use engine::Grant;
use engine::{EngineError, Secret};
use std::time::{Duration, Instant};
use url::Url;

/// Connect 2 s, total 5 s: every case ends within a few seconds.
pub const SETTINGS: HttpSettings =
    HttpSettings { connect_timeout: Duration::from_secs(2), total_timeout: Duration::from_secs(5) };

/// The side servers every run shares, and the HTTP clients (built once: each loads the
/// system's root certificates).
pub struct Sides {
    pub garbage: u16,
    pub self_signed: u16,
    pub expired: u16,
    pub refused: u16,
    pub http: reqwest::Client,
    pub via_proxy_403: reqwest::Client,
    pub via_proxy_407: reqwest::Client,
}

impl Sides {
    pub async fn start() -> Sides {
        Sides {
            garbage: side_servers::garbage_server().await,
            self_signed: side_servers::tls_server("selfsigned").await,
            expired: side_servers::tls_server("expired").await,
            refused: side_servers::closed_port(),
            http: engine::http::client(SETTINGS).expect("http client"),
            via_proxy_403: proxied(side_servers::refusing_proxy(403).await),
            via_proxy_407: proxied(side_servers::refusing_proxy(407).await),
        }
    }
}

/// A client like the engine's, sending everything through the proxy on `port`.
fn proxied(port: u16) -> reqwest::Client {
    reqwest::Client::builder()
        .proxy(reqwest::Proxy::all(format!("http://127.0.0.1:{port}")).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(SETTINGS.connect_timeout)
        .timeout(SETTINGS.total_timeout)
        .use_rustls_tls()
        .build()
        .unwrap()
}

/// The base URL a case's requests go to, and the HTTP client to use.
fn base_and_client(case: &Case, server: &BadServer, sides: &Sides) -> (String, reqwest::Client) {
    let plain = || sides.http.clone();
    match case.at {
        Where::Route => (server.base(case.name), plain()),
        Where::GarbageTls => {
            (format!("https://127.0.0.1:{}/{}", sides.garbage, case.name), plain())
        }
        Where::HttpsToHttpPort => {
            (format!("https://127.0.0.1:{}/{}", server.port, case.name), plain())
        }
        Where::SelfSigned => {
            (format!("https://127.0.0.1:{}/{}", sides.self_signed, case.name), plain())
        }
        Where::Expired => (format!("https://127.0.0.1:{}/{}", sides.expired, case.name), plain()),
        Where::Refused => (format!("http://127.0.0.1:{}/{}", sides.refused, case.name), plain()),
        Where::Dns => {
            (format!("https://no-such-host.scopestack-corpus.invalid/{}", case.name), plain())
        }
        Where::Proxy(status) => {
            let client = if status == 407 {
                sides.via_proxy_407.clone()
            } else {
                sides.via_proxy_403.clone()
            };
            (format!("https://token.example.invalid/{}", case.name), client)
        }
    }
}

fn settings(token_url: &Url, client_id: &str) -> ClientSettings {
    ClientSettings {
        token_url: token_url.clone(),
        client_id: client_id.to_string(),
        client_secret: Some(Secret::new("s3cret-value")),
        client_auth: ClientAuth::Body,
        scope: "read write".into(),
    }
}

fn target(base: &str, method: Method) -> Target {
    let endpoints = Endpoints {
        authorize_url: Url::parse(&format!("{base}/oauth/authorize")).unwrap(),
        token_url: Url::parse(&format!("{base}/oauth/token")).unwrap(),
        api_url: Url::parse(base).unwrap(),
    };
    let profile = Profile {
        id: ProfileId::new("corpus"),
        name: "corpus".into(),
        account_kind: engine::AccountKind::Test,
        environment: Environment::Server(endpoints.clone()),
        method,
        client_id: "corpus-client".into(),
        username: "svc@example.test".into(),
        scope: "read write".into(),
        client_auth: ClientAuth::Body,
        callback: CallbackSettings {
            redirect_uri: Some("http://127.0.0.1:8765/callback".into()),
            ..CallbackSettings::default()
        },
    };
    Target { profile, endpoints }
}

/// A token set obtained earlier, which a failed renewal or request must leave in place.
fn previous_tokens(method: Method) -> TokenSet {
    TokenSet::from_response(
        Secret::new("previous-access-token"),
        "Bearer".into(),
        Some(Secret::new("previous-refresh-token")),
        Some("read write".into()),
        ResponseTimes { expires_in: Some(7200), created_at: None, received_at: now_unix() - 7100 },
        method,
    )
}

fn code_of(
    result: &Result<&'static str, EngineError>,
    ctx: &Context,
) -> (String, Option<engine::diagnose::Diagnosis>) {
    match result {
        Ok(what) => (what.to_string(), None),
        Err(e) => {
            let d = diagnose_error(e, ctx);
            (d.code.to_string(), Some(d))
        }
    }
}

/// Runs one case.
pub async fn run(case: &Case, server: &BadServer, sides: &Sides) -> Outcome {
    let (base, http) = base_and_client(case, server, sides);
    let token_url = Url::parse(&format!("{base}/oauth/token")).unwrap();
    let started = Instant::now();
    let mut vault_kept = None;
    let (code, diagnosis) = match &case.op {
        Op::ClientCredentials(client_id) => {
            let ctx = Context {
                method: Some(Method::ClientCredentials),
                client_id: Some(client_id.to_string()),
                ..Context::default()
            }
            .token_request(Grant::ClientCredentials, token_url.as_str());
            let r = grants::client_credentials(&http, &settings(&token_url, client_id))
                .await
                .map(|_| "ok");
            code_of(&r, &ctx)
        }
        Op::Password => {
            let ctx = Context {
                method: Some(Method::Password),
                client_id: Some("corpus-client".into()),
                ..Context::default()
            }
            .token_request(Grant::Password, token_url.as_str());
            let r = grants::password(
                &http,
                &settings(&token_url, "corpus-client"),
                "svc@example.test",
                &Secret::new("pw"),
            )
            .await
            .map(|_| "ok");
            code_of(&r, &ctx)
        }
        Op::ExchangeCode => {
            let callback = "http://127.0.0.1:8765/callback";
            let ctx = Context {
                method: Some(Method::BrowserLogin),
                callback_url: Some(callback.into()),
                ..Context::default()
            }
            .token_request(Grant::AuthorizationCode, token_url.as_str());
            let s = settings(&token_url, "corpus-client");
            let pending = authcode::begin(
                &s,
                &Url::parse(&format!("{base}/oauth/authorize")).unwrap(),
                &Url::parse(callback).unwrap(),
            )
            .unwrap();
            let r = authcode::exchange(
                &http,
                &s,
                pending,
                oauth2::AuthorizationCode::new("a-code".into()),
            )
            .await
            .map(|_| "ok");
            code_of(&r, &ctx)
        }
        Op::Renew => {
            let t = target(&base, Method::BrowserLogin);
            let engine = Engine::new(Vault::session_only(), http.clone());
            let before = previous_tokens(Method::BrowserLogin);
            engine.vault.set_tokens(&t.profile.id, &before).unwrap();
            let ctx = Context::for_profile(&t.profile)
                .with_tokens(&before, now_unix())
                .token_request(Grant::RefreshToken, token_url.as_str());
            let r = engine.renew(&t).await;
            let after = engine.stored_tokens(&t).unwrap();
            vault_kept = Some(match &r {
                Ok(new) => after.as_ref() == Some(new),
                Err(_) => after.as_ref() == Some(&before),
            });
            code_of(&r.map(|_| "ok"), &ctx)
        }
        Op::ObtainDirect => {
            let t = target(&base, Method::ClientCredentials);
            let engine = Engine::new(Vault::session_only(), http.clone());
            let before = previous_tokens(Method::ClientCredentials);
            engine.vault.set_tokens(&t.profile.id, &before).unwrap();
            let ctx = Context::for_profile(&t.profile)
                .token_request(Grant::ClientCredentials, token_url.as_str());
            let creds =
                Credentials { client_secret: Some(Secret::new("s3cret-value")), password: None };
            let r = engine.obtain_direct(&t, &creds).await;
            let after = engine.stored_tokens(&t).unwrap();
            vault_kept = Some(match &r {
                Ok(new) => after.as_ref() == Some(new),
                Err(_) => after.as_ref() == Some(&before),
            });
            code_of(&r.map(|_| "ok"), &ctx)
        }
        Op::Verify { token, age_secs } => {
            let api = Url::parse(&base).unwrap();
            let me = engine::verify::me_url(&api).unwrap();
            let ctx = verify_context(me.as_str(), token, *age_secs);
            let r = engine::verify::verify(&http, &api, &Secret::new(*token)).await.map(|_| "ok");
            code_of(&r, &ctx)
        }
        Op::Revoke => {
            let ctx = Context::default().api_request("POST", &format!("{base}/oauth/revoke"));
            let r = revoke::revoke(
                &http,
                &settings(&token_url, "corpus-client"),
                &Secret::new("tok"),
                "access_token",
            )
            .await
            .map(|r| match r {
                revoke::Revocation::Revoked => "revoked",
                revoke::Revocation::NotSupported => "not_supported",
            });
            code_of(&r, &ctx)
        }
        Op::Raw(request) => raw(&http, &base, request).await,
    };
    let elapsed = started.elapsed();
    let (raw_code, raw_diagnosis) = match &case.raw {
        Some((request, _)) => {
            let (c, d) = raw(&http, &base, request).await;
            (Some(c), d)
        }
        None => (None, None),
    };
    Outcome {
        code,
        diagnosis,
        raw_code,
        raw_diagnosis,
        elapsed,
        hits: server.hits(case.name),
        vault_kept,
        gigabyte_sent: server.gigabyte_sent.lock().unwrap().get(case.name).copied(),
        sink_hits: server.hits(&format!("{}-sink", case.name)),
    }
}

fn verify_context(url: &str, token: &str, age_secs: i64) -> Context {
    Context {
        api_url: Some(url.trim_end_matches("/v1/me").to_string()),
        sent_accept: Some(engine::http_answer::JSON_API.into()),
        sent_authorization: Some(true),
        sent_token: Some(Secret::new(token)),
        token_age_secs: Some(age_secs),
        token_expired: Some(age_secs >= 7200),
        ..Context::default()
    }
    .api_request("GET", url)
}

/// Sends a raw request and diagnoses the answer (or the failure to get one).
async fn raw(
    http: &reqwest::Client,
    base: &str,
    r: &RawRequest,
) -> (String, Option<engine::diagnose::Diagnosis>) {
    let url = format!("{base}{}", r.path);
    let mut ctx = Context {
        sent_accept: r.accept.map(String::from),
        sent_content_type: r.content_type.map(String::from),
        sent_authorization: Some(r.token.is_some()),
        sent_token: r.token.map(Secret::new),
        token_age_secs: r.token_age_secs,
        token_expired: r.token_age_secs.map(|a| a >= 7200),
        sent_redirect_uri: r.sent_redirect_uri,
        grant: r.grant,
        api_url: Some(base.to_string()),
        ..Context::default()
    }
    .api_request(r.method, &url);
    if r.grant.is_some() {
        ctx.method = None;
    }
    let mut request = http.request(reqwest::Method::from_bytes(r.method.as_bytes()).unwrap(), &url);
    if let Some(a) = r.accept {
        request = request.header("Accept", a);
    }
    if let Some(c) = r.content_type {
        request = request.header("Content-Type", c);
    }
    if let Some(t) = r.token {
        request = request.header("Authorization", format!("Bearer {t}"));
    }
    if let Some(b) = r.body {
        request = request.body(b.to_string());
    }
    let response = match request.send().await {
        Ok(response) => response,
        Err(e) => {
            let err = engine::http::classify_reqwest(&url, &e);
            let d = diagnose_error(&err, &ctx);
            return (d.code.to_string(), Some(d));
        }
    };
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let body =
        engine::http_answer::read_capped(response, 2 * 1024 * 1024).await.unwrap_or_default();
    match diagnose_response(status, &headers, &body, &ctx) {
        None => ("ok".into(), None),
        Some(d) => (d.code.to_string(), Some(d)),
    }
}
