//! `vulnerable-next-version`: the installed `next` or `react-server-dom-*` version is affected
//! by a known advisory. Reported at the dependency in package.json, with the advisories and the
//! first version of that release line that fixes them all. The table lives in
//! `crates/seam_rules/data/advisories.json` (from the GitHub Advisory Database).

use std::sync::OnceLock;

use seam_diagnostics::{Diagnostic, Severity};
use semver::Version;
use serde::Deserialize;

use crate::project::{Dependency, Manifest};
use crate::{no_options, no_options_schema, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "vulnerable-next-version",
    default_severity: Severity::Error,
    fix: FixKind::None,
    needs: Needs::Project,
    summary:
        "The installed next or react-server-dom-* version is affected by a known security advisory.",
    doc: include_str!("../../../../rules/vulnerable-next-version.md"),
    check: None,
    check_manifest: Some(check),
    validate_options: no_options,
    options_schema: no_options_schema,
};

#[derive(Debug, Deserialize)]
struct Table {
    advisories: Vec<Advisory>,
}

#[derive(Debug, Deserialize)]
pub struct Advisory {
    pub id: String,
    #[serde(default)]
    pub cves: Vec<String>,
    pub package: String,
    pub summary: String,
    pub severity: String,
    pub url: String,
    ranges: Vec<AffectedRange>,
}

#[derive(Debug, Deserialize)]
struct AffectedRange {
    introduced: String,
    fixed: Option<String>,
}

fn advisories() -> &'static [Advisory] {
    static TABLE: OnceLock<Vec<Advisory>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let table: Table = serde_json::from_str(include_str!("../../data/advisories.json"))
            .expect("data/advisories.json is valid (checked by a test)");
        table.advisories
    })
}

/// The advisories affecting `version` of `package`, each with its fixed version on that line
/// (None when the line has no fix).
pub fn affecting(package: &str, version: &Version) -> Vec<(&'static Advisory, Option<Version>)> {
    advisories()
        .iter()
        .filter(|a| a.package == package)
        .filter_map(|a| {
            a.ranges.iter().find_map(|r| {
                let introduced = Version::parse(&r.introduced).ok()?;
                let fixed = r.fixed.as_deref().and_then(|f| Version::parse(f).ok());
                let affected = *version >= introduced && fixed.as_ref().is_none_or(|f| version < f);
                affected.then_some((a, fixed))
            })
        })
        .collect()
}

fn check(manifest: &Manifest, out: &mut Vec<Diagnostic>) {
    for dep in manifest.dependencies.iter().filter(|d| !d.peer) {
        let Some(installed) = &dep.installed else {
            continue; // a range without a lockfile: the installed version is unknown
        };
        let found = affecting(&dep.name, installed);
        if found.is_empty() {
            continue;
        }
        out.push(report(dep, installed, &found));
    }
}

fn report(
    dep: &Dependency,
    installed: &Version,
    found: &[(&Advisory, Option<Version>)],
) -> Diagnostic {
    let ids: Vec<String> = found
        .iter()
        .map(|(a, _)| match a.cves.first() {
            Some(cve) => format!("{cve} ({})", a.id),
            None => a.id.clone(),
        })
        .collect();
    let worst = found
        .iter()
        .map(|(a, _)| a.severity.as_str())
        .min_by_key(|s| {
            ["critical", "high", "moderate", "low"]
                .iter()
                .position(|x| x == s)
                .unwrap_or(4)
        })
        .unwrap_or("unknown");
    let upgrade = if found.iter().any(|(_, fixed)| fixed.is_none()) {
        None
    } else {
        found.iter().filter_map(|(_, f)| f.clone()).max()
    };
    let source = dep.source.unwrap_or("package.json");
    let message = format!(
        "{} {installed} (from {source}) is affected by {} known advisor{} ({worst}): {}",
        dep.name,
        found.len(),
        if found.len() == 1 { "y" } else { "ies" },
        ids.join(", ")
    );
    let details: Vec<String> = found
        .iter()
        .map(|(a, fixed)| {
            let fix = fixed
                .as_ref()
                .map_or("no fix on this line".to_string(), |f| {
                    format!("fixed in {f}")
                });
            format!("{} ({}, {fix}): {} {}", a.id, a.severity, a.summary, a.url)
        })
        .collect();
    let help = match upgrade {
        Some(v) => format!(
            "Upgrade {} to {v} or later on this release line. {}",
            dep.name,
            details.join("; ")
        ),
        None => format!(
            "Move {} to a release line with fixes. {}",
            dep.name,
            details.join("; ")
        ),
    };
    Diagnostic::new(RULE.name, dep.range, message).with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn the_table_parses_and_every_version_is_semver() {
        for a in advisories() {
            for r in &a.ranges {
                assert!(
                    Version::parse(&r.introduced).is_ok(),
                    "{} {}",
                    a.id,
                    r.introduced
                );
                if let Some(f) = &r.fixed {
                    assert!(Version::parse(f).is_ok(), "{} {f}", a.id);
                }
            }
        }
        assert!(advisories().len() >= 10);
    }

    #[test]
    fn middleware_bypass_and_react2shell_by_release_line() {
        let ids = |version: &str| -> Vec<String> {
            affecting("next", &v(version))
                .iter()
                .map(|(a, _)| a.cves.first().cloned().unwrap_or_default())
                .collect()
        };
        assert!(ids("15.2.2").contains(&"CVE-2025-29927".to_string()));
        assert!(!ids("15.2.3").contains(&"CVE-2025-29927".to_string()));
        assert!(ids("14.2.24").contains(&"CVE-2025-29927".to_string()));
        assert!(ids("15.5.4").contains(&"CVE-2025-66478".to_string()));
        assert!(ids("15.5.0").contains(&"CVE-2025-66478".to_string()));
        assert!(!ids("15.5.7").contains(&"CVE-2025-66478".to_string()));
        assert!(ids("16.0.6").contains(&"CVE-2025-66478".to_string()));
        assert!(ids("14.1.0").contains(&"CVE-2024-34351".to_string()));
        assert!(ids("16.2.4").is_empty(), "{:?}", ids("16.2.4"));
        let fixed: Vec<Version> = affecting("next", &v("15.2.2"))
            .into_iter()
            .filter_map(|(_, f)| f)
            .collect();
        assert!(fixed.contains(&v("15.2.3")) && fixed.contains(&v("15.2.6")));
        assert!(!affecting("react-server-dom-webpack", &v("19.1.1")).is_empty());
        assert!(affecting("react-server-dom-webpack", &v("19.2.3")).is_empty());
    }
}
