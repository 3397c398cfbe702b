//! A JSON:API document read into a view model for the UI: the resources with their attributes
//! and relationships (each related resource's attributes found in `included`), `meta`, the
//! paging links, and `errors[]` with their JSON pointers. The document is read as a stream, one
//! resource at a time, never parsed whole: the memory it takes follows what the table shows.

use crate::error::EngineError;
use crate::requests::store::{ExchangeStore, StoredBody};
use crate::requests::summary::ExchangeId;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::de::{IoRead, SliceRead};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io;

/// Documents larger than this are not turned into a view (use jq on them). The view is read
/// as a stream, so this bounds the time it takes, not its memory.
pub const MAX_VIEW_BYTES: u64 = 1024 * 1024 * 1024;
/// The window's table shows at most this many resources of a page: a 30 MB page holds
/// hundreds of thousands, which no table can lay out without freezing.
pub const MAX_VIEW_RESOURCES: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// `data` is an array.
    Collection,
    /// `data` is one resource (or null).
    Single,
    /// `errors` is present.
    Errors,
    NotJsonApi,
}

/// A related resource, with its attributes when `included` has it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct RelatedRef {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub included: Option<Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Relationship {
    pub name: String,
    /// Empty for an empty to-one (`null`) or to-many (`[]`), and when only links are given.
    pub targets: Vec<RelatedRef>,
    /// Whether it is a to-many relationship (`data` is an array).
    pub many: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Resource {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub attributes: Value,
    pub relationships: Vec<Relationship>,
}

/// Paging and self links; JSON:API allows a string or `{ "href": … }`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Links {
    pub first: Option<String>,
    pub last: Option<String>,
    pub next: Option<String>,
    pub prev: Option<String>,
    #[serde(rename = "self")]
    pub self_link: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ApiError {
    pub status: Option<String>,
    pub title: Option<String>,
    pub detail: Option<String>,
    pub code: Option<String>,
    /// `source.pointer`: which part of the request document is wrong (`/data/attributes/name`).
    pub pointer: Option<String>,
    /// `source.parameter`: which query parameter is wrong.
    pub parameter: Option<String>,
}

/// The view of one document.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct JsonApiView {
    pub kind: DocKind,
    pub resources: Vec<Resource>,
    /// How many resources the document has (more than `resources` holds when it was cut to
    /// [`MAX_VIEW_RESOURCES`] for the window).
    pub total_resources: usize,
    /// Resources of `included` that no relationship on this page points to.
    pub unreferenced_included: usize,
    pub meta: Option<Value>,
    pub links: Links,
    pub errors: Vec<ApiError>,
    /// Why the document is not shown as JSON:API, when it is not.
    pub note: Option<String>,
}

impl JsonApiView {
    fn not_json_api(note: impl Into<String>) -> JsonApiView {
        JsonApiView {
            kind: DocKind::NotJsonApi,
            resources: Vec::new(),
            total_resources: 0,
            unreferenced_included: 0,
            meta: None,
            links: Links::default(),
            errors: Vec::new(),
            note: Some(note.into()),
        }
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn link(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("href").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}

/// A resource's `type` and `id`.
type Identity = (String, String);

fn identity(v: &Value) -> Option<Identity> {
    Some((v.get("type").and_then(text)?, v.get("id").and_then(text)?))
}

/// An identity as a number: the sets of every identity a page links to and of every included
/// one hold these (8 bytes each), not the strings, so they stay small for a page of hundreds of
/// thousands of resources. Two identities giving the same number (about one chance in 10^10
/// for a million of them) would only change the count of unreferenced included resources.
fn key_hash(key: &Identity) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

fn api_error(e: &Value) -> ApiError {
    let source = e.get("source");
    ApiError {
        status: e.get("status").and_then(text),
        title: e.get("title").and_then(text),
        detail: e.get("detail").and_then(text),
        code: e.get("code").and_then(text),
        pointer: source.and_then(|s| s.get("pointer")).and_then(text),
        parameter: source.and_then(|s| s.get("parameter")).and_then(text),
    }
}

/// How much of a stored body is read from its file at once.
const READ_BUFFER: usize = 64 * 1024;

/// Why a document could not be read.
enum Failed {
    Json(serde_json::Error),
    Io(io::Error),
}

/// What `data` held.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Data {
    #[default]
    Absent,
    Null,
    Many,
    One,
}

/// What one reading of the document found. Each member of the top object is read as it
/// streams by: `data` and `included` one resource at a time (each parsed alone and dropped once
/// read), the small members (`meta`, `links`, `errors`) whole; a member given twice counts as
/// its last value, as in a parsed `Value`.
#[derive(Default)]
struct Found {
    object: bool,
    has_data: bool,
    has_errors: bool,
    has_meta: bool,
    data: Data,
    /// The first `limit` resources of `data`, their related resources not yet resolved.
    resources: Vec<Resource>,
    /// Resources in `data` (those with a `type`).
    total: usize,
    /// Every identity a relationship of a resource in `data` links to.
    referenced: HashSet<u64>,
    /// The identities the kept resources link to: their attributes are looked up in `included`.
    wanted: HashSet<Identity>,
    /// Every identity in `included`.
    included: HashSet<u64>,
    /// The attributes of the wanted included resources.
    included_attributes: HashMap<Identity, Value>,
    errors: Option<Vec<ApiError>>,
    meta: Option<Value>,
    links: Option<Value>,
    /// Top-level members read so far, and which of them were the last `data` and `included`.
    members: usize,
    data_at: usize,
    included_at: usize,
}

/// One reading of the document.
struct Pass<'a> {
    found: Found,
    /// How many resources of `data` are kept whole.
    limit: usize,
    /// A second reading, for `included` alone: the identities whose attributes to keep (when
    /// `included` came before `data`, the first reading did not know them yet).
    resolve: Option<&'a HashSet<Identity>>,
    /// Called after each resource of `data` is read (to watch the reading stream).
    on_resource: &'a mut dyn FnMut(),
}

impl Pass<'_> {
    /// Takes a resource of `data`: counts it and its links, keeps it whole when within the limit.
    fn take(&mut self, mut r: Value) {
        let Some(kind) = r.get("type").and_then(text) else { return };
        let id = r.get("id").and_then(text).unwrap_or_default();
        let f = &mut self.found;
        f.total += 1;
        let keep = f.resources.len() < self.limit;
        let mut relationships = Vec::new();
        if let Some(rels) = r.get("relationships").and_then(Value::as_object) {
            for (name, rel) in rels {
                let data = rel.get("data");
                let many = matches!(data, Some(Value::Array(_)));
                let linkage: Vec<&Value> = match data {
                    Some(Value::Array(a)) => a.iter().collect(),
                    Some(v @ Value::Object(_)) => vec![v],
                    _ => Vec::new(),
                };
                let mut targets = Vec::new();
                for key in linkage.into_iter().filter_map(identity) {
                    f.referenced.insert(key_hash(&key));
                    if keep {
                        f.wanted.insert(key.clone());
                        targets.push(RelatedRef { kind: key.0, id: key.1, included: None });
                    }
                }
                if keep {
                    relationships.push(Relationship { name: name.clone(), targets, many });
                }
            }
        }
        if keep {
            let attributes = r
                .get_mut("attributes")
                .map(Value::take)
                .unwrap_or(Value::Object(Default::default()));
            f.resources.push(Resource { kind, id, attributes, relationships });
        }
    }

    /// Takes a resource of `included`.
    fn take_included(&mut self, mut inc: Value) {
        let Some(key) = identity(&inc) else { return };
        let f = &mut self.found;
        let wanted = self.resolve.unwrap_or(&f.wanted);
        if wanted.contains(&key) {
            let attributes = inc
                .get_mut("attributes")
                .map(Value::take)
                .unwrap_or(Value::Object(Default::default()));
            f.included_attributes.insert(key.clone(), attributes);
        }
        f.included.insert(key_hash(&key));
    }
}

/// A value read (and so checked) and dropped. Unlike `IgnoredAny` its strings are checked to be
/// UTF-8, as a `Value`'s are: what this view reads as JSON is what a `Value` would.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        d.deserialize_any(Skip)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = Skip;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

/// Which member of the top object a [`Member`] reads.
#[derive(Clone, Copy)]
enum Which {
    Top,
    Data,
    Included,
}

/// Reads the top object (giving whether it is one) or its `data` or `included` into a [`Pass`].
struct Member<'p, 'a>(&'p mut Pass<'a>, Which);

impl<'de> DeserializeSeed<'de> for Member<'_, '_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Member<'_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(self.scalar())
    }
    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(self.scalar())
    }
    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(self.scalar())
    }
    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(self.scalar())
    }
    fn visit_str<E>(self, _: &str) -> Result<bool, E> {
        Ok(self.scalar())
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        if let Which::Data = self.1 {
            self.0.found.data = Data::Null;
        }
        Ok(false)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let Member(pass, which) = self;
        match which {
            Which::Top => while seq.next_element::<Skip>()?.is_some() {},
            Which::Data => {
                pass.found.data = Data::Many;
                while let Some(r) = seq.next_element::<Value>()? {
                    pass.take(r);
                    (pass.on_resource)();
                }
            }
            Which::Included => {
                while let Some(inc) = seq.next_element::<Value>()? {
                    pass.take_included(inc);
                }
            }
        }
        Ok(false)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let Member(pass, which) = self;
        match which {
            Which::Top => {}
            Which::Data => {
                pass.found.data = Data::One;
                let one = Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                pass.take(one);
                return Ok(false);
            }
            Which::Included => {
                while map.next_entry::<Skip, Skip>()?.is_some() {}
                return Ok(false);
            }
        }
        let second = pass.resolve.is_some();
        while let Some(key) = map.next_key::<String>()? {
            let f = &mut pass.found;
            f.members += 1;
            match key.as_str() {
                "data" if !second => {
                    f.has_data = true;
                    f.data = Data::Absent;
                    f.resources.clear();
                    f.total = 0;
                    f.referenced.clear();
                    f.wanted.clear();
                    f.data_at = f.members;
                    map.next_value_seed(Member(pass, Which::Data))?;
                }
                "included" => {
                    f.included.clear();
                    f.included_attributes.clear();
                    f.included_at = f.members;
                    map.next_value_seed(Member(pass, Which::Included))?;
                }
                "errors" if !second => {
                    f.has_errors = true;
                    let errors: Value = map.next_value()?;
                    f.errors = errors.as_array().map(|list| list.iter().map(api_error).collect());
                }
                "meta" if !second => {
                    f.has_meta = true;
                    f.meta = Some(map.next_value()?);
                }
                "links" if !second => f.links = Some(map.next_value()?),
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(true)
    }
}

impl Member<'_, '_> {
    /// A number, string or boolean: a single `data` that is no resource.
    fn scalar(self) -> bool {
        if let Which::Data = self.1 {
            self.0.found.data = Data::One;
        }
        false
    }
}

/// Reads a document once through `read`.
fn read_pass<'de, R: serde_json::de::Read<'de>>(
    read: R,
    pass: &mut Pass<'_>,
) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::new(read);
    let object = Member(pass, Which::Top).deserialize(&mut de)?;
    de.end()?;
    pass.found.object = object;
    Ok(())
}

/// The view of the document that `open` reads (from its start at each call): read as a stream
/// once, or twice when `included` comes before `data` and the kept resources link to it. Keeps
/// the first `limit` resources of `data`; `on_resource` is called after each one is read.
fn view_with<'de, R: serde_json::de::Read<'de>>(
    mut open: impl FnMut() -> io::Result<R>,
    limit: usize,
    on_resource: &mut dyn FnMut(),
) -> Result<JsonApiView, Failed> {
    let mut pass = Pass { found: Found::default(), limit, resolve: None, on_resource };
    read_pass(open().map_err(Failed::Io)?, &mut pass).map_err(Failed::Json)?;
    let mut found = pass.found;
    if !found.object {
        return Ok(JsonApiView::not_json_api("A JSON:API document is an object; this is not."));
    }
    if !found.has_data && !found.has_errors && !found.has_meta {
        return Ok(JsonApiView::not_json_api(
            "A JSON:API document has \"data\", \"errors\" or \"meta\" at the top; this has none.",
        ));
    }
    let errors = found.errors.take();
    let (kind, mut resources, total, referenced) = match (&errors, found.data) {
        (Some(_), _) => (DocKind::Errors, Vec::new(), 0, HashSet::new()),
        (None, Data::Many) => (
            DocKind::Collection,
            std::mem::take(&mut found.resources),
            found.total,
            found.referenced,
        ),
        (None, _) => {
            (DocKind::Single, std::mem::take(&mut found.resources), found.total, found.referenced)
        }
    };
    if !resources.is_empty()
        && !found.wanted.is_empty()
        && found.included_at != 0
        && found.included_at < found.data_at
    {
        // `included` came first: read it again, now knowing which of its resources are shown.
        let mut again = Pass {
            found: Found::default(),
            limit: 0,
            resolve: Some(&found.wanted),
            on_resource: &mut || {},
        };
        read_pass(open().map_err(Failed::Io)?, &mut again).map_err(Failed::Json)?;
        found.included_attributes = again.found.included_attributes;
    }
    for target in
        resources.iter_mut().flat_map(|r| &mut r.relationships).flat_map(|rel| &mut rel.targets)
    {
        target.included =
            found.included_attributes.get(&(target.kind.clone(), target.id.clone())).cloned();
    }
    let unreferenced_included = found.included.iter().filter(|k| !referenced.contains(*k)).count();
    let links = found.links.as_ref();
    let get = |name: &str| link(links.and_then(|l| l.get(name)));
    Ok(JsonApiView {
        kind,
        resources,
        total_resources: total,
        unreferenced_included,
        meta: found.meta,
        links: Links {
            first: get("first"),
            last: get("last"),
            next: get("next"),
            prev: get("prev"),
            self_link: get("self"),
        },
        errors: errors.unwrap_or_default(),
        note: None,
    })
}

/// Reads a JSON:API document from its bytes. Never fails: what is not JSON:API comes back as
/// [`DocKind::NotJsonApi`] with a note. Every resource is kept (see [`view_stored`] for the
/// window's cut).
pub fn parse(body: &[u8]) -> JsonApiView {
    match view_with(|| Ok(SliceRead::new(body)), usize::MAX, &mut || {}) {
        Ok(view) => view,
        Err(Failed::Json(e)) => not_json(&e),
        // A slice cannot fail to read.
        Err(Failed::Io(e)) => not_json(&e),
    }
}

fn not_json(e: &dyn std::fmt::Display) -> JsonApiView {
    JsonApiView::not_json_api(format!("The body is not JSON ({e})."))
}

/// The view of a stored body, read as a stream on a blocking thread: only the first
/// [`MAX_VIEW_RESOURCES`] resources and the included resources they point to are kept, so the
/// memory it takes follows what the table shows, not the body's size.
pub async fn view_stored(
    store: &ExchangeStore,
    id: ExchangeId,
) -> Result<JsonApiView, EngineError> {
    let body = store.body(id)?;
    if body.len() > MAX_VIEW_BYTES {
        return Ok(JsonApiView::not_json_api(format!(
            "The body is too large to show as a table ({}); filter it with jq, or save it to a file.",
            crate::requests::store::human_bytes(body.len())
        )));
    }
    tokio::task::spawn_blocking(move || {
        let read = match &body {
            StoredBody::Memory(bytes) => {
                view_with(|| Ok(SliceRead::new(bytes)), MAX_VIEW_RESOURCES, &mut || {})
            }
            StoredBody::File { file, .. } => view_with(
                || Ok(IoRead::new(io::BufReader::with_capacity(READ_BUFFER, file.reopen()?))),
                MAX_VIEW_RESOURCES,
                &mut || {},
            ),
        };
        match read {
            Ok(view) => Ok(view),
            Err(Failed::Json(e)) if !e.is_io() => Ok(not_json(&e)),
            Err(Failed::Json(e)) => Err(read_failed(&e)),
            Err(Failed::Io(e)) => Err(read_failed(&e)),
        }
    })
    .await
    .map_err(|e| EngineError::Local(format!("Reading the document stopped unexpectedly ({e}).")))?
}

fn read_failed(e: &dyn std::fmt::Display) -> EngineError {
    EngineError::Local(format!(
        "The body could not be read back from its temporary file ({e}). Send the request again."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The view as it was made before it streamed: from a whole parsed `Value`, every resource
    /// kept. The streaming view must give the same.
    fn reference_view(doc: &Value) -> JsonApiView {
        let Some(top) = doc.as_object() else {
            return JsonApiView::not_json_api("A JSON:API document is an object; this is not.");
        };
        if !top.contains_key("data") && !top.contains_key("errors") && !top.contains_key("meta") {
            return JsonApiView::not_json_api(
                "A JSON:API document has \"data\", \"errors\" or \"meta\" at the top; this has none.",
            );
        }
        let included: Vec<&Value> = top
            .get("included")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let mut by_identity: HashMap<(String, String), &Value> = HashMap::new();
        for r in &included {
            if let Some(key) = identity(r) {
                by_identity.insert(key, r);
            }
        }
        let mut referenced: std::collections::HashSet<(String, String)> = Default::default();

        let mut read_resource = |r: &Value| -> Option<Resource> {
            let (kind, id) =
                (r.get("type").and_then(text)?, r.get("id").and_then(text).unwrap_or_default());
            let mut relationships = Vec::new();
            if let Some(rels) = r.get("relationships").and_then(Value::as_object) {
                for (name, rel) in rels {
                    let data = rel.get("data");
                    let many = matches!(data, Some(Value::Array(_)));
                    let linkage: Vec<&Value> = match data {
                        Some(Value::Array(a)) => a.iter().collect(),
                        Some(v @ Value::Object(_)) => vec![v],
                        _ => Vec::new(),
                    };
                    let targets = linkage
                        .into_iter()
                        .filter_map(identity)
                        .map(|key| {
                            let included = by_identity.get(&key).map(|inc| {
                                inc.get("attributes")
                                    .cloned()
                                    .unwrap_or(Value::Object(Default::default()))
                            });
                            if included.is_some() {
                                referenced.insert(key.clone());
                            }
                            RelatedRef { kind: key.0, id: key.1, included }
                        })
                        .collect();
                    relationships.push(Relationship { name: name.clone(), targets, many });
                }
            }
            Some(Resource {
                kind,
                id,
                attributes: r
                    .get("attributes")
                    .cloned()
                    .unwrap_or(Value::Object(Default::default())),
                relationships,
            })
        };

        let (kind, resources) = match top.get("data") {
            _ if top.get("errors").is_some_and(|e| e.is_array()) => (DocKind::Errors, Vec::new()),
            Some(Value::Array(items)) => {
                (DocKind::Collection, items.iter().filter_map(&mut read_resource).collect())
            }
            Some(Value::Null) | None => (DocKind::Single, Vec::new()),
            Some(one) => (DocKind::Single, read_resource(one).into_iter().collect()),
        };
        let unreferenced_included = by_identity.keys().filter(|k| !referenced.contains(*k)).count();

        let errors = top
            .get("errors")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|e| {
                        let source = e.get("source");
                        ApiError {
                            status: e.get("status").and_then(text),
                            title: e.get("title").and_then(text),
                            detail: e.get("detail").and_then(text),
                            code: e.get("code").and_then(text),
                            pointer: source.and_then(|s| s.get("pointer")).and_then(text),
                            parameter: source.and_then(|s| s.get("parameter")).and_then(text),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let links = top.get("links");
        let get = |name: &str| link(links.and_then(|l| l.get(name)));
        JsonApiView {
            kind,
            total_resources: resources.len(),
            resources,
            unreferenced_included,
            meta: top.get("meta").cloned(),
            links: Links {
                first: get("first"),
                last: get("last"),
                next: get("next"),
                prev: get("prev"),
                self_link: get("self"),
            },
            errors,
            note: None,
        }
    }

    /// Small documents covering each way a member can be given: order, duplicates, nulls,
    /// wrong types, numbers for ids, errors beside data, what is not JSON:API.
    const FIXTURES: &[&str] = &[
        r#"{"data":[{"id":"1","type":"p","attributes":{"n":"A"},"relationships":{"c":{"data":{"type":"c","id":"7"}},"t":{"data":[{"type":"t","id":"1"},{"type":"t","id":"2"}]}}}],"included":[{"id":"7","type":"c","attributes":{"name":"Acme"}},{"id":"1","type":"t"},{"id":"9","type":"t","attributes":{}}]}"#,
        r#"{"included":[{"id":"7","type":"c","attributes":{"name":"Acme"}},{"id":"8","type":"c"}],"meta":{"x":1},"data":[{"id":"1","type":"p","relationships":{"c":{"data":{"type":"c","id":"7"}}}},{"id":2,"type":"p","relationships":{"c":{"data":{"type":"c","id":8}}}}]}"#,
        r#"{"data":[{"id":"1","type":"p","relationships":{"c":{"data":{"type":"c","id":"1"}}}}],"included":[{"id":"1","type":"c","attributes":{"v":1}},{"id":"1","type":"c","attributes":{"v":2}}]}"#,
        r#"{"data":[{"id":"1","type":"p"}],"data":{"id":"2","type":"q","attributes":null},"included":[{"id":"1","type":"p"}],"included":"no"}"#,
        r#"{"included":[{"id":"5","type":"c","attributes":{"a":[1,2]}}],"data":[{"id":"1","type":"p","relationships":{"c":{"data":{"type":"c","id":"5"}}}}],"included":[{"id":"5","type":"c","attributes":{"a":[3]}}]}"#,
        r#"{"data":{"id":"4029","type":"mes","attributes":{"name":"A"},"relationships":{"z":{"data":null},"a":{"links":{"related":"x"}},"m":{"data":[]}}}}"#,
        r#"{"data":null,"meta":null}"#,
        r#"{"data":"x","links":{"self":"s","next":{"href":"n"},"prev":7,"first":{"nohref":1}}}"#,
        r#"{"data":[1,null,{"id":"1"},{"type":"only-type"},{"type":3,"id":4.5}],"jsonapi":{"version":"1.1"}}"#,
        r#"{"errors":[{"title":"bad","source":{"pointer":"/data","parameter":"p"},"status":422,"code":"1"}],"data":[{"id":"1","type":"p"}],"included":[{"id":"1","type":"c"}]}"#,
        r#"{"errors":{"not":"a list"},"data":[{"id":"1","type":"p"}]}"#,
        r#"{"errors":[],"meta":{"a":1}}"#,
        r#"{"meta":{"record-count":0}}"#,
        r#"{"links":{"self":"x"}}"#,
        r#"{}"#,
        r#"[{"data":[]}]"#,
        r#""data""#,
        r#"null"#,
        r#"{"data":[{"id":"1","type":"p","relationships":{"c":{"data":{"type":"c","id":"1"}}}}],"included":[{"type":"c","id":"1","attributes":{"deep":{"a":[{"b":null}]}}}],"included":[]}"#,
        r#"{"data":[], "included":[{"id":"1","type":"c"},{"id":"1","type":"c"},{"type":"c"}]}"#,
    ];

    fn streamed(doc: &str, limit: usize) -> JsonApiView {
        match view_with(|| Ok(SliceRead::new(doc.as_bytes())), limit, &mut || {}) {
            Ok(view) => view,
            Err(_) => panic!("{doc} did not read"),
        }
    }

    fn cut(mut view: JsonApiView, limit: usize) -> JsonApiView {
        view.resources.truncate(limit);
        view
    }

    /// A small pseudo-random document: members in any order, some twice, links to included
    /// resources that are there or not, ids as strings or numbers.
    fn generated(seed: u64) -> String {
        let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let mut next = |n: u64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let id = |n: u64| if n.is_multiple_of(3) { n.to_string() } else { format!("\"{n}\"") };
        let resource = |next: &mut dyn FnMut(u64) -> u64| {
            let rels: Vec<String> = (0..next(4))
                .map(|r| {
                    let target = |next: &mut dyn FnMut(u64) -> u64| {
                        format!(r#"{{"type":"c{}","id":{}}}"#, next(2), id(next(6)))
                    };
                    let data = match next(4) {
                        0 => "null".to_string(),
                        1 => target(next),
                        2 => format!(
                            "[{}]",
                            (0..next(3)).map(|_| target(next)).collect::<Vec<_>>().join(",")
                        ),
                        _ => r#"{"links":{}}"#.to_string(),
                    };
                    format!(r#""r{}":{{"data":{data}}}"#, r % 3)
                })
                .collect();
            format!(
                r#"{{"type":"p","id":{},"attributes":{{"n":{}}},"relationships":{{{}}}}}"#,
                id(next(20)),
                next(100),
                rels.join(",")
            )
        };
        let mut members = Vec::new();
        for _ in 0..1 + next(5) {
            members.push(match next(6) {
                0 | 1 => format!(
                    r#""data":[{}]"#,
                    (0..next(8)).map(|_| resource(&mut next)).collect::<Vec<_>>().join(",")
                ),
                2 => format!(
                    r#""included":[{}]"#,
                    (0..next(8))
                        .map(|_| format!(
                            r#"{{"type":"c{}","id":{},"attributes":{{"v":{}}}}}"#,
                            next(2),
                            id(next(6)),
                            next(9)
                        ))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                3 => format!(r#""meta":{{"m":{}}}"#, next(9)),
                4 => format!(r#""links":{{"next":"p{}"}}"#, next(9)),
                _ => format!(r#""data":{}"#, resource(&mut next)),
            });
        }
        format!("{{{}}}", members.join(","))
    }

    #[test]
    fn the_streamed_view_is_the_view_of_the_parsed_document() {
        let docs: Vec<String> =
            FIXTURES.iter().map(|d| d.to_string()).chain((0..2000).map(generated)).collect();
        for doc in &docs {
            let value: Value = serde_json::from_str(doc).unwrap();
            let expected = reference_view(&value);
            assert_eq!(parse(doc.as_bytes()), expected, "{doc}");
            for limit in [0, 1, 3] {
                assert_eq!(streamed(doc, limit), cut(expected.clone(), limit), "{doc}, {limit}");
            }
        }
    }

    #[test]
    fn what_is_not_json_is_said_so_as_before() {
        for doc in [
            "",
            "{",
            r#"{"data":[}"#,
            r#"{"data":[]} x"#,
            "{\"data\":[],\"x\":\"\u{1}\"}",
            r#"{"data":[],"jsonapi":{"v":"\ud800"}}"#,
        ] {
            let expected = serde_json::from_str::<Value>(doc).unwrap_err();
            let view = parse(doc.as_bytes());
            assert_eq!(view.kind, DocKind::NotJsonApi, "{doc}");
            assert_eq!(view.note, Some(format!("The body is not JSON ({expected}).")), "{doc}");
        }
        // Bytes that are not UTF-8 in a member the view skips are still not JSON.
        let bad = b"{\"data\":[],\"jsonapi\":{\"v\":\"\xff\"}}";
        assert!(serde_json::from_slice::<Value>(bad).is_err());
        assert_eq!(parse(bad).kind, DocKind::NotJsonApi);
    }

    /// A document of `resources` resources made as it is read, never whole: each `data` resource
    /// links to one of 1000 included clients (700 of them used); `included` before or after
    /// `data`. Counts the resources it has handed out.
    struct Generated {
        resources: usize,
        included_first: bool,
        part: usize,
        item: usize,
        pending: Vec<u8>,
        at: usize,
        handed_out: std::rc::Rc<std::cell::Cell<usize>>,
    }

    impl Generated {
        fn refill(&mut self) -> bool {
            self.pending.clear();
            self.at = 0;
            let parts: [u8; 5] = if self.included_first {
                [b'{', b'i', b',', b'd', b'}']
            } else {
                [b'{', b'd', b',', b'i', b'}']
            };
            let Some(&part) = parts.get(self.part) else { return false };
            match part {
                b'{' => self.pending.extend_from_slice(br#"{"meta":{"record-count":1},"#),
                b',' => self.pending.push(b','),
                b'}' => self.pending.extend_from_slice(br#","links":{"next":"n"}}"#),
                b'd' if self.item == 0 => self.pending.extend_from_slice(br#""data":["#),
                b'd' if self.item <= self.resources => {
                    let i = self.item - 1;
                    let comma = if i + 1 < self.resources { "," } else { "" };
                    self.pending.extend_from_slice(format!(
                        r#"{{"type":"records","id":"{i}","attributes":{{"name":"Record {i}","filler":"{}"}},"relationships":{{"client":{{"data":{{"type":"clients","id":"{}"}}}}}}}}{comma}"#,
                        "x".repeat(100),
                        i % 700
                    ).as_bytes());
                    self.handed_out.set(self.handed_out.get() + 1);
                }
                b'i' if self.item == 0 => self.pending.extend_from_slice(br#""included":["#),
                b'i' if self.item <= 1000 => {
                    let i = self.item - 1;
                    let comma = if i + 1 < 1000 { "," } else { "" };
                    self.pending.extend_from_slice(
                        format!(r#"{{"type":"clients","id":"{i}","attributes":{{"name":"Client {i}"}}}}{comma}"#).as_bytes(),
                    );
                }
                _ => {
                    self.pending.push(b']');
                    self.part += 1;
                    self.item = 0;
                    return true;
                }
            }
            if matches!(part, b'd' | b'i') {
                self.item += 1;
            } else {
                self.part += 1;
            }
            true
        }
    }

    impl io::Read for Generated {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            while self.at >= self.pending.len() {
                if !self.refill() {
                    return Ok(0);
                }
            }
            let n = buf.len().min(self.pending.len() - self.at);
            buf[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn a_large_document_is_read_as_it_streams_keeping_only_what_is_shown() {
        const RESOURCES: usize = 100_000;
        for included_first in [false, true] {
            let handed_out = std::rc::Rc::new(std::cell::Cell::new(0));
            let open = || {
                handed_out.set(0);
                Ok(IoRead::new(io::BufReader::with_capacity(
                    READ_BUFFER,
                    Generated {
                        resources: RESOURCES,
                        included_first,
                        part: 0,
                        item: 0,
                        pending: Vec::new(),
                        at: 0,
                        handed_out: handed_out.clone(),
                    },
                )))
            };
            // Each resource is taken before much more of the document is read: what was read
            // and not yet taken is at most the read buffer's worth (~230 bytes a resource). A
            // view made from the whole document read first would see 100,000 ahead here.
            let (mut taken, mut most_ahead) = (0usize, 0usize);
            let view = match view_with(open, MAX_VIEW_RESOURCES, &mut || {
                taken += 1;
                most_ahead = most_ahead.max(handed_out.get() - taken);
            }) {
                Ok(view) => view,
                Err(_) => panic!("the generated document did not read"),
            };
            assert!(
                most_ahead <= READ_BUFFER / 200,
                "{most_ahead} resources were read ahead of the one being taken"
            );
            assert_eq!(taken, RESOURCES);
            assert_eq!(view.kind, DocKind::Collection);
            assert_eq!(view.total_resources, RESOURCES);
            assert_eq!(view.resources.len(), MAX_VIEW_RESOURCES);
            assert_eq!(view.unreferenced_included, 300, "clients 700..999 are linked by none");
            let last = view.resources.last().unwrap();
            assert_eq!(last.id, (MAX_VIEW_RESOURCES - 1).to_string());
            let client = &last.relationships[0].targets[0];
            let name = format!("Client {}", (MAX_VIEW_RESOURCES - 1) % 700);
            assert_eq!(
                client.included.as_ref().unwrap()["name"],
                name.as_str(),
                "{included_first}"
            );
            assert_eq!(view.meta.unwrap()["record-count"], 1);
            assert_eq!(view.links.next.as_deref(), Some("n"));
        }
    }

    #[test]
    fn included_resources_are_resolved_under_each_relationship() {
        let doc = br#"{"data":[
            {"id":"1","type":"projects","attributes":{"project-name":"A"},"relationships":{"client":{"data":{"type":"clients","id":"7"}},"tags":{"data":[]},"owner":{"links":{"related":"x"}}}},
            {"id":"2","type":"projects","attributes":{"project-name":"B"},"relationships":{"client":{"data":null}}}],
            "included":[{"id":"7","type":"clients","attributes":{"name":"Acme"}},{"id":"8","type":"clients","attributes":{"name":"Unused"}}],
            "meta":{"record-count":2},
            "links":{"first":"http://x?page=1","next":{"href":"http://x?page=2"}}}"#;
        let v = parse(doc);
        assert_eq!(v.kind, DocKind::Collection);
        assert_eq!(v.resources.len(), 2);
        let client =
            &v.resources[0].relationships.iter().find(|r| r.name == "client").unwrap().targets[0];
        assert_eq!((client.kind.as_str(), client.id.as_str()), ("clients", "7"));
        assert_eq!(client.included.as_ref().unwrap()["name"], "Acme");
        assert!(v.resources[0].relationships.iter().find(|r| r.name == "tags").unwrap().many);
        assert!(v.resources[1].relationships[0].targets.is_empty());
        assert_eq!(v.unreferenced_included, 1);
        assert_eq!(v.links.next.as_deref(), Some("http://x?page=2"));
        assert_eq!(v.links.prev, None);
        assert_eq!(v.meta.unwrap()["record-count"], 2);
    }

    #[test]
    fn errors_keep_their_pointers() {
        let v = parse(br#"{"errors":[{"title":"can't be blank","detail":"name - can't be blank","code":"100","source":{"pointer":"/data/attributes/name"},"status":"422"}]}"#);
        assert_eq!(v.kind, DocKind::Errors);
        assert_eq!(v.errors[0].pointer.as_deref(), Some("/data/attributes/name"));
        assert_eq!(v.errors[0].status.as_deref(), Some("422"));
    }

    #[test]
    fn other_documents_are_not_json_api() {
        assert_eq!(parse(b"<html>").kind, DocKind::NotJsonApi);
        assert_eq!(parse(b"[1,2]").kind, DocKind::NotJsonApi);
        assert_eq!(parse(br#"{"error":"invalid_grant"}"#).kind, DocKind::NotJsonApi);
        let single = parse(br#"{"data":{"id":"4029","type":"mes","attributes":{"name":"A"}}}"#);
        assert_eq!((single.kind, single.resources[0].id.as_str()), (DocKind::Single, "4029"));
    }
}
