//! The request tester against the sandbox: paging, includes, the 4xx answers ScopeStack gives,
//! compression, jq on a large body, and the curl round trip.

use crate::requests_support::*;
use engine::http_answer::JSON_API;
use engine::requests::jsonapi::{self, DocKind};
use engine::requests::{self as rq, BodyKind, CurlRequest, JqLimits, RequestSpec};
use engine::EngineError;

#[tokio::test]
async fn me_with_the_profile_token_and_the_default_headers() {
    let s = SandboxSession::start().await;
    let summary = rq::send(
        &s.engine,
        &s.target,
        &RequestSpec::get("/v1/me"),
        &no_vars(),
        &s.store,
        &s.cancel,
    )
    .await
    .unwrap();
    assert_eq!(summary.status, 200);
    assert_eq!(summary.status_text, "200 OK — the request worked");
    assert!(summary.is_json_api && summary.body_kind == BodyKind::Json && !summary.stored_on_disk);
    assert!(
        summary.timings.ttfb_ms > 0.0 && summary.timings.ttfb_ms <= summary.timings.total_ms,
        "{:?}",
        summary.timings
    );
    assert_eq!(summary.http_version, "HTTP/1.1");
    let shown = |name: &str| {
        summary
            .request_headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    assert_eq!(shown("accept").as_deref(), Some(JSON_API));
    let auth = shown("authorization").unwrap();
    assert!(
        auth.starts_with("Bearer [redacted #") && !auth.contains(&s.token()[..8]),
        "the token is never shown: {auth}"
    );
    assert!(!format!("{summary:?}").contains(&s.token()));
    let doc = json_of(&s.store, summary.id);
    assert_eq!(doc["data"]["attributes"]["account-slug"], sandbox::ACCOUNT_SLUG);
    assert_eq!(s.store.body_len(summary.id).unwrap(), summary.sizes.decoded);
}

#[tokio::test]
async fn the_account_slug_is_looked_up_when_not_given() {
    let s = SandboxSession::start().await;
    let spec = RequestSpec::get("{account-slug}/v1/clients");
    let summary =
        rq::send(&s.engine, &s.target, &spec, &no_vars(), &s.store, &s.cancel).await.unwrap();
    assert_eq!(summary.status, 200);
    assert!(
        summary.url.contains(&format!("/{}/v1/clients", sandbox::ACCOUNT_SLUG)),
        "{}",
        summary.url
    );
    let err = rq::send(
        &s.engine,
        &s.target,
        &RequestSpec::get("{account-slug}/v1/{kind}"),
        &slug_vars(),
        &s.store,
        &s.cancel,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, EngineError::MissingInput(ref m) if m.contains("{kind}")), "{err}");
}

#[tokio::test]
async fn pages_are_followed_through_links_next() {
    let s = SandboxSession::start().await;
    let first = RequestSpec::get("{account-slug}/v1/projects")
        .with_query("page[size]", "3")
        .with_query("sort", "project-name");
    let mut summary =
        rq::send(&s.engine, &s.target, &first, &slug_vars(), &s.store, &s.cancel).await.unwrap();
    let mut ids = Vec::new();
    let mut pages = 0;
    let total = loop {
        assert_eq!(summary.status, 200, "{}", summary.status_text);
        let view = jsonapi::view_stored(&s.store, summary.id).await.unwrap();
        assert_eq!(view.kind, DocKind::Collection);
        assert!(view.resources.len() <= 3);
        ids.extend(view.resources.iter().map(|r| r.id.clone()));
        pages += 1;
        let total = view.meta.as_ref().unwrap()["record-count"].as_u64().unwrap();
        match view.links.next {
            Some(next) => {
                summary = rq::send(
                    &s.engine,
                    &s.target,
                    &RequestSpec::get(&next),
                    &slug_vars(),
                    &s.store,
                    &s.cancel,
                )
                .await
                .unwrap()
            }
            None => break total,
        }
    };
    assert!(pages >= 3, "{pages} pages");
    assert_eq!(ids.len() as u64, total);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "no record twice across pages");
}

#[tokio::test]
async fn included_clients_are_resolved_under_each_project() {
    let s = SandboxSession::start().await;
    let spec = RequestSpec::get("{account-slug}/v1/projects")
        .with_query("include", "client")
        .with_query("page[size]", "5");
    let summary =
        rq::send(&s.engine, &s.target, &spec, &slug_vars(), &s.store, &s.cancel).await.unwrap();
    let view = jsonapi::view_stored(&s.store, summary.id).await.unwrap();
    assert_eq!(view.resources.len(), 5);
    let mut resolved = 0;
    for project in &view.resources {
        assert_eq!(project.kind, "projects");
        let client = project
            .relationships
            .iter()
            .find(|r| r.name == "client")
            .expect("a client relationship");
        for target in &client.targets {
            let attrs = target.included.as_ref().expect("the client is in included");
            assert_eq!(attrs["name"], project.attributes["client-name"]);
            resolved += 1;
        }
    }
    assert!(resolved > 0);
    assert_eq!(view.unreferenced_included, 0);
}

#[tokio::test]
async fn four_hundreds_say_what_went_wrong() {
    let s = SandboxSession::start().await;
    let send = |spec: RequestSpec| {
        let s = &s;
        async move {
            rq::send(&s.engine, &s.target, &spec, &slug_vars(), &s.store, &s.cancel).await.unwrap()
        }
    };

    // 404: a record that does not exist, and a path without the account slug.
    let r = send(RequestSpec::get("{account-slug}/v1/projects/999999")).await;
    assert_eq!(r.status, 404);
    assert!(r.status_text.contains("account slug"), "{}", r.status_text);
    assert_eq!(send(RequestSpec::get("/v1/projects")).await.status, 404);

    // 406: a wrong Accept.
    let r = send(RequestSpec::get("/v1/me").with_header("Accept", "application/json")).await;
    assert_eq!(r.status, 406);
    assert!(r.status_text.contains("Accept: application/vnd.api+json"));

    // 415: a write whose Content-Type was left out.
    let body = r#"{"data":{"type":"clients","attributes":{"name":"No Type Co"}}}"#;
    let r = send(
        RequestSpec::new("POST", "{account-slug}/v1/clients")
            .with_body(body)
            .with_header("Content-Type", ""),
    )
    .await;
    assert_eq!(r.status, 415, "{}", String::from_utf8_lossy(&body_of(&s.store, r.id)));
    assert!(!r.request_headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")));
    assert!(r.status_text.contains("Content-Type: application/vnd.api+json"));

    // The same write with the defaults is created.
    let r = send(RequestSpec::new("POST", "{account-slug}/v1/clients").with_body(body)).await;
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&body_of(&s.store, r.id)));

    // 422: errors with JSON pointers.
    let r = send(
        RequestSpec::new("POST", "{account-slug}/v1/projects")
            .with_body(r#"{"data":{"type":"projects","attributes":{}}}"#),
    )
    .await;
    assert_eq!(r.status, 422);
    let view = jsonapi::view_stored(&s.store, r.id).await.unwrap();
    assert_eq!(view.kind, DocKind::Errors);
    let pointers: Vec<&str> = view.errors.iter().filter_map(|e| e.pointer.as_deref()).collect();
    assert!(
        pointers.contains(&"/data/attributes/project-name")
            && pointers.contains(&"/data/relationships/client"),
        "{pointers:?}"
    );

    // 401: the profile's token is not one the server knows.
    give_token(&s.engine, &s.target, "eyJhbGciOiJIUzUxMiJ9.eyJub3QiOiJyZWFsIn0.bm9wZQ");
    let r = send(RequestSpec::get("/v1/me")).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.status_text, "401 Unauthorized — the token is missing, expired or revoked");
    assert_eq!(json_of(&s.store, r.id)["errors"][0]["title"], "Unauthorized");
}

#[tokio::test]
async fn gzip_and_brotli_are_decoded_and_both_sizes_counted() {
    let s = SandboxSession::start().await;
    let get = |encoding: &str| {
        RequestSpec::get("{account-slug}/v1/sample-records")
            .with_query("bytes", "300000")
            .with_header("Accept-Encoding", encoding)
    };
    let plain = rq::send(&s.engine, &s.target, &get("identity"), &slug_vars(), &s.store, &s.cancel)
        .await
        .unwrap();
    assert_eq!(plain.content_encoding, None);
    assert_eq!((plain.sizes.wire, plain.sizes.decoded), (300_000, 300_000));
    let expected = body_of(&s.store, plain.id);
    for (asked, coding) in [("gzip", "gzip"), ("br", "br")] {
        let r = rq::send(&s.engine, &s.target, &get(asked), &slug_vars(), &s.store, &s.cancel)
            .await
            .unwrap();
        assert_eq!(r.content_encoding.as_deref(), Some(coding));
        assert!(
            r.sizes.wire < r.sizes.decoded / 3,
            "{coding}: wire {} decoded {}",
            r.sizes.wire,
            r.sizes.decoded
        );
        assert_eq!(r.sizes.decoded, 300_000);
        assert!(body_of(&s.store, r.id) == expected, "{coding}: the decoded body is the plain one");
        assert_eq!(r.body_kind, BodyKind::Json);
    }
    // Without an Accept-Encoding of the user's, the tester asks for both itself.
    let r = rq::send(
        &s.engine,
        &s.target,
        &RequestSpec::get("{account-slug}/v1/projects"),
        &slug_vars(),
        &s.store,
        &s.cancel,
    )
    .await
    .unwrap();
    assert!(r.request_headers.contains(&("Accept-Encoding".to_string(), "gzip, br".to_string())));
    assert!(r.content_encoding.is_some(), "the sandbox compressed the list");
}

#[tokio::test]
async fn jq_runs_on_a_ten_megabyte_body_on_disk() {
    let s = SandboxSession::start().await;
    let spec = RequestSpec::get("{account-slug}/v1/sample-records").with_query("bytes", "10000000");
    let r = rq::send(&s.engine, &s.target, &spec, &slug_vars(), &s.store, &s.cancel).await.unwrap();
    assert_eq!(r.sizes.decoded, 10_000_000);
    assert!(r.stored_on_disk, "10 MB is past the 2 MiB threshold");
    let count = rq::jq::run(&s.store, r.id, ".data | length", JqLimits::default()).await.unwrap();
    let meta =
        rq::jq::run(&s.store, r.id, ".meta[\"record-count\"]", JqLimits::default()).await.unwrap();
    assert_eq!(count.text, meta.text);
    assert!(count.text.parse::<u64>().unwrap() > 40_000, "{}", count.text);
    let categories =
        rq::jq::run(&s.store, r.id, "[.data[].attributes.category] | unique", JqLimits::default())
            .await
            .unwrap();
    assert_eq!(
        categories.text.split_whitespace().collect::<String>(),
        r#"["alpha","bravo","delta","gamma"]"#
    );
    let everything = rq::jq::run(&s.store, r.id, ".data[]", JqLimits::default()).await.unwrap();
    assert!(everything.truncated && everything.text.len() < 1_100_000, "the output is capped");
    let err = rq::jq::run(&s.store, r.id, ".data | map(.nope.deeper", JqLimits::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("mistake"), "{err}");
    // Chunks read back from the file match the start of the document.
    assert_eq!(s.store.read_chunk(r.id, 0, 9).unwrap(), br#"{"data":["#);
    assert_eq!(
        s.store.read_chunk(r.id, 0, 10 << 20).unwrap().len(),
        1 << 20,
        "chunks are capped at 1 MiB"
    );
}

#[tokio::test]
async fn a_curl_command_round_trips_and_runs() {
    let s = SandboxSession::start().await;
    let base = url::Url::parse(&s.sandbox.base_url()).unwrap();
    let mut spec = RequestSpec::new("POST", &format!("{}{}/v1/projects", base, sandbox::ACCOUNT_SLUG))
        .with_query("include", "client")
        .with_query("filter[name]", "O'Brien & Sons")
        .with_header("X-Request-Note", "it's \"quoted\" $HOME `x`")
        .with_body("{\"data\":{\"type\":\"projects\",\"attributes\":{\"project-name\":\"O'Brien\\nmigration\"},\n \"relationships\":{\"client\":{\"data\":{\"type\":\"clients\",\"id\":\"301\"}}}}}");
    spec.follow_redirects = false;
    spec.timeout_ms = Some(20_000);
    let command = rq::to_curl(&CurlRequest::from_spec(&spec, &slug_vars(), &base).unwrap(), None);
    assert!(command.contains("\"Authorization: Bearer $TOKEN\""), "{command}");
    let back = rq::from_curl(&command).unwrap();
    assert_eq!(back, spec, "to_curl then from_curl gives the same request\n{command}");

    // The imported request runs, with the profile's token in place of $TOKEN.
    let r = rq::send(&s.engine, &s.target, &back, &slug_vars(), &s.store, &s.cancel).await.unwrap();
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&body_of(&s.store, r.id)));

    // From the exchange, with the token written in: a real shell runs it to the same answer.
    let with_token =
        rq::curl::to_curl_for(&s.engine, &s.target, &CurlRequest::from_summary(&r), true)
            .await
            .unwrap();
    assert!(with_token.contains(&s.token()));
    // (Async, so the sandbox on this test's runtime keeps serving while curl waits.)
    let has_curl = tokio::process::Command::new("curl")
        .arg("--version")
        .output()
        .await
        .is_ok_and(|o| o.status.success());
    if has_curl {
        let run = tokio::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{with_token} -s -o /dev/null -w '%{{http_code}}'"))
            .output();
        let out = tokio::time::timeout(std::time::Duration::from_secs(20), run)
            .await
            .expect("curl finishes")
            .expect("sh runs");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "201",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
