//! The seeded records around clients and projects: the account's catalogue (services, phases,
//! resources, rate tables, payment terms, vendors, products, questionnaires, templates, people)
//! and each project's services, tasks, contacts, locations, phases, variables, resources,
//! governance, documents and surveys, all pointing at records that exist.

use serde_json::{json, Value};

use crate::clock::iso8601;
use crate::demo::{seed_users, ACCOUNT_ID, ACCOUNT_NAME, ACCOUNT_SLUG};
use crate::records::{first_id, into_map, Kind, Record, Records, FIRST_PROJECT_ID, SEED_EPOCH};

/// Adds a record of `type_name` with the next id; returns that id.
fn add(
    records: &mut Records,
    type_name: &str,
    attributes: Value,
    rels: &[(&'static str, u64)],
) -> u64 {
    let Some(kind) = Kind::of(type_name) else { return 0 };
    let list = records.of_mut(kind);
    let id = list.last().map(|r| r.id + 1).unwrap_or_else(|| first_id(kind));
    let created =
        iso8601(SEED_EPOCH + 86_400 * 10 + (kind.0 as u64 * 97 + list.len() as u64) * 3_607);
    let mut attributes = into_map(attributes);
    attributes.entry("created-at").or_insert_with(|| Value::String(created.clone()));
    attributes.entry("updated-at").or_insert(Value::String(created));
    list.push(Record { id, attributes, rels: rels.to_vec() });
    id
}

/// The id of the `n`th seeded record of `type_name` (wrapping around the seeded count).
fn nth(records: &Records, type_name: &str, n: usize) -> u64 {
    let list = Kind::of(type_name).map(|k| records.of(k)).filter(|l| !l.is_empty());
    list.map(|l| l[n % l.len()].id).unwrap_or(0)
}

const PEOPLE: [&str; 12] = [
    "Jordan Lee",
    "Priya Natarajan",
    "Marcus Webb",
    "Elena Sokolova",
    "Sam Okafor",
    "Hannah Kim",
    "Diego Alvarez",
    "Grace O'Neill",
    "Tomás Herrera",
    "Aisha Rahman",
    "Ben Carter",
    "Yuki Tanaka",
];
const CITIES: [(&str, &str); 6] = [
    ("Denver", "CO"),
    ("Austin", "TX"),
    ("Columbus", "OH"),
    ("Raleigh", "NC"),
    ("Portland", "OR"),
    ("Madison", "WI"),
];
const SERVICES: [(&str, &str); 8] = [
    ("Network assessment", "professional_services"),
    ("Firewall deployment", "professional_services"),
    ("Microsoft 365 tenant setup", "professional_services"),
    ("Backup configuration", "professional_services"),
    ("Wireless site survey", "professional_services"),
    ("Endpoint rollout", "professional_services"),
    ("SD-WAN site cutover", "professional_services"),
    ("Managed security monitoring", "managed_services"),
];

fn email(name: &str, domain: &str) -> String {
    let local: String = name
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('.'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect();
    format!("{local}@{domain}")
}

/// Seeds every kind besides clients and projects (which `Records::seeded` made first).
pub(crate) fn seed_the_rest(r: &mut Records) {
    for (i, name) in ["Plan", "Execute", "Close"].iter().enumerate() {
        add(r, "phases", json!({"name": name, "position": i + 1, "active": true}), &[]);
    }
    for (i, (name, ty)) in SERVICES.iter().enumerate() {
        let phase = nth(r, "phases", (i % 3 + 1) % 3);
        add(
            r,
            "services",
            json!({"name": name, "active": i != 6, "service-type": ty, "sku": format!("SVC-{:04}", i + 1), "service-description": format!("{name}, delivered to the standard scope."), "published": i != 5}),
            &[("phase", phase)],
        );
    }
    for (name, rate, cost) in [
        ("Project Manager", 165, 90),
        ("Network Engineer", 185, 105),
        ("Security Engineer", 210, 120),
        ("Cloud Architect", 225, 130),
        ("Help Desk Technician", 95, 50),
    ] {
        add(
            r,
            "resources",
            json!({"name": name, "active": true, "hourly-rate": rate, "hourly-cost": cost}),
            &[],
        );
    }
    add(r, "rate-tables", json!({"name": "Standard rates", "active": true, "default": true}), &[]);
    add(
        r,
        "rate-tables",
        json!({"name": "Public sector rates", "active": true, "default": false}),
        &[],
    );
    for (name, slug) in [
        ("Net 30", "net-30"),
        ("50% up front, 50% on completion", "fifty-fifty"),
        ("Monthly in arrears", "monthly"),
    ] {
        add(r, "payment-terms", json!({"name": name, "active": true, "slug": slug}), &[]);
    }
    for (name, published) in [
        ("Network discovery", true),
        ("Microsoft 365 readiness", true),
        ("Security posture (draft)", false),
    ] {
        add(
            r,
            "questionnaires",
            json!({"name": name, "active": true, "published": published}),
            &[],
        );
    }
    for (name, ty) in [
        ("Statement of work", "sow"),
        ("Pricing summary", "pricing"),
        ("Service breakdown", "breakdown"),
    ] {
        add(
            r,
            "document-templates",
            json!({"name": name, "active": true, "document-type": ty}),
            &[],
        );
    }
    for (name, domain) in [
        ("Northwind Networks", "northwind.example"),
        ("Contoso Security", "contoso-security.example"),
        ("Fabrikam Cloud", "fabrikam.example"),
        ("Tailspin Storage", "tailspin.example"),
    ] {
        add(r, "vendors", json!({"name": name, "active": true, "domain": domain}), &[]);
    }
    for (i, (name, price)) in [
        ("Branch router", 1890),
        ("Next-gen firewall", 4200),
        ("Wireless access point", 640),
        ("Backup appliance", 7800),
        ("Cloud backup (per TB)", 45),
        ("Endpoint agent licence", 38),
    ]
    .iter()
    .enumerate()
    {
        let vendor = nth(r, "vendors", i % 4);
        add(
            r,
            "products",
            json!({"name": name, "active": true, "sku": format!("PRD-{:04}", i + 1), "unit-price": price}),
            &[("vendor", vendor)],
        );
    }
    for (i, name) in PEOPLE[..3].iter().enumerate() {
        add(
            r,
            "sales-executives",
            json!({"name": name, "email": email(name, "sandbox-demo.test"), "title": (["Account Executive", "Regional Sales Director", "Account Manager"][i]), "active": true}),
            &[],
        );
    }
    for (i, name) in PEOPLE[3..6].iter().enumerate() {
        add(
            r,
            "presales-engineers",
            json!({"name": name, "email": email(name, "sandbox-demo.test"), "title": (["Solutions Engineer", "Senior Solutions Architect", "Presales Consultant"][i]), "active": true}),
            &[],
        );
    }
    for (i, (name, amount, stage)) in [
        ("Bluebird WAN refresh", 84_000, "Proposal"),
        ("Cedar Valley security", 126_500, "Negotiation"),
        ("Harbor Point M365", 48_200, "Qualification"),
        ("Juniper backup", 39_900, "Closed Won"),
        ("Lakeside wireless", 61_300, "Proposal"),
        ("Maple Street endpoints", 22_750, "Closed Lost"),
    ]
    .iter()
    .enumerate()
    {
        add(
            r,
            "crm-opportunities",
            json!({"name": name, "opportunity-id": format!("006Dn00000{:05}", 41_000 + i * 37), "amount": amount, "stage": stage, "is-closed": stage.starts_with("Closed")}),
            &[],
        );
    }
    add(r, "accounts", json!({"name": ACCOUNT_NAME, "slug": ACCOUNT_SLUG, "active": true}), &[]);
    if let Some(account) = r.of_mut(Kind::of("accounts").unwrap_or(Kind::CLIENTS)).last_mut() {
        account.id = ACCOUNT_ID;
    }
    for user in seed_users() {
        add(
            r,
            "users",
            json!({"name": user.name, "email": user.email, "title": user.title, "active": true}),
            &[],
        );
        if let Some(last) = r.of_mut(Kind::of("users").unwrap_or(Kind::CLIENTS)).last_mut() {
            last.id = user.id;
        }
    }
    for name in ["Priority", "Renewal", "Public sector", "Multi-site"] {
        add(r, "tags", json!({"name": name}), &[]);
    }
    for (name, slug) in [
        ("Terms and conditions", "terms"),
        ("Change control", "change-control"),
        ("Assumptions", "assumptions"),
    ] {
        add(r, "language-fields", json!({"name": name, "slug": slug}), &[]);
    }
    for name in ["Percent of services", "Fixed hours", "Hours per week"] {
        add(r, "governance-calculation-types", json!({"name": name}), &[]);
    }
    for name in ["Across all phases", "In its own phase"] {
        add(r, "governance-allocation-methods", json!({"name": name}), &[]);
    }
    seed_projects(r);
}

/// Each project's own records; the first six projects' CRM opportunities, and when approved
/// projects were approved.
fn seed_projects(r: &mut Records) {
    let opportunities = Kind::of("crm-opportunities").map(|k| r.of(k).len()).unwrap_or(0);
    let crm: Vec<u64> = (0..opportunities).map(|n| nth(r, "crm-opportunities", n)).collect();
    for (n, project) in r.of_mut(Kind::PROJECTS).iter_mut().enumerate() {
        if let Some(id) = crm.get(n) {
            project.set_rel("crm-opportunity", *id);
        }
        let approved = matches!(
            project.attributes.get("status").and_then(Value::as_str),
            Some("approved" | "won")
        );
        if approved {
            let at = project.attributes.get("updated-at").cloned().unwrap_or(Value::Null);
            project.attributes.insert("approved-at".to_owned(), at);
        }
    }
    let projects: Vec<(u64, Option<u64>)> =
        r.of(Kind::PROJECTS).iter().map(|p| (p.id, p.client_id())).collect();
    for (n, (project, client)) in projects.into_iter().enumerate() {
        let domain = client
            .and_then(|c| r.by_id(Kind::CLIENTS, c))
            .and_then(|c| c.attributes.get("domain").and_then(Value::as_str))
            .unwrap_or("customer.example")
            .to_owned();
        let detailed = project < FIRST_PROJECT_ID + 10;
        let mut phase_ids = Vec::new();
        if detailed {
            for (i, name) in ["Plan", "Execute", "Close"].iter().enumerate() {
                let phase = nth(r, "phases", i);
                phase_ids.push(add(
                    r,
                    "project-phases",
                    json!({"name": name, "position": i + 1}),
                    &[("project", project), ("phase", phase)],
                ));
            }
        }
        for k in 0..2 {
            let s = (n + k * 3) % SERVICES.len();
            let service = nth(r, "services", s);
            let mut rels = vec![("project", project), ("service", service)];
            if let Some(phase) = phase_ids.get(1) {
                rels.push(("project-phase", *phase));
            }
            let quantity = 1 + (n + k) % 4;
            let ps = add(
                r,
                "project-services",
                json!({"name": SERVICES[s].0, "quantity": quantity, "service-description": format!("{}, delivered to the standard scope.", SERVICES[s].0)}),
                &rels,
            );
            for (t, task) in
                ["Discovery and planning", "Implementation and handover"].iter().enumerate()
            {
                add(
                    r,
                    "project-subservices",
                    json!({"name": task, "quantity": quantity * (t + 1), "service-description": null}),
                    &[("project-service", ps), ("project", project)],
                );
            }
        }
        let person = PEOPLE[(n + 6) % PEOPLE.len()];
        add(
            r,
            "project-contacts",
            json!({"name": person, "email": email(person, &domain), "phone": format!("+1 555 01{:02}", n), "title": "IT Director"}),
            &[("project", project)],
        );
        let (city, state) = CITIES[n % CITIES.len()];
        add(
            r,
            "project-locations",
            json!({"name": format!("{city} office"), "city": city, "state": state, "country": "US", "remote": n % 4 == 3}),
            &[("project", project)],
        );
        if detailed {
            add(
                r,
                "project-variables",
                json!({"name": "region", "label": "Region", "value": (["East", "Central", "West"][n % 3])}),
                &[("project", project)],
            );
            add(
                r,
                "project-variables",
                json!({"name": "opportunity-source", "label": "Opportunity source", "value": "CRM"}),
                &[("project", project)],
            );
            for (i, (name, hours)) in
                [("Project Manager", 24), ("Network Engineer", 80)].iter().enumerate()
            {
                let resource = nth(r, "resources", i);
                add(
                    r,
                    "project-resources",
                    json!({"name": name, "hourly-rate": ([165, 185][i]), "extended-hours": hours + n * 4}),
                    &[("project", project), ("resource", resource)],
                );
            }
            let pm = nth(r, "resources", 0);
            add(
                r,
                "project-governances",
                json!({"description": "Project management", "rate": 0.1, "fixed-hours": null}),
                &[
                    ("project", project),
                    ("resource", pm),
                    ("governance-calculation-type", nth(r, "governance-calculation-types", 0)),
                    ("governance-allocation-method", nth(r, "governance-allocation-methods", 0)),
                ],
            );
            let template = nth(r, "document-templates", 0);
            add(
                r,
                "project-documents",
                json!({"document-type": "sow", "generate-pdf": true, "status": "finished"}),
                &[("project", project), ("document-template", template)],
            );
        }
        if n < 4 {
            let questionnaire = nth(r, "questionnaires", n % 2);
            add(
                r,
                "surveys",
                json!({"name": format!("Discovery survey {}", n + 1), "status": "pending", "recommendations": []}),
                &[("project", project), ("questionnaire", questionnaire)],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_seeded_and_every_relationship_points_at_a_record() {
        let records = Records::seeded();
        for kind in Kind::all() {
            let list = records.of(kind);
            assert!(!list.is_empty(), "{} is seeded", kind.type_name());
            for rec in list {
                for rel in kind.rels() {
                    if rel.required {
                        assert!(
                            rec.rel(rel.name).is_some(),
                            "{} {} has its {}",
                            kind.type_name(),
                            rec.id,
                            rel.name
                        );
                    }
                }
                for (name, id) in &rec.rels {
                    let rel = kind.rel(name).expect("a declared relationship");
                    let target = Kind::of(rel.target).unwrap();
                    assert!(
                        records.by_id(target, *id).is_some(),
                        "{} {} → {} {id}",
                        kind.type_name(),
                        rec.id,
                        rel.target
                    );
                }
            }
        }
        assert_eq!(records.of(Kind::CLIENTS).len(), 8);
        assert_eq!(records.of(Kind::PROJECTS).len(), 25);
    }
}
