//! `scopestack-cli api`: what the app knows of ScopeStack's API, from the engine's catalogue —
//! `api paths [PREFIX]` (path completion), `api show RESOURCE` (attributes, relationships,
//! filters, includes, sorts, actions), `api skeleton RESOURCE [--method POST|PATCH]` (a write
//! body) — optionally enriched first from the API's own description (`--load-description`).

use crate::connect::{self, parse_url};
use crate::display::outln;
use crate::exit::{Code, Failure};
use clap::{Args, Subcommand};
use engine::catalogue::{self, Catalogue, CompletionKind, Resource};
use engine::http::{Clients, HttpSettings};
use engine::Environment;

#[derive(Args, Debug)]
pub struct ApiArgs {
    #[command(subcommand)]
    action: ApiAction,
    /// Load the API's own description (OpenAPI/Swagger at the API root, no token sent) and merge
    /// it into the catalogue first; the summary goes to stderr
    #[arg(long, global = true, requires = "profile")]
    load_description: bool,
    /// The profile whose API root gives the description (with --load-description), by name or id
    #[arg(short, long, global = true, value_name = "NAME")]
    profile: Option<String>,
    /// Print JSON for scripts
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand, Debug)]
enum ApiAction {
    /// List the API's paths, or complete PREFIX (`pro`, `acme/v1/projects/12/m`, a full URL)
    Paths {
        /// What is typed so far; without `v1/` it is read after `{account-slug}/v1/`
        prefix: Option<String>,
    },
    /// Show one resource type: attributes, relationships, filters, includes, sort fields, actions
    Show {
        /// The resource type (the path segment), such as `projects`
        resource: String,
    },
    /// Print a JSON:API write body for a resource type, with every writable attribute
    Skeleton {
        /// The resource type, such as `projects`
        resource: String,
        /// POST to create; PATCH or PUT to change a record (adds "id")
        #[arg(long, default_value = "POST", value_parser = ["POST", "PATCH", "PUT", "post", "patch", "put"])]
        method: String,
    },
}

pub fn run(args: ApiArgs) -> Result<(), Failure> {
    let catalogue = if args.load_description {
        let profile = args.profile.as_deref().unwrap_or_default();
        load(profile)?
    } else {
        catalogue::builtin().clone()
    };
    match &args.action {
        ApiAction::Paths { prefix } => paths(&catalogue, prefix.as_deref(), args.json),
        ApiAction::Show { resource } => show(&catalogue, resource, args.json),
        ApiAction::Skeleton { resource, method } => {
            let body = catalogue::body_skeleton(&catalogue, resource, method)
                .map_err(|e| Failure::usage(e.to_string()))?;
            outln!("{body}");
            Ok(())
        }
    }
}

/// The built-in catalogue enriched from the profile's API root (the Sandbox profile's sandbox
/// runs for this command).
fn load(wanted: &str) -> Result<Catalogue, Failure> {
    connect::runtime()?.block_on(async {
        let store = connect::open_store()?;
        let profile = connect::chosen_profile(&store, Some(wanted))?;
        let mut _running = None;
        let endpoints = if profile.environment == Environment::BuiltInSandbox {
            let sandbox =
                sandbox::Sandbox::start(sandbox::SandboxConfig::default()).await.map_err(|e| {
                    Failure::local(format!("The sandbox for the Sandbox profile could not start: {e}"))
                })?;
            let base = parse_url("the sandbox address", &sandbox.base_url())?;
            _running = Some(sandbox);
            profile.environment.endpoints(Some(&base))?
        } else {
            profile.environment.endpoints(None)?
        };
        let http = Clients::lazy(HttpSettings::default());
        let (merged, summary) =
            catalogue::load_description(&http, &endpoints.api_url, catalogue::builtin())
                .await
                .map_err(|e| Failure::new(Code::Network, e.to_string()))?;
        let added = if summary.resources_added.is_empty() {
            "no new resource type".to_owned()
        } else {
            format!("new types {}", summary.resources_added.join(", "))
        };
        eprintln!(
            "Loaded the API's description ({}) from {}: {} types described, {added}, {} attributes, {} parameters and {} actions added.",
            summary.source,
            catalogue::fetch::description_url(&endpoints.api_url),
            summary.resources_described,
            summary.attributes_added,
            summary.parameters_added,
            summary.actions_added
        );
        Ok(merged)
    })
}

fn json_out(value: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::local(format!("could not encode the answer: {e}")))?;
    outln!("{text}");
    Ok(())
}

/// `api paths [PREFIX]`.
fn paths(catalogue: &Catalogue, prefix: Option<&str>, json: bool) -> Result<(), Failure> {
    let typed = match prefix {
        Some(p) if p.contains("v1/") || p.contains("://") => p.to_owned(),
        Some(p) => format!("{{account-slug}}/v1/{}", p.trim_start_matches('/')),
        None => "{account-slug}/v1/".to_owned(),
    };
    let mut completions = catalogue::path_completions(catalogue, &typed);
    if prefix.is_none() {
        // Every path, not only the first screenful a completion gives.
        completions = catalogue
            .resources
            .iter()
            .flat_map(|r| {
                let typed = format!("{{account-slug}}/v1/{}", r.type_name);
                catalogue::path_completions(catalogue, &typed)
                    .into_iter()
                    .filter(|c| c.resource_type == r.type_name)
                    .collect::<Vec<_>>()
            })
            .collect();
    }
    if json {
        return json_out(&completions);
    }
    if completions.is_empty() {
        return Err(Failure::usage(format!(
            "No path of the catalogue starts with \"{typed}\". `scopestack-cli api paths` lists them all."
        )));
    }
    for c in &completions {
        let methods = c.methods.join(",");
        let what = match c.kind {
            CompletionKind::Action | CompletionKind::Prefix => c.description.clone(),
            _ => c.description.split_once(": ").map(|(_, d)| d.to_owned()).unwrap_or_default(),
        };
        outln!("{methods:<16} {:<56} {what}", c.text);
    }
    Ok(())
}

/// The resource type named, or a usage error listing the near names.
fn resource<'c>(catalogue: &'c Catalogue, name: &str) -> Result<&'c Resource, Failure> {
    let name = name.trim().trim_matches('/').to_ascii_lowercase();
    if let Some(r) = catalogue.resource(&name) {
        return Ok(r);
    }
    let near: Vec<&str> = catalogue
        .type_names()
        .into_iter()
        .filter(|t| t.contains(name.as_str()) || name.contains(*t))
        .collect();
    let hint = if near.is_empty() {
        "`scopestack-cli api paths` lists every type.".to_owned()
    } else {
        format!("Did you mean {}?", near.join(", "))
    };
    Err(Failure::usage(format!("\"{name}\" is not a resource type of the API catalogue. {hint}")))
}

/// `api show RESOURCE`.
fn show(catalogue: &Catalogue, name: &str, json: bool) -> Result<(), Failure> {
    let r = resource(catalogue, name)?;
    if json {
        return json_out(r);
    }
    let t = &r.type_name;
    outln!("{t}: {}", r.description);
    let (list, one) =
        if r.read_only { ("GET", "GET") } else { ("GET, POST", "GET, PATCH, DELETE") };
    outln!("  {{account-slug}}/v1/{t}    {list}");
    outln!("  {{account-slug}}/v1/{t}/{{id}}    {one}");
    for a in &r.actions {
        outln!("  {{account-slug}}/v1/{t}/{{id}}/{}    {}  {}", a.name, a.method, a.description);
    }
    outln!("Attributes:");
    for a in &r.attributes {
        let mut notes = Vec::new();
        if a.required {
            notes.push("required on create".to_owned());
        }
        if a.read_only {
            notes.push("read only".to_owned());
        }
        if !a.values.is_empty() {
            notes.push(format!("one of {}", a.values.join(", ")));
        }
        let kind = serde_json::to_value(a.kind).ok().and_then(|v| v.as_str().map(str::to_owned));
        outln!("  {:<28} {:<10} {}", a.name, kind.unwrap_or_default(), notes.join("; "));
    }
    if !r.relationships.is_empty() {
        outln!("Relationships:");
        for rel in &r.relationships {
            let mut notes = vec![if rel.to_many { "to many" } else { "to one" }];
            if rel.required {
                notes.push("required on create");
            }
            if rel.read_only {
                notes.push("read only");
            }
            outln!("  {:<28} → {:<24} {}", rel.name, rel.type_name, notes.join("; "));
        }
    }
    let line = |label: &str, items: Vec<String>| {
        if !items.is_empty() {
            outln!("{label}: {}", items.join(", "));
        }
    };
    line("Filters", r.filters.iter().map(|f| format!("filter[{f}]")).collect());
    line("Includes", r.includes.clone());
    line("Sort", r.sorts.clone());
    if r.paged {
        outln!("Paging: page[number], page[size]");
    }
    Ok(())
}
