//! Accessibility checks of the real window: axe-core (the npm package in `ui/node_modules`) is
//! injected over WebDriver and run on the page as it is; serious and critical violations fail.

use crate::{AppSession, Result};
use serde_json::Value;

/// The axe-core build the UI's npm packages hold (`npm ci` in `ui/` installs it).
fn axe_source() -> Result<String> {
    let path = crate::target_dir().join("../ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).map_err(|e| {
        format!("axe-core is missing at {} ({e}): run `npm ci` in ui/", path.display())
    })
}

/// One rule axe found broken, with the elements that break it.
#[derive(Debug)]
pub struct Violation {
    pub rule: String,
    pub impact: String,
    pub help: String,
    pub targets: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {} at {}", self.rule, self.impact, self.help, self.targets.join(", "))
    }
}

impl AppSession {
    /// Runs axe-core on the whole page (WCAG 2.1 A and AA rules, best practices left out) and
    /// returns its serious and critical violations.
    pub async fn axe_violations(&self) -> Result<Vec<Violation>> {
        let loaded = self.execute("return typeof window.axe === 'object'").await?;
        if loaded != Value::Bool(true) {
            let source = axe_source()?;
            self.execute(&format!("{source}\nreturn typeof window.axe;")).await?;
        }
        let result = self
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
                  .then((r) => done(r.violations.map((v) => ({ rule: v.id, impact: v.impact || '', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))))
                  .catch((e) => done({ error: String(e) }));"#,
            )
            .await?;
        if let Some(error) = result.get("error") {
            return Err(format!("axe-core failed in the page: {error}"));
        }
        let all = result.as_array().cloned().unwrap_or_default();
        Ok(all
            .iter()
            .map(|v| Violation {
                rule: v["rule"].as_str().unwrap_or_default().to_string(),
                impact: v["impact"].as_str().unwrap_or_default().to_string(),
                help: v["help"].as_str().unwrap_or_default().to_string(),
                targets: v["targets"]
                    .as_array()
                    .map(|t| t.iter().filter_map(|s| s.as_str().map(String::from)).collect())
                    .unwrap_or_default(),
            })
            .filter(|v| v.impact == "serious" || v.impact == "critical")
            .collect())
    }

    /// Fails with every serious or critical axe-core violation on the page, named by `view`.
    pub async fn assert_accessible(&self, view: &str) -> Result<()> {
        let found = self.axe_violations().await?;
        if found.is_empty() {
            return Ok(());
        }
        let _ = self.screenshot(&format!("axe-{view}")).await;
        Err(format!(
            "{view}: {} serious or critical accessibility violation(s):\n  {}",
            found.len(),
            found.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  ")
        ))
    }
}
