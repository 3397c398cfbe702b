//! Saved requests managed from the window: save, save over, rename, move, duplicate, delete and
//! the folder list — each kept across a re-open, without secrets, with two writers at once, and
//! never written over a damaged file.

use engine::limits::{MAX_FOLDER_DEPTH, MAX_SAVED_NAME as MAX_NAME};
use engine::profiles::ProfileId;
use engine::requests::{RequestSpec, SavedRequest, SavedRequests};
use engine::EngineError;

const SECRET: &str = "header-s3cr3t-value-9f3e";

fn store() -> (tempfile::TempDir, SavedRequests) {
    let dir = tempfile::tempdir().unwrap();
    let store = SavedRequests::in_dir(dir.path());
    (dir, store)
}

fn profile() -> ProfileId {
    ProfileId::new("p-00ff12ab34cd56ef")
}

fn folder(path: &[&str]) -> Vec<String> {
    path.iter().map(|f| f.to_string()).collect()
}

fn projects() -> RequestSpec {
    RequestSpec::get("{account-slug}/v1/projects").with_query("include", "client")
}

fn names(store: &SavedRequests) -> Vec<String> {
    store.list(&profile()).unwrap().into_iter().map(|r| r.name).collect()
}

/// The message of an error the user can act on.
fn input_error<T: std::fmt::Debug>(result: Result<T, EngineError>) -> String {
    match result {
        Err(e @ EngineError::InvalidInput(_)) => e.to_string(),
        other => panic!("expected an input error, got {other:?}"),
    }
}

#[test]
fn a_request_saved_from_the_window_is_kept_with_its_name_and_folder() {
    let (_dir, store) = store();
    let p = profile();
    let saved = store.save(&p, "  List projects ", &folder(&[" Projects ", "Lists"]), &projects());
    let saved = saved.unwrap();
    assert_eq!(saved.name, "List projects");
    assert_eq!(saved.folder, folder(&["Projects", "Lists"]));
    assert_eq!(saved.spec, projects());
    assert!(saved.redacted.is_empty());
    assert!(saved.id.len() <= 40 && saved.id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'));
    assert_eq!(store.list(&p).unwrap(), vec![saved.clone()]);
    assert_eq!(store.get(&p, &saved.id).unwrap(), Some(saved));
    let top = store.save(&p, "Me", &[], &RequestSpec::get("/v1/me")).unwrap();
    assert!(top.folder.is_empty());
    assert_eq!(names(&store), ["List projects", "Me"]);
}

#[test]
fn a_secret_header_is_never_written_to_the_file() {
    let (_dir, store) = store();
    let p = profile();
    let spec = projects()
        .with_header("Authorization", &format!("Bearer {SECRET}"))
        .with_header("X-Api-Key", SECRET)
        .with_header("Accept", "application/vnd.api+json");
    let saved = store.save(&p, "With secrets", &[], &spec).unwrap();
    assert_eq!(saved.redacted, ["header Authorization", "header X-Api-Key"]);
    assert_eq!(
        saved.spec.headers,
        vec![("Accept".to_string(), "application/vnd.api+json".to_string())]
    );
    // Saving over removes them as well.
    let updated = store.update_spec(&p, &saved.id, &spec.clone().with_query("q", "1")).unwrap();
    assert_eq!(updated.redacted, ["header Authorization", "header X-Api-Key"]);
    let copy = store.duplicate(&p, &saved.id).unwrap();
    assert_eq!(copy.redacted, updated.redacted);
    let text = std::fs::read_to_string(store.path(&p)).unwrap();
    assert!(!text.contains(SECRET), "{text}");
    assert!(text.contains("application/vnd.api+json"));
}

#[test]
fn saving_over_changes_the_spec_only() {
    let (_dir, store) = store();
    let p = profile();
    let first = store.save(&p, "Projects", &folder(&["A"]), &projects()).unwrap();
    let other = store.save(&p, "Other", &[], &RequestSpec::get("/v1/me")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let new_spec = RequestSpec::new("PATCH", "{account-slug}/v1/projects/7")
        .with_body(r#"{"data":{"type":"projects","id":"7"}}"#);
    let updated = store.update_spec(&p, &first.id, &new_spec).unwrap();
    assert_eq!(
        (&updated.id, &updated.name, &updated.folder),
        (&first.id, &first.name, &first.folder)
    );
    assert_eq!(updated.spec, new_spec);
    assert!(updated.saved_at_unix_ms > first.saved_at_unix_ms);
    assert_eq!(store.list(&p).unwrap(), vec![updated, other], "in place, the other untouched");
}

#[test]
fn renaming_checks_the_name() {
    let (_dir, store) = store();
    let p = profile();
    let saved = store.save(&p, "Old", &folder(&["F"]), &projects()).unwrap();
    let renamed = store.rename(&p, &saved.id, "  New name  ").unwrap();
    assert_eq!(renamed, SavedRequest { name: "New name".into(), ..saved.clone() });
    assert_eq!(store.list(&p).unwrap(), vec![renamed]);

    assert!(input_error(store.rename(&p, &saved.id, "   ")).contains("Give the request a name"));
    assert!(input_error(store.rename(&p, &saved.id, "two\nlines")).contains("on one line"));
    let long = "n".repeat(MAX_NAME + 1);
    assert!(input_error(store.rename(&p, &saved.id, &long)).contains("at most 200"));
    assert!(store.rename(&p, &saved.id, &"n".repeat(MAX_NAME)).is_ok(), "the longest allowed");
    assert!(input_error(store.save(&p, "", &[], &projects())).contains("Give the request a name"));
    assert_eq!(store.list(&p).unwrap().len(), 1, "nothing saved by a refused name");
}

#[test]
fn moving_changes_the_folder_and_an_empty_path_is_the_top_level() {
    let (_dir, store) = store();
    let p = profile();
    let saved = store.save(&p, "R", &folder(&["A"]), &projects()).unwrap();
    let moved = store.move_to(&p, &saved.id, &folder(&["B", " C "])).unwrap();
    assert_eq!(moved, SavedRequest { folder: folder(&["B", "C"]), ..saved.clone() });
    let top = store.move_to(&p, &saved.id, &[]).unwrap();
    assert!(top.folder.is_empty());
    assert_eq!(store.list(&p).unwrap(), vec![top]);

    assert!(input_error(store.move_to(&p, &saved.id, &folder(&["A", " "])))
        .contains("Name every folder"));
    assert!(input_error(store.move_to(&p, &saved.id, &folder(&["A\tB"]))).contains("one line"));
    let deep = vec!["f".to_string(); MAX_FOLDER_DEPTH + 1];
    assert!(input_error(store.move_to(&p, &saved.id, &deep)).contains("at most 32"));
    assert!(input_error(store.save(&p, "R", &deep, &projects())).contains("folders deep"));
    assert!(store.get(&p, &saved.id).unwrap().unwrap().folder.is_empty(), "left where it was");
}

#[test]
fn duplicating_makes_a_copy_after_the_original() {
    let (_dir, store) = store();
    let p = profile();
    let a = store.save(&p, "A", &folder(&["F"]), &projects()).unwrap();
    let b = store.save(&p, "B", &folder(&["F"]), &RequestSpec::get("/v1/me")).unwrap();
    let copy = store.duplicate(&p, &a.id).unwrap();
    assert_ne!(copy.id, a.id);
    assert_eq!((copy.name.as_str(), &copy.folder, &copy.spec), ("A (copy)", &a.folder, &a.spec));
    let copy2 = store.duplicate(&p, &a.id).unwrap();
    assert_eq!(copy2.name, "A (copy 2)");
    assert_eq!(names(&store), ["A", "A (copy 2)", "A (copy)", "B"]);
    // The copy's name is free in its own folder only.
    store.move_to(&p, &b.id, &folder(&["G"])).unwrap();
    store.rename(&p, &b.id, "A (copy 3)").unwrap();
    assert_eq!(store.duplicate(&p, &a.id).unwrap().name, "A (copy 3)");
    // A long name is shortened to leave room for the suffix.
    let long = store.save(&p, &"x".repeat(MAX_NAME), &[], &projects()).unwrap();
    let long_copy = store.duplicate(&p, &long.id).unwrap();
    assert!(long_copy.name.ends_with(" (copy)") && long_copy.name.chars().count() <= MAX_NAME);
    let ids: std::collections::HashSet<String> =
        store.list(&p).unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), 7, "every id different");
}

#[test]
fn deleting_removes_one() {
    let (_dir, store) = store();
    let p = profile();
    let a = store.save(&p, "A", &[], &projects()).unwrap();
    store.save(&p, "B", &[], &projects()).unwrap();
    assert!(store.delete(&p, &a.id).unwrap());
    assert!(!store.delete(&p, &a.id).unwrap());
    assert_eq!(names(&store), ["B"]);
}

#[test]
fn a_request_that_is_gone_is_said_so_and_nothing_changes() {
    let (_dir, store) = store();
    let p = profile();
    store.save(&p, "A", &[], &projects()).unwrap();
    let before = std::fs::read(store.path(&p)).unwrap();
    let gone = "18f2a3b4c5d-0000-0a1b2c3d";
    for message in [
        input_error(store.update_spec(&p, gone, &projects())),
        input_error(store.rename(&p, gone, "B")),
        input_error(store.move_to(&p, gone, &[])),
        input_error(store.duplicate(&p, gone)),
    ] {
        assert!(message.contains("no longer there") && message.contains("Reload"), "{message}");
    }
    assert_eq!(std::fs::read(store.path(&p)).unwrap(), before);
}

#[test]
fn folders_are_the_distinct_paths_parents_first() {
    let (_dir, store) = store();
    let p = profile();
    assert!(store.folders(&p).unwrap().is_empty());
    store.save(&p, "1", &folder(&["Projects", "Lists"]), &projects()).unwrap();
    let top = store.save(&p, "2", &[], &projects()).unwrap();
    store.save(&p, "3", &folder(&["Clients"]), &projects()).unwrap();
    store.save(&p, "4", &folder(&["Projects"]), &projects()).unwrap();
    let moved = store.save(&p, "5", &folder(&["Old"]), &projects()).unwrap();
    assert_eq!(
        store.folders(&p).unwrap(),
        vec![
            folder(&["Projects"]),
            folder(&["Projects", "Lists"]),
            folder(&["Clients"]),
            folder(&["Old"])
        ]
    );
    // A folder is there while a request is in it.
    store.move_to(&p, &moved.id, &folder(&["Clients", "New"])).unwrap();
    store.delete(&p, &top.id).unwrap();
    assert_eq!(
        store.folders(&p).unwrap(),
        vec![
            folder(&["Projects"]),
            folder(&["Projects", "Lists"]),
            folder(&["Clients"]),
            folder(&["Clients", "New"])
        ]
    );
}

#[test]
fn everything_survives_a_reopen_and_the_variables_stay() {
    let dir = tempfile::tempdir().unwrap();
    let p = profile();
    let vars = std::collections::BTreeMap::from([("projectId".to_string(), "42".to_string())]);
    let expected = {
        let store = SavedRequests::in_dir(dir.path());
        store.set_variables(&p, &vars).unwrap();
        let a = store.save(&p, "A", &folder(&["F"]), &projects()).unwrap();
        let b = store.save(&p, "B", &[], &RequestSpec::get("/v1/me")).unwrap();
        store.update_spec(&p, &a.id, &RequestSpec::get("/v1/clients")).unwrap();
        store.rename(&p, &a.id, "A2").unwrap();
        store.move_to(&p, &a.id, &folder(&["G", "H"])).unwrap();
        store.duplicate(&p, &b.id).unwrap();
        store.list(&p).unwrap()
    };
    let reopened = SavedRequests::in_dir(dir.path());
    assert_eq!(reopened.list(&p).unwrap(), expected);
    assert_eq!(
        expected.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["A2", "B", "B (copy)"]
    );
    assert_eq!(expected[0].spec, RequestSpec::get("/v1/clients"));
    assert_eq!(expected[0].folder, folder(&["G", "H"]));
    assert_eq!(reopened.folders(&p).unwrap(), vec![folder(&["G"]), folder(&["G", "H"])]);
    assert_eq!(reopened.variables(&p).unwrap(), vars);
}

#[test]
fn two_writers_at_once_keep_both() {
    let dir = tempfile::tempdir().unwrap();
    let p = profile();
    let writers: Vec<_> = ["window", "cli"]
        .into_iter()
        .map(|who| {
            // Each its own store, as the app and scopestack-cli each open theirs.
            let store = SavedRequests::in_dir(dir.path());
            let p = p.clone();
            std::thread::spawn(move || {
                for n in 0..15 {
                    let saved = store.save(&p, &format!("{who} {n}"), &[], &projects()).unwrap();
                    store.rename(&p, &saved.id, &format!("{who} {n} renamed")).unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let names = names(&SavedRequests::in_dir(dir.path()));
    assert_eq!(names.len(), 30, "{names:?}");
    for who in ["window", "cli"] {
        for n in 0..15 {
            assert!(names.contains(&format!("{who} {n} renamed")), "{who} {n}: {names:?}");
        }
    }
}

#[test]
fn a_damaged_file_is_reported_and_never_written_over() {
    let (_dir, store) = store();
    let p = profile();
    let saved = store.save(&p, "A", &[], &projects()).unwrap();
    let path = store.path(&p);
    let damaged = "{\"version\":1,\"requests\":[{\"id\":";
    std::fs::write(&path, damaged).unwrap();
    let message = store.list(&p).unwrap_err().to_string();
    assert!(message.contains("damaged") && message.contains("Move the file away"), "{message}");
    assert!(store.folders(&p).unwrap_err().to_string().contains("damaged"));
    let failures = [
        store.save(&p, "B", &[], &projects()).map(|_| ()),
        store.update_spec(&p, &saved.id, &projects()).map(|_| ()),
        store.rename(&p, &saved.id, "C").map(|_| ()),
        store.move_to(&p, &saved.id, &folder(&["F"])).map(|_| ()),
        store.duplicate(&p, &saved.id).map(|_| ()),
        store.delete(&p, &saved.id).map(|_| ()),
    ];
    for failure in failures {
        let message = failure.unwrap_err().to_string();
        assert!(
            message.contains("damaged") && message.contains("nothing was changed"),
            "{message}"
        );
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), damaged);
}

#[test]
fn ids_from_the_window_have_the_engines_shape() {
    let (_dir, store) = store();
    let saved = store.save(&profile(), "A", &[], &projects()).unwrap();
    assert_eq!(engine::limits::saved_request_id(&saved.id).unwrap(), saved.id);
    for bad in ["", "../x", "a b", &"a".repeat(41)] {
        let message = engine::limits::saved_request_id(bad).unwrap_err().to_string();
        assert!(message.contains("Choose one from Saved requests"), "{bad:?}: {message}");
    }
}
