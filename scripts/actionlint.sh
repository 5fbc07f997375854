#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows/*.yml) with actionlint.
# actionlint is reused from PATH when its version matches, otherwise built once from Go modules
# into a cache directory (like tests/e2e/tools/build-tools.sh) and reused from there:
#   $ISTIO_MESH_ACTIONLINT_CACHE (default ~/.cache/istio-mesh-actionlint)/bin-<version>/actionlint
# with the Go module and build caches beside it. When shellcheck is on PATH, actionlint also
# checks every `run:` script with it (optional: without it the scripts are not shell-checked).
#
#   scripts/actionlint.sh              # lint .github/workflows
#   scripts/actionlint.sh -verbose     # extra arguments go to actionlint
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT_VERSION=1.7.12
export PATH="/usr/local/go/bin:$PATH"
CACHE=${ISTIO_MESH_ACTIONLINT_CACHE:-$HOME/.cache/istio-mesh-actionlint}
BIN="$CACHE/bin-$ACTIONLINT_VERSION"

log() { printf '[actionlint.sh] %s\n' "$*" >&2; }
# `actionlint -version` prints the version on its first line (v-prefixed when built by go install).
version_ok() { local v; v=$("$1" -version 2>/dev/null | head -n1) || return 1; [[ "${v#v}" == "$ACTIONLINT_VERSION" ]]; }

exe=""
if p=$(command -v actionlint 2>/dev/null) && version_ok "$p"; then
  exe=$p
elif [[ -x "$BIN/actionlint" ]] && version_ok "$BIN/actionlint"; then
  exe="$BIN/actionlint"
else
  command -v go >/dev/null || { log "actionlint $ACTIONLINT_VERSION is not on PATH and there is no Go toolchain to build it"; exit 2; }
  log "building actionlint $ACTIONLINT_VERSION into $BIN (once; later runs reuse it) ..."
  t0=$(date +%s)
  mkdir -p "$BIN"
  GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod \
    GOMODCACHE="$CACHE/gomod" GOCACHE="$CACHE/gocache" GOBIN="$BIN" \
    go install -trimpath -ldflags "-s -w" "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION"
  version_ok "$BIN/actionlint" || { log "built $BIN/actionlint does not report version $ACTIONLINT_VERSION"; exit 2; }
  log "built in $(( $(date +%s) - t0 ))s"
  exe="$BIN/actionlint"
fi

if command -v shellcheck >/dev/null; then
  log "shellcheck: $(command -v shellcheck) (run: scripts are checked)"
else
  log "shellcheck not on PATH: run: scripts are not shell-checked (optional)"
fi
shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
((${#files[@]})) || { log "no workflows under .github/workflows"; exit 0; }
"$exe" -no-color "$@" "${files[@]}"
log "ok: ${files[*]}"
