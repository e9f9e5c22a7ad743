#!/usr/bin/env bash
# Copies the theme's fonts from their npm packages (see package.json) into templates/static/fonts/.
# Run once after changing a font package; the copies are committed, so builds never need npm.
# Only the subsets the site uses are copied: Arabic (Noto Naskh Arabic, variable weight) and
# Latin (Source Serif 4 regular, bold, italic), woff2, each family with its OFL licence.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/@fontsource ] || npm ci --silent --no-audit --no-fund --ignore-scripts
target=templates/static/fonts
mkdir -p "$target"
naskh=node_modules/@fontsource-variable/noto-naskh-arabic
serif=node_modules/@fontsource/source-serif-4
cp "$naskh/files/noto-naskh-arabic-arabic-wght-normal.woff2" "$target/"
cp "$naskh/LICENSE" "$target/OFL-noto-naskh-arabic.txt"
for face in latin-400-normal latin-700-normal latin-400-italic; do
  cp "$serif/files/source-serif-4-$face.woff2" "$target/"
done
cp "$serif/LICENSE" "$target/OFL-source-serif-4.txt"
ls -l "$target"
