//! jq filters on a stored body, with jaq (jq's language and its standard library), run on a
//! blocking thread so the async runtime keeps serving. Outputs come back as pretty JSON text,
//! cut at a size limit with a note; mistakes in the filter, non-JSON bodies and runtime errors
//! come back as plain messages.

use crate::error::EngineError;
use crate::requests::store::{human_bytes, ExchangeStore};
use crate::requests::summary::ExchangeId;
use jaq_core::load::{Arena, File, Loader};
use jaq_core::{data, Compiler, Ctx, Vars};
use jaq_json::Val;
use serde::Serialize;
use std::io::Write;
use std::time::Instant;

/// How much a filter may read and write.
#[derive(Clone, Copy, Debug)]
pub struct JqLimits {
    /// Bodies larger than this are refused: jq holds the whole document as values, about 20
    /// times its size (a 50 MB body peaks near 1 GB).
    pub max_input: u64,
    /// Output text is cut here.
    pub max_output: usize,
    /// At most this many results are written.
    pub max_results: usize,
}

impl Default for JqLimits {
    fn default() -> Self {
        JqLimits { max_input: 64 * 1024 * 1024, max_output: 1024 * 1024, max_results: 10_000 }
    }
}

/// What a filter produced.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct JqOutput {
    /// The results as pretty JSON, one after the other; ends with a note when cut.
    pub text: String,
    /// Results written in full.
    pub results: usize,
    /// Whether the output was cut (by size or by count).
    pub truncated: bool,
    /// Time to parse the body and run the filter.
    pub elapsed_ms: f64,
}

/// Runs `filter` on the stored body of exchange `id`.
pub async fn run(
    store: &ExchangeStore,
    id: ExchangeId,
    filter: &str,
    limits: JqLimits,
) -> Result<JqOutput, EngineError> {
    let body = store.body(id)?;
    let filter = filter.to_string();
    tokio::task::spawn_blocking(move || {
        let input = body.read_all(limits.max_input)?;
        run_on(&input, &filter, &limits)
    })
    .await
    .map_err(|e| EngineError::Local(format!("The jq filter stopped unexpectedly ({e}).")))?
}

/// Runs `filter` on `input` here, on this thread.
pub fn run_on(input: &[u8], filter: &str, limits: &JqLimits) -> Result<JqOutput, EngineError> {
    let started = Instant::now();
    let code = if filter.trim().is_empty() { "." } else { filter };
    let arena = Arena::default();
    let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs());
    let modules = Loader::new(defs)
        .load(&arena, File { code, path: () })
        .map_err(|errors| filter_error(code, load_messages(code, errors)))?;
    let funs = jaq_core::funs().chain(jaq_std::funs()).chain(jaq_json::funs());
    let compiled = Compiler::default().with_funs(funs).compile(modules).map_err(|errors| {
        let messages = errors
            .into_iter()
            .flat_map(|(_, errs)| errs)
            .map(|(found, undefined)| {
                (offset(code, found), format!("{found} is not defined ({})", undefined.as_str()))
            })
            .collect();
        filter_error(code, messages)
    })?;

    if input.len() as u64 > limits.max_input {
        return Err(EngineError::MissingInput(format!(
            "The body is {}, more than the {} jq can work on here.",
            human_bytes(input.len() as u64),
            human_bytes(limits.max_input)
        )));
    }
    let value = jaq_json::read::parse_single(input).map_err(|e| {
        EngineError::MissingInput(format!("The body is not JSON ({e}), so a jq filter cannot read it. Look at it as text instead."))
    })?;

    let ctx = Ctx::<data::JustLut<Val>>::new(&compiled.lut, Vars::new([]));
    let pp = jaq_json::write::Pp { indent: Some("  ".to_string()), ..Default::default() };
    let mut out = Capped { buf: Vec::new(), cap: limits.max_output, hit: false };
    let mut results = 0;
    let mut truncated = false;
    for item in compiled.id.run((ctx, value)) {
        let value = match item {
            Ok(v) => v,
            Err(exn) => match exn.get_err() {
                Ok(e) => {
                    return Err(EngineError::MissingInput(format!(
                        "The jq filter stopped with an error: {e}"
                    )))
                }
                Err(_) => break, // `halt`: stop quietly with what was written.
            },
        };
        if results == limits.max_results {
            truncated = true;
            break;
        }
        if results > 0 {
            let _ = out.write_all(b"\n");
        }
        if jaq_json::write::write(&mut out, &pp, 0, &value).is_err() || out.hit {
            truncated = true;
            break;
        }
        results += 1;
    }
    let mut text = match String::from_utf8(out.buf) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    if truncated {
        if out.hit {
            // Cut at a character boundary.
            while !text.is_empty() && text.ends_with('\u{fffd}') {
                text.pop();
            }
        }
        let why = if out.hit {
            format!("the output reached {}", human_bytes(limits.max_output as u64))
        } else {
            format!("{} results", limits.max_results)
        };
        text.push_str(&format!(
            "\n… cut after {results} complete result(s): {why}. Narrow the filter to see the rest."
        ));
    }
    Ok(JqOutput {
        text,
        results,
        truncated,
        elapsed_ms: (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0,
    })
}

/// A writer that stops at `cap` bytes.
struct Capped {
    buf: Vec<u8>,
    cap: usize,
    hit: bool,
}

impl Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let room = self.cap.saturating_sub(self.buf.len());
        if data.len() > room {
            self.buf.extend_from_slice(&data[..room]);
            self.hit = true;
            return Err(std::io::Error::other("output limit"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The byte offset of `part`, a slice of `code`.
fn offset(code: &str, part: &str) -> usize {
    let start = part.as_ptr() as usize;
    let base = code.as_ptr() as usize;
    if start >= base && start <= base + code.len() {
        start - base
    } else {
        code.len()
    }
}

fn load_messages(code: &str, errors: jaq_core::load::Errors<&str, ()>) -> Vec<(usize, String)> {
    use jaq_core::load::Error;
    let found_text = |found: &str| {
        if found.is_empty() {
            "the end of the filter".to_string()
        } else {
            format!("\"{}\"", found.chars().take(12).collect::<String>())
        }
    };
    let mut messages = Vec::new();
    for (_, error) in errors {
        match error {
            Error::Io(errs) => messages.extend(errs.into_iter().map(|(path, e)| {
                (offset(code, path), format!("{path} cannot be loaded here ({e})"))
            })),
            Error::Lex(errs) => messages.extend(errs.into_iter().map(|(expected, found)| {
                (
                    offset(code, found),
                    format!("expected {}, found {}", expected.as_str(), found_text(found)),
                )
            })),
            Error::Parse(errs) => messages.extend(errs.into_iter().map(|(expected, found)| {
                (
                    offset(code, found),
                    format!("expected {}, found {}", expected.as_str(), found_text(found)),
                )
            })),
        }
    }
    messages
}

fn filter_error(code: &str, messages: Vec<(usize, String)>) -> EngineError {
    let parts: Vec<String> = messages
        .into_iter()
        .map(|(at, message)| {
            let column = code[..at.min(code.len())].chars().count() + 1;
            format!("at character {column}: {message}")
        })
        .collect();
    let detail =
        if parts.is_empty() { "it could not be read".to_string() } else { parts.join("; ") };
    EngineError::MissingInput(format!("The jq filter has a mistake {detail}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &[u8] = br#"{"data":[{"id":"1","attributes":{"name":"Acme","active":true}},{"id":"2","attributes":{"name":"Globex","active":false}}],"meta":{"record-count":2}}"#;

    fn jq(filter: &str) -> Result<JqOutput, EngineError> {
        run_on(DOC, filter, &JqLimits::default())
    }

    #[test]
    fn common_filters_work() {
        assert_eq!(jq(".data | length").unwrap().text, "2");
        assert_eq!(jq(".data[].attributes.name").unwrap().text, "\"Acme\"\n\"Globex\"");
        assert_eq!(
            jq("[.data[] | select(.attributes.active) | .id]").unwrap().text,
            "[\n  \"1\"\n]"
        );
        assert_eq!(
            jq(".data | map(.attributes.name) | sort_by(length) | join(\", \")").unwrap().text,
            "\"Acme, Globex\""
        );
        assert_eq!(jq(".meta | keys").unwrap().text, "[\n  \"record-count\"\n]");
        assert_eq!(jq(".meta[\"record-count\"] | tostring | test(\"^2$\")").unwrap().text, "true");
        assert_eq!(jq("").unwrap().results, 1, "an empty filter is the identity");
    }

    #[test]
    fn mistakes_are_explained() {
        let e = jq(".data | lenght").unwrap_err().to_string();
        assert!(
            e.contains("lenght") && e.contains("not defined") && e.contains("character 9"),
            "{e}"
        );
        let e = jq(".data[").unwrap_err().to_string();
        assert!(e.starts_with("The jq filter has a mistake"), "{e}");
        let e = jq(".data | .foo").unwrap_err().to_string();
        assert!(e.contains("stopped with an error"), "{e}");
        let e = run_on(b"<html>", ".", &JqLimits::default()).unwrap_err().to_string();
        assert!(e.contains("not JSON"), "{e}");
        assert_eq!(jq("halt").unwrap().results, 0, "halt does not end the process");
    }

    #[test]
    fn output_is_cut_with_a_note() {
        let limits = JqLimits { max_output: 40, ..JqLimits::default() };
        let out = run_on(DOC, ".data[]", &limits).unwrap();
        assert!(out.truncated && out.text.contains("cut after"), "{}", out.text);
        let limits = JqLimits { max_results: 1, ..JqLimits::default() };
        let out = run_on(DOC, ".data[].id", &limits).unwrap();
        assert_eq!(out.results, 1);
        assert!(out.text.starts_with("\"1\"\n… cut after 1"), "{}", out.text);
    }
}
