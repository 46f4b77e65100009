# Shared by the reliability scripts (load.sh, slow-clients.sh, db-faults.sh,
# shutdown.sh): a private PostgreSQL and a cadrestats built from this
# checkout, both on this machine only (a Unix socket, 127.0.0.1 on a free
# port), removed when the script ends. Source it; do not run it.
#
# Every script bounds its own running time (see bounded) and stops what it
# started, by process id, whatever happens.

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$PATH:/usr/local/go/bin"

# bounded SECONDS "$@": re-run the calling script under timeout(1), once.
bounded() {
  local budget=$1; shift
  if [ -z "${CADRESTATS_SCRIPT_BOUNDED:-}" ]; then
    export CADRESTATS_SCRIPT_BOUNDED=1
    exec timeout -k 10 "$budget" "$0" "$@"
  fi
}

PIDS=()   # background processes to stop at exit (besides PostgreSQL)
PGPID=""  # the postmaster
APPPID=""
WORK=""

# setup: the scripts' working directory (tmpfs when there is one), removed
# at exit with everything started. Call it after bounded.
setup() {
  WORK=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )/cadrestats-script.XXXXXX")
  chmod 755 "$WORK"
  DSN="host=$WORK user=postgres dbname=postgres sslmode=disable"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
}

cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  [ -n "$APPPID" ] && kill -TERM "$APPPID" 2>/dev/null && wait "$APPPID" 2>/dev/null
  if [ -n "$PGPID" ]; then
    pg_signal_all CONT 2>/dev/null
    kill -INT "$PGPID" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$PGPID" 2>/dev/null || break; sleep 0.1; done
  fi
  [ -n "$WORK" ] && rm -rf "$WORK"
}

PGBIN=$(pg_config --bindir 2>/dev/null || true)
if [ ! -x "$PGBIN/postgres" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n | tail -1)
fi
[ -x "$PGBIN/postgres" ] || { echo "no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }

# as_pg: PostgreSQL refuses to run as root; run it as the postgres user then.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_pg: a fresh cluster in $WORK/pgdata (first call) or the same again.
start_pg() {
  if [ ! -d "$WORK/pgdata" ]; then
    [ "$(id -u)" = 0 ] && chown postgres "$WORK"
    as_pg "$PGBIN/initdb" -D "$WORK/pgdata" -U postgres -A trust -E UTF8 --no-locale --no-sync >/dev/null
  fi
  # pg_ctl detaches the server: its parent is then init, not a runuser
  # that would stop with it when it is frozen, and never reap it.
  as_pg "$PGBIN/pg_ctl" -D "$WORK/pgdata" -l "$WORK/postgres.log" -w -t 30 start \
    -o "-k $WORK -h '' -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null ||
    { echo "PostgreSQL did not start:" >&2; tail -5 "$WORK/postgres.log" >&2; exit 1; }
  PGPID=$(head -1 "$WORK/pgdata/postmaster.pid")
  for _ in $(seq 100); do psql_ "SELECT 1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "PostgreSQL did not start:" >&2; tail -5 "$WORK/postgres.log" >&2; exit 1
}

stop_pg() {
  kill -INT "$PGPID"
  while kill -0 "$PGPID" 2>/dev/null; do sleep 0.05; done
}

# pg_signal_all SIG: the postmaster and every process it started.
pg_signal_all() {
  kill -"$1" "$PGPID"
  for c in $(pgrep -P "$PGPID"); do kill -"$1" "$c" 2>/dev/null || true; done
}

psql_() { "$PGBIN/psql" -X -q -h "$WORK" -U postgres -d postgres -Atc "$1"; }

build_app() {
  (cd "$ROOT" && go build -o "$WORK/cadrestats" ./cmd/cadrestats)
}

# start_app [VAR=value…]: serve on a free port; sets BASE (http://127.0.0.1:port).
start_app() {
  env "$@" DATABASE_URL="$DSN" CADRESTATS_ADDR=127.0.0.1:0 CADRESTATS_LOG_FORMAT=json \
    "$WORK/cadrestats" serve >>"$WORK/app.log" 2>&1 &
  APPPID=$!
  for _ in $(seq 300); do
    BASE=$(grep -o '"msg":"serving","addr":"[^"]*"' "$WORK/app.log" | tail -1 | sed 's/.*"addr":"//; s/"$//' || true)
    [ -n "$BASE" ] && return 0
    kill -0 "$APPPID" 2>/dev/null || break
    sleep 0.1
  done
  echo "cadrestats did not start:" >&2; tail -5 "$WORK/app.log" >&2; exit 1
}

# a_locality: the slug of a locality that has figures.
a_locality() {
  curl -fsS "$BASE/api/figures?limit=1" | grep -o '"locality_slug": *"[^"]*"' | head -1 | sed 's/.*"\([^"]*\)"$/\1/'
}

# inflate_export BYTES: copies of the figures, under a locality of their own
# that no page shows unless asked, until /export.csv is about BYTES long;
# the pages measured keep their usual size. Names only the columns id,
# subject, submission_key and locality_id.
inflate_export() {
  local want=$1 have copies
  have=$(curl -fsS "$BASE/export.csv" | wc -c)
  copies=$(( want / have + 1 ))
  # Every stored column but the generated ones, which an INSERT may not name.
  local cols rcols
  cols=$(psql_ "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
    FROM information_schema.columns WHERE table_name = 'figures' AND is_generated = 'NEVER'")
  rcols=$(psql_ "SELECT string_agg('r.' || quote_ident(column_name), ', ' ORDER BY ordinal_position)
    FROM information_schema.columns WHERE table_name = 'figures' AND is_generated = 'NEVER'")
  psql_ "INSERT INTO localities (slug, name, prefix, level) VALUES ('ban-sao-tai-thu', 'Bản sao tải thử', 'tỉnh', 'province')
         ON CONFLICT (slug) DO NOTHING;
    WITH m AS (SELECT max(id) AS top FROM figures), l AS (SELECT id FROM localities WHERE slug = 'ban-sao-tai-thu')
    INSERT INTO figures ($cols)
    SELECT $rcols FROM figures f, m, l, generate_series(1, $copies) g,
      LATERAL jsonb_populate_record(f, jsonb_build_object('id', f.id + g * m.top, 'locality_id', l.id,
      'subject', f.subject || ' · bản sao ' || g, 'submission_key', NULL)) r;
    SELECT setval(pg_get_serial_sequence('figures', 'id'), (SELECT max(id) FROM figures));" >/dev/null
  echo "export: $(curl -fsS "$BASE/export.csv" | wc -c) bytes ($copies copies of the figures, under a locality of their own)"
}

# wrk_run OUT SECONDS CONNS URL: wrk in the background, output in OUT;
# wrk_wait waits for those started.
WRK=()
wrk_run() {
  wrk -t1 -c"$3" -d"$2"s --timeout 10s --latency "$4" >"$1" 2>&1 &
  WRK+=($!)
  PIDS+=($!)
}
wrk_wait() {
  wait "${WRK[@]}" || true
  WRK=()
}

# wrk_field FILE requests|rps|p50|p99|errors: one figure of a wrk report;
# latencies in milliseconds, errors = socket errors + non-2xx/3xx answers.
wrk_field() {
  local f=$1
  case $2 in
    requests) awk '/^ *[0-9]+ requests in/ { n = $1 } END { print n + 0 }' "$f" ;;
    rps) awk '/^Requests\/sec/ { r = $2 } END { print r + 0 }' "$f" ;;
    p50|p99) # no answer at all counts as forever
      local pct=${2#p}
      [ "$(wrk_field "$f" requests)" -gt 0 ] || { echo 999999; return; }
      awk -v p="$pct%" 'BEGIN { r = "999999" } $1 == p { v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
        m = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1;
        r = sprintf("%.1f", v * m) } END { print r }' "$f" ;;
    errors)
      awk '/Socket errors:/ { gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i }
           /Non-2xx or 3xx responses:/ { n += $NF } END { print n + 0 }' "$f" ;;
  esac
}

# verdict NAME VALUE OP TARGET: prints one line and remembers a miss.
FAILED=0
verdict() {
  local ok
  ok=$(awk -v v="$2" -v t="$4" -v op="$3" 'BEGIN { print (op == "<" ? v < t : op == "<=" ? v <= t : v == t) ? "ok" : "MISSED" }')
  printf '  %-52s %12s   target %s %s   %s\n' "$1" "$2" "$3" "$4" "$ok"
  [ "$ok" = ok ] || FAILED=1
}

machine() {
  echo "machine: $(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"), $(go version | awk '{print $3}'), PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# log_count PATTERN: lines of the app log matching an extended regexp.
log_count() { grep -cE "$1" "$WORK/app.log" || true; }
