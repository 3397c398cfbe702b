//! How a run is stopped. jaq looks up every term it evaluates in its look-up table through the
//! run's data ([`HasLut::lut`]); the data here answers with the real table while the run may go
//! on, and with a "stop" table once it must end, in which every term is a call to a native
//! filter that halts (an exception `try` does not catch). Whatever the evaluation was doing, its
//! next step halts, and the halt travels up to the loop that writes the results. `range`, the
//! one native generator that can run without evaluating a term per output, is replaced by one
//! that checks too.

use super::guard::Guard;
use crate::error::EngineError;
use jaq_core::box_iter::box_once;
use jaq_core::data::{DataT, HasLut};
use jaq_core::load::{Arena, File, Loader};
use jaq_core::native::Fun;
use jaq_core::{Compiler, Exn, Native, ValX};
use jaq_json::Val;
use std::sync::{Arc, Mutex};

/// The kind of data jaq runs the filters with: JSON values, and [`Watch`].
pub(super) struct Watched;

impl DataT for Watched {
    type V<'a> = Val;
    type Data<'a> = Watch<'a>;
}

type Lut = jaq_core::Lut<Watched>;
type Filter = jaq_core::Filter<Watched>;

/// The run's look-up tables and its guard, in every context of the evaluation.
#[derive(Clone)]
pub(super) struct Watch<'a> {
    pub(super) lut: &'a Lut,
    pub(super) stop_lut: &'a Lut,
    pub(super) guard: &'a Guard<'a>,
}

impl<'a> HasLut<'a, Watched> for Watch<'a> {
    fn lut(&self) -> &'a Lut {
        if self.guard.should_stop() {
            self.stop_lut
        } else {
            self.lut
        }
    }
}

/// The exit code of the halt that ends a stopped run (never shown).
const STOP_HALT: i32 = 124;

fn halt<'a, T>() -> ValX<'a, T, Val> {
    Err(Exn::halt(STOP_HALT))
}

/// The one native filter of the stop table: halts, whichever way it is evaluated.
fn stop_native() -> Fun<Watched> {
    let native = Native::new(|_| box_once(halt()))
        .with_paths(|_| box_once(halt()))
        .with_update(|_, _| box_once(halt()));
    ("stop", jaq_core::native::v(0), native)
}

/// `range($from; $to; $by)` that asks the guard before each number, so `[range(1e12)]` stops
/// too (jaq's own makes all its numbers without evaluating a term).
pub(super) fn guarded_range<D: for<'a> DataT<V<'a> = Val, Data<'a> = Watch<'a>>>() -> Fun<D> {
    let run: jaq_core::RunPtr<D> = |mut cv| {
        let by = cv.0.pop_var();
        let to = cv.0.pop_var();
        let from = cv.0.pop_var();
        let guard = cv.0.data().guard;
        let up = by > Val::from(0isize);
        let down = by < Val::from(0isize);
        let mut next = Some(from);
        Box::new(std::iter::from_fn(move || {
            let x = next.take()?;
            let more = if up {
                x < to
            } else if down {
                x > to
            } else {
                x != to
            };
            if !more {
                return None;
            }
            if guard.should_stop() {
                return Some(halt());
            }
            match x.clone() + by.clone() {
                Ok(n) => next = Some(n),
                Err(e) => return Some(Err(Exn::from(e))),
            }
            Some(Ok(x))
        }))
    };
    ("range", jaq_core::native::v(3), Native::<D>::new(run))
}

/// Terms of a filter's own (beyond the standard library's) per character of its text, at
/// most; the test `the_stop_table_is_long_enough` measures the densest filters at under 3.
pub(super) const TERMS_PER_CHAR: usize = 8;

/// The stop table, at least `terms` long: a balanced tree of `stop, stop` (so no term of it
/// nests deeper than a few dozen calls), made once and grown when a longer filter needs it.
pub(super) fn stop_table(terms: usize) -> Result<Arc<Filter>, EngineError> {
    static TABLE: Mutex<Option<(usize, Arc<Filter>)>> = Mutex::new(None);
    let mut table = TABLE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((leaves, filter)) = table.as_ref() {
        if *leaves >= terms {
            return Ok(filter.clone());
        }
    }
    let leaves = terms.next_power_of_two().max(1024);
    fn tree(leaves: usize, out: &mut String) {
        if leaves <= 1 {
            out.push_str("stop");
        } else {
            out.push('(');
            tree(leaves / 2, out);
            out.push(',');
            tree(leaves - leaves / 2, out);
            out.push(')');
        }
    }
    let mut code = String::with_capacity(leaves * 6);
    tree(leaves, &mut code);
    let arena = Arena::default();
    let failed = || EngineError::Local("The jq filter could not be prepared.".into());
    let modules =
        Loader::new([]).load(&arena, File { code: &code, path: () }).map_err(|_| failed())?;
    let filter =
        Compiler::default().with_funs([stop_native()]).compile(modules).map_err(|_| failed())?;
    let filter = Arc::new(filter);
    *table = Some((leaves, filter.clone()));
    Ok(filter)
}

/// The number in a term id's debug form (`TermId(816)`): jaq shows no other way.
pub(super) fn term_number(id: &jaq_core::compile::TermId) -> Option<usize> {
    let text = format!("{id:?}");
    text.trim_start_matches(|c: char| !c.is_ascii_digit())
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::{term_number, Watched, TERMS_PER_CHAR};
    use crate::requests::jq::tests::jq;
    use jaq_core::load::{Arena, File, Loader};

    #[test]
    fn filters_that_end_still_work_with_the_guarded_range() {
        assert_eq!(jq("[range(5)]").unwrap().text, "[\n  0,\n  1,\n  2,\n  3,\n  4\n]");
        assert_eq!(jq("[range(5; 0; -2)] | join(\",\")").unwrap().text, "\"5,3,1\"");
        assert_eq!(jq("[range(0; 1; 0.25)] | length").unwrap().text, "4");
        assert_eq!(jq("[range(3; 3; 0)] | length").unwrap().text, "0");
        assert_eq!(jq("[range(1; 3)]").unwrap().results, 1);
        assert_eq!(jq("reduce range(1e6) as $x (0; . + $x)").unwrap().text, "499999500000");
        let e = jq("[range(0; 1; \"a\")]").unwrap_err().to_string();
        assert!(e.contains("stopped with an error"), "{e}");
    }

    /// The number of terms in a compiled filter, counted in its debug form (jaq shows it no
    /// other way): the items of the list after `terms: [`.
    fn terms_of(code: &str) -> (usize, usize) {
        let arena = Arena::default();
        let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs());
        let modules = Loader::new(defs).load(&arena, File { code, path: () }).unwrap();
        let funs = jaq_core::funs::<Watched>()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs())
            .map(|(name, args, _)| (name, args, ()));
        let filter =
            jaq_core::compile::Compiler::default().with_funs(funs).compile(modules).unwrap();
        let text = format!("{:?}", filter.lut);
        let list = &text[text.find("terms: [").unwrap() + "terms: [".len()..];
        let (mut depth, mut count, mut in_str, mut escaped) = (0i32, 1, false, false);
        for c in list.chars() {
            if in_str {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '(' | '[' | '{' => depth += 1,
                ')' | '}' => depth -= 1,
                ']' if depth == 0 => break,
                ']' => depth -= 1,
                ',' if depth == 0 => count += 1,
                _ => {}
            }
        }
        (term_number(&filter.id).unwrap(), count)
    }

    #[test]
    fn the_stop_table_is_long_enough() {
        let (library, terms) = terms_of(".");
        assert_eq!(terms, library + 1, "the filter's terms follow the library's");
        let mut densest = 0.0f64;
        for code in [
            "..",
            ".a.b.c.d",
            ".[0][1:2][]?",
            "{(.a,.b): 1, \"x\": 2}",
            "1 as $x | {a,b,c,$x}",
            "\"\\(.a)\\(.b)\\(.c)\"",
            "@base64 \"x\\(.)y\\(.)\"",
            ".a |= 1 | .b += 2 | .c //= 3 | .d = 4",
            "reduce .[] as [$a, {b: $c}] (0; . + $a)",
            "foreach .[] as $x (0; . + 1; [$x, .])",
            "def f(g; $x): g; f(.; 1)",
            "try . catch . | label $f | 1, break $f",
            "if . then 1 elif . then 2 else 3 end",
            ". as {a: [$x, $y], $z} | [$x, $y, $z]",
            "-.a? // .b",
            "[.[] | select(.a)] | map(.b) | sort_by(.c)",
        ] {
            let (_, n) = terms_of(code);
            let per_char = (n - library) as f64 / (code.len() + 1) as f64;
            densest = densest.max(per_char);
            assert!(n <= library + 1 + TERMS_PER_CHAR * (code.len() + 1), "{code}: {n} terms");
        }
        println!(
            "the densest filter has {densest:.2} terms per character (bound: {TERMS_PER_CHAR})"
        );
    }
}
