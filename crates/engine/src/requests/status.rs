//! What an HTTP status means for someone calling ScopeStack's API, in plain words.

/// The status with its name and meaning, such as
/// "401 Unauthorized — the token is missing, expired or revoked".
pub fn describe(status: u16) -> String {
    let name =
        reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("");
    match meaning(status) {
        Some(meaning) if name.is_empty() => format!("{status} — {meaning}"),
        Some(meaning) => format!("{status} {name} — {meaning}"),
        None if name.is_empty() => format!("{status} — {}", class(status)),
        None => format!("{status} {name} — {}", class(status)),
    }
}

fn meaning(status: u16) -> Option<&'static str> {
    Some(match status {
        200 => "the request worked",
        201 => "the record was created",
        202 => "the server accepted the request and will finish it later",
        204 => "the request worked; there is nothing to show",
        301 | 308 => "the address moved for good; the answer says where",
        302 | 303 | 307 => "the answer is at another address for now; the answer says where",
        304 => "nothing changed since the copy you have",
        400 => "the server could not read the request: check the query parameters and the body",
        401 => "the token is missing, expired or revoked",
        403 => "the token works, but this user's role may not do this (often: reads work, writes do not)",
        404 => "no such record or address; for account data, check that the account slug starts the path",
        405 => "this address does not take this method",
        406 => "the API wants the header Accept: application/vnd.api+json",
        408 => "the server gave up waiting for the request",
        409 => "the request conflicts with the record's current state",
        410 => "this record or address is gone for good",
        413 => "the request body is too large for the server",
        415 => "writes need the header Content-Type: application/vnd.api+json",
        422 => "the server refused some fields: see each error's source.pointer",
        429 => "too many requests: wait a little, then try again",
        500 => "the server failed while answering: not your request's fault; try again later, or tell ScopeStack support",
        502 => "a gateway in front of the server got no usable answer: try again later",
        503 => "the server is down or overloaded for now: try again later",
        504 => "a gateway in front of the server gave up waiting: try again later",
        _ => return None,
    })
}

fn class(status: u16) -> &'static str {
    match status {
        100..=199 => "an interim answer",
        200..=299 => "the request worked",
        300..=399 => "the answer is at another address",
        400..=499 => "the server refused the request as sent",
        500..=599 => "the server failed while answering",
        _ => "a status outside the HTTP standard",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_in_plain_words() {
        assert_eq!(describe(401), "401 Unauthorized — the token is missing, expired or revoked");
        assert!(describe(422).contains("source.pointer"));
        assert_eq!(describe(418), "418 I'm a teapot — the server refused the request as sent");
        assert_eq!(describe(599), "599 — the server failed while answering");
    }
}
