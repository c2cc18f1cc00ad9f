//! Hostile repositories: a pull request can hold any files, symbolic links included. seam must
//! write only inside the project and its cache, and its walk must stay inside what it was asked
//! to check. Each test recreates a hostile tree.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

use crate::support::*;

/// A revalidatePath call with a safe fix (`, 'page'` is added).
const FIXABLE: &str = "'use server'\nimport { revalidatePath } from 'next/cache'\nexport async function save() {\n  revalidatePath('/posts/[id]')\n}\n";
const PACKAGE: &str = r#"{ "dependencies": { "next": "16.4.5" } }"#;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn a_committed_cache_gitignore_link_is_replaced_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "keep me\n").unwrap();
    let dir = project(&[("package.json", PACKAGE), ("app/actions.ts", FIXABLE)]);
    std::fs::create_dir_all(dir.path().join(".seam-cache")).unwrap();
    symlink(&victim, dir.path().join(".seam-cache/.gitignore")).unwrap();
    let run = seam(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(&victim), "keep me\n");
}

#[test]
fn a_cache_folder_that_is_a_link_is_neither_read_nor_written() {
    let outside = tempfile::tempdir().unwrap();
    let dir = project(&[("package.json", PACKAGE), ("app/actions.ts", FIXABLE)]);
    symlink(outside.path(), dir.path().join(".seam-cache")).unwrap();
    let run = seam(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("is a symbolic link"), "{}", run.stderr);
    let written: Vec<_> = std::fs::read_dir(outside.path()).unwrap().collect();
    assert!(written.is_empty(), "wrote {written:?} through the link");
}

#[test]
fn fix_never_writes_through_a_link_that_leaves_the_project() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("actions.ts"), FIXABLE).unwrap();
    let dir = project(&[
        ("package.json", PACKAGE),
        (
            "app/page.tsx",
            "export default function P() { return null }\n",
        ),
    ]);
    // A folder link and a file link, both leading out.
    symlink(outside.path(), dir.path().join("lib")).unwrap();
    symlink(
        outside.path().join("actions.ts"),
        dir.path().join("app/actions.ts"),
    )
    .unwrap();
    let walked = seam(dir.path(), &["check", "--fix"]);
    assert_eq!(
        read(&outside.path().join("actions.ts")),
        FIXABLE,
        "{}",
        walked.stderr
    );
    // Named on the command line, the file link is checked, and the write refused: an error.
    let named = seam(dir.path(), &["check", "--fix", "app/actions.ts"]);
    assert_eq!(read(&outside.path().join("actions.ts")), FIXABLE);
    assert_eq!(named.code, 2, "{}\n{}", named.stdout, named.stderr);
    assert!(
        named.stderr.contains("outside the project"),
        "{}",
        named.stderr
    );
    assert!(!named.stderr.contains("applied"), "{}", named.stderr);
    assert!(
        named.stdout.contains("revalidate-path-overuse"),
        "the finding is still reported: {}",
        named.stdout
    );
}

#[test]
fn fix_keeps_links_inside_the_project_and_hard_links() {
    let dir = project(&[
        ("package.json", PACKAGE),
        ("app/real.ts", FIXABLE),
        ("lib/shared.ts", FIXABLE),
    ]);
    symlink("real.ts", dir.path().join("app/actions.ts")).unwrap();
    std::fs::hard_link(
        dir.path().join("lib/shared.ts"),
        dir.path().join("lib/alias.ts"),
    )
    .unwrap();
    let run = seam(dir.path(), &["check", "--fix"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let link = dir.path().join("app/actions.ts");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(read(&dir.path().join("app/real.ts")).contains("'/posts/[id]', 'page'"));
    for name in ["lib/shared.ts", "lib/alias.ts"] {
        assert!(read(&dir.path().join(name)).contains("'page'"), "{name}");
    }
    use std::os::unix::fs::MetadataExt;
    assert_eq!(
        std::fs::metadata(dir.path().join("lib/alias.ts"))
            .unwrap()
            .nlink(),
        2
    );
}

#[test]
fn the_walk_does_not_follow_a_link_to_the_root_of_the_machine() {
    let dir = project(&[("package.json", PACKAGE), ("app/actions.ts", FIXABLE)]);
    symlink("/", dir.path().join("everything")).unwrap();
    let started = std::time::Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_seam"))
        .args(["check", "--format", "json", "--no-cache"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        json["summary"]["files"],
        1,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(started.elapsed().as_secs() < 30);
}

/// Runs seam with a deadline: a hang is a failure, not a stuck test.
fn check_within(dir: &Path, args: &[&str], seconds: u64) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_seam"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let output = child.wait_with_output().unwrap();
            return (
                status.code().unwrap_or(-1),
                String::from_utf8_lossy(&output.stdout).into_owned(),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            );
        }
        if started.elapsed().as_secs() > seconds {
            let _ = child.kill();
            panic!("seam {args:?} did not finish within {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn manifests_that_are_fifos_or_endless_are_not_read() {
    let dir = project(&[("app/actions.ts", FIXABLE)]);
    let made = Command::new("mkfifo")
        .arg(dir.path().join("package.json"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here
    }
    symlink("/dev/zero", dir.path().join("app/package.json")).unwrap();
    symlink("/dev/zero", dir.path().join("package-lock.json")).unwrap();
    symlink("/dev/zero", dir.path().join("tsconfig.json")).unwrap();
    let (code, stdout, stderr) = check_within(dir.path(), &["--no-cache", "--format", "json"], 60);
    assert!(code == 0 || code == 1, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("revalidate-path-overuse"),
        "{stdout}\n{stderr}"
    );
}

#[test]
fn deeply_nested_configs_are_refused_not_a_crash() {
    let deep = "[".repeat(20_000) + &"]".repeat(20_000);
    let dir = project(&[
        (
            "package.json",
            &format!("{{ \"x\": {deep}, \"dependencies\": {{ \"next\": \"16.4.5\" }} }}"),
        ),
        (
            "tsconfig.json",
            &format!("{{ \"compilerOptions\": {{ \"x\": {deep} }} }}"),
        ),
        (
            "next.config.js",
            &format!(
                "module.exports = {}1{}\n",
                "(".repeat(5_000),
                ")".repeat(5_000)
            ),
        ),
        ("app/actions.ts", FIXABLE),
    ]);
    let (code, stdout, stderr) = check_within(dir.path(), &["--no-cache", "--format", "json"], 60);
    assert!(code == 0 || code == 1, "exit {code}\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("revalidate-path-overuse"),
        "{stdout}\n{stderr}"
    );
    // A broken seam.json is exit 2 with a message, as any bad config is.
    std::fs::write(
        dir.path().join("seam.json"),
        format!("{{ \"rules\": {deep} }}"),
    )
    .unwrap();
    let (code, _, stderr) = check_within(dir.path(), &["--no-cache"], 60);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("nested deeper"), "{stderr}");
}

#[test]
fn odd_names_and_leftovers() {
    let dir = project(&[("package.json", PACKAGE), ("app/a\\b.ts", FIXABLE)]);
    // A backslash is part of a name on Unix: shown as it is.
    let run = seam(dir.path(), &["check", "--format", "json"]);
    let json = run.json();
    assert_eq!(
        json["diagnostics"][0]["file"], "app/a\\b.ts",
        "{}",
        run.stdout
    );
    // A FIFO named on the command line is named in a warning, not silently counted as nothing.
    let made = Command::new("mkfifo")
        .arg(dir.path().join("pipe.ts"))
        .status();
    if made.is_ok_and(|s| s.success()) {
        let (code, _, stderr) = check_within(dir.path(), &["pipe.ts", "--no-cache"], 60);
        assert!(
            stderr.contains("pipe.ts: not a regular file or a folder"),
            "{code} {stderr}"
        );
    }
    // An interrupted --fix left a temporary file: the next run that fixes there removes it.
    let leftover = dir.path().join("app/.seam-fix-a1b2c3.tmp");
    let file = std::fs::File::create(&leftover).unwrap();
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
    drop(file);
    let fixed = seam(dir.path(), &["check", "--fix"]);
    assert!(!leftover.exists(), "{}", fixed.stderr);
    assert!(read(&dir.path().join("app/a\\b.ts")).contains("'page'"));
}

#[test]
fn ignore_files_that_are_fifos_or_endless_do_not_stop_the_walk() {
    let dir = project(&[
        ("package.json", PACKAGE),
        ("app/actions.ts", FIXABLE),
        ("lib/actions.ts", FIXABLE),
    ]);
    let made = Command::new("mkfifo")
        .arg(dir.path().join("lib/.gitignore"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here
    }
    // Below the root: the folder is skipped, with a warning.
    let (code, stdout, stderr) = check_within(dir.path(), &["--no-cache", "--format", "json"], 60);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("app/actions.ts") && !stdout.contains("lib/actions.ts"),
        "{stdout}"
    );
    assert!(
        stderr.contains("lib/.gitignore: not a regular file"),
        "{stderr}"
    );
    // At the root: ignore files are not read in this walk, and everything is checked.
    symlink("/dev/zero", dir.path().join(".ignore")).unwrap();
    std::fs::remove_file(dir.path().join("lib/.gitignore")).unwrap();
    let (code, stdout, stderr) = check_within(dir.path(), &["--no-cache", "--format", "json"], 60);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("lib/actions.ts"), "{stdout}");
    assert!(stderr.contains(".ignore: not a regular file"), "{stderr}");
}

/// A full disk, simulated: with a file-size limit of 0 every write fails (EFBIG, SIGXFSZ
/// ignored), as it fails with ENOSPC on a full disk. The fix must be reported as not written,
/// the run must end with exit code 2, and the file must keep its text.
#[test]
fn fixes_that_cannot_be_written_are_errors_not_successes() {
    let dir = project(&[("package.json", PACKAGE), ("app/actions.ts", FIXABLE)]);
    let output = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" check --fix --no-cache")
        .arg(env!("CARGO_BIN_EXE_seam"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stderr.contains("cannot write fixes"), "{stderr}");
    assert!(!stdout.contains("applied"), "{stdout}");
    assert!(!stdout.contains("No problems found"), "{stdout}");
    assert_eq!(read(&dir.path().join("app/actions.ts")), FIXABLE);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("app"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .filter(|name| name != "actions.ts")
        .collect();
    assert!(leftovers.is_empty(), "left {leftovers:?} behind");
}

/// A report that cannot be written (stdout on a full disk) is exit code 2 with a message, not a
/// panic and not a silent success; a reader that stops early (`| head`) is no trouble.
#[test]
fn a_report_that_cannot_be_written_is_an_error() {
    let dir = project(&[("package.json", PACKAGE), ("app/actions.ts", FIXABLE)]);
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_seam"))
        .args(["check", "--no-cache"])
        .current_dir(dir.path())
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write the output"), "{stderr}");

    let mut reader = Command::new(env!("CARGO_BIN_EXE_seam"))
        .args(["check", "--no-cache"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(reader.stdout.take());
    let output = reader.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
