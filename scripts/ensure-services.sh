#!/usr/bin/env bash
# Starts PostgreSQL, Redis and MariaDB when they are stopped (commands from shared/services.md);
# installs them from Debian's packages on a machine that lacks them.
set -uo pipefail

wait_for() { # name, check command
  for _ in $(seq 1 30); do eval "$2" >/dev/null 2>&1 && { echo "$1: up"; return 0; }; sleep 1; done
  echo "$1: did not come up" >&2; return 1
}

if ! command -v redis-server >/dev/null || ! command -v pg_ctlcluster >/dev/null || ! command -v mariadbd >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server postgresql mariadb-server >/dev/null
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
wait_for redis "redis-cli -h 127.0.0.1 -p 6379 ping"

if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
wait_for postgresql "pg_isready -h 127.0.0.1 -p 5432"

if ! mariadb-admin -h 127.0.0.1 -u root ping >/dev/null 2>&1; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi
wait_for mariadb "mariadb-admin -h 127.0.0.1 -u root ping"
exit 0
