//! A seeded, time-bounded fuzz run in the ordinary test suite (the deep runs are the `cargo fuzz`
//! targets in `crates/engine/fuzz`): mutated token answers, API answers and pasted input
//! through the engine's token-answer reading, `diagnose_error`, `diagnose_response` and
//! `check_input`. Nothing may panic, and every diagnosis must be complete and known. Then
//! mutated JSON:API documents and curl commands through the request tester's JSON:API view and
//! curl import, with the checks of their fuzz targets (`tests/fuzz_checks`).

use crate::fuzz_checks;

use engine::diagnose::{diagnose_error, diagnose_response, Context, Diagnosis};
use engine::oauth::client::read_token_answer;
use engine::profiles::Method;
use engine::Grant;
use std::time::{Duration, Instant};

/// xorshift64*: small, fast, and the same sequence for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SEEDS: &[&str] = &[
    r#"{"access_token":"eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJTY29wZVN0YWNrIn0.c2ln","token_type":"Bearer","expires_in":7200,"refresh_token":"r","scope":"read write","created_at":1700000000}"#,
    r#"{"error":"invalid_grant","error_description":"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}"#,
    r#"{"error":"invalid_client"}"#,
    r#"{"errors":[{"status":"422","title":"Invalid","detail":"project-name - can't be blank","source":{"pointer":"/data/attributes/project-name"}}]}"#,
    r#"{"errors":[{"status":"401","title":"Unauthorized"}]}"#,
    r#"{"errors":{"name":["can't be blank"]}}"#,
    r#"{"data":{"id":"4029","type":"mes","attributes":{"name":"A","account-slug":"acme","privileges":[{"privilege":"p","access-level":"manage"}]}}}"#,
    "<!DOCTYPE html><html><head><title>Down for maintenance</title></head><body>We'll be right back</body></html>",
    "<html><body>Guest Wi-Fi: accept the terms</body></html>",
    "<?xml version=\"1.0\"?><token/>",
    "",
    "null",
    "[1,2,3]",
];

const TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\\",
    "\\u0000",
    "\u{feff}",
    "access_token",
    "token_type",
    "expires_in",
    "-1",
    "1e400",
    "18446744073709551616",
    "3.5",
    "\"error\"",
    "Bearer",
    "mac",
    "null",
    "true",
    "<html>",
    "\u{200b}",
    "О",
    "\r\n",
    "eyJ",
    "...",
    "%",
    "=",
    "&",
];

const STATUSES: &[u16] = &[
    200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 405, 406, 407, 409, 415, 422, 429, 500, 502,
    503, 504, 999, 42, 0, 100, 600,
];

const HEADER_VALUES: &[(&str, &str)] = &[
    ("Content-Type", "application/json"),
    ("Content-Type", "application/vnd.api+json; charset=utf-8"),
    ("Content-Type", "text/html"),
    ("Content-Type", "text/plain"),
    ("Content-Type", "\u{0}weird"),
    ("Retry-After", "30"),
    ("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
    ("Retry-After", "-5"),
    ("Date", "Sun, 06 Nov 1994 08:49:37 GMT"),
    ("Date", "Sun, 99 Zzz 99999 99:99:99 GMT"),
    ("Date", "Ñov"),
    ("Location", "https://elsewhere.test/"),
    (
        "WWW-Authenticate",
        "Bearer error=\"invalid_token\", error_description=\"The access token expired\"",
    ),
    ("WWW-Authenticate", "Bearer error="),
];

fn mutate(rng: &mut Rng, input: &[u8], seeds: &[&str], tokens: &[&str]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        let len = out.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(len + 1);
                out.insert(i, rng.next() as u8);
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below(len - i + 1);
                out.drain(i..i + n);
            }
            3 => {
                let i = rng.below(len + 1);
                let t = tokens[rng.below(tokens.len())].as_bytes();
                out.splice(i..i, t.iter().copied());
            }
            4 => out.truncate(rng.below(len + 1)),
            5 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(64) + 1);
                let piece = out[i..i + n].to_vec();
                let at = rng.below(out.len() + 1);
                out.splice(at..at, piece);
            }
            6 => {
                let other = seeds[rng.below(seeds.len())].as_bytes();
                let cut = rng.below(other.len() + 1);
                let at = rng.below(len + 1);
                out.truncate(at);
                out.extend_from_slice(&other[cut..]);
            }
            _ => {
                let i = rng.below(len + 1);
                out.insert(i, [0xff, 0xc3, 0xe2, 0x80][rng.below(4)]);
            }
        }
    }
    out
}

fn check(d: &Diagnosis) {
    fuzz_checks::complete(d);
    serde_json::to_string(d).expect("a diagnosis serialises");
}

#[test]
fn mutated_answers_and_input_never_panic_and_always_diagnose() {
    let mut rng = Rng(0x005C_09E5_7AC4_D1A9);
    let started = Instant::now();
    let budget = Duration::from_secs(3);
    let mut iterations = 0u64;
    let mut seen_codes = std::collections::BTreeSet::new();
    while started.elapsed() < budget && iterations < 300_000 {
        iterations += 1;
        let seed = SEEDS[rng.below(SEEDS.len())].as_bytes();
        let body = mutate(&mut rng, seed, SEEDS, TOKENS);
        let status =
            if rng.below(4) == 0 { rng.next() as u16 } else { STATUSES[rng.below(STATUSES.len())] };
        let headers: Vec<(String, String)> = (0..rng.below(4))
            .map(|_| HEADER_VALUES[rng.below(HEADER_VALUES.len())])
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();

        // The token endpoint's reading of the answer, exactly as a grant reads it.
        if let Ok(code) = http::StatusCode::from_u16(status) {
            let mut response = http::Response::new(body.clone());
            *response.status_mut() = code;
            for (k, v) in &headers {
                if let Ok(v) = http::HeaderValue::from_str(v) {
                    response
                        .headers_mut()
                        .append(http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v);
                }
            }
            let (grant, method) = [
                (Grant::ClientCredentials, Method::ClientCredentials),
                (Grant::Password, Method::Password),
                (Grant::AuthorizationCode, Method::BrowserLogin),
                (Grant::RefreshToken, Method::BrowserLogin),
            ][rng.below(4)];
            if let Err(e) = read_token_answer(response, grant, method) {
                let ctx = Context { method: Some(method), ..Context::default() }
                    .token_request(grant, "https://app.scopestack.io/oauth/token");
                let d = diagnose_error(&e, &ctx);
                check(&d);
                seen_codes.insert(d.code);
            }
        }

        // The same answer as a token request and as an API call.
        let text = String::from_utf8_lossy(&body[..body.len().min(80)]).into_owned();
        let contexts = [
            Context::default()
                .token_request(Grant::Password, "https://app.scopestack.io/oauth/token"),
            Context {
                sent_accept: Some("application/vnd.api+json".into()),
                sent_authorization: Some(rng.below(2) == 0),
                sent_token: Some(engine::Secret::new(text.clone())),
                token_age_secs: Some(rng.next() as i64),
                token_expired: Some(rng.below(2) == 0),
                ..Context::default()
            }
            .api_request(
                ["GET", "POST", "PATCH"][rng.below(3)],
                &format!("https://api.scopestack.io/{}", text.replace(char::is_whitespace, "")),
            ),
        ];
        for ctx in &contexts {
            if let Some(d) = diagnose_response(status, &headers, &body, ctx) {
                check(&d);
                seen_codes.insert(d.code);
            }
        }

        // The same bytes as typed or pasted input.
        fuzz_checks::check_input(text.as_bytes());
    }
    eprintln!(
        "fuzz-like: {iterations} iterations in {:.2?}, {} distinct codes",
        started.elapsed(),
        seen_codes.len()
    );
    assert!(iterations >= 1_000, "only {iterations} iterations");
    assert!(seen_codes.len() >= 15, "the mutations reach few diagnoses: {seen_codes:?}");
}

const JSON_API_SEEDS: &[&str] = &[
    r#"{"data":[{"id":"1","type":"projects","attributes":{"project-name":"A"},"relationships":{"client":{"data":{"type":"clients","id":"7"}},"tags":{"data":[{"type":"tags","id":"2"}]},"owner":{"links":{"related":"x"}}}}],"included":[{"id":"7","type":"clients","attributes":{"name":"Acme"}},{"id":"8","type":"clients"}],"meta":{"record-count":1},"links":{"first":"https://x/?page[number]=1","next":{"href":"https://x/?page[number]=2"}}}"#,
    r#"{"data":{"id":4029,"type":"mes","attributes":{"name":"A","privileges":[{"privilege":"p"}]}},"meta":{}}"#,
    r#"{"errors":[{"status":"422","title":"Invalid","detail":"project-name - can't be blank","code":"100","source":{"pointer":"/data/attributes/project-name","parameter":"include"}}]}"#,
    r#"{"data":null,"links":{"self":{"href":null}}}"#,
];

const JSON_TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "null",
    "1e999",
    "-0",
    "\"data\"",
    "\"included\"",
    "\"type\"",
    "\"id\"",
    "\"errors\"",
    "\u{feff}",
    "\\u0000",
];

const CURL_SEEDS: &[&str] = &[
    "curl -sSL -X PATCH 'https://api.scopestack.io/acme/v1/projects/5?include=client' \\\n  -H 'Accept: application/vnd.api+json' -H \"Authorization: Bearer $TOKEN\" --data-raw '{\"data\":{}}' --compressed",
    "curl -G https://x.test/a --data-urlencode 'filter[name]=A & B' -d page=2 -m 2.5 -A agent -e 'ref ' -b 'a=b'",
    "curl $'it\\'s\\n\\u00e9' -H 'X;' --json '{}' --oauth2-bearer tok -- x.test:8080/p",
    "curl -I 'x.test/a?next=https://y.test/#f' -X GET -d q",
];

const CURL_TOKENS: &[&str] = &[
    " ",
    "'",
    "\"",
    "\\",
    "$'",
    "-H",
    "-d",
    "-X",
    "-G",
    "-I",
    "-L",
    "--",
    "--data-urlencode",
    "--json",
    "-b",
    "-A",
    "-m",
    "://",
    "http://",
    "{",
    "}",
    "{{v}}",
    "?",
    "#",
    "&",
    "=",
    ":",
    ";",
    "\n",
    "\\\n",
];

#[test]
fn mutated_json_api_documents_and_curl_commands_survive_their_checks() {
    let mut rng = Rng(0x0C0F_FEE5_1A5E_ED42);
    let started = Instant::now();
    let (mut documents, mut commands, mut imported) = (0u64, 0u64, 0u64);
    while started.elapsed() < Duration::from_millis(1500) && documents + commands < 200_000 {
        let seed = JSON_API_SEEDS[rng.below(JSON_API_SEEDS.len())];
        let doc = mutate(&mut rng, seed.as_bytes(), JSON_API_SEEDS, JSON_TOKENS);
        fuzz_checks::jsonapi_view(&doc);
        documents += 1;
        let seed = CURL_SEEDS[rng.below(CURL_SEEDS.len())];
        let command = mutate(&mut rng, seed.as_bytes(), CURL_SEEDS, CURL_TOKENS);
        fuzz_checks::curl_import(&command);
        imported += u64::from(
            std::str::from_utf8(&command).is_ok_and(|t| engine::requests::from_curl(t).is_ok()),
        );
        commands += 1;
    }
    eprintln!("fuzz-like: {documents} documents and {commands} curl commands ({imported} imported) in {:.2?}", started.elapsed());
    assert!(
        documents >= 500 && commands >= 500,
        "only {documents} documents and {commands} commands"
    );
    assert!(
        imported * 10 >= commands,
        "the mutations rarely make an importable command ({imported} of {commands})"
    );
}
