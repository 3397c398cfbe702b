//! [`TextDoc`]: a long text (an exchange's body, raw or pretty-printed) read by lines without
//! ever holding it whole, so the window can show a 50 MB answer a screenful at a time. A line
//! index is built in one pass (the start of every 32nd line is kept); lines longer than
//! [`MAX_LINE_BYTES`] are shown in pieces; search runs over the text in blocks.
//! [`TextViews`] makes and keeps the documents of the last few exchanges.

use crate::error::EngineError;
use crate::requests::pretty::{pretty_json, PrettyError};
use crate::requests::store::{ExchangeStore, StoredBody};
use crate::requests::summary::ExchangeId;
use memchr::memmem;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Lines longer than this many bytes are split into pieces of about this size (at a character
/// boundary): a minified 50 MB body is one line, and no view can lay that out.
pub const MAX_LINE_BYTES: usize = 4096;
/// The start of every this-many-th line is kept in the index.
const CHECKPOINT_EVERY: u64 = 32;
/// How much is read at once when indexing, reading lines or searching.
const BLOCK: usize = 1024 * 1024;
/// The most lines [`TextDoc::lines`] returns at once.
pub const MAX_LINES_AT_ONCE: u64 = 2000;
/// Pretty texts up to this size stay in memory; larger ones go to a temporary file.
const PRETTY_IN_MEMORY: u64 = 4 * 1024 * 1024;
/// The largest body that is pretty-printed.
pub const PRETTY_LIMIT: u64 = 512 * 1024 * 1024;

/// Finds where lines start in a stream of bytes: after each `\n`, and inside lines longer
/// than [`MAX_LINE_BYTES`]. Indexing and reading use the same splitter, so they agree.
#[derive(Default)]
struct Splitter {
    /// Bytes of the current line so far (without its `\n`).
    line_len: usize,
    /// The last byte seen was a `\n`: the next byte starts a line.
    after_newline: bool,
}

impl Splitter {
    /// Feeds `chunk`, which starts at `offset` in the text; calls `line_start` with the offset
    /// of every line that starts in it (the first line, at 0, is not reported).
    fn feed(&mut self, chunk: &[u8], offset: u64, mut line_start: impl FnMut(u64)) {
        let mut i = 0;
        while i < chunk.len() {
            if self.after_newline {
                line_start(offset + i as u64);
                self.after_newline = false;
                self.line_len = 0;
            }
            let rest = &chunk[i..];
            let segment = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let mut j = 0;
            while self.line_len + (segment - j) > MAX_LINE_BYTES {
                let mut cut = j + MAX_LINE_BYTES.saturating_sub(self.line_len);
                while cut < segment && (rest[cut] & 0xC0) == 0x80 {
                    cut += 1;
                }
                if cut >= segment {
                    break;
                }
                line_start(offset + (i + cut) as u64);
                self.line_len = 0;
                j = cut;
            }
            self.line_len += segment - j;
            if segment < rest.len() {
                self.after_newline = true;
                i += segment + 1;
            } else {
                i = chunk.len();
            }
        }
    }
}

/// The line index of a text.
struct Index {
    splitter: Splitter,
    lines: u64,
    /// `checkpoints[k]` is where line `k * CHECKPOINT_EVERY` starts.
    checkpoints: Vec<u64>,
    len: u64,
}

impl Index {
    fn new() -> Index {
        Index { splitter: Splitter::default(), lines: 1, checkpoints: vec![0], len: 0 }
    }

    fn feed(&mut self, chunk: &[u8]) {
        let (lines, checkpoints) = (&mut self.lines, &mut self.checkpoints);
        self.splitter.feed(chunk, self.len, |start| {
            if lines.is_multiple_of(CHECKPOINT_EVERY) {
                checkpoints.push(start);
            }
            *lines += 1;
        });
        self.len += chunk.len() as u64;
    }
}

/// Writes through to `inner` while indexing what passes.
struct IndexingWriter<W: Write> {
    inner: W,
    index: Index,
}

impl<W: Write> Write for IndexingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.index.feed(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Reads `text` from `from` to its end in blocks of `size`, handing each block and its offset to
/// `each` until it returns `Some`, which is then returned.
fn scan<T>(
    text: &StoredBody,
    from: u64,
    size: usize,
    mut each: impl FnMut(u64, &[u8]) -> Option<T>,
) -> io::Result<Option<T>> {
    let mut offset = from;
    while offset < text.len() {
        let block = text.read_at(offset, size)?;
        if block.is_empty() {
            break;
        }
        if let Some(done) = each(offset, &block) {
            return Ok(Some(done));
        }
        offset += block.len() as u64;
    }
    Ok(None)
}

/// A match of a search: where it is, in the terms the window uses.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct MatchPosition {
    pub line: u64,
    /// In UTF-16 code units from the start of the line, as JavaScript counts.
    pub column: u64,
    /// Byte offset in the text.
    pub offset: u64,
}

/// What a search found.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct SearchSummary {
    pub total: u64,
    /// The search stopped at its limit: there are more matches than `total`.
    pub capped: bool,
}

/// A search text, whether it matched case, and where it was found (byte offsets).
type LastSearch = (String, bool, Arc<Vec<u64>>);

/// An indexed text.
pub struct TextDoc {
    text: StoredBody,
    lines: u64,
    checkpoints: Vec<u64>,
    /// The last search and its matches' byte offsets.
    search: Mutex<Option<LastSearch>>,
}

/// The most matches a search keeps.
pub const MAX_MATCHES: usize = 100_000;

/// How far the making of a text has come (bytes of the body read), and the way to stop it: shared
/// between the thread that makes it and whoever watches or cancels.
#[derive(Debug, Default)]
pub struct Making {
    pub done: AtomicU64,
    cancel: AtomicBool,
}

impl Making {
    /// Stops the making at its next block; it then ends with [`EngineError::Cancelled`].
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// The body's bytes as the printer reads them, counted into a [`Making`]; a cancel ends the
/// reading with an error the making turns into [`EngineError::Cancelled`].
struct Watched<'a, R> {
    inner: R,
    making: &'a Making,
}

const CANCELLED: &str = "cancelled by the user";

impl<R: Read> Read for Watched<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.making.cancelled() {
            return Err(io::Error::other(CANCELLED));
        }
        let n = self.inner.read(buf)?;
        self.making.done.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn is_cancel(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Other && e.to_string() == CANCELLED
}

impl TextDoc {
    /// Indexes a text that is already stored.
    pub fn index(text: StoredBody) -> io::Result<TextDoc> {
        TextDoc::index_watched(text, &Making::default())
    }

    /// Indexes a text, counting into `making` and stopping when it is cancelled.
    fn index_watched(text: StoredBody, making: &Making) -> io::Result<TextDoc> {
        let mut index = Index::new();
        let stopped = scan(&text, 0, BLOCK, |_, block| {
            if making.cancelled() {
                return Some(());
            }
            index.feed(block);
            making.done.fetch_add(block.len() as u64, Ordering::Relaxed);
            None
        })?;
        if stopped.is_some() {
            return Err(io::Error::other(CANCELLED));
        }
        Ok(TextDoc::from_index(text, index))
    }

    fn from_index(text: StoredBody, index: Index) -> TextDoc {
        TextDoc {
            text,
            lines: index.lines,
            checkpoints: index.checkpoints,
            search: Mutex::new(None),
        }
    }

    /// Pretty-prints the JSON of `body` into memory, or into a temporary file in `dir` when
    /// large, indexing it as it is written.
    pub fn pretty(
        body: &StoredBody,
        dir: impl FnOnce() -> io::Result<std::path::PathBuf>,
    ) -> Result<TextDoc, PrettyError> {
        TextDoc::pretty_watched(body, dir, &Making::default())
    }

    /// [`TextDoc::pretty`], counting into `making` and stopping when it is cancelled.
    fn pretty_watched(
        body: &StoredBody,
        dir: impl FnOnce() -> io::Result<std::path::PathBuf>,
        making: &Making,
    ) -> Result<TextDoc, PrettyError> {
        let reader = Watched { inner: body_reader(body)?, making };
        if body.len() <= PRETTY_IN_MEMORY {
            let mut writer = IndexingWriter {
                inner: Vec::with_capacity(body.len() as usize * 3 / 2),
                index: Index::new(),
            };
            pretty_json(reader, &mut writer)?;
            return Ok(TextDoc::from_index(
                StoredBody::Memory(Arc::new(writer.inner)),
                writer.index,
            ));
        }
        // The printer writes in large chunks of its own: the file needs no buffer of its own.
        let file = tempfile::Builder::new().prefix("pretty-").tempfile_in(dir()?)?;
        let mut writer = IndexingWriter { inner: file, index: Index::new() };
        pretty_json(reader, &mut writer)?;
        let len = writer.index.len;
        Ok(TextDoc::from_index(
            StoredBody::File { file: Arc::new(writer.inner), len },
            writer.index,
        ))
    }

    pub fn line_count(&self) -> u64 {
        self.lines
    }

    pub fn byte_len(&self) -> u64 {
        self.text.len()
    }

    /// The text, for reading in chunks.
    pub fn text(&self) -> &StoredBody {
        &self.text
    }

    /// Where each of lines `first..` starts (up to `want` lines, fewer at the end), and where
    /// the last of them ends. Scans from the checkpoint at or before `first`.
    fn line_starts(&self, first: u64, want: u64) -> io::Result<(Vec<u64>, u64)> {
        let k = (first / CHECKPOINT_EVERY) as usize;
        let Some(&from) = self.checkpoints.get(k) else { return Ok((Vec::new(), self.text.len())) };
        let mut line = k as u64 * CHECKPOINT_EVERY;
        let mut starts = Vec::new();
        if line >= first {
            starts.push(from);
        }
        let mut splitter = Splitter::default();
        let last = first + want;
        let end = scan(&self.text, from, 64 * 1024, |offset, block| {
            let mut end = None;
            splitter.feed(block, offset, |start| {
                line += 1;
                if end.is_some() {
                    return;
                }
                if line == last {
                    end = Some(start);
                } else if line >= first {
                    starts.push(start);
                }
            });
            end
        })?;
        Ok((starts, end.unwrap_or(self.text.len())))
    }

    /// Lines `first..first + count` (fewer at the end), without their line breaks; bytes that
    /// are not UTF-8 show as U+FFFD.
    pub fn lines(&self, first: u64, count: u64) -> io::Result<Vec<String>> {
        let count = count.min(MAX_LINES_AT_ONCE);
        if first >= self.lines || count == 0 {
            return Ok(Vec::new());
        }
        let (starts, end) = self.line_starts(first, count)?;
        let Some(&from) = starts.first() else { return Ok(Vec::new()) };
        let bytes = self.text.read_at(from, (end - from) as usize)?;
        let mut out = Vec::with_capacity(starts.len());
        for (i, start) in starts.iter().enumerate() {
            let a = (start - from) as usize;
            let b = starts.get(i + 1).map(|s| (s - from) as usize).unwrap_or(bytes.len());
            let mut line = &bytes[a..b];
            if let Some(stripped) = line.strip_suffix(b"\n") {
                line = stripped.strip_suffix(b"\r").unwrap_or(stripped);
            }
            out.push(String::from_utf8_lossy(line).into_owned());
        }
        Ok(out)
    }

    /// Finds every match of `query` (ASCII letters compared without case unless
    /// `case_sensitive`), keeping up to [`MAX_MATCHES`] for [`TextDoc::match_at`].
    pub fn search(&self, query: &str, case_sensitive: bool) -> io::Result<SearchSummary> {
        let matches = self.matches(query, case_sensitive)?;
        Ok(SearchSummary { total: matches.len() as u64, capped: matches.len() >= MAX_MATCHES })
    }

    fn matches(&self, query: &str, case_sensitive: bool) -> io::Result<Arc<Vec<u64>>> {
        let mut last = self.search.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((q, c, found)) = last.as_ref() {
            if q == query && *c == case_sensitive {
                return Ok(found.clone());
            }
        }
        let found = Arc::new(self.find_all(query, case_sensitive)?);
        *last = Some((query.to_string(), case_sensitive, found.clone()));
        Ok(found)
    }

    fn find_all(&self, query: &str, case_sensitive: bool) -> io::Result<Vec<u64>> {
        let needle = if case_sensitive {
            query.as_bytes().to_vec()
        } else {
            query.as_bytes().to_ascii_lowercase()
        };
        let mut found = Vec::new();
        if needle.is_empty() {
            return Ok(found);
        }
        let finder = memmem::Finder::new(&needle);
        let overlap = needle.len() - 1;
        let mut offset = 0u64;
        while offset < self.text.len() && found.len() < MAX_MATCHES {
            let mut block = self.text.read_at(offset, BLOCK + overlap)?;
            if block.is_empty() {
                break;
            }
            if !case_sensitive {
                block.make_ascii_lowercase();
            }
            let whole = offset + block.len() as u64 >= self.text.len();
            for at in finder.find_iter(&block) {
                // A match starting in the overlap is found again by the next block.
                if !whole && at >= BLOCK {
                    break;
                }
                found.push(offset + at as u64);
                if found.len() >= MAX_MATCHES {
                    break;
                }
            }
            offset += BLOCK as u64;
        }
        Ok(found)
    }

    /// Where the `n`-th match (from 0) of `query` is, or `None` past the last one.
    pub fn match_at(
        &self,
        query: &str,
        case_sensitive: bool,
        n: u64,
    ) -> io::Result<Option<MatchPosition>> {
        let matches = self.matches(query, case_sensitive)?;
        let Some(&offset) = matches.get(n as usize) else { return Ok(None) };
        self.position(offset).map(Some)
    }

    /// The line holding the bracket that closes the `{` or `[` ending line `line`, for folding
    /// pretty JSON: `None` when the line does not end with an opening bracket (or is the piece
    /// of a long line) or nothing closes it.
    pub fn fold_end(&self, line: u64) -> io::Result<Option<u64>> {
        if line >= self.lines {
            return Ok(None);
        }
        let (starts, end) = self.line_starts(line, 1)?;
        let Some(&start) = starts.first() else { return Ok(None) };
        if start > 0 && self.text.read_at(start - 1, 1)? != b"\n" {
            return Ok(None);
        }
        let text = self.text.read_at(start, (end - start) as usize)?;
        let trimmed = text.trim_ascii_end();
        if !matches!(trimmed.last(), Some(b'{' | b'[')) {
            return Ok(None);
        }
        let (mut depth, mut in_string, mut escaped) = (1u64, false, false);
        let close = scan(&self.text, start + trimmed.len() as u64, BLOCK, |offset, block| {
            for (i, &b) in block.iter().enumerate() {
                if in_string {
                    match (escaped, b) {
                        (true, _) => escaped = false,
                        (false, b'\\') => escaped = true,
                        (false, b'"') => in_string = false,
                        _ => {}
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(offset + i as u64);
                        }
                    }
                    _ => {}
                }
            }
            None
        })?;
        close.map(|at| self.position(at).map(|p| p.line)).transpose()
    }

    /// The line and column of a byte offset.
    pub fn position(&self, offset: u64) -> io::Result<MatchPosition> {
        let k = self.checkpoints.partition_point(|&c| c <= offset).saturating_sub(1);
        let base_line = k as u64 * CHECKPOINT_EVERY;
        let (starts, _) = self.line_starts(base_line, CHECKPOINT_EVERY)?;
        let i = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = starts.get(i).copied().unwrap_or(0);
        let prefix = self.text.read_at(start, (offset - start) as usize)?;
        let column = String::from_utf8_lossy(&prefix).encode_utf16().count() as u64;
        Ok(MatchPosition { line: base_line + i as u64, column, offset })
    }
}

fn body_reader(body: &StoredBody) -> io::Result<Box<dyn Read + Send + '_>> {
    Ok(match body {
        StoredBody::Memory(bytes) => Box::new(bytes.as_slice()),
        // The printer reads in large chunks of its own.
        StoredBody::File { file, .. } => Box::new(file.reopen()?),
    })
}

/// Which text of an exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum TextMode {
    Raw,
    Pretty,
}

/// Which document of which exchange.
type ViewKey = (ExchangeId, TextMode);

/// The documents of the last few exchanges, made on first use.
#[derive(Default)]
pub struct TextViews {
    kept: Mutex<Vec<(ViewKey, Arc<TextDoc>)>>,
    /// Held while a document is made, so a document asked for while it is being made (by the
    /// window, while the shell prepares it in the background) is made once.
    making: Mutex<()>,
    /// The makings the window watches, by exchange, so it can cancel them.
    watched: Mutex<Vec<(ExchangeId, Arc<Making>)>>,
}

/// Documents kept at once (their temporary files go with them).
const KEPT: usize = 4;

impl TextViews {
    pub fn new() -> TextViews {
        TextViews::default()
    }

    /// The raw or pretty text of an exchange, indexed. Blocking: call it off the async runtime.
    /// A body that is not JSON cannot be pretty: the error says so, and where.
    pub fn open(
        &self,
        store: &ExchangeStore,
        exchange: ExchangeId,
        mode: TextMode,
    ) -> Result<Arc<TextDoc>, EngineError> {
        self.open_watched(store, exchange, mode, &Making::default())
    }

    /// [`TextViews::open`], counting the body's bytes read into `making` as it goes (for a
    /// progress bar) and ending with [`EngineError::Cancelled`] when it is cancelled.
    pub fn open_watched(
        &self,
        store: &ExchangeStore,
        exchange: ExchangeId,
        mode: TextMode,
        making: &Making,
    ) -> Result<Arc<TextDoc>, EngineError> {
        if let Some(doc) = self.get(exchange, mode) {
            return Ok(doc);
        }
        let _making = self.making.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(doc) = self.get(exchange, mode) {
            return Ok(doc);
        }
        let body = store.body(exchange)?;
        let doc = match mode {
            TextMode::Raw => TextDoc::index_watched(body, making).map_err(|e| {
                if is_cancel(&e) {
                    EngineError::Cancelled
                } else {
                    read_failed(&e)
                }
            })?,
            TextMode::Pretty => {
                if body.len() > PRETTY_LIMIT {
                    return Err(EngineError::MissingInput(format!(
                        "This body is {} — too large to pretty-print. It is shown raw; save it to a file to work on it.",
                        crate::requests::store::human_bytes(body.len())
                    )));
                }
                TextDoc::pretty_watched(&body, || store.body_dir(), making).map_err(
                    |e| match e {
                        PrettyError::Syntax { .. } => EngineError::MissingInput(format!(
                            "The body is {e}, so it is shown as it came."
                        )),
                        PrettyError::Io(e) if is_cancel(&e) => EngineError::Cancelled,
                        PrettyError::Io(e) => read_failed(&e),
                    },
                )?
            }
        };
        let doc = Arc::new(doc);
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        // Forgotten while it was made (the window closed it): not kept. Checked under the lock
        // that `forget` takes after the store has let the exchange go.
        if store.body(exchange).is_err() {
            return Ok(doc);
        }
        kept.retain(|(key, _)| *key != (exchange, mode));
        kept.push(((exchange, mode), doc.clone()));
        if kept.len() > KEPT {
            kept.remove(0);
        }
        Ok(doc)
    }

    /// A [`Making`] for the window to watch while `exchange`'s text is made, cancellable with
    /// [`TextViews::cancel`] until [`TextViews::forget_making`].
    pub fn watch(&self, exchange: ExchangeId) -> Arc<Making> {
        let making = Arc::new(Making::default());
        let mut watched = self.watched.lock().unwrap_or_else(|e| e.into_inner());
        watched.push((exchange, making.clone()));
        making
    }

    /// Cancels every watched making of `exchange`'s text.
    pub fn cancel(&self, exchange: ExchangeId) {
        let watched = self.watched.lock().unwrap_or_else(|e| e.into_inner());
        watched.iter().filter(|(id, _)| *id == exchange).for_each(|(_, m)| m.cancel());
    }

    /// Forgets a making once it has ended.
    pub fn forget_making(&self, making: &Arc<Making>) {
        let mut watched = self.watched.lock().unwrap_or_else(|e| e.into_inner());
        watched.retain(|(_, m)| !Arc::ptr_eq(m, making));
    }

    /// Drops the documents of an exchange (their temporary files go with them) and stops any
    /// making of them: for an exchange the window no longer shows, after the store let it go.
    pub fn forget(&self, exchange: ExchangeId) {
        self.cancel(exchange);
        let gone: Vec<_> = {
            let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            let (gone, keep) =
                std::mem::take(&mut *kept).into_iter().partition(|((id, _), _)| *id == exchange);
            *kept = keep;
            gone
        };
        // Dropped outside the lock: a file's removal may take a moment.
        drop(gone);
    }

    /// A document already made.
    pub fn get(&self, exchange: ExchangeId, mode: TextMode) -> Option<Arc<TextDoc>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter().find(|(key, _)| *key == (exchange, mode)).map(|(_, doc)| doc.clone())
    }
}

fn read_failed(e: &io::Error) -> EngineError {
    EngineError::Local(format!("The body could not be prepared for viewing ({e}). Is the disk full? Free some space and send the request again."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> TextDoc {
        TextDoc::index(StoredBody::Memory(Arc::new(text.as_bytes().to_vec()))).unwrap()
    }

    #[test]
    fn lines_come_back_as_written_from_any_start() {
        let text: String = (0..1000).map(|i| format!("line {i}\n")).collect::<String>() + "last";
        let d = doc(&text);
        assert_eq!(d.line_count(), 1001);
        for first in [0u64, 1, 31, 32, 33, 63, 64, 500, 990, 1000] {
            let got = d.lines(first, 5).unwrap();
            let expected: Vec<String> = (first..(first + 5).min(1001))
                .map(|i| if i == 1000 { "last".to_string() } else { format!("line {i}") })
                .collect();
            assert_eq!(got, expected, "from {first}");
        }
        assert!(d.lines(1001, 5).unwrap().is_empty());
    }

    #[test]
    fn long_lines_are_split_at_character_boundaries_and_put_together_again() {
        let long: String = "é".repeat(5000) + "x".repeat(9000).as_str();
        let text = format!("short\n{long}\nend\r\n");
        let d = doc(&text);
        let all = d.lines(0, 100).unwrap();
        assert!(
            all.iter().all(|l| l.len() <= MAX_LINE_BYTES + 3),
            "no piece is much longer than the limit"
        );
        assert!(all.iter().all(|l| !l.contains('\u{FFFD}')), "no character was cut in two");
        assert_eq!(all.first().unwrap(), "short");
        let joined = all[1..all.len() - 1].concat();
        assert!(
            joined == long,
            "pieces {:?} of {} bytes put together make {} bytes",
            all.iter().map(|l| l.len()).collect::<Vec<_>>(),
            long.len(),
            joined.len()
        );
        assert_eq!(
            all.last().unwrap(),
            "end",
            "\\r\\n is a line break, and a final one starts no empty line"
        );
        assert_eq!(all.len() as u64, d.line_count());
    }

    #[test]
    fn the_index_is_the_same_however_the_text_is_fed() {
        let text: String = (0..300).map(|i| "y".repeat(i * 37 % 9000) + "\n").collect();
        let whole = doc(&text);
        let mut index = Index::new();
        for piece in text.as_bytes().chunks(777) {
            index.feed(piece);
        }
        assert_eq!(index.lines, whole.lines);
        assert_eq!(index.checkpoints, whole.checkpoints);
    }

    #[test]
    fn search_finds_every_match_across_blocks_without_case() {
        let mut text = String::new();
        for i in 0..200_000 {
            text.push_str(if i % 1000 == 0 { "the NEEDLE is here\n" } else { "hay hay hay hay\n" });
        }
        let d = doc(&text);
        assert!(d.byte_len() > 2 * BLOCK as u64, "the text spans several blocks");
        let summary = d.search("needle", false).unwrap();
        assert_eq!(summary.total, 200);
        assert!(!summary.capped);
        assert_eq!(d.search("needle", true).unwrap().total, 0);
        let third = d.match_at("needle", false, 2).unwrap().unwrap();
        assert_eq!((third.line, third.column), (2000, 4));
        assert_eq!(d.lines(third.line, 1).unwrap()[0], "the NEEDLE is here");
        assert!(d.match_at("needle", false, 200).unwrap().is_none());
        // A match that straddles a block boundary is found once.
        let straddle = "a".repeat(BLOCK - 2) + "NEEDLE" + &"a".repeat(10);
        assert_eq!(doc(&straddle).search("needle", false).unwrap().total, 1);
    }

    #[test]
    fn folds_end_at_the_matching_bracket_past_brackets_in_strings() {
        let body = r#"{"a":{"s":"} ] { [ \" }","list":[1,[2],{}]},"b":[],"c":3}"#;
        let d = TextDoc::pretty(
            &StoredBody::Memory(Arc::new(body.as_bytes().to_vec())),
            || unreachable!(),
        )
        .unwrap();
        let text = d.lines(0, 100).unwrap();
        let line_of = |needle: &str| text.iter().position(|l| l.contains(needle)).unwrap() as u64;
        assert_eq!(d.fold_end(0).unwrap(), Some(text.len() as u64 - 1), "the whole document");
        let a = line_of("\"a\": {");
        assert_eq!(text[d.fold_end(a).unwrap().unwrap() as usize], "  },");
        let list = line_of("\"list\": [");
        assert_eq!(text[d.fold_end(list).unwrap().unwrap() as usize], "    ]");
        assert_eq!(d.fold_end(line_of("\"c\": 3")).unwrap(), None, "nothing opens there");
        assert_eq!(d.fold_end(line_of("\"b\": []")).unwrap(), None, "an empty list is one line");
        assert_eq!(d.fold_end(10_000).unwrap(), None);
    }

    #[test]
    fn a_document_asked_for_while_it_is_made_is_made_once() {
        let store = ExchangeStore::new();
        let id = store.next_id();
        let body =
            format!("[{}]", (0..100_000).map(|i| i.to_string()).collect::<Vec<_>>().join(","));
        store.insert(
            crate::requests::store::tests::summary(id),
            StoredBody::Memory(Arc::new(body.into_bytes())),
        );
        let views = TextViews::new();
        let docs: Vec<Arc<TextDoc>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| views.open(&store, id, TextMode::Pretty).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(docs.iter().all(|d| Arc::ptr_eq(d, &docs[0])), "one document for all four callers");
        assert_eq!(docs[0].line_count(), 100_002);
    }

    #[test]
    fn a_forgotten_exchange_keeps_no_document() {
        let store = ExchangeStore::new();
        let (kept, gone) = (store.next_id(), store.next_id());
        for id in [kept, gone] {
            store.insert(
                crate::requests::store::tests::summary(id),
                StoredBody::Memory(Arc::new(b"{\"a\":[1,2,3]}".to_vec())),
            );
        }
        let views = TextViews::new();
        views.open(&store, kept, TextMode::Pretty).unwrap();
        let doc = views.open(&store, gone, TextMode::Pretty).unwrap();
        views.open(&store, gone, TextMode::Raw).unwrap();
        let weak = Arc::downgrade(&doc);
        drop(doc);
        assert!(store.remove(gone));
        views.forget(gone);
        assert!(
            views.get(gone, TextMode::Pretty).is_none() && views.get(gone, TextMode::Raw).is_none()
        );
        assert!(weak.upgrade().is_none(), "nothing holds the forgotten document");
        assert!(views.get(kept, TextMode::Pretty).is_some(), "other exchanges' documents stay");
        assert!(views.open(&store, gone, TextMode::Pretty).is_err(), "the store no longer has it");
        assert!(views.get(gone, TextMode::Pretty).is_none());
    }

    #[test]
    fn matches_do_not_overlap_as_the_window_marks_them() {
        assert_eq!(doc("aaaa").search("aa", true).unwrap().total, 2);
        assert_eq!(doc("abc").search("", false).unwrap().total, 0, "an empty search finds nothing");
    }

    #[test]
    fn columns_count_as_javascript_does() {
        let d = doc("😀é needle");
        let m = d.match_at("needle", true, 0).unwrap().unwrap();
        assert_eq!(m.column, 4, "😀 is two UTF-16 units, é one, then a space");
    }

    #[test]
    fn pretty_documents_on_disk_read_like_in_memory_ones() {
        let body: String = format!(
            "[{}]",
            (0..200_000)
                .map(|i| format!("{{\"id\":\"{i}\",\"ok\":true}}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let expected = serde_json::to_string_pretty(
            &serde_json::from_str::<serde_json::Value>(&body).unwrap(),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mem = TextDoc::pretty(&StoredBody::Memory(Arc::new(body.clone().into_bytes())), || {
            Ok(dir.path().to_path_buf())
        })
        .unwrap();
        let mut file = tempfile::NamedTempFile::new_in(dir.path()).unwrap();
        file.write_all(body.as_bytes()).unwrap();
        let stored = StoredBody::File { file: Arc::new(file), len: body.len() as u64 };
        let disk = TextDoc::pretty(&stored, || Ok(dir.path().to_path_buf())).unwrap();
        assert!(
            matches!(disk.text(), StoredBody::File { .. }),
            "a large pretty text goes to a file"
        );
        assert_eq!(mem.line_count(), expected.lines().count() as u64);
        assert_eq!(disk.line_count(), mem.line_count());
        let n = mem.line_count();
        for first in [0, 1, 12345, n - 3] {
            let want: Vec<String> =
                expected.lines().skip(first as usize).take(3).map(str::to_string).collect();
            assert_eq!(mem.lines(first, 3).unwrap(), want);
            assert_eq!(disk.lines(first, 3).unwrap(), want);
        }
    }
}
