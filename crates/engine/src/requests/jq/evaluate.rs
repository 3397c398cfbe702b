//! One run of a filter, on the worker thread: compile it, read the body, and write the results
//! while the guard lets it go on.

use super::depth::{nesting_past, too_deep, MAX_DEPTH};
use super::guard::Guard;
use super::messages::{compile_messages, filter_error, load_messages, stopped_error};
use super::output::Capped;
use super::stop::{guarded_range, stop_table, term_number, Watch, Watched, TERMS_PER_CHAR};
use super::{JqLimits, JqOutput, JqStop};
use crate::error::EngineError;
use crate::requests::store::human_bytes;
use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars};
use std::io::Write;
use std::time::Instant;

/// Compiles and runs `filter` on `input` here, on a worker thread with [`super::WORKER_STACK`].
pub(super) fn evaluate(
    input: &[u8],
    filter: &str,
    limits: &JqLimits,
    stop: &JqStop,
    started: Instant,
) -> Result<JqOutput, EngineError> {
    let probe = 0u8;
    let guard =
        Guard::new(stop, limits, started, std::hint::black_box(&probe) as *const u8 as usize);
    let code = if filter.trim().is_empty() { "." } else { filter };
    let arena = Arena::default();
    let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs());
    let modules = Loader::new(defs)
        .load(&arena, File { code, path: () })
        .map_err(|errors| filter_error(code, load_messages(code, errors)))?;
    let funs = jaq_core::funs()
        .filter(|(name, args, _)| !(*name == "range" && args.len() == 3))
        .chain([guarded_range()])
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let compiled = Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errors| filter_error(code, compile_messages(code, errors)))?;
    // The filter's terms follow the standard library's, which end where its entry point is.
    let library = term_number(&compiled.id).unwrap_or(4096);
    let stop_filter = stop_table(library + 1 + TERMS_PER_CHAR * (code.len() + 1))?;

    if input.len() as u64 > limits.max_input {
        return Err(EngineError::MissingInput(format!(
            "The body is {}, more than the {} jq can work on here.",
            human_bytes(input.len() as u64),
            human_bytes(limits.max_input)
        )));
    }
    if let Some(depth) = nesting_past(input, MAX_DEPTH) {
        return Err(EngineError::MissingInput(format!(
            "The body nests values more than {depth} levels deep, deeper than the {MAX_DEPTH} jq \
             works with here. Look at it as text instead."
        )));
    }
    let value = jaq_json::read::parse_single(input).map_err(|e| {
        EngineError::MissingInput(format!("The body is not JSON ({e}), so a jq filter cannot read it. Look at it as text instead."))
    })?;
    if let Some(why) = guard.check_now() {
        return Err(stopped_error(why, limits));
    }

    let watch = Watch { lut: &compiled.lut, stop_lut: &stop_filter.lut, guard: &guard };
    let ctx = Ctx::<Watched>::new(watch, Vars::new([]));
    let pp = jaq_json::write::Pp { indent: Some("  ".to_string()), ..Default::default() };
    let mut out = Capped::new(limits.max_output);
    let mut results = 0;
    let mut truncated = false;
    for item in compiled.id.run((ctx, value)) {
        if let Some(why) = guard.check_now() {
            return Err(stopped_error(why, limits));
        }
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
        if too_deep(&value, MAX_DEPTH) {
            return Err(EngineError::MissingInput(format!(
                "A result of the jq filter nests values more than {MAX_DEPTH} levels deep, too \
                 deep to show. Take a part of it (for example .[0] or .a)."
            )));
        }
        if results > 0 {
            let _ = out.write_all(b"\n");
        }
        if jaq_json::write::write(&mut out, &pp, 0, &value).is_err() || out.hit() {
            truncated = true;
            break;
        }
        results += 1;
    }
    if let Some(why) = guard.stopped() {
        return Err(stopped_error(why, limits));
    }
    Ok(JqOutput {
        text: out.into_text(truncated, results, limits),
        results,
        truncated,
        elapsed_ms: (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0,
    })
}

#[cfg(test)]
mod tests {
    use crate::requests::jq::tests::jq;

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
}
