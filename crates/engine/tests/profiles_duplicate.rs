//! `ProfileStore::duplicate`, behind the window's Duplicate and `scopestack-cli profiles
//! duplicate`: a copy of the settings under a new id and a free name, kept in the file.

use engine::profiles::{ProfileStore, MAX_PROFILE_NAME};
use engine::{Method, Profile, ProfileError, ProfileId};

fn store() -> (tempfile::TempDir, ProfileStore) {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = ProfileStore::open(dir.path()).unwrap();
    (dir, store)
}

fn add(store: &mut ProfileStore, name: &str) -> Profile {
    let mut p = engine::profiles::scopestack_production();
    p.id = ProfileId::generate();
    p.name = name.into();
    p.method = Method::Password;
    p.client_id = "acme-client".into();
    p.username = "robot@acme.example".into();
    store.add(p.clone()).unwrap();
    p
}

fn names(store: &ProfileStore) -> Vec<&str> {
    store.list().iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn a_copy_has_the_settings_a_new_id_and_the_name_with_copy() {
    let (dir, mut store) = store();
    let acme = add(&mut store, "Acme");
    let copy = store.duplicate(&acme.id).unwrap();
    assert_ne!(copy.id, acme.id);
    assert_eq!(copy.name, "Acme copy");
    assert_eq!(Profile { id: acme.id.clone(), name: acme.name.clone(), ..copy.clone() }, acme);
    assert_eq!(store.get(&acme.id).unwrap(), &acme, "the original is unchanged");
    let (reopened, _) = ProfileStore::open(dir.path()).unwrap();
    assert_eq!(reopened.get(&copy.id).unwrap(), &copy, "the copy is in the file");
    assert_eq!(names(&reopened), ["Sandbox", "ScopeStack", "Acme", "Acme copy"]);
}

#[test]
fn further_copies_are_numbered_past_names_taken_in_any_case() {
    let (_dir, mut store) = store();
    let acme = add(&mut store, "Acme");
    assert_eq!(store.duplicate(&acme.id).unwrap().name, "Acme copy");
    assert_eq!(store.duplicate(&acme.id).unwrap().name, "Acme copy 2");
    add(&mut store, "ACME COPY 3");
    assert_eq!(store.duplicate(&acme.id).unwrap().name, "Acme copy 4");
    let copy = store.list().iter().find(|p| p.name == "Acme copy").unwrap().id.clone();
    assert_eq!(store.duplicate(&copy).unwrap().name, "Acme copy copy");
}

#[test]
fn the_copys_name_stays_within_the_name_limit() {
    let (_dir, mut store) = store();
    let long = add(&mut store, &"n".repeat(MAX_PROFILE_NAME));
    for _ in 0..12 {
        let copy = store.duplicate(&long.id).unwrap();
        assert!(copy.name.chars().count() <= MAX_PROFILE_NAME, "{}", copy.name);
        assert!(copy.name.starts_with(&"n".repeat(MAX_PROFILE_NAME - 10)), "{}", copy.name);
    }
    assert!(store.list().iter().any(|p| p.name.ends_with(" copy 12")));
}

#[test]
fn the_built_in_sandbox_can_be_copied() {
    let (_dir, mut store) = store();
    let sandbox = store.list()[0].clone();
    let copy = store.duplicate(&sandbox.id).unwrap();
    assert_eq!((copy.name.as_str(), &copy.environment), ("Sandbox copy", &sandbox.environment));
}

#[test]
fn an_unknown_profile_is_refused_and_nothing_is_added() {
    let (_dir, mut store) = store();
    let err = store.duplicate(&ProfileId::new("p-0000000000000000")).unwrap_err();
    assert!(matches!(err, ProfileError::UnknownProfile(_)), "{err:?}");
    assert_eq!(names(&store), ["Sandbox", "ScopeStack"]);
}

/// Another program (the CLI, a second window) may have added a copy since this store read the
/// file: the name is chosen against the file as it is now.
#[test]
fn a_name_taken_by_another_program_meanwhile_is_not_reused() {
    let (dir, mut app) = store();
    let acme = add(&mut app, "Acme");
    let (mut cli, _) = ProfileStore::open(dir.path()).unwrap();
    assert_eq!(cli.duplicate(&acme.id).unwrap().name, "Acme copy");
    assert_eq!(app.duplicate(&acme.id).unwrap().name, "Acme copy 2");
    let (reopened, _) = ProfileStore::open(dir.path()).unwrap();
    assert_eq!(names(&reopened), ["Sandbox", "ScopeStack", "Acme", "Acme copy", "Acme copy 2"]);
}
