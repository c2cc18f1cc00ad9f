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

/// The App Router file convention a project-relative path is (`page`, `layout`, `route`, ...):
/// its name without extension when it sits under `app/` or `src/app/`, outside private
/// (`_folder`) folders.
pub fn app_router_file(path: &Path) -> Option<&str> {
    let mut parts = path.components().map(|c| c.as_os_str().to_str());
    let first = parts.next()??;
    let in_app = match first {
        "app" => true,
        "src" => parts.next()?? == "app",
        _ => false,
    };
    let extension = path.extension()?.to_str()?;
    let private = path
        .parent()?
        .components()
        .any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('_')));
    (in_app && !private && matches!(extension, "js" | "jsx" | "ts" | "tsx"))
        .then(|| path.file_stem()?.to_str())
        .flatten()
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
    fn app_router_files_are_under_app_or_src_app() {
        assert_eq!(app_router_file(Path::new("app/page.tsx")), Some("page"));
        assert_eq!(
            app_router_file(Path::new("src/app/(shop)/cart/layout.js")),
            Some("layout")
        );
        assert_eq!(app_router_file(Path::new("app/_parts/page.tsx")), None);
        assert_eq!(app_router_file(Path::new("components/app/page.tsx")), None);
        assert_eq!(app_router_file(Path::new("app/page.md")), None);
    }

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
