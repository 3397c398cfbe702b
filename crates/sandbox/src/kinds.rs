//! The resource types the sandbox serves: for each its JSON:API type (also the path segment),
//! writable attributes, to-one relationships, filters, sort fields and action endpoints. The
//! handlers, the seed and the OpenAPI description at `GET /` all read this one table.

use axum::http::Method;

/// How an attribute may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttrType {
    /// A non-blank string, required on create.
    RequiredText,
    /// A string or null.
    OptionalText,
    /// `YYYY-MM-DD` or null.
    OptionalDate,
    /// true or false.
    Boolean,
    /// A number or null.
    OptionalNumber,
}

/// A to-one relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rel {
    /// Its name in `relationships` (and in `include` and `filter[…]`).
    pub name: &'static str,
    /// The resource type it points to.
    pub target: &'static str,
    /// Whether a create must give it.
    pub required: bool,
}

/// An action endpoint on one record: `{type}/{id}/{name}`.
#[derive(Debug, Clone)]
pub(crate) struct ActionSpec {
    pub name: &'static str,
    pub method: Method,
    pub summary: &'static str,
}

/// One resource type.
#[derive(Debug)]
pub(crate) struct Spec {
    pub type_name: &'static str,
    pub summary: &'static str,
    /// Writable attributes, in order.
    pub writable: &'static [(&'static str, AttrType)],
    /// The text attribute `filter[name]` searches.
    pub name_attr: &'static str,
    pub rels: &'static [Rel],
    /// To-many relationships, each read from the records of another type pointing back here:
    /// (name, their type, their relationship to this one).
    pub has_many: &'static [(&'static str, &'static str, &'static str)],
    /// Attributes `filter[…]` matches exactly (besides `active`, `name` and the relationships).
    pub filters: &'static [&'static str],
    /// Attributes `sort` accepts (besides `id`).
    pub sortable: &'static [&'static str],
    /// Read only: no create or update.
    pub read_only: bool,
    /// Values a create starts from, besides the writable attributes' empty values.
    pub defaults: &'static [(&'static str, &'static str)],
    pub actions: fn() -> Vec<ActionSpec>,
}

/// A resource type: an index into [`SPECS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Kind(pub usize);

use AttrType::{
    Boolean as B, OptionalDate as D, OptionalNumber as N, OptionalText as T, RequiredText as R,
};

const fn rel(name: &'static str, target: &'static str, required: bool) -> Rel {
    Rel { name, target, required }
}

fn none() -> Vec<ActionSpec> {
    Vec::new()
}

fn project_actions() -> Vec<ActionSpec> {
    vec![ActionSpec {
        name: "merge-data",
        method: Method::GET,
        summary: "The project's merge data: the values document templates use",
    }]
}

fn survey_actions() -> Vec<ActionSpec> {
    vec![
        ActionSpec {
            name: "calculate",
            method: Method::PUT,
            summary: "Works out the services the survey's answers recommend",
        },
        ActionSpec {
            name: "apply",
            method: Method::PUT,
            summary: "Adds the calculated recommendations to the survey's project",
        },
    ]
}

fn project_service_actions() -> Vec<ActionSpec> {
    vec![ActionSpec {
        name: "synchronize-standard",
        method: Method::PUT,
        summary: "Brings the project service back in line with its standard service",
    }]
}

macro_rules! spec {
    ($t:expr, $s:expr, [$($w:expr),* $(,)?], $name:expr, [$($r:expr),* $(,)?], [$($f:expr),* $(,)?], [$($o:expr),* $(,)?]) => {
        Spec {
            type_name: $t,
            summary: $s,
            writable: &[$($w),*],
            name_attr: $name,
            rels: &[$($r),*],
            has_many: &[],
            filters: &[$($f),*],
            sortable: &[$($o),*],
            read_only: false,
            defaults: &[],
            actions: none,
        }
    };
}

/// Every resource type, clients and projects first.
pub(crate) static SPECS: [Spec; 30] = [
    spec!(
        "clients",
        "Customers of the account",
        [("name", R), ("active", B), ("msa-date", D), ("domain", T)],
        "name",
        [],
        [],
        ["name", "created-at", "updated-at", "msa-date"]
    ),
    Spec {
        defaults: &[("status", "building")],
        actions: project_actions,
        has_many: &[
            ("project-services", "project-services", "project"),
            ("project-contacts", "project-contacts", "project"),
            ("project-locations", "project-locations", "project"),
            ("project-phases", "project-phases", "project"),
            ("project-documents", "project-documents", "project"),
        ],
        ..spec!(
            "projects",
            "Projects: scopes of work for a client",
            [("project-name", R), ("active", B), ("executive-summary", T), ("solution-summary", T)],
            "project-name",
            [
                rel("client", "clients", true),
                rel("sales-executive", "sales-executives", false),
                rel("presales-engineer", "presales-engineers", false),
                rel("rate-table", "rate-tables", false),
                rel("payment-term", "payment-terms", false),
                rel("crm-opportunity", "crm-opportunities", false)
            ],
            ["status", "approved-at.after"],
            ["project-name", "created-at", "updated-at", "status"]
        )
    },
    spec!(
        "services",
        "The account's catalogue of services",
        [
            ("name", R),
            ("active", B),
            ("service-type", T),
            ("sku", T),
            ("service-description", T),
            ("published", B)
        ],
        "name",
        [rel("phase", "phases", false)],
        ["service-type", "published"],
        ["name", "sku", "created-at", "updated-at"]
    ),
    Spec {
        actions: project_service_actions,
        has_many: &[("project-subservices", "project-subservices", "project-service")],
        ..spec!(
            "project-services",
            "Services added to a project",
            [("name", R), ("quantity", N), ("service-description", T)],
            "name",
            [
                rel("project", "projects", true),
                rel("service", "services", false),
                rel("project-phase", "project-phases", false)
            ],
            [],
            ["name", "quantity", "created-at", "updated-at"]
        )
    },
    spec!(
        "project-subservices",
        "Tasks of a project service",
        [("name", R), ("quantity", N), ("service-description", T)],
        "name",
        [rel("project-service", "project-services", true), rel("project", "projects", false)],
        [],
        ["name", "quantity", "created-at", "updated-at"]
    ),
    spec!(
        "project-resources",
        "Roles staffed on a project",
        [("name", R), ("hourly-rate", N), ("extended-hours", N)],
        "name",
        [rel("project", "projects", true), rel("resource", "resources", false)],
        [],
        ["name", "created-at", "updated-at"]
    ),
    spec!(
        "project-contacts",
        "People at the customer to contact about a project",
        [("name", R), ("email", T), ("phone", T), ("title", T)],
        "name",
        [rel("project", "projects", true)],
        ["email"],
        ["name", "email", "created-at", "updated-at"]
    ),
    spec!(
        "project-locations",
        "Sites where a project's work happens",
        [("name", R), ("city", T), ("state", T), ("country", T), ("remote", B)],
        "name",
        [rel("project", "projects", true)],
        [],
        ["name", "city", "created-at", "updated-at"]
    ),
    spec!(
        "project-variables",
        "Custom fields' values on a project",
        [("name", R), ("label", T), ("value", T)],
        "name",
        [rel("project", "projects", true)],
        [],
        ["name", "created-at", "updated-at"]
    ),
    spec!(
        "project-phases",
        "Phases of a project",
        [("name", R), ("position", N)],
        "name",
        [rel("project", "projects", true), rel("phase", "phases", false)],
        [],
        ["name", "position", "created-at", "updated-at"]
    ),
    spec!(
        "project-governances",
        "Project management on a project",
        [("description", R), ("rate", N), ("fixed-hours", N)],
        "description",
        [
            rel("project", "projects", true),
            rel("resource", "resources", false),
            rel("governance-calculation-type", "governance-calculation-types", false),
            rel("governance-allocation-method", "governance-allocation-methods", false)
        ],
        [],
        ["description", "created-at", "updated-at"]
    ),
    Spec {
        defaults: &[("status", "finished")],
        ..spec!(
            "project-documents",
            "Documents generated from a project",
            [("document-type", R), ("generate-pdf", B)],
            "document-type",
            [
                rel("project", "projects", true),
                rel("document-template", "document-templates", false)
            ],
            ["status", "document-type"],
            ["document-type", "created-at", "updated-at"]
        )
    },
    spec!(
        "crm-opportunities",
        "Opportunities from the connected CRM",
        [("name", R), ("opportunity-id", T), ("amount", N), ("stage", T), ("is-closed", B)],
        "name",
        [],
        ["opportunity-id", "stage", "is-closed"],
        ["name", "amount", "created-at", "updated-at"]
    ),
    spec!(
        "rate-tables",
        "Sets of hourly rates",
        [("name", R), ("active", B), ("default", B)],
        "name",
        [],
        [],
        ["name", "created-at", "updated-at"]
    ),
    spec!(
        "resources",
        "Roles the account staffs, with rates",
        [("name", R), ("active", B), ("hourly-rate", N), ("hourly-cost", N)],
        "name",
        [],
        [],
        ["name", "hourly-rate", "created-at", "updated-at"]
    ),
    spec!(
        "payment-terms",
        "How a project's price is billed",
        [("name", R), ("active", B), ("slug", T)],
        "name",
        [],
        [],
        ["name", "created-at", "updated-at"]
    ),
    spec!(
        "questionnaires",
        "Question sets whose answers add services",
        [("name", R), ("active", B), ("published", B)],
        "name",
        [],
        ["published"],
        ["name", "created-at", "updated-at"]
    ),
    Spec {
        defaults: &[("status", "pending")],
        actions: survey_actions,
        ..spec!(
            "surveys",
            "Questionnaires answered for a project",
            [("name", R)],
            "name",
            [rel("project", "projects", false), rel("questionnaire", "questionnaires", true)],
            ["status"],
            ["name", "status", "created-at", "updated-at"]
        )
    },
    spec!(
        "document-templates",
        "Templates documents are generated from",
        [("name", R), ("active", B), ("document-type", T)],
        "name",
        [],
        ["document-type"],
        ["name", "created-at", "updated-at"]
    ),
    spec!(
        "vendors",
        "Third parties whose products a project resells",
        [("name", R), ("active", B), ("domain", T)],
        "name",
        [],
        [],
        ["name", "created-at", "updated-at"]
    ),
    spec!(
        "products",
        "The account's products",
        [("name", R), ("active", B), ("sku", T), ("unit-price", N)],
        "name",
        [rel("vendor", "vendors", false)],
        ["sku"],
        ["name", "sku", "unit-price", "created-at", "updated-at"]
    ),
    spec!(
        "sales-executives",
        "Salespeople who own projects",
        [("name", R), ("email", T), ("title", T), ("active", B)],
        "name",
        [],
        ["email"],
        ["name", "email", "created-at", "updated-at"]
    ),
    spec!(
        "presales-engineers",
        "Presales engineers assigned to projects",
        [("name", R), ("email", T), ("title", T), ("active", B)],
        "name",
        [],
        ["email"],
        ["name", "email", "created-at", "updated-at"]
    ),
    spec!(
        "phases",
        "Phases that group services",
        [("name", R), ("position", N), ("active", B)],
        "name",
        [],
        [],
        ["name", "position", "created-at", "updated-at"]
    ),
    Spec {
        read_only: true,
        ..spec!("accounts", "The account itself", [], "name", [], ["slug"], ["name", "slug"])
    },
    Spec {
        read_only: true,
        ..spec!(
            "users",
            "People with a login to the account",
            [],
            "name",
            [],
            ["email"],
            ["name", "email", "title"]
        )
    },
    spec!(
        "tags",
        "Labels for projects and services",
        [("name", R)],
        "name",
        [],
        [],
        ["name", "created-at", "updated-at"]
    ),
    spec!(
        "language-fields",
        "Custom text fields of documents",
        [("name", R), ("slug", T)],
        "name",
        [],
        ["slug"],
        ["name", "created-at", "updated-at"]
    ),
    Spec {
        read_only: true,
        ..spec!(
            "governance-calculation-types",
            "How project management is calculated",
            [],
            "name",
            [],
            [],
            ["name"]
        )
    },
    Spec {
        read_only: true,
        ..spec!(
            "governance-allocation-methods",
            "How project management hours are allocated",
            [],
            "name",
            [],
            [],
            ["name"]
        )
    },
];

impl Kind {
    /// Clients.
    pub const CLIENTS: Kind = Kind(0);
    /// Projects.
    pub const PROJECTS: Kind = Kind(1);

    /// Every kind, in the table's order.
    pub fn all() -> impl Iterator<Item = Kind> {
        (0..SPECS.len()).map(Kind)
    }

    /// The kind of a type name (path segment).
    pub fn of(type_name: &str) -> Option<Kind> {
        SPECS.iter().position(|s| s.type_name == type_name).map(Kind)
    }

    pub fn spec(self) -> &'static Spec {
        &SPECS[self.0]
    }

    /// The JSON:API `type` and the path segment.
    pub fn type_name(self) -> &'static str {
        self.spec().type_name
    }

    /// The attributes a create or update may set, with their types.
    pub fn writable(self) -> &'static [(&'static str, AttrType)] {
        self.spec().writable
    }

    /// The attribute that `filter[name]` searches and that is required on create.
    pub fn name_attr(self) -> &'static str {
        self.spec().name_attr
    }

    /// Attributes `sort` accepts (besides `id`).
    pub fn sortable(self) -> &'static [&'static str] {
        self.spec().sortable
    }

    /// Whether `sort` accepts `name`: `id`, the listed fields, any writable attribute, the
    /// server-set ones (`status`…) and the timestamps.
    pub fn can_sort(self, name: &str) -> bool {
        name == "id"
            || ["created-at", "updated-at"].contains(&name)
            || self.sortable().contains(&name)
            || self.writable().iter().any(|(n, _)| *n == name)
            || self.spec().defaults.iter().any(|(n, _)| *n == name)
    }

    /// The to-one relationships.
    pub fn rels(self) -> &'static [Rel] {
        self.spec().rels
    }

    /// One to-many relationship by name: (name, the other type, its relationship back).
    pub fn has_many(
        self,
        name: &str,
    ) -> Option<&'static (&'static str, &'static str, &'static str)> {
        self.spec().has_many.iter().find(|h| h.0 == name)
    }

    /// One relationship by name.
    pub fn rel(self, name: &str) -> Option<&'static Rel> {
        self.rels().iter().find(|r| r.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_consistent() {
        let mut names: Vec<&str> = SPECS.iter().map(|s| s.type_name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SPECS.len());
        assert_eq!(Kind::CLIENTS.type_name(), "clients");
        assert_eq!(Kind::PROJECTS.type_name(), "projects");
        for s in &SPECS {
            for (_, other, back) in s.has_many {
                let other = Kind::of(other).expect("a served type");
                assert!(
                    other.rel(back).is_some(),
                    "{} ← {}.{back}",
                    s.type_name,
                    other.type_name()
                );
            }
            for r in s.rels {
                assert!(Kind::of(r.target).is_some(), "{} → {}", s.type_name, r.target);
            }
            if !s.read_only {
                assert_eq!(
                    s.writable.iter().find(|(n, _)| *n == s.name_attr).map(|w| w.1),
                    Some(R),
                    "{}",
                    s.type_name
                );
            }
        }
    }
}
