#!/usr/bin/env bash
# Runs a command that talks to the npm registry (npm ci, npm install, npm pack,
# npx -y node@N) and runs it again, up to 3 times in all, when it failed on the
# network, not on the project.
#
#   bash scripts/retry-on-network-error.sh npm install --no-audit --no-fund
#
# Why: CI failed once, after 15 minutes of green checks, because one request of
# `npm install` hit "EIDLETIMEOUT … Idle timeout reached for host
# registry.npmjs.org" while reading a response body. npm's own retries
# (fetch-retries) cover a request that fails, not a body that stalls midway.
# Any other failure (a missing package, a compile error) is reported at once,
# with the command's exit code. RETRY_DELAY_SECONDS (default 10) sets the wait
# before the second try (twice that before the third).
set -uo pipefail
attempts=3
# npm's codes for a request that never completed, and the registry's 5xx/429.
network_error='E(IDLETIMEOUT|TIMEDOUT|SOCKETTIMEOUT|CONNRESET|CONNREFUSED|CONNABORTED|AI_AGAIN|NOTFOUND|PIPE|NETUNREACH|HOSTUNREACH)|Invalid response body|network (request|timeout)|code E(429|50[0-9])'
output=$(mktemp)
trap 'rm -f "$output"' EXIT
for attempt in $(seq 1 "$attempts"); do
  # The command's stdout still reaches the caller as it is; its stderr too, with a copy kept to tell why it failed.
  { "$@" 2>&1 1>&3 | tee "$output" >&2; } 3>&1
  code=${PIPESTATUS[0]}
  if [ "$code" -eq 0 ]; then exit 0; fi
  if [ "$attempt" -eq "$attempts" ] || ! grep -Eq "$network_error" "$output"; then exit "$code"; fi
  echo "retry-on-network-error: '$*' failed on the network (attempt $attempt of $attempts); trying again in $((attempt * ${RETRY_DELAY_SECONDS:-10})) s" >&2
  sleep $((attempt * ${RETRY_DELAY_SECONDS:-10}))
done
