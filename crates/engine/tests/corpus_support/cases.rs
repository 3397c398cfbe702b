//! The corpus: every bad server behaviour, the operation pointed at it, and the diagnosis code
//! it must end in. `CORPUS.md` is this table in prose.

use super::case::{Case, Op, Outcome, RawRequest, Where};
use super::server::{answer, json, with_headers, Behaviour};
use engine::diagnose::Fix;

const CC: Op = Op::ClientCredentials("svc-abc");
const INVALID_GRANT: &str = r#"{"error":"invalid_grant","error_description":"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}"#;
const INVALID_CLIENT: &str = r#"{"error":"invalid_client","error_description":"Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."}"#;
const UNAUTHORIZED_401: &str = r#"{"errors":[{"status":"401","title":"Unauthorized"}]}"#;
const ME: &str = r#"{"data":{"id":"4029","type":"mes","attributes":{"name":"Avery","email":"a@x.test","account-id":864,"account-slug":"acme","privileges":[]}}}"#;
const MAINTENANCE: &str = "<!DOCTYPE html><html><head><title>Down for maintenance</title></head><body><h1>We'll be right back</h1><p>ScopeStack is undergoing scheduled maintenance.</p></body></html>";
const GATEWAY: &str =
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
const PORTAL: &str = "<html><head><title>Guest Wi-Fi</title></head><body>Welcome! Please accept the terms to use the hotspot.</body></html>";
const ERROR_PAGE: &str =
    "<html><head><title>We're sorry, but something went wrong (500)</title></head><body>We're sorry, but something went wrong.</body></html>";

fn token(extra: &str) -> String {
    format!(
        r#"{{"access_token":"eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJTY29wZVN0YWNrIn0.c2ln","token_type":"Bearer","expires_in":7200,"refresh_token":"r-1","scope":"read write","created_at":{}{extra}}}"#,
        engine::tokens::now_unix()
    )
}

fn verify(token: &'static str) -> Op {
    Op::Verify { token, age_secs: 600 }
}

fn retry_after(seconds: u64) -> fn(&Outcome) -> Result<(), String> {
    match seconds {
        30 => |o| has_fix(o, &Fix::RetryAfter { seconds: 30 }),
        _ => |o| has_fix(o, &Fix::RetryAfter { seconds: 120 }),
    }
}

fn has_fix(o: &Outcome, fix: &Fix) -> Result<(), String> {
    let d = o.raw_diagnosis.as_ref().or(o.diagnosis.as_ref()).ok_or("no diagnosis")?;
    d.fixes.contains(fix).then_some(()).ok_or_else(|| format!("{fix:?} missing from {:?}", d.fixes))
}

fn quick(o: &Outcome) -> Result<(), String> {
    (o.elapsed.as_secs_f64() < 3.0).then_some(()).ok_or_else(|| format!("took {:?}", o.elapsed))
}

fn kept(o: &Outcome) -> Result<(), String> {
    (o.vault_kept == Some(true))
        .then_some(())
        .ok_or_else(|| format!("vault kept: {:?}", o.vault_kept))
}

fn once(o: &Outcome) -> Result<(), String> {
    (o.hits == 1)
        .then_some(())
        .ok_or_else(|| format!("{} requests: a redirect was followed", o.hits))
}

/// Every case. Names are unique: each is a route of the bad server.
pub fn all(port: u16) -> Vec<Case> {
    let mut cases = token_endpoint(port);
    cases.extend(oauth_errors());
    cases.extend(transport());
    cases.extend(api(port));
    cases.extend(revocation());
    cases
}

fn token_endpoint(port: u16) -> Vec<Case> {
    let elsewhere = format!("http://localhost:{port}/redirect-301-elsewhere-sink/oauth/token");
    vec![
        Case::new("valid-token", "a valid Doorkeeper token answer", json(200, &token("")), CC, "ok"),
        Case::new(
            "extra-fields",
            "a valid token with unknown extra fields (must still work)",
            json(200, &token(r#","id_token":null,"extra":{"a":[1,2]},"x-custom":"y""#)),
            CC,
            "ok",
        ),
        Case::new(
            "lowercase-bearer",
            "token_type \"bearer\" in lower case (must still work)",
            json(200, r#"{"access_token":"t","token_type":"bearer","expires_in":60}"#),
            CC,
            "ok",
        ),
        Case::new("no-content-type", "a valid token without a Content-Type header (must still work)", answer(200, "", token("")), CC, "ok"),
        Case::new(
            "created-at-string",
            "created_at as a string (must still work)",
            json(200, r#"{"access_token":"t","token_type":"Bearer","expires_in":60,"created_at":"yesterday"}"#),
            CC,
            "ok",
        ),
        Case::new(
            "expires-in-max",
            "expires_in = 2^64-1 (must still work, no overflow)",
            json(200, r#"{"access_token":"t","token_type":"Bearer","expires_in":18446744073709551615}"#),
            CC,
            "ok",
        ),
        Case::new("status-201-token", "a valid token with 201 Created (must still work)", json(201, &token("")), CC, "ok"),
        Case::new(
            "http10-close",
            "HTTP/1.0 answer without Content-Length, ended by closing (must still work)",
            Behaviour::Raw(format!("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{}", token("")).into_bytes()),
            CC,
            "ok",
        ),
        Case::new("renew-ok", "a valid renewal: the vault takes the new token set", json(200, &token("")), Op::Renew, "ok").check(kept),
        Case::new(
            "truncated-json",
            "a token answer cut off mid-JSON",
            json(200, r#"{"access_token":"abc","token_ty"#),
            CC,
            "token_response.truncated_json",
        ),
        Case::new(
            "truncated-json-renew",
            "a renewal answered with cut-off JSON: the previous token set stays",
            json(200, r#"{"access_token":"abc","#),
            Op::Renew,
            "token_response.truncated_json",
        )
        .check(kept),
        Case::new(
            "expires-in-string",
            "expires_in as a string (\"7200\")",
            json(200, r#"{"access_token":"t","token_type":"Bearer","expires_in":"7200"}"#),
            CC,
            "token_response.invalid_field",
        ),
        Case::new(
            "expires-in-negative",
            "expires_in negative",
            json(200, r#"{"access_token":"t","token_type":"Bearer","expires_in":-60}"#),
            Op::Password,
            "token_response.invalid_field",
        ),
        Case::new(
            "expires-in-huge",
            "expires_in larger than 2^64",
            json(200, r#"{"access_token":"t","token_type":"Bearer","expires_in":99999999999999999999999}"#),
            CC,
            "token_response.invalid_field",
        ),
        Case::new(
            "expires-in-float",
            "expires_in as a float (3600.5)",
            json(200, r#"{"access_token":"t","token_type":"Bearer","expires_in":3600.5}"#),
            Op::ObtainDirect,
            "token_response.invalid_field",
        )
        .check(kept),
        Case::new(
            "access-token-number",
            "access_token as a number",
            json(200, r#"{"access_token":12345,"token_type":"Bearer"}"#),
            CC,
            "token_response.invalid_field",
        ),
        Case::new(
            "scope-array",
            "scope as an array instead of a space-separated string",
            json(200, r#"{"access_token":"t","token_type":"Bearer","scope":["read","write"]}"#),
            CC,
            "token_response.invalid_field",
        ),
        Case::new(
            "duplicate-field",
            "access_token given twice",
            json(200, r#"{"access_token":"a","access_token":"b","token_type":"Bearer"}"#),
            CC,
            "token_response.invalid_field",
        ),
        Case::new(
            "missing-access-token",
            "JSON without access_token",
            json(200, r#"{"token_type":"Bearer","expires_in":7200}"#),
            CC,
            "token_response.missing_access_token",
        ),
        Case::new(
            "empty-access-token",
            "access_token \"\"",
            json(200, r#"{"access_token":"","token_type":"Bearer","expires_in":7200}"#),
            Op::Password,
            "token_response.empty_access_token",
        ),
        Case::new(
            "blank-access-token-renew",
            "a renewal with access_token \"   \": the previous token set stays",
            json(200, r#"{"access_token":"   ","token_type":"Bearer"}"#),
            Op::Renew,
            "token_response.empty_access_token",
        )
        .check(kept),
        Case::new(
            "token-type-mac",
            "token_type \"mac\"",
            json(200, r#"{"access_token":"t","token_type":"mac","expires_in":60}"#),
            CC,
            "token_response.not_bearer",
        ),
        Case::new(
            "token-type-missing",
            "no token_type",
            json(200, r#"{"access_token":"t","expires_in":60}"#),
            CC,
            "token_response.missing_token_type",
        ),
        Case::new("json-array", "a JSON array instead of an object", json(200, "[]"), CC, "token_response.not_json"),
        Case::new("json-null", "JSON null", json(200, "null"), CC, "token_response.not_json"),
        Case::new("bom-json", "a token preceded by a byte-order mark", json(200, &format!("\u{feff}{}", token(""))), CC, "token_response.not_json"),
        Case::new(
            "html-200",
            "an HTML page with 200 (labelled text/html)",
            answer(200, "text/html; charset=utf-8", PORTAL),
            CC,
            "token_response.html_page",
        ),
        Case::new(
            "html-200-json-label",
            "an HTML page with 200, labelled application/json",
            json(200, "<html><body>Access denied by your organisation's web filter policy</body></html>"),
            Op::Password,
            "token_response.html_page",
        ),
        Case::new("html-500", "Rails' HTML error page with 500", answer(500, "text/html", ERROR_PAGE), CC, "server.error"),
        Case::new(
            "html-500-renew",
            "a renewal answered with an HTML 500 page: the previous token set stays",
            answer(500, "text/html", ERROR_PAGE),
            Op::Renew,
            "server.error",
        )
        .check(kept),
        Case::new(
            "html-403-waf",
            "a firewall's HTML page with 403",
            answer(403, "text/html", "<html><title>Blocked</title><body>Request blocked by firewall policy</body></html>"),
            CC,
            "token_response.html_page",
        ),
        Case::new("empty-200", "an empty body with 200", json(200, ""), CC, "token_response.empty_body"),
        Case::new("empty-204", "204 No Content", answer(204, "", ""), CC, "token_response.empty_body"),
        Case::new("empty-400", "an empty body with 400", json(400, ""), CC, "token_response.empty_body"),
        Case::new("empty-401", "an empty body with 401", answer(401, "", ""), Op::Password, "token_response.empty_body"),
        Case::new("empty-500", "an empty body with 500", json(500, ""), CC, "server.error"),
        Case::new(
            "text-plain-json",
            "a valid token labelled text/plain",
            answer(200, "text/plain", token("")),
            CC,
            "token_response.wrong_content_type",
        ),
        Case::new(
            "vnd-api-json-token",
            "a valid token labelled application/vnd.api+json",
            answer(200, "application/vnd.api+json", token("")),
            CC,
            "token_response.wrong_content_type",
        ),
        Case::new(
            "xml-200",
            "an application/xml answer",
            answer(200, "application/xml", "<?xml version=\"1.0\"?><token><access_token>t</access_token></token>"),
            CC,
            "token_response.not_json",
        ),
        Case::new("text-200", "plain text \"OK\" with 200", answer(200, "text/plain", "OK"), CC, "token_response.not_json"),
        Case::new(
            "invalid-utf8",
            "bytes that are not UTF-8",
            answer(200, "application/json", b"{\"access_token\":\"\xff\xfe\xfd\",\"token_type\":\"Bearer\"}".to_vec()),
            CC,
            "token_response.invalid_utf8",
        ),
        Case::new(
            "gigabyte",
            "a 1 GB body, streamed (the 1 MiB cap stops it quickly)",
            Behaviour::Gigabyte { status: 200 },
            CC,
            "token_response.too_large",
        )
        .check(|o| {
            quick(o)?;
            let sent = o.gigabyte_sent.unwrap_or(0);
            (sent < 256 << 20).then_some(()).ok_or_else(|| format!("the server sent {sent} bytes before the client stopped"))
        }),
        Case::new(
            "gigabyte-renew",
            "a renewal answered with 1 GB: stopped quickly, the previous token set stays",
            Behaviour::Gigabyte { status: 200 },
            Op::Renew,
            "token_response.too_large",
        )
        .check(|o| {
            quick(o)?;
            kept(o)
        }),
        Case::new(
            "json-api-400",
            "a JSON:API error list (the API, not a token URL) with 400",
            json(400, r#"{"errors":[{"status":"400","title":"Bad Request"}]}"#),
            CC,
            "token_response.not_json",
        ),
        Case::new(
            "not-found-html",
            "404 HTML page (wrong token URL)",
            answer(404, "text/html", "<html><body>The page you were looking for doesn't exist.</body></html>"),
            CC,
            "token_response.not_found",
        ),
        Case::new("method-not-allowed", "405 Method Not Allowed", answer(405, "text/plain", "Method Not Allowed"), CC, "token_response.not_found"),
        Case::new("status-999", "an unknown status 999 with text", answer(999, "text/plain", "weird"), CC, "token_response.unexpected_status"),
        Case::new(
            "rate-limited-token",
            "429 with Retry-After: 30 on the token URL",
            with_headers(429, "text/plain", "Too Many Requests", &[("Retry-After", "30")]),
            CC,
            "api.rate_limited",
        )
        .check(retry_after(30)),
        Case::new("maintenance-token", "503 maintenance page on the token URL", answer(503, "text/html", MAINTENANCE), CC, "server.maintenance"),
        Case::new(
            "gateway-token",
            "502 HTML from a gateway on the token URL",
            answer(502, "text/html", GATEWAY),
            Op::ObtainDirect,
            "server.unavailable",
        )
        .check(kept),
        Case::new(
            "proxy-407-http",
            "an HTTP proxy's 407 on the token URL",
            answer(407, "text/html", "<html>Proxy Authentication Required</html>"),
            CC,
            "net.proxy.auth_required",
        ),
        Case::new("redirect-loop", "302 to itself (never followed: one request only)", Behaviour::RedirectToSelf, CC, "token_response.redirect")
            .check(once),
        Case::new(
            "redirect-301-elsewhere",
            "301 to another host (never followed: the other host gets nothing)",
            with_headers(301, "text/html", "", &[("Location", &elsewhere)]),
            CC,
            "token_response.redirect",
        )
        .check(|o| {
            once(o)?;
            (o.sink_hits == 0).then_some(()).ok_or("the redirect target got the request".into())
        }),
        Case::new("gzip-token", "a gzip-compressed token (must still work)", gzipped(&token("")), CC, "ok"),
        Case::new(
            "gzip-garbage",
            "Content-Encoding: gzip over bytes that are not gzip",
            with_headers(200, "application/json", "not gzip at all", &[("Content-Encoding", "gzip")]),
            CC,
            "response.damaged",
        ),
        Case::new(
            "chunked-bad",
            "chunked encoding with a broken chunk size",
            Behaviour::Raw(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n".to_vec()),
            CC,
            "response.damaged",
        ),
        Case::new(
            "short-body",
            "Content-Length larger than the body, then close",
            Behaviour::Raw(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"access_token\":\"t\"".to_vec()),
            CC,
            "net.connection_closed",
        ),
        Case::new("not-http", "an answer that is not HTTP at all", Behaviour::Raw(b"HELLO THERE\r\n\r\n".to_vec()), CC, "net.not_http"),
        Case::new(
            "huge-header",
            "a response head larger than any client accepts",
            Behaviour::Raw(format!("HTTP/1.1 200 OK\r\nX-Big: {}\r\n\r\n", "a".repeat(600 * 1024)).into_bytes()),
            CC,
            "net.not_http",
        ),
    ]
}

fn oauth_errors() -> Vec<Case> {
    let postman = RawRequest {
        method: "POST",
        path: "/oauth/token",
        content_type: Some("application/x-www-form-urlencoded"),
        body: Some("grant_type=password&username=svc%40example.test&password=pw&client_id=c&client_secret=s&redirect_uri=https%3A%2F%2Foauth.pstmn.io%2Fv1%2Fcallback"),
        grant: Some(engine::Grant::Password),
        sent_redirect_uri: true,
        ..RawRequest::default()
    };
    vec![
        Case::new("invalid-client", "invalid_client 401", json(401, INVALID_CLIENT), CC, "oauth.invalid_client"),
        Case::new(
            "invalid-client-lookalike",
            "invalid_client 401, client ID with 0/O and l/I",
            json(401, INVALID_CLIENT),
            Op::ClientCredentials("Xy0OlI1-abc"),
            "oauth.invalid_client.lookalike_characters",
        ),
        Case::new(
            "invalid-client-foreign",
            "invalid_client 401, client ID with a Cyrillic О",
            json(401, INVALID_CLIENT),
            Op::ClientCredentials("abcО123"),
            "oauth.invalid_client.unusual_characters",
        ),
        Case::new(
            "invalid-client-space",
            "invalid_client 401, client ID with a space inside",
            json(401, INVALID_CLIENT),
            Op::ClientCredentials("abc 123"),
            "oauth.invalid_client.whitespace",
        ),
        Case::new("invalid-client-200", "invalid_client sent with 200", json(200, INVALID_CLIENT), CC, "oauth.invalid_client"),
        Case::new(
            "invalid-grant-password",
            "invalid_grant for the password grant (wrong password, deactivated, invitation not accepted)",
            json(400, INVALID_GRANT),
            Op::Password,
            "oauth.invalid_grant.password",
        ),
        Case::new(
            "invalid-grant-postman",
            "invalid_grant for a password grant sent with redirect_uri (Postman's \"Password Credentials\")",
            json(400, INVALID_GRANT),
            Op::Raw(postman),
            "oauth.invalid_grant.redirect_uri_with_password",
        )
        .check(|o| has_fix(o, &Fix::SwitchToPasswordWithoutRedirectUri)),
        Case::new(
            "invalid-grant-code",
            "invalid_grant for a code exchange (expired or reused code, callback mismatch)",
            json(400, INVALID_GRANT),
            Op::ExchangeCode,
            "oauth.invalid_grant.authorization_code",
        )
        .check(|o| has_fix(o, &Fix::CopyCallbackUrl { url: "http://127.0.0.1:8765/callback".into() })),
        Case::new(
            "invalid-grant-refresh",
            "invalid_grant for a renewal (refresh token expired or revoked): the previous token set stays",
            json(400, INVALID_GRANT),
            Op::Renew,
            "token.refresh_token_expired",
        )
        .check(kept),
        Case::new("invalid-grant-cc", "invalid_grant for client credentials", json(400, INVALID_GRANT), CC, "oauth.invalid_grant.client_credentials"),
        Case::new(
            "unauthorized-client",
            "unauthorized_client",
            json(
                400,
                r#"{"error":"unauthorized_client","error_description":"The client is not authorized to perform this request using this method."}"#,
            ),
            CC,
            "oauth.unauthorized_client",
        ),
        Case::new(
            "unsupported-grant-type",
            "unsupported_grant_type",
            json(
                400,
                r#"{"error":"unsupported_grant_type","error_description":"The authorization grant type is not supported by the authorization server."}"#,
            ),
            Op::Password,
            "oauth.unsupported_grant_type",
        ),
        Case::new(
            "invalid-scope",
            "invalid_scope",
            json(400, r#"{"error":"invalid_scope","error_description":"The requested scope is invalid, unknown, or malformed."}"#),
            CC,
            "oauth.invalid_scope",
        ),
        Case::new(
            "invalid-request",
            "invalid_request",
            json(400, r#"{"error":"invalid_request","error_description":"The request is missing a required parameter."}"#),
            CC,
            "oauth.invalid_request",
        ),
        Case::new(
            "access-denied",
            "access_denied",
            json(401, r#"{"error":"access_denied","error_description":"The resource owner or authorization server denied the request."}"#),
            Op::Password,
            "oauth.access_denied",
        ),
        Case::new("server-error-json", "server_error as an OAuth error with 500", json(500, r#"{"error":"server_error"}"#), CC, "oauth.server_error"),
        Case::new("unknown-oauth-error", "an OAuth error code no standard knows", json(400, r#"{"error":"slow_down"}"#), CC, "oauth.other"),
    ]
}

fn transport() -> Vec<Case> {
    vec![
        Case::new(
            "never-answers",
            "accepts, reads the request, never writes",
            Behaviour::Silent,
            CC,
            "net.timeout.no_answer",
        ),
        Case::new(
            "never-answers-renew",
            "a renewal that never gets an answer: the previous token set stays",
            Behaviour::Silent,
            Op::Renew,
            "net.timeout.no_answer",
        )
        .check(kept),
        Case::new(
            "stalls-mid-body",
            "sends the head and part of the body, then stalls",
            Behaviour::StallMidBody,
            CC,
            "net.timeout.stalled",
        ),
        Case::new(
            "closes-mid-headers",
            "closes the connection in the middle of the headers",
            Behaviour::CloseMidHeaders,
            CC,
            "net.connection_closed",
        ),
        Case::new(
            "reset",
            "resets the connection (RST)",
            Behaviour::Reset,
            Op::Password,
            "net.connection_reset",
        ),
        Case::at(
            "tls-garbage",
            "an https:// URL to a server that writes garbage",
            Where::GarbageTls,
            CC,
            "net.tls.not_tls",
        ),
        Case::at(
            "https-to-http",
            "an https:// URL to a port speaking plain HTTP",
            Where::HttpsToHttpPort,
            CC,
            "net.tls.not_tls",
        ),
        Case::at(
            "self-signed",
            "a TLS server with a self-signed certificate",
            Where::SelfSigned,
            CC,
            "net.tls.untrusted_certificate",
        ),
        Case::at(
            "expired-cert",
            "a TLS server whose certificate expired in 2001",
            Where::Expired,
            CC,
            "net.tls.certificate_date",
        ),
        Case::at(
            "refused",
            "connection refused (nothing listening)",
            Where::Refused,
            CC,
            "net.connection_refused",
        )
        .check(quick),
        Case::at(
            "refused-renew",
            "a renewal with the connection refused: the previous token set stays",
            Where::Refused,
            Op::Renew,
            "net.connection_refused",
        )
        .check(kept),
        Case::at("dns", "a host name that does not exist", Where::Dns, CC, "net.dns"),
        Case::at(
            "proxy-403",
            "a proxy that refuses the tunnel (403)",
            Where::Proxy(403),
            CC,
            "net.proxy",
        ),
        Case::at(
            "proxy-407",
            "a proxy that wants a sign-in (407)",
            Where::Proxy(407),
            CC,
            "net.proxy.auth_required",
        ),
    ]
}

fn api(_port: u16) -> Vec<Case> {
    let in_two_minutes = http_date(engine::tokens::now_unix() + 120);
    let post = |path: &'static str, content_type: Option<&'static str>| RawRequest {
        method: "POST",
        path,
        accept: Some("application/vnd.api+json"),
        content_type,
        token: Some("a-token"),
        body: Some(r#"{"data":{"type":"projects","attributes":{"project-name":""}}}"#),
        ..RawRequest::default()
    };
    let unauthorized = || json(401, UNAUTHORIZED_401);
    vec![
        Case::new("me-ok", "a valid /v1/me", answer(200, "application/vnd.api+json", ME), verify("a-token"), "ok").raw(RawRequest::get("/v1/me"), "ok"),
        Case::new("api-401", "401 JSON:API, fresh token", unauthorized(), verify("a-token"), "api.unauthorized").raw(RawRequest::get("/v1/me"), "api.unauthorized"),
        Case::new("api-401-old-token", "401 with a token three hours old", unauthorized(), Op::Verify { token: "a-token", age_secs: 10_800 }, "api.unauthorized.expired")
            .raw(RawRequest { token_age_secs: Some(10_800), ..RawRequest::get("/v1/me") }, "api.unauthorized.expired"),
        Case::new("api-401-challenge-expired", "401 with WWW-Authenticate: error=\"invalid_token\", \"The access token expired\"", with_headers(401, "application/vnd.api+json", UNAUTHORIZED_401, &[("WWW-Authenticate", r#"Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token expired""#)]), verify("a-token"), "api.unauthorized.expired")
            .raw(RawRequest::get("/v1/me"), "api.unauthorized.expired"),
        Case::new("api-401-revoked", "401 with WWW-Authenticate \"The access token was revoked\"", with_headers(401, "application/vnd.api+json", UNAUTHORIZED_401, &[("WWW-Authenticate", r#"Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token was revoked""#)]), verify("a-token"), "api.unauthorized.revoked")
            .raw(RawRequest::get("/v1/me"), "api.unauthorized.revoked"),
        Case::new("api-401-clock", "401 with a Date header hours away from this computer's clock", with_headers(401, "application/vnd.api+json", UNAUTHORIZED_401, &[("Date", "Mon, 01 Jan 2001 00:00:00 GMT")]), verify("a-token"), "api.unauthorized.clock_skew")
            .raw(RawRequest::get("/v1/me"), "api.unauthorized.clock_skew"),
        Case::new("api-401-json-token", "401 for a token that is the whole token JSON pasted", unauthorized(), verify(r#"{"access_token":"abc","token_type":"Bearer"}"#), "api.unauthorized.token_is_json"),
        Case::new("api-401-no-header", "401 for a request without Authorization", unauthorized(), Op::Raw(RawRequest { token: None, ..RawRequest::get("/acme/v1/projects") }), "api.unauthorized.no_token"),
        Case::new("api-401-bearer-bearer", "401 for \"Bearer Bearer …\"", unauthorized(), verify("Bearer abc.def.ghi"), "api.unauthorized.malformed_token"),
        Case::new("api-401-html", "401 as an HTML page from a proxy", answer(401, "text/html", "<html><title>Authentication required</title></html>"), verify("a-token"), "api.unauthorized"),
        Case::new("api-403", "403 JSON:API", json(403, r#"{"errors":[{"status":"403","title":"Forbidden"}]}"#), verify("a-token"), "api.forbidden")
            .raw(post("/acme/v1/projects", Some("application/vnd.api+json")), "api.forbidden"),
        Case::new("api-403-scope", "403 with WWW-Authenticate insufficient_scope", with_headers(403, "application/vnd.api+json", "{}", &[("WWW-Authenticate", r#"Bearer error="insufficient_scope""#)]), verify("a-token"), "api.forbidden.scope")
            .raw(RawRequest::get("/acme/v1/projects"), "api.forbidden.scope"),
        Case::new("api-404-me", "404 for /v1/me (wrong API URL)", json(404, r#"{"errors":[{"status":"404","title":"Resource not found"}]}"#), verify("a-token"), "api.not_found.wrong_api_url")
            .raw(RawRequest::get("/v1/projects"), "api.not_found.missing_account_slug"),
        Case::new("api-404-record", "404 for a record under the account slug", json(404, r#"{"errors":[{"status":"404","title":"Resource not found"}]}"#), Op::Raw(RawRequest::get("/acme/v1/projects/999")), "api.not_found"),
        Case::new("api-406", "406 Not Acceptable", json(406, r#"{"errors":[{"status":"406","title":"Not acceptable"}]}"#), verify("a-token"), "api.accept_header.missing")
            .raw(RawRequest { accept: Some("application/json"), ..RawRequest::get("/v1/me") }, "api.accept_header.wrong"),
        Case::new("api-406-no-accept", "406 for a request without Accept", json(406, r#"{"errors":[{"status":"406","title":"Not acceptable"}]}"#), Op::Raw(RawRequest { accept: None, ..RawRequest::get("/acme/v1/projects") }), "api.accept_header.missing")
            .check(|o| has_fix(o, &Fix::AddAcceptHeader)),
        Case::new("api-415", "415 Unsupported Media Type for a POST labelled text/plain", json(415, r#"{"errors":[{"status":"415","title":"Unsupported media type"}]}"#), Op::Raw(post("/acme/v1/projects", Some("text/plain"))), "api.content_type_header.wrong")
            .check(|o| has_fix(o, &Fix::AddContentTypeHeader)),
        Case::new("api-400-no-content-type", "400 for a POST without Content-Type", json(400, r#"{"errors":[{"status":"400","title":"Bad Request"}]}"#), Op::Raw(post("/acme/v1/projects", None)), "api.content_type_header.missing"),
        Case::new("api-400-filter", "400 for a GET with a bad filter", json(400, r#"{"errors":[{"status":"400","title":"Invalid filter","detail":"filter[nope] is not allowed"}]}"#), Op::Raw(RawRequest::get("/acme/v1/projects?filter[nope]=1")), "api.bad_request"),
        Case::new("api-409", "409 Conflict", json(409, r#"{"errors":[{"status":"409","title":"Conflict"}]}"#), Op::Raw(post("/acme/v1/projects", Some("application/vnd.api+json"))), "api.conflict"),
        Case::new("api-405", "405 Method Not Allowed from the API", json(405, "{}"), Op::Raw(RawRequest { method: "DELETE", ..RawRequest::get("/acme/v1/me") }), "api.method_not_allowed"),
        Case::new("api-422", "422 with source.pointer for each field", json(422, r#"{"errors":[{"status":"422","title":"Invalid","detail":"project-name - can't be blank","source":{"pointer":"/data/attributes/project-name"}},{"status":"422","title":"must exist","source":{"pointer":"/data/relationships/client"}}]}"#), verify("a-token"), "api.validation_failed")
            .raw(post("/acme/v1/projects", Some("application/vnd.api+json")), "api.validation_failed")
            .check(|o| {
                let d = o.raw_diagnosis.as_ref().ok_or("no raw diagnosis")?;
                let fields: Vec<_> = d.field_errors.iter().map(|f| (f.field.clone().unwrap_or_default(), f.pointer.clone().unwrap_or_default())).collect();
                (fields == [("project-name".to_string(), "/data/attributes/project-name".to_string()), ("client".to_string(), "/data/relationships/client".to_string())])
                    .then_some(())
                    .ok_or_else(|| format!("field errors: {fields:?}"))
            }),
        Case::new("api-429", "429 with Retry-After: 30", with_headers(429, "application/vnd.api+json", r#"{"errors":[{"status":"429","title":"Too many requests"}]}"#, &[("Retry-After", "30")]), verify("a-token"), "api.rate_limited")
            .raw(RawRequest::get("/v1/me"), "api.rate_limited")
            .check(retry_after(30)),
        Case::new("api-429-date", "429 with Retry-After as a date two minutes ahead", with_headers(429, "application/vnd.api+json", "{}", &[("Retry-After", &in_two_minutes)]), Op::Raw(RawRequest::get("/acme/v1/projects")), "api.rate_limited").check(|o| {
            let d = o.diagnosis.as_ref().ok_or("no diagnosis")?;
            match d.fixes.iter().find_map(|f| if let Fix::RetryAfter { seconds } = f { Some(*seconds) } else { None }) {
                Some(s) if (100..=121).contains(&s) => Ok(()),
                other => Err(format!("RetryAfter: {other:?}")),
            }
        }),
        Case::new("api-500", "500 JSON:API", json(500, r#"{"errors":[{"status":"500","title":"Internal Server Error"}]}"#), verify("a-token"), "server.error").raw(RawRequest::get("/v1/me"), "server.error"),
        Case::new("api-502", "502 HTML from a gateway", answer(502, "text/html", GATEWAY), verify("a-token"), "server.unavailable").raw(RawRequest::get("/v1/me"), "server.unavailable"),
        Case::new("api-503-maintenance", "503 HTML maintenance page", answer(503, "text/html", MAINTENANCE), verify("a-token"), "server.maintenance").raw(RawRequest::get("/v1/me"), "server.maintenance"),
        Case::new("api-504", "504 Gateway Timeout", answer(504, "text/plain", "Gateway Timeout"), verify("a-token"), "server.unavailable"),
        Case::new("api-200-portal", "200 HTML captive portal where JSON was expected", answer(200, "text/html", PORTAL), verify("a-token"), "response.html_page").raw(RawRequest::get("/v1/me"), "response.html_page"),
        Case::new("api-200-empty", "200 with an empty body", answer(200, "application/vnd.api+json", ""), verify("a-token"), "response.not_json").raw(RawRequest::get("/v1/me"), "response.empty_body"),
        Case::new("api-200-xml", "200 application/xml", answer(200, "application/xml", "<?xml version=\"1.0\"?><me/>"), verify("a-token"), "response.not_json").raw(RawRequest::get("/v1/me"), "response.wrong_content_type"),
        Case::new("api-200-no-data", "200 JSON without data.attributes", answer(200, "application/vnd.api+json", r#"{"meta":{}}"#), verify("a-token"), "response.unusable"),
        Case::new("api-200-truncated", "200 JSON:API cut off", answer(200, "application/vnd.api+json", r#"{"data":{"id":"1","#), Op::Raw(RawRequest::get("/v1/me")), "response.not_json"),
        Case::new("api-200-bad-utf8", "200 with bytes that are not UTF-8", answer(200, "application/vnd.api+json", b"\xff\xfe{}".to_vec()), Op::Raw(RawRequest::get("/v1/me")), "response.invalid_utf8"),
        Case::new("api-302", "302 from the API to a sign-in page", with_headers(302, "text/html", "", &[("Location", "https://app.example.test/sign_in")]), verify("a-token"), "response.redirect")
            .raw(RawRequest::get("/v1/me"), "response.redirect"),
        Case::new("api-407", "407 from an HTTP proxy", answer(407, "text/html", "<html>Proxy Authentication Required</html>"), verify("a-token"), "net.proxy.auth_required"),
        Case::new("api-reset", "the API resets the connection", Behaviour::Reset, verify("a-token"), "net.connection_reset"),
        Case::new("api-never-answers", "the API never answers", Behaviour::Silent, verify("a-token"), "net.timeout.no_answer"),
    ]
}

fn revocation() -> Vec<Case> {
    vec![
        Case::new("revoke-ok", "revocation answered 200", json(200, "{}"), Op::Revoke, "revoked"),
        Case::new(
            "revoke-404",
            "no revocation endpoint (404)",
            answer(404, "text/html", "<html>Not Found</html>"),
            Op::Revoke,
            "not_supported",
        ),
        Case::new(
            "revoke-invalid-client",
            "revocation refused: invalid_client 401",
            json(401, INVALID_CLIENT),
            Op::Revoke,
            "oauth.revoke.invalid_client",
        ),
        Case::new(
            "revoke-unsupported",
            "revocation refused: unsupported_token_type",
            json(400, r#"{"error":"unsupported_token_type"}"#),
            Op::Revoke,
            "oauth.revoke.refused",
        ),
        Case::new(
            "revoke-500-html",
            "revocation answered with an HTML 500 page",
            answer(500, "text/html", ERROR_PAGE),
            Op::Revoke,
            "server.error",
        ),
        Case::new(
            "revoke-503",
            "revocation answered 503 maintenance",
            answer(503, "text/html", MAINTENANCE),
            Op::Revoke,
            "server.maintenance",
        ),
        Case::new(
            "revoke-302",
            "revocation answered with a redirect",
            with_headers(302, "text/html", "", &[("Location", "https://elsewhere.example.test/")]),
            Op::Revoke,
            "response.redirect",
        ),
        Case::new(
            "revoke-gigabyte",
            "revocation answered 400 with 1 GB (stopped quickly)",
            Behaviour::Gigabyte { status: 400 },
            Op::Revoke,
            "response.unusable",
        )
        .check(quick),
        Case::new(
            "revoke-reset",
            "revocation with the connection reset",
            Behaviour::Reset,
            Op::Revoke,
            "net.connection_reset",
        ),
        Case::new(
            "revoke-never-answers",
            "revocation never answered",
            Behaviour::Silent,
            Op::Revoke,
            "net.timeout.no_answer",
        ),
    ]
}

fn gzipped(body: &str) -> Behaviour {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body.as_bytes()).unwrap();
    let headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        ("Content-Encoding".to_string(), "gzip".to_string()),
    ];
    Behaviour::Answer { status: 200, headers, body: gz.finish().unwrap() }
}

/// An IMF-fixdate (`Tue, 03 Mar 2026 10:00:00 GMT`) for unix seconds.
fn http_date(unix: i64) -> String {
    httpdate::fmt_http_date(
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(u64::try_from(unix).unwrap_or(0)),
    )
}
