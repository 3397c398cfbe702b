//! A diagnosis card in the real window, end to end: Postman's "Password Credentials" request
//! (the password grant with a `redirect_uri`) pasted into the request tester as curl and sent to
//! the built-in sandbox, which refuses it as ScopeStack does. The card names the pitfall, its
//! details hold the raw exchange with the secrets removed, and its fix switches the token form
//! to the app's password method — which sends no callback URL and gets a token.

use e2e::AppSession;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

/// `what` in the shown request tab (hidden tabs stay in the page).
fn in_tab(what: &str) -> String {
    format!(".request-tabpanel:not([hidden]) {what}")
}

#[tokio::test]
async fn the_postman_password_pitfall_is_explained_and_fixed_in_one_click() {
    let app = AppSession::launch_with_sandbox_token("diagnosis").await.unwrap();

    let base = app
        .execute("return document.querySelector('[data-testid=sandbox-status] .status.ok').title")
        .await
        .unwrap();
    let base = base.as_str().expect("the sandbox's address").trim_end_matches('/').to_string();
    let curl = format!(
        "curl -X POST '{base}/oauth/token' -H 'Content-Type: application/x-www-form-urlencoded' \
         -d grant_type=password -d username=admin@sandbox-demo.test -d password=demo-admin-pass \
         -d client_id=sandbox-password-client -d client_secret=demo-password-secret \
         --data-urlencode redirect_uri=https://oauth.pstmn.io/v1/callback"
    );
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    app.open_curl_import(WAIT).await.unwrap();
    app.fill(&in_tab("textarea[aria-label='curl command']"), &curl, WAIT).await.unwrap();
    app.click_on(&in_tab("[data-testid=load-curl]"), WAIT).await.unwrap();
    app.wait_gone(".curl-import", WAIT).await.unwrap();
    app.click_on(&in_tab("[data-testid=send]"), WAIT).await.unwrap();
    app.wait_for_text(&in_tab("[data-testid=response] [data-testid=status-line]"), "400", WAIT)
        .await
        .unwrap();

    let card = app
        .wait_for_text(
            &in_tab("[data-testid=response] [data-testid=diagnosis]"),
            "What to do",
            WAIT,
        )
        .await
        .unwrap();
    assert!(card.contains("callback URL (redirect_uri)"), "{card}");
    let code = app
        .execute("return document.querySelector('.request-tabpanel:not([hidden]) [data-testid=response] .error-note').dataset.code")
        .await
        .unwrap();
    assert_eq!(code, "oauth.invalid_grant.redirect_uri_with_password");

    // The details: the exchange as sent and answered, without the password or the client secret.
    let details = app
        .execute("const d = document.querySelector('.request-tabpanel:not([hidden]) [data-testid=response] [data-testid=diagnosis-details]'); return [d.open, d.querySelector('pre').textContent]")
        .await
        .unwrap();
    assert_eq!(details[0], false, "the details stay closed until asked for");
    let exchange = details[1].as_str().unwrap_or_default();
    // The server's raw message may lead (the card's title is in plain words); the exchange
    // follows from its request line.
    let request_line = format!("POST {base}/oauth/token");
    assert!(
        exchange.starts_with(&request_line) || exchange.contains(&format!("\n{request_line}\n")),
        "{exchange}"
    );
    for shown in [
        "Content-Type: application/x-www-form-urlencoded",
        "grant_type=password",
        "redirect_uri=",
        "400 Bad Request",
        "invalid_grant",
    ] {
        assert!(exchange.contains(shown), "{shown} missing from:\n{exchange}");
    }
    for secret in ["demo-admin-pass", "demo-password-secret"] {
        assert!(!exchange.contains(secret), "{secret} shows in:\n{exchange}");
    }
    app.execute("const d = document.querySelector('.request-tabpanel:not([hidden]) [data-testid=response] [data-testid=diagnosis-details]'); d.open = true; d.scrollIntoView()").await.unwrap();
    app.screenshot("diagnosis-postman-pitfall").await.unwrap();

    // One click: the token form now uses the password method, which never sends a callback URL.
    // (Scrolled to first: the details opened above pushed the fix under the request line and
    // status that stay in view.)
    app.click_in_view(
        &in_tab("[data-testid=response] [data-fix=switch_to_password_without_redirect_uri]"),
        WAIT,
    )
    .await
    .unwrap();
    let deadline = Instant::now() + WAIT;
    while app
        .execute("const e = document.querySelector('input[name=method][value=password]'); return !!(e && e.checked)")
        .await
        .unwrap()
        != true
    {
        assert!(Instant::now() < deadline, "the token form did not switch to the password method");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=success]", "You're connected", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();
    // The token shown is the password method's (with a refresh token), not the client
    // credentials' one the window had before.
    app.expand("[data-testid=token-details]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=token-panel]", "With its refresh token", WAIT).await.unwrap();
    app.close().await;
}
