//! Pretty-printing JSON as a stream: the input is checked and re-indented byte by byte, never
//! parsed into values, so a 50 MB body needs no more memory than its buffers, numbers keep every
//! digit (no float rounding, unlike `JSON.parse`), and keys keep their order and duplicates.
//! The output has the layout of `serde_json::to_string_pretty`: two-space indents, `"key": value`,
//! `{}` and `[]` for empty containers.

use std::io::{self, Read, Write};

/// How much is read from the input at once.
const READ_BUFFER: usize = 256 * 1024;

/// Why a body could not be pretty-printed.
#[derive(Debug)]
pub enum PrettyError {
    /// The input is not JSON; `offset` is the byte where that became certain.
    Syntax {
        offset: u64,
        what: &'static str,
    },
    Io(io::Error),
}

impl std::fmt::Display for PrettyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrettyError::Syntax { offset, what } => {
                write!(f, "not valid JSON at byte {offset}: {what}")
            }
            PrettyError::Io(e) => write!(f, "could not be read or written ({e})"),
        }
    }
}

impl From<io::Error> for PrettyError {
    fn from(e: io::Error) -> Self {
        PrettyError::Io(e)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    Object,
    Array,
}

/// What may come next, outside of a token.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A value (top level, after `:` or after `,` in an array).
    Value,
    /// A value or `]`, right after `[`.
    FirstValueOrClose,
    /// A key or `}`, right after `{`.
    FirstKeyOrClose,
    /// A key, after `,` in an object.
    Key,
    Colon,
    CommaOrClose,
    /// Only whitespace, after the top-level value.
    End,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Number {
    Minus,
    Zero,
    Int,
    Dot,
    Frac,
    Exp,
    ExpSign,
    ExpDigits,
}

impl Number {
    /// The state after `b`, or `None` when `b` does not continue the number.
    fn step(self, b: u8) -> Option<Number> {
        use Number::*;
        Some(match (self, b) {
            (Minus, b'0') => Zero,
            (Minus, b'1'..=b'9') => Int,
            (Int, b'0'..=b'9') => Int,
            (Zero | Int, b'.') => Dot,
            (Dot | Frac, b'0'..=b'9') => Frac,
            (Zero | Int | Frac, b'e' | b'E') => Exp,
            (Exp, b'+' | b'-') => ExpSign,
            (Exp | ExpSign | ExpDigits, b'0'..=b'9') => ExpDigits,
            _ => return None,
        })
    }

    fn complete(self) -> bool {
        matches!(self, Number::Zero | Number::Int | Number::Frac | Number::ExpDigits)
    }
}

/// Inside a token that may span reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    None,
    /// In a string; `escape` counts what is left of an escape (1 after `\`, 4..1 in `\uXXXX`).
    Str {
        key: bool,
        escape: u8,
    },
    Num(Number),
    Literal {
        word: &'static [u8],
        at: u8,
    },
}

/// Re-indents the JSON read from `input` into `output`. On a syntax error the output holds
/// what came before it; callers write to a scratch place and fall back to the raw text.
pub fn pretty_json<R: Read, W: Write>(mut input: R, output: W) -> Result<(), PrettyError> {
    let mut printer = Printer::new(output);
    let mut buf = vec![0u8; READ_BUFFER];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        printer.feed(&buf[..n])?;
    }
    printer.finish()
}

struct Printer<W: Write> {
    out: io::BufWriter<W>,
    stack: Vec<Container>,
    expect: Expect,
    token: Token,
    offset: u64,
}

const SPACES: [u8; 128] = [b' '; 128];
/// Levels deeper than this are not indented further: indenting every level of a body that is
/// `[[[[…]]]]` a million deep would write terabytes.
pub const MAX_INDENT_DEPTH: usize = 64;

impl<W: Write> Printer<W> {
    fn new(output: W) -> Self {
        Printer {
            out: io::BufWriter::with_capacity(256 * 1024, output),
            stack: Vec::new(),
            expect: Expect::Value,
            token: Token::None,
            offset: 0,
        }
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }

    fn newline(&mut self) -> io::Result<()> {
        self.put(b"\n")?;
        let mut left = self.stack.len().min(MAX_INDENT_DEPTH) * 2;
        while left > 0 {
            let n = left.min(SPACES.len());
            self.put(&SPACES[..n])?;
            left -= n;
        }
        Ok(())
    }

    fn fail(&self, at: usize, what: &'static str) -> PrettyError {
        PrettyError::Syntax { offset: self.offset + at as u64, what }
    }

    /// A value ends: what may follow depends on the container it is in.
    fn value_done(&mut self) {
        self.expect = if self.stack.is_empty() { Expect::End } else { Expect::CommaOrClose };
    }

    /// Before a key or value: a first element goes on a new line after its bracket.
    fn start_element(&mut self, at: usize, key: bool) -> Result<(), PrettyError> {
        match (self.expect, key) {
            (Expect::FirstValueOrClose, false) | (Expect::FirstKeyOrClose, true) => {
                self.newline()?;
                Ok(())
            }
            (Expect::Value, false) | (Expect::Key, true) => Ok(()),
            (Expect::FirstKeyOrClose | Expect::Key, false) => {
                Err(self.fail(at, "expected a key in quotes"))
            }
            (Expect::End, _) => Err(self.fail(at, "more after the end of the JSON value")),
            (Expect::Colon, _) => Err(self.fail(at, "expected ':' after a key")),
            (Expect::CommaOrClose, _) => {
                Err(self.fail(at, "expected ',' or the end of the list or object"))
            }
            (Expect::Value | Expect::FirstValueOrClose, true) => {
                Err(self.fail(at, "expected a value"))
            }
        }
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<(), PrettyError> {
        let mut i = 0;
        while i < chunk.len() {
            match self.token {
                Token::Str { key, escape } => i = self.string(chunk, i, key, escape)?,
                Token::Num(state) => {
                    let start = i;
                    let mut state = state;
                    while i < chunk.len() {
                        match state.step(chunk[i]) {
                            Some(next) => state = next,
                            None => break,
                        }
                        i += 1;
                    }
                    self.put(&chunk[start..i])?;
                    if i < chunk.len() {
                        if !state.complete() {
                            return Err(self.fail(i, "a number is cut short"));
                        }
                        self.token = Token::None;
                        self.value_done();
                    } else {
                        self.token = Token::Num(state);
                    }
                }
                Token::Literal { word, at } => {
                    let mut at = at as usize;
                    while i < chunk.len() && at < word.len() {
                        if chunk[i] != word[at] {
                            return Err(self.fail(i, "expected true, false or null"));
                        }
                        i += 1;
                        at += 1;
                    }
                    if at == word.len() {
                        self.put(word)?;
                        self.token = Token::None;
                        self.value_done();
                    } else {
                        self.token = Token::Literal { word, at: at as u8 };
                    }
                }
                Token::None => {
                    let b = chunk[i];
                    self.structural(b, i)?;
                    i += 1;
                }
            }
        }
        self.offset += chunk.len() as u64;
        Ok(())
    }

    /// A byte outside any token.
    fn structural(&mut self, b: u8, at: usize) -> Result<(), PrettyError> {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b'{' | b'[' => {
                self.start_element(at, false)?;
                let (container, expect) = if b == b'{' {
                    (Container::Object, Expect::FirstKeyOrClose)
                } else {
                    (Container::Array, Expect::FirstValueOrClose)
                };
                self.put(&[b])?;
                self.stack.push(container);
                self.expect = expect;
            }
            b'}' | b']' => {
                let wanted = if b == b'}' { Container::Object } else { Container::Array };
                if self.stack.last() != Some(&wanted) {
                    return Err(self.fail(
                        at,
                        if self.stack.is_empty() {
                            "a closing bracket with nothing open"
                        } else {
                            "the closing bracket does not match the open one"
                        },
                    ));
                }
                match self.expect {
                    Expect::FirstKeyOrClose | Expect::FirstValueOrClose => {
                        self.stack.pop();
                    }
                    Expect::CommaOrClose => {
                        self.stack.pop();
                        self.newline()?;
                    }
                    Expect::Key => {
                        return Err(self.fail(at, "a trailing comma before the closing bracket"))
                    }
                    Expect::Value if wanted == Container::Array => {
                        return Err(self.fail(at, "a trailing comma before the closing bracket"))
                    }
                    _ => return Err(self.fail(at, "expected a value before the closing bracket")),
                }
                self.put(&[b])?;
                self.value_done();
            }
            b',' => {
                if self.expect != Expect::CommaOrClose {
                    return Err(self.fail(at, "a comma where none belongs"));
                }
                self.put(b",")?;
                self.newline()?;
                self.expect = if self.stack.last() == Some(&Container::Object) {
                    Expect::Key
                } else {
                    Expect::Value
                };
            }
            b':' => {
                if self.expect != Expect::Colon {
                    return Err(self.fail(at, "a ':' where none belongs"));
                }
                self.put(b": ")?;
                self.expect = Expect::Value;
            }
            b'"' => {
                let key = matches!(self.expect, Expect::Key | Expect::FirstKeyOrClose);
                self.start_element(at, key)?;
                self.put(b"\"")?;
                self.token = Token::Str { key, escape: 0 };
            }
            b'-' | b'0'..=b'9' => {
                self.start_element(at, false)?;
                let state = if b == b'-' {
                    Number::Minus
                } else if b == b'0' {
                    Number::Zero
                } else {
                    Number::Int
                };
                self.put(&[b])?;
                self.token = Token::Num(state);
            }
            b't' | b'f' | b'n' => {
                self.start_element(at, false)?;
                let word: &'static [u8] = match b {
                    b't' => b"true",
                    b'f' => b"false",
                    _ => b"null",
                };
                self.token = Token::Literal { word, at: 1 };
            }
            0xEF if self.offset == 0 && at == 0 => {
                return Err(self.fail(at, "a byte-order mark before the JSON"))
            }
            _ => return Err(self.fail(at, "an unexpected character")),
        }
        Ok(())
    }

    /// Copies string bytes from `chunk[i..]` up to and including the closing quote.
    fn string(
        &mut self,
        chunk: &[u8],
        mut i: usize,
        key: bool,
        mut escape: u8,
    ) -> Result<usize, PrettyError> {
        let start = i;
        while i < chunk.len() {
            if escape == 0 {
                // Most of a JSON body is string text: jump to the next quote or backslash, and
                // check the bytes jumped over for control characters in one sweep.
                let rest = &chunk[i..];
                let jump = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
                if let Some(at) = rest[..jump].iter().position(|&b| b < 0x20) {
                    return Err(self.fail(i + at, "a control character inside a string"));
                }
                i += jump;
                if i == chunk.len() {
                    break;
                }
            }
            let b = chunk[i];
            if escape == 1 {
                escape = match b {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => 0,
                    b'u' => 5,
                    _ => return Err(self.fail(i, "an unknown escape in a string")),
                };
            } else if escape > 1 {
                if !b.is_ascii_hexdigit() {
                    return Err(self.fail(i, "a \\u escape needs four hex digits"));
                }
                escape -= 1;
                if escape == 1 {
                    escape = 0;
                }
            } else if b == b'\\' {
                escape = 1;
            } else if b == b'"' {
                self.put(&chunk[start..=i])?;
                self.token = Token::None;
                if key {
                    self.expect = Expect::Colon;
                } else {
                    self.value_done();
                }
                return Ok(i + 1);
            } else if b < 0x20 {
                return Err(self.fail(i, "a control character inside a string"));
            }
            i += 1;
        }
        self.put(&chunk[start..])?;
        self.token = Token::Str { key, escape };
        Ok(i)
    }

    fn finish(mut self) -> Result<(), PrettyError> {
        let end = 0;
        match self.token {
            Token::Str { .. } => return Err(self.fail(end, "the text ends inside a string")),
            Token::Literal { .. } => {
                return Err(self.fail(end, "the text ends inside true, false or null"))
            }
            Token::Num(state) if !state.complete() => {
                return Err(self.fail(end, "the text ends inside a number"))
            }
            Token::Num(_) => {
                self.token = Token::None;
                self.value_done();
            }
            Token::None => {}
        }
        match self.expect {
            Expect::End => {}
            Expect::Value if self.stack.is_empty() => {
                return Err(
                    self.fail(end, "there is no JSON value (the body is empty or only spaces)")
                )
            }
            _ => return Err(self.fail(end, "the text ends before the JSON is complete")),
        }
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty_bytes(input: &[u8]) -> Result<Vec<u8>, PrettyError> {
        let mut out = Vec::new();
        pretty_json(input, &mut out)?;
        Ok(out)
    }

    fn pretty(s: &str) -> Result<String, String> {
        pretty_bytes(s.as_bytes()).map(|b| String::from_utf8(b).unwrap()).map_err(|e| e.to_string())
    }

    /// Feeding in every split of the input gives the same output as one piece.
    fn pretty_split(s: &str, at: usize) -> Result<String, String> {
        struct Two<'a>(&'a [u8], &'a [u8], u8);
        impl Read for Two<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.2 == 0 && self.0.is_empty() {
                    self.2 = 1;
                }
                let part = match self.2 {
                    0 => self.0,
                    1 => self.1,
                    _ => return Ok(0),
                };
                self.2 += 1;
                let n = part.len().min(buf.len());
                buf[..n].copy_from_slice(&part[..n]);
                Ok(n)
            }
        }
        let (a, b) = s.as_bytes().split_at(at);
        let mut out = Vec::new();
        pretty_json(Two(a, b, 0), &mut out).map_err(|e| e.to_string())?;
        Ok(String::from_utf8(out).unwrap())
    }

    const SAMPLES: &[&str] = &[
        r#"{"data":[{"id":"1","type":"projects","attributes":{"name":"A \"quoted\" \\ name","n":-12.5e+3,"ok":true,"none":null,"empty":{},"list":[]}}],"meta":{"count":1}}"#,
        r#"[1,2,[3,[4,[]]],{"a":{"b":{}}},"\u00e9\ud83d\ude00",false]"#,
        r#"  "just a string"  "#,
        "0",
        "-0.0e-0",
        r#"{"unicode":"héllo wörld ✓","ctl":"\n\t\r\b\f\/"}"#,
        "[[[[[[[[[[]]]]]]]]]]",
    ];

    #[test]
    fn matches_serde_json_layout_for_values_it_round_trips() {
        for sample in SAMPLES {
            let value: serde_json::Value = serde_json::from_str(sample).unwrap();
            let ours = pretty(sample).unwrap();
            let reparsed: serde_json::Value = serde_json::from_str(&ours).unwrap();
            assert_eq!(reparsed, value, "same value for {sample}");
            if !sample.contains('e') && !sample.contains("\\u") && !sample.contains("\\/") {
                assert_eq!(
                    ours,
                    serde_json::to_string_pretty(&value).unwrap(),
                    "same layout for {sample}"
                );
            }
        }
    }

    #[test]
    fn every_split_point_gives_the_same_output() {
        for sample in SAMPLES {
            let whole = pretty(sample).unwrap();
            for at in 0..=sample.len() {
                assert_eq!(pretty_split(sample, at).unwrap(), whole, "split at {at} of {sample}");
            }
        }
    }

    #[test]
    fn keeps_numbers_exactly_and_keys_in_order() {
        let out = pretty(r#"{"z":12345678901234567890123,"a":1.10,"z":2}"#).unwrap();
        assert_eq!(out, "{\n  \"z\": 12345678901234567890123,\n  \"a\": 1.10,\n  \"z\": 2\n}");
    }

    #[test]
    fn invalid_json_is_refused_with_where_and_why() {
        let cases: &[(&str, u64, &str)] = &[
            ("", 0, "no JSON value"),
            ("   ", 3, "no JSON value"),
            ("{", 1, "ends before"),
            (r#"{"a":1,}"#, 7, "trailing comma"),
            (r#"[1,]"#, 3, "trailing comma"),
            (r#"{"a" 1}"#, 5, "expected ':'"),
            (r#"{1:2}"#, 1, "expected a key"),
            ("[1 2]", 3, "expected ','"),
            ("[1]]", 3, "nothing open"),
            ("[1}", 2, "does not match"),
            ("01", 1, "more after the end"),
            ("-", 1, "inside a number"),
            ("1.", 2, "inside a number"),
            ("[1.]", 3, "cut short"),
            ("tru", 3, "inside true"),
            ("trux", 3, "expected true"),
            ("\"abc", 4, "inside a string"),
            ("\"a\\x\"", 3, "unknown escape"),
            ("\"\\u12G4\"", 5, "four hex digits"),
            ("\"a\nb\"", 2, "control character"),
            ("{} {}", 3, "more after the end"),
            ("<html>", 0, "unexpected character"),
            ("\u{feff}{}", 0, "byte-order mark"),
            ("{\"a\":}", 5, "expected a value"),
            (",", 0, "comma where none"),
            (":", 0, "':' where none"),
        ];
        for (input, offset, what) in cases {
            match pretty_bytes(input.as_bytes()) {
                Err(PrettyError::Syntax { offset: o, what: w }) => {
                    let expected_offset = if w.contains("ends") || w.contains("no JSON") {
                        input.len() as u64
                    } else {
                        *offset
                    };
                    assert_eq!(o, expected_offset, "offset for {input:?} ({w})");
                    assert!(w.contains(what), "{input:?}: {w} should mention {what}");
                }
                other => panic!(
                    "{input:?} should be refused, got {other:?}",
                    other = other.map(|b| String::from_utf8_lossy(&b).into_owned())
                ),
            }
        }
    }

    #[test]
    fn agrees_with_serde_json_on_what_is_json() {
        // A small deterministic generator of near-JSON texts: both must accept or refuse alike.
        let alphabet: &[u8] = b"{}[]:,\"a\\u01e.-+ tfn";
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 12) as usize;
            let mut s = Vec::new();
            let mut x = seed;
            for _ in 0..len {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                s.push(alphabet[(x >> 33) as usize % alphabet.len()]);
            }
            let serde_ok = serde_json::from_slice::<serde::de::IgnoredAny>(&s).is_ok();
            let ours_ok = pretty_bytes(&s).is_ok();
            assert_eq!(ours_ok, serde_ok, "{:?}", String::from_utf8_lossy(&s));
        }
    }

    #[test]
    fn deep_nesting_needs_no_recursion() {
        let depth = 200_000;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let out = pretty_bytes(text.as_bytes()).unwrap();
        assert!(out.starts_with(b"[\n  [\n    ["));
        assert_eq!(out.iter().filter(|b| **b == b'[').count(), depth);
        let widest = out.split(|b| *b == b'\n').map(|line| line.len()).max().unwrap();
        assert_eq!(widest, MAX_INDENT_DEPTH * 2 + 2, "the innermost `[]`: indentation stops growing past the limit, so the output stays linear");
    }
}
