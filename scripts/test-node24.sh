#!/usr/bin/env bash
# Runs the whole test suite on Node 24 in a scratch copy of the working tree.
# A copy, because better-sqlite3's native addon is built for one Node ABI at a
# time: the project's own node_modules stay built for the machine's Node 20.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
node24=$(npx -y node@24 -p process.execPath)
bindir=$(dirname "$node24")
# The node@24 package ships Node's headers; node-gyp builds against them (no download).
nodedir=$(find "$(dirname "$bindir")/node_modules" -maxdepth 1 -type d -name 'node-linux-*' | head -n 1)
work=$(mktemp -d /tmp/tessera-node24.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -C "$root" --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./.tessera \
  --exclude=./test-artifacts -cf - . | tar -C "$work" -xf -
cd "$work"
export PATH="$bindir:$PATH"
echo "== Node $(node --version) in $work"
npm_config_nodedir="$nodedir" bash scripts/install-deps.sh
npx vitest run "$@"
