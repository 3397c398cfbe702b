//! The window as a daily workspace: the way to a token by keyboard alone and in a few clicks,
//! saved requests, tabs and history by keyboard shortcuts, the request line and status that stay
//! in view while an answer scrolls, and axe-core over every view in both themes.

use e2e::{AppSession, Key};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

async fn launch(name: &str, env: &[(&str, &str)]) -> AppSession {
    let home = e2e::fresh_home(name).unwrap();
    AppSession::launch_with(&home, env).await.expect("launch the app over WebDriver")
}

/// Waits (up to 5 s) until the focus is on `testid`.
async fn wait_for_focus(app: &AppSession, testid: &str) {
    for _ in 0..50 {
        if app.focused().await.unwrap()["testid"] == testid {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the focus never reached {testid}: it is on {}", app.focused().await.unwrap());
}

/// Presses Tab until the focus is on `testid` (at most `limit` presses).
async fn tab_to(app: &AppSession, testid: &str, limit: usize) {
    for _ in 0..limit {
        let focused = app.focused().await.unwrap();
        if focused["testid"] == testid {
            return;
        }
        app.press(&[Key::Tab]).await.unwrap();
    }
    let focused = app.focused().await.unwrap();
    assert_eq!(focused["testid"], testid, "Tab did not reach {testid} in {limit} presses");
}

#[tokio::test]
async fn from_launch_to_a_verified_token_by_keyboard_then_save_open_send_and_find_in_history() {
    let app = launch("keyboard", &[]).await;
    app.wait_for("[data-testid=get-token]", WAIT).await.unwrap();
    // Real key events from the launch on: the focus starts on the method choice.
    for _ in 0..50 {
        if app.focused().await.unwrap()["name"] == "method" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.focused().await.unwrap()["name"],
        "method",
        "the focus starts on the method choice"
    );
    tab_to(&app, "fill-demo", 6).await;
    app.press(&[Key::Enter]).await.unwrap();
    // Filled in: the app moves the focus to the one button left to press.
    wait_for_focus(&app, "get-token").await;
    app.press(&[Key::Enter]).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=connection-bar]", "Avery Admin · sandbox-demo", WAIT)
        .await
        .unwrap();
    let presses = app.key_press_count();
    eprintln!("from launch to a verified token: {presses} key presses");
    assert!(presses <= 10, "{presses} key presses from launch to a verified token (at most 10)");
    assert_eq!(app.click_count(), 0, "no clicks");

    // Connected: Copy token has the focus, Try a request is next.
    wait_for_focus(&app, "copy-token-main").await;
    tab_to(&app, "try-request", 2).await;
    app.press(&[Key::Enter]).await.unwrap();
    app.wait_for("[data-testid=requests-view] [data-testid=send]", WAIT).await.unwrap();

    // Ctrl+S names the request and keeps it in a folder.
    app.press(&[Key::Ctrl('s')]).await.unwrap();
    app.wait_for("[data-testid=save-request-dialog] [data-testid=save-name]", WAIT).await.unwrap();
    // The name field has the focus, with the tab's title in it to replace.
    wait_for_focus(&app, "save-name").await;
    app.press(&[Key::Ctrl('a')]).await.unwrap();
    app.type_text("Active projects").await.unwrap();
    app.press(&[Key::Tab]).await.unwrap();
    app.type_text("Projects").await.unwrap();
    app.press(&[Key::Enter]).await.unwrap();
    app.wait_for("[data-testid=saved-requests] [data-saved-request='Active projects']", WAIT)
        .await
        .unwrap();
    app.wait_for_text("[data-testid=saved-requests] .folder-name", "Projects", WAIT).await.unwrap();

    // A new tab (Ctrl+T), then the saved request opened in a tab of its own and sent with
    // Ctrl+Enter.
    app.press(&[Key::Ctrl('t')]).await.unwrap();
    let tabs =
        app.execute("return document.querySelectorAll('.request-tab').length").await.unwrap();
    assert_eq!(tabs, 2, "Ctrl+T opened a second tab");
    app.click_on("[data-saved-request='Active projects']", WAIT).await.unwrap();
    app.wait_for_content(".request-tab.chosen", "Active projects", WAIT).await.unwrap();
    app.press(&[Key::Ctrl('\n')]).await.unwrap();
    app.wait_for_text(".request-tabpanel:not([hidden]) [data-testid=status-line]", "200", WAIT)
        .await
        .unwrap();
    app.wait_for_content("[data-testid=history]", "/sandbox-demo/v1/projects?include=client", WAIT)
        .await
        .unwrap();
    app.wait_for_text("[data-testid=history] .status-chip", "200", WAIT).await.unwrap();
    app.screenshot("requests-saved-and-history").await.unwrap();

    // The saved request survives a restart of the app.
    let home = app.home.clone();
    app.close().await;
    let app = AppSession::launch(&home).await.expect("relaunch");
    // (The sandbox starts afresh with the app, so its token is gone: the app opens on Sign-in.)
    app.click_on("[data-testid=view-requests]", WAIT).await.unwrap();
    app.wait_for("[data-testid=saved-requests] [data-saved-request='Active projects']", WAIT)
        .await
        .unwrap();
    app.close().await;
}

#[tokio::test]
async fn the_newcomer_path_is_at_most_three_clicks_to_a_verified_token() {
    let app = launch("clicks", &[]).await;
    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();
    assert!(app.click_count() <= 3, "{} clicks", app.click_count());
    app.screenshot("connected").await.unwrap();
    app.close().await;
}

/// The top and bottom of an element in the window, and the window's height.
async fn placement(app: &AppSession, css: &str) -> (f64, f64, f64) {
    let v = app
        .execute(&format!(
            "const r = document.querySelector({css:?}).getBoundingClientRect(); return [r.top, r.bottom, innerHeight];"
        ))
        .await
        .unwrap();
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap(), v[2].as_f64().unwrap())
}

#[tokio::test]
async fn the_request_line_and_the_status_stay_in_view_while_the_answer_scrolls() {
    let app = AppSession::launch_with_sandbox_token("in-view").await.unwrap();
    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    app.click_on("[data-testid=send]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=status-line]", "200", WAIT).await.unwrap();
    for (width, layout) in [(1280, "beside"), (1000, "below")] {
        app.set_window_size(width, 720).await.unwrap();
        tokio::time::sleep(Duration::from_millis(400)).await;
        // Scroll whatever holds the answer as far down as it goes.
        app.execute(
            "for (const e of document.querySelectorAll('.request-panel, .response-pane, .request-editor')) e.scrollTop = e.scrollHeight;",
        )
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let scrolled = app
            .execute("return Math.max(...[...document.querySelectorAll('.request-panel, .response-pane')].map((e) => e.scrollTop))")
            .await
            .unwrap();
        assert!(scrolled.as_f64().unwrap() > 0.0, "{layout}: the answer is long enough to scroll");
        for css in [
            ".request-tabpanel:not([hidden]) .request-line",
            ".request-tabpanel:not([hidden]) [data-testid=status-line]",
        ] {
            let (top, bottom, height) = placement(&app, css).await;
            assert!(
                top >= 0.0 && bottom <= height,
                "{layout} ({width} px): {css} is out of view after scrolling: top {top}, bottom {bottom}, window {height}"
            );
        }
        let beside = app
            .execute(
                "const a = document.querySelector('.request-tabpanel:not([hidden]) .request-editor').getBoundingClientRect(), b = document.querySelector('.request-tabpanel:not([hidden]) .response-pane').getBoundingClientRect(); return b.left >= a.right - 1;",
            )
            .await
            .unwrap();
        assert_eq!(beside, (layout == "beside"), "{layout} at {width} px");
        app.screenshot(&format!("requests-{layout}")).await.unwrap();
    }
    app.close().await;
}

/// Every view of the window, each checked with axe-core: launch, each sign-in method, the
/// shortcuts dialog, connected, the Requests view with a JSON:API answer, and a diagnosis.
async fn every_view_is_accessible(theme: &str, env: &[(&str, &str)]) {
    let app = launch(&format!("axe-{theme}"), env).await;
    app.wait_for("[data-testid=get-token]", WAIT).await.unwrap();
    let mut failures = Vec::new();
    let mut check = |result: Result<(), String>| {
        if let Err(e) = result {
            failures.push(e);
        }
    };
    check(app.assert_accessible(&format!("launch-{theme}")).await);
    for method in ["browser_login", "password", "client_credentials"] {
        app.click_on(&format!("input[name=method][value={method}]"), WAIT).await.unwrap();
        check(app.assert_accessible(&format!("sign-in-{method}-{theme}")).await);
        app.screenshot(&format!("sign-in-{method}-{theme}")).await.unwrap();
    }
    app.press(&[Key::Ctrl('?')]).await.unwrap();
    app.wait_for("[data-testid=shortcuts-dialog]", WAIT).await.unwrap();
    check(app.assert_accessible(&format!("shortcuts-dialog-{theme}")).await);
    app.screenshot(&format!("shortcuts-dialog-{theme}")).await.unwrap();
    app.press(&[Key::Escape]).await.unwrap();
    app.wait_gone("[data-testid=shortcuts-dialog]", WAIT).await.unwrap();

    app.click_on("[data-testid=fill-demo]", WAIT).await.unwrap();
    app.click_on("[data-testid=get-token]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=account-slug]", "sandbox-demo", WAIT).await.unwrap();
    check(app.assert_accessible(&format!("connected-{theme}")).await);
    app.screenshot(&format!("connected-{theme}")).await.unwrap();

    app.click_on("[data-testid=try-request]", WAIT).await.unwrap();
    app.click_on("[data-testid=send]", WAIT).await.unwrap();
    app.wait_for("[data-testid=jsonapi-view]", WAIT).await.unwrap();
    check(app.assert_accessible(&format!("requests-jsonapi-{theme}")).await);
    app.screenshot(&format!("requests-jsonapi-{theme}")).await.unwrap();

    // The answer's body in the code viewer: its colours are the theme's too.
    app.click_in_view(
        ".request-tabpanel:not([hidden]) [data-testid=response] [role=tab][id$='-tab-body']",
        WAIT,
    )
    .await
    .unwrap();
    app.wait_for(".request-tabpanel:not([hidden]) [data-testid=response-body] .cm-content", WAIT)
        .await
        .unwrap();
    check(app.assert_accessible(&format!("requests-body-{theme}")).await);
    app.screenshot(&format!("requests-body-{theme}")).await.unwrap();
    // Ctrl+F from anywhere opens the search of the answer's text.
    app.press(&[Key::Ctrl('f')]).await.unwrap();
    app.wait_for(".request-tabpanel:not([hidden]) [data-testid=response-body] .cm-search", WAIT)
        .await
        .unwrap();
    app.press(&[Key::Escape]).await.unwrap();

    app.type_into(
        ".request-tabpanel:not([hidden]) input[name=request_url]",
        "{{account-slug}}/v1/no-such-thing",
        WAIT,
    )
    .await
    .unwrap();
    app.click_on(".request-tabpanel:not([hidden]) [data-testid=send]", WAIT).await.unwrap();
    app.wait_for("[data-testid=diagnosis]", WAIT).await.unwrap();
    check(app.assert_accessible(&format!("requests-diagnosis-{theme}")).await);
    app.screenshot(&format!("requests-diagnosis-{theme}")).await.unwrap();
    app.close().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn every_view_passes_axe_core_in_the_light_theme() {
    every_view_is_accessible("light", &[("GTK_THEME", "Adwaita")]).await;
}

#[tokio::test]
async fn every_view_passes_axe_core_in_the_dark_theme() {
    every_view_is_accessible("dark", &[("GTK_THEME", "Adwaita:dark")]).await;
}
