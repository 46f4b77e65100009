#!/usr/bin/env bash
# Load: 256 connections for 60 s on /, a locality page and /export.csv
# (half, a quarter and a quarter of them), from wrk on this machine, against
# a seeded cadrestats with its default settings. Targets: no errors at all,
# and a p99 under 1 s for /.
#
#   scripts/load.sh               # the full run: 60 s
#   scripts/load.sh -d 5 -c 64    # a short one (CI)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
DURATION=60 CONNS=256
while getopts d:c: o; do
  case $o in
    d) DURATION=$OPTARG ;;
    c) CONNS=$OPTARG ;;
    *) echo "usage: $0 [-d seconds] [-c connections]" >&2; exit 2 ;;
  esac
done
bounded $((DURATION + 180)) "$@"
setup
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

build_app
start_pg
start_app
SLUG=$(a_locality)
echo "cadrestats at $BASE; $CONNS connections for ${DURATION}s"
machine
# Warm up the pool and the caches, as a server that has been running.
wrk -t1 -c8 -d2s "$BASE/" >/dev/null

half=$((CONNS / 2)) quarter=$((CONNS / 4))
wrk_run "$WORK/w-home" "$DURATION" "$half" "$BASE/"
wrk_run "$WORK/w-locality" "$DURATION" "$quarter" "$BASE/localities/$SLUG"
wrk_run "$WORK/w-export" "$DURATION" $((CONNS - half - quarter)) "$BASE/export.csv"
wrk_wait

echo
printf '  %-26s %6s %9s %8s %10s %10s %7s\n' page conns requests req/s "p50 ms" "p99 ms" errors
for w in home:"/":$half locality:"/localities/$SLUG":$quarter export:"/export.csv":$((CONNS - half - quarter)); do
  IFS=: read -r name path c <<<"$w"
  f="$WORK/w-$name"
  printf '  %-26s %6s %9s %8s %10s %10s %7s\n' "$path" "$c" "$(wrk_field "$f" requests)" "$(wrk_field "$f" rps)" \
    "$(wrk_field "$f" p50)" "$(wrk_field "$f" p99)" "$(wrk_field "$f" errors)"
done
echo
verdict "errors on / (socket errors, non-2xx)" "$(wrk_field "$WORK/w-home" errors)" = 0
verdict "errors on /localities/$SLUG" "$(wrk_field "$WORK/w-locality" errors)" = 0
verdict "errors on /export.csv" "$(wrk_field "$WORK/w-export" errors)" = 0
verdict "p99 of / (ms)" "$(wrk_field "$WORK/w-home" p99)" "<" 1000
verdict "server errors logged (level ERROR)" "$(log_count '"level":"ERROR"')" = 0
exit $FAILED
