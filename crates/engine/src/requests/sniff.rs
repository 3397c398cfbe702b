//! Telling JSON, text and binary bodies apart: the content type, whether the whole body is
//! UTF-8 (checked chunk by chunk while it streams), and whether its start parses as JSON.

use crate::requests::summary::BodyKind;

/// Checks UTF-8 across chunk boundaries without holding the body.
#[derive(Debug, Default)]
pub struct Utf8Check {
    /// The start of a character cut off at the end of the last chunk (at most 3 bytes).
    carry: Vec<u8>,
    invalid: bool,
}

impl Utf8Check {
    pub fn feed(&mut self, mut data: &[u8]) {
        if self.invalid {
            return;
        }
        while !self.carry.is_empty() {
            let Some((&first, rest)) = data.split_first() else { return };
            self.carry.push(first);
            data = rest;
            match std::str::from_utf8(&self.carry) {
                Ok(_) => self.carry.clear(),
                Err(e) if e.error_len().is_some() => {
                    self.invalid = true;
                    return;
                }
                Err(_) => {}
            }
        }
        if let Err(e) = std::str::from_utf8(data) {
            match e.error_len() {
                Some(_) => self.invalid = true,
                None => self.carry = data[e.valid_up_to()..].to_vec(),
            }
        }
    }

    /// Whether everything fed was UTF-8, with no character left unfinished.
    pub fn is_valid(&self) -> bool {
        !self.invalid && self.carry.is_empty()
    }
}

/// The media type of a `Content-Type`, lower case, without parameters.
pub fn media_type(content_type: Option<&str>) -> Option<String> {
    let ct = content_type?;
    let media = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    (!media.is_empty()).then_some(media)
}

/// `application/json`, `application/vnd.api+json`, `…+json`.
pub fn is_json_type(media: &str) -> bool {
    media == "application/json" || media == "text/json" || media.ends_with("+json")
}

/// Types that are binary whatever their bytes.
fn is_binary_type(media: &str) -> bool {
    ["image/", "audio/", "video/", "font/"].iter().any(|p| media.starts_with(p))
        || matches!(
            media,
            "application/octet-stream"
                | "application/pdf"
                | "application/zip"
                | "application/gzip"
                | "application/x-gzip"
                | "application/wasm"
        )
}

/// Whether `head` — the start of a body, or all of it when `complete` — reads as JSON.
pub fn looks_like_json(head: &[u8], complete: bool) -> bool {
    let trimmed = head.trim_ascii_start();
    if trimmed.is_empty() {
        return false;
    }
    let mut stream =
        serde_json::Deserializer::from_slice(trimmed).into_iter::<serde::de::IgnoredAny>();
    match stream.next() {
        Some(Ok(_)) => !complete || stream.next().is_none(),
        Some(Err(e)) => !complete && e.is_eof(),
        None => false,
    }
}

/// The kind of a body from its content type, its start, and whether it was all UTF-8.
pub fn body_kind(content_type: Option<&str>, head: &[u8], complete: bool, utf8: bool) -> BodyKind {
    let media = media_type(content_type);
    if !utf8 || media.as_deref().is_some_and(is_binary_type) {
        return BodyKind::Binary;
    }
    let json_type = media.as_deref().is_some_and(is_json_type);
    let json_start = matches!(head.trim_ascii_start().first(), Some(b'{' | b'['));
    if (json_type || json_start) && looks_like_json(head, complete) {
        BodyKind::Json
    } else {
        BodyKind::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_checked_across_chunk_boundaries() {
        let text = "héllo → wörld".as_bytes();
        for cut in 0..text.len() {
            let mut c = Utf8Check::default();
            c.feed(&text[..cut]);
            c.feed(&text[cut..]);
            assert!(c.is_valid(), "cut at {cut}");
        }
        let mut c = Utf8Check::default();
        c.feed(&[0xe2, 0x86]);
        assert!(!c.is_valid(), "an unfinished character at the end");
        c.feed(&[0x92]);
        assert!(c.is_valid());
        c.feed(&[0xff]);
        assert!(!c.is_valid());
    }

    #[test]
    fn kinds_follow_content_type_and_content() {
        let json = Some("application/vnd.api+json");
        assert_eq!(body_kind(json, br#"{"data":[]}"#, true, true), BodyKind::Json);
        assert_eq!(
            body_kind(json, br#"{"data":[1,2"#, false, true),
            BodyKind::Json,
            "a truncated start still reads as JSON"
        );
        assert_eq!(
            body_kind(json, br#"{"data":[1,2"#, true, true),
            BodyKind::Text,
            "a complete body must parse"
        );
        assert_eq!(body_kind(json, b"<html>oops</html>", true, true), BodyKind::Text);
        assert_eq!(body_kind(Some("text/plain"), b"  [1, 2]", true, true), BodyKind::Json);
        assert_eq!(body_kind(Some("text/plain"), b"hello", true, true), BodyKind::Text);
        assert_eq!(
            body_kind(Some("application/json"), b"\"just a string\"", true, true),
            BodyKind::Json
        );
        assert_eq!(body_kind(None, b"{}", true, false), BodyKind::Binary);
        assert_eq!(body_kind(Some("image/png"), b"{}", true, true), BodyKind::Binary);
        assert_eq!(body_kind(None, b"", true, true), BodyKind::Text);
    }
}
