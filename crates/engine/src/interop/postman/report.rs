//! [`ImportReport`]: what a Postman import made of each part of the file — what became what,
//! where each secret went, and what was skipped and why — for the window and the CLI to show.

use crate::profiles::{Method, ProfileId};
use serde::Serialize;

/// The outcome of importing a Postman collection or environment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ImportReport {
    /// The profile that was created or filled.
    pub profile_id: Option<ProfileId>,
    pub profile_name: String,
    /// Whether the profile was made by this import (else variables went into an existing one).
    pub created_profile: bool,
    /// `Some(original)` when the wanted name was taken and a number was added.
    pub renamed_from: Option<String>,
    pub method: Option<Method>,
    /// How many requests were saved to the profile.
    pub saved_requests: usize,
    /// The profile variables set (names only).
    pub variables: Vec<String>,
    /// What became what ("{{baseUrl}} → the profile's API URL https://…").
    pub became: Vec<String>,
    /// Where each secret of the file went (the keychain, or nowhere), never its value.
    pub secrets: Vec<String>,
    /// What was not imported, and why.
    pub skipped: Vec<String>,
    /// Saved requests that go to another server than the profile's API: they are sent without
    /// the profile's token (unless the user asks, each time).
    pub other_hosts: Vec<String>,
}

impl ImportReport {
    pub(crate) fn became(&mut self, text: impl Into<String>) {
        push_once(&mut self.became, text.into());
    }

    pub(crate) fn secret(&mut self, text: impl Into<String>) {
        push_once(&mut self.secrets, text.into());
    }

    pub(crate) fn skipped(&mut self, text: impl Into<String>) {
        push_once(&mut self.skipped, text.into());
    }

    /// The report as lines of text, for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let verb = if self.created_profile { "Created the profile" } else { "Filled the profile" };
        out.push_str(&format!("{verb} \"{}\"", self.profile_name));
        if let Some(original) = &self.renamed_from {
            out.push_str(&format!(" (\"{original}\" was taken)"));
        }
        out.push('\n');
        if self.saved_requests > 0 {
            out.push_str(&format!("Saved requests: {}\n", self.saved_requests));
        }
        if !self.variables.is_empty() {
            out.push_str(&format!("Profile variables: {}\n", self.variables.join(", ")));
        }
        let token_stays = [
            ("What became what", &self.became),
            ("Secrets", &self.secrets),
            ("Sent without the token", &self.other_hosts),
            ("Not imported", &self.skipped),
        ];
        for (title, lines) in token_stays {
            if lines.is_empty() {
                continue;
            }
            out.push_str(&format!("{title}:\n"));
            for line in lines {
                out.push_str(&format!("  - {line}\n"));
            }
        }
        out
    }
}

fn push_once(list: &mut Vec<String>, text: String) {
    if !list.contains(&text) {
        list.push(text);
    }
}
