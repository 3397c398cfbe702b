//! The real `scopestack-cli` binary with stored profiles in a temporary
//! `SCOPESTACK_COMPANION_HOME`: the profiles commands, export/import without secrets, the built-in
//! Sandbox profile, login/logout/me on a stored profile, and the keychain exit code.

use crate::support::*;
use std::io::{BufReader, Write};
use std::process::Stdio;
use std::time::Duration;

fn profile_names(home: &std::path::Path) -> Vec<String> {
    let out = cli(home).args(["profiles", "list", "--json"]).output().unwrap();
    assert_code(&out, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    doc["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

/// Several commands changing the profiles file at the same moment (scripts run in parallel, or
/// the CLI beside the app) each keep the others' changes: they take turns on the file's lock.
#[test]
fn profiles_added_by_commands_running_at_once_are_all_kept() {
    let home = tempfile::tempdir().unwrap();
    assert_eq!(profile_names(home.path()), ["Sandbox", "ScopeStack"]);
    let commands: Vec<_> = (1..=8)
        .map(|n| {
            cli(home.path())
                .args([
                    "profiles",
                    "add",
                    &format!("Parallel {n}"),
                    "--grant",
                    "client-credentials",
                    "--token-url",
                    "https://acme.example/oauth/token",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for command in commands {
        let out = command.wait_with_output().unwrap();
        assert_code(&out, 0);
    }
    let mut names = profile_names(home.path());
    names.sort();
    let mut expected: Vec<String> = (1..=8)
        .map(|n| format!("Parallel {n}"))
        .chain(["Sandbox".into(), "ScopeStack".into()])
        .collect();
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn profiles_add_list_export_import_remove_round_trip() {
    let home = tempfile::tempdir().unwrap();
    let out = cli(home.path())
        .args([
            "profiles",
            "add",
            "Acme",
            "--grant",
            "password",
            "--token-url",
            "https://acme.example/oauth/token",
        ])
        .args([
            "--api-url",
            "https://api.acme.example",
            "--client-id",
            "acme-client",
            "--username",
            "robot@acme.example",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("Added profile \"Acme\""), "{}", stdout(&out));
    assert_eq!(profile_names(home.path()), ["Sandbox", "ScopeStack", "Acme"]);

    let out = cli(home.path()).args(["profiles", "list"]).output().unwrap();
    assert_code(&out, 0);
    let list = stdout(&out);
    assert!(list.lines().any(|l| l.starts_with("* Sandbox")), "the default is marked: {list}");
    assert!(
        list.lines()
            .any(|l| l.contains("Acme") && l.contains("password") && l.contains("acme.example")),
        "{list}"
    );

    let out = cli(home.path()).args(["profiles", "show", "acme", "--json"]).output().unwrap();
    assert_code(&out, 0);
    let shown: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        shown["environment"]["authorize_url"], "https://acme.example/oauth/authorize",
        "guessed beside the token URL"
    );
    assert_eq!(shown["username"], "robot@acme.example");

    // A duplicate name is refused, in any case.
    let out = cli(home.path())
        .args(["profiles", "add", "ACME", "--grant", "client-credentials"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("exists already"), "{}", stderr(&out));

    let file = home.path().join("export.json");
    let out = cli(home.path()).args(["profiles", "export", "--out"]).arg(&file).output().unwrap();
    assert_code(&out, 0);
    let text = std::fs::read_to_string(&file).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["format"], "scopestack-companion-profiles");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["profiles"].as_array().unwrap().len(), 3);
    for word in ["secret", "\"password\":", "access_token", "refresh_token", "\"id\":"] {
        assert!(!text.contains(word), "the export holds {word}: {text}");
    }

    let out = cli(home.path()).args(["profiles", "import"]).arg(&file).output().unwrap();
    assert_code(&out, 0);
    let said = stdout(&out);
    assert!(said.contains("Imported \"Acme\" as \"Acme (2)\""), "{said}");
    assert!(
        said.contains("Imported \"Sandbox\" as \"Sandbox (2)\""),
        "the built-in sandbox imports too: {said}"
    );
    assert_eq!(
        profile_names(home.path()),
        ["Sandbox", "ScopeStack", "Acme", "Sandbox (2)", "ScopeStack (2)", "Acme (2)"]
    );
    let out = cli(home.path()).args(["profiles", "show", "Acme (2)", "--json"]).output().unwrap();
    let imported: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_ne!(imported["id"], shown["id"], "a new id");
    assert_eq!(imported["environment"], shown["environment"]);

    // Only some profiles, to standard output; and import from standard input.
    let out = cli(home.path()).args(["profiles", "export", "acme"]).output().unwrap();
    assert_code(&out, 0);
    let only_acme = stdout(&out);
    let out = run_with_stdin(
        {
            let mut c = cli(home.path());
            c.args(["profiles", "import", "-"]);
            c
        },
        &only_acme,
    );
    assert_code(&out, 0);
    assert!(stdout(&out).contains("as \"Acme (3)\""), "{}", stdout(&out));

    for name in ["Acme (2)", "acme (3)", "Sandbox (2)", "ScopeStack (2)"] {
        let out =
            cli(home.path()).args(["profiles", "remove", name, "--session-only"]).output().unwrap();
        assert_code(&out, 0);
    }
    assert_eq!(profile_names(home.path()), ["Sandbox", "ScopeStack", "Acme"]);

    let out = cli(home.path())
        .args(["profiles", "import"])
        .arg(home.path().join("profiles.json"))
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("not a ScopeStack Companion profiles export"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_sandbox_profile_runs_its_own_sandbox_for_the_command() {
    let _turn = keychain_turn();
    let home = tempfile::tempdir().unwrap();
    // The default profile of a new installation is Sandbox: no --profile, no secret needed.
    let out = cli(home.path()).args(["me", "--json"]).output().unwrap();
    assert_code(&out, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["email"], sandbox::ADMIN_EMAIL);
    assert_eq!(doc["account_slug"], sandbox::ACCOUNT_SLUG);

    let out = cli(home.path()).args(["token", "--profile", "sandbox"]).output().unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).trim().starts_with("eyJ"), "a JWT: {}", stdout(&out));
    assert!(stderr(&out).contains("stops working"), "{}", stderr(&out));
}

#[test]
fn profile_selection_by_id_and_default_by_last_use() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let out = cli(home.path())
        .args([
            "profiles",
            "add",
            "Local",
            "--grant",
            "client-credentials",
            "--base-url",
            &sbx.base,
            "--client-id",
            SERVICE_ID,
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = cli(home.path()).args(["profiles", "show", "local", "--json"]).output().unwrap();
    let id = serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = cli(home.path())
        .args(["token", "--profile", &id, "--session-only", "--client-secret-env", "S"])
        .env("S", SERVICE_SECRET)
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(sbx.me(stdout(&out).trim()).0, 200);
    // That use made "Local" the default.
    let out = cli(home.path()).args(["profiles", "list"]).output().unwrap();
    assert!(stdout(&out).lines().any(|l| l.starts_with("* Local")), "{}", stdout(&out));
    let out = cli(home.path())
        .args(["me", "--session-only", "--client-secret-env", "S"])
        .env("S", SERVICE_SECRET)
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains(sandbox::ADMIN_EMAIL));
    // Without a kept secret or a token, it says what to give.
    let out = cli(home.path()).args(["token", "--session-only"]).output().unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("--client-secret-env VAR"), "{}", stderr(&out));
    let out = cli(home.path()).args(["profiles", "use", "scopestack"]).output().unwrap();
    assert_code(&out, 0);
    let out = cli(home.path()).args(["profiles", "list"]).output().unwrap();
    assert!(stdout(&out).lines().any(|l| l.starts_with("* ScopeStack")), "{}", stdout(&out));
}

#[test]
fn login_paste_on_a_stored_browser_login_profile() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let out = cli(home.path())
        .args(["profiles", "add", "Web", "--grant", "authorization-code", "--base-url", &sbx.base])
        .args([
            "--client-id",
            sandbox::BROWSER_CLIENT_ID,
            "--redirect-uri",
            sandbox::BROWSER_REDIRECT_URI,
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let mut child = cli(home.path())
        .args(["login", "-p", "web", "--paste", "--session-only", "--client-secret-env", "BC"])
        .env("BC", sandbox::BROWSER_CLIENT_SECRET)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let (authorize_url, _) = wait_for_line(&mut err, "http");
    assert!(authorize_url.contains(&format!("{}/oauth/authorize?", sbx.base)), "{authorize_url}");
    let location = sbx.sign_in(&authorize_url, sandbox::ADMIN_EMAIL, sandbox::ADMIN_PASSWORD);
    assert!(
        location.starts_with(sandbox::BROWSER_REDIRECT_URI),
        "the registered callback: {location}"
    );
    writeln!(child.stdin.take().unwrap(), "{location}").unwrap();
    let out = wait_with_deadline(child, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", rest(err));
    assert!(stdout(&out).contains("Signed in to \"Web\" with browser login"), "{}", stdout(&out));
}

#[test]
fn logout_then_me_says_sign_in_again() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let out = cli(home.path())
        .args([
            "profiles",
            "add",
            "Web",
            "--grant",
            "authorization-code",
            "--base-url",
            &sbx.base,
            "--client-id",
            sandbox::BROWSER_CLIENT_ID,
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out =
        cli(home.path()).args(["logout", "--profile", "Web", "--session-only"]).output().unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("nothing to revoke"), "{}", stdout(&out));
    let out = cli(home.path()).args(["me", "--profile", "Web", "--session-only"]).output().unwrap();
    assert_code(&out, 3);
    let err = stderr(&out);
    assert!(err.contains("Sign in again"), "{err}");
    assert!(err.contains("scopestack-cli login --profile \"Web\""), "says what to run: {err}");
}

#[test]
fn an_unusable_keychain_exits_5_and_names_the_way_out() {
    let home = tempfile::tempdir().unwrap();
    let out = cli(home.path())
        .args(["profiles", "add", "Acme", "--grant", "client-credentials", "--client-id", "x"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = cli(home.path())
        .args(["token", "--profile", "Acme"])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", home.path().join("no-bus").display()),
        )
        .output()
        .unwrap();
    assert_code(&out, 5);
    assert!(stderr(&out).contains("--session-only"), "{}", stderr(&out));
}

/// The whole life of a stored token in the real OS keychain: `login --remember`, `token` reading
/// it back in another process, `logout` revoking it on the server, then `me` asking to sign in.
#[test]
#[ignore = "needs an unlocked OS keychain: scripts/test (and scripts/with-test-services) start one"]
fn with_the_keychain_a_token_lives_from_login_to_logout() {
    let _turn = keychain_turn();
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let name = format!("Keychain test {}", std::process::id());
    let out = cli(home.path())
        .args([
            "profiles",
            "add",
            &name,
            "--grant",
            "authorization-code",
            "--base-url",
            &sbx.base,
            "--client-id",
            sandbox::BROWSER_CLIENT_ID,
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let mut child = cli(home.path())
        .args(["login", "--profile", &name, "--paste", "--client-secret-env", "BC", "--remember"])
        .env("BC", sandbox::BROWSER_CLIENT_SECRET)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let (authorize_url, _) = wait_for_line(&mut err, "http");
    let location = sbx.sign_in(&authorize_url, sandbox::ADMIN_EMAIL, sandbox::ADMIN_PASSWORD);
    writeln!(child.stdin.take().unwrap(), "{location}").unwrap();
    let out = wait_with_deadline(child, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", rest(err));
    assert!(
        stdout(&out).contains("kept in the OS keychain with the client secret"),
        "{}",
        stdout(&out)
    );

    let out = cli(home.path()).args(["token", "--profile", &name]).output().unwrap();
    assert_code(&out, 0);
    let token = stdout(&out).trim().to_string();
    assert_eq!(sbx.me(&token).0, 200);
    let out = cli(home.path()).args(["token", "--profile", &name]).output().unwrap();
    assert_eq!(stdout(&out).trim(), token, "the stored token again, not a new one");

    let out = cli(home.path()).args(["logout", "--profile", &name]).output().unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("revoked on the server and deleted locally"), "{}", stdout(&out));
    assert_eq!(sbx.me(&token).0, 401, "the server no longer takes the token");

    let out = cli(home.path()).args(["me", "--profile", &name]).output().unwrap();
    assert_code(&out, 3);
    assert!(stderr(&out).contains("Sign in again"), "{}", stderr(&out));

    let out = cli(home.path()).args(["profiles", "remove", &name]).output().unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("and the secrets and token kept for it"), "{}", stdout(&out));
}

/// A short-lived token is renewed by `token` with a quarter of its life left, by its refresh
/// token, and `--json` says so; the next call finds the renewed one valid.
#[test]
#[ignore = "needs an unlocked OS keychain: scripts/test (and scripts/with-test-services) start one"]
fn token_renews_a_short_lived_token_and_says_how() {
    let _turn = keychain_turn();
    let sbx = TestSandbox::with_token_lifetime(8);
    let home = tempfile::tempdir().unwrap();
    let name = format!("Renewal test {}", std::process::id());
    let out = cli(home.path())
        .args(["profiles", "add", &name, "--grant", "password", "--base-url", &sbx.base])
        .args(["--client-id", sandbox::PASSWORD_CLIENT_ID, "--username", sandbox::ADMIN_EMAIL])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = cli(home.path())
        .args(["login", "--profile", &name, "--remember"])
        .args(["--client-secret-env", "PC", "--password-env", "PW"])
        .env("PC", sandbox::PASSWORD_CLIENT_SECRET)
        .env("PW", sandbox::ADMIN_PASSWORD)
        .output()
        .unwrap();
    assert_code(&out, 0);
    let token_json = || {
        let out = cli(home.path()).args(["token", "--profile", &name, "--json"]).output().unwrap();
        assert_code(&out, 0);
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()
    };
    let first = token_json();
    assert_eq!(first["renewed"], serde_json::Value::Null, "{first}");
    // An 8-second token is due with 2 seconds left.
    std::thread::sleep(Duration::from_millis(6_500));
    let renewed = token_json();
    assert_eq!(renewed["renewed"], "refresh", "{renewed}");
    assert_ne!(renewed["access_token"], first["access_token"]);
    assert_eq!(sbx.me(renewed["access_token"].as_str().unwrap()).0, 200);
    let again = token_json();
    assert_eq!(again["renewed"], serde_json::Value::Null, "{again}");
    assert_eq!(again["access_token"], renewed["access_token"]);
    let out = cli(home.path()).args(["profiles", "remove", &name]).output().unwrap();
    assert_code(&out, 0);
}

/// `profiles add` keeps to the limits the window's profile form keeps to.
#[test]
fn profiles_add_keeps_to_the_windows_limits() {
    let home = tempfile::tempdir().unwrap();
    let add = |name: &str, extra: &[&str]| {
        cli(home.path())
            .args(["profiles", "add", name, "--grant", "client-credentials"])
            .args(["--token-url", "https://acme.example/oauth/token"])
            .args(extra)
            .output()
            .unwrap()
    };
    for (name, extra, words) in [
        ("n".repeat(101), vec![], "The profile name is too long (at most 100 characters)"),
        ("Two\nlines".into(), vec![], "Type it again on one line"),
        ("   ".into(), vec![], "Give the profile a name"),
        ("Acme".into(), vec!["--client-id".to_string(), "c".repeat(257)], "client ID is too long"),
    ] {
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let out = add(&name, &extra);
        assert_code(&out, 2);
        assert!(stderr(&out).contains(words), "{words:?} in {}", stderr(&out));
    }
    assert_eq!(profile_names(home.path()), ["Sandbox", "ScopeStack"], "nothing was added");

    let out = add("  Acme  ", &["--scope", "read\n  write"]);
    assert_code(&out, 0);
    let out = cli(home.path()).args(["profiles", "show", "acme", "--json"]).output().unwrap();
    let acme: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!((acme["name"].as_str(), acme["scope"].as_str()), (Some("Acme"), Some("read write")));
}

/// `profiles duplicate` copies the settings under the name the window gives a copy, and keeps
/// the default profile as it was.
#[test]
fn profiles_duplicate_copies_the_settings_under_a_free_name() {
    let home = tempfile::tempdir().unwrap();
    let out = cli(home.path())
        .args(["profiles", "add", "Acme", "--grant", "password"])
        .args([
            "--token-url",
            "https://acme.example/oauth/token",
            "--username",
            "robot@acme.example",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let show = |name: &str| {
        let out = cli(home.path()).args(["profiles", "show", name, "--json"]).output().unwrap();
        assert_code(&out, 0);
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()
    };
    for expected in ["Acme copy", "Acme copy 2"] {
        let out = cli(home.path()).args(["profiles", "duplicate", "acme"]).output().unwrap();
        assert_code(&out, 0);
        assert!(
            stdout(&out).contains(&format!("Copied \"Acme\" as \"{expected}\"")),
            "{}",
            stdout(&out)
        );
    }
    let (acme, copy) = (show("Acme"), show("acme copy"));
    assert_ne!(copy["id"], acme["id"]);
    for field in ["environment", "method", "client_id", "username", "scope", "callback"] {
        assert_eq!(copy[field], acme[field], "{field}");
    }
    assert_eq!(
        profile_names(home.path()),
        ["Sandbox", "ScopeStack", "Acme", "Acme copy", "Acme copy 2"]
    );
    let out = cli(home.path()).args(["profiles", "list"]).output().unwrap();
    assert!(stdout(&out).lines().any(|l| l.starts_with("* Sandbox")), "{}", stdout(&out));

    let out = cli(home.path()).args(["profiles", "duplicate", "nobody"]).output().unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("No profile is named \"nobody\""), "{}", stderr(&out));
}
