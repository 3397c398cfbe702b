//! [`KeptDiagnosis`]: a diagnosis as it is kept on disk (in the request history) and carried in
//! support bundles — its words and code, without the fix buttons, readable back.

use super::Diagnosis;
use crate::redact::redact_text;
use serde::{Deserialize, Serialize};

/// The words of a [`Diagnosis`], kept with an exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct KeptDiagnosis {
    /// The stable code (see [`super::codes::ALL`]).
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub what_happened: Vec<String>,
    #[serde(default)]
    pub what_to_do: Vec<String>,
    #[serde(default)]
    pub details: Option<String>,
}

impl From<&Diagnosis> for KeptDiagnosis {
    fn from(d: &Diagnosis) -> KeptDiagnosis {
        let clean = |t: &str| redact_text(t);
        KeptDiagnosis {
            code: d.code.to_string(),
            title: clean(&d.title),
            what_happened: d.what_happened.iter().map(|t| clean(t)).collect(),
            what_to_do: d.what_to_do.iter().map(|t| clean(t)).collect(),
            details: d.details.as_deref().map(clean),
        }
    }
}

impl KeptDiagnosis {
    /// Every text of it, for scrubbing and searching.
    pub fn texts_mut(&mut self) -> impl Iterator<Item = &mut String> {
        std::iter::once(&mut self.code)
            .chain(std::iter::once(&mut self.title))
            .chain(self.what_happened.iter_mut())
            .chain(self.what_to_do.iter_mut())
            .chain(self.details.iter_mut())
    }
}
