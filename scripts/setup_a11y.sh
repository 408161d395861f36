#!/usr/bin/env bash
# Accessibility checks of the try-it page (tests/inference/test_web_page.py): axe-core from npm, at the exact
# version pinned in tests/inference/a11y/package-lock.json; the browser tests inject its axe.min.js into the page.
# Safe to run again: it installs only what is missing. Node and Chromium come from scripts/setup_render.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
A11Y=tests/inference/a11y

command -v npm >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
# npm ci from the committed lock file; skipped when node_modules already matches it. axe-core has no scripts.
stamp="$A11Y/node_modules/.griller-lock.sha256"
want="$(sha256sum "$A11Y/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  (cd "$A11Y" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi
echo "a11y set-up done: axe-core $(node -p "require('./$A11Y/node_modules/axe-core/package.json').version")"
