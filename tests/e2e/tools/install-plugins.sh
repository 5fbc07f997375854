#!/usr/bin/env bash
# install-plugins.sh <bindir> <pulumi_home>
# Installs the locally built provider binaries as Pulumi plugins into a private PULUMI_HOME, with
# no download: `pulumi plugin install resource <name> <version> --file <binary>`. A provider whose
# binary is missing from <bindir> is skipped with a warning (exit 3 at the end), so callers can
# decide; everything present is installed. Idempotent (a plugin already installed is kept).
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 <bindir> <pulumi_home>" >&2; exit 2; }
BIN=$(cd "$1" && pwd)
export PULUMI_HOME=$2
mkdir -p "$PULUMI_HOME"
export PATH="$BIN:$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
  PULUMI_DISABLE_REGISTRY_RESOLVE=true PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true

PLUGINS=(
  "kubernetes 4.34.2 pulumi-resource-kubernetes"
  "command 1.2.1 pulumi-resource-command"
)
missing=0
for p in "${PLUGINS[@]}"; do
  read -r name version file <<<"$p"
  if [[ -d "$PULUMI_HOME/plugins/resource-$name-v$version" && -f "$PULUMI_HOME/plugins/resource-$name-v$version.lock" ]] ||
     [[ -x "$PULUMI_HOME/plugins/resource-$name-v$version/$file" ]]; then
    echo "plugin $name $version already installed" >&2
    continue
  fi
  if [[ ! -x "$BIN/$file" ]]; then
    echo "WARNING: $BIN/$file missing: plugin $name $version not installed" >&2
    missing=1
    continue
  fi
  "$BIN/pulumi" plugin install resource "$name" "$version" --file "$BIN/$file" >&2
done
"$BIN/pulumi" plugin ls >&2 || true
[[ $missing -eq 0 ]] || exit 3
