//! gzip and brotli negotiation on API responses.

use crate::common::*;
use reqwest::header::{ACCEPT, ACCEPT_ENCODING, CONTENT_ENCODING};
use reqwest::{Client, StatusCode};
use serde_json::Value;

fn raw_client() -> Client {
    Client::builder().no_gzip().no_brotli().build().unwrap()
}

#[tokio::test]
async fn gzip_and_brotli_only_when_asked() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let url = format!("{}/sandbox-demo/v1/projects?page[size]=25", sb.base_url());
    let get = |encoding: Option<&'static str>| {
        let mut req = raw_client().get(&url).bearer_auth(&token).header(ACCEPT, JSONAPI);
        if let Some(e) = encoding {
            req = req.header(ACCEPT_ENCODING, e);
        }
        req.send()
    };

    let resp = get(Some("gzip")).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CONTENT_ENCODING], "gzip");
    let body = resp.bytes().await.unwrap();
    assert_eq!(&body[..2], &[0x1f, 0x8b], "gzip magic");

    let resp = get(Some("br")).await.unwrap();
    assert_eq!(resp.headers()[CONTENT_ENCODING], "br");
    let compressed = resp.bytes().await.unwrap();

    let resp = get(None).await.unwrap();
    assert!(resp.headers().get(CONTENT_ENCODING).is_none());
    let plain = resp.bytes().await.unwrap();
    let doc: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(doc["meta"]["record-count"], 25);
    assert!(compressed.len() < plain.len() / 2, "{} vs {}", compressed.len(), plain.len());

    // A client that decodes transparently gets the same document.
    let resp = http().get(&url).bearer_auth(&token).header(ACCEPT, JSONAPI).send().await.unwrap();
    let decoded: Value = resp.json().await.unwrap();
    assert_eq!(decoded, doc);
}

#[tokio::test]
async fn oauth_json_compresses_as_well() {
    let sb = start().await;
    let resp = raw_client()
        .post(format!("{}/oauth/token", sb.base_url()))
        .header(ACCEPT_ENCODING, "gzip")
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", sandbox::SERVICE_CLIENT_ID),
            ("client_secret", sandbox::SERVICE_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CONTENT_ENCODING], "gzip");
}
