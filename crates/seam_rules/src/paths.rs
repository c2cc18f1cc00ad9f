use std::path::{Component, Path};

const EXEMPT_DIRS: &[&str] = &[
    "__tests__",
    "__mocks__",
    "test",
    "tests",
    "e2e",
    "scripts",
    "script",
    "cypress",
    "playwright",
    "fixtures",
];
const EXEMPT_INFIXES: &[&str] = &[".test.", ".spec.", ".stories.", ".config."];

/// What a file is for, as its analysis needs to know: tests and scripts are analysed for
/// exactly what the rules that do not skip them read (see `seam_syntax::FileRole`).
pub fn file_role(path: &Path) -> seam_syntax::FileRole {
    if is_test_or_script(path) {
        seam_syntax::FileRole::TestOrScript
    } else {
        seam_syntax::FileRole::App
    }
}

/// Tests, scripts, stories and config files: code that never serves a request.
pub fn is_test_or_script(path: &Path) -> bool {
    let mut components = path.components().peekable();
    while let Some(c) = components.next() {
        let Component::Normal(name) = c else { continue };
        let Some(name) = name.to_str() else { continue };
        let is_file = components.peek().is_none();
        if is_file {
            return EXEMPT_INFIXES.iter().any(|i| name.contains(i));
        }
        if EXEMPT_DIRS.contains(&name) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exempts_tests_scripts_and_configs_only() {
        for p in [
            "scripts/seed.ts",
            "src/__tests__/a.ts",
            "lib/cache.test.ts",
            "next.config.ts",
            "e2e/x.spec.tsx",
        ] {
            assert!(is_test_or_script(Path::new(p)), "{p}");
        }
        for p in [
            "lib/cache.ts",
            "app/tests-page/page.tsx",
            "app/api/route.ts",
            "lib/testing.ts",
        ] {
            assert!(!is_test_or_script(Path::new(p)), "{p}");
        }
    }
}
