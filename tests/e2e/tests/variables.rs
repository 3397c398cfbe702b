//! A profile's variables in the real window: defined in the request panel's Variables tab,
//! kept for the profile (secret-looking names refused), and filled into the address when sent.

use e2e::AppSession;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// `what` in the shown request tab (hidden tabs stay in the page).
fn in_tab(what: &str) -> String {
    format!(".request-tabpanel:not([hidden]) {what}")
}

#[tokio::test]
async fn a_variable_is_kept_and_filled_into_the_address() {
    let app = AppSession::launch_with_sandbox_token("variables").await.unwrap();
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    app.click_on(&in_tab(".request-editor [role=tab][id$='-tab-variables']"), WAIT).await.unwrap();
    app.type_into(&in_tab("input[name=variable_name_0]"), "projectId", WAIT).await.unwrap();
    app.type_into(&in_tab("input[name=variable_value_0]"), "1211", WAIT).await.unwrap();
    app.type_into(&in_tab("input[name=variable_name_1]"), "clientSecret", WAIT).await.unwrap();
    app.type_into(&in_tab("input[name=variable_value_1]"), "not-a-file-thing", WAIT).await.unwrap();
    app.click_on(&in_tab("[data-testid=save-variables]"), WAIT).await.unwrap();
    let note = app
        .wait_for_text(&in_tab("[data-testid=variables] .actions"), "Not kept", WAIT)
        .await
        .unwrap();
    assert!(note.contains("clientSecret"), "{note}");
    let kept = app
        .execute(&format!(
            "return [...document.querySelectorAll({:?})].map(i => i.value)",
            in_tab("[data-testid=variables] input")
        ))
        .await
        .unwrap();
    assert_eq!(
        kept,
        serde_json::json!(["projectId", "1211", "", ""]),
        "only the plain variable is kept"
    );

    app.fill(&in_tab("input[name=request_url]"), "{account-slug}/v1/projects/{projectId}", WAIT)
        .await
        .unwrap();
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    app.wait_for_text(&in_tab("[data-testid=response] [data-testid=status-line]"), "200", WAIT)
        .await
        .unwrap();
    // (The table's cells are cut with an ellipsis, which WebDriver reads as no text.)
    let view =
        app.wait_for_content(&in_tab("[data-testid=jsonapi-view]"), "1211", WAIT).await.unwrap();
    assert!(view.contains("projects"), "{view}");
    app.screenshot("request-variables").await.unwrap();
    app.close().await;
}
