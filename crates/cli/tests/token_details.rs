//! `scopestack-cli token --details` against a sandbox: the server's token details (scope,
//! application, resource_owner_id, expires_in, created_at) and never the token; and `request`
//! after the token was revoked behind the CLI's back: renewed, sent again, a note on stderr.

use crate::support::*;
use std::path::Path;

#[test]
fn token_details_print_the_servers_fields_as_it_gave_them_and_no_token() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let out = with_service_account(home.path(), &sbx, "token", &["--details", "--json"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let details: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    let mut keys: Vec<&String> = details.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["application", "created_at", "expires_in", "resource_owner_id", "scope"]);
    assert_eq!(details["scope"], serde_json::json!(["read", "write"]));
    assert_eq!(details["application"], serde_json::json!({"uid": SERVICE_ID}));
    assert_eq!(details["resource_owner_id"], sandbox::ADMIN_USER_ID);
    let expires_in = details["expires_in"].as_u64().unwrap();
    assert!((7190..=7200).contains(&expires_in), "{expires_in}");
    assert!(details["created_at"].as_i64().unwrap() > 1_700_000_000);
    assert!(!stdout(&out).contains("eyJ") && !stderr(&out).contains("eyJ"), "no token printed");

    let out = with_service_account(home.path(), &sbx, "token", &["--details"]).output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("Scopes:         read write"), "{text}");
    assert!(text.contains(&format!("Client:         {SERVICE_ID}")), "{text}");
    assert!(text.contains("Time left:      7"), "{text}");
    assert!(!text.contains("eyJ"), "{text}");
}

struct RemoveProfile<'a>(&'a Path, String);

impl Drop for RemoveProfile<'_> {
    fn drop(&mut self) {
        let _ = cli(self.0).args(["profiles", "remove", &self.1]).output();
    }
}

/// A stored profile's token revoked at the server by someone else: `request` GET renews it,
/// sends again once and says so on stderr; a POST is not sent again.
#[test]
#[ignore = "needs an unlocked OS keychain: scripts/test (and scripts/with-test-services) start one"]
fn a_request_refused_with_a_token_revoked_behind_the_clis_back_is_renewed_and_sent_again() {
    let _turn = keychain_turn();
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let name = format!("Retry test {}", std::process::id());
    let out = cli(home.path())
        .args(["profiles", "add", &name, "--grant", "client-credentials"])
        .args(["--base-url", &sbx.base, "--client-id", SERVICE_ID])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let _cleanup = RemoveProfile(home.path(), name.clone());
    let out = cli(home.path())
        .args(["login", "--profile", &name, "--client-secret-env", "S", "--remember"])
        .env("S", SERVICE_SECRET)
        .output()
        .unwrap();
    assert_code(&out, 0);
    let revoke_kept_token = || {
        let out = cli(home.path()).args(["token", "--profile", &name]).output().unwrap();
        assert_code(&out, 0);
        let token = stdout(&out).trim().to_string();
        assert_eq!(sbx.me(&token).0, 200);
        sbx.runtime.block_on(async {
            let response = reqwest::Client::new()
                .post(format!("{}/oauth/revoke", sbx.base))
                .form(&[
                    ("client_id", SERVICE_ID),
                    ("client_secret", SERVICE_SECRET),
                    ("token", &token),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 200);
        });
        assert_eq!(sbx.me(&token).0, 401, "revoked at the server");
    };

    revoke_kept_token();
    let out = cli(home.path())
        .args(["request", "--profile", &name, "GET", "/v1/me", "--jq", ".data.attributes.email"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), format!("\"{}\"", sandbox::ADMIN_EMAIL));
    assert!(
        stderr(&out).contains("note: The server refused the token; renewed it and sent again."),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("200 OK"), "{}", stderr(&out));

    revoke_kept_token();
    let body = r#"{"data":{"type":"clients","attributes":{"name":"Not Twice Co"}}}"#;
    let clients = format!("{}/v1/clients", sandbox::ACCOUNT_SLUG);
    let out = cli(home.path())
        .args(["request", "--profile", &name, "POST", &clients, "--data", body])
        .output()
        .unwrap();
    assert!(stderr(&out).contains("401"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("sent again"), "{}", stderr(&out));
}
