//! `Sandbox::start_marked`: every secret it accepts and every token it issues carries the marker,
//! the plain demo secrets are refused, and the marked tokens work on the API.

use sandbox::{
    GrantMethod, Sandbox, SandboxConfig, ADMIN_EMAIL, SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET,
};
use serde_json::Value;

const MARKER: &str = "Mk9sandboxMARK";

async fn token(sb: &Sandbox, form: &[(&str, &str)]) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/oauth/token", sb.base_url()))
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_marked_sandbox_marks_every_secret_and_token() {
    let sb = Sandbox::start_marked(SandboxConfig::default(), MARKER).await.unwrap();
    let demo = sb.demo();
    assert!(demo.clients.iter().all(|c| c.client_secret.starts_with(MARKER)), "{:?}", demo.clients);
    assert!(demo.users.iter().all(|u| u.password.starts_with(MARKER)), "{:?}", demo.users);
    assert_ne!(demo, sandbox::demo_data());

    let (status, _) = token(
        &sb,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", SERVICE_CLIENT_ID),
            ("client_secret", SERVICE_CLIENT_SECRET),
        ],
    )
    .await;
    assert_eq!(status, 401, "the unmarked secret is refused");

    let service = demo.clients.iter().find(|c| c.method == GrantMethod::ClientCredentials).unwrap();
    let (status, body) = token(
        &sb,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &service.client_id),
            ("client_secret", &service.client_secret),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().unwrap();
    assert!(access.starts_with(MARKER), "{access}");

    let password_client = demo.clients.iter().find(|c| c.method == GrantMethod::Password).unwrap();
    let admin = demo.users.iter().find(|u| u.email == ADMIN_EMAIL).unwrap();
    let (status, body) = token(
        &sb,
        &[
            ("grant_type", "password"),
            ("client_id", &password_client.client_id),
            ("client_secret", &password_client.client_secret),
            ("username", ADMIN_EMAIL),
            ("password", &admin.password),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["refresh_token"].as_str().unwrap().starts_with(MARKER));

    let me = reqwest::Client::new()
        .get(format!("{}/v1/me", sb.base_url()))
        .bearer_auth(access)
        .header("Accept", "application/vnd.api+json")
        .send()
        .await
        .unwrap();
    assert_eq!(me.status().as_u16(), 200, "a marked token works on the API");
    sb.shutdown().await;
}
