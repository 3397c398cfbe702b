//! The account's JSON:API records of every resource type ([`crate::kinds`]): their storage and
//! the seeded set (8 clients, 25 projects, and the services, contacts, phases, surveys… around
//! them, all related as in a real account).

use serde_json::{json, Map, Value};

use crate::clock::iso8601;
pub(crate) use crate::kinds::{AttrType, Kind, SPECS};

/// One stored record, with the ids its to-one relationships point to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    pub id: u64,
    pub attributes: Map<String, Value>,
    pub rels: Vec<(&'static str, u64)>,
}

impl Record {
    /// Whether `attributes.active` is true.
    pub fn active(&self) -> bool {
        self.attributes.get("active") == Some(&Value::Bool(true))
    }

    /// The id a to-one relationship points to.
    pub fn rel(&self, name: &str) -> Option<u64> {
        self.rels.iter().find(|(n, _)| *n == name).map(|(_, id)| *id)
    }

    /// Points a to-one relationship at `id`.
    pub fn set_rel(&mut self, name: &'static str, id: u64) {
        self.rels.retain(|(n, _)| *n != name);
        self.rels.push((name, id));
    }

    /// The project's client (projects only).
    pub fn client_id(&self) -> Option<u64> {
        self.rel("client")
    }
}

/// All records of the account, by kind.
#[derive(Debug, Clone)]
pub(crate) struct Records {
    lists: Vec<Vec<Record>>,
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
pub(crate) const SEED_EPOCH: u64 = 1_704_704_400;

/// The first id of the seeded records of `kind`.
pub(crate) fn first_id(kind: Kind) -> u64 {
    match kind {
        Kind::CLIENTS => FIRST_CLIENT_ID,
        Kind::PROJECTS => FIRST_PROJECT_ID,
        Kind(i) => 10_000 + i as u64 * 1_000 + 1,
    }
}

pub(crate) fn into_map(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

impl Records {
    /// The seeded records.
    pub fn seeded() -> Self {
        let mut records = Records { lists: vec![Vec::new(); SPECS.len()] };
        records.lists[Kind::CLIENTS.0] = CLIENTS
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
                    rels: Vec::new(),
                }
            })
            .collect();
        records.lists[Kind::PROJECTS.0] = (0..25u64)
            .map(|i| {
                let client = (i % CLIENTS.len() as u64) as usize;
                let active = i % 5 != 4;
                let created = iso8601(SEED_EPOCH + 86_400 * 30 + i * 86_400 * 5 + i * 997);
                let status =
                    if active { STATUSES[(i as usize) % STATUSES.len()] } else { "canceled" };
                let attributes = json!({
                    "project-name": format!("{} for {}", PROJECT_KINDS[(i % 10) as usize], CLIENTS[client].0),
                    "active": active,
                    "status": status,
                    "executive-summary": null,
                    "solution-summary": null,
                    "created-at": created,
                    "updated-at": created,
                });
                let related = |kind: &str, count: u64| {
                    first_id(Kind::of(kind).unwrap_or(Kind::CLIENTS)) + i % count
                };
                Record {
                    id: FIRST_PROJECT_ID + i,
                    attributes: into_map(attributes),
                    rels: vec![
                        ("client", FIRST_CLIENT_ID + client as u64),
                        ("sales-executive", related("sales-executives", 3)),
                        ("presales-engineer", related("presales-engineers", 3)),
                        ("rate-table", related("rate-tables", 2)),
                        ("payment-term", related("payment-terms", 3)),
                    ],
                }
            })
            .collect();
        crate::seed::seed_the_rest(&mut records);
        records
    }

    /// The records of one type.
    pub fn of(&self, kind: Kind) -> &Vec<Record> {
        &self.lists[kind.0]
    }

    /// The records of one type, for changes.
    pub fn of_mut(&mut self, kind: Kind) -> &mut Vec<Record> {
        &mut self.lists[kind.0]
    }

    /// One record by its string id.
    pub fn find(&self, kind: Kind, id: &str) -> Option<&Record> {
        let id: u64 = id.parse().ok()?;
        self.by_id(kind, id)
    }

    /// One record by its id.
    pub fn by_id(&self, kind: Kind, id: u64) -> Option<&Record> {
        self.of(kind).iter().find(|r| r.id == id)
    }

    /// The next free id of a type.
    pub fn next_id(&self, kind: Kind) -> u64 {
        self.of(kind).iter().map(|r| r.id + 1).max().unwrap_or_else(|| first_id(kind))
    }
}
