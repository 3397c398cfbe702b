//! `GET /{slug}/v1/sample-records?bytes=N`: a valid JSON:API list of at least N bytes (and less
//! than N plus one record; exactly N from a few hundred bytes on), streamed chunk by chunk with
//! an exact `Content-Length`.

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;

use super::auth::guard;
use super::errors::{ApiError, MEDIA_TYPE};
use super::resources::{check_slug, query_pairs};
use crate::state::AppState;

/// Largest size that may be asked for: 100 MB.
pub(crate) const MAX_BYTES: u64 = 104_857_600;
/// Size when `bytes` is absent: 1 MB.
pub(crate) const DEFAULT_BYTES: u64 = 1_048_576;
/// Filler characters in a full record.
const FILLER_LEN: usize = 64;
/// Roughly how much each streamed chunk holds.
const CHUNK_BYTES: usize = 64 * 1024;
const PREFIX: &str = r#"{"data":["#;
const FILLER: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_abcdefghij";
const CATEGORIES: [&str; 4] = ["alpha", "bravo", "delta", "gamma"];

/// One record (1-based `n`) with `filler` filler characters.
fn record(n: u64, filler: usize) -> String {
    let filler = String::from_utf8_lossy(&FILLER[..filler.min(FILLER.len())]);
    format!(
        r#"{{"id":"{n:08}","type":"sample-records","attributes":{{"name":"Sample record {n:08}","category":"{}","active":true,"filler":"{filler}"}}}}"#,
        CATEGORIES[(n % 4) as usize]
    )
}

fn suffix(count: u64) -> String {
    format!(r#"],"meta":{{"record-count":{count}}}}}"#)
}

/// How a document of at least `bytes` bytes is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Plan {
    pub count: u64,
    /// Filler characters removed from the last records, so the total lands on the size asked.
    pub trim: u64,
    pub total: u64,
}

impl Plan {
    /// Filler length of record `n` (1-based): the trim is taken from the last records first.
    fn filler(&self, n: u64) -> usize {
        let from_end = self.count - n;
        let trimmed = self.trim.saturating_sub(from_end * FILLER_LEN as u64).min(FILLER_LEN as u64);
        FILLER_LEN - trimmed as usize
    }
}

/// Length of a full record (all records have the same length; ids are zero-padded).
fn full_len() -> u64 {
    record(1, FILLER_LEN).len() as u64
}

fn total_with(count: u64) -> u64 {
    let records = count * full_len() + count.saturating_sub(1);
    PREFIX.len() as u64 + records + suffix(count).len() as u64
}

/// The fewest records whose document reaches `bytes`, trimmed to land exactly on `bytes`
/// whenever at least one record is needed.
pub(crate) fn plan(bytes: u64) -> Plan {
    let mut count = bytes / (full_len() + 1);
    count = count.saturating_sub(2);
    while total_with(count) < bytes {
        count += 1;
    }
    let full = total_with(count);
    let trim = (full - bytes).min(count * FILLER_LEN as u64);
    Plan { count, trim, total: full - trim }
}

/// Produces the document in chunks of about [`CHUNK_BYTES`].
struct Chunks {
    plan: Plan,
    next: u64,
    started: bool,
    done: bool,
}

impl Iterator for Chunks {
    type Item = Bytes;

    fn next(&mut self) -> Option<Bytes> {
        if self.done {
            return None;
        }
        let mut buf = String::with_capacity(CHUNK_BYTES + 256);
        if !self.started {
            buf.push_str(PREFIX);
            self.started = true;
        }
        while self.next <= self.plan.count && buf.len() < CHUNK_BYTES {
            if self.next > 1 {
                buf.push(',');
            }
            buf.push_str(&record(self.next, self.plan.filler(self.next)));
            self.next += 1;
        }
        if self.next > self.plan.count {
            buf.push_str(&suffix(self.plan.count));
            self.done = true;
        }
        Some(Bytes::from(buf))
    }
}

/// The whole document as chunks (used by the handler and by tests).
pub(crate) fn chunks(plan: Plan) -> impl Iterator<Item = Bytes> + Send + 'static {
    Chunks { plan, next: 1, started: false, done: false }
}

fn invalid_bytes(value: &str) -> ApiError {
    ApiError::bad_request(
        "Invalid parameter",
        format!(
            "bytes must be a whole number from 0 to {MAX_BYTES}; this request specified '{value}'."
        ),
        "400",
    )
}

/// Handles `GET /{slug}/v1/sample-records`.
pub(crate) async fn sample_records(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    guard(&state, &headers)?;
    check_slug(&slug)?;
    let pairs = query_pairs(raw.as_deref());
    let bytes = match pairs.iter().rev().find(|(k, _)| k == "bytes") {
        None => DEFAULT_BYTES,
        Some((_, v)) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n <= MAX_BYTES)
            .ok_or_else(|| invalid_bytes(v))?,
    };
    let plan = plan(bytes);
    tracing::debug!(bytes, total = plan.total, records = plan.count, "streaming sample records");
    let stream = futures_util::stream::iter(chunks(plan).map(Ok::<Bytes, std::io::Error>));
    let response = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, MEDIA_TYPE)
        .header(header::CONTENT_LENGTH, plan.total)
        .body(Body::from_stream(stream));
    response.map_err(|_| {
        ApiError::bad_request("Bad Request", "could not build the response.".to_owned(), "400")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(plan: Plan) -> Vec<u8> {
        chunks(plan).flat_map(|c| c.to_vec()).collect()
    }

    #[test]
    fn every_size_is_reached_without_overshooting_a_record() {
        let one_record = full_len() + 1;
        for bytes in (0..3000).chain([65_535, 65_536, 1_048_576, 1_000_003]) {
            let p = plan(bytes);
            let doc = render(p);
            assert_eq!(doc.len() as u64, p.total, "bytes={bytes}");
            assert!(p.total >= bytes, "bytes={bytes}");
            assert!(p.total < bytes.max(40) + one_record, "bytes={bytes}");
            if bytes >= 3 * one_record {
                assert_eq!(p.total, bytes, "bytes={bytes}");
            }
            let value: serde_json::Value = serde_json::from_slice(&doc).unwrap();
            assert_eq!(value["data"].as_array().unwrap().len() as u64, p.count);
            assert_eq!(value["meta"]["record-count"], p.count);
        }
    }

    #[test]
    fn the_largest_plan_is_consistent() {
        let p = plan(MAX_BYTES);
        assert_eq!(p.total, MAX_BYTES);
        assert_eq!(total_with(p.count) - p.trim, p.total);
        let fillers: u64 = (1..=p.count).map(|n| (FILLER_LEN - p.filler(n)) as u64).sum();
        assert_eq!(fillers, p.trim);
    }
}
