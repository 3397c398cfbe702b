//! The texts of a filter's mistakes and of a stopped run, saying what to do.

use super::guard::Stopped;
use super::JqLimits;
use crate::error::EngineError;
use crate::requests::store::human_bytes;
use std::time::Duration;

/// A duration as people read it: `10 s`, `0.3 s`.
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s:.1} s")
    }
}

/// What the user is told when a run was stopped, and what to do about it.
pub(super) fn stopped_error(why: Stopped, limits: &JqLimits) -> EngineError {
    match why {
        Stopped::Cancelled => EngineError::Cancelled,
        Stopped::TimeUp => EngineError::MissingInput(format!(
            "The jq filter ran longer than {} and was stopped. Simplify it, or take only what \
             you need with limit(n; …) or first(…).",
            seconds(limits.max_time)
        )),
        Stopped::TooMuchMemory => EngineError::MissingInput(format!(
            "The jq filter used more than {} of memory and was stopped. Take only what you need \
             with limit(n; …) or first(…), or pick a part of the body first (.data[0], …).",
            human_bytes(limits.max_memory)
        )),
        Stopped::TooDeep => EngineError::MissingInput(
            "The jq filter recursed too deeply and was stopped: a definition that calls itself \
             needs a case that ends the recursion (or take only what you need with limit(n; …))."
                .into(),
        ),
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

/// The filter's mistakes of spelling and grammar, each at its byte offset in `code`.
pub(super) fn load_messages(
    code: &str,
    errors: jaq_core::load::Errors<&str, ()>,
) -> Vec<(usize, String)> {
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

/// The names a filter uses but nothing defines, each at its byte offset in `code`.
pub(super) fn compile_messages(
    code: &str,
    errors: jaq_core::compile::Errors<&str, ()>,
) -> Vec<(usize, String)> {
    errors
        .into_iter()
        .flat_map(|(_, errs)| errs)
        .map(|(found, undefined)| {
            (offset(code, found), format!("{found} is not defined ({})", undefined.as_str()))
        })
        .collect()
}

/// The error for a filter's mistakes, each placed at its character in `code`.
pub(super) fn filter_error(code: &str, messages: Vec<(usize, String)>) -> EngineError {
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
    use crate::requests::jq::tests::jq;
    use crate::requests::jq::{run_on, JqLimits};

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
}
