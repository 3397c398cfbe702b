//! The account's JSON:API records (clients and projects): their fields and the seeded set.

use serde_json::{json, Map, Value};

use crate::clock::iso8601;

/// A resource type the sandbox serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Clients,
    Projects,
}

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
}

impl Kind {
    /// The JSON:API `type` and the path segment.
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Clients => "clients",
            Kind::Projects => "projects",
        }
    }

    /// The attributes a create or update may set, with their types.
    pub fn writable(self) -> &'static [(&'static str, AttrType)] {
        match self {
            Kind::Clients => &[
                ("name", AttrType::RequiredText),
                ("active", AttrType::Boolean),
                ("msa-date", AttrType::OptionalDate),
                ("domain", AttrType::OptionalText),
            ],
            Kind::Projects => &[
                ("project-name", AttrType::RequiredText),
                ("active", AttrType::Boolean),
                ("executive-summary", AttrType::OptionalText),
                ("solution-summary", AttrType::OptionalText),
            ],
        }
    }

    /// The attribute that `filter[name]` searches and that is required on create.
    pub fn name_attr(self) -> &'static str {
        match self {
            Kind::Clients => "name",
            Kind::Projects => "project-name",
        }
    }

    /// Attributes `sort` accepts (besides `id`).
    pub fn sortable(self) -> &'static [&'static str] {
        match self {
            Kind::Clients => &["name", "created-at", "updated-at", "msa-date"],
            Kind::Projects => &["project-name", "created-at", "updated-at", "status"],
        }
    }
}

/// One stored record. Projects point to a client.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    pub id: u64,
    pub attributes: Map<String, Value>,
    pub client_id: Option<u64>,
}

impl Record {
    /// Whether `attributes.active` is true.
    pub fn active(&self) -> bool {
        self.attributes.get("active") == Some(&Value::Bool(true))
    }
}

/// All records of the account.
#[derive(Debug, Clone)]
pub(crate) struct Records {
    pub clients: Vec<Record>,
    pub projects: Vec<Record>,
}

const CLIENTS: [(&str, &str, bool); 8] = [
    ("Bluebird Logistics", "bluebird-logistics.example", true),
    ("Cedar Valley Health", "cedarvalleyhealth.example", true),
    ("Harbor Point Bank", "harborpointbank.example", true),
    ("Juniper Manufacturing", "junipermfg.example", true),
    ("Lakeside School District", "lakeside-schools.example", true),
    ("Maple Street Retail", "maplestreet.example", true),
    ("Northgate Energy", "northgate-energy.example", false),
    ("Oakridge Legal", "oakridgelegal.example", false),
];

const PROJECT_KINDS: [&str; 10] = [
    "Network refresh",
    "Managed security services",
    "Microsoft 365 migration",
    "Data center consolidation",
    "SD-WAN rollout",
    "Backup and recovery",
    "Cloud readiness assessment",
    "Wireless upgrade",
    "Endpoint management",
    "Collaboration suite",
];

const STATUSES: [&str; 7] = [
    "building",
    "technical_approval",
    "sales_approval",
    "business_approval",
    "approved",
    "won",
    "lost",
];

/// First id of seeded clients.
pub(crate) const FIRST_CLIENT_ID: u64 = 301;
/// First id of seeded projects.
pub(crate) const FIRST_PROJECT_ID: u64 = 1201;
/// 2024-01-08T09:00:00Z, when the seeded history starts.
const SEED_EPOCH: u64 = 1_704_704_400;

impl Records {
    /// The seeded 8 clients (2 inactive) and 25 projects (5 inactive).
    pub fn seeded() -> Self {
        let clients = CLIENTS
            .iter()
            .enumerate()
            .map(|(i, (name, domain, active))| {
                let created = iso8601(SEED_EPOCH + i as u64 * 86_400 * 3);
                let msa = format!("2023-{:02}-{:02}", i % 12 + 1, i * 3 % 28 + 1);
                let attributes = json!({
                    "name": name,
                    "active": active,
                    "msa-date": msa,
                    "domain": domain,
                    "created-at": created,
                    "updated-at": created,
                });
                Record {
                    id: FIRST_CLIENT_ID + i as u64,
                    attributes: into_map(attributes),
                    client_id: None,
                }
            })
            .collect();
        let projects = (0..25u64)
            .map(|i| {
                let client = (i % CLIENTS.len() as u64) as usize;
                let active = i % 5 != 4;
                let created = iso8601(SEED_EPOCH + 86_400 * 30 + i * 86_400 * 5 + i * 997);
                let status = if active {
                    STATUSES[(i as usize) % STATUSES.len()]
                } else {
                    "canceled"
                };
                let attributes = json!({
                    "project-name": format!("{} for {}", PROJECT_KINDS[(i % 10) as usize], CLIENTS[client].0),
                    "active": active,
                    "status": status,
                    "executive-summary": null,
                    "solution-summary": null,
                    "created-at": created,
                    "updated-at": created,
                });
                Record {
                    id: FIRST_PROJECT_ID + i,
                    attributes: into_map(attributes),
                    client_id: Some(FIRST_CLIENT_ID + client as u64),
                }
            })
            .collect();
        Records { clients, projects }
    }

    /// The records of one type.
    pub fn of(&self, kind: Kind) -> &Vec<Record> {
        match kind {
            Kind::Clients => &self.clients,
            Kind::Projects => &self.projects,
        }
    }

    /// The records of one type, for changes.
    pub fn of_mut(&mut self, kind: Kind) -> &mut Vec<Record> {
        match kind {
            Kind::Clients => &mut self.clients,
            Kind::Projects => &mut self.projects,
        }
    }

    /// One record by its string id.
    pub fn find(&self, kind: Kind, id: &str) -> Option<&Record> {
        let id: u64 = id.parse().ok()?;
        self.of(kind).iter().find(|r| r.id == id)
    }

    /// The next free id of a type.
    pub fn next_id(&self, kind: Kind) -> u64 {
        self.of(kind).iter().map(|r| r.id + 1).max().unwrap_or(1)
    }
}

fn into_map(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
