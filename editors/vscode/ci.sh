#!/usr/bin/env bash
# Builds, tests and packages the VS Code extension (editors/vscode/seam.vsix).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

npm ci
npm run build
npm test
# No public repository yet: --allow-missing-repository keeps vsce from asking about it.
npx @vscode/vsce package --no-dependencies --allow-missing-repository -o seam.vsix
