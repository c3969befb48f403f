#!/usr/bin/env bash
# Fetches sqlite-vec's vec0.so (npm @photostructure/sqlite-vec 2.0.1) for the vector benchmarks' peer
# into $TMPDIR/gateway-bench/sqlite-vec/ and prints its path. Benchmark only: never shipped or referenced by src/.
set -euo pipefail
dir="${TMPDIR:-/tmp}/gateway-bench/sqlite-vec"
so="$dir/package/dist/linux-x64/vec0.so"
if [ ! -f "$so" ]; then
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent @photostructure/sqlite-vec@2.0.1 >/dev/null && tar -xzf photostructure-sqlite-vec-2.0.1.tgz)
fi
echo "$so"
