#!/usr/bin/env bash
# Installs exactly the locked dependencies from scratch.
# `npm ci` first. npm 11 leaves platform-only optional packages of other systems
# (@biomejs/cli-*, @rollup/rollup-*) out of the lockfile and `npm ci` then
# refuses that same lockfile ("Missing: … from lock file", npm/cli#7961, #8320);
# in that case only, install the locked versions with `npm install` from an
# empty node_modules and check that the lockfile did not move.
set -uo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if npm ci --no-audit --no-fund "$@" 2> >(tee "$log" >&2); then exit 0; fi
if ! grep -q 'from lock file' "$log"; then exit 1; fi
echo "npm ci refused the lockfile over other platforms' optional packages (npm/cli#7961); installing the locked versions with npm install"
before=$(sha256sum package-lock.json)
rm -rf node_modules
npm install --no-audit --no-fund "$@" || exit 1
if [ "$before" != "$(sha256sum package-lock.json)" ]; then
  echo "package-lock.json changed during install: the lockfile is out of date; run npm install and commit it" >&2
  exit 1
fi
