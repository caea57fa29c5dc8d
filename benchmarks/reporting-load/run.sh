#!/usr/bin/env bash
# Loopback load test of the report collector against a bare Kestrel endpoint, in the same run.
#   1. Throughput: wrk POSTs valid reports to the bare server and to the collector (rate limit off, as the showcase's
#      Development configuration does), ROUNDS times each, alternating; prints accepted reports/s and the medians.
#   2. Graceful restart: after each collector round the collector gets SIGTERM, is started again on the same database,
#      and the API's total must equal the number of 204 answers.
#   3. Memory: the collector with a per-client limit of LIMIT req/s, driven at ten times that; prints peak RSS (VmHWM).
# Needs wrk (apt-get install wrk). Bounded: every wrk run stops after DURATION seconds. Only 127.0.0.1 is targeted.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
DURATION="${DURATION:-10}"
# Seconds of load before each measured run, not counted: both servers are measured warm (JIT tiering done), as they run.
WARMUP="${WARMUP:-5}"
# Rounds alternate bare and collector; on a shared 2-core machine single rounds vary by ±10 %, so the median needs several.
ROUNDS="${ROUNDS:-5}"
CONNECTIONS="${CONNECTIONS:-32}"
LIMIT="${LIMIT:-500}"
BARE_PORT=5181
COLLECTOR_PORT=5182
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

echo "Building (Release)..."
dotnet publish "$HERE/BareServer" -c Release -o "$WORK/bare" --nologo -v q >/dev/null
dotnet publish "$HERE/CollectorServer" -c Release -o "$WORK/collector" --nologo -v q >/dev/null

wait_up() { # port
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$1/"; then return 0; fi
    sleep 0.1
  done
  echo "server on port $1 did not start" >&2; return 1
}

start_collector() { # db, extra args...
  local db="$1"; shift
  dotnet "$WORK/collector/CollectorServer.dll" --urls "http://127.0.0.1:$COLLECTOR_PORT" \
    --SecureHeaders:Reporting:SqlitePath="$db" "$@" >"$WORK/collector.log" 2>&1 &
  COLLECTOR_PID=$!
  wait_up $COLLECTOR_PORT
}

stop_gracefully() { # pid
  kill -TERM "$1"
  wait "$1" || true
}

run_wrk() { # port, threads, connections -> prints RESULT line
  wrk -t"$2" -c"$3" -d"${DURATION}s" -s "$HERE/report.lua" "http://127.0.0.1:$1" | grep '^RESULT'
}

warm_up() { # port -> prints the number of 204s the warm-up got
  if [ "$WARMUP" -gt 0 ]; then
    wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$HERE/report.lua" "http://127.0.0.1:$1" | grep '^RESULT' | field accepted
  else
    echo 0
  fi
}

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

bare_rates=(); collector_rates=()
for round in $(seq 1 "$ROUNDS"); do
  dotnet "$WORK/bare/BareServer.dll" --urls "http://127.0.0.1:$BARE_PORT" >"$WORK/bare.log" 2>&1 &
  BARE_PID=$!
  wait_up $BARE_PORT
  warm_up $BARE_PORT >/dev/null
  line="$(run_wrk $BARE_PORT 1 "$CONNECTIONS")"
  stop_gracefully $BARE_PID
  bare_rates+=("$(echo "$line" | field accepted_per_s)")
  echo "round $round bare:      $line"

  db="$WORK/round$round.db"
  start_collector "$db" --SecureHeaders:Reporting:RateLimit:Enabled=false
  warm="$(warm_up $COLLECTOR_PORT)"
  line="$(run_wrk $COLLECTOR_PORT 1 "$CONNECTIONS")"
  accepted=$(( warm + $(echo "$line" | field accepted) ))
  hwm="$(awk '/VmHWM/ {print int($2/1024)}' /proc/$COLLECTOR_PID/status)"
  # wrk stops counting at its deadline with requests still in flight; the server's own count of 204s is exact.
  sleep 0.5
  server_accepted="$(curl -s "http://127.0.0.1:$COLLECTOR_PORT/_secureheaders/dashboard" | sed -n 's/.*since start: \([0-9]*\) accepted.*/\1/p')"
  stop_gracefully $COLLECTOR_PID
  collector_rates+=("$(echo "$line" | field accepted_per_s)")
  echo "round $round collector: $line peak_rss_mb=$hwm"

  start_collector "$db" --SecureHeaders:Reporting:RateLimit:Enabled=false
  total="$(curl -s "http://127.0.0.1:$COLLECTOR_PORT/_secureheaders/api/violations?limit=1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')"
  stop_gracefully $COLLECTOR_PID
  if [ "$total" = "$server_accepted" ] && [ "$server_accepted" -ge "$accepted" ] && [ "$server_accepted" -le $(( accepted + 2 * CONNECTIONS )) ]; then
    verdict=ok
  else
    verdict=MISMATCH
  fi
  echo "round $round restart:   wrk_counted_204=$accepted server_answered_204=$server_accepted stored_total_after_restart=$total $verdict"
done

bare_median="$(printf '%s\n' "${bare_rates[@]}" | median)"
collector_median="$(printf '%s\n' "${collector_rates[@]}" | median)"
echo "median accepted reports/s: bare=$bare_median collector=$collector_median ratio=$(awk "BEGIN {printf \"%.2f\", $collector_median / $bare_median}")"

# Ten times the limit: each connection waits PACE ms between requests. Aim at 12x on paper, because response
# latency adds to the pause; the offered rate actually reached is printed.
PACE_CONNECTIONS=60
PACE_MS=$(( PACE_CONNECTIONS * 1000 / (12 * LIMIT) ))
[ "$PACE_MS" -ge 1 ] || PACE_MS=1
start_collector "$WORK/limited.db" --SecureHeaders:Reporting:RateLimit:RequestsPerSecond="$LIMIT" --SecureHeaders:Reporting:RateLimit:BurstLimit="$LIMIT"
line="$(REPORT_DELAY_MS=$PACE_MS run_wrk $COLLECTOR_PORT 1 $PACE_CONNECTIONS)"
hwm_kb="$(awk '/VmHWM/ {print $2}' /proc/$COLLECTOR_PID/status)"
stop_gracefully $COLLECTOR_PID
sent=$(( $(echo "$line" | field accepted) + $(echo "$line" | field limited) + $(echo "$line" | field busy) + $(echo "$line" | field other) ))
echo "rate-limited run (limit $LIMIT/s): $line offered_per_s=$(awk "BEGIN {printf \"%.0f\", $sent / $DURATION}") (x$(awk "BEGIN {printf \"%.1f\", $sent / $DURATION / $LIMIT}"))"
echo "collector peak RSS: $(( hwm_kb / 1024 )) MB"
