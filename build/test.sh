#!/usr/bin/env bash
# Runs every test of the solution on a fresh Debian 12 machine or an old one: installs and starts
# what the tests need, builds once, runs all test projects in one `dotnet test`, and ends with a
# plain "N passed, N failed" line. Exit code: 0 only when every test passed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (dotnet not found on PATH)." >&2
  exit 1
fi

# Debian packages the tests use: redis-server (shared rate limits across gateway replicas) and
# prometheus (for promtool, which lints the /metrics output). Installed once; fast afterwards.
# PostgreSQL comes after these, from build/postgres.sh.
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# PostgreSQL 15 and pgvector (built from source once: Debian 12 has no package for it).
source build/postgres.sh
pg_install

results=$(mktemp -d)
services=$(mktemp -d)
# The PostgreSQL folder must belong to the postgres user, so it is not inside $services (root's, 0700).
pg_dir=$(mktemp -d /tmp/gateway-test-pg.XXXXXX)
# Stops the Redis and the PostgreSQL this script started (by PID) and waits until they have exited: a
# server that is still shutting down keeps writing its log, and removing its directory under it would
# fail the run.
cleanup() {
  pg_stop "$pg_dir"
  if [ -f "$services/redis.pid" ]; then
    local pid
    pid=$(cat "$services/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -rf "$results" "$services" "$pg_dir" 2>/dev/null || true
}
trap cleanup EXIT

# A throwaway Redis on a free loopback port; the tests find it through GATEWAY_TEST_REDIS_URL.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes --pidfile "$services/redis.pid" \
  --dir "$services" --save "" --appendonly no --logfile "$services/redis.log"
for _ in $(seq 1 50); do
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
export GATEWAY_TEST_REDIS_URL="127.0.0.1:$redis_port"
export GATEWAY_TEST_PROMTOOL="$(command -v promtool)"

# A throwaway PostgreSQL on a free loopback port. The tests connect as gateway_test, an ordinary role
# that may create databases (each test class or test makes its own and drops it), as an app would;
# pgvector needs a superuser to be created, so it is put into template1 and every new database has it.
# GATEWAY_TEST_POSTGRES_ADMIN (the superuser) is for the tests of the migration that creates it itself.
pg_port=$(free_port)
pg_start "$pg_dir" "$pg_port" fast
psql_admin=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres)
"${psql_admin[@]}" -d template1 -c "CREATE EXTENSION IF NOT EXISTS vector"
"${psql_admin[@]}" -d postgres -c "CREATE ROLE gateway_test LOGIN CREATEDB PASSWORD 'gateway_test'" \
  -c "CREATE DATABASE gateway_test OWNER gateway_test"
export GATEWAY_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=gateway_test;Password=gateway_test;Database=gateway_test"
export GATEWAY_TEST_POSTGRES_ADMIN="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"

dotnet build Gateway.slnx -c Release -warnaserror --nologo -v quiet
# Package validation runs when packing: every src/ package is packed once from that build.
for project in src/*/*.csproj; do
  dotnet pack "$project" -c Release --no-build --nologo -v quiet -o "$results/packages"
done
status=0
dotnet test Gateway.slnx -c Release --no-build --nologo \
  --logger "console;verbosity=minimal" --results-directory "$results" 2>&1 | tee "$results/test.log" || status=$?

# The hot paths' short benchmark run on the Release build above (about 15 s; benchmarks/README.md, "The CI
# guard"): bytes allocated per chunk or query against benchmarks/guard/thresholds.json, and time ratios to each
# benchmark's baseline within 1.5x the committed ratio. A regression fails the run like a failed test.
dotnet benchmarks/Gateway.Benchmarks/bin/Release/net10.0/Gateway.Benchmarks.dll guard benchmarks/guard/thresholds.json || status=1

# dotnet test prints one summary line per test project; add them up into one closing line.
awk '
  /(Passed|Failed)!.*Failed:.*Passed:/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") { gsub(",", "", $(i+1)); failed += $(i+1) }
      if ($i == "Passed:") { gsub(",", "", $(i+1)); passed += $(i+1) }
      if ($i == "Skipped:") { gsub(",", "", $(i+1)); skipped += $(i+1) }
    }
  }
  END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$results/test.log"
exit "$status"
