#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests: initialised in a temporary
# folder, listening on a Unix socket in that folder only, and stopped and
# removed by `stop`. Run as root it runs the server as the `postgres` user,
# since PostgreSQL refuses to run as root.
#
#   scripts/test-postgresql.sh start DIR   prints the admin URL for the tests
#   scripts/test-postgresql.sh stop DIR
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a folder}
bin=/usr/lib/postgresql/15/bin
as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $action in
  start)
    mkdir -p "$dir"
    [[ $(id -u) == 0 ]] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U trellis --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-k $dir -c listen_addresses='' -c fsync=off -c max_connections=300" \
      start >/dev/null
    echo "postgresql://trellis@/postgres?host=$dir"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
