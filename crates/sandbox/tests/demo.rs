//! `demo_data()` and the exported constants.

use sandbox::*;
use serde_json::{json, Value};

#[test]
fn demo_data_serialises_to_the_documented_shape() {
    let value = serde_json::to_value(demo_data()).unwrap();
    let expected = json!({
        "account_slug": "sandbox-demo",
        "account_id": 1001,
        "account_name": "Sandbox Demo Co",
        "clients": [
            {"name": "Browser login (demo)", "method": "authorization_code", "client_id": "sandbox-browser-login",
             "client_secret": "demo-browser-secret", "redirect_uris": ["http://127.0.0.1:8765/callback"]},
            {"name": "Service account (demo)", "method": "client_credentials", "client_id": "sandbox-service-account",
             "client_secret": "demo-service-secret", "redirect_uris": []},
            {"name": "Account-level client (demo)", "method": "password", "client_id": "sandbox-password-client",
             "client_secret": "demo-password-secret", "redirect_uris": []},
            {"name": "Postman-registered client (demo)", "method": "authorization_code", "client_id": "sandbox-postman-client",
             "client_secret": "demo-postman-secret", "redirect_uris": ["https://oauth.pstmn.io/v1/callback"]},
        ],
        "users": [
            {"email": "admin@sandbox-demo.test", "password": "demo-admin-pass", "role": "admin"},
            {"email": "readonly@sandbox-demo.test", "password": "demo-readonly-pass", "role": "read-only"},
            {"email": "deactivated@sandbox-demo.test", "password": "demo-deactivated-pass", "role": "deactivated"},
            {"email": "mfa@sandbox-demo.test", "password": "demo-mfa-pass", "role": "mfa", "one_time_code": "246810"},
        ],
    });
    assert_eq!(value, expected);
}

#[test]
fn demo_data_round_trips_and_matches_the_constants() {
    let data = demo_data();
    let text = serde_json::to_string(&data).unwrap();
    let back: DemoData = serde_json::from_str(&text).unwrap();
    assert_eq!(back, data);
    assert_eq!(data.account_slug, ACCOUNT_SLUG);
    assert_eq!(data.account_id, ACCOUNT_ID);
    assert_eq!(data.account_name, ACCOUNT_NAME);
    let ids: Vec<&str> = data.clients.iter().map(|c| c.client_id.as_str()).collect();
    assert_eq!(ids, [BROWSER_CLIENT_ID, SERVICE_CLIENT_ID, PASSWORD_CLIENT_ID, POSTMAN_CLIENT_ID]);
    let mfa = data.users.iter().find(|u| u.role == Role::Mfa).unwrap();
    assert_eq!(mfa.one_time_code.as_deref(), Some(MFA_ONE_TIME_CODE));
    assert!(data.users.iter().filter(|u| u.one_time_code.is_some()).count() == 1);
    let raw: Value = serde_json::from_str(&text).unwrap();
    assert!(raw["users"][0].get("one_time_code").is_none(), "omitted, not null");
}
