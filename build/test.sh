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

# The tests need no external service yet: the upstream model servers they talk to are started
# in-process on loopback by the tests themselves (tests/Gateway.TestUpstream).

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet build Gateway.slnx -c Release -warnaserror --nologo -v quiet
status=0
dotnet test Gateway.slnx -c Release --no-build --nologo \
  --logger "console;verbosity=minimal" --results-directory "$results" 2>&1 | tee "$results/test.log" || status=$?

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
