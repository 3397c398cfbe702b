//! A [`Diagnosis`] kept with a request-history entry ([`KeptDiagnosis`], the history's type): its
//! words and code, redacted, without the fix buttons.

use super::Diagnosis;
use crate::redact::redact_text;
use crate::requests::history::{HistoryEntry, KeptDiagnosis};

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

impl HistoryEntry {
    /// The same entry with the diagnosis of its failure kept (its words redacted as free text).
    pub fn with_diagnosis(mut self, diagnosis: Option<&Diagnosis>) -> HistoryEntry {
        self.diagnosis = diagnosis.map(KeptDiagnosis::from);
        self
    }
}
