#!/usr/bin/env bash
# Builds the Teams app package (a zip with manifest.json and the two icons at its root) for sideloading or the
# Developer Portal. Usage: manifests/teams/build-package.sh <bot app id (GUID)> <public host name> [version]
# e.g.   manifests/teams/build-package.sh 6f1c9d0e-1a2b-4c3d-8e9f-0a1b2c3d4e5f flinkops.example.com 1.0.1
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
app_id=${1:?"the bot's Microsoft App ID (GUID) is required"}
host=${2:?"the bot's public host name (e.g. flinkops.example.com) is required"}
version=${3:-1.0.0}
if ! [[ $app_id =~ ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$ ]]; then
  echo "'$app_id' is not a GUID: pass the Azure Bot's Microsoft App ID." >&2; exit 2
fi
if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "'$version' is not a version like 1.0.1 (bump it on every upload)." >&2; exit 2
fi
out="$here/flinkopsbot-teams-$version.zip"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e "s/00000000-0000-0000-0000-000000000000/$app_id/g" -e "s/YOUR-HOST/$host/g" -e "s/\"version\": \"1.0.0\"/\"version\": \"$version\"/" \
  "$here/manifest.json" > "$work/manifest.json"
cp "$here/color.png" "$here/outline.png" "$work/"
rm -f "$out"
(cd "$work" && zip -q -X "$out" manifest.json color.png outline.png)
echo "$out"
