//! Records as JSON:API resource objects: dasherized attributes, string ids, `links.self`, the
//! to-one relationships, a project's `client-name`, and the records `include` adds.

use serde_json::{json, Map, Value};

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
    if kind == Kind::PROJECTS {
        let client = record.client_id().and_then(|id| all.by_id(Kind::CLIENTS, id));
        let client_name =
            client.and_then(|c| c.attributes.get("name").cloned()).unwrap_or(Value::Null);
        attributes.insert("client-name".to_owned(), client_name);
    }
    if !kind.rels().is_empty() || !kind.spec().has_many.is_empty() {
        let mut rels = Map::new();
        for rel in kind.rels() {
            let data = match record.rel(rel.name) {
                Some(id) => json!({"type": rel.target, "id": id.to_string()}),
                None => Value::Null,
            };
            rels.insert(rel.name.to_owned(), json!({"data": data}));
        }
        for (name, other, back) in kind.spec().has_many {
            let data: Vec<Value> = many(all, other, back, record.id)
                .map(|r| json!({"type": other, "id": r.id.to_string()}))
                .collect();
            rels.insert((*name).to_owned(), json!({"data": data}));
        }
        out["relationships"] = Value::Object(rels);
    }
    out["attributes"] = Value::Object(attributes);
    out
}

/// The records of type `other` whose relationship `back` points at `id`.
fn many<'a>(
    all: &'a Records,
    other: &str,
    back: &'a str,
    id: u64,
) -> impl Iterator<Item = &'a Record> {
    Kind::of(other)
        .into_iter()
        .flat_map(move |k| all.of(k).iter())
        .filter(move |r| r.rel(back) == Some(id))
}

/// The distinct records the given records' `includes` relationships point to, as `included[]`
/// entries (in the order of the relationships, then by id).
pub(crate) fn included(
    base: &str,
    kind: Kind,
    records: &[&Record],
    includes: &[&'static str],
    all: &Records,
) -> Vec<Value> {
    let mut out = Vec::new();
    for name in includes {
        if let Some((_, other, back)) = kind.has_many(name) {
            let Some(target) = Kind::of(other) else { continue };
            for record in records {
                out.extend(
                    many(all, other, back, record.id).map(|r| resource(base, target, r, all)),
                );
            }
            continue;
        }
        let Some(rel) = kind.rel(name) else { continue };
        let Some(target) = Kind::of(rel.target) else { continue };
        let mut ids: Vec<u64> = records.iter().filter_map(|r| r.rel(name)).collect();
        ids.sort_unstable();
        ids.dedup();
        out.extend(
            ids.iter()
                .filter_map(|id| all.by_id(target, *id))
                .map(|r| resource(base, target, r, all)),
        );
    }
    out
}
