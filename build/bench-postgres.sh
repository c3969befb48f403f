#!/usr/bin/env bash
# Runs the PostgreSQL storage benchmarks (benchmarks/Gateway.Benchmarks/Storage/Postgres) against a
# PostgreSQL 15 on loopback with the server's default durability (fsync on, synchronous_commit on).
# The cluster lives in $TMPDIR/gateway-bench/pg so the 1M-message corpus database is built once.
# Arguments go to BenchmarkDotNet, e.g. --filter '*PostgresAppend*'. Stops the server (by PID) at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source build/postgres.sh
pg_install

dir="${TMPDIR:-/tmp}/gateway-bench/pg"
port=25999
if [ ! -f "$dir/data/PG_VERSION" ]; then
  rm -rf "$dir"
  pg_start "$dir" "$port"
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d template1 -c "CREATE EXTENSION IF NOT EXISTS vector"
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE ROLE gateway_bench LOGIN CREATEDB PASSWORD 'gateway_bench'"
else
  rm -f "$dir/data/postmaster.pid"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400" start >/dev/null
fi
trap 'pg_stop "$dir"' EXIT

export GATEWAY_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=gateway_bench;Password=gateway_bench;Database=postgres;Timeout=60;Command Timeout=0"
[ $# -gt 0 ] || set -- --filter 'Gateway.Benchmarks.Storage.Postgres*'
dotnet run -c Release --project benchmarks/Gateway.Benchmarks -- "$@"
