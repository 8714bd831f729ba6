#!/usr/bin/env bash
# Builds portal/static/vendor/htmx-1.9.12.es5.min.js: htmx 1.9.12 as published on npm is not ES5
# (it uses let/const), so Chrome 38 / Firefox 33 would throw a SyntaxError. We transpile it once
# with Babel (targets in babel.config.json) and vendor the result; see RECIPES.md section 2.
# Usage: bash tools/htmx/build.sh   (from anywhere)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

HTMX_VERSION=1.9.12
VENDOR_DIR=../../portal/static/vendor
OUT="$VENDOR_DIR/htmx-$HTMX_VERSION.es5.min.js"

if [[ -f package-lock.json ]]; then
    npm ci --no-audit --no-fund
else
    npm install --no-audit --no-fund
fi

installed=$(node -p 'require("./node_modules/htmx.org/package.json").version')
if [[ "$installed" != "$HTMX_VERSION" ]]; then
    echo "build.sh: expected htmx.org $HTMX_VERSION, found $installed" >&2
    exit 1
fi
licence=$(node -p 'require("./node_modules/htmx.org/package.json").license')

mkdir -p "$VENDOR_DIR"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

npx babel --config-file=./babel.config.json \
    node_modules/htmx.org/dist/htmx.min.js \
    -o "$tmp" --compact=true --no-comments

{
    printf '/* htmx %s (npm htmx.org@%s, dist/htmx.min.js) transpiled to ES5 by tools/htmx/build.sh; licence %s, see htmx.LICENSE */\n' \
        "$HTMX_VERSION" "$HTMX_VERSION" "$licence"
    cat "$tmp"
} > "$OUT"
cp node_modules/htmx.org/LICENSE "$VENDOR_DIR/htmx.LICENSE"

echo "build.sh: wrote $OUT ($(wc -c < "$OUT") bytes)"

# Fail the build if anything we serve is not ES5.
npx es-check es5 '../../portal/static/**/*.js'
