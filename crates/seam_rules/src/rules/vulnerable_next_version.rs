//! `vulnerable-next-version`: the installed `next` or `react-server-dom-*` version is affected
//! by a known advisory. Reported at the dependency in package.json, with the advisories and the
//! version to upgrade to: the first fixed version that no advisory in the table affects, found by
//! following the fixes (a fix for one advisory can itself be affected by a later one, as 16.0.9
//! was by CVE-2025-67779). The table lives in `crates/seam_rules/data/advisories.json` (from the
//! GitHub Advisory Database; every entry cites its GHSA page).

use std::sync::OnceLock;

use seam_diagnostics::{Diagnostic, Severity};
use semver::Version;
use serde::Deserialize;

use crate::project::{Dependency, Manifest};
use crate::{no_options, no_options_schema, FixKind, Needs, Rule};

pub const RULE: Rule = Rule {
    name: "vulnerable-next-version",
    default_severity: Severity::Error,
    enabled_by_default: true,
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
    affecting_in(advisories(), package, version)
}

fn affecting_in<'t>(
    table: &'t [Advisory],
    package: &str,
    version: &Version,
) -> Vec<(&'t Advisory, Option<Version>)> {
    table
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

/// The version to upgrade `package` to from `version`: the smallest version reached by following
/// fixed versions upward that no advisory in the table affects. At each step the candidate moves
/// to the highest fixed version of every advisory affecting it, so the result is at least each
/// of those fixes, and a fix that is itself affected by another advisory (16.0.9 by
/// CVE-2025-67779) is followed on to that advisory's fix (16.0.10), and so on. `version` itself
/// when nothing affects it; None when an advisory on the way has no fixed version.
pub fn recommended_upgrade(package: &str, version: &Version) -> Option<Version> {
    recommended_upgrade_in(advisories(), package, version)
}

fn recommended_upgrade_in(table: &[Advisory], package: &str, version: &Version) -> Option<Version> {
    let mut candidate = version.clone();
    // Every step moves strictly upward (a fixed version is above every version in its range),
    // and only to a fixed version in the table, so there are at most as many steps as ranges.
    let steps = table.iter().map(|a| a.ranges.len()).sum::<usize>() + 1;
    for _ in 0..steps {
        let found = affecting_in(table, package, &candidate);
        if found.is_empty() {
            return Some(candidate);
        }
        let mut next: Option<Version> = None;
        for (_, fixed) in found {
            let fixed = fixed?;
            if next.as_ref().is_none_or(|n| fixed > *n) {
                next = Some(fixed);
            }
        }
        candidate = next?;
    }
    None
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
    // Not just the highest fix among `found`: that fix can carry another advisory of the table.
    let upgrade = recommended_upgrade(&dep.name, installed);
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
        Some(v) if v.major == installed.major => format!(
            "Upgrade {} to {v} or later on this release line. {}",
            dep.name,
            details.join("; ")
        ),
        Some(v) => format!(
            "Upgrade {} to {v} or later (no {}.x release fixes them all). {}",
            dep.name,
            installed.major,
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

    const PACKAGES: [&str; 4] = [
        "next",
        "react-server-dom-webpack",
        "react-server-dom-turbopack",
        "react-server-dom-parcel",
    ];

    /// The GHSA ids the table reports for `package` at `version`.
    fn ids_at(package: &str, version: &str) -> Vec<&'static str> {
        affecting(package, &v(version))
            .iter()
            .map(|(a, _)| a.id.as_str())
            .collect()
    }

    fn range_versions(a: &Advisory) -> Vec<(Version, Option<Version>)> {
        a.ranges
            .iter()
            .map(|r| (v(&r.introduced), r.fixed.as_deref().map(v)))
            .collect()
    }

    /// Versions worth checking for `package`: every introduced and fixed version in the table
    /// (the first affected release of each range, and the release after each fix).
    fn sample_versions(package: &str) -> Vec<Version> {
        let mut out: Vec<Version> = advisories()
            .iter()
            .filter(|a| a.package == package)
            .flat_map(range_versions)
            .flat_map(|(introduced, fixed)| std::iter::once(introduced).chain(fixed))
            .collect();
        out.sort();
        out.dedup();
        out
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
    fn every_entry_has_an_id_a_source_and_a_known_package_and_severity() {
        // The raw file, for the `sources` list the rule itself does not read.
        let raw: serde_json::Value =
            serde_json::from_str(include_str!("../../data/advisories.json")).unwrap();
        let raw = raw["advisories"].as_array().unwrap();
        assert_eq!(raw.len(), advisories().len());
        for (a, raw) in advisories().iter().zip(raw) {
            let id = a.id.as_str();
            let ghsa = id.strip_prefix("GHSA-").unwrap_or_default();
            assert!(
                ghsa.len() == 14
                    && ghsa.split('-').count() == 3
                    && ghsa.split('-').all(|part| part.len() == 4),
                "not a GHSA id: {id:?}"
            );
            assert!(
                a.url == format!("https://github.com/advisories/{id}")
                    || a.url.starts_with("https://nvd.nist.gov/vuln/detail/CVE-"),
                "{id}: the url must be its GitHub advisory (or NVD) page, not {:?}",
                a.url
            );
            let sources = raw["sources"].as_array();
            assert!(
                sources.is_some_and(|s| !s.is_empty()
                    && s.iter()
                        .all(|s| s.as_str().is_some_and(|s| !s.trim().is_empty()))),
                "{id} ({}): every entry lists where its ranges were read",
                a.package
            );
            assert!(
                PACKAGES.contains(&a.package.as_str()),
                "{id}: {}",
                a.package
            );
            assert!(
                ["critical", "high", "moderate", "low"].contains(&a.severity.as_str()),
                "{id}: GitHub's severities are critical/high/moderate/low, not {:?}",
                a.severity
            );
            assert!(!a.summary.trim().is_empty(), "{id}");
            assert!(!a.ranges.is_empty(), "{id}");
            for cve in &a.cves {
                assert!(cve.starts_with("CVE-20"), "{id}: {cve}");
            }
        }
        // One entry per advisory and package.
        let mut keys: Vec<(&str, &str)> = advisories()
            .iter()
            .map(|a| (a.id.as_str(), a.package.as_str()))
            .collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "an advisory is listed twice for one package");
    }

    #[test]
    fn every_range_fixes_above_where_it_starts_and_ranges_of_an_entry_do_not_overlap() {
        for a in advisories() {
            let mut ranges = range_versions(a);
            for (introduced, fixed) in &ranges {
                if let Some(fixed) = fixed {
                    assert!(
                        fixed > introduced,
                        "{} ({}): fixed {fixed} is not above introduced {introduced}",
                        a.id,
                        a.package
                    );
                    // The first affected version is reported for this advisory, its fix is not.
                    let at = |version: &Version| {
                        affecting(&a.package, version)
                            .iter()
                            .any(|(b, _)| std::ptr::eq(*b, a))
                    };
                    assert!(at(introduced), "{} {introduced}", a.id);
                    assert!(!at(fixed), "{} {fixed}", a.id);
                }
            }
            ranges.sort();
            for pair in ranges.windows(2) {
                let ((_, fixed), (next, _)) = (&pair[0], &pair[1]);
                assert!(
                    fixed.as_ref().is_some_and(|f| f <= next),
                    "{} ({}): a range reaching {fixed:?} overlaps the one from {next}",
                    a.id,
                    a.package
                );
            }
        }
    }

    /// The bug this table was refreshed for: the version seam recommends must clear every
    /// advisory it knows, not just the ones affecting the installed version.
    #[test]
    fn upgrading_to_the_recommendation_clears_every_advisory_in_the_table() {
        for package in PACKAGES {
            let samples = sample_versions(package);
            assert!(!samples.is_empty(), "{package}");
            let mut checked = 0;
            for version in samples {
                let found = affecting(package, &version);
                if found.is_empty() {
                    assert_eq!(
                        recommended_upgrade(package, &version),
                        Some(version.clone())
                    );
                    continue;
                }
                checked += 1;
                let Some(upgrade) = recommended_upgrade(package, &version) else {
                    assert!(
                        found.iter().any(|(_, fixed)| fixed.is_none()),
                        "{package} {version}: no recommendation although every advisory has a fix"
                    );
                    continue;
                };
                assert!(upgrade > version, "{package} {version} -> {upgrade}");
                let left: Vec<&str> = affecting(package, &upgrade)
                    .iter()
                    .map(|(a, _)| a.id.as_str())
                    .collect();
                assert!(
                    left.is_empty(),
                    "{package} {version}: the recommended {upgrade} is itself affected by {left:?}"
                );
                // At least the fix of every advisory affecting the installed version (on its
                // line), so no advisory's fix is higher than what seam tells people to install.
                for (a, fixed) in &found {
                    let fixed = fixed.as_ref().unwrap();
                    assert!(
                        upgrade >= *fixed,
                        "{package} {version}: recommends {upgrade}, below {}'s fix {fixed}",
                        a.id
                    );
                }
                // And it is a release the table names as a fix, not a made-up version.
                assert!(
                    advisories()
                        .iter()
                        .filter(|a| a.package == package)
                        .flat_map(range_versions)
                        .any(|(_, fixed)| fixed.as_ref() == Some(&upgrade)),
                    "{package} {version} -> {upgrade}"
                );
            }
            assert!(checked > 0, "{package}: no vulnerable sample");
        }
    }

    #[test]
    fn cve_2025_67779_needs_16_0_10_and_15_5_9() {
        const ID: &str = "GHSA-5j59-xgg2-r9c4";
        for version in ["16.0.9", "15.5.8", "15.4.9", "14.2.34"] {
            assert!(ids_at("next", version).contains(&ID), "{version}");
        }
        for version in ["16.0.10", "15.5.9", "15.4.10", "14.2.35"] {
            assert!(!ids_at("next", version).contains(&ID), "{version}");
        }
        // The report that started this: from 16.0.6 the largest fix among its own advisories
        // is 16.0.9 (CVE-2025-55183/55184), which CVE-2025-67779 affects; seam must go past it.
        let from = |version: &str| recommended_upgrade("next", &v(version)).unwrap();
        assert!(from("16.0.6") >= v("16.0.10"), "{}", from("16.0.6"));
        assert!(from("16.0.9") >= v("16.0.10"), "{}", from("16.0.9"));
        assert!(from("15.5.7") >= v("15.5.9"), "{}", from("15.5.7"));
        assert!(from("15.5.8") >= v("15.5.9"), "{}", from("15.5.8"));
        for (package, version, fixed) in [
            ("react-server-dom-webpack", "19.2.2", "19.2.3"),
            ("react-server-dom-turbopack", "19.1.3", "19.1.4"),
            ("react-server-dom-parcel", "19.0.2", "19.0.3"),
        ] {
            assert!(ids_at(package, version).contains(&"GHSA-7gmr-mq3h-m5h9"));
            assert!(!ids_at(package, fixed).contains(&"GHSA-7gmr-mq3h-m5h9"));
            assert!(recommended_upgrade(package, &v(version)).unwrap() > v(fixed));
        }
    }

    /// The table as it stood for next 16.0.x on 2025-12-12: the 2025-12-11 fixes (16.0.9) and the
    /// follow-up that affects exactly that fix. Today's table has later fixes on top that hide
    /// the difference, so this pins the logic on its own.
    #[test]
    fn a_fix_that_is_itself_affected_is_followed_to_the_next_fix() {
        let table: Table = serde_json::from_str(
            r#"{ "advisories": [
              { "id": "GHSA-9qr9-h5gf-34mp", "package": "next", "summary": "", "severity": "critical", "url": "",
                "ranges": [ { "introduced": "16.0.0-canary.0", "fixed": "16.0.7" } ] },
              { "id": "GHSA-mwv6-3258-q52c", "package": "next", "summary": "", "severity": "high", "url": "",
                "ranges": [ { "introduced": "16.0.0-beta.0", "fixed": "16.0.9" } ] },
              { "id": "GHSA-5j59-xgg2-r9c4", "package": "next", "summary": "", "severity": "high", "url": "",
                "ranges": [ { "introduced": "16.0.9", "fixed": "16.0.10" } ] },
              { "id": "GHSA-xxxx-xxxx-xxxx", "package": "next", "summary": "", "severity": "low", "url": "",
                "ranges": [ { "introduced": "16.0.11", "fixed": null } ] }
            ] }"#,
        )
        .unwrap();
        let table = &table.advisories;
        let from = |version: &str| recommended_upgrade_in(table, "next", &v(version));
        // The highest fix among 16.0.6's own advisories is 16.0.9, which the follow-up affects.
        let own: Vec<Version> = affecting_in(table, "next", &v("16.0.6"))
            .into_iter()
            .filter_map(|(_, f)| f)
            .collect();
        assert_eq!(own.iter().max(), Some(&v("16.0.9")));
        assert_eq!(from("16.0.6"), Some(v("16.0.10")));
        assert_eq!(from("16.0.9"), Some(v("16.0.10")));
        assert_eq!(from("16.0.10"), Some(v("16.0.10")), "not affected");
        // An advisory without a fix on the way: nothing on this line to recommend.
        assert_eq!(from("16.0.11"), None);
    }

    /// One check per advisory published in 2026: a version inside its range is reported for it,
    /// and its fixed versions are not.
    #[test]
    fn advisories_of_2026_by_release_line() {
        const NEXT: &str = "next";
        let cases: &[(&str, &str, &[&str], &[&str])] = &[
            // January
            (
                "GHSA-9g9p-9gw9-jx7f",
                NEXT,
                &["15.5.9", "16.1.4"],
                &["15.5.10", "16.1.5"],
            ),
            (
                "GHSA-5f7q-jpqc-wp7h",
                NEXT,
                &["16.1.4"],
                &["16.1.5", "15.5.9"],
            ),
            (
                "GHSA-h25m-26qc-wcjf",
                NEXT,
                &["14.2.35", "15.5.9", "16.0.10", "16.1.4"],
                &["15.5.10", "16.0.11", "16.1.5"],
            ),
            (
                "GHSA-83fc-fqcc-2hmg",
                "react-server-dom-webpack",
                &["19.2.3", "19.1.4"],
                &["19.2.4", "19.1.5"],
            ),
            (
                "GHSA-83fc-fqcc-2hmg",
                "react-server-dom-turbopack",
                &["19.0.3"],
                &["19.0.4"],
            ),
            (
                "GHSA-83fc-fqcc-2hmg",
                "react-server-dom-parcel",
                &["19.2.0"],
                &["19.2.4"],
            ),
            // March
            (
                "GHSA-mq59-m269-xvcx",
                NEXT,
                &["16.1.6"],
                &["16.1.7", "16.0.0"],
            ),
            ("GHSA-jcc7-9wpm-mj36", NEXT, &["16.0.1"], &["16.1.7"]),
            ("GHSA-h27x-g6w4-24gq", NEXT, &["16.1.6"], &["16.1.7"]),
            (
                "GHSA-ggv3-7p47-pfv8",
                NEXT,
                &["15.5.12", "16.1.6"],
                &["15.5.13", "16.1.7"],
            ),
            (
                "GHSA-3x4c-7xq6-9pq8",
                NEXT,
                &["15.5.13", "16.1.6"],
                &["15.5.14", "16.1.7"],
            ),
            // April
            (
                "GHSA-q4gf-8mx6-v5v3",
                NEXT,
                &["13.0.0", "15.5.14", "16.2.2"],
                &["15.5.15", "16.2.3"],
            ),
            // May
            (
                "GHSA-8h8q-6873-q5fj",
                NEXT,
                &["15.5.15", "16.2.4"],
                &["15.5.16", "16.2.5"],
            ),
            (
                "GHSA-267c-6grr-h53f",
                NEXT,
                &["15.2.0", "16.2.4"],
                &["15.5.16", "16.2.5", "15.1.0"],
            ),
            (
                "GHSA-26hh-7cqf-hhc6",
                NEXT,
                &["15.5.17", "16.2.5"],
                &["15.5.18", "16.2.6"],
            ),
            (
                "GHSA-492v-c6pp-mqqv",
                NEXT,
                &["15.4.0", "16.2.4"],
                &["15.5.16", "16.2.5"],
            ),
            (
                "GHSA-36qx-fr4f-26g5",
                NEXT,
                &["12.2.0", "16.2.4"],
                &["15.5.16", "16.2.5"],
            ),
            (
                "GHSA-3g8h-86w9-wvmq",
                NEXT,
                &["12.2.0", "16.2.4"],
                &["15.5.16", "16.2.5"],
            ),
            (
                "GHSA-mg66-mrh9-m8jx",
                NEXT,
                &["15.0.0", "16.2.4"],
                &["15.5.16", "16.2.5"],
            ),
            (
                "GHSA-c4j6-fc7j-m34r",
                NEXT,
                &["13.4.13", "16.2.4"],
                &["15.5.16", "16.2.5"],
            ),
            (
                "GHSA-ffhc-5mcf-pf4q",
                NEXT,
                &["13.4.0", "16.2.4"],
                &["15.5.16", "16.2.5"],
            ),
            (
                "GHSA-gx5p-jg67-6x7h",
                NEXT,
                &["13.0.0", "16.2.4"],
                &["15.5.16", "16.2.5"],
            ),
            (
                "GHSA-h64f-5h5j-jqjh",
                NEXT,
                &["10.0.0", "16.2.4"],
                &["15.5.16", "16.2.5"],
            ),
            (
                "GHSA-wfc6-r584-vfw7",
                NEXT,
                &["14.2.0", "16.2.4"],
                &["15.5.16", "16.2.5"],
            ),
            (
                "GHSA-vfv6-92ff-j949",
                NEXT,
                &["13.4.6", "16.2.4"],
                &["15.5.16", "16.2.5"],
            ),
            (
                "GHSA-rv78-f8rc-xrxh",
                "react-server-dom-webpack",
                &["19.2.5", "19.1.6"],
                &["19.2.6", "19.1.7"],
            ),
            (
                "GHSA-rv78-f8rc-xrxh",
                "react-server-dom-turbopack",
                &["19.0.5"],
                &["19.0.6"],
            ),
            (
                "GHSA-rv78-f8rc-xrxh",
                "react-server-dom-parcel",
                &["19.2.0"],
                &["19.2.6"],
            ),
            // July
            (
                "GHSA-m99w-x7hq-7vfj",
                NEXT,
                &["15.5.20", "16.2.10"],
                &["15.5.21", "16.2.11"],
            ),
            (
                "GHSA-6gpp-xcg3-4w24",
                NEXT,
                &["16.2.10"],
                &["16.2.11", "15.5.20"],
            ),
            (
                "GHSA-955p-x3mx-jcvp",
                NEXT,
                &["13.0.0", "16.2.10"],
                &["15.5.21", "16.2.11"],
            ),
            (
                "GHSA-p9j2-gv94-2wf4",
                NEXT,
                &["12.0.0", "16.2.10"],
                &["15.5.21", "16.2.11"],
            ),
            (
                "GHSA-4c39-4ccg-62r3",
                NEXT,
                &["15.5.20", "16.2.10"],
                &["15.5.21", "16.2.11"],
            ),
            (
                "GHSA-4633-3j49-mh5q",
                NEXT,
                &["15.5.20", "16.2.10"],
                &["15.5.21", "16.2.11"],
            ),
            (
                "GHSA-68g3-v927-f742",
                NEXT,
                &["15.5.20", "16.2.10"],
                &["15.5.21", "16.2.11"],
            ),
            (
                "GHSA-89xv-2m56-2m9x",
                NEXT,
                &["14.1.1", "16.2.10"],
                &["15.5.21", "16.2.11"],
            ),
            (
                "GHSA-q8wf-6r8g-63ch",
                NEXT,
                &["15.5.0", "16.2.10"],
                &["15.5.21", "16.2.11", "15.4.0"],
            ),
            (
                "GHSA-wx67-qw84-cm4g",
                "react-server-dom-webpack",
                &["19.2.7", "19.1.8"],
                &["19.2.8", "19.1.9"],
            ),
            (
                "GHSA-wx67-qw84-cm4g",
                "react-server-dom-turbopack",
                &["19.0.7"],
                &["19.0.8"],
            ),
            (
                "GHSA-wx67-qw84-cm4g",
                "react-server-dom-parcel",
                &["19.2.0"],
                &["19.2.8"],
            ),
            // August and September
            (
                "GHSA-p293-qw3h-jr36",
                NEXT,
                &["16.0.0", "16.3.2"],
                &["16.3.3"],
            ),
            (
                "GHSA-vcvr-r3jv-pc5j",
                NEXT,
                &["16.2.0", "16.3.5"],
                &["16.3.6", "16.1.7"],
            ),
            // October
            ("GHSA-cjq9-62q9-8jv4", NEXT, &["16.3.7"], &["16.3.8"]),
            (
                "GHSA-3w37-wq28-93x7",
                NEXT,
                &["16.3.0", "16.3.7"],
                &["16.3.8", "16.2.12"],
            ),
            ("GHSA-f87g-xv8r-7p7x", NEXT, &["16.3.7"], &["16.3.8"]),
            ("GHSA-39w2-rjm5-chcv", NEXT, &["16.3.7"], &["16.3.8"]),
            (
                "GHSA-h694-7cp9-m8p3",
                NEXT,
                &["16.3.7"],
                &["16.3.8", "16.2.12"],
            ),
            (
                "GHSA-2464-fhr4-w9xw",
                NEXT,
                &["10.0.0", "15.5.27", "16.4.0"],
                &["15.5.28", "16.4.1"],
            ),
            (
                "GHSA-673q-mjm6-r5xr",
                NEXT,
                &["16.3.8", "16.4.0"],
                &["16.4.1", "15.5.27"],
            ),
            (
                "GHSA-p3m5-59mp-jv5r",
                NEXT,
                &["13.0.0", "15.5.27", "16.4.0"],
                &["15.5.28", "16.4.1"],
            ),
            // November
            (
                "GHSA-vc7v-qv4w-wrv8",
                NEXT,
                &["16.2.0", "16.4.4"],
                &["16.4.5", "16.1.7"],
            ),
            (
                "GHSA-rhh4-g77r-r9qj",
                NEXT,
                &["16.0.0", "16.4.4"],
                &["16.4.5"],
            ),
            (
                "GHSA-7qx7-33qx-rqx2",
                NEXT,
                &["15.0.0", "15.5.28", "16.4.4"],
                &["15.5.29", "16.4.5"],
            ),
            (
                "GHSA-vvgp-ww4w-46vf",
                NEXT,
                &["16.4.0", "16.4.4"],
                &["16.4.5", "16.3.8"],
            ),
        ];
        for (id, package, affected, not_affected) in cases {
            assert!(
                advisories()
                    .iter()
                    .any(|a| a.id == *id && a.package == *package),
                "{id} ({package}) is not in the table"
            );
            for version in *affected {
                assert!(
                    ids_at(package, version).contains(id),
                    "{id} should be reported for {package} {version}"
                );
            }
            for version in *not_affected {
                assert!(
                    !ids_at(package, version).contains(id),
                    "{id} should not be reported for {package} {version}"
                );
            }
        }
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
        assert!(ids("15.1.0").contains(&"CVE-2025-66478".to_string()));
        assert!(!ids("15.5.7").contains(&"CVE-2025-66478".to_string()));
        assert!(ids("16.0.6").contains(&"CVE-2025-66478".to_string()));
        assert!(ids("14.1.0").contains(&"CVE-2024-34351".to_string()));
        // The newest releases of both maintained lines clear the whole table.
        assert!(ids("16.4.5").is_empty(), "{:?}", ids("16.4.5"));
        assert!(ids("15.5.29").is_empty(), "{:?}", ids("15.5.29"));
        let fixed: Vec<Version> = affecting("next", &v("15.2.2"))
            .into_iter()
            .filter_map(|(_, f)| f)
            .collect();
        assert!(fixed.contains(&v("15.2.3")) && fixed.contains(&v("15.2.6")));
        assert!(!affecting("react-server-dom-webpack", &v("19.1.1")).is_empty());
        assert!(!affecting("react-server-dom-webpack", &v("19.2.3")).is_empty());
        assert!(affecting("react-server-dom-webpack", &v("19.2.8")).is_empty());
    }

    #[test]
    fn the_help_names_the_recommendation_and_whether_it_leaves_the_major() {
        let manifest_dep = |version: &str| Dependency {
            name: "next".to_string(),
            declared: version.to_string(),
            range: seam_diagnostics::TextRange::default(),
            installed: Some(v(version)),
            source: Some("package.json"),
            lockfile: None,
            peer: false,
        };
        let help = |version: &str| {
            let dep = manifest_dep(version);
            let installed = dep.installed.clone().unwrap();
            let found = affecting("next", &installed);
            report(&dep, &installed, &found).help.unwrap_or_default()
        };
        let h = help("16.0.9");
        assert!(h.contains("to 16.4.5 or later on this release line"), "{h}");
        assert!(
            h.contains("GHSA-5j59-xgg2-r9c4 (high, fixed in 16.0.10)"),
            "{h}"
        );
        let h = help("14.2.35");
        assert!(
            h.contains("to 15.5.29 or later (no 14.x release fixes them all)"),
            "{h}"
        );
    }
}
