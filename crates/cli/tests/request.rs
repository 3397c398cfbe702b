//! `scopestack-cli request` against a sandbox: the body on stdout, the status line on stderr,
//! jq, --all-pages, writes with --data, and exit codes for failed answers.

use crate::support::*;

fn request(home: &std::path::Path, sbx: &TestSandbox, args: &[&str]) -> std::process::Output {
    with_service_account(home, sbx, "request", args).output().unwrap()
}

#[test]
fn a_relative_url_goes_to_the_api_with_the_token_and_jq_filters_the_body() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let out =
        request(home.path(), &sbx, &["GET", "/v1/me", "--jq", ".data.attributes.\"account-slug\""]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "\"sandbox-demo\"");
    assert!(stderr(&out).contains("200 OK"), "the status line goes to stderr: {}", stderr(&out));
    assert!(!stderr(&out).contains("eyJ"), "no token in the output");
}

#[test]
fn all_pages_follows_links_next_and_merges_data() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let out = request(
        home.path(),
        &sbx,
        &["GET", "{account-slug}/v1/projects?include=client", "--all-pages"],
    );
    assert_code(&out, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let data = doc["data"].as_array().unwrap();
    assert_eq!(data.len(), 25, "every project of the three pages");
    let mut ids: Vec<_> = data.iter().map(|p| p["id"].as_str().unwrap().to_string()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 25, "no page twice");
    assert!(!doc["included"].as_array().unwrap().is_empty(), "included clients merged");
    assert_eq!(
        stderr(&out).matches("200 OK").count(),
        3,
        "one status line a page: {}",
        stderr(&out)
    );
}

#[test]
fn a_write_with_data_and_a_refused_answer_exit_with_the_documented_codes() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    let body = r#"{"data":{"type":"projects","attributes":{"project-name":"From the CLI"},"relationships":{"client":{"data":{"type":"clients","id":"301"}}}}}"#;
    let out = request(home.path(), &sbx, &["POST", "{account-slug}/v1/projects", "--data", body]);
    assert_code(&out, 0);
    let created: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(created["data"]["attributes"]["project-name"], "From the CLI");

    let out = request(
        home.path(),
        &sbx,
        &[
            "POST",
            "{account-slug}/v1/projects",
            "--data",
            r#"{"data":{"type":"projects","attributes":{}}}"#,
        ],
    );
    assert_code(&out, 2);
    assert!(
        stdout(&out).contains("/data/attributes/project-name"),
        "the 422 body with its pointers: {}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("Fields:") && stderr(&out).contains("project-name"),
        "the 422 diagnosis names the field: {}",
        stderr(&out)
    );

    let out = request(home.path(), &sbx, &["GET", "/v1/me", "-H", "Accept: text/html"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("406"), "{}", stderr(&out));
    // The diagnosis the window shows, on stderr: what happened and the fix.
    let said = stderr(&out);
    assert!(
        said.contains("What to do:") && said.contains("Accept: application/vnd.api+json"),
        "{said}"
    );

    let out = request(home.path(), &sbx, &["GET", "/v1/me", "-H", "no colon here"]);
    assert_code(&out, 2);
}

/// The window's limits on a request hold here too, and refuse before anything is sent.
#[test]
fn a_request_outside_the_limits_is_refused_before_anything_is_sent() {
    let home = tempfile::tempdir().unwrap();
    let refused = |args: &[&str], words: &str| {
        let out = cli(home.path())
            .arg("request")
            .args(args)
            .args(["--grant", "client-credentials", "--token-url"])
            .arg(format!("http://127.0.0.1:{}/oauth/token", closed_port()))
            .args(["--client-id", "c", "--client-secret-env", "SVC_SECRET"])
            .env("SVC_SECRET", "s")
            .output()
            .unwrap();
        assert_code(&out, 2);
        assert!(stderr(&out).contains(words), "{words:?} in {}", stderr(&out));
        assert!(!stderr(&out).contains("Could not reach"), "nothing was sent: {}", stderr(&out));
    };
    refused(&["GE/T", "/v1/me"], "is not an HTTP method");
    let long_header = format!("X-Long: {}", "v".repeat(8 * 1024 + 1));
    refused(&["GET", "/v1/me", "-H", &long_header], "header value is too long");
    let headers: Vec<String> = (0..101).flat_map(|n| ["-H".into(), format!("X-{n}: v")]).collect();
    let mut args = vec!["GET", "/v1/me"];
    args.extend(headers.iter().map(String::as_str));
    refused(&args, "at most 100 can be sent");
}

#[test]
fn a_jq_filter_that_never_ends_is_stopped_with_what_to_do() {
    let sbx = TestSandbox::start();
    let home = tempfile::tempdir().unwrap();
    // Recursion without end: stopped before the stack overflows (which would abort the CLI).
    let out = request(home.path(), &sbx, &["GET", "/v1/me", "--jq", "def f: 1 + f; f"]);
    assert!(stderr(&out).contains("recursed too deeply and was stopped"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert_ne!(out.status.code(), Some(0));
    // A loop without output: stopped by the 10 s limit.
    let out = request(home.path(), &sbx, &["GET", "/v1/me", "--jq", "def f: f; f"]);
    let err = stderr(&out);
    assert!(err.contains("ran longer than 10 s and was stopped"), "{err}");
    assert!(err.contains("limit(n; …)"), "{err}");
    assert_ne!(out.status.code(), Some(0));
}
