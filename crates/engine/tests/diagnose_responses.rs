//! `diagnose_response` on raw answers: nothing for a good one; the token endpoint's answers read
//! exactly as the engine reads them; API statuses with their headers and bodies.

use engine::diagnose::{diagnose_response, Context, Fix, SettingsField};
use engine::{Grant, Secret};

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn json() -> Vec<(String, String)> {
    h(&[("Content-Type", "application/vnd.api+json")])
}

fn api(url: &str) -> Context {
    Context {
        sent_accept: Some("application/vnd.api+json".into()),
        sent_authorization: Some(true),
        ..Context::default()
    }
    .api_request("GET", url)
}

fn code(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    ctx: &Context,
) -> Option<&'static str> {
    diagnose_response(status, headers, body, ctx).map(|d| d.code)
}

#[test]
fn good_answers_need_no_diagnosis() {
    let me = br#"{"data":{"id":"1","type":"mes","attributes":{}}}"#;
    assert_eq!(code(200, &json(), me, &api("https://api.scopestack.io/v1/me")), None);
    assert_eq!(code(204, &[], b"", &api("https://api.scopestack.io/acme/v1/projects/1")), None);
    assert_eq!(code(201, &json(), me, &api("https://api.scopestack.io/acme/v1/projects")), None);
    assert_eq!(code(304, &[], b"", &api("https://api.scopestack.io/v1/me")), None);
    let token = Context::default()
        .token_request(Grant::ClientCredentials, "https://app.scopestack.io/oauth/token");
    let body =
        br#"{"access_token":"t","token_type":"Bearer","expires_in":7200,"created_at":1700000000}"#;
    assert_eq!(
        code(200, &h(&[("Content-Type", "application/json; charset=utf-8")]), body, &token),
        None
    );
    // An HTML page asked for as HTML is fine.
    let html = Context { sent_accept: Some("text/html".into()), ..Context::default() };
    assert_eq!(code(200, &h(&[("Content-Type", "text/html")]), b"<html></html>", &html), None);
}

#[test]
fn the_token_endpoints_answers_are_read_like_the_engine_reads_them() {
    let password =
        Context::default().token_request(Grant::Password, "https://app.scopestack.io/oauth/token");
    let form = h(&[("Content-Type", "application/json")]);
    let invalid_grant = br#"{"error":"invalid_grant","error_description":"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}"#;
    assert_eq!(code(400, &form, invalid_grant, &password), Some("oauth.invalid_grant.password"));
    let postman = Context { sent_redirect_uri: true, ..password.clone() };
    let d = diagnose_response(400, &form, invalid_grant, &postman).unwrap();
    assert_eq!(d.code, "oauth.invalid_grant.redirect_uri_with_password");
    assert_eq!(d.fixes[0], Fix::SwitchToPasswordWithoutRedirectUri);
    let refresh = Context::default()
        .token_request(Grant::RefreshToken, "https://app.scopestack.io/oauth/token");
    assert_eq!(
        code(400, &form, invalid_grant, &refresh),
        Some("oauth.invalid_grant.refresh_token")
    );
    assert_eq!(
        code(
            200,
            &form,
            br#"{"access_token":"t","token_type":"Bearer","expires_in":"7200"}"#,
            &password
        ),
        Some("token_response.invalid_field")
    );
    assert_eq!(
        code(
            200,
            &h(&[("Content-Type", "text/html")]),
            b"<html><title>Hotel Wi-Fi</title></html>",
            &password
        ),
        Some("token_response.html_page")
    );
    assert_eq!(
        code(302, &h(&[("Location", "https://elsewhere.test/")]), b"", &password),
        Some("token_response.redirect")
    );
    let d = diagnose_response(
        503,
        &h(&[("Content-Type", "text/html"), ("Retry-After", "120")]),
        b"<html><title>Maintenance</title>down for maintenance</html>",
        &password,
    )
    .unwrap();
    assert_eq!(d.code, "server.maintenance");
    assert!(d.fixes.contains(&Fix::RetryAfter { seconds: 120 }), "{:?}", d.fixes);
    // A token URL is recognised by its path too.
    let by_url = Context::default().api_request("POST", "https://app.scopestack.io/oauth/token");
    assert_eq!(
        code(401, &form, br#"{"error":"invalid_client"}"#, &by_url),
        Some("oauth.invalid_client")
    );
}

#[test]
fn unauthorized_is_ranked_with_what_is_known() {
    let body = br#"{"errors":[{"status":"401","title":"Unauthorized"}]}"#;
    let url = "https://api.scopestack.io/v1/me";
    assert_eq!(
        code(401, &json(), body, &Context { sent_authorization: Some(false), ..api(url) }),
        Some("api.unauthorized.no_token")
    );
    let pasted = Context {
        sent_token: Some(Secret::new(r#"{"access_token":"eyJ...","token_type":"Bearer"}"#)),
        ..api(url)
    };
    assert_eq!(code(401, &json(), body, &pasted), Some("api.unauthorized.token_is_json"));
    let quoted = Context { sent_token: Some(Secret::new("\"abc.def.ghi\"")), ..api(url) };
    assert_eq!(code(401, &json(), body, &quoted), Some("api.unauthorized.malformed_token"));
    let expired = Context { token_expired: Some(true), ..api(url) };
    assert_eq!(code(401, &json(), body, &expired), Some("api.unauthorized.expired"));
    let fresh = Context { token_expired: Some(false), token_age_secs: Some(60), ..api(url) };
    assert_eq!(code(401, &json(), body, &fresh), Some("api.unauthorized"));
    let skewed = [json(), h(&[("Date", "Sun, 06 Nov 1994 08:49:37 GMT")])].concat();
    let d = diagnose_response(401, &skewed, body, &fresh).unwrap();
    assert_eq!(d.code, "api.unauthorized.clock_skew");
    assert!(d.what_happened[0].contains("clock"), "{:?}", d.what_happened);
    // Any other answer with a skewed clock mentions it as well.
    let d = diagnose_response(403, &skewed, b"{}", &fresh).unwrap();
    assert!(d.what_happened.iter().any(|c| c.contains("clock")), "{:?}", d.what_happened);
}

#[test]
fn api_statuses_have_their_own_diagnoses() {
    let no_slug = api("https://api.scopestack.io/v1/projects?filter[active]=true");
    let d = diagnose_response(
        404,
        &json(),
        br#"{"errors":[{"title":"Resource not found"}]}"#,
        &no_slug,
    )
    .unwrap();
    assert_eq!(d.code, "api.not_found.missing_account_slug");
    assert!(
        d.what_happened[0].contains("https://api.scopestack.io/{account-slug}/v1/projects"),
        "{:?}",
        d.what_happened
    );
    // A gateway prefix in the API URL is not taken for a slug.
    let prefixed = Context {
        api_url: Some("https://gw.example/scopestack".into()),
        ..api("https://gw.example/scopestack/v1/projects")
    };
    assert_eq!(code(404, &json(), b"{}", &prefixed), Some("api.not_found.missing_account_slug"));
    assert_eq!(
        code(404, &json(), b"{}", &api("https://api.scopestack.io/acme/v1/projects/9")),
        Some("api.not_found")
    );
    assert_eq!(
        code(
            406,
            &json(),
            b"{}",
            &Context { sent_accept: None, ..api("https://api.scopestack.io/v1/me") }
        ),
        Some("api.accept_header.missing")
    );
    let write = |ct: Option<&str>| {
        Context {
            sent_content_type: ct.map(String::from),
            ..api("https://api.scopestack.io/acme/v1/projects")
        }
        .api_request("POST", "https://api.scopestack.io/acme/v1/projects")
    };
    assert_eq!(
        code(415, &json(), b"{}", &write(Some("application/json"))),
        Some("api.content_type_header.wrong")
    );
    assert_eq!(code(415, &json(), b"{}", &write(None)), Some("api.content_type_header.missing"));
    assert_eq!(code(400, &json(), b"{}", &write(None)), Some("api.content_type_header.missing"));
    let d =
        diagnose_response(403, &json(), b"{}", &write(Some("application/vnd.api+json"))).unwrap();
    assert_eq!(d.code, "api.forbidden");
    assert!(d.what_happened[0].contains("reading often works"), "{:?}", d.what_happened);

    let body = br#"{"errors":[{"detail":"can't be blank","source":{"pointer":"/data/attributes/project-name"}},{"title":"is invalid","source":{"parameter":"include"}}]}"#;
    let d =
        diagnose_response(422, &json(), body, &write(Some("application/vnd.api+json"))).unwrap();
    assert_eq!(d.code, "api.validation_failed");
    assert_eq!(d.field_errors[0].field.as_deref(), Some("project-name"));
    assert_eq!(d.field_errors[0].message, "can't be blank");
    assert_eq!(d.field_errors[1].field.as_deref(), Some("include"));
    assert!(
        d.what_happened
            .iter()
            .any(|c| c == "project-name (/data/attributes/project-name): can't be blank"),
        "{:?}",
        d.what_happened
    );
    assert_eq!(d.fixes, vec![Fix::OpenSettings { field: SettingsField::RequestBody }]);
    let json_of = serde_json::to_value(&d).unwrap();
    assert_eq!(json_of["field_errors"][0]["pointer"], "/data/attributes/project-name");

    let d = diagnose_response(
        429,
        &h(&[("Retry-After", "45")]),
        b"",
        &api("https://api.scopestack.io/v1/me"),
    )
    .unwrap();
    assert_eq!(
        (d.code, d.fixes.clone()),
        ("api.rate_limited", vec![Fix::RetryAfter { seconds: 45 }])
    );
    assert_eq!(
        code(500, &json(), b"{}", &api("https://api.scopestack.io/v1/me")),
        Some("server.error")
    );
    assert_eq!(
        code(
            502,
            &h(&[("Content-Type", "text/html")]),
            b"<html>502 Bad Gateway</html>",
            &api("https://api.scopestack.io/v1/me")
        ),
        Some("server.unavailable")
    );
    assert_eq!(
        code(409, &json(), b"{}", &api("https://api.scopestack.io/acme/v1/projects/1")),
        Some("api.conflict")
    );
    assert_eq!(
        code(418, &json(), b"{}", &api("https://api.scopestack.io/v1/me")),
        Some("api.client_error")
    );
    assert_eq!(
        code(
            301,
            &h(&[("Location", "https://api.scopestack.io/v1/me")]),
            b"",
            &api("http://api.scopestack.io/v1/me")
        ),
        Some("response.redirect")
    );
    assert_eq!(
        code(42, &[], b"", &api("https://api.scopestack.io/v1/me")),
        Some("response.unusable")
    );
}

#[test]
fn wrong_bodies_on_success_are_diagnosed() {
    let me = api("https://api.scopestack.io/v1/me");
    let d = diagnose_response(
        200,
        &h(&[("Content-Type", "text/html")]),
        b"<!DOCTYPE html><html><head><title>Guest Wi-Fi Login</title></head><body>Accept the terms</body></html>",
        &me,
    )
    .unwrap();
    assert_eq!(d.code, "response.html_page");
    assert!(
        d.what_happened[0].contains("Guest Wi-Fi Login") && d.what_happened[1].contains("network"),
        "{:?}",
        d.what_happened
    );
    assert_eq!(code(200, &json(), b"", &me), Some("response.empty_body"));
    assert_eq!(
        code(200, &h(&[("Content-Type", "application/xml")]), b"<?xml version=\"1.0\"?><a/>", &me),
        Some("response.wrong_content_type")
    );
    assert_eq!(code(200, &json(), br#"{"data":{"id":"1""#, &me), Some("response.not_json"));
    assert_eq!(code(200, &json(), &[0xff, 0x00, 0xfe], &me), Some("response.invalid_utf8"));
}

#[test]
fn details_summarise_the_exchange_without_secrets() {
    let ctx = Context::default().token_request(
        Grant::Password,
        "https://app.scopestack.io/oauth/token?client_secret=abc123",
    );
    let body = br#"{"access_token":"eyJhbGciOiJIUzUxMiJ9.eyJpc3MiOiJTY29wZVN0YWNrIn0.c2ln","token_type":"mac"}"#;
    let d =
        diagnose_response(200, &h(&[("Content-Type", "application/json")]), body, &ctx).unwrap();
    assert_eq!(d.code, "token_response.not_bearer");
    let details = d.details.unwrap();
    assert!(details.starts_with("POST https://app.scopestack.io/oauth/token?client_secret=[redacted] → 200 OK; application/json;"), "{details}");
    assert!(
        !details.contains("c2ln")
            && !details.contains("abc123")
            && details.contains("\"token_type\":\"mac\""),
        "{details}"
    );
}

#[test]
fn a_postman_password_request_sent_from_the_request_tester_is_the_postman_pitfall() {
    // What "Import curl" of Postman's "Password Credentials" request sends: the password grant
    // with a redirect_uri, to the token URL.
    let form = b"grant_type=password&username=admin%40acme.test&password=pw&client_id=c&redirect_uri=https%3A%2F%2Foauth.pstmn.io%2Fv1%2Fcallback";
    let refused = br#"{"error":"invalid_grant","error_description":"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}"#;
    let ctx = Context::default()
        .api_request("POST", "https://app.scopestack.io/oauth/token")
        .with_token_form(form);
    let d = diagnose_response(400, &json(), refused, &ctx).unwrap();
    assert_eq!(d.code, "oauth.invalid_grant.redirect_uri_with_password");
    assert!(d.fixes.contains(&Fix::SwitchToPasswordWithoutRedirectUri), "{:?}", d.fixes);
    // The same form without redirect_uri is a wrong password, not the pitfall.
    let plain = Context::default()
        .api_request("POST", "https://app.scopestack.io/oauth/token")
        .with_token_form(b"grant_type=password&username=a&password=b");
    assert_eq!(
        diagnose_response(400, &json(), refused, &plain).unwrap().code,
        "oauth.invalid_grant.password"
    );
}
