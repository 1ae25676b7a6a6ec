#!/usr/bin/env bash
# Installs exactly the locked dependencies from scratch. The lockfile holds every
# platform's optional packages (@biomejs/cli-*, @rollup/rollup-*), so `npm ci`
# accepts it as it is; regenerate it with `npm install` on npm ≥ 11 when
# dependencies change, and commit it.
set -euo pipefail
# A registry hiccup is retried, not reported as a failure of the project.
bash "$(dirname "$0")/retry-on-network-error.sh" npm ci --no-audit --no-fund "$@"
