//! The catalogue of ScopeStack's account-scoped API: its resource types, their attributes,
//! relationships, query parameters and action endpoints, read from one data file the engine owns
//! (`scopestack-api.json`), and enriched from the API's own OpenAPI description when asked.
//!
//! - this file: the types and the built-in catalogue ([`builtin`]);
//! - [`paths`]: completing a typed request path, and the query parameters a path accepts;
//! - [`skeleton`]: a JSON:API write body for a resource type;
//! - [`openapi`]: adding what an OpenAPI 3 / Swagger 2 document describes ([`enrich_from_openapi`]);
//! - [`fetch`]: loading that document from a profile's API root.

pub mod fetch;
pub mod openapi;
pub mod paths;
pub mod skeleton;

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

pub use fetch::load_description;
pub use openapi::{enrich_from_openapi, EnrichSummary, MAX_DESCRIPTION_BYTES};
pub use paths::{
    path_completions, query_parameters, CompletionKind, PathCompletion, QueryParameter,
};
pub use skeleton::body_skeleton;

/// The catalogue's data file, compiled into the engine.
const DATA: &str = include_str!("scopestack-api.json");

/// What the app knows of the API: every resource type, in a stable order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename = "ApiCatalogue")]
pub struct Catalogue {
    /// The data file's format version.
    pub version: u32,
    /// Where the catalogue comes from, in a sentence.
    pub about: String,
    /// The resource types, by path segment.
    pub resources: Vec<Resource>,
    /// Set once the API's own description was merged in: what it added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enriched: Option<EnrichSummary>,
}

/// One account-scoped resource type: `{account-slug}/v1/{type}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename = "ApiResource")]
pub struct Resource {
    /// The JSON:API `type`, which is also the path segment (`projects`).
    #[serde(rename = "type")]
    pub type_name: String,
    /// What it is, in one line.
    pub description: String,
    #[serde(default)]
    pub attributes: Vec<Attribute>,
    #[serde(default)]
    pub relationships: Vec<Relationship>,
    /// Names inside `filter[…]`.
    #[serde(default)]
    pub filters: Vec<String>,
    /// Names `include=` accepts.
    #[serde(default)]
    pub includes: Vec<String>,
    /// Fields `sort=` accepts (a leading `-` sorts descending).
    #[serde(default)]
    pub sorts: Vec<String>,
    /// Whether lists take `page[number]` and `page[size]`.
    #[serde(default = "yes")]
    pub paged: bool,
    /// Whether the API only reads this type (no create, update or delete).
    #[serde(default)]
    pub read_only: bool,
    /// Action endpoints on one record: `{type}/{id}/{name}`.
    #[serde(default)]
    pub actions: Vec<Action>,
}

fn yes() -> bool {
    true
}

/// The kind of an attribute's value, for placeholders and hints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename = "ApiAttrKind")]
#[serde(rename_all = "kebab-case")]
pub enum AttrKind {
    String,
    /// Longer text (summaries, descriptions).
    Text,
    Integer,
    Number,
    Boolean,
    /// `YYYY-MM-DD`.
    Date,
    /// ISO 8601 with time.
    DateTime,
    /// One of `values`.
    Enum,
    Object,
    Array,
}

/// One attribute of a resource type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename = "ApiAttribute")]
pub struct Attribute {
    /// Its kebab-case name (`project-name`).
    pub name: String,
    pub kind: AttrKind,
    /// Whether a create must give it.
    #[serde(default)]
    pub required: bool,
    /// Whether the server sets it (never written in a body).
    #[serde(default)]
    pub read_only: bool,
    /// The allowed values of an enum.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// One relationship of a resource type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename = "ApiRelationship")]
pub struct Relationship {
    /// Its name in `relationships` (`client`).
    pub name: String,
    /// The resource type it points to (`clients`).
    #[serde(rename = "type")]
    pub type_name: String,
    /// Whether it holds a list.
    #[serde(default)]
    pub to_many: bool,
    /// Whether a create must give it.
    #[serde(default)]
    pub required: bool,
    /// Whether the server sets it (never written in a body).
    #[serde(default)]
    pub read_only: bool,
}

/// An action endpoint: `{type}/{id}/{name}` with its method.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename = "ApiAction")]
pub struct Action {
    /// The last path segment (`merge-data`).
    pub name: String,
    /// The HTTP method it takes (`GET`, `PUT`).
    pub method: String,
    pub description: String,
}

/// The built-in catalogue, parsed once.
pub fn builtin() -> &'static Catalogue {
    static BUILTIN: OnceLock<Catalogue> = OnceLock::new();
    BUILTIN.get_or_init(|| match serde_json::from_str(DATA) {
        Ok(catalogue) => catalogue,
        // The unit test below proves the file parses; should it ever not, the app still runs
        // without completions rather than stop.
        Err(e) => {
            tracing::error!(error = %e, "the built-in API catalogue does not parse");
            Catalogue {
                version: 1,
                about: format!("The built-in catalogue could not be read: {e}"),
                resources: Vec::new(),
                enriched: None,
            }
        }
    })
}

impl Catalogue {
    /// The resource type of a path segment (its JSON:API `type`).
    pub fn resource(&self, type_name: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.type_name == type_name)
    }

    /// The resource types' path segments, in the catalogue's order.
    pub fn type_names(&self) -> Vec<&str> {
        self.resources.iter().map(|r| r.type_name.as_str()).collect()
    }
}

impl Resource {
    /// An empty resource type (for one the API describes but the catalogue did not know).
    pub fn new(type_name: &str, description: &str) -> Resource {
        Resource {
            type_name: type_name.to_owned(),
            description: description.to_owned(),
            attributes: Vec::new(),
            relationships: Vec::new(),
            filters: Vec::new(),
            includes: Vec::new(),
            sorts: Vec::new(),
            paged: true,
            read_only: false,
            actions: Vec::new(),
        }
    }

    /// One attribute by name.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// Whether a name can be a path segment or a JSON:API member name of the catalogue: lower-case
/// ASCII letters, digits, `-`, `_` and `.`, 1 to 100 characters.
pub(crate) fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_data_file_parses_and_is_consistent() {
        let catalogue: Catalogue = serde_json::from_str(DATA).expect("scopestack-api.json parses");
        assert_eq!(builtin(), &catalogue);
        assert!(catalogue.resources.len() >= 28, "{}", catalogue.resources.len());
        let types: HashSet<&str> = catalogue.type_names().into_iter().collect();
        assert_eq!(types.len(), catalogue.resources.len(), "no type twice");
        for name in [
            "projects",
            "clients",
            "services",
            "project-services",
            "project-subservices",
            "project-resources",
            "project-contacts",
            "project-locations",
            "project-variables",
            "project-phases",
            "project-governances",
            "project-documents",
            "crm-opportunities",
            "rate-tables",
            "resources",
            "payment-terms",
            "questionnaires",
            "surveys",
            "document-templates",
            "vendors",
            "products",
            "sales-executives",
            "presales-engineers",
            "phases",
        ] {
            assert!(types.contains(name), "{name} is in the catalogue");
        }
        for r in &catalogue.resources {
            assert!(is_name(&r.type_name), "{}", r.type_name);
            assert!(!r.description.is_empty() && !r.description.contains('\n'), "{}", r.type_name);
            let attrs: HashSet<&str> = r.attributes.iter().map(|a| a.name.as_str()).collect();
            assert_eq!(attrs.len(), r.attributes.len(), "{}: no attribute twice", r.type_name);
            for a in &r.attributes {
                assert!(is_name(&a.name), "{}.{}", r.type_name, a.name);
                assert_eq!(
                    a.kind == AttrKind::Enum,
                    !a.values.is_empty(),
                    "{}.{}",
                    r.type_name,
                    a.name
                );
                assert!(!(a.required && a.read_only), "{}.{}", r.type_name, a.name);
            }
            for rel in &r.relationships {
                assert!(
                    types.contains(rel.type_name.as_str()),
                    "{} → {}",
                    r.type_name,
                    rel.type_name
                );
            }
            for include in &r.includes {
                assert!(
                    r.relationships.iter().any(|rel| &rel.name == include),
                    "{}: include {include} is a relationship",
                    r.type_name
                );
            }
            for sort in &r.sorts {
                assert!(
                    sort == "id" || attrs.contains(sort.as_str()),
                    "{}: sort {sort}",
                    r.type_name
                );
            }
            for action in &r.actions {
                assert!(is_name(&action.name), "{}", action.name);
                assert!(["GET", "PUT", "POST", "PATCH"].contains(&action.method.as_str()));
            }
            if !r.read_only {
                assert!(
                    r.attributes.iter().any(|a| a.required),
                    "{}: what a create needs",
                    r.type_name
                );
            }
        }
        let actions: Vec<String> = catalogue
            .resources
            .iter()
            .flat_map(|r| {
                r.actions
                    .iter()
                    .map(move |a| format!("{} {}/{{id}}/{}", a.method, r.type_name, a.name))
            })
            .collect();
        for expected in [
            "PUT surveys/{id}/calculate",
            "PUT surveys/{id}/apply",
            "PUT project-services/{id}/synchronize-standard",
            "GET projects/{id}/merge-data",
        ] {
            assert!(actions.iter().any(|a| a == expected), "{expected} in {actions:?}");
        }
    }
}
