#!/usr/bin/env bash
# Waits (at most 60 s) until the server has made its brotli and gzip copies of the built assets
# (server/src/precompress.rs, in the background at start). Until then it compresses per request
# at a low level, and the weight tests would measure that instead of what browsers get.
# Usage: end2end/wait-for-assets.sh target/site/pkg
dir=${1:?the pkg directory}
for _ in $(seq 1 300); do
  fresh=1
  for f in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css; do
    [ -e "$f" ] || continue
    for copy in "$f.br" "$f.gz"; do
      { [ -e "$copy" ] && ! [ "$f" -nt "$copy" ]; } || fresh=0
    done
  done
  [ "$fresh" = 1 ] && exit 0
  sleep 0.2
done
echo "the server has not compressed the assets of $dir in 60 s; testing anyway" >&2
