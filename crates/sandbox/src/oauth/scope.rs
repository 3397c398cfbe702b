//! Scopes: ScopeStack knows `read` and `write`; requests may ask for a subset of them.

/// Every scope, in the order responses list them.
pub(crate) const ALL: [&str; 2] = ["read", "write"];

/// The scopes asked for by a `scope` parameter: all of them when absent or blank, `None` when
/// any is unknown.
pub(crate) fn parse(requested: Option<&str>) -> Option<Vec<String>> {
    let requested = requested.map(str::trim).filter(|s| !s.is_empty());
    let Some(requested) = requested else {
        return Some(ALL.iter().map(|s| (*s).to_owned()).collect());
    };
    let words: Vec<&str> = requested.split_whitespace().collect();
    if words.iter().any(|w| !ALL.contains(w)) {
        return None;
    }
    Some(ALL.iter().filter(|s| words.contains(s)).map(|s| (*s).to_owned()).collect())
}

/// Space-separated, as in token responses.
pub(crate) fn join(scopes: &[String]) -> String {
    scopes.join(" ")
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn parses_subsets_and_rejects_unknown() {
        assert_eq!(parse(None).unwrap(), ["read", "write"]);
        assert_eq!(parse(Some("  ")).unwrap(), ["read", "write"]);
        assert_eq!(parse(Some("write read read")).unwrap(), ["read", "write"]);
        assert_eq!(parse(Some("read")).unwrap(), ["read"]);
        assert!(parse(Some("read admin")).is_none());
    }
}
