#!/usr/bin/env bash
# The server benchmarks of issue 4 §9, each a ratio against a baseline measured
# in the same run on the same machine:
#
#   sessions-read       GET /api/v1/sessions?limit=50      vs GET /healthz   (target >= 0.5)
#   needs-read          GET /api/v1/people/{id}/needs      vs GET /healthz   (target >= 0.5)
#   booking-sqlite      POST /api/v1/sessions/{id}/bookings vs raw single-row
#                       INSERT transactions (WAL, synchronous=FULL) on the same
#                       file system, same concurrency      (target >= 0.7)
#   booking-postgresql  the same bookings on PostgreSQL 15 vs `pgbench -N` on
#                       the same server, same client count (target >= 0.5)
#
# Reads also report p50 and p99 (target p99 <= 10 x p50). Each case ends with a
# line `server-bench: NAME ratio=X`.
#
#   bench/server/run.sh [--seconds 15] [--read-connections 16]
#                       [--write-connections 8] [--threads 2] [--people 4000]
#                       [--build-dir build/bench-release] [--no-build]
#                       [--no-postgresql] [--keep]
#
# Needs wrk, curl, jq and (for PostgreSQL) postgresql-15 with pgbench; builds
# `trellis` and `sqlite_insert_baseline` in the build folder unless --no-build.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

seconds=15
read_connections=16
write_connections=8
threads=2
people=4000
build_dir=build/bench-release
build=1
postgresql=1
keep=0
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --read-connections) read_connections=$2; shift 2 ;;
    --write-connections) write_connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --people) people=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-postgresql) postgresql=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done

for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 2; }
done
pg_bin=/usr/lib/postgresql/15/bin
if ((postgresql)) && [[ ! -x $pg_bin/pgbench ]]; then
  echo "run.sh: no $pg_bin/pgbench (install postgresql-15); or --no-postgresql" >&2
  exit 2
fi

if ((build)); then
  echo "== Building trellis and sqlite_insert_baseline in $build_dir"
  CCACHE_NOHASHDIR=1 cmake --preset release -B "$build_dir" -DTRELLIS_BENCH=ON >/dev/null
  CCACHE_NOHASHDIR=1 cmake --build "$build_dir" --target trellis sqlite_insert_baseline
fi
trellis=$root/$build_dir/trellis
baseline=$root/$build_dir/bench/sqlite_insert_baseline
[[ $build_dir == /* ]] && trellis=$build_dir/trellis && baseline=$build_dir/bench/sqlite_insert_baseline

# The databases live beside the build, on the disk the server would use.
work=$(mktemp -d "$root/$build_dir/server-bench.XXXXXX")
server_pid=""
pg_dir=""
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [[ -n $pg_dir ]]; then "$root/scripts/test-postgresql.sh" stop "$pg_dir"; fi
  if ((keep)); then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "== Machine"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), nproc $(nproc)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)," \
  "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+changes')"
echo "file system of $work: $(df -T "$work" | awk 'NR==2 {print $2, $1}')"
echo "settings: ${seconds}s per run, reads -c $read_connections, writes -c $write_connections, wrk -t $threads, $people people"

# --- Helpers -----------------------------------------------------------------

# make_area DB_URL: a demo area with a coordinator and an API token; sets $token.
make_area() {
  local db=$1
  "$trellis" --db "$db" db init --framework newcastle-2009 >/dev/null
  "$trellis" --db "$db" demo --people "$people" >/dev/null
  "$trellis" --db "$db" user add --email bench@example.org --role coordinator \
    --no-password >/dev/null
  token=$("$trellis" --db "$db" token create --user bench@example.org \
    --name "server benchmark" | grep -o 'trellis_T[^ ]*' | tail -1)
  [[ -n $token ]] || { echo "run.sh: no token from 'trellis token create'" >&2; exit 1; }
}

# start_server DB_URL: serves it on a free port; sets $server_pid and $base.
start_server() {
  local db=$1 log=$work/server.log
  "$trellis" --db "$db" serve --listen 127.0.0.1:0 >"$log" 2>&1 &
  server_pid=$!
  local address=""
  for _ in $(seq 1 100); do
    address=$(grep -o 'at http://[0-9.]*:[0-9]*' "$log" | head -1 | cut -c4-) || true
    [[ -n $address ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n $address ]] || { echo "run.sh: the server did not start" >&2; cat "$log" >&2; exit 1; }
  base=$address
  curl -fsS "$base/healthz" >/dev/null
}

stop_server() {
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

api() {  # api METHOD PATH [BODY]
  curl -fsS -X "$1" "$base$2" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' ${3:+--data "$3"}
}

# make_sessions: a venue, a room of 10,000 seats and 60 open sessions of
# Integrated Induction stage 1 (no pre-requisites, five audiences), so a read
# of 50 is a full page and every booking finds a place. Writes the session ids
# to $work/sessions and the people who may book them to $work/people.
make_sessions() {
  api POST /api/v1/venues '{"id": "bench-centre", "name": "Benchmark centre"}' >/dev/null
  api POST /api/v1/venues/bench-centre/rooms \
    '{"id": "bench-hall", "name": "Hall", "seats": 10000}' >/dev/null
  : >"$work/sessions"
  local i day
  for i in $(seq 1 60); do
    day=$(printf '2031-%02d-%02d' $(((i - 1) / 28 + 1)) $(((i - 1) % 28 + 1)))
    api POST /api/v1/sessions "{\"course\": \"ii-stage-1\", \"room\": \"bench-hall\",
      \"status\": \"open\", \"seats\": 10000,
      \"parts\": [{\"starts\": \"${day}T09:30\", \"ends\": \"${day}T12:30\"},
                  {\"starts\": \"${day}T13:30\", \"ends\": \"${day}T16:00\"}]}" |
      jq -r .id >>"$work/sessions"
  done
  # Who may book: anyone in one of the course's audiences (their own; a role's
  # audiences would add more, but these are enough).
  : >"$work/people"
  : >"$work/all-people"
  local offset=0 page
  while :; do
    page=$(api GET "/api/v1/people?limit=1000&offset=$offset")
    jq -r '.items[].id' <<<"$page" >>"$work/all-people"
    jq -r '.items[] | select(any(.audiences[];
      . == "practitioners" or . == "operational-managers" or
      . == "strategic-managers" or . == "admin-staff" or . == "volunteers")) | .id' \
      <<<"$page" >>"$work/people"
    [[ $(jq -r .next_offset <<<"$page") == null ]] && break
    offset=$(jq -r .next_offset <<<"$page")
  done
  echo "sessions: $(wc -l <"$work/sessions"); people who may book them: $(wc -l <"$work/people")"
}

# wrk_run CONNECTIONS ARGS...: runs wrk with load.lua, prints its result line
# and sets rps, p50, p99, non2xx.
wrk_run() {
  local connections=$1
  shift
  local out
  out=$(wrk -t "$threads" -c "$connections" -d "${seconds}s" --timeout 10s \
    -s "$root/bench/server/load.lua" "$base" -- "$@")
  local line
  line=$(grep '^wrk-result:' <<<"$out") || { echo "$out" >&2; exit 1; }
  rps=$(sed 's/.* rps=\([^ ]*\).*/\1/' <<<"$line")
  p50=$(sed 's/.* p50_ms=\([^ ]*\).*/\1/' <<<"$line")
  p99=$(sed 's/.* p99_ms=\([^ ]*\).*/\1/' <<<"$line")
  non2xx=$(sed 's/.* non2xx=\([^ ]*\).*/\1/' <<<"$line")
  local errors
  errors=$(sed 's/.* socket_errors=\([^ ]*\).*/\1/' <<<"$line")
  echo "  $line"
  if ((non2xx > 0 || errors > 0)); then
    echo "  WARNING: $non2xx answers were not 2xx and $errors socket errors: the figure is not clean"
  fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
meets() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t ? "meets" : "MISSES") }'; }
tail_ok() { awk -v a="$1" -v b="$2" 'BEGIN { print (b <= 10 * a ? "meets" : "MISSES") }'; }

read_case() {  # read_case NAME ARGS...
  local name=$1
  shift
  echo
  echo "== $name: $1${3:+ over $(wc -l <"$3") people}"
  wrk_run "$read_connections" "$@"
  local r
  r=$(ratio "$rps" "$hello_rps")
  echo "$name: rps=$rps p50_ms=$p50 p99_ms=$p99 (p99/p50 $(ratio "$p99" "$p50"), target <= 10: $(tail_ok "$p50" "$p99"))"
  echo "  against /healthz rps=$hello_rps: ratio $r (target >= 0.5: $(meets "$r" 0.5))"
  echo "server-bench: $name ratio=$r"
}

# --- SQLite ------------------------------------------------------------------

echo
echo "== SQLite: demo area of $people people in $work/trellis.db"
db="sqlite:$work/trellis.db"
make_area "$db"
start_server "$db"
make_sessions

echo
echo "== hello: GET /healthz (the baseline of the reads)"
wrk_run "$read_connections" healthz
hello_rps=$rps
echo "hello: rps=$rps p50_ms=$p50 p99_ms=$p99"

read_case sessions-read sessions "$token"
read_case needs-read needs "$token" "$work/all-people"

echo
echo "== booking-sqlite: POST /api/v1/sessions/{id}/bookings, -c $write_connections"
wrk_run "$write_connections" book "$token" "$work/people" "$work/sessions" "$threads"
book_rps=$rps book_p50=$p50 book_p99=$p99
stop_server
booked=$(sqlite3 "$work/trellis.db" "SELECT COUNT(*) FROM bookings" 2>/dev/null || echo '?')
echo "  bookings in the database afterwards: $booked"
echo "  baseline: raw INSERT transactions, $write_connections threads, same file system"
base_line=$("$baseline" --db "$work/baseline.db" --threads "$write_connections" --seconds "$seconds" | grep '^sqlite-insert:')
echo "  $base_line"
insert_tps=$(sed 's/.*tps=\([^ ]*\).*/\1/' <<<"$base_line")
r=$(ratio "$book_rps" "$insert_tps")
echo "booking-sqlite: rps=$book_rps p50_ms=$book_p50 p99_ms=$book_p99 against INSERT tps=$insert_tps: ratio $r (target >= 0.7: $(meets "$r" 0.7))"
echo "server-bench: booking-sqlite ratio=$r"

# --- PostgreSQL --------------------------------------------------------------

if ((postgresql)); then
  echo
  echo "== PostgreSQL 15: a throwaway server (scripts/test-postgresql.sh)"
  pg_dir=$(mktemp -d /tmp/trellis-bench-pg.XXXXXX)
  admin=$("$root/scripts/test-postgresql.sh" start "$pg_dir")
  "$pg_bin/psql" -q "$admin" -c 'CREATE DATABASE trellis_bench' -c 'CREATE DATABASE pgbench'
  db="postgresql://trellis@/trellis_bench?host=$pg_dir"
  make_area "$db"
  start_server "$db"
  make_sessions
  echo
  echo "== booking-postgresql: POST /api/v1/sessions/{id}/bookings, -c $write_connections"
  wrk_run "$write_connections" book "$token" "$work/people" "$work/sessions" "$threads"
  book_rps=$rps book_p50=$p50 book_p99=$p99
  stop_server
  echo "  baseline: pgbench -N -c $write_connections -j $threads -T $seconds on the same server"
  "$pg_bin/pgbench" -q -i -s 1 -h "$pg_dir" -U trellis pgbench >/dev/null 2>&1
  pgbench_out=$("$pg_bin/pgbench" -N -c "$write_connections" -j "$threads" -T "$seconds" \
    -h "$pg_dir" -U trellis pgbench 2>&1)
  pg_tps=$(grep -o 'tps = [0-9.]*' <<<"$pgbench_out" | tail -1 | cut -d' ' -f3)
  echo "  pgbench -N: tps=$pg_tps ($(grep -m1 'latency average' <<<"$pgbench_out"))"
  echo "  (the throwaway server runs with fsync=off, for trellis and pgbench alike)"
  r=$(ratio "$book_rps" "$pg_tps")
  echo "booking-postgresql: rps=$book_rps p50_ms=$book_p50 p99_ms=$book_p99 against pgbench -N tps=$pg_tps: ratio $r (target >= 0.5: $(meets "$r" 0.5))"
  echo "server-bench: booking-postgresql ratio=$r"
fi
