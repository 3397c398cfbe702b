//! The request tester in the real window, against the built-in sandbox: send
//! `GET {account-slug}/v1/projects`, read it as JSON:API, follow "next", filter with jq, look at
//! the pretty body, and find the request in the history.

use e2e::AppSession;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn send_page_through_and_filter_projects() {
    let app = AppSession::launch_with_sandbox_token("requests").await.unwrap();

    let url = app
        .execute("return document.querySelector('input[name=request_url]').value")
        .await
        .unwrap();
    assert_eq!(url, "{account-slug}/v1/projects?include=client");
    app.click_on("[data-testid=send]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=status-line]", "200", WAIT).await.unwrap();
    let table = app.wait_for_text("[data-testid=jsonapi-view]", "projects", WAIT).await.unwrap();
    assert!(table.contains("record-count: 25"), "meta shown: {table}");
    assert!(table.contains("client:"), "included clients resolved under each project: {table}");
    app.execute("document.querySelector('[data-testid=response]').scrollIntoView()").await.unwrap();
    app.screenshot("request-jsonapi").await.unwrap();

    app.click_on("[data-testid=link-next]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=jsonapi-view]", "1211", WAIT).await.unwrap();
    let url = app
        .execute("return document.querySelector('input[name=request_url]').value")
        .await
        .unwrap();
    assert!(
        url.as_str().unwrap_or_default().contains("page%5Bnumber%5D=2")
            || url.as_str().unwrap_or_default().contains("page[number]=2"),
        "{url}"
    );

    app.type_into("input[name=jq_filter]", ".data | length", WAIT).await.unwrap();
    app.click_on("[data-testid=run-jq]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=jq-output]", "10", WAIT).await.unwrap();

    app.click_on("[data-testid=response] .tabs button:nth-child(2)", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=response-body]", "\"project-name\"", WAIT).await.unwrap();
    app.screenshot("request-body").await.unwrap();

    // Without the JSON:API Accept header ScopeStack answers 406; the diagnosis offers the fix.
    app.click_on("[data-testid=request-panel] .tabs button:nth-child(2)", WAIT).await.unwrap();
    app.click_on("[data-testid=request-panel] .kv input[type=checkbox]", WAIT).await.unwrap();
    app.click_on("[data-testid=send]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=status-line]", "406", WAIT).await.unwrap();
    let card = app
        .wait_for_text("[data-testid=response] [data-testid=diagnosis]", "What to do", WAIT)
        .await
        .unwrap();
    assert!(card.contains("application/vnd.api+json"), "{card}");
    app.screenshot("request-diagnosis-406").await.unwrap();
    app.click_on("[data-testid=response] .diagnosis .actions button", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=status-line]", "200", WAIT).await.unwrap();

    let history = app.wait_for_text("details.history", "Recent requests (4)", WAIT).await.unwrap();
    assert!(history.contains("v1/projects"), "{history}");
    app.close().await;
}
