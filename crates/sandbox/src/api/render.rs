//! Records as JSON:API resource objects: dasherized attributes, string ids, `links.self`, and the
//! project's `client` relationship.

use serde_json::{json, Value};

use crate::demo::ACCOUNT_SLUG;
use crate::records::{Kind, Record, Records};

/// `<base>/<slug>/v1/<type>`, the collection URL.
pub(crate) fn collection_url(base: &str, kind: Kind) -> String {
    format!("{base}/{ACCOUNT_SLUG}/v1/{}", kind.type_name())
}

/// The URL of one record.
pub(crate) fn record_url(base: &str, kind: Kind, id: u64) -> String {
    format!("{}/{id}", collection_url(base, kind))
}

/// The resource object of `record`.
pub(crate) fn resource(base: &str, kind: Kind, record: &Record, all: &Records) -> Value {
    let mut attributes = record.attributes.clone();
    let mut out = json!({
        "id": record.id.to_string(),
        "type": kind.type_name(),
        "links": {"self": record_url(base, kind, record.id)},
    });
    if kind == Kind::Projects {
        let client = record.client_id.and_then(|id| all.clients.iter().find(|c| c.id == id));
        let client_name =
            client.and_then(|c| c.attributes.get("name").cloned()).unwrap_or(Value::Null);
        attributes.insert("client-name".to_owned(), client_name);
        let data = match record.client_id {
            Some(id) => json!({"type": "clients", "id": id.to_string()}),
            None => Value::Null,
        };
        out["relationships"] = json!({"client": {"data": data}});
    }
    out["attributes"] = Value::Object(attributes);
    out
}

/// The distinct clients the given projects point to, as `included[]` entries.
pub(crate) fn included_clients(base: &str, projects: &[&Record], all: &Records) -> Vec<Value> {
    let mut ids: Vec<u64> = projects.iter().filter_map(|p| p.client_id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.iter()
        .filter_map(|id| all.clients.iter().find(|c| c.id == *id))
        .map(|c| resource(base, Kind::Clients, c, all))
        .collect()
}
