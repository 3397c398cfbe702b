//! A stored body read as text in chunks (`StoredBody::text_chunk`, what the window's Body tab
//! reads): each chunk ends on a character boundary, so the chunks put together are the body.

use engine::requests::store::{BodyChunk, StoredBody, MAX_CHUNK};
use std::io::Write;
use std::sync::Arc;

fn memory(text: &str) -> StoredBody {
    StoredBody::Memory(Arc::new(text.as_bytes().to_vec()))
}

fn on_disk(text: &str) -> StoredBody {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    StoredBody::File { file: Arc::new(file), len: text.len() as u64 }
}

fn chunk(text: &str, next_offset: u64, total: u64) -> BodyChunk {
    BodyChunk { text: text.into(), next_offset, total }
}

/// Every chunk from the start, following `next_offset`.
fn all_chunks(body: &StoredBody, len: usize) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut offset = 0;
    while offset < body.len() {
        let c = body.text_chunk(offset, len).unwrap();
        assert!(c.next_offset > offset, "a reader always moves on");
        offset = c.next_offset;
        chunks.push(c.text);
    }
    chunks
}

#[test]
fn a_character_cut_at_the_end_of_a_chunk_goes_whole_into_the_next() {
    // "€" is three bytes: a chunk of four bytes from 0 would end two bytes into it.
    for body in [memory("ab€cd"), on_disk("ab€cd")] {
        assert_eq!(body.text_chunk(0, 4).unwrap(), chunk("ab", 2, 7));
        assert_eq!(body.text_chunk(2, 4).unwrap(), chunk("€c", 6, 7));
        assert_eq!(body.text_chunk(6, 4).unwrap(), chunk("d", 7, 7));
    }
    // Four-byte characters (emoji) cut after each of their first three bytes.
    let body = memory("x😀y");
    for len in 2..=4 {
        assert_eq!(body.text_chunk(0, len).unwrap(), chunk("x", 1, 6), "{len} bytes");
    }
    // A whole character at the end of a chunk with more to come waits for the next one too.
    assert_eq!(body.text_chunk(0, 5).unwrap(), chunk("x", 1, 6));
    assert_eq!(body.text_chunk(0, 6).unwrap(), chunk("x😀y", 6, 6));
}

#[test]
fn the_chunks_put_together_are_the_text_exactly() {
    let text =
        "JSON: {\"name\": \"Zoë\", \"city\": \"Kraków\", \"price\": \"12 €\", \"mood\": \"😀\"}\n"
            .repeat(20);
    for body in [memory(&text), on_disk(&text)] {
        // From 8 bytes (twice the longest character) a chunk always holds a whole character.
        for len in [8, 9, 10, 13, 64, 1000] {
            let chunks = all_chunks(&body, len);
            assert!(chunks.iter().all(|c| !c.contains('\u{FFFD}')), "no character broken");
            assert_eq!(chunks.concat(), text, "chunks of {len} bytes");
        }
    }
}

#[test]
fn the_last_chunk_may_end_on_a_whole_multibyte_character() {
    assert_eq!(memory("ab€").text_chunk(0, 5).unwrap(), chunk("ab€", 5, 5));
    assert_eq!(memory("ab€").text_chunk(0, 100).unwrap(), chunk("ab€", 5, 5));
}

#[test]
fn an_offset_past_the_end_reads_nothing() {
    for body in [memory("abc"), on_disk("abc")] {
        assert_eq!(body.text_chunk(3, 10).unwrap(), chunk("", 3, 3));
        assert_eq!(body.text_chunk(99, 10).unwrap(), chunk("", 99, 3), "stays where it was asked");
    }
}

#[test]
fn an_empty_body_is_one_empty_chunk() {
    for body in [memory(""), on_disk("")] {
        assert_eq!(body.text_chunk(0, MAX_CHUNK).unwrap(), chunk("", 0, 0));
    }
}

#[test]
fn a_chunk_is_at_most_max_chunk_bytes() {
    let text = "a".repeat(MAX_CHUNK + 10);
    let body = memory(&text);
    let first = body.text_chunk(0, usize::MAX).unwrap();
    assert_eq!((first.text.len(), first.next_offset), (MAX_CHUNK, MAX_CHUNK as u64));
    assert_eq!(body.text_chunk(first.next_offset, usize::MAX).unwrap().text.len(), 10);
}
