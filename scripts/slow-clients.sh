#!/usr/bin/env bash
# Slow clients: sixteen clients download /export.csv at 4 KB/s (curl
# --limit-rate) while wrk measures / and a locality page, before and during.
# The export is made large (8 MB, copies of the figures under a locality of
# their own) so that the kernel's socket buffers cannot take it at once and
# free the server: the downloads really hold their export slots. Targets:
# pages keep a p99 under 1 s; the downloads never take more than the two
# export slots, the others are told 503 with Retry-After.
#
#   scripts/slow-clients.sh          # 20 s of measurement under slow readers
#   scripts/slow-clients.sh -d 5     # shorter
set -euo pipefail
. "$(dirname "$0")/lib.sh"
DURATION=20
while getopts d: o; do
  case $o in
    d) DURATION=$OPTARG ;;
    *) echo "usage: $0 [-d seconds]" >&2; exit 2 ;;
  esac
done
bounded $((DURATION * 2 + 180)) "$@"
setup
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

build_app
start_pg
start_app
SLUG=$(a_locality)
echo "cadrestats at $BASE"
machine
inflate_export $((8 << 20))

measure() { # NAME: / and the locality page, 8 connections each
  wrk_run "$WORK/$1-home" "$DURATION" 8 "$BASE/"
  wrk_run "$WORK/$1-locality" "$DURATION" 8 "$BASE/localities/$SLUG"
  wrk_wait
}
wrk -t1 -c8 -d2s "$BASE/" >/dev/null # warm up
measure before

CURLS=()
for i in $(seq 16); do
  curl -s -o /dev/null --limit-rate 4K --max-time $((DURATION + 30)) \
    -w '%{http_code} %{size_download}\n' "$BASE/export.csv" >"$WORK/curl-$i" 2>/dev/null &
  CURLS+=($!)
  PIDS+=($!)
done
sleep 4 # two downloading, fourteen told 503 after their 3 s wait
ready_during=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/readyz")
measure during
for p in "${CURLS[@]}"; do kill "$p" 2>/dev/null || true; done
wait "${CURLS[@]}" 2>/dev/null || true
# A download still streaming when stopped is logged 499 (client went away).
streaming=$(log_count '"path":"/export.csv","status":499')
refused=$(cat "$WORK"/curl-* | awk '$1 == 503' | wc -l)

echo
echo "  16 slow downloads of /export.csv at 4 KB/s: $streaming streaming, $refused told 503"
printf '  %-26s %14s %14s %14s\n' page "p99 before ms" "p99 during ms" "req/s during"
printf '  %-26s %14s %14s %14s\n' / "$(wrk_field "$WORK/before-home" p99)" "$(wrk_field "$WORK/during-home" p99)" "$(wrk_field "$WORK/during-home" rps)"
printf '  %-26s %14s %14s %14s\n' "/localities/$SLUG" "$(wrk_field "$WORK/before-locality" p99)" \
  "$(wrk_field "$WORK/during-locality" p99)" "$(wrk_field "$WORK/during-locality" rps)"
echo
verdict "p99 of / with slow readers (ms)" "$(wrk_field "$WORK/during-home" p99)" "<" 1000
verdict "p99 of /localities/$SLUG with slow readers (ms)" "$(wrk_field "$WORK/during-locality" p99)" "<" 1000
verdict "page errors with slow readers" $(( $(wrk_field "$WORK/during-home" errors) + $(wrk_field "$WORK/during-locality" errors) )) = 0
verdict "downloads streaming at once (the export limit)" "$streaming" "<=" 2
verdict "downloads told 503 (Retry-After)" "$refused" = $((16 - streaming))
verdict "/readyz with slow readers" "$ready_during" = 200
verdict "server errors logged (level ERROR)" "$(log_count '"level":"ERROR"')" = 0
exit $FAILED
