//! The request tester in the real window, against the built-in sandbox: send
//! `GET {account-slug}/v1/projects`, read it as JSON:API, follow "next", filter with jq, look at
//! the pretty body, and find the request in the history.

use e2e::AppSession;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// `what` in the shown request tab (hidden tabs stay in the page).
fn in_tab(what: &str) -> String {
    format!(".request-tabpanel:not([hidden]) {what}")
}

/// The value of the shown tab's address field.
async fn url_in_tab(app: &AppSession) -> serde_json::Value {
    let field = in_tab("input[name=request_url]");
    app.wait_for(&field, WAIT).await.unwrap();
    app.execute(&format!("return document.querySelector({field:?}).value")).await.unwrap()
}

/// Waits for the shown tab's answer (not an opened history entry's past one) to read `status`.
async fn answered(app: &AppSession, status: &str) {
    app.wait_for_text(&in_tab("[data-testid=response] [data-testid=status-line]"), status, WAIT)
        .await
        .unwrap();
}

#[tokio::test]
async fn send_page_through_and_filter_projects() {
    let app = AppSession::launch_with_sandbox_token("requests").await.unwrap();
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();

    let url = url_in_tab(&app).await;
    assert_eq!(url, "{{account-slug}}/v1/projects?include=client");
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    answered(&app, "200").await;
    // (The table's cells are cut with an ellipsis, which WebDriver reads as no text.)
    let table = app
        .wait_for_content(&in_tab("[data-testid=jsonapi-view]"), "projects", WAIT)
        .await
        .unwrap();
    let meta =
        app.wait_for_text(&in_tab("[data-testid=jsonapi-meta]"), "25 records", WAIT).await.unwrap();
    assert!(meta.contains("25 records"), "meta shown: {meta}");
    assert!(table.contains("client:"), "included clients resolved under each project: {table}");
    app.execute(&format!(
        "document.querySelector({:?}).scrollIntoView()",
        in_tab("[data-testid=response]")
    ))
    .await
    .unwrap();
    app.screenshot("request-jsonapi").await.unwrap();

    app.click_in_view(&in_tab("[data-testid=link-next]"), WAIT).await.unwrap();
    app.wait_for_content(&in_tab("[data-testid=jsonapi-view]"), "1211", WAIT).await.unwrap();
    let url = url_in_tab(&app).await;
    assert!(
        url.as_str().unwrap_or_default().contains("page%5Bnumber%5D=2")
            || url.as_str().unwrap_or_default().contains("page[number]=2"),
        "{url}"
    );

    app.fill(&in_tab("input[name=jq_filter]"), ".data | length", WAIT).await.unwrap();
    app.click_in_view(&in_tab("[data-testid=run-jq]"), WAIT).await.unwrap();
    app.wait_for_text(&in_tab("[data-testid=jq-output]"), "10", WAIT).await.unwrap();

    app.click_in_view(&in_tab("[data-testid=response] [role=tab][id$='-tab-body']"), WAIT)
        .await
        .unwrap();
    // The body view draws only the lines near its view; each record's type is on its first lines.
    app.wait_for_text(&in_tab("[data-testid=response-body]"), "\"projects\"", WAIT).await.unwrap();
    app.screenshot("request-body").await.unwrap();

    // Without the JSON:API Accept header ScopeStack answers 406; the diagnosis offers the fix.
    app.click_in_view(&in_tab(".request-editor [role=tab][id$='-tab-headers']"), WAIT)
        .await
        .unwrap();
    app.click_in_view(&in_tab(".request-editor .kv input[type=checkbox]"), WAIT).await.unwrap();
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    answered(&app, "406").await;
    let card = app
        .wait_for_text(
            &in_tab("[data-testid=response] [data-testid=diagnosis]"),
            "What to do",
            WAIT,
        )
        .await
        .unwrap();
    assert!(card.contains("application/vnd.api+json"), "{card}");
    app.screenshot("request-diagnosis-406").await.unwrap();
    app.click_in_view(&in_tab("[data-testid=response] .diagnosis .actions button"), WAIT)
        .await
        .unwrap();
    answered(&app, "200").await;

    app.wait_for_count("[data-testid=history] .history-item", 4, WAIT).await.unwrap();
    let history = app.wait_for_content("[data-testid=history]", "v1/projects", WAIT).await.unwrap();
    assert!(history.contains("v1/projects"), "{history}");
    app.close().await;
}
