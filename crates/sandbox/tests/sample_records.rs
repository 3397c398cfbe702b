//! `/{slug}/v1/sample-records?bytes=N`: large, valid, streamed documents.

use crate::common::*;
use futures_util::StreamExt;
use reqwest::header::{ACCEPT, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::{Client, StatusCode};
use serde_json::Value;

const PATH: &str = "/sandbox-demo/v1/sample-records";
/// Comfortably more than one record and its comma.
const ONE_RECORD: usize = 300;

fn identity_client() -> Client {
    Client::builder().no_gzip().no_brotli().build().unwrap()
}

#[tokio::test]
async fn documents_are_valid_and_at_least_the_size_asked() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    for n in [0usize, 10, 500, 1000, 65_536, 300_001] {
        let resp = identity_client()
            .get(format!("{}{PATH}?bytes={n}", sb.base_url()))
            .bearer_auth(&token)
            .header(ACCEPT, JSONAPI)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.headers()[CONTENT_TYPE], JSONAPI);
        let declared: usize = resp.headers()[CONTENT_LENGTH].to_str().unwrap().parse().unwrap();
        let body = resp.bytes().await.unwrap();
        assert_eq!(body.len(), declared);
        assert!(body.len() >= n, "{n}: {}", body.len());
        assert!(body.len() < n.max(40) + ONE_RECORD, "{n}: {}", body.len());
        let doc: Value = serde_json::from_slice(&body).expect("valid JSON");
        let data = doc["data"].as_array().unwrap();
        assert_eq!(doc["meta"]["record-count"], data.len());
        if let Some(first) = data.first() {
            assert_eq!(first["type"], "sample-records");
            assert!(first["id"].is_string());
            assert!(first["attributes"]["name"].is_string());
        }
    }
}

#[tokio::test]
async fn default_size_is_one_megabyte() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let (status, doc) = api_json(&sb, PATH, &token).await;
    assert_eq!(status, StatusCode::OK);
    let len = serde_json::to_vec(&doc).unwrap().len();
    assert!((1_048_576..1_048_576 + ONE_RECORD).contains(&len), "{len}");
    assert!(doc["meta"]["record-count"].as_u64().unwrap() > 1000);
}

#[tokio::test]
async fn one_hundred_megabytes_stream_in_chunks() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let resp = identity_client()
        .get(format!("{}{PATH}?bytes=104857600", sb.base_url()))
        .bearer_auth(&token)
        .header(ACCEPT, JSONAPI)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(resp.headers()[CONTENT_LENGTH], "104857600");
    let mut stream = resp.bytes_stream();
    let mut total = 0usize;
    let mut chunks = 0usize;
    let mut head = Vec::new();
    let mut tail: Vec<u8> = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        if head.len() < 9 {
            head.extend_from_slice(&chunk[..chunk.len().min(9)]);
        }
        tail.extend_from_slice(&chunk);
        if tail.len() > 200 {
            tail.drain(..tail.len() - 200);
        }
        total += chunk.len();
        chunks += 1;
    }
    assert!(chunks > 100, "streamed in {chunks} chunks");
    assert!((104_857_600..104_857_600 + ONE_RECORD).contains(&total), "{total}");
    assert_eq!(&head[..9], br#"{"data":["#);
    let tail = String::from_utf8(tail).unwrap();
    assert!(tail.ends_with("}}"), "{tail}");
    let count: u64 =
        tail.rsplit_once("\"record-count\":").unwrap().1.trim_end_matches('}').parse().unwrap();
    assert!(count > 100_000, "{count}");
}

#[tokio::test]
async fn sizes_are_bounded_and_checked() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    for bad in ["104857601", "-1", "abc", "1e6"] {
        let (status, doc) = api_json(&sb, &format!("{PATH}?bytes={bad}"), &token).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(doc["errors"][0]["status"], "400");
        assert!(doc["errors"][0]["detail"].as_str().unwrap().contains("104857600"));
    }
}

#[tokio::test]
async fn the_usual_auth_accept_and_slug_rules_apply() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    let url = format!("{}{PATH}?bytes=100", sb.base_url());
    let resp = http().get(&url).header(ACCEPT, JSONAPI).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(resp.text().await.unwrap(), UNAUTHORIZED);
    let resp = http()
        .get(&url)
        .bearer_auth(&token)
        .header(ACCEPT, "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_ACCEPTABLE);
    let (status, doc) = api_json(&sb, "/someone-else/v1/sample-records", &token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(doc["errors"][0]["title"], "Record not found");
}

#[tokio::test]
async fn large_documents_compress_too() {
    let sb = start().await;
    let token = admin_token(&sb).await;
    // This client asks for gzip and brotli and decodes transparently.
    let resp = http()
        .get(format!("{}{PATH}?bytes=2000000", sb.base_url()))
        .bearer_auth(&token)
        .header(ACCEPT, JSONAPI)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body = resp.bytes().await.unwrap();
    assert!((2_000_000..2_000_000 + ONE_RECORD).contains(&body.len()));
    let doc: Value = serde_json::from_slice(&body).unwrap();
    assert!(doc["data"].as_array().unwrap().len() > 1000);
}
