//! The text of a run's results: pretty JSON written up to a size limit, and the note that says
//! where and why it was cut.

use super::JqLimits;
use crate::requests::store::human_bytes;
use std::io::Write;

/// A writer that stops at `cap` bytes.
pub(super) struct Capped {
    buf: Vec<u8>,
    cap: usize,
    hit: bool,
}

impl Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let room = self.cap.saturating_sub(self.buf.len());
        if data.len() > room {
            self.buf.extend_from_slice(&data[..room]);
            self.hit = true;
            return Err(std::io::Error::other("output limit"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capped {
    pub(super) fn new(cap: usize) -> Capped {
        Capped { buf: Vec::new(), cap, hit: false }
    }

    /// Whether the size limit was reached.
    pub(super) fn hit(&self) -> bool {
        self.hit
    }

    /// The text written, ending with a note on what was cut and why when `truncated` (by size,
    /// or after `results` results by count).
    pub(super) fn into_text(self, truncated: bool, results: usize, limits: &JqLimits) -> String {
        let mut text = match String::from_utf8(self.buf) {
            Ok(t) => t,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        if truncated {
            if self.hit {
                // Cut at a character boundary.
                while !text.is_empty() && text.ends_with('\u{fffd}') {
                    text.pop();
                }
            }
            let why = if self.hit {
                format!("the output reached {}", human_bytes(limits.max_output as u64))
            } else {
                format!("{} results", limits.max_results)
            };
            text.push_str(&format!(
                "\n… cut after {results} complete result(s): {why}. Narrow the filter to see \
                 the rest."
            ));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use crate::requests::jq::tests::DOC;
    use crate::requests::jq::{run_on, JqLimits};

    #[test]
    fn output_is_cut_with_a_note() {
        let limits = JqLimits { max_output: 40, ..JqLimits::default() };
        let out = run_on(DOC, ".data[]", &limits).unwrap();
        assert!(out.truncated && out.text.contains("cut after"), "{}", out.text);
        let limits = JqLimits { max_results: 1, ..JqLimits::default() };
        let out = run_on(DOC, ".data[].id", &limits).unwrap();
        assert_eq!(out.results, 1);
        assert!(out.text.starts_with("\"1\"\n… cut after 1"), "{}", out.text);
    }
}
