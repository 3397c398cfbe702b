//! Bodies and results nested too deeply to read or write: both recurse once per level, so a
//! body or result nested more than [`MAX_DEPTH`] levels deep is refused before that. Known
//! limit: a filter that itself builds a value millions of levels deep and then hands it to a
//! native filter that recurses once a level can still overflow the worker's 2 GB stack, which
//! ends the program (`reduce range(3e6) as $x (0; [.]) | tojson`, about 700 bytes of stack a
//! level in a release build; 2 million levels pass). Dropping such a value fits in the stack
//! (see `WORKER_STACK`); only running filters in a process of their own would contain the rest.

use jaq_json::Val;

/// Bodies and results nested deeper than this are refused: reading, writing and dropping such
/// values recurse once per level (a body of 1,000,000 `[` overflowed even the worker's stack,
/// which ends the whole program). jq's own reader stops at the same depth.
pub(super) const MAX_DEPTH: usize = 10_000;

/// The first depth past `max` that `json` nests arrays and objects to, read byte by byte (no
/// recursion): `None` when it stays within `max` (or is not JSON; the reader says so).
pub(super) fn nesting_past(json: &[u8], max: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in json {
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
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(max);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Whether `value` nests arrays and objects deeper than `max`, walked without recursion.
pub(super) fn too_deep(value: &Val, max: usize) -> bool {
    let mut stack = vec![(value, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        match v {
            Val::Arr(items) => {
                if depth >= max {
                    return true;
                }
                stack.extend(items.iter().map(|item| (item, depth + 1)));
            }
            Val::Obj(members) => {
                if depth >= max {
                    return true;
                }
                for (k, item) in members.iter() {
                    stack.push((k, depth + 1));
                    stack.push((item, depth + 1));
                }
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{too_deep, MAX_DEPTH};
    use crate::requests::jq::tests::jq;
    use crate::requests::jq::{run_on, JqLimits};

    #[test]
    fn values_nested_too_deeply_are_refused_not_a_crash() {
        // A 2 MB body of a million nested arrays overflowed the worker's stack (the whole
        // program ended); the depth is checked before it is read.
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let e = run_on(nested(1_000_000).as_bytes(), "length", &JqLimits::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("more than 10000 levels deep"), "{e}");
        let within = nested(MAX_DEPTH);
        assert_eq!(run_on(within.as_bytes(), "length", &JqLimits::default()).unwrap().text, "1");
        let strings = format!("[\"{}\", \"\\\"[\"]", "[".repeat(20_000));
        assert_eq!(run_on(strings.as_bytes(), "length", &JqLimits::default()).unwrap().text, "2");
        // A result built deeper than that is not written (writing recursed once per level).
        let e = jq("reduce range(20000) as $x (0; [.])").unwrap_err().to_string();
        assert!(e.contains("too deep to show"), "{e}");
        assert_eq!(jq("reduce range(20000) as $x (0; [.]) | length").unwrap().text, "1");
        assert!(too_deep(&jaq_json::read::parse_single(b"{\"a\":[[1]]}").unwrap(), 2));
        assert!(!too_deep(&jaq_json::read::parse_single(b"{\"a\":[[1]]}").unwrap(), 3));
    }
}
