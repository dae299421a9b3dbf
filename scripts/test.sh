#!/usr/bin/env bash
# The test command: installs what the tests need (Azurite, pinned in tools/azurite/package-lock.json),
# then runs every test project in the solution. Extra arguments go to `dotnet test`
# (e.g. scripts/test.sh --filter "FullyQualifiedName~Slack").
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null; then
  echo "dotnet is not on PATH: install the .NET SDK named in global.json." >&2
  exit 2
fi
if [ ! -x tools/azurite/node_modules/.bin/azurite-table ]; then
  if ! command -v npm >/dev/null; then
    echo "npm is not on PATH: the Table Storage tests need Azurite, which installs from npm (Node.js 18+)." >&2
    exit 2
  fi
  echo "Installing Azurite into tools/azurite (once)..."
  npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test FlinkOpsBot.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for the whole suite, summed over the per-project summaries.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
