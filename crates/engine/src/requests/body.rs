//! Receiving a body chunk by chunk: gzip or brotli decoded on the fly, wire and decoded bytes
//! counted, UTF-8 checked, and the bytes kept in memory up to a threshold — past it, the body
//! moves to a temporary file and the memory buffer is freed, so a large body is never whole in
//! memory. Dropping a [`Receiver`] before [`Receiver::finish`] deletes its temporary file.

use crate::error::{AnswerFacts, EngineError, Problem};
use crate::requests::sniff::Utf8Check;
use crate::requests::store::{human_bytes, ExchangeStore, StoredBody};
use std::io::{BufWriter, Write};
use std::sync::Arc;
use tempfile::NamedTempFile;

/// How much of the start of a body is kept aside for sniffing.
pub const HEAD_LEN: usize = 64 * 1024;

/// Buffer of the temporary file's writer.
const FILE_BUFFER: usize = 256 * 1024;

enum Failure {
    TooLarge(u64),
    Disk(std::io::Error),
}

/// Where decoded bytes go.
pub struct Sink<'a> {
    store: &'a ExchangeStore,
    threshold: usize,
    max: u64,
    mem: Vec<u8>,
    file: Option<BufWriter<NamedTempFile>>,
    written: u64,
    head: Vec<u8>,
    utf8: Utf8Check,
    peak_memory: usize,
    failure: Option<Failure>,
}

impl<'a> Sink<'a> {
    /// A sink with the store's limits; `expected` is the body's length when known, to size the
    /// memory buffer once.
    pub fn new(store: &'a ExchangeStore, expected: Option<u64>) -> Sink<'a> {
        let limits = store.limits();
        let threshold = limits.memory_threshold;
        let mem = match expected {
            Some(n) if n <= threshold as u64 => Vec::with_capacity(n as usize),
            _ => Vec::new(),
        };
        Sink {
            store,
            threshold,
            max: limits.max_body,
            mem,
            file: None,
            written: 0,
            head: Vec::new(),
            utf8: Utf8Check::default(),
            peak_memory: 0,
            failure: None,
        }
    }

    fn fail(&mut self, failure: Failure) -> std::io::Error {
        let e = std::io::Error::other(match &failure {
            Failure::TooLarge(_) => "the body is too large".to_string(),
            Failure::Disk(e) => e.to_string(),
        });
        self.failure = Some(failure);
        e
    }

    fn spill(&mut self) -> std::io::Result<()> {
        let dir = self.store.body_dir()?;
        let file = tempfile::Builder::new().prefix("body-").tempfile_in(dir)?;
        let mut writer = BufWriter::with_capacity(FILE_BUFFER, file);
        writer.write_all(&self.mem)?;
        self.mem = Vec::new();
        self.file = Some(writer);
        Ok(())
    }

    fn keep(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if self.file.is_none() && self.mem.len() + buf.len() > self.threshold {
            self.spill()?;
        }
        match &mut self.file {
            Some(file) => file.write_all(buf),
            None => {
                let needed = self.mem.len() + buf.len();
                if needed > self.mem.capacity() {
                    // Grow by doubling, but never past the threshold.
                    let target = needed.max(self.mem.capacity() * 2).min(self.threshold);
                    self.mem.reserve_exact(target - self.mem.len());
                }
                self.mem.extend_from_slice(buf);
                self.peak_memory = self.peak_memory.max(self.mem.capacity());
                Ok(())
            }
        }
    }

    /// The largest the memory buffer got, in bytes of capacity.
    pub fn peak_memory(&self) -> usize {
        self.peak_memory
    }

    /// The body, and what was learnt of it.
    pub fn finish(self) -> std::io::Result<Received> {
        let body = match self.file {
            Some(writer) => {
                let file = writer.into_inner().map_err(|e| e.into_error())?;
                StoredBody::File { file: Arc::new(file), len: self.written }
            }
            None => StoredBody::Memory(Arc::new(self.mem)),
        };
        Ok(Received {
            body,
            decoded: self.written,
            head: self.head,
            utf8: self.utf8.is_valid(),
            peak_memory: self.peak_memory,
            wire: 0,
        })
    }
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.failure.is_some() {
            return Err(std::io::Error::other("the body could not be kept"));
        }
        if self.written + buf.len() as u64 > self.max {
            return Err(self.fail(Failure::TooLarge(self.max)));
        }
        if let Err(e) = self.keep(buf) {
            return Err(self.fail(Failure::Disk(e)));
        }
        self.utf8.feed(buf);
        if self.head.len() < HEAD_LEN {
            let take = buf.len().min(HEAD_LEN - self.head.len());
            self.head.extend_from_slice(&buf[..take]);
        }
        self.written += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A received body.
#[derive(Debug)]
pub struct Received {
    pub body: StoredBody,
    pub wire: u64,
    pub decoded: u64,
    /// The first [`HEAD_LEN`] bytes, decoded.
    pub head: Vec<u8>,
    /// Whether the whole decoded body is UTF-8.
    pub utf8: bool,
    pub peak_memory: usize,
}

/// The content codings decoded here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    Identity,
    Gzip,
    Brotli,
}

/// How a `Content-Encoding` is decoded; `Err` names one that is not.
pub fn coding(content_encoding: Option<&str>) -> Result<Coding, String> {
    let value = content_encoding.unwrap_or("").trim().to_ascii_lowercase();
    match value.as_str() {
        "" | "identity" => Ok(Coding::Identity),
        "gzip" | "x-gzip" => Ok(Coding::Gzip),
        "br" => Ok(Coding::Brotli),
        _ => Err(value),
    }
}

enum Decoder<'a> {
    Identity(Sink<'a>),
    Gzip(Box<flate2::write::MultiGzDecoder<Sink<'a>>>),
    Brotli(Box<brotli_decompressor::DecompressorWriter<Sink<'a>>>),
}

impl<'a> Decoder<'a> {
    fn sink_mut(&mut self) -> &mut Sink<'a> {
        match self {
            Decoder::Identity(s) => s,
            Decoder::Gzip(d) => d.get_mut(),
            Decoder::Brotli(d) => d.get_mut(),
        }
    }
}

/// Receives one body.
pub struct Receiver<'a> {
    decoder: Decoder<'a>,
    coding: Coding,
    status: u16,
    wire: u64,
}

impl<'a> Receiver<'a> {
    /// A receiver for an answer with `status`, decoding `coding`; `expected` is the
    /// `Content-Length` when known.
    pub fn new(
        store: &'a ExchangeStore,
        coding: Coding,
        status: u16,
        expected: Option<u64>,
    ) -> Receiver<'a> {
        let expected = if coding == Coding::Identity { expected } else { None };
        let sink = Sink::new(store, expected);
        let decoder = match coding {
            Coding::Identity => Decoder::Identity(sink),
            Coding::Gzip => Decoder::Gzip(Box::new(flate2::write::MultiGzDecoder::new(sink))),
            Coding::Brotli => Decoder::Brotli(Box::new(
                brotli_decompressor::DecompressorWriter::new(sink, 64 * 1024),
            )),
        };
        Receiver { decoder, coding, status, wire: 0 }
    }

    /// Bytes received so far, as sent.
    pub fn wire(&self) -> u64 {
        self.wire
    }

    /// One chunk as it came off the wire.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), EngineError> {
        self.wire += chunk.len() as u64;
        let result = match &mut self.decoder {
            Decoder::Identity(s) => s.write_all(chunk),
            Decoder::Gzip(d) => d.write_all(chunk),
            Decoder::Brotli(d) => d.write_all(chunk),
        };
        result.map_err(|e| self.error(e))
    }

    fn error(&mut self, e: std::io::Error) -> EngineError {
        let status = Some(self.status);
        match self.decoder.sink_mut().failure.take() {
            Some(Failure::TooLarge(max)) => EngineError::BadResponse {
                status,
                detail: format!("the body is larger than {} once decompressed, so the app stopped receiving it.", human_bytes(max)),
                answer: AnswerFacts::of(Problem::BodyTooLarge).boxed(),
            },
            Some(Failure::Disk(e)) => EngineError::Local(format!(
                "The body is too large to keep in memory, and it could not be written to a temporary file ({e}). Check the free disk space."
            )),
            None => {
                let name = if self.coding == Coding::Gzip { "gzip" } else { "brotli" };
                EngineError::BadResponse {
                    status,
                    detail: format!("the body says it is {name}-compressed, but it could not be decompressed ({e})."),
                    answer: AnswerFacts::of(Problem::Damaged).boxed(),
                }
            }
        }
    }

    /// The whole body, after the last chunk.
    pub fn finish(self) -> Result<Received, EngineError> {
        let Receiver { decoder, coding, status, wire } = self;
        let corrupt = |e: &dyn std::fmt::Display| {
            let name = if coding == Coding::Gzip { "gzip" } else { "brotli" };
            EngineError::BadResponse {
                status: Some(status),
                detail: format!("the {name}-compressed body ends too early or is damaged ({e})."),
                answer: AnswerFacts::of(Problem::Damaged).boxed(),
            }
        };
        let sink = match decoder {
            Decoder::Identity(s) => s,
            Decoder::Gzip(d) => d.finish().map_err(|e| corrupt(&e))?,
            Decoder::Brotli(d) => d.into_inner().map_err(|_| corrupt(&"incomplete stream"))?,
        };
        let mut received = sink.finish().map_err(|e| {
            EngineError::Local(format!("The body could not be written to a temporary file ({e}). Check the free disk space."))
        })?;
        received.wire = wire;
        Ok(received)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::store::StoreLimits;

    fn store(threshold: usize) -> ExchangeStore {
        ExchangeStore::with_limits(StoreLimits {
            memory_threshold: threshold,
            ..StoreLimits::default()
        })
    }

    #[test]
    fn a_body_past_the_threshold_moves_to_disk_and_memory_stays_bounded() {
        let store = store(1024 * 1024);
        let mut r = Receiver::new(&store, Coding::Identity, 200, None);
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..160 {
            r.push(&chunk).unwrap();
        }
        let got = r.finish().unwrap();
        assert!(got.peak_memory <= 1024 * 1024, "peak {}", got.peak_memory);
        assert_eq!((got.wire, got.decoded), (10 * 1024 * 1024, 10 * 1024 * 1024));
        assert!(matches!(got.body, StoredBody::File { len, .. } if len == 10 * 1024 * 1024));
        assert_eq!(got.head.len(), HEAD_LEN);
        assert!(got.utf8);
    }

    #[test]
    fn gzip_is_decoded_while_streaming() {
        let text: Vec<u8> = (0..20_000).flat_map(|i| format!("record {i},").into_bytes()).collect();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&text).unwrap();
        let gz = gz.finish().unwrap();
        let store = store(16 * 1024);
        let mut r = Receiver::new(&store, Coding::Gzip, 200, None);
        for piece in gz.chunks(777) {
            r.push(piece).unwrap();
        }
        let got = r.finish().unwrap();
        assert_eq!(got.decoded as usize, text.len());
        assert_eq!(got.wire as usize, gz.len());
        assert_eq!(got.body.read_all(u64::MAX).unwrap().as_slice(), text.as_slice());

        let mut r = Receiver::new(&store, Coding::Gzip, 200, None);
        assert!(r
            .push(b"definitely not gzip")
            .is_err_and(|e| e.to_string().contains("gzip-compressed")));
    }

    #[test]
    fn too_large_bodies_stop_with_a_clear_error() {
        let store =
            ExchangeStore::with_limits(StoreLimits { max_body: 10, ..StoreLimits::default() });
        let mut r = Receiver::new(&store, Coding::Identity, 200, None);
        r.push(b"0123456789").unwrap();
        let err = r.push(b"x").unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
    }

    #[test]
    fn unknown_codings_are_named() {
        assert_eq!(coding(Some("GZIP")), Ok(Coding::Gzip));
        assert_eq!(coding(Some("br")), Ok(Coding::Brotli));
        assert_eq!(coding(None), Ok(Coding::Identity));
        assert_eq!(coding(Some("zstd")), Err("zstd".to_string()));
    }
}
