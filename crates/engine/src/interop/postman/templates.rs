//! Postman's `{{variables}}` in request URLs, turned into what the request tester understands:
//! the variable that holds the API's address (`{{baseUrl}}`-like) becomes the profile's API URL
//! and the URLs relative to it, an account-slug variable becomes `{account-slug}` (filled from
//! `/v1/me`), `:name` path variables become `{name}`, and the rest stay `{{name}}` for the
//! profile's variables to fill.

use super::collection::RawRequest;
use super::report::ImportReport;
use super::values::{double_names, normalise, replace_double, Variables};
use crate::requests::vars::ACCOUNT_SLUG;
use std::collections::BTreeMap;
use url::Url;

/// Names that mean "the API's address" when their value is one.
const BASE_NAMES: [&str; 7] = ["baseurl", "url", "apiurl", "host", "apihost", "apibaseurl", "api"];
/// Names that mean "the account slug".
const SLUG_NAMES: [&str; 3] = ["accountslug", "slug", "account"];

/// How the URLs of a collection are rewritten.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// The profile's API URL, when the collection tells it.
    pub api_url: Option<Url>,
    /// The variable that stands for it.
    pub base_var: Option<String>,
    /// The absolute prefix that stands for it when no variable does.
    pub origin: Option<String>,
    /// The variables that stand for the account slug.
    pub slug_vars: Vec<String>,
}

fn leading_var(url: &str) -> Option<&str> {
    let rest = url.trim().strip_prefix("{{")?;
    let end = rest.find("}}")?;
    Some(rest[..end].trim())
}

fn absolute(text: &str) -> Option<Url> {
    let lower = text.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) || text.contains("{{") {
        return None;
    }
    Url::parse(text.trim()).ok()
}

fn origin_of(url: &str) -> Option<String> {
    let parsed = absolute(url)?;
    Some(parsed.origin().ascii_serialization())
}

/// Finds the API URL of a collection: the `{{variable}}` most URLs start with whose value is an
/// address, else a `baseUrl`-like variable, else the origin most absolute URLs share.
pub fn plan(requests: &[RawRequest], vars: &Variables, report: &mut ImportReport) -> Plan {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in requests {
        if let Some(name) = leading_var(&r.url) {
            if absolute(&vars.resolve(&format!("{{{{{name}}}}}"))).is_some() {
                *counts.entry(name.to_string()).or_default() += 1;
            }
        }
    }
    let named_like_base = || {
        vars.map
            .iter()
            .find(|(k, v)| {
                BASE_NAMES.contains(&normalise(k).as_str())
                    && absolute(&vars.resolve(&v.value)).is_some()
            })
            .map(|(k, _)| k.clone())
    };
    let base_var =
        counts.iter().max_by_key(|(_, n)| **n).map(|(k, _)| k.clone()).or_else(named_like_base);
    let mut plan = Plan::default();
    if let Some(name) = base_var {
        plan.api_url = absolute(&vars.resolve(&format!("{{{{{name}}}}}")));
        if let Some(url) = &plan.api_url {
            report.became(format!("{{{{{name}}}}} → the profile's API URL {url}; the requests that start with it are saved relative to it"));
        }
        plan.base_var = Some(name);
    } else {
        let mut origins: BTreeMap<String, usize> = BTreeMap::new();
        for r in requests {
            if let Some(o) = origin_of(&r.url) {
                *origins.entry(o).or_default() += 1;
            }
        }
        if let Some((origin, _)) = origins.into_iter().max_by_key(|(_, n)| *n) {
            plan.api_url = Url::parse(&origin).ok();
            report.became(format!("{origin} (where the requests go) → the profile's API URL; those requests are saved relative to it"));
            plan.origin = Some(origin);
        }
    }
    let used: Vec<String> = requests.iter().flat_map(|r| double_names(&r.url)).collect();
    plan.slug_vars = vars
        .map
        .keys()
        .filter(|k| SLUG_NAMES.contains(&normalise(k).as_str()) && used.contains(k))
        .cloned()
        .collect();
    for name in &plan.slug_vars {
        report.became(format!("{{{{{name}}}}} → {{{ACCOUNT_SLUG}}}, which the app fills from /v1/me with the profile's token"));
    }
    plan
}

/// Whether the request tester can fill `{{name}}` (see `requests::vars`).
fn fillable(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A text (URL, query or header value) with the plan's variables rewritten; the variables it
/// still needs are reported when the tester cannot fill them.
pub fn rewrite_text(
    text: &str,
    plan: &Plan,
    vars: &Variables,
    report: &mut ImportReport,
) -> String {
    let out = replace_double(text, |name| {
        if plan.slug_vars.iter().any(|s| s == name) {
            return Some(format!("{{{ACCOUNT_SLUG}}}"));
        }
        if plan.base_var.as_deref() == Some(name) {
            return plan.api_url.as_ref().map(|u| u.as_str().trim_end_matches('/').to_string());
        }
        if name.starts_with('$') {
            report.skipped(format!("Postman's dynamic variable {{{{{name}}}}} is not filled by the app: replace it in the requests that use it."));
        } else if !fillable(name) {
            report.skipped(format!("The variable {{{{{name}}}}} has a name the app cannot fill (use letters, digits, _ - . only): rename it in the requests that use it."));
        } else if !vars.map.contains_key(name) {
            report.skipped(format!("The variable {{{{{name}}}}} has no value in the file: the requests that use it need it typed in."));
        }
        None
    });
    out
}

/// The URL of a request as the tester takes it: relative to the API URL when it starts with it.
pub fn rewrite_url(
    request: &RawRequest,
    plan: &Plan,
    vars: &Variables,
    report: &mut ImportReport,
) -> String {
    let url = request.url.trim();
    let relative = match (&plan.base_var, &plan.origin) {
        (Some(name), _) if leading_var(url) == Some(name.as_str()) => {
            url.find("}}").map(|end| &url[end + 2..])
        }
        (_, Some(origin)) if url.starts_with(origin.as_str()) => Some(&url[origin.len()..]),
        _ => None,
    };
    let url = match relative {
        Some(rest) if rest.starts_with('/') => rest.to_string(),
        Some(rest) => format!("/{rest}"),
        None => url.to_string(),
    };
    let url = path_variables(&url, request);
    rewrite_text(&url, plan, vars, report)
}

/// `/v1/projects/:id` into `/v1/projects/{id}` for the path variables the request declares.
fn path_variables(url: &str, request: &RawRequest) -> String {
    if request.path_variables.is_empty() {
        return url.to_string();
    }
    url.split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) if request.path_variables.iter().any(|v| v.key == name) => {
                format!("{{{name}}}")
            }
            _ => segment.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::postman::values::{entries, Entry};
    use serde_json::json;

    fn request(url: &str) -> RawRequest {
        RawRequest { url: url.into(), method: "GET".into(), ..RawRequest::default() }
    }

    fn vars() -> Variables {
        let mut v = Variables::default();
        v.extend(&entries(Some(&json!([
            {"key": "baseUrl", "value": "https://api.example.test"},
            {"key": "accountSlug", "value": "acme"},
            {"key": "projectId", "value": "42"}
        ]))));
        v
    }

    #[test]
    fn the_base_variable_becomes_the_api_url_and_urls_become_relative() {
        let mut report = ImportReport::default();
        let requests = [
            request("{{baseUrl}}/{{accountSlug}}/v1/projects/{{projectId}}"),
            request("{{baseUrl}}v1/me"),
            request("https://elsewhere.test/x"),
        ];
        let p = plan(&requests, &vars(), &mut report);
        assert_eq!(p.api_url.as_ref().map(Url::as_str), Some("https://api.example.test/"));
        assert_eq!(p.slug_vars, ["accountSlug"]);
        assert_eq!(
            rewrite_url(&requests[0], &p, &vars(), &mut report),
            "/{account-slug}/v1/projects/{{projectId}}"
        );
        assert_eq!(rewrite_url(&requests[1], &p, &vars(), &mut report), "/v1/me");
        assert_eq!(rewrite_url(&requests[2], &p, &vars(), &mut report), "https://elsewhere.test/x");
        assert_eq!(report.became.len(), 2, "{:?}", report.became);
    }

    #[test]
    fn without_a_variable_the_common_origin_is_the_api_url() {
        let mut report = ImportReport::default();
        let mut with_path_var = request("https://api.example.test/v1/projects/:id");
        with_path_var.path_variables = vec![Entry {
            key: "id".into(),
            value: "7".into(),
            enabled: true,
            kind: "default".into(),
        }];
        let requests = [request("https://api.example.test/v1/me"), with_path_var];
        let p = plan(&requests, &Variables::default(), &mut report);
        assert_eq!(p.origin.as_deref(), Some("https://api.example.test"));
        assert_eq!(
            rewrite_url(&requests[1], &p, &Variables::default(), &mut report),
            "/v1/projects/{id}"
        );
    }

    #[test]
    fn dynamic_and_odd_variables_are_reported() {
        let mut report = ImportReport::default();
        let out = rewrite_text(
            "x={{$guid}}&y={{my var}}",
            &Plan::default(),
            &Variables::default(),
            &mut report,
        );
        assert_eq!(out, "x={{$guid}}&y={{my var}}");
        assert_eq!(report.skipped.len(), 2, "{:?}", report.skipped);
    }
}
