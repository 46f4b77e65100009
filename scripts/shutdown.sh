#!/usr/bin/env bash
# Shutdown: SIGTERM to cadrestats (default settings: 10 s of grace) while
# wrk loads / and a locality page over 64 connections and one client
# downloads an 8 MB /export.csv at 4 KB/s. Targets: the process exits within
# 15 s with status 0; every request it accepted was answered whole (the
# responses it logged are the responses wrk received); the slow download is
# cut off at the end of the grace and logged once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
bounded 240 "$@"
setup
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

build_app
start_pg
start_app
SLUG=$(a_locality)
echo "cadrestats at $BASE"
machine
inflate_export $((8 << 20))
mark=$(wc -l <"$WORK/app.log")
curl -s -o /dev/null --limit-rate 4K --max-time 60 -w '%{http_code} %{size_download}\n' "$BASE/export.csv" \
  >"$WORK/slow" 2>&1 &
SLOW=$!
PIDS+=($SLOW)
wrk_run "$WORK/w-home" 8 32 "$BASE/"
wrk_run "$WORK/w-locality" 8 32 "$BASE/localities/$SLUG"
sleep 3
start=$(date +%s%3N)
kill -TERM "$APPPID"
status=0
wait "$APPPID" || status=$?
took=$(( $(date +%s%3N) - start ))
APPPID=""
echo "SIGTERM: exited with status $status after ${took} ms"
wrk_wait
wait "$SLOW" || true

served=$(( $(log_count '"path":"/","status":200') + $(log_count "\"path\":\"/localities/$SLUG\",\"status\":200") ))
received=$(( $(wrk_field "$WORK/w-home" requests) + $(wrk_field "$WORK/w-locality" requests) ))
non2xx=$(cat "$WORK"/w-* | awk '/Non-2xx or 3xx responses:/ { n += $NF } END { print n + 0 }')
refused=$(cat "$WORK"/w-* | awk '/Socket errors:/ { gsub(/,/, ""); c += $4; r += $6; w += $8 }
  END { printf "connect %d, read %d, write %d\n", c, r, w }')
[ -n "${DEBUG:-}" ] && cat "$WORK"/w-*
echo "  wrk's socket errors once the listener closed (requests not accepted): $refused"
echo "  slow download: $(cat "$WORK/slow" 2>/dev/null || echo killed) (status, bytes: 8 MB were on offer)"
echo
verdict "exit status" "$status" = 0
verdict "time from SIGTERM to exit (ms)" "$took" "<" 15000
verdict "responses logged 200 minus responses wrk received" $((served - received)) = 0
verdict "answers other than 2xx received by wrk" "$non2xx" = 0
since() { tail -n +$((mark + 1)) "$WORK/app.log" | grep -cE "$1" || true; }
verdict "log lines of the slow download" "$(since '"path":"/export.csv"')" = 1
verdict "… a warning that it was cut off at shutdown" "$(since '"level":"WARN".*"path":"/export.csv".*cut off')" = 1
verdict "server errors logged (level ERROR)" "$(log_count '"level":"ERROR"')" = 0
exit $FAILED
