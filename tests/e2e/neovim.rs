//! A language client nobody here wrote: Neovim's built-in LSP client, headless, opens a file of the
//! demo app with `seam lsp` and must receive exactly the findings the file's `expect:` markers
//! name. Needs `nvim` (Debian package `neovim`, which `.ci/run` installs); without it the test
//! says so and passes, unless `SEAM_REQUIRE_NVIM` is set (as in CI).

use std::process::Command;

use crate::support::{demo_app, expect_markers, repo_root};

#[test]
fn neovim_receives_the_findings_of_a_fixture_file() {
    let has_nvim = Command::new("nvim").arg("--version").output().is_ok();
    if !has_nvim {
        assert!(
            std::env::var_os("SEAM_REQUIRE_NVIM").is_none(),
            "nvim is not installed but SEAM_REQUIRE_NVIM is set"
        );
        eprintln!("skipped: nvim is not installed");
        return;
    }
    let root = demo_app();
    let file = "app/actions/settings.ts";
    let out = tempfile::NamedTempFile::new().unwrap();
    let status = Command::new("nvim")
        .args(["--headless", "--clean", "-c"])
        .arg(format!(
            "luafile {}",
            repo_root().join("tests/e2e/neovim/check.lua").display()
        ))
        .env("SEAM_BIN", env!("CARGO_BIN_EXE_seam"))
        .env("SEAM_ROOT", &root)
        .env("SEAM_FILE", root.join(file))
        .env("SEAM_OUT", out.path())
        .current_dir(&root)
        .status()
        .unwrap();
    assert!(status.success());
    let written = std::fs::read_to_string(out.path()).unwrap();
    let mut got: Vec<(u64, String)> = written
        .lines()
        .map(|l| {
            let (line, rule) = l.split_once(' ').unwrap_or((l, ""));
            (line.parse().unwrap_or(0), rule.to_string())
        })
        .collect();
    got.sort();
    let mut expected: Vec<(u64, String)> = expect_markers(&root)
        .into_iter()
        .filter(|((path, _), _)| path == file)
        .flat_map(|((_, line), rules)| rules.into_iter().map(move |r| (line, r)))
        .collect();
    expected.sort();
    assert!(!expected.is_empty());
    assert_eq!(got, expected, "what Neovim received:\n{written}");
}
