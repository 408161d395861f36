#!/usr/bin/env bash
# Real renderings of resumes (ml/preprocessing/render.py): the pinned JSON Resume themes from npm, and headless
# Chromium to print them to PDF. Safe to run again: it installs only what is missing.
#   bash scripts/setup_render.sh                  # themes + chromium
#   WITH_OFFICE=1 bash scripts/setup_render.sh    # + LibreOffice and pdflatex, for bench/pdf_extractors.py
set -euo pipefail
cd "$(dirname "$0")/.."
THEMES=ml/preprocessing/render_themes

apt_install() {
  if [ "${APT_UPDATED:-0}" != 1 ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
command -v chromium >/dev/null || apt_install chromium fonts-liberation fonts-dejavu-core
if [ "${WITH_OFFICE:-0}" = 1 ]; then
  command -v soffice >/dev/null || apt_install libreoffice-writer-nogui
  command -v pdflatex >/dev/null || apt_install texlive-latex-base texlive-latex-recommended
fi

# npm ci from the committed lock file; skipped when node_modules already matches it.
# --ignore-scripts: the themes need none (core-js only prints an advertisement).
stamp="$THEMES/node_modules/.griller-lock.sha256"
want="$(sha256sum "$THEMES/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  (cd "$THEMES" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi
echo "render set-up done: node $(node --version), $(chromium --version 2>/dev/null | head -1), themes in $THEMES"
