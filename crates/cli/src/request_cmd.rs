//! `scopestack-cli request`: send one request to the API with the profile's token, print the
//! body (or a jq filter's output) on stdout and the status line on stderr; `--all-pages` follows
//! `links.next` (on the profile's API only) and merges `data`. The token goes to the profile's
//! API only, unless `--send-token-to-other-host` says otherwise for this one command. A write
//! (POST, PATCH, PUT, DELETE) on a production profile needs `--yes`: without it nothing is sent.

use crate::connect::{self, ConnectArgs};
use crate::exit::{Code, Failure};
use clap::Args;
use engine::requests::{self, ExchangeStore, ExchangeSummary, JqLimits, RequestSpec};
use std::collections::HashMap;
use std::io::{Read, Write};
use tokio_util::sync::CancellationToken;

/// The most pages `--all-pages` follows.
const MAX_PAGES: usize = 1000;

#[derive(Args, Debug)]
pub struct RequestArgs {
    /// GET, POST, PATCH, PUT or DELETE
    method: String,
    /// Absolute, or relative to the API URL: `/v1/me`, `{account-slug}/v1/projects?include=client`
    /// ({account-slug} is filled from /v1/me)
    url: String,
    /// A request header, `-H 'Name: value'` (repeatable). Accept and, on writes, Content-Type
    /// default to application/vnd.api+json
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// The request body: `@FILE`, `-` for standard input, or the text itself
    #[arg(long, value_name = "@FILE|-|TEXT")]
    data: Option<String>,
    /// A jq filter applied to the body (or the merged pages); its output is printed instead
    #[arg(long, value_name = "FILTER")]
    jq: Option<String>,
    /// Follow `links.next` and print one document with every page's `data` (and `included`)
    #[arg(long)]
    all_pages: bool,
    /// Send the profile's token even though the URL is not the profile's API (it is left out
    /// otherwise). Only for a host you trust with the token: it can act as you until it expires
    #[arg(long)]
    send_token_to_other_host: bool,
    /// Send a write (POST, PATCH, PUT, DELETE) on a production profile. Without it such a write
    /// is refused (exit 2) and nothing is sent, not even a token request
    #[arg(long, short = 'y')]
    yes: bool,
    #[command(flatten)]
    profile: ConnectArgs,
}

pub fn run(args: RequestArgs) -> Result<(), Failure> {
    let spec = RequestSpec {
        method: args.method.to_ascii_uppercase(),
        url: args.url.clone(),
        query: Vec::new(),
        headers: parse_headers(&args.headers)?,
        body: read_body(args.data.as_deref())?,
        follow_redirects: true,
        auth: true,
        timeout_ms: None,
        send_token_to_other_host: args.send_token_to_other_host,
        page_link: false,
    };
    // The same limits as the window's request tester, before anything starts.
    engine::requests::spec::check_limits(&spec)?;
    if let Some(filter) = &args.jq {
        engine::limits::bounded("jq filter", filter, engine::limits::MAX_JQ_FILTER)?;
    }
    connect::runtime()?.block_on(async {
        let mut conn =
            connect::connect(&args.profile.select, &args.profile.secrets, &args.profile.one_off)
                .await?;
        refuse_unconfirmed_write(conn.profile(), &spec, args.yes)?;
        // The profile's variables (from a Postman import) fill `{name}` and `{{name}}`; read before
        // the token, so a damaged file is told before anything is sent.
        let vars: HashMap<String, String> = requests::profile_variables(&conn.profile().id)?;
        conn.current_token(&args.profile.sign_in).await?;
        conn.mark_used();
        let store = ExchangeStore::new();
        let cancel = CancellationToken::new();
        let send = |spec: RequestSpec| {
            let (engine, target, store, cancel, vars) =
                (&conn.engine, &conn.target, &store, &cancel, &vars);
            async move { requests::send(engine, target, &spec, vars, store, cancel).await }
        };
        let summary = send(spec.clone()).await?;
        report(&summary);
        explain(&conn, &store, &summary);
        let mut body = store.body(summary.id)?.read_all(u64::MAX)?.to_vec();
        let mut last = summary;
        if args.all_pages && last.status < 300 {
            let mut merged = Merged::start(&body)?;
            let mut pages = 1;
            while let Some(next) = merged.next.take() {
                if pages >= MAX_PAGES {
                    eprintln!("note: stopped after {MAX_PAGES} pages");
                    break;
                }
                // A link off the profile's API stops paging with the engine's explanation.
                let page =
                    send(RequestSpec { url: next, body: None, page_link: true, ..spec.clone() })
                        .await?;
                report(&page);
                explain(&conn, &store, &page);
                if page.status >= 300 {
                    last = page;
                    break;
                }
                merged.add(&store.body(page.id)?.read_all(u64::MAX)?)?;
                pages += 1;
                last = page;
            }
            body = merged.into_document()?;
        }
        match &args.jq {
            Some(filter) => {
                let out = tokio::task::spawn_blocking({
                    let filter = filter.clone();
                    move || requests::jq::run_on(&body, &filter, &JqLimits::default())
                })
                .await
                .map_err(|e| Failure::local(e.to_string()))??;
                write_stdout(out.text.as_bytes());
                if !out.text.ends_with('\n') {
                    write_stdout(b"\n");
                }
            }
            None => write_stdout(&body),
        }
        status_result(&last)
    })
}

/// A write on a production profile without `--yes`: refused before anything is sent, saying what
/// to add.
fn refuse_unconfirmed_write(
    profile: &engine::Profile,
    spec: &RequestSpec,
    yes: bool,
) -> Result<(), Failure> {
    if yes || !profile.account_kind.is_production() || !engine::profiles::is_write(&spec.method) {
        return Ok(());
    }
    Err(Failure::usage(format!(
        "\"{}\" is a production profile, and {} {} would change its account: nothing was sent. Add --yes to send it.",
        profile.name, spec.method, spec.url
    )))
}

/// `Name: value` pairs.
fn parse_headers(raw: &[String]) -> Result<Vec<(String, String)>, Failure> {
    raw.iter()
        .map(|h| match h.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok((name.trim().to_string(), value.trim().to_string()))
            }
            _ => Err(Failure::usage(format!("the header \"{h}\" needs the form 'Name: value'"))),
        })
        .collect()
}

fn read_body(data: Option<&str>) -> Result<Option<Vec<u8>>, Failure> {
    match data {
        None => Ok(None),
        Some("-") => {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map_err(|e| {
                Failure::local(format!("could not read the body from standard input: {e}"))
            })?;
            Ok(Some(bytes))
        }
        Some(d) if d.starts_with('@') => std::fs::read(&d[1..])
            .map(Some)
            .map_err(|e| Failure::usage(format!("could not read the body file {}: {e}", &d[1..]))),
        Some(text) => Ok(Some(text.as_bytes().to_vec())),
    }
}

/// The status line, on stderr, so stdout stays the body.
fn report(s: &ExchangeSummary) {
    eprintln!(
        "{} {} → {} ({:.0} ms, {} bytes)",
        s.method, s.final_url, s.status_text, s.timings.total_ms, s.sizes.decoded
    );
    for note in &s.notes {
        eprintln!("note: {note}");
    }
    if let Some(host) = &s.token_withheld_from {
        eprintln!("note: to send the token to {host} anyway, add --send-token-to-other-host (only for a host you trust with it).");
    }
}

/// The diagnosis the window shows for a failed answer, on stderr.
fn explain(conn: &connect::Connection, store: &ExchangeStore, s: &ExchangeSummary) {
    if let Some(d) = engine::diagnose::diagnose_exchange(&conn.engine, &conn.target, store, s) {
        eprintln!("\n{}", d.to_text().trim_end());
    }
}

/// 2xx and 3xx succeed; 401/403 exit 3 (authentication refused), 5xx exit 4, other 4xx exit 2.
fn status_result(s: &ExchangeSummary) -> Result<(), Failure> {
    let code = match s.status {
        0..=399 => return Ok(()),
        401 | 403 => Code::AuthRefused,
        500.. => Code::Network,
        _ => Code::Usage,
    };
    Err(Failure::new(code, format!("the API answered {}", s.status_text)))
}

fn write_stdout(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(bytes).and_then(|()| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: could not write the output: {e}");
            std::process::exit(Code::Local as i32);
        }
    }
}

/// Pages of a JSON:API list, merged: every page's `data` and `included` (once each), the last `meta`.
struct Merged {
    data: Vec<serde_json::Value>,
    included: Vec<serde_json::Value>,
    meta: serde_json::Value,
    next: Option<String>,
}

impl Merged {
    fn start(first: &[u8]) -> Result<Merged, Failure> {
        let mut merged = Merged {
            data: Vec::new(),
            included: Vec::new(),
            meta: serde_json::Value::Null,
            next: None,
        };
        merged.add(first)?;
        Ok(merged)
    }

    fn add(&mut self, page: &[u8]) -> Result<(), Failure> {
        let doc: serde_json::Value = serde_json::from_slice(page).map_err(|e| {
            Failure::new(
                Code::Network,
                format!("--all-pages needs JSON:API pages, and this one is not JSON ({e})"),
            )
        })?;
        match doc.get("data") {
            Some(serde_json::Value::Array(items)) => self.data.extend(items.iter().cloned()),
            _ => {
                return Err(Failure::usage(
                    "--all-pages needs a list: this answer's `data` is not an array",
                ))
            }
        }
        for item in doc.get("included").and_then(|i| i.as_array()).into_iter().flatten() {
            let key = (&item["type"], &item["id"]);
            if !self.included.iter().any(|i| (&i["type"], &i["id"]) == key) {
                self.included.push(item.clone());
            }
        }
        self.meta = doc.get("meta").cloned().unwrap_or(serde_json::Value::Null);
        self.next = doc
            .pointer("/links/next")
            .and_then(|n| n.as_str().or_else(|| n.get("href").and_then(|h| h.as_str())))
            .map(String::from);
        Ok(())
    }

    fn into_document(self) -> Result<Vec<u8>, Failure> {
        let mut doc = serde_json::json!({ "data": self.data, "meta": self.meta });
        if !self.included.is_empty() {
            doc["included"] = serde_json::Value::Array(self.included);
        }
        serde_json::to_vec_pretty(&doc).map_err(|e| Failure::local(e.to_string()))
    }
}
