//! Helpers shared by the integration tests: starting sandboxes, HTTP clients, OAuth round trips.
#![allow(dead_code)]

use std::collections::HashMap;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, LOCATION};
use reqwest::{redirect, Client, Response, StatusCode};
use sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const JSONAPI: &str = "application/vnd.api+json";
pub const UNAUTHORIZED: &str = r#"{"errors":[{"status":"401","title":"Unauthorized"}]}"#;

pub const INVALID_REQUEST: &str = "The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.";
pub const INVALID_CLIENT: &str = "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.";
pub const INVALID_GRANT: &str = "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";
pub const UNSUPPORTED_GRANT_TYPE: &str =
    "The authorization grant type is not supported by the authorization server.";
pub const INVALID_SCOPE: &str = "The requested scope is invalid, unknown, or malformed.";
pub const UNAUTHORIZED_CLIENT: &str =
    "The client is not authorized to perform this request using this method.";
pub const ACCESS_DENIED: &str = "The resource owner or authorization server denied the request.";

/// A sandbox with the default configuration.
pub async fn start() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.expect("sandbox starts")
}

/// A sandbox with the given token and code lifetimes.
pub async fn start_with(token_lifetime: Duration, code_lifetime: Duration) -> Sandbox {
    Sandbox::start(SandboxConfig { port: 0, token_lifetime, code_lifetime })
        .await
        .expect("sandbox starts")
}

/// A client that does not follow redirects and keeps cookies, like a browser tab under test.
pub fn browser() -> Client {
    Client::builder().redirect(redirect::Policy::none()).cookie_store(true).build().expect("client")
}

/// A client without cookies or redirects.
pub fn http() -> Client {
    Client::builder().redirect(redirect::Policy::none()).build().expect("client")
}

/// `(verifier, S256 challenge)`.
pub fn pkce_pair() -> (String, String) {
    let verifier = format!("verifier-{}-0123456789abcdefghijklmnopqrstuvwxyz", rand_suffix());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(7)
}

/// `/oauth/authorize?…` for `client_id`, `redirect_uri` and extra parameters.
/// The page `browser` gets at `url` (the sign-in page of an authorize URL), as text.
pub async fn sign_in_page(browser: &Client, url: &str) -> String {
    browser.get(url).send().await.expect("the sandbox answers").text().await.expect("a text page")
}

pub fn authorize_url(
    sb: &Sandbox,
    client_id: &str,
    redirect_uri: &str,
    extra: &[(&str, &str)],
) -> String {
    let mut url = url::Url::parse(&format!("{}/oauth/authorize", sb.base_url())).unwrap();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code");
        q.append_pair("client_id", client_id);
        q.append_pair("redirect_uri", redirect_uri);
        for (k, v) in extra {
            q.append_pair(k, v);
        }
    }
    url.to_string()
}

/// The hidden inputs of an HTML form, unescaped.
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for chunk in html.split("<input type=\"hidden\" ").skip(1) {
        let name = between(chunk, "name=\"", "\"");
        let value = between(chunk, "value=\"", "\"");
        out.push((name, unescape(&value)));
    }
    out
}

fn between(text: &str, start: &str, end: &str) -> String {
    text.split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map(|(v, _)| v.to_owned())
        .unwrap_or_default()
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Submits the form of `html` with its hidden fields plus `fields`.
pub async fn submit(
    client: &Client,
    sb: &Sandbox,
    html: &str,
    fields: &[(&str, &str)],
) -> Response {
    let mut form = hidden_fields(html);
    form.extend(fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    client
        .post(format!("{}/oauth/authorize", sb.base_url()))
        .form(&form)
        .send()
        .await
        .expect("form post")
}

/// The query parameters of a redirect's `Location`.
pub fn location_params(headers: &HeaderMap) -> HashMap<String, String> {
    let location = headers.get(LOCATION).expect("Location").to_str().unwrap();
    url::Url::parse(location).unwrap().query_pairs().into_owned().collect()
}

/// The `Location` of a redirect.
pub fn location(headers: &HeaderMap) -> String {
    headers.get(LOCATION).expect("Location").to_str().unwrap().to_owned()
}

/// Signs in through the browser pages and returns the authorization code.
pub async fn browser_code(
    sb: &Sandbox,
    client: &Client,
    authorize: &str,
    email: &str,
    password: &str,
) -> String {
    let page = client.get(authorize).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let resp =
        submit(client, sb, &html, &[("email", email), ("password", password), ("sign_in", "1")])
            .await;
    assert_eq!(resp.status(), StatusCode::FOUND, "sign-in should redirect");
    location_params(resp.headers())["code"].clone()
}

/// POSTs form fields to the token endpoint; returns status, JSON body and headers.
pub async fn token_request(
    sb: &Sandbox,
    fields: &[(&str, &str)],
) -> (StatusCode, Value, HeaderMap) {
    let resp =
        http().post(format!("{}/oauth/token", sb.base_url())).form(fields).send().await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.json::<Value>().await.unwrap_or(Value::Null);
    (status, body, headers)
}

/// Asserts an OAuth JSON error.
pub fn assert_oauth_error(
    result: &(StatusCode, Value, HeaderMap),
    status: u16,
    error: &str,
    description: &str,
) {
    assert_eq!(result.0.as_u16(), status, "body: {}", result.1);
    assert_eq!(result.1, serde_json::json!({"error": error, "error_description": description}));
}

/// An access token from the service-account client (acts as the admin).
pub async fn service_token(sb: &Sandbox) -> String {
    let (status, body, _) = token_request(
        sb,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", sandbox::SERVICE_CLIENT_ID),
            ("client_secret", sandbox::SERVICE_CLIENT_SECRET),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// The full token response of a password grant for `email`.
pub async fn password_tokens(sb: &Sandbox, email: &str, password: &str) -> Value {
    let (status, body, _) = token_request(
        sb,
        &[
            ("grant_type", "password"),
            ("client_id", sandbox::PASSWORD_CLIENT_ID),
            ("client_secret", sandbox::PASSWORD_CLIENT_SECRET),
            ("username", email),
            ("password", password),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// The admin's access token (password grant).
pub async fn admin_token(sb: &Sandbox) -> String {
    password_tokens(sb, sandbox::ADMIN_EMAIL, sandbox::ADMIN_PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The read-only user's access token.
pub async fn readonly_token(sb: &Sandbox) -> String {
    password_tokens(sb, sandbox::READONLY_EMAIL, sandbox::READONLY_PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// GET an API path (relative to the base URL) with a bearer token and the JSON:API Accept.
pub async fn api_get(sb: &Sandbox, path: &str, token: &str) -> Response {
    http()
        .get(format!("{}{path}", sb.base_url()))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header(ACCEPT, JSONAPI)
        .send()
        .await
        .unwrap()
}

/// Status and JSON body of an API GET.
pub async fn api_json(sb: &Sandbox, path: &str, token: &str) -> (StatusCode, Value) {
    let resp = api_get(sb, path, token).await;
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The decoded JSON of a JWT's header and claims.
pub fn jwt_parts(token: &str) -> (Value, Value) {
    let mut parts = token.split('.');
    let mut decode = || -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts.next().unwrap()).unwrap()).unwrap()
    };
    let header = decode();
    let claims = decode();
    (header, claims)
}

/// Sends a hand-written HTTP/1.1 request (for headers reqwest would add) and returns the status
/// and body. The request must carry `Connection: close`.
pub async fn raw_request(sb: &Sandbox, request: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text[9..12].parse().unwrap();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}
