#!/usr/bin/env bash
# Fails if any JavaScript under portal/static is not ES5 (Chrome 38 / Firefox 33 must run it).
# Usage: bash tools/es5check.sh   (from anywhere; it works from the repository root)
#
# --checkFeatures also rejects ES2015+ built-ins (Map, Set, Object.assign, Array.prototype.includes, ...),
# not only syntax. Promise is ignored on purpose: the vendored htmx 1.9.12 refers to it only behind
# `typeof Promise!=="undefined"` (htmx.ajax's return value and the View Transitions path), and
# Chrome 32+ / Firefox 29+ have a native Promise anyway, so it is not an ES5 problem for our targets.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -x tools/htmx/node_modules/.bin/es-check ]]; then
    (cd tools/htmx && npm ci --silent --no-audit --no-fund) || {
        echo "es5check.sh: npm ci in tools/htmx failed" >&2
        exit 2
    }
fi

npx --prefix tools/htmx es-check es5 'portal/static/**/*.js' --checkFeatures --ignore=Promise
exit $?
