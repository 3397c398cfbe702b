//! A profile's variables: `{name}` in the request tester's URL, parameters and headers, and
//! `{{name}}` in bodies. Kept beside its saved requests, never with a secret value: names that
//! look like secrets are left out, and the window is told which.

use crate::error::CommandError;
use crate::state::AppState;
use crate::validate;
use engine::limits;
use engine::requests::SavedRequests;
use serde::Serialize;
use std::collections::BTreeMap;
use tauri::State;

/// The most variables a profile keeps.
const MAX_VARIABLES: usize = 200;
/// The longest variable value.
const MAX_VALUE: usize = 8 * 1024;

/// What was kept, and which names were left out because they look like secrets.
#[derive(Serialize, specta::Type)]
pub struct VariablesSaved {
    variables: BTreeMap<String, String>,
    left_out: Vec<String>,
}

/// A variable name: letters, digits, `-`, `_` and `.`, as `{name}` can hold.
fn check_name(name: &str) -> Result<(), CommandError> {
    if name.is_empty()
        || name.len() > 100
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(CommandError::Input(format!(
            "\"{}\" cannot be a variable name: use letters, digits, - _ and . (up to 100).",
            name.chars().take(40).collect::<String>()
        )));
    }
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub fn profile_variables(
    id: String,
    state: State<'_, AppState>,
) -> Result<BTreeMap<String, String>, CommandError> {
    let id = validate::profile(&state, &id)?;
    Ok(SavedRequests::open_default()?.variables(&id)?)
}

/// Makes `variables` the profile's variables (all of them: the ones not given are removed).
#[tauri::command]
#[specta::specta]
pub fn set_profile_variables(
    id: String,
    variables: BTreeMap<String, String>,
    state: State<'_, AppState>,
) -> Result<VariablesSaved, CommandError> {
    let id = validate::profile(&state, &id)?;
    if variables.len() > MAX_VARIABLES {
        return Err(CommandError::Input(format!(
            "A profile keeps at most {MAX_VARIABLES} variables."
        )));
    }
    for (name, value) in &variables {
        check_name(name)?;
        limits::bounded(name, value, MAX_VALUE)?;
    }
    let saved = SavedRequests::open_default()?;
    let left_out = saved.replace_variables(&id, &variables)?;
    Ok(VariablesSaved { variables: saved.variables(&id)?, left_out })
}

#[cfg(test)]
mod tests {
    use super::check_name;

    #[test]
    fn names_are_what_a_placeholder_can_hold() {
        for good in ["projectId", "account-slug", "v1.id", "A_9"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", "has space", "{x}", "é", &"x".repeat(101)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
