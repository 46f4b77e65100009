#!/usr/bin/env bash
# Logins: 48 simultaneous sign-ins with wrong passwords (each from its own
# address, through a trusted proxy, so that the throttle lets every one be
# checked) against the real binary. Targets: the process's memory (peak
# resident set) grows by less than 128 MB, since password hashing
# (argon2id, 19 MiB each) runs two at a time; each sign-in is refused (401)
# or, if it waited more than 3 s for its turn, told to retry (503).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
bounded 120 "$@"
setup

build_app
start_pg
start_app CADRESTATS_TRUSTED_PROXIES=127.0.0.1/32
echo "cadrestats at $BASE"
machine
mem() { awk -v k="$1:" '$1 == k { print int($2 / 1024) }' "/proc/$APPPID/status"; }
for i in $(seq 48); do
  curl -s -c "$WORK/jar-$i" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//' >"$WORK/tok-$i"
done
before=$(mem VmRSS)
start=$(date +%s%3N)
CURLS=()
for i in $(seq 48); do
  curl -s -b "$WORK/jar-$i" -o /dev/null -w '%{http_code}\n' -H "X-Forwarded-For: 198.18.0.$i" \
    --data-urlencode "username=guess$i" --data-urlencode "password=not the password" \
    --data-urlencode "_csrf=$(cat "$WORK/tok-$i")" "$BASE/login" >"$WORK/code-$i" &
  CURLS+=($!)
  PIDS+=($!)
done
wait "${CURLS[@]}"
took=$(( $(date +%s%3N) - start ))
peak=$(mem VmHWM)
echo "  answers: $(cat "$WORK"/code-* | sort | uniq -c | awk '{ printf "%s×%s ", $2, $1 }')in ${took} ms"
echo "  resident memory: ${before} MB before, peak ${peak} MB"
echo
verdict "sign-ins answered 401 or 503" "$(cat "$WORK"/code-* | grep -cE '^(401|503)$' || true)" = 48
verdict "peak memory growth (MB)" $((peak - before)) "<" 128
exit $FAILED
