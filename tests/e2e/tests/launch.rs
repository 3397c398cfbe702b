//! Launch the real app window: it opens on the built-in Sandbox profile, with the sandbox running.

use e2e::AppSession;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn the_app_opens_on_the_sandbox_profile() {
    let home = tempfile_dir("launch");
    let app = AppSession::launch(&home).await.expect("launch the app over WebDriver");

    assert_eq!(app.title().await.unwrap(), "ScopeStack Companion");
    app.wait_for_text("[data-testid=profile-switcher] .switcher-name", "Sandbox", WAIT)
        .await
        .unwrap();
    app.wait_for_text("[data-testid=connection-bar]", "No token yet", WAIT).await.unwrap();
    app.wait_for("[data-testid=sign-in-view] [data-testid=get-token]", WAIT).await.unwrap();
    // The switcher lists both profiles, the chosen one checked.
    app.click_on("[data-testid=profile-switcher]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=profile-sandbox][aria-checked=true]", "Sandbox", WAIT)
        .await
        .unwrap();
    app.wait_for_text("[data-testid=profile-scopestack]", "api.scopestack.io", WAIT).await.unwrap();
    app.close_menu(WAIT).await.unwrap();
    let status = app
        .wait_for_text("[data-testid=sandbox-status]", "Sandbox running on 127.0.0.1:", WAIT)
        .await
        .unwrap();

    // The sandbox the window reports is really serving: its token URL is shown and reachable.
    let port: u16 =
        status.rsplit(':').next().unwrap().trim().parse().expect("port in the status line");
    let resp = reqwest::get(format!("http://127.0.0.1:{port}/oauth/authorize?client_id=sandbox-browser-login&response_type=code&redirect_uri=http://127.0.0.1:8765/callback"))
        .await
        .expect("the built-in sandbox answers");
    assert_eq!(resp.status(), 200);

    app.wait_for_text(".demo-table", "sandbox-service-account", WAIT).await.unwrap();
    let shot = app.screenshot("launch-sandbox").await.unwrap();
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "a real screenshot, not an empty image"
    );
    app.close().await;
}

/// The token form is laid out right the first time: its method cards and their fieldset are as
/// tall as what they hold. WebKitGTK's first layout of a fieldset with a rendered legend left
/// 28 px of nothing in them, corrected only at a later change (a kept secret being reported), and
/// the whole form then jumped up under the pointer.
#[tokio::test]
async fn the_token_form_is_as_tall_as_its_content_from_the_start() {
    let app =
        AppSession::launch(&tempfile_dir("layout")).await.expect("launch the app over WebDriver");
    let measure = r#"
        const box = (e) => e.getBoundingClientRect();
        const px = (e, p) => parseFloat(getComputedStyle(e)[p]);
        const cards = [...document.querySelectorAll('.method-choice')];
        const row = Math.max(...cards.map((c) => box(c).height));
        const needed = Math.max(...cards.map((c) => Math.max(...[...c.children].map((k) => box(k).bottom)) - box(c).top + px(c, 'paddingBottom') + px(c, 'borderBottomWidth')));
        const fieldset = document.querySelector('.methods'), legend = fieldset.querySelector('legend');
        const held = box(legend).height + px(legend, 'marginBottom') + Math.max(...cards.map((c) => box(c).bottom)) - Math.min(...cards.map((c) => box(c).top));
        return [row, needed, box(fieldset).height, held];"#;
    let sizes = app.execute(measure).await.unwrap();
    let [row, needed, fieldset, held] = [0, 1, 2, 3].map(|i| sizes[i].as_f64().unwrap());
    assert!(
        (row - needed).abs() < 1.0,
        "the cards are as tall as their content: [row, needed, fieldset, legend + cards] {sizes}"
    );
    assert!(
        (fieldset - held).abs() < 1.0,
        "the fieldset is as tall as its legend and cards: {sizes}"
    );
    app.close().await;
}

#[tokio::test]
async fn switching_profiles_shows_scopestack_and_is_remembered() {
    let home = tempfile_dir("switch");
    let app = AppSession::launch(&home).await.expect("launch the app over WebDriver");
    app.click_on("[data-testid=profile-switcher]", WAIT).await.unwrap();
    app.click_on("[data-testid=profile-scopestack]", WAIT).await.unwrap();
    app.wait_for_text("[data-testid=profile-switcher] .switcher-name", "ScopeStack", WAIT)
        .await
        .unwrap();
    app.wait_for_text("[data-testid=connection-bar]", "No token yet", WAIT).await.unwrap();
    let token_url =
        app.execute("return document.querySelector('input[name=token_url]').value").await.unwrap();
    assert_eq!(token_url, "https://app.scopestack.io/oauth/token");
    app.screenshot("profile-scopestack").await.unwrap();
    app.close().await;

    let saved = std::fs::read_to_string(home.join("profiles.json")).unwrap();
    assert!(saved.contains("\"last_profile\": \"scopestack\""), "{saved}");
    let app = AppSession::launch(&home).await.expect("relaunch");
    app.wait_for_text("[data-testid=profile-switcher] .switcher-name", "ScopeStack", WAIT)
        .await
        .unwrap();
    app.close().await;
}

fn tempfile_dir(name: &str) -> std::path::PathBuf {
    let dir = e2e::target_dir().join("e2e-home").join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Without a reachable display the app says so and exits with status 1: no panic, no abort, and
/// nothing written to its settings folder.
#[test]
fn without_a_display_the_app_says_what_is_missing_and_exits() {
    let app = e2e::app_binary().unwrap();
    // A case: its name, the display variables set, and what the app must say.
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case<'_>; 3] = [
        ("no session", &[], "neither DISPLAY nor WAYLAND_DISPLAY is set"),
        ("no X server", &[("DISPLAY", ":987")], "the display :987 (DISPLAY) could not be opened"),
        (
            "no Wayland server",
            &[("WAYLAND_DISPLAY", "wayland-987")],
            "the Wayland display wayland-987 (WAYLAND_DISPLAY) could not be opened",
        ),
    ];
    for (case, env, why) in cases {
        let home = tempfile_dir("no-display");
        let out = std::process::Command::new(&app)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env("XDG_RUNTIME_DIR", &home)
            .env("SCOPESTACK_COMPANION_HOME", &home)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{case}: {stderr}");
        assert!(stderr.contains(why), "{case}: {stderr}");
        assert!(
            stderr.contains("scopestack-cli"),
            "{case}: names the way without a window: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
        assert_eq!(std::fs::read_dir(&home).unwrap().count(), 0, "{case}: nothing written");
    }
}

/// The window's first frame paints the profile view, not an empty page: a script in the page's
/// head loads the first snapshot from the app's `first-view:` protocol before the page has parsed,
/// and the page's script renders before it ends, so the view is in the page before WebKit's first
/// frame begins. The protocol answers once: loaded again, it sends nothing.
#[tokio::test]
async fn the_first_frame_paints_the_first_view_and_the_first_snapshot_is_sent_once() {
    let app = AppSession::launch(&tempfile_dir("first-frame"))
        .await
        .expect("launch the app over WebDriver");
    app.wait_for("[data-testid=sign-in-view] [data-testid=get-token]", WAIT).await.unwrap();
    let marks = app
        .execute(
            "const at = (n) => performance.getEntriesByName('launch-' + n)[0]?.startTime ?? null; return [at('first-view-in-dom'), at('first-frame'), at('snapshot-by-command')];",
        )
        .await
        .unwrap();
    assert_eq!(marks[2], serde_json::Value::Null, "the first snapshot came without a command");
    let (in_page, first_frame) = (marks[0].as_f64(), marks[1].as_f64());
    assert!(
        matches!((in_page, first_frame), (Some(v), Some(f)) if v <= f),
        "the view is in the page ({in_page:?} ms) before the first frame begins ({first_frame:?} ms)"
    );
    let again = app
        .execute_async(
            "const done = arguments[arguments.length - 1]; const s = document.createElement('script'); s.src = document.querySelector('script[src^=\"first-view:\"]').src; s.onload = () => done(['loaded', typeof window.__SCOPESTACK_FIRST_SNAPSHOT__]); s.onerror = () => done(['refused', typeof window.__SCOPESTACK_FIRST_SNAPSHOT__]); document.head.appendChild(s);",
        )
        .await
        .unwrap();
    assert_eq!(
        again,
        serde_json::json!(["refused", "undefined"]),
        "loaded again, it sends nothing"
    );
    app.close().await;
}
