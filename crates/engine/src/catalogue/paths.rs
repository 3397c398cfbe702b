//! Completing a typed request path from the catalogue (`{account-slug}/v1/pro…` → `projects`,
//! `projects/{id}`, `projects/{id}/merge-data`), and the query parameters (`filter[…]`,
//! `include`, `sort`, `page[…]`) the resource a path names accepts.

use serde::{Deserialize, Serialize};

use super::{Catalogue, Resource};

/// The most completions one call gives.
pub const MAX_COMPLETIONS: usize = 60;

/// What a completion names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename = "PathCompletionKind")]
#[serde(rename_all = "snake_case")]
pub enum CompletionKind {
    /// `{account-slug}/v1/`: the start of every account-scoped path.
    Prefix,
    /// A list: `projects`.
    Collection,
    /// One record: `projects/{id}`.
    Record,
    /// An action endpoint: `projects/{id}/merge-data`.
    Action,
}

/// One way to complete the typed path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct PathCompletion {
    /// The whole typed text with this completion in place (what the request line becomes).
    pub text: String,
    /// The part after `v1/`, as listed: `projects/{id}/merge-data`.
    pub label: String,
    pub kind: CompletionKind,
    /// The resource type (empty for the prefix).
    pub resource_type: String,
    /// The methods this path takes (`GET`, `POST`…).
    pub methods: Vec<String>,
    /// What it is, in one line.
    pub description: String,
}

/// What a query parameter is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename = "QueryParameterKind")]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    Filter,
    Include,
    Sort,
    Page,
}

/// One query parameter a path accepts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct QueryParameter {
    /// The parameter's name as sent: `filter[active]`, `include`, `sort`, `page[size]`.
    pub name: String,
    pub kind: ParamKind,
    /// Values to offer (`true`/`false`, the include names, the sort fields with `-` forms).
    pub values: Vec<String>,
    /// What it does, in one line.
    pub description: String,
}

/// A typed path split around `v1/`: what stays as typed, and what follows.
struct Split<'a> {
    /// Everything up to and including `v1/` (scheme, host and slug kept as typed).
    head: String,
    /// The segments after `v1/` (the last one possibly partial).
    segments: Vec<&'a str>,
}

/// Where the path of `typed` starts: after the host of a URL (None when a URL has no path
/// yet), else at the start.
fn path_start(typed: &str) -> Option<usize> {
    match typed.find("://") {
        Some(i) => typed[i + 3..].find('/').map(|j| i + 3 + j),
        None => Some(0),
    }
}

/// Splits `typed` at its `v1/`; None when it has none (or has a query already).
fn split(typed: &str) -> Option<Split<'_>> {
    if typed.contains(['?', '#']) {
        return None;
    }
    let start = path_start(typed)?;
    let path = &typed[start..];
    let v1 = if path.starts_with("v1/") {
        0
    } else if path.starts_with("/v1/") {
        1
    } else {
        path.find("/v1/")? + 1
    };
    let after = start + v1 + 3;
    Some(Split { head: typed[..after].to_owned(), segments: typed[after..].split('/').collect() })
}

/// The methods a collection and a record of `r` take.
fn methods(r: &Resource, record: bool) -> Vec<String> {
    let list: &[&str] = match (r.read_only, record) {
        (true, _) => &["GET"],
        (false, false) => &["GET", "POST"],
        (false, true) => &["GET", "PATCH", "DELETE"],
    };
    list.iter().map(|m| (*m).to_owned()).collect()
}

fn completion(head: &str, label: String, kind: CompletionKind, r: &Resource) -> PathCompletion {
    let (methods, description) = match kind {
        CompletionKind::Collection => {
            (methods(r, false), format!("List of {}: {}", r.type_name, r.description))
        }
        CompletionKind::Record => {
            (methods(r, true), format!("One of {}: {}", r.type_name, r.description))
        }
        _ => (Vec::new(), r.description.clone()),
    };
    PathCompletion {
        text: format!("{head}{label}"),
        label,
        kind,
        resource_type: r.type_name.clone(),
        methods,
        description,
    }
}

/// How well a resource type matches a partial segment: 0 starts with it, 1 a word of it does,
/// 2 contains it; None not at all.
fn rank(type_name: &str, partial: &str) -> Option<u8> {
    if type_name.starts_with(partial) {
        Some(0)
    } else if type_name.split('-').any(|w| w.starts_with(partial)) {
        Some(1)
    } else if type_name.contains(partial) {
        Some(2)
    } else {
        None
    }
}

/// The completions of `typed`: a request path or URL (`{account-slug}/v1/pro`,
/// `acme/v1/projects/12/m`, `https://api.scopestack.io/acme/v1/sur`). Each keeps what was
/// typed up to `v1/` and completes the rest: the resource types that match (their list, one
/// record and its actions), a record's actions, or, with no `v1/` yet, `{account-slug}/v1/`.
/// Nothing once the path has a query.
pub fn path_completions(catalogue: &Catalogue, typed: &str) -> Vec<PathCompletion> {
    let typed = typed.trim_start();
    let Some(split) = split(typed) else {
        return prefix_completion(typed);
    };
    let head = split.head.as_str();
    let mut out = Vec::new();
    match split.segments.as_slice() {
        [partial] => {
            let partial = partial.to_ascii_lowercase();
            // Best match first; among equals the catalogue's order (main types first).
            let mut matching: Vec<(u8, &Resource)> = catalogue
                .resources
                .iter()
                .filter_map(|r| rank(&r.type_name, &partial).map(|k| (k, r)))
                .collect();
            matching.sort_by_key(|(k, _)| *k);
            for (_, r) in matching {
                out.push(completion(head, r.type_name.clone(), CompletionKind::Collection, r));
                out.push(completion(
                    head,
                    format!("{}/{{id}}", r.type_name),
                    CompletionKind::Record,
                    r,
                ));
                out.extend(actions(head, r, "{id}", ""));
            }
        }
        [type_name, id] => {
            if let Some(r) = catalogue.resource(type_name) {
                let id = if id.is_empty() || "{id}".starts_with(id) { "{id}" } else { id };
                out.push(completion(
                    head,
                    format!("{}/{id}", r.type_name),
                    CompletionKind::Record,
                    r,
                ));
                out.extend(actions(head, r, id, ""));
            }
        }
        [type_name, id, partial] if !id.is_empty() => {
            if let Some(r) = catalogue.resource(type_name) {
                out.extend(actions(head, r, id, partial));
            }
        }
        _ => {}
    }
    out.truncate(MAX_COMPLETIONS);
    out
}

/// The action completions of one record of `r` whose name starts with `partial`.
fn actions(head: &str, r: &Resource, id: &str, partial: &str) -> Vec<PathCompletion> {
    r.actions
        .iter()
        .filter(|a| a.name.starts_with(partial))
        .map(|a| PathCompletion {
            text: format!("{head}{}/{id}/{}", r.type_name, a.name),
            label: format!("{}/{id}/{}", r.type_name, a.name),
            kind: CompletionKind::Action,
            resource_type: r.type_name.clone(),
            methods: vec![a.method.clone()],
            description: a.description.clone(),
        })
        .collect()
}

/// Before any `v1/`: the account-scoped start, keeping a slug or URL typed so far.
fn prefix_completion(typed: &str) -> Vec<PathCompletion> {
    if typed.contains(['?', '#', ' ']) {
        return Vec::new();
    }
    let is_url = typed.contains("://");
    let start = path_start(typed).unwrap_or(typed.len());
    let (host, path) = typed.split_at(start);
    let lead = if is_url || path.starts_with('/') { "/" } else { "" };
    let rest = path.trim_start_matches('/');
    let (slug, tail) = rest.split_once('/').unwrap_or((rest, ""));
    if !"v1".starts_with(tail)
        || !slug.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_{}".contains(&b))
    {
        return Vec::new();
    }
    let slug =
        if slug.is_empty() || "{account-slug}".starts_with(slug) { "{account-slug}" } else { slug };
    vec![PathCompletion {
        text: format!("{host}{lead}{slug}/v1/"),
        label: format!("{slug}/v1/"),
        kind: CompletionKind::Prefix,
        resource_type: String::new(),
        methods: Vec::new(),
        description: "The start of every path in a customer's account: its slug, then v1/."
            .to_owned(),
    }]
}

/// The resource type, record id and action a path names: (`projects`, Some(`12`), None).
pub fn resource_of_path<'c>(
    catalogue: &'c Catalogue,
    path: &str,
) -> Option<(&'c Resource, Option<String>, Option<String>)> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let split = split(path.trim())?;
    let segments: Vec<&str> = split.segments.into_iter().filter(|s| !s.is_empty()).collect();
    let r = catalogue.resource(segments.first()?)?;
    let id = segments.get(1).map(|s| (*s).to_owned());
    let action = segments.get(2).map(|s| (*s).to_owned());
    Some((r, id, action))
}

/// The query parameters the resource `path` names accepts: on a list its filters, `include`,
/// `sort` and `page[number]`/`page[size]`; on one record `include`; none on an action or a path
/// the catalogue does not know.
pub fn query_parameters(catalogue: &Catalogue, path: &str) -> Vec<QueryParameter> {
    let Some((r, id, action)) = resource_of_path(catalogue, path) else {
        return Vec::new();
    };
    if action.is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if id.is_none() {
        for f in &r.filters {
            out.push(QueryParameter {
                name: format!("filter[{f}]"),
                kind: ParamKind::Filter,
                values: filter_values(r, f),
                description: filter_description(r, f),
            });
        }
    }
    if !r.includes.is_empty() {
        out.push(QueryParameter {
            name: "include".to_owned(),
            kind: ParamKind::Include,
            values: r.includes.clone(),
            description: format!(
                "Adds the related records to included[] (comma-separated): {}.",
                r.includes.join(", ")
            ),
        });
    }
    if id.is_none() {
        if !r.sorts.is_empty() {
            let values = r.sorts.iter().flat_map(|s| [s.clone(), format!("-{s}")]).collect();
            out.push(QueryParameter {
                name: "sort".to_owned(),
                kind: ParamKind::Sort,
                values,
                description: "Orders the list by these fields (comma-separated; a leading - sorts descending).".to_owned(),
            });
        }
        if r.paged {
            out.push(QueryParameter {
                name: "page[number]".to_owned(),
                kind: ParamKind::Page,
                values: vec!["1".to_owned(), "2".to_owned()],
                description: "Which page of the list (from 1).".to_owned(),
            });
            out.push(QueryParameter {
                name: "page[size]".to_owned(),
                kind: ParamKind::Page,
                values: vec!["10".to_owned(), "100".to_owned(), "250".to_owned()],
                description: "How many records a page holds.".to_owned(),
            });
        }
    }
    out
}

fn filter_values(r: &Resource, filter: &str) -> Vec<String> {
    match r.attribute(filter) {
        Some(a) if a.kind == super::AttrKind::Boolean => vec!["true".into(), "false".into()],
        Some(a) if a.kind == super::AttrKind::Enum => a.values.clone(),
        _ if filter == "active" || filter == "published" || filter.starts_with("is-") => {
            vec!["true".into(), "false".into()]
        }
        _ => Vec::new(),
    }
}

fn filter_description(r: &Resource, filter: &str) -> String {
    if let Some(rel) = r.relationships.iter().find(|rel| rel.name == filter) {
        return format!("Only {} of this {} (its id).", r.type_name, rel.name.replace('-', " "));
    }
    if let Some(field) = filter.strip_suffix(".after") {
        return format!("Only {} whose {field} is after this date-time.", r.type_name);
    }
    match filter {
        "active" => format!("Only active (true) or inactive (false) {}.", r.type_name),
        "name" => format!("Only {} whose name contains this text.", r.type_name),
        _ => format!("Only {} whose {filter} matches.", r.type_name),
    }
}

#[cfg(test)]
mod tests {
    use super::super::builtin;
    use super::*;

    fn labels(typed: &str) -> Vec<String> {
        path_completions(builtin(), typed).into_iter().map(|c| c.label).collect()
    }

    #[test]
    fn completes_resource_types_with_records_and_actions() {
        let all = path_completions(builtin(), "{account-slug}/v1/pro");
        let labels: Vec<&str> = all.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(&labels[..3], ["projects", "projects/{id}", "projects/{id}/merge-data"]);
        assert!(labels.contains(&"project-services/{id}/synchronize-standard"), "{labels:?}");
        assert!(labels.contains(&"products"), "{labels:?}");
        assert_eq!(all[0].text, "{account-slug}/v1/projects");
        assert_eq!(all[0].methods, ["GET", "POST"]);
        assert_eq!(all[2].methods, ["GET"]);
        assert_eq!(all[2].kind, CompletionKind::Action);
    }

    #[test]
    fn keeps_a_real_slug_or_a_url_as_typed() {
        let c = path_completions(builtin(), "acme/v1/sur");
        assert_eq!(c[0].text, "acme/v1/surveys");
        assert!(c
            .iter()
            .any(|c| c.text == "acme/v1/surveys/{id}/calculate" && c.methods == ["PUT"]));
        let c = path_completions(builtin(), "https://api.scopestack.io/acme/v1/cli");
        assert_eq!(c[0].text, "https://api.scopestack.io/acme/v1/clients");
        let c = path_completions(builtin(), "/acme/v1/projects/1201/m");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].text, "/acme/v1/projects/1201/merge-data");
        assert_eq!(labels("acme/v1/projects/"), ["projects/{id}", "projects/{id}/merge-data"]);
        assert_eq!(labels("acme/v1/projects/77"), ["projects/77", "projects/77/merge-data"]);
        assert!(labels("acme/v1/projects?filter").is_empty());
        assert!(labels("acme/v1/widgets/1").is_empty());
    }

    #[test]
    fn offers_the_account_prefix_before_v1() {
        assert_eq!(path_completions(builtin(), "")[0].text, "{account-slug}/v1/");
        assert_eq!(path_completions(builtin(), "acme")[0].text, "acme/v1/");
        assert_eq!(path_completions(builtin(), "acme/v")[0].text, "acme/v1/");
        assert_eq!(
            path_completions(builtin(), "https://api.scopestack.io/acme")[0].text,
            "https://api.scopestack.io/acme/v1/"
        );
        assert_eq!(
            path_completions(builtin(), "https://api.scopestack.io")[0].text,
            "https://api.scopestack.io/{account-slug}/v1/"
        );
        assert!(path_completions(builtin(), "acme/x/y").is_empty());
    }

    #[test]
    fn query_parameters_follow_the_path() {
        let names = |path: &str| -> Vec<String> {
            query_parameters(builtin(), path).into_iter().map(|p| p.name).collect()
        };
        let list = names("{account-slug}/v1/projects?page[size]=5");
        for expected in
            ["filter[active]", "filter[client]", "include", "sort", "page[number]", "page[size]"]
        {
            assert!(list.iter().any(|n| n == expected), "{expected} in {list:?}");
        }
        assert_eq!(names("https://api.scopestack.io/acme/v1/projects/12"), ["include"]);
        assert!(names("acme/v1/projects/12/merge-data").is_empty());
        assert!(names("acme/v1/widgets").is_empty());
        let params = query_parameters(builtin(), "acme/v1/projects");
        let active = params.iter().find(|p| p.name == "filter[active]").unwrap();
        assert_eq!(active.values, ["true", "false"]);
        let sort = params.iter().find(|p| p.name == "sort").unwrap();
        assert!(sort.values.contains(&"-created-at".to_owned()));
        let include = params.iter().find(|p| p.name == "include").unwrap();
        assert!(include.values.contains(&"client".to_owned()));
    }
}
