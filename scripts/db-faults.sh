#!/usr/bin/env bash
# Database faults: PostgreSQL frozen (SIGSTOP to the server and all its
# processes, as a stalled disk or paused VM) for 8 s, then stopped for 8 s
# and started again, under four clients polling /, a locality page and
# /export.csv. Targets: every answer during an outage is 200 or 503 and
# comes within 2 s (no 500, no hang); the site serves again within 5 s of
# the database's return, by itself; each request is logged once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
OUTAGE=8
bounded 240 "$@"
setup

build_app
start_pg
start_app
SLUG=$(a_locality)
echo "cadrestats at $BASE"
machine
now_ms() { date +%s%3N; }

poll() { # N PATH: request PATH in a loop, one line per answer
  while :; do
    start=$(now_ms)
    out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 10 "$BASE$2" || echo "000 10")
    echo "$start $out" >>"$WORK/poll-$1"
    sleep 0.05
  done
}
i=0
for p in / "/localities/$SLUG" /export.csv /; do
  i=$((i + 1))
  poll $i "$p" &
  PIDS+=($!)
done
sleep 2

t_freeze=$(now_ms); pg_signal_all STOP; echo "froze PostgreSQL for ${OUTAGE}s"
sleep $OUTAGE
t_thaw=$(now_ms); pg_signal_all CONT; echo "thawed"
sleep 6
t_stop=$(now_ms); stop_pg; echo "stopped PostgreSQL for ${OUTAGE}s"
sleep $OUTAGE
t_start=$(now_ms); start_pg; echo "started PostgreSQL again"
sleep 6
for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
PIDS=()
sleep 0.5
cat "$WORK"/poll-* | sort -n >"$WORK/polls"

# window FROM TO: the answers to requests sent in [FROM, TO)
window() { awk -v a="$1" -v b="$2" '$1 >= a && $1 < b' "$WORK/polls"; }
slowest() { awk 'BEGIN { m = 0 } { if ($3 > m) m = $3 } END { printf "%.0f\n", m * 1000 }'; }
statuses() { awk '{ print $2 }' | sort | uniq -c | awk '{ printf "%s×%s ", $2, $1 }'; }
back_after() { # FROM: ms from FROM to the first 200 of a request sent after it
  awk -v a="$1" '$1 >= a && $2 == 200 { printf "%d\n", $1 + $3 * 1000 - a; exit }' "$WORK/polls"
}
echo
for o in "frozen:$t_freeze:$t_thaw" "stopped:$t_stop:$t_start"; do
  IFS=: read -r name from to <<<"$o"
  echo "  $name: answers $(window "$from" "$to" | statuses)"
  verdict "$name: slowest answer during the outage (ms)" "$(window "$from" "$to" | slowest)" "<" 2000
  verdict "$name: answers other than 200 and 503" "$(window "$from" "$to" | awk '$2 != 200 && $2 != 503' | wc -l)" = 0
  verdict "$name: serving again after the database returned (ms)" "$(back_after "$to")" "<" 5000
done
verdict "answers 500 in all" "$(awk '$2 == 500' "$WORK/polls" | wc -l)" = 0
# Every line about a request names its path: one per request.
verdict "log lines per request (one)" \
  "$(awk -v n="$(wc -l <"$WORK/polls")" -v l="$(log_count '"path":')" 'BEGIN { printf "%.2f\n", l / n }')" "<=" 1.01
exit $FAILED
