//! Paste a curl command: the POSIX-shell words are split (single, double and `$'…'` quotes,
//! backslashes, line continuations), then the options a request needs are read. Options that
//! would read files or send passwords are refused with a reason; options about curl's own
//! output are ignored.

use crate::error::EngineError;
use crate::http_answer::JSON_API;
use crate::requests::spec::{is_write, RequestSpec};

fn bad(message: impl Into<String>) -> EngineError {
    EngineError::MissingInput(message.into())
}

/// Splits a command line into words as a POSIX shell would, without expanding `$variables`.
pub fn split_words(text: &str) -> Result<Vec<String>, EngineError> {
    if text.contains("^\"") || text.lines().any(|l| l.trim_end().ends_with('^')) {
        return Err(bad("This looks like a curl command copied for the Windows command prompt (with ^). Copy it as \"cURL (bash)\" instead."));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                match chars.get(i + 1) {
                    Some('\n') => {}
                    Some('\r') if chars.get(i + 2) == Some(&'\n') => i += 1,
                    Some(&next) => {
                        word.push(next);
                        in_word = true;
                    }
                    None => {}
                }
                i += 2;
            }
            '\'' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '\'')
                    .ok_or_else(|| bad("A single quote (') is opened but never closed."))?;
                word.extend(&chars[i + 1..i + 1 + end]);
                in_word = true;
                i += end + 2;
            }
            '"' => {
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(bad("A double quote (\") is opened but never closed.")),
                        Some('"') => break,
                        Some('\\') => {
                            match chars.get(i + 1) {
                                Some('\n') => {}
                                Some(&n @ ('"' | '\\' | '$' | '`')) => word.push(n),
                                Some(&n) => {
                                    word.push('\\');
                                    word.push(n);
                                }
                                None => word.push('\\'),
                            }
                            i += 2;
                        }
                        Some(&c) => {
                            word.push(c);
                            i += 1;
                        }
                    }
                }
                in_word = true;
                i += 1;
            }
            '$' if chars.get(i + 1) == Some(&'\'') => {
                i = ansi_c(&chars, i + 2, &mut word)?;
                in_word = true;
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                i += 1;
            }
            ';' | '|' | '&' | '<' | '>' | '`' => {
                return Err(bad(format!("The command has a \"{c}\", which belongs to the shell, not to curl. Paste one curl command only.")));
            }
            c => {
                word.push(c);
                in_word = true;
                i += 1;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// Reads a `$'…'` string from `i` (after the opening quote); returns the index after it.
fn ansi_c(chars: &[char], mut i: usize, word: &mut String) -> Result<usize, EngineError> {
    let hex = |digits: &[char]| {
        u32::from_str_radix(&digits.iter().collect::<String>(), 16).ok().and_then(char::from_u32)
    };
    loop {
        match chars.get(i) {
            None => return Err(bad("A $'…' quote is opened but never closed.")),
            Some('\'') => return Ok(i + 1),
            Some('\\') => {
                let Some(&e) = chars.get(i + 1) else {
                    return Err(bad("A $'…' quote ends with a lone backslash."));
                };
                i += 2;
                let simple = match e {
                    'n' => Some('\n'),
                    't' => Some('\t'),
                    'r' => Some('\r'),
                    'a' => Some('\u{7}'),
                    'b' => Some('\u{8}'),
                    'e' | 'E' => Some('\u{1b}'),
                    'f' => Some('\u{c}'),
                    'v' => Some('\u{b}'),
                    '\\' | '\'' | '"' | '?' => Some(e),
                    _ => None,
                };
                if let Some(c) = simple {
                    word.push(c);
                    continue;
                }
                let (max, radix_hex) = match e {
                    'x' => (2, true),
                    'u' => (4, true),
                    'U' => (8, true),
                    '0'..='7' => (3, false),
                    _ => {
                        word.push('\\');
                        word.push(e);
                        continue;
                    }
                };
                let start = if radix_hex { i } else { i - 1 };
                let mut end = start;
                while end < chars.len()
                    && end - start < max
                    && (if radix_hex {
                        chars[end].is_ascii_hexdigit()
                    } else {
                        ('0'..='7').contains(&chars[end])
                    })
                {
                    end += 1;
                }
                let value = if radix_hex {
                    hex(&chars[start..end])
                } else {
                    u32::from_str_radix(&chars[start..end].iter().collect::<String>(), 8)
                        .ok()
                        .and_then(char::from_u32)
                };
                word.push(
                    value.ok_or_else(|| {
                        bad("A $'…' quote has an escape that is not a character.")
                    })?,
                );
                i = end;
            }
            Some(&c) => {
                word.push(c);
                i += 1;
            }
        }
    }
}

/// What an option does with its value, if it takes one.
enum Opt {
    Method,
    Header,
    Data(DataKind),
    Json,
    Url,
    UserAgent,
    Referer,
    Cookie,
    MaxTime,
    Bearer,
    Follow,
    Get,
    Head,
    /// Ignored, with or without a value.
    Ignore(bool),
    Refuse(&'static str),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DataKind {
    /// `-d`, `--data`, `--data-ascii`, `--data-binary`: `@file` reads a file.
    Plain,
    /// `--data-raw`: taken as is.
    Raw,
    /// `--data-urlencode`.
    UrlEncode,
}

const USER_REFUSED: &str = "curl's -u (--user) sends a user name and password, which the app will not put in a request. ScopeStack's API takes a Bearer token: remove -u, and the profile's token is sent.";
const FILE_REFUSED: &str = "reads a file, which a pasted command cannot bring along. Paste the file's content instead (for a body: -d '…').";

fn long_option(name: &str) -> Option<Opt> {
    Some(match name {
        "request" => Opt::Method,
        "header" => Opt::Header,
        "data" | "data-ascii" | "data-binary" => Opt::Data(DataKind::Plain),
        "data-raw" => Opt::Data(DataKind::Raw),
        "data-urlencode" => Opt::Data(DataKind::UrlEncode),
        "json" => Opt::Json,
        "url" => Opt::Url,
        "user-agent" => Opt::UserAgent,
        "referer" => Opt::Referer,
        "cookie" => Opt::Cookie,
        "max-time" => Opt::MaxTime,
        "oauth2-bearer" => Opt::Bearer,
        "location" | "location-trusted" => Opt::Follow,
        "get" => Opt::Get,
        "head" => Opt::Head,
        "compressed" | "silent" | "show-error" | "verbose" | "include" | "fail" | "fail-with-body" | "globoff" | "no-buffer" | "progress-bar"
        | "no-progress-meter" | "http1.1" | "http2" | "http2-prior-knowledge" | "no-keepalive" | "path-as-is" => Opt::Ignore(false),
        "output" | "write-out" | "connect-timeout" | "retry" | "retry-delay" | "retry-max-time" | "dump-header" | "stderr" | "trace" | "trace-ascii"
        | "cookie-jar" | "max-redirs" => Opt::Ignore(true),
        "user" => Opt::Refuse(USER_REFUSED),
        "insecure" => Opt::Refuse("-k (--insecure) turns off certificate checks; the app always checks certificates. Remove -k."),
        "form" | "form-string" => Opt::Refuse("-F (--form) sends a multipart form, which the request tester does not build. ScopeStack's API takes JSON bodies: use -d '…'."),
        "upload-file" => Opt::Refuse("-T (--upload-file) reads a file, which a pasted command cannot bring along."),
        "config" => Opt::Refuse("-K (--config) reads options from a file, which a pasted command cannot bring along."),
        "proxy" => Opt::Refuse("-x (--proxy) is not taken from a pasted command: the app uses the system's proxy settings. Remove it."),
        "cert" | "key" | "cacert" => Opt::Refuse("client certificates and custom CA files are not taken from a pasted command. Remove the option."),
        _ => return None,
    })
}

fn short_option(c: char) -> Option<Opt> {
    let long = match c {
        'X' => "request",
        'H' => "header",
        'd' => "data",
        'A' => "user-agent",
        'e' => "referer",
        'b' => "cookie",
        'm' => "max-time",
        'L' => "location",
        'G' => "get",
        'I' => "head",
        's' => "silent",
        'S' => "show-error",
        'v' => "verbose",
        'i' => "include",
        'f' => "fail",
        'g' => "globoff",
        'N' => "no-buffer",
        '#' => "progress-bar",
        'o' => "output",
        'w' => "write-out",
        'D' => "dump-header",
        'c' => "cookie-jar",
        'u' => "user",
        'k' => "insecure",
        'F' => "form",
        'T' => "upload-file",
        'K' => "config",
        'x' => "proxy",
        'E' => "cert",
        _ => return None,
    };
    long_option(long)
}

fn takes_value(opt: &Opt) -> bool {
    !matches!(opt, Opt::Follow | Opt::Get | Opt::Head | Opt::Ignore(false) | Opt::Refuse(_))
}

/// `$TOKEN`, `${TOKEN}`, `<token>`, `YOUR_TOKEN`…: a stand-in for the profile's token.
fn is_token_placeholder(credential: &str) -> bool {
    let c = credential.trim();
    let bare = c
        .trim_start_matches('$')
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim_start_matches('<')
        .trim_end_matches('>');
    let bare = bare.trim_start_matches('{').trim_end_matches('}');
    let lower = bare.to_ascii_lowercase();
    c.starts_with('$')
        || c.starts_with('<')
        || c.starts_with("{{")
        || matches!(
            lower.as_str(),
            "token"
                | "your_token"
                | "access_token"
                | "your-token"
                | "your_access_token"
                | "access-token"
        )
}

/// The request of a pasted curl command. The profile's token is sent (`auth`) unless the
/// command carries a real `Authorization` of its own; `$TOKEN`-like stand-ins are dropped.
pub fn from_curl(text: &str) -> Result<RequestSpec, EngineError> {
    let words = split_words(text)?;
    let mut words = words.into_iter().skip_while(|w| w == "$");
    match words.next() {
        Some(w) if w == "curl" || w.ends_with("/curl") || w.eq_ignore_ascii_case("curl.exe") => {}
        Some(w) => {
            return Err(bad(format!(
                "A curl command starts with \"curl\"; this starts with \"{w}\"."
            )))
        }
        None => {
            return Err(bad("Paste a curl command, such as: curl https://api.scopestack.io/v1/me"))
        }
    }
    let words: Vec<String> = words.collect();

    let mut method: Option<String> = None;
    let mut url: Option<String> = None;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut data: Vec<String> = Vec::new();
    let mut json = false;
    let mut follow = false;
    let mut get = false;
    let mut head = false;
    let mut timeout_ms = None;

    let mut i = 0;
    let mut only_urls = false;
    while i < words.len() {
        let word = &words[i];
        i += 1;
        let (opt, name, mut inline): (Opt, String, Option<String>) = if only_urls
            || !word.starts_with('-')
            || word == "-"
        {
            if url.is_some() {
                return Err(bad(format!("The command has two URLs (\"{}\" and \"{word}\"). Paste one request at a time.", url.as_deref().unwrap_or(""))));
            }
            url = Some(word.clone());
            continue;
        } else if word == "--" {
            only_urls = true;
            continue;
        } else if let Some(long) = word.strip_prefix("--") {
            let (n, v) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let opt = long_option(n).ok_or_else(|| bad(format!("The curl option --{n} is not understood here. Remove it, or set what it does by hand after pasting.")))?;
            (opt, format!("--{n}"), v)
        } else {
            // A cluster of short options: -sSL, -XPOST, -HAccept:x.
            let cluster: Vec<char> = word[1..].chars().collect();
            let mut k = 0;
            loop {
                let c = cluster[k];
                let opt = short_option(c).ok_or_else(|| bad(format!("The curl option -{c} is not understood here. Remove it, or set what it does by hand after pasting.")))?;
                let rest: String = cluster[k + 1..].iter().collect();
                if takes_value(&opt) || k + 1 == cluster.len() {
                    let inline = (!rest.is_empty() && takes_value(&opt)).then_some(rest);
                    break (opt, format!("-{c}"), inline);
                }
                apply_flag(&opt, &mut follow, &mut get, &mut head)?;
                k += 1;
            }
        };
        if !takes_value(&opt) {
            apply_flag(&opt, &mut follow, &mut get, &mut head)?;
            continue;
        }
        let value = match inline.take() {
            Some(v) => v,
            None => {
                let v = words
                    .get(i)
                    .cloned()
                    .ok_or_else(|| bad(format!("The option {name} needs a value after it.")))?;
                i += 1;
                v
            }
        };
        match opt {
            Opt::Method => method = Some(value.to_ascii_uppercase()),
            Opt::Header => {
                if value.starts_with('@') {
                    return Err(bad(format!("-H @file {FILE_REFUSED}")));
                }
                let (k, v) = value.split_once(':').ok_or_else(|| {
                    bad(format!(
                        "The header \"{value}\" has no colon: write it as -H 'Name: value'."
                    ))
                })?;
                if let Some(empty) = k.strip_suffix(';').filter(|_| v.is_empty()) {
                    headers.push((empty.trim().to_string(), String::new()));
                } else if !v.trim().is_empty() {
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
            Opt::Data(kind) => data.push(read_data(kind, &value, &name)?),
            Opt::Json => {
                if value.starts_with('@') {
                    return Err(bad(format!("--json @file {FILE_REFUSED}")));
                }
                data.push(value);
                json = true;
            }
            Opt::Url => {
                if url.is_some() {
                    return Err(bad("The command has two URLs. Paste one request at a time."));
                }
                url = Some(value);
            }
            // Spaces around a header's value are not part of it (RFC 9110), as with -H.
            Opt::UserAgent => headers.push(("User-Agent".into(), value.trim().to_string())),
            Opt::Referer => headers.push(("Referer".into(), value.trim().to_string())),
            Opt::Cookie => {
                if !value.contains('=') {
                    return Err(bad(format!("-b {value} reads cookies from a file, which a pasted command cannot bring along. Write them as -b 'name=value'.")));
                }
                headers.push(("Cookie".into(), value.trim().to_string()));
            }
            Opt::MaxTime => {
                let secs: f64 = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0)
                    .ok_or_else(|| bad(format!("--max-time wants seconds, not \"{value}\".")))?;
                timeout_ms = Some((secs * 1000.0).round() as u64);
            }
            Opt::Bearer => {
                headers.push(("Authorization".into(), format!("Bearer {}", value.trim())))
            }
            Opt::Ignore(_) => {}
            Opt::Follow | Opt::Get | Opt::Head | Opt::Refuse(_) => {
                unreachable!("flags take no value")
            }
        }
    }

    let url = url.ok_or_else(|| bad("The curl command has no URL."))?;
    // curl reads an address without a scheme as http:// (a "://" later on, in the query or
    // the fragment, is not a scheme).
    let has_scheme = url.split_once("://").is_some_and(|(scheme, _)| {
        scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    });
    let url = if has_scheme { url } else { format!("http://{url}") };
    let (base, query_text) = match url.split_once('?') {
        Some((b, q)) => (b.to_string(), q.to_string()),
        None => (url, String::new()),
    };
    let (base, query_text) = match base.split_once('#') {
        Some((b, _)) => (b.to_string(), query_text),
        None => (base, query_text.split('#').next().unwrap_or("").to_string()),
    };
    let mut query: Vec<(String, String)> =
        url::form_urlencoded::parse(query_text.as_bytes()).into_owned().collect();
    let mut body = None;
    if !data.is_empty() {
        let joined = data.join("&");
        if get {
            query.extend(url::form_urlencoded::parse(joined.as_bytes()).into_owned());
        } else {
            body = Some(joined.into_bytes());
        }
    }
    let has = |headers: &[(String, String)], n: &str| {
        headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(n))
    };
    if json {
        if !has(&headers, "content-type") {
            headers.push(("Content-Type".into(), "application/json".into()));
        }
        if !has(&headers, "accept") {
            headers.push(("Accept".into(), "application/json".into()));
        }
    }
    let method = method.unwrap_or_else(|| {
        if head {
            "HEAD".into()
        } else if body.is_some() {
            "POST".into()
        } else {
            "GET".into()
        }
    });

    // What the app adds by itself is dropped, so the spec reads as the user would write it.
    let writes = body.is_some() && is_write(&method);
    headers.retain(|(k, v)| {
        let is = |n: &str| k.eq_ignore_ascii_case(n);
        let json_api = v.trim().eq_ignore_ascii_case(JSON_API);
        if is("accept") && json_api || is("content-type") && json_api && writes {
            return false;
        }
        if is("authorization") {
            let (scheme, credential) = v.trim().split_once(' ').unwrap_or(("", v.trim()));
            return !(scheme.eq_ignore_ascii_case("bearer") && is_token_placeholder(credential));
        }
        true
    });

    Ok(RequestSpec {
        method,
        url: base,
        query,
        headers,
        body,
        follow_redirects: follow,
        auth: true,
        timeout_ms,
        send_token_to_other_host: false,
        page_link: false,
    })
}

fn apply_flag(
    opt: &Opt,
    follow: &mut bool,
    get: &mut bool,
    head: &mut bool,
) -> Result<(), EngineError> {
    match opt {
        Opt::Follow => *follow = true,
        Opt::Get => *get = true,
        Opt::Head => *head = true,
        Opt::Refuse(why) => return Err(bad(*why)),
        _ => {}
    }
    Ok(())
}

fn read_data(kind: DataKind, value: &str, name: &str) -> Result<String, EngineError> {
    match kind {
        DataKind::Raw => Ok(value.to_string()),
        DataKind::Plain if value.starts_with('@') => {
            Err(bad(format!("{name} @file {FILE_REFUSED}")))
        }
        DataKind::Plain => Ok(value.to_string()),
        DataKind::UrlEncode => {
            let enc =
                |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            let (eq, at) = (value.find('='), value.find('@'));
            match (eq, at) {
                (Some(e), a) if a.is_none_or(|a| e < a) => {
                    let (name, content) = (&value[..e], &value[e + 1..]);
                    Ok(if name.is_empty() {
                        enc(content)
                    } else {
                        format!("{name}={}", enc(content))
                    })
                }
                (_, Some(_)) => Err(bad(format!("--data-urlencode with @ {FILE_REFUSED}"))),
                _ => Ok(enc(value)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_split_like_a_posix_shell() {
        let w = split_words("curl -H 'A: b c' \\\n  -d \"x \\\"y\\\" \\$z\" $'it\\'s\\n\\u00e9' plain\\ word # comment").unwrap();
        assert_eq!(w, vec!["curl", "-H", "A: b c", "-d", "x \"y\" $z", "it's\né", "plain word"]);
        assert!(split_words("curl 'open").unwrap_err().to_string().contains("never closed"));
        assert!(split_words("curl ^\"https://x^\"").unwrap_err().to_string().contains("bash"));
        assert!(split_words("curl x | jq").unwrap_err().to_string().contains("one curl command"));
    }

    #[test]
    fn a_typical_command_is_read() {
        let spec = from_curl(
            "curl -sSL -X PATCH 'https://api.scopestack.io/acme/v1/projects/5?include=client' \\\n  -H 'Accept: application/vnd.api+json' \\\n  -H \"Authorization: Bearer $TOKEN\" \\\n  -H 'Content-Type: application/vnd.api+json' \\\n  --data-raw '{\"data\":{}}' --compressed",
        )
        .unwrap();
        assert_eq!(spec.method, "PATCH");
        assert_eq!(spec.url, "https://api.scopestack.io/acme/v1/projects/5");
        assert_eq!(spec.query, vec![("include".to_string(), "client".to_string())]);
        assert!(spec.headers.is_empty(), "{:?}", spec.headers);
        assert_eq!(spec.body.as_deref(), Some(&b"{\"data\":{}}"[..]));
        assert!(spec.follow_redirects && spec.auth);
    }

    #[test]
    fn data_implies_post_and_get_moves_it_to_the_query() {
        let spec = from_curl("curl https://x.test/a -d a=1 -d 'b=2 3'").unwrap();
        assert_eq!((spec.method.as_str(), spec.body.as_deref()), ("POST", Some(&b"a=1&b=2 3"[..])));
        let spec =
            from_curl("curl -G https://x.test/a --data-urlencode 'filter[name]=A & B' -d page=2")
                .unwrap();
        assert_eq!(spec.method, "GET");
        assert!(spec.body.is_none());
        assert_eq!(
            spec.query,
            vec![
                ("filter[name]".to_string(), "A & B".to_string()),
                ("page".to_string(), "2".to_string())
            ]
        );
        let spec = from_curl("curl -I x.test -m 2.5").unwrap();
        assert_eq!(
            (spec.method.as_str(), spec.url.as_str(), spec.timeout_ms),
            ("HEAD", "http://x.test", Some(2500))
        );
        let spec = from_curl("curl 'x.test/a?next=https://y.test/'").unwrap();
        assert_eq!(spec.url, "http://x.test/a", "a :// in the query is not a scheme");
    }

    #[test]
    fn secrets_files_and_unknown_options_are_refused_plainly() {
        assert!(from_curl("curl -u me:pw https://x.test")
            .unwrap_err()
            .to_string()
            .contains("Bearer token"));
        assert!(from_curl("curl -d @body.json https://x.test")
            .unwrap_err()
            .to_string()
            .contains("reads a file"));
        assert!(from_curl("curl -sk https://x.test")
            .unwrap_err()
            .to_string()
            .contains("certificate"));
        assert!(from_curl("curl --frobnicate https://x.test")
            .unwrap_err()
            .to_string()
            .contains("--frobnicate"));
        assert!(from_curl("wget https://x.test").unwrap_err().to_string().contains("starts with"));
        assert!(from_curl("curl -H").unwrap_err().to_string().contains("needs a value"));
        assert!(from_curl("curl -s").unwrap_err().to_string().contains("no URL"));
    }

    #[test]
    fn a_real_token_is_kept_as_the_users_own() {
        let spec = from_curl("curl https://x.test -H 'Authorization: Bearer abc.def.ghi'").unwrap();
        assert_eq!(spec.header("authorization"), Some("Bearer abc.def.ghi"));
        let spec = from_curl(
            "curl https://x.test -H 'Authorization: Bearer ${TOKEN}' --oauth2-bearer '<token>'",
        )
        .unwrap();
        assert!(spec.header("authorization").is_none());
    }
}
