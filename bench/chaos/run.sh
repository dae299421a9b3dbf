#!/usr/bin/env bash
# The chaos harness: builds the host, FlinkSim and the harness once in Release, then runs the harness.
# Extra arguments go to the harness (bench/chaos/run.sh --help lists them), e.g. bench/chaos/run.sh --seed 7 --kills 6.
# Needs the .NET SDK and Azurite (installed from npm into tools/azurite on first use, or AZURITE_TABLE_BIN).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ ! -x tools/azurite/node_modules/.bin/azurite-table ] && [ -z "${AZURITE_TABLE_BIN:-}" ]; then
  if ! command -v npm >/dev/null; then
    echo "npm is not on PATH: the harness needs Azurite, which installs from npm (Node.js 18+); or set AZURITE_TABLE_BIN." >&2
    exit 2
  fi
  echo "Installing Azurite into tools/azurite (once)..."
  npm ci --prefix tools/azurite --no-audit --no-fund --loglevel=error
fi

for project in src/FlinkOpsBot.Host src/FlinkOpsBot.FlinkSim bench/chaos/FlinkOpsBot.Chaos; do
  dotnet build "$project" -c Release --nologo -v quiet -clp:ErrorsOnly
done
exec dotnet bench/chaos/FlinkOpsBot.Chaos/bin/Release/net10.0/FlinkOpsBot.Chaos.dll --root "$root" "$@"
