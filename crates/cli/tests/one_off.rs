//! The real `scopestack-cli` binary, with one-off settings, against a sandbox in the test process:
//! tokens that work, the `--json` shape, the three grants, exit codes, and secrets kept off argv.

use crate::support::*;
use std::io::{BufReader, Write};
use std::process::Stdio;
use std::time::Duration;

fn one_off(home: &std::path::Path, sbx: &TestSandbox, command: &str) -> std::process::Command {
    with_service_account(home, sbx, command, &[])
}

#[test]
fn client_credentials_prints_a_token_that_works_on_v1_me() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let out = one_off(home.path(), &sbx, "token").output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "only the token, for $(…): {text:?}");
    let token = text.trim();
    let (status, me) = sbx.me(token);
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["data"]["attributes"]["email"], sandbox::ADMIN_EMAIL);
    assert!(
        std::fs::read_dir(home.path()).unwrap().next().is_none(),
        "a one-off run writes nothing"
    );
}

#[test]
fn token_json_has_the_documented_fields() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let out = one_off(home.path(), &sbx, "token").arg("--json").output().unwrap();
    assert_code(&out, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut keys: Vec<_> = doc.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "access_token",
            "expires_at",
            "expires_in",
            "has_refresh_token",
            "renewed",
            "scope",
            "token_type"
        ]
    );
    assert_eq!(doc["renewed"], serde_json::Value::Null, "a new token was got, none renewed");
    assert_eq!(doc["token_type"], "Bearer");
    assert_eq!(doc["scope"], "read write");
    assert_eq!(doc["has_refresh_token"], false, "client credentials come without a refresh token");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
        as i64;
    let expires_at = doc["expires_at"].as_i64().expect("expires_at is unix seconds");
    assert!((expires_at - (now + 7200)).abs() <= 5, "expires_at {expires_at}, now {now}");
    let expires_in = doc["expires_in"].as_i64().unwrap();
    assert!((7190..=7200).contains(&expires_in), "{expires_in}");
    assert_eq!(sbx.me(doc["access_token"].as_str().unwrap()).0, 200);
}

#[test]
fn the_password_grant_takes_the_password_from_an_environment_variable() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let password_grant = |command: &str| {
        let mut cmd = cli(home.path());
        cmd.args([
            command,
            "--grant",
            "password",
            "--token-url",
            &sbx.token_url(),
            "--client-id",
            sandbox::PASSWORD_CLIENT_ID,
        ])
        .args([
            "--client-secret-env",
            "PW_CLIENT_SECRET",
            "--username",
            sandbox::READONLY_EMAIL,
            "--password-env",
            "PW",
        ])
        .env("PW_CLIENT_SECRET", sandbox::PASSWORD_CLIENT_SECRET)
        .env("PW", sandbox::READONLY_PASSWORD);
        cmd
    };
    let out = password_grant("me").output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains(&format!("Email:        {}", sandbox::READONLY_EMAIL)), "{text}");
    assert!(text.contains(&format!("Account slug: {}", sandbox::ACCOUNT_SLUG)), "{text}");
    assert!(text.contains(&format!("Account id:   {}", sandbox::ACCOUNT_ID)), "{text}");

    let out = password_grant("token").arg("--json").output().unwrap();
    assert_code(&out, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["has_refresh_token"], true, "the password grant returns a refresh token");

    let out = password_grant("me").env("PW", "not-the-password").output().unwrap();
    assert_code(&out, 3);
    assert!(
        stderr(&out).contains("Check the service account's email and password"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn me_json_names_the_user_and_account() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let out = one_off(home.path(), &sbx, "me").arg("--json").output().unwrap();
    assert_code(&out, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["email"], sandbox::ADMIN_EMAIL);
    assert_eq!(doc["account_slug"], sandbox::ACCOUNT_SLUG);
    assert_eq!(doc["account_id"], sandbox::ACCOUNT_ID.to_string());
    assert!(doc["privileges"].as_array().is_some_and(|p| !p.is_empty()), "{doc}");
}

#[test]
fn the_client_secret_can_come_from_standard_input() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = cli(home.path());
    cmd.args([
        "token",
        "--grant",
        "client-credentials",
        "--token-url",
        &sbx.token_url(),
        "--client-id",
        SERVICE_ID,
        "--client-secret-stdin",
    ]);
    let out = run_with_stdin(cmd, &format!("{SERVICE_SECRET}\n"));
    assert_code(&out, 0);
    assert_eq!(sbx.me(stdout(&out).trim()).0, 200);
}

#[test]
fn a_wrong_secret_exits_3_with_a_plain_explanation() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let out =
        one_off(home.path(), &sbx, "token").env("SVC_SECRET", "wrong-secret").output().unwrap();
    assert_code(&out, 3);
    assert!(stdout(&out).is_empty(), "no token on stdout");
    let err = stderr(&out);
    assert!(err.contains("invalid_client"), "{err}");
    assert!(err.contains("Check the client ID and client secret"), "{err}");
    assert!(
        err.contains("What to do:") && err.contains("(code: oauth.invalid_client"),
        "the engine's diagnosis follows: {err}"
    );
    assert!(!err.contains("wrong-secret"), "the secret is never echoed: {err}");
    // Ranked with what is known of the attempt, as in the window: a client-credentials client ID must be a service account's.
    assert!(
        err.contains("For client credentials, the client ID must be a service account's"),
        "{err}"
    );
}

#[test]
fn an_unreachable_token_url_exits_4() {
    let home = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{}/oauth/token", closed_port());
    let out = cli(home.path())
        .args([
            "token",
            "--grant",
            "client-credentials",
            "--token-url",
            &url,
            "--client-id",
            "x",
            "--client-secret-env",
            "S",
        ])
        .env("S", "whatever")
        .output()
        .unwrap();
    assert_code(&out, 4);
    let err = stderr(&out);
    assert!(err.contains("Could not reach") && err.contains("nothing is listening"), "{err}");
}

#[test]
fn bad_usage_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["token", "--no-such-flag"], "unexpected argument"),
        (&["token", "--token-url", "https://app.scopestack.io/oauth/token"], "--grant"),
        (&["token", "--grant", "implicit"], "invalid value"),
        (&["token", "--grant", "client-credentials", "--client-secret-env", "S"], "--client-id"),
        (
            &[
                "token",
                "--grant",
                "client-credentials",
                "--client-id",
                "x",
                "--client-secret-env",
                "UNSET_VAR_FOR_TEST",
            ],
            "UNSET_VAR_FOR_TEST",
        ),
        (&["token", "--grant", "client-credentials", "--client-id", "x"], "client secret"),
        (
            &["token", "--grant", "password", "--client-id", "x", "--client-secret-env", "S"],
            "--username",
        ),
        (
            &[
                "token",
                "--grant",
                "client-credentials",
                "--token-url",
                "http://example.com/oauth/token",
                "--client-id",
                "x",
                "--client-secret-env",
                "S",
            ],
            "https://",
        ),
        (
            &[
                "token",
                "--grant",
                "client-credentials",
                "--token-url",
                "not a url",
                "--client-id",
                "x",
                "--client-secret-env",
                "S",
            ],
            "not a valid URL",
        ),
        (
            &["me", "--profile", "Sandbox", "--grant", "client-credentials", "--client-id", "x"],
            "not both",
        ),
        (
            &[
                "login",
                "--grant",
                "client-credentials",
                "--client-id",
                "x",
                "--client-secret-env",
                "S",
                "--remember",
            ],
            "--remember",
        ),
        (&["profiles", "show", "nobody"], "No profile is named \"nobody\""),
        (&[], "Usage"),
    ];
    for (args, expected) in cases {
        let out = cli(home.path())
            .args(*args)
            .env("S", "s")
            .env_remove("UNSET_VAR_FOR_TEST")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}\nstderr: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: expected {expected:?} in\n{}",
            stderr(&out)
        );
    }
}

#[test]
fn no_option_takes_a_secret_as_its_value() {
    let home = tempfile::tempdir().unwrap();
    for flag in ["--client-secret", "--password", "--secret", "--token"] {
        let out = cli(home.path()).args(["token", flag, "hunter2"]).output().unwrap();
        assert_code(&out, 2);
        assert!(stderr(&out).contains("unexpected argument"), "{flag}: {}", stderr(&out));
    }
    let commands: &[&[&str]] = &[
        &["token"],
        &["login"],
        &["me"],
        &["logout"],
        &["profiles", "add"],
        &["profiles", "import"],
    ];
    for command in commands {
        let out = cli(home.path()).args(*command).arg("--help").output().unwrap();
        assert_code(&out, 0);
        let help = stdout(&out);
        if command[0] != "profiles" {
            assert!(
                help.contains("--client-secret-env <VAR>"),
                "{command:?}: the secret comes by variable name: {help}"
            );
        }
        for line in
            help.lines().map(str::trim).filter(|l| l.starts_with("--") || l.starts_with('-'))
        {
            let (flag, value) = line.split_once(' ').unwrap_or((line, ""));
            let takes_value = value.trim_start().starts_with('<');
            let secretive = ["secret", "password", "token"].iter().any(|w| flag.contains(w))
                && !flag.ends_with("-env")
                && !flag.ends_with("-url");
            assert!(
                !(secretive && takes_value),
                "{command:?} has an option that takes a secret: {line}"
            );
        }
    }
}

#[test]
fn a_secret_given_by_environment_variable_never_appears_in_argv() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let secret = sandbox::BROWSER_CLIENT_SECRET;
    let mut child = cli(home.path())
        .args([
            "login",
            "--grant",
            "authorization-code",
            "--paste",
            "--token-url",
            &sbx.token_url(),
            "--client-id",
            sandbox::BROWSER_CLIENT_ID,
        ])
        .args(["--client-secret-env", "BROWSER_CLIENT_SECRET_FOR_TEST"])
        .env("BROWSER_CLIENT_SECRET_FOR_TEST", secret)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    // The CLI now waits for the pasted address, with the secret read: look at its argv.
    let (authorize_url, _) = wait_for_line(&mut err, "http");
    let cmdline = std::fs::read(format!("/proc/{}/cmdline", child.id())).unwrap();
    let argv: Vec<String> =
        cmdline.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
    assert!(
        argv.iter().any(|a| a == "BROWSER_CLIENT_SECRET_FOR_TEST"),
        "argv names the variable: {argv:?}"
    );
    assert!(!argv.iter().any(|a| a.contains(secret)), "the secret is in argv: {argv:?}");
    let environ = std::fs::read(format!("/proc/{}/environ", child.id())).unwrap();
    assert!(
        String::from_utf8_lossy(&environ).contains(secret),
        "the secret reached the process by its environment"
    );
    assert!(!authorize_url.contains(secret), "the sign-in address holds no secret");
    // Finish the sign-in, proving the secret from the environment was used for the exchange.
    let location = sbx.sign_in(&authorize_url, sandbox::ADMIN_EMAIL, sandbox::ADMIN_PASSWORD);
    writeln!(child.stdin.take().unwrap(), "{location}").unwrap();
    let out = wait_with_deadline(child, Duration::from_secs(30));
    let err = rest(err);
    assert_eq!(out.status.code(), Some(0), "stderr: {err}");
    assert!(!err.contains(secret) && !stdout(&out).contains(secret));
}

#[test]
fn login_paste_signs_in_with_the_address_the_browser_ended_on() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let mut child = cli(home.path())
        .args([
            "me",
            "--json",
            "--grant",
            "authorization-code",
            "--paste",
            "--token-url",
            &sbx.token_url(),
            "--client-id",
            sandbox::BROWSER_CLIENT_ID,
        ])
        .args(["--client-secret-env", "BC"])
        .env("BC", sandbox::BROWSER_CLIENT_SECRET)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let (authorize_url, _) = wait_for_line(&mut err, "http");
    let url = url::Url::parse(&authorize_url).unwrap();
    let param =
        |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    assert_eq!(
        param("redirect_uri").as_deref(),
        Some("http://127.0.0.1:8765/callback"),
        "paste mode's default callback"
    );
    assert_eq!(param("code_challenge_method").as_deref(), Some("S256"));
    let location = sbx.sign_in(&authorize_url, sandbox::READONLY_EMAIL, sandbox::READONLY_PASSWORD);
    assert!(location.starts_with("http://127.0.0.1:8765/callback?code="), "{location}");
    writeln!(child.stdin.take().unwrap(), "{location}").unwrap();
    let out = wait_with_deadline(child, Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", rest(err));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["email"], sandbox::READONLY_EMAIL, "signed in as the user who used the browser");
}

#[test]
fn a_pasted_address_from_another_sign_in_is_refused() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = cli(home.path());
    cmd.args([
        "login",
        "--grant",
        "authorization-code",
        "--paste",
        "--token-url",
        &sbx.token_url(),
        "--client-id",
        sandbox::BROWSER_CLIENT_ID,
    ]);
    let out = run_with_stdin(cmd, "http://127.0.0.1:8765/callback?code=abc&state=forged\n");
    assert_code(&out, 3);
    assert!(stderr(&out).contains("different sign-in attempt"), "{}", stderr(&out));
}

#[test]
fn login_through_the_browser_named_by_browser_and_the_loopback_listener() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let opened = home.path().join("opened-url");
    let script = home.path().join("fake-browser");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s' \"$1\" > '{}.tmp' && mv '{0}.tmp' '{0}'\n",
            opened.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let child = cli(home.path())
        .args([
            "login",
            "--grant",
            "authorization-code",
            "--token-url",
            &sbx.token_url(),
            "--client-id",
            sandbox::BROWSER_CLIENT_ID,
        ])
        .args(["--client-secret-env", "BC", "--timeout", "60"])
        .env("BC", sandbox::BROWSER_CLIENT_SECRET)
        .env("BROWSER", &script)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !opened.exists() {
        assert!(std::time::Instant::now() < deadline, "the browser was never opened");
        std::thread::sleep(Duration::from_millis(20));
    }
    let authorize_url = std::fs::read_to_string(&opened).unwrap();
    let location = sbx.sign_in(&authorize_url, sandbox::ADMIN_EMAIL, sandbox::ADMIN_PASSWORD);
    assert!(location.starts_with("http://127.0.0.1:"), "{location}");
    assert!(
        !location.starts_with("http://127.0.0.1:8765/"),
        "a free port, not the registered one: {location}"
    );
    assert_eq!(sbx.browser_get(&location), 200, "the listener thanks the browser");
    let out = wait_with_deadline(child, Duration::from_secs(30));
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("Signed in to the one-off settings with browser login"),
        "{}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("Opening your browser") && err.contains("Waiting for the browser"),
        "progress on stderr: {err}"
    );
}
