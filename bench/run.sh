#!/usr/bin/env bash
# `make bench`: the release server on loopback, a fresh database, wrk against the home page
# and a post page. Prints requests/s, p50/p99 latency, views counted versus requests sent,
# and the server's memory idle and after the load.
set -euo pipefail
cd "$(dirname "$0")/.."

addr=${BENCH_ADDR:-127.0.0.1:3109}
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-50}
ua="Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
slug=ke-hoach-tuyen-truyen-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-papi-thanh-pho-hung-yen-nam-2022

data=$(mktemp -d)
PORTAL_DATA_DIR=$data LEPTOS_SITE_ADDR=$addr LEPTOS_ENV=PROD RUST_LOG=warn ./target/release/server \
  > "$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://$addr/api/posts" && break; sleep 0.1; done

rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$pid/status"; }
views() { curl -fs "http://$addr/api/posts" | grep -o '"view_count":[0-9]*' | head -1 | cut -d: -f2; }

echo "server idle: $(rss)"
echo "load: wrk -t2 -c$connections -d$duration (same 2 cores as the server)"
for path in / "/bai-viet/$slug"; do
  before=$(views)
  # A phone browser's User-Agent: wrk's requests carry none, and those would count no view.
  out=$(wrk -t2 -c"$connections" -d"$duration" --latency -H "User-Agent: $ua" "http://$addr$path")
  after=$(views)
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  sent=$(awk '/requests in/ {print $1}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/' <<<"$out")
  printf '%-12s %9s req/s   p50 %8s   p99 %8s   requests %s\n' \
    "${path:0:12}" "$rps" "$p50" "$p99" "$sent"
  [ -n "$errors" ] && echo "  $errors"
  if [ "$path" != / ]; then
    echo "  views counted: $((after - before)) for $sent completed requests (requests still in flight when wrk stopped count too)"
  fi
done
echo "server after load: $(rss)"
