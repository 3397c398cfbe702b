//! A profile's variables in the real window: defined in the request panel's Variables tab,
//! kept for the profile (secret-looking names refused), and filled into the address when sent.

use e2e::AppSession;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn a_variable_is_kept_and_filled_into_the_address() {
    let app = AppSession::launch_with_sandbox_token("variables").await.unwrap();
    app.click_on("[data-testid=request-panel] .tabs button:nth-child(4)", WAIT).await.unwrap();
    app.type_into("input[name=variable_name_0]", "projectId", WAIT).await.unwrap();
    app.type_into("input[name=variable_value_0]", "1211", WAIT).await.unwrap();
    app.type_into("input[name=variable_name_1]", "clientSecret", WAIT).await.unwrap();
    app.type_into("input[name=variable_value_1]", "not-a-file-thing", WAIT).await.unwrap();
    app.click_on("[data-testid=save-variables]", WAIT).await.unwrap();
    let note =
        app.wait_for_text("[data-testid=variables] .actions", "Not kept", WAIT).await.unwrap();
    assert!(note.contains("clientSecret"), "{note}");
    let kept = app.execute("return [...document.querySelectorAll('[data-testid=variables] input')].map(i => i.value)").await.unwrap();
    assert_eq!(
        kept,
        serde_json::json!(["projectId", "1211", "", ""]),
        "only the plain variable is kept"
    );

    app.type_into("input[name=request_url]", "{account-slug}/v1/projects/{projectId}", WAIT)
        .await
        .unwrap();
    app.click_on("[data-testid=send]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=status-line]", "200", WAIT).await.unwrap();
    let view = app.wait_for_text("[data-testid=jsonapi-view]", "1211", WAIT).await.unwrap();
    assert!(view.contains("projects"), "{view}");
    app.screenshot("request-variables").await.unwrap();
    app.close().await;
}
