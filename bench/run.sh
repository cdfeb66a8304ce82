#!/usr/bin/env bash
# `make bench`: the release server on loopback with a fresh database each run. Prints, in one run:
#   1. home and post pages under wrk: requests/s, p50/p99 latency, with the render cache and
#      without it (PORTAL_PAGE_CACHE_MB=0), beside nginx serving the same bytes as a static file
#      (the peer), the ratio to it, the server's memory under load, the cold page (the first
#      request after a change) and an editor saving every second while wrk runs, checking that
#      no reader gets the page from before a save that has returned;
#   2. the post page with counting on and with counting off (PORTAL_COUNTING=off), twice each,
#      interleaved: the difference is the cost of counting;
#   3. exactly N post-page loads from N new browsers, then SIGTERM: views and visits in the
#      database versus requests answered;
#   4. the in-memory counters alone: increments/s, and the time of one large flush;
#   5. the server's memory idle and after the load;
#   5. hostile images: six uploads at once of PNGs that declare 20000x20000 pixels in 67 bytes,
#      then six real 7000x7000 (49 MP) ones: answers, time and the server's peak memory;
#   6. search over BENCH_SEARCH_POSTS (100,000) generated posts: the search function alone and
#      the results page over HTTP, p50/p95/p99 over a mix of citizens' queries;
#   7. the script and wasm each citizens' page fetches until interactive, bytes as sent (Chromium).
#   8. Lighthouse 12, mobile: the median of three runs of home, a post, /van-ban and search.
#   9. under attack: waves of 400 wrong sign-ins and 2,000 half-open connections while wrk reads
#      the post page: the readers' p99 before and during, the server's memory before, at its
#      peak and a minute after (bench/attack.py).
# Figures, not a pass/fail test. wrk shares the machine's cores with the server.
set -euo pipefail
cd "$(dirname "$0")/.."

addr=${BENCH_ADDR:-127.0.0.1:3109}
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-50}
exact_requests=${BENCH_EXACT_REQUESTS:-20000}
search_posts=${BENCH_SEARCH_POSTS:-100000}
ua="Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
slug=ke-hoach-tuyen-truyen-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-papi-thanh-pho-hung-yen-nam-2022
post="/bai-viet/$slug"

cargo build --release -q -p server --example loadgen --example aggregator --example searchbench

pid=
data=
start_server() { # env assignments for the server, if any
  # A fresh database each time, unless $reuse_data names one.
  data=${reuse_data:-$(mktemp -d)}
  env "$@" PORTAL_DATA_DIR="$data" LEPTOS_SITE_ADDR="$addr" LEPTOS_ENV=PROD RUST_LOG=warn \
    ./target/release/server >"$data/server.log" 2>&1 &
  pid=$!
  # Up to 2 minutes: a first start on 100,000 imported posts recognises their citations.
  for _ in $(seq 1 1200); do curl -fs -o /dev/null "http://$addr/api/posts" && return; sleep 0.1; done
  echo "the server did not start:"; cat "$data/server.log"; exit 1
}
stop_server() {
  kill -TERM "$pid"
  wait "$pid" || true
  pid=
}
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$data" ] && rm -rf "$data"
  true
}
trap cleanup EXIT

rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$pid/status"; }

# Prints "req/s p50 p99 completed" of one wrk run.
load() {
  # A phone browser's User-Agent: wrk's requests carry none, and those count as a crawler's.
  local out
  out=$(wrk -t2 -c"$connections" -d"$duration" --latency -H "User-Agent: $ua" \
    -H "Accept: text/html" "http://$addr$1")
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    grep -E 'Non-2xx|Socket errors' <<<"$out" >&2
  fi
  awk '/Requests\/sec/ {r=$2} $1 == "50%" {p50=$2} $1 == "99%" {p99=$2} /requests in/ {n=$1}
       END {print r, p50, p99, n}' <<<"$out"
}
show() { # label req/s p50 p99 completed
  printf '  %-28s %9s req/s   p50 %8s   p99 %8s   (%s requests)\n' "$@"
}

echo "== 1. pages (wrk -t2 -c$connections -d$duration, same 2 cores as the server; every request a new browser)"
# The peer: nginx serving a saved copy of each page as a static file, on the same cores.
peer_dir=$(mktemp -d)
peer_port=${BENCH_PEER_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
cat >"$peer_dir/nginx.conf" <<CONF
worker_processes 2;
pid $peer_dir/nginx.pid;
error_log $peer_dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  include /etc/nginx/mime.types;
  server { listen 127.0.0.1:$peer_port; root $peer_dir/www; location / { try_files \$uri.html =404; } }
}
CONF
mkdir -p "$peer_dir/www/bai-viet"
chmod 755 "$peer_dir"
start_server
curl -fs -H "User-Agent: $ua" "http://$addr/" >"$peer_dir/www/index.html"
cp "$peer_dir/www/index.html" "$peer_dir/www/home.html"
curl -fs -H "User-Agent: $ua" "http://$addr$post" >"$peer_dir/www$post.html"
nginx -c "$peer_dir/nginx.conf"
trap 'cleanup; nginx -c "$peer_dir/nginx.conf" -s stop 2>/dev/null; rm -rf "$peer_dir"' EXIT
echo "  server idle: $(rss); page sizes: home $(stat -c %s "$peer_dir/www/home.html") B, post $(stat -c %s "$peer_dir/www$post.html") B"
peer_load() { local saved=$addr; addr=127.0.0.1:$peer_port; load "$1"; addr=$saved; }
for page in home post; do
  path=/; peer_path=/home; [ $page = post ] && { path=$post; peer_path=$post; }
  read -r rps p50 p99 n < <(load "$path")
  read -r peer_rps peer_p50 peer_p99 peer_n < <(peer_load "$peer_path")
  show "$page, cached" "$rps" "$p50" "$p99" "$n"
  show "$page, nginx (the peer)" "$peer_rps" "$peer_p50" "$peer_p99" "$peer_n"
  echo "  $page: $(echo "scale=2; $rps / $peer_rps" | bc)x nginx"
done
echo "  server after load: $(rss)"

# An editor saves the post every second while readers load it; after each save returns, a
# reader must see it.
editor_password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
stop_server
reuse_data=$data
echo "$editor_password" | PORTAL_DATA_DIR="$data" ./target/release/server user add --role editor \
  --name 'Biên tập' bientap >/dev/null
start_server
reuse_data=
jar="$data/jar"
curl -fs -o /dev/null -c "$jar" -H "Origin: http://$addr" -H "Accept: text/html" \
  --data "username=bientap&password=$editor_password" "http://$addr/api/sign_in"
wrk -t1 -c20 -d12s -H "User-Agent: $ua" -H "Accept: text/html" "http://$addr$post" >/dev/null &
readers=$!
stale=0; saves=0; cold_total=0; warm_total=0
timed() { # prints the seconds one reader's request took; its body goes to $data/page.html
  curl -fs -o "$data/page.html" -w '%{time_total}' -H "User-Agent: $ua" -H "Accept: text/html" "http://$addr$1"
}
for i in $(seq 1 10); do
  sleep 1
  edit=$(curl -fs -b "$jar" "http://$addr/api/edit_post?id=1" | python3 -c "
import json, sys
post = json.load(sys.stdin)['post']
keys = ['id', 'slug', 'lead', 'body_html', 'description', 'category_id', 'published_local']
edit = {k: post[k] for k in keys}
edit.update(base_version=post['version'], title='Kế hoạch PAPI, lần sửa $i')
print(json.dumps({'edit': edit}))")
  curl -fs -o /dev/null -b "$jar" -H "Origin: http://$addr" -H 'Content-Type: application/json' \
    --data "$edit" "http://$addr/api/save_post" && saves=$((saves + 1))
  # The first reader after a save gets a fresh render (the cold page); the next, the cache.
  cold_total=$(echo "$cold_total + $(timed "$post")" | bc)
  grep -q "lần sửa $i<" "$data/page.html" || stale=$((stale + 1))
  warm_total=$(echo "$warm_total + $(timed "$post")" | bc)
  grep -q "lần sửa $i<" "$data/page.html" || stale=$((stale + 1))
done
wait $readers
echo "  an editor saving every second under load: $saves saves, $stale of $((2 * saves)) readers after them got a page older than the last save"
echo "  under that load, the first request after a save (a render): $(echo "scale=2; 1000 * $cold_total / 10" | bc) ms on average;" \
  "the next (from the cache): $(echo "scale=2; 1000 * $warm_total / 10" | bc) ms"
stop_server

echo "  without the cache (PORTAL_PAGE_CACHE_MB=0):"
start_server PORTAL_PAGE_CACHE_MB=0
# shellcheck disable=SC2046
show "home, rendered each time" $(load /)
# shellcheck disable=SC2046
show "post, rendered each time" $(load "$post")
echo "  server after load: $(rss)"
stop_server

echo "== 2. cost of counting, post page (each wrk request is a new browser: a visit and a view)"
on_total=0; off_total=0
for round in 1 2; do
  for mode in on off; do
    start_server PORTAL_COUNTING=$mode
    read -r rps p50 p99 n < <(load "$post")
    show "counting $mode (run $round)" "$rps" "$p50" "$p99" "$n"
    if [ "$mode" = on ]; then on_total=$(echo "$on_total + $rps" | bc); else off_total=$(echo "$off_total + $rps" | bc); fi
    stop_server
  done
done
echo "  mean: counting on $(echo "scale=0; $on_total / 2" | bc) req/s, off $(echo "scale=0; $off_total / 2" | bc) req/s," \
  "cost $(echo "scale=2; 100 * ($off_total - $on_total) / $off_total" | bc) %"

echo "== 3. views counted versus requests sent ($exact_requests new browsers, 50 at a time, then SIGTERM)"
start_server
db="$data/portal.db"
read -r views0 visits0 < <(sqlite3 -separator ' ' "$db" \
  "SELECT (SELECT view_count FROM posts WHERE slug = '$slug'), (SELECT value FROM counters WHERE name = 'visits')")
echo "  $(./target/release/examples/loadgen "http://$addr$post" "$exact_requests" 50)"
stop_server
read -r views1 visits1 daily < <(sqlite3 -separator ' ' "$db" \
  "SELECT (SELECT view_count FROM posts WHERE slug = '$slug'), (SELECT value FROM counters WHERE name = 'visits'), (SELECT SUM(views) FROM post_views_daily)")
echo "  in the database after shutdown: views +$((views1 - views0)), visits +$((visits1 - visits0)), today's row $daily"
rm -rf "$data"; data=

echo "== 4. the counters alone (no HTTP, no database)"
./target/release/examples/aggregator | sed 's/^/  /'

echo "== 5. hostile images, six uploads at once (a writer's session)"
start_server
images=$data/images
mkdir -p "$images"
# PNGs: six that declare 20000x20000 pixels in 67 bytes, and six real 7000x7000 ones (49 MP,
# just under the 50 MP cap) of one colour, so each is small on the wire and large decoded.
python3 - "$images" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
def png(w, h, idat):
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
rows = zlib.compress((b"\x00" + b"\x80\x20\x20" * 7000) * 7000, 9)
for i in range(6):
    open(f"{sys.argv[1]}/bom-{i}.png", "wb").write(png(20000 - i, 20000, zlib.compress(b"\x00" * 64)))
    open(f"{sys.argv[1]}/lon-{i}.png", "wb").write(png(7000, 7000 - i, rows))
PY
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$password" | PORTAL_DATA_DIR="$data" ./target/release/server user add --role writer \
  --name 'Đo tải' dotai >/dev/null 2>&1
curl -fs -c "$images/jar" -o /dev/null --data-urlencode "username=dotai" \
  --data-urlencode "password=$password" "http://$addr/api/sign_in"
peak() { awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' "/proc/$pid/status"; }
echo "  server before: $(rss) (peak so far $(peak)); each bomb $(stat -c %s "$images/bom-0.png") B," \
  "each 49 MP image $(stat -c %s "$images/lon-0.png") B"
for kind in bom lon; do
  started=$(date +%s.%N)
  uploads=()
  for i in 0 1 2 3 4 5; do
    curl -s -b "$images/jar" -o "$images/$kind-$i.out" -w '%{http_code}\n' \
      -F "file=@$images/$kind-$i.png" "http://$addr/api/upload_attachment" >"$images/$kind-$i.code" &
    uploads+=($!)
  done
  # Only the uploads: a bare `wait` would wait for the server too.
  wait "${uploads[@]}"
  took=$(echo "$(date +%s.%N) - $started" | bc)
  codes=$(cat "$images/$kind"-*.code | sort | uniq -c | awk '{printf "%s x %s, ", $1, $2}')
  label=$([ "$kind" = bom ] && echo "20000x20000 declared" || echo "7000x7000 real")
  printf '  %-22s answers: %s%.1f s; server now %s, peak %s\n' "$label" "$codes" "$took" "$(rss)" "$(peak)"
done
grep -ho 'Ảnh quá lớn[^.]*' "$images"/bom-0.out | head -n 1 | sed 's/^/  refusal: /'
stop_server
rm -rf "$data"; data=

echo "== 6. search over $search_posts generated posts"
data=$(mktemp -d)
./target/release/examples/searchbench generate "$data" "$search_posts" | sed 's/^/  /'
echo "  database: $(du -sh "$data/portal.db" | cut -f1)"
echo "  the search function alone (20 runs of each query, one at a time):"
./target/release/examples/searchbench query "$data" | sed 's/^/  /'
# Without the page cache: each query repeats 20 times, and the cache would answer all but the first.
reuse_data=$data start_server PORTAL_PAGE_CACHE_MB=0
./target/release/examples/searchbench http "http://$addr" | sed 's/^/  /'
stop_server
rm -rf "$data"; data=

echo "== 7. what a phone downloads: script and wasm until a page is interactive, as sent"
start_server
node bench/weight.mjs "http://$addr"
stop_server
rm -rf "$data"; data=

echo "== 8. Lighthouse, mobile (simulated slow 4G, 4x slower CPU): median of 3 runs of each page"
echo "   (search results say noindex on purpose, which Lighthouse's SEO score counts against them)"
start_server
node bench/lighthouse.mjs "http://$addr"
stop_server
rm -rf "$data"; data=

echo "== 9. under attack: waves of 400 wrong sign-ins from forged addresses and 2,000 half-open"
echo "   connections from one address, while readers load the post (browser headers, wrk -t1 -c$connections)"
# Behind a "proxy" (each sign-in names its own client address, as a botnet's would), with the
# per-address share set explicitly: both limits at once.
start_server PORTAL_CLIENT_IP_HEADER=X-Forwarded-For PORTAL_MAX_CONNECTIONS_PER_ADDRESS=256
readers() { # duration; prints "req/s p50 p99"
  wrk -t1 -c"$connections" -d"$1" --latency -H "User-Agent: $ua" -H "Accept: text/html" \
    -H "Sec-Fetch-Dest: document" -H "Accept-Encoding: gzip, deflate, br, zstd" "http://$addr$post" |
    awk '/Requests\/sec/ {r=$2} $1 == "50%" {p50=$2} $1 == "99%" {p99=$2} END {print r, p50, p99}'
}
read -r rps p50 p99 < <(readers 5s)
echo "  readers alone:        $rps req/s, p50 $p50, p99 $p99"
idle=$(rss)
python3 bench/attack.py 127.0.0.1 "${addr##*:}" 14 400 2000 >"$data/attack.txt" &
attacker=$!
sleep 2
read -r rps p50 p99 < <(readers 10s)
wait "$attacker"
peak=$(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' "/proc/$pid/status")
echo "  readers under attack: $rps req/s, p50 $p50, p99 $p99"
cat "$data/attack.txt"
sleep 60
echo "  server memory: before $idle, peak $peak, a minute after the attack $(rss)"
stop_server
rm -rf "$data"; data=
