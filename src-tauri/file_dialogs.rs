//! Native file dialogs that open where the user's files are: the folder of the last file picked
//! in this run, else Downloads (where Postman exports and mailed support bundles land), else the
//! home folder. Giving the dialog a folder also keeps GTK's chooser out of its "Recent" view,
//! which it opens by default and where a typed path is taken as a search.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

/// The folder of the file the user last picked or saved, for the next dialog.
static LAST_FOLDER: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Asks for a file to open; `filter` is a name and the extensions it allows.
pub fn pick_file(app: &AppHandle, title: &str, filter: (&str, &[&str])) -> Option<PathBuf> {
    let picked =
        dialog(app, title).add_filter(filter.0, filter.1).blocking_pick_file()?.into_path().ok()?;
    remember_folder_of(&picked);
    Some(picked)
}

/// Asks where to save a file, suggesting `file_name`; `filter` narrows what the dialog lists.
pub fn save_file(
    app: &AppHandle,
    title: &str,
    file_name: &str,
    filter: Option<(&str, &[&str])>,
) -> Option<PathBuf> {
    let mut builder = dialog(app, title).set_file_name(file_name);
    if let Some((name, extensions)) = filter {
        builder = builder.add_filter(name, extensions);
    }
    let picked = builder.blocking_save_file()?.into_path().ok()?;
    remember_folder_of(&picked);
    Some(picked)
}

fn dialog(app: &AppHandle, title: &str) -> FileDialogBuilder<tauri::Wry> {
    let last = LAST_FOLDER.lock().ok().and_then(|last| last.clone());
    let builder = app.dialog().file().set_title(title);
    match starting_folder([last, app.path().download_dir().ok(), app.path().home_dir().ok()]) {
        Some(folder) => builder.set_directory(folder),
        None => builder,
    }
}

fn remember_folder_of(file: &Path) {
    if let (Some(folder), Ok(mut last)) = (file.parent(), LAST_FOLDER.lock()) {
        *last = Some(folder.to_path_buf());
    }
}

/// The first of `candidates` that is an existing folder.
fn starting_folder(candidates: impl IntoIterator<Item = Option<PathBuf>>) -> Option<PathBuf> {
    candidates.into_iter().flatten().find(|folder| folder.is_dir())
}

#[cfg(test)]
mod tests {
    use super::starting_folder;

    #[test]
    fn the_first_folder_that_exists_is_where_a_dialog_starts() {
        let dir = tempfile::tempdir().unwrap();
        let (downloads, home) = (dir.path().join("Downloads"), dir.path().to_path_buf());
        let gone = dir.path().join("moved-away");
        std::fs::create_dir(&downloads).unwrap();
        let a_file = dir.path().join("export.json");
        std::fs::write(&a_file, "{}").unwrap();

        assert_eq!(
            starting_folder([Some(home.clone()), Some(downloads.clone())]),
            Some(home.clone()),
            "the last folder comes first"
        );
        assert_eq!(
            starting_folder([Some(gone.clone()), Some(downloads.clone()), Some(home.clone())]),
            Some(downloads.clone()),
            "a last folder that is gone is passed over"
        );
        assert_eq!(
            starting_folder([None, Some(a_file), Some(home.clone())]),
            Some(home),
            "a file is not a folder"
        );
        assert_eq!(
            starting_folder([None, Some(gone), None]),
            None,
            "nothing usable: the dialog's own choice"
        );
    }
}
