#!/usr/bin/env python3
"""Fix safety on real apps: for each APP, on a copy, `seam check --fix --unsafe-fixes` must
leave every file that parsed parsing, leave nothing to fix, apply nothing on a second run, and
leave every file without a fix byte-identical. (tests/e2e/fixes.rs checks the same on the
fixture apps in CI; this is for apps fetched from elsewhere, which are never committed.)

    cargo build --release -p seam_cli
    tests/fix-safety/check.py /path/to/app ...      # --seam BIN to pick the binary
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = {".git", "node_modules", ".seam-cache", ".next"}


def seam(binary, cwd, *args):
    run = subprocess.run([binary, "check", "--no-cache", *args], cwd=cwd,
                         capture_output=True, text=True)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"seam exited {run.returncode}: {run.stderr[-2000:]}")
    return run


def findings(binary, cwd):
    return json.loads(seam(binary, cwd, "--format", "json").stdout)["diagnostics"]


def digests(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP]
        for name in filenames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


def applied(stderr):
    match = re.search(r"seam: applied (\d+) fix", stderr)
    return int(match.group(1)) if match else 0


def check(binary, app):
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "app")
        shutil.copytree(app, copy, symlinks=True, ignore=shutil.ignore_patterns(*SKIP))
        before = findings(binary, copy)
        with_fixes = {d["file"] for d in before if d.get("fix")}
        unparsable = {d["file"] for d in before if d["rule"] == "parse-error"}
        hashes = digests(copy)
        first = applied(seam(binary, copy, "--fix", "--unsafe-fixes", "--format", "concise").stderr)
        after = findings(binary, copy)
        broken = {d["file"] for d in after if d["rule"] == "parse-error"} - unparsable
        if broken:
            problems.append(f"no longer parse after fixing: {sorted(broken)}")
        left = sorted({d["file"] for d in after if d.get("fix")})
        if left:
            problems.append(f"still fixable after --fix: {left}")
        second = applied(seam(binary, copy, "--fix", "--unsafe-fixes", "--format", "concise").stderr)
        if second:
            problems.append(f"a second --fix applied {second} fixes")
        now = digests(copy)
        changed = {p for p in hashes if now.get(p) != hashes[p]}
        untouchable = sorted(changed - with_fixes)
        if untouchable:
            problems.append(f"changed without a fix: {untouchable}")
    print(f"{os.path.basename(os.path.normpath(app))}: {len(hashes)} files, {first} fixes in "
          f"{len(changed)} files: {'ok' if not problems else 'FAILED'}")
    for problem in problems:
        print(f"  {problem}")
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--seam", default=os.path.join(here, "../../target/release/seam"))
    parser.add_argument("apps", nargs="+")
    args = parser.parse_args()
    results = [check(args.seam, app) for app in args.apps]
    print(f"{sum(results)} of {len(results)} apps ok")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
