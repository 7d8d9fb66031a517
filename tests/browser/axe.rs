//! axe-core, the accessibility checker, run inside the page under test. It comes from npm
//! (`tests/browser/package.json`, pinned in its lock file) and is installed by
//! `npm ci --prefix tests/browser`; without it the accessibility test is skipped, except under CI.

use std::path::PathBuf;

use serde_json::Value;

use super::page::Page;

/// The WCAG levels checked: A and AA of WCAG 2.0 and 2.1.
const TAGS: [&str; 3] = ["wcag2a", "wcag2aa", "wcag21aa"];

fn script_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules/axe-core/axe.min.js")
}

/// axe-core's script, or `None` (with a message) when it is not installed outside CI.
pub fn source() -> Option<String> {
    let path = script_path();
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(error) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "axe-core is needed in CI: npm ci --prefix tests/browser ({}: {error})",
                path.display()
            );
            eprintln!(
                "skipped: no axe-core at {} (npm ci --prefix tests/browser)",
                path.display()
            );
            None
        }
    }
}

/// One rule broken on a page.
#[derive(Debug)]
pub struct Violation {
    pub rule: String,
    /// minor, moderate, serious or critical.
    pub impact: String,
    pub help: String,
    /// CSS selectors of the elements at fault.
    pub targets: Vec<String>,
}

impl Violation {
    pub fn is_serious(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {} -> {}",
            self.rule,
            self.impact,
            self.help,
            self.targets.join(" | ")
        )
    }
}

/// Injects axe-core into the current page and returns what it finds.
pub async fn check(page: &Page, axe: &str) -> Vec<Violation> {
    page.script(axe).await;
    let run = format!(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {tags:?} }}, resultTypes: ['violations'] }})
            .then(results => done(results.violations.map(v => ({{
                rule: v.id, impact: v.impact || '', help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')),
            }}))))
            .catch(error => done({{ error: String(error) }}));",
        tags = TAGS
    );
    let found = page.script_async(&run).await;
    let Value::Array(found) = found else {
        panic!("axe failed: {found}");
    };
    found
        .into_iter()
        .map(|v| Violation {
            rule: text(&v["rule"]),
            impact: text(&v["impact"]),
            help: text(&v["help"]),
            targets: v["targets"]
                .as_array()
                .map(|t| t.iter().map(text).collect())
                .unwrap_or_default(),
        })
        .collect()
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}
