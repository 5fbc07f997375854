#!/usr/bin/env bash
# Builds (or reuses) the binaries the real-engine e2e tier needs, from Go modules, into a cache
# directory keyed by their versions, and prints that bin dir as the LAST line of stdout.
# Progress goes to stderr; per-piece logs and timings go to $CACHE/logs/.
#
#   tests/e2e/tools/build-tools.sh            # all pieces
#   E2E_TOOLS_PIECES="kubernetes etcd" tests/e2e/tools/build-tools.sh
#   E2E_TOOLS_ALLOW_MISSING=1 ...              # exit 0 even when some piece could not be built
#   E2E_TOOLS_NO_BUILD=1 ...                   # reuse/verify only: print the bin dir, build nothing
#
# Pieces: kubernetes (kube-apiserver, kubectl, kube-controller-manager), kube-scheduler, etcd,
# pulumi (CLI + the pulumi-resource-pulumi-nodejs shim), pulumi-language-nodejs, pulumi-kubernetes
# (pulumi-resource-kubernetes), pulumi-command (pulumi-resource-command), helm (helm CLI), kwok
# (simulated nodes and pod lifecycles).
# Each piece has its own key (the versions and recipe it is built from, piece_key): a piece whose
# key matches a stamp in another bin dir of the cache (an older set of versions) is hard-linked
# from there instead of rebuilt, so changing one piece's version rebuilds that piece only. A binary
# already on PATH whose version matches is copied instead of built. Nothing is built outside
# $CACHE: module and build caches live in $CACHE/gomod and $CACHE/gocache, throwaway build
# modules in $CACHE/work/ (removed after a successful build).
set -euo pipefail

# ---- versions (changing any of these changes the bin dir) ----------------------------------------
PULUMI_VERSION=3.274.1 # newest github.com/pulumi/pulumi/pkg/v3 the module proxy serves (3.248.0 before)
PULUMI_LANG_NODEJS_MODVERSION=v3.0.0-20260624120734-a88168d865b7 # the v3.248.0 commit; not served by the module proxy at any version (the harness uses its stand-in)
CLIPBOARD_REPLACE="github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e"
# The real pulumi-resource-kubernetes, at the newest release the module proxy serves: v4.25.0
# (provider/v4 has no tags of its own; the proxy refuses the commits of 4.26+, e.g. 4.34.2, the
# plugin @pulumi/kubernetes 4.34.2 asks for). The binary is stamped and reports 4.25.0
# (GetPluginInfo); the e2e harness installs it under the plugin version the SDK requests and says
# so (tests/e2e/harness/pulumi.ts). Set K8S_PROVIDER_MODVERSION="" to resolve the commit of the
# root tag v$K8S_PROVIDER_VERSION instead.
K8S_PROVIDER_VERSION=4.25.0
K8S_PROVIDER_MODVERSION=${K8S_PROVIDER_MODVERSION-v4.0.0-20260115033456-f47bc2d6f199} # the commit tagged v4.25.0
COMMAND_PROVIDER_VERSION=1.2.1
COMMAND_PROVIDER_MODVERSION=v0.0.0-20260303235922-7f3eb6f3b77c
KUBERNETES_VERSION=1.34.4 # newest 1.34 patch the module proxy served (go list -m -versions k8s.io/kubernetes)
ETCD_VERSION=3.5.33
HELM_VERSION=3.20.2 # helm CLI, to lint/template the fixture charts and for helm-level checks
KWOK_VERSION=0.8.0 # sigs.k8s.io/kwok: fake nodes, pods that "run" without a container runtime
RECIPE_REV=1 # bump when the build recipe changes in a way that changes every binary

export PATH="/usr/local/go/bin:$PATH"
TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${ISTIO_MESH_E2E_CACHE:-$HOME/.cache/istio-mesh-e2e}
GO_VERSION=$(go env GOVERSION)
KEY_TEXT="go=$GO_VERSION pulumi=$PULUMI_VERSION langnodejs=$PULUMI_LANG_NODEJS_MODVERSION k8sprovider=$K8S_PROVIDER_VERSION k8sprovidermod=${K8S_PROVIDER_MODVERSION:-tag} command=$COMMAND_PROVIDER_VERSION kubernetes=$KUBERNETES_VERSION etcd=$ETCD_VERSION helm=$HELM_VERSION kwok=$KWOK_VERSION recipe=$RECIPE_REV"
KEY=$(printf '%s' "$KEY_TEXT" | sha256sum | cut -c1-12)
BIN="$CACHE/bin-$KEY"
LOGS="$CACHE/logs"
WORK="$CACHE/work"
mkdir -p "$BIN" "$LOGS" "$WORK"
printf '%s\n' "$KEY_TEXT" >"$BIN/VERSIONS"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
export GOMODCACHE="$CACHE/gomod" GOCACHE="$CACHE/gocache"
# The proxy's checksum-database mirror has no entry for pulumi/pkg/v3@v3.248.0 (404), although the
# module itself is served; skip the checksum database for the Pulumi modules only.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/pulumi"
GO_PAR=${E2E_TOOLS_GO_P:-2}

log() { printf '[build-tools %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
now() { date +%s; }

# ---- helpers ---------------------------------------------------------------------------------------
# mod_field <module@version> <Field>: a field of `go mod download -json` (downloads the module).
mod_field() {
  local json
  json=$(go mod download -json "$1" 2>&1) || true
  if grep -q '"Error":' <<<"$json"; then
    sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p' <<<"$json" | sed 's/\\n\\t/ /g' >&2
    return 1
  fi
  sed -n "s/^[[:space:]]*\"$2\": \"\\(.*\\)\",\{0,1\}$/\\1/p" <<<"$json" | head -n1
}
# go directive / godebug lines of a go.mod
gomod_go() { sed -n 's/^go \([0-9.]*\).*/\1/p' "$1" | head -n1; }
gomod_godebug() {
  awk '/^godebug[[:space:]]*\(/{b=1; print; next} b{print; if ($0 ~ /^\)/) b=0; next} /^godebug /{print}' "$1"
}
# Non-local replace directives of a go.mod (both single-line and block form), one "a => b v" a line.
gomod_remote_replaces() {
  awk '/^replace[[:space:]]*\(/{b=1; next} b&&/^\)/{b=0; next}
       b{print; next} /^replace /{sub(/^replace[[:space:]]+/, ""); print}' "$1" |
    sed 's#//.*##' | awk 'NF>=3 && $3 !~ /^\.\.?\// {print $1" => "$3" "$4}' | sed 's/[[:space:]]*$//'
}
# (no `cmd | grep -q` under pipefail: grep exits at the first match and cmd dies of SIGPIPE)
# out_has <substring> <cmd...>: the command's output (stdout+stderr, any exit code) contains it
out_has() { local want=$1 out; shift; out=$("$@" 2>&1) || true; [[ "$out" == *"$want"* ]]; }

stamp_ok() { [[ -f "$BIN/.$1.stamp" ]]; }
write_stamp() { # piece, source, prep seconds, build seconds
  printf 'piece=%s source=%s prep_s=%s build_s=%s date=%s key=%s\npkey= %s \n' "$1" "$2" "$3" "$4" "$(date -u +%FT%TZ)" "$KEY_TEXT" "$(piece_key "$1")" >"$BIN/.$1.stamp"
  printf '%s piece=%s source=%s prep_s=%s build_s=%s\n' "$(date -u +%FT%TZ)" "$1" "$2" "$3" "$4" >>"$LOGS/timings.log"
}

# piece_key <piece>: the versions (words of KEY_TEXT) a piece's binaries depend on. A stamp in
# another bin dir that contains every one of these words was built from the same inputs.
# <piece>-recipe=N words: bump N when that piece's recipe changes.
piece_key() {
  local base="go=$GO_VERSION recipe=$RECIPE_REV"
  case $1 in
    kubernetes) echo "$base kubernetes=$KUBERNETES_VERSION" ;;
    kube-scheduler) echo "$base kubernetes=$KUBERNETES_VERSION kube-scheduler-recipe=1" ;;
    etcd) echo "$base etcd=$ETCD_VERSION" ;;
    pulumi) echo "$base pulumi=$PULUMI_VERSION" ;;
    pulumi-language-nodejs) echo "$base pulumi=$PULUMI_VERSION langnodejs=$PULUMI_LANG_NODEJS_MODVERSION" ;;
    pulumi-kubernetes) echo "$base k8sprovider=$K8S_PROVIDER_VERSION k8sprovidermod=${K8S_PROVIDER_MODVERSION:-tag}" ;;
    pulumi-command) echo "$base command=$COMMAND_PROVIDER_VERSION" ;;
    helm) echo "$base helm=$HELM_VERSION" ;;
    kwok) echo "$base kwok=$KWOK_VERSION kwok-recipe=2" ;;
  esac
}
# piece_files <piece>: the files a piece puts in the bin dir
piece_files() {
  case $1 in
    kubernetes) echo "kube-apiserver kube-controller-manager kubectl" ;;
    kube-scheduler) echo "kube-scheduler" ;;
    pulumi) echo "pulumi pulumi-resource-pulumi-nodejs" ;;
    pulumi-kubernetes) echo "pulumi-resource-kubernetes" ;;
    pulumi-command) echo "pulumi-resource-command" ;;
    kwok) echo "kwok kwok-stages.yaml" ;;
    *) echo "$1" ;;
  esac
}
# reuse_from_cache <piece>: hard-link (or copy) the piece's files from another bin dir of the cache
# whose stamp for the piece has every word of piece_key; the caller verifies them.
reuse_from_cache() {
  local p=$1 d stamp w ok f
  for d in "$CACHE"/bin-*/; do
    d=${d%/}
    [[ "$d" != "$BIN" && -f "$d/.$p.stamp" ]] || continue
    stamp=" $(tr '\n' ' ' <"$d/.$p.stamp" | sed 's/key=/ /') "
    ok=1
    for w in $(piece_key "$p"); do [[ "$stamp" == *" $w "* ]] || { ok=0; break; }; done
    for f in $(piece_files "$p"); do [[ -f "$d/$f" ]] || ok=0; done
    ((ok)) || continue
    for f in $(piece_files "$p"); do
      ln -f "$d/$f" "$BIN/$f" 2>/dev/null || { cp -f "$d/$f" "$BIN/$f.tmp" && mv -f "$BIN/$f.tmp" "$BIN/$f"; }
    done
    REUSED_FROM=$(basename "$d")
    return 0
  done
  return 1
}

# copy_from_path <name> <check-fn>: reuse a matching binary on PATH (not one already in $BIN)
copy_from_path() {
  local p
  p=$(PATH="${PATH//$BIN:/}" command -v "$1" 2>/dev/null) || return 1
  [[ "$(readlink -f "$p")" == "$(readlink -f "$BIN/$1" 2>/dev/null)" ]] && return 1
  "$2" "$p" || return 1
  log "reusing $p ($1 matches)"
  cp -f "$p" "$BIN/$1.tmp" && mv -f "$BIN/$1.tmp" "$BIN/$1"
}

# ---- version checks --------------------------------------------------------------------------------
check_pulumi() { [[ "$("$1" version 2>/dev/null)" == "v$PULUMI_VERSION" ]]; }
check_k8s() { [[ "$("$1" --version 2>/dev/null)" == "Kubernetes v$KUBERNETES_VERSION" ]]; }
check_kubectl() { out_has "Client Version: v$KUBERNETES_VERSION"$'\n' "$1" version --client; }
check_etcd() { out_has "etcd Version: $ETCD_VERSION"$'\n' "$1" --version; }
# (the language host has no version flag and `go version -m` omits -ldflags under -trimpath: look
# for the -X string itself in the binary)
check_langhost() { grep -qaF "v$PULUMI_VERSION" "$1" && out_has "Usage" "$1" -help; }
# The provider's own answer to GetPluginInfo (tools/plugin-info.js; needs the repo's node_modules):
# `go version -m` does not record -ldflags for -trimpath builds, so the -X stamp is not visible there.
# (the provider answers with the -X value, "v4.25.0"; compared without the v)
plugin_version() { local v; v=$(node "$TOOLS_DIR/plugin-info.js" "$1" 2>/dev/null) || return 1; echo "${v#v}"; }
check_k8s_provider() { [[ "$(plugin_version "$1")" == "$K8S_PROVIDER_VERSION" ]]; }
check_command_provider() { [[ "$(plugin_version "$1")" == "$COMMAND_PROVIDER_VERSION" ]]; }
check_kwok() { out_has "$KWOK_VERSION" "$1" --version; }

# ---- pieces ----------------------------------------------------------------------------------------
# Each piece has: reuse_<p> (0 = binaries copied from PATH), prep_<p> (module set-up + download,
# network-bound, run in parallel), build_<p> (compile, run one at a time), verify_<p>.

## kubernetes: kube-apiserver, kubectl, kube-controller-manager
K8S_PKGS=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl)
reuse_kubernetes() {
  copy_from_path kube-apiserver check_k8s && copy_from_path kube-controller-manager check_k8s &&
    copy_from_path kubectl check_kubectl
}
prep_kubernetes() { kubernetes_module "$WORK/kubernetes" && go list -deps "${K8S_PKGS[@]}" >/dev/null; }
# kubernetes_module <dir>: a throwaway module requiring k8s.io/kubernetes with its staging replaces
kubernetes_module() {
  local d=$1 gm
  rm -rf "$d" && mkdir -p "$d" && cd "$d"
  gm=$(mod_field "k8s.io/kubernetes@v$KUBERNETES_VERSION" GoMod)
  [[ -f "$gm" ]] || { echo "k8s.io/kubernetes@v$KUBERNETES_VERSION: go.mod not downloadable" >&2; return 1; }
  {
    echo "module e2etools/kubernetes"
    echo
    echo "go $(gomod_go "$gm")"
    echo
    gomod_godebug "$gm"
    echo
    echo "require k8s.io/kubernetes v$KUBERNETES_VERSION"
    echo
    echo "replace ("
    # every staging module (replaced by ./staging/src/k8s.io/X upstream) at v0.<minor>.<patch>
    sed -n 's#^[[:space:]]*\(k8s.io/[^[:space:]]*\)[[:space:]]*=>[[:space:]]*\./staging/src/.*#\1#p' "$gm" |
      while read -r m; do printf '\t%s => %s v0.%s\n' "$m" "$m" "${KUBERNETES_VERSION#1.}"; done
    gomod_remote_replaces "$gm" | sed 's/^/\t/'
    echo ")"
  } >go.mod
  echo "generated go.mod:" && cat go.mod
}
k8s_ldflags() {
  local date ld="-s -w" p
  date=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$GOMODCACHE/cache/download/k8s.io/kubernetes/@v/v$KUBERNETES_VERSION.info")
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=v$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$(cut -d. -f2 <<<"$KUBERNETES_VERSION")"
    ld+=" -X $p.gitTreeState=clean -X $p.buildDate=${date:-1970-01-01T00:00:00Z}"
  done
  echo "$ld"
}
build_kubernetes() {
  cd "$WORK/kubernetes"
  go build -p "$GO_PAR" -trimpath -ldflags "$(k8s_ldflags)" -o "$BIN/" "${K8S_PKGS[@]}"
}
verify_kubernetes() {
  check_k8s "$BIN/kube-apiserver" && check_k8s "$BIN/kube-controller-manager" && check_kubectl "$BIN/kubectl"
}

## kube-scheduler (same module and flags as kubernetes; its own piece so adding it rebuilt nothing else)
reuse_kube-scheduler() { copy_from_path kube-scheduler check_k8s; }
prep_kube-scheduler() { kubernetes_module "$WORK/kube-scheduler" && go list -deps k8s.io/kubernetes/cmd/kube-scheduler >/dev/null; }
build_kube-scheduler() {
  cd "$WORK/kube-scheduler"
  go build -p "$GO_PAR" -trimpath -ldflags "$(k8s_ldflags)" -o "$BIN/kube-scheduler" k8s.io/kubernetes/cmd/kube-scheduler
}
verify_kube-scheduler() { check_k8s "$BIN/kube-scheduler"; }

## etcd
reuse_etcd() { copy_from_path etcd check_etcd; }
prep_etcd() {
  local d="$WORK/etcd" gm
  rm -rf "$d" && mkdir -p "$d" && cd "$d"
  gm=$(mod_field "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" GoMod)
  [[ -f "$gm" ]] || { echo "go.etcd.io/etcd/server/v3@v$ETCD_VERSION: go.mod not downloadable" >&2; return 1; }
  # upstream replaces are all local (../api etc.) and not needed: the published modules match.
  printf 'module e2etools/etcd\n\ngo %s\n\nrequire go.etcd.io/etcd/server/v3 v%s\n' "$(gomod_go "$gm")" "$ETCD_VERSION" >go.mod
  go list -deps go.etcd.io/etcd/server/v3 >/dev/null
}
build_etcd() {
  cd "$WORK/etcd"
  go build -p "$GO_PAR" -trimpath -ldflags "-s -w" -o "$BIN/etcd" go.etcd.io/etcd/server/v3
}
verify_etcd() { check_etcd "$BIN/etcd"; }

## pulumi CLI (+ the nodejs dynamic-provider shim from the sdk/v3 module)
reuse_pulumi() { copy_from_path pulumi check_pulumi && install_nodejs_shim; }
install_nodejs_shim() {
  local sdk
  sdk=$(mod_field "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" Dir)
  install -m 0755 "$sdk/nodejs/dist/pulumi-resource-pulumi-nodejs" "$BIN/pulumi-resource-pulumi-nodejs"
}
prep_pulumi() {
  local d="$WORK/pulumi" gm
  rm -rf "$d" && mkdir -p "$d" && cd "$d"
  gm=$(mod_field "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" GoMod)
  [[ -f "$gm" ]] || { echo "pulumi/pkg/v3@v$PULUMI_VERSION: go.mod not downloadable" >&2; return 1; }
  {
    printf 'module e2etools/pulumi\n\ngo %s\n\n' "$(gomod_go "$gm")"
    gomod_godebug "$gm"
    printf 'require (\n\tgithub.com/pulumi/pulumi/pkg/v3 v%s\n\tgithub.com/pulumi/pulumi/sdk/v3 v%s\n)\n\n' "$PULUMI_VERSION" "$PULUMI_VERSION"
    printf 'replace (\n'
    gomod_remote_replaces "$gm" | sed 's/^/\t/'
    printf ')\n'
  } >go.mod
  grep -q atotto/clipboard go.mod || printf 'replace %s\n' "$CLIPBOARD_REPLACE" >>go.mod
  echo "generated go.mod:" && cat go.mod
  go list -deps -tags osusergo,grpcnotrace github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >/dev/null
}
build_pulumi() {
  cd "$WORK/pulumi"
  go build -p "$GO_PAR" -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$BIN/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  install_nodejs_shim
}
verify_pulumi() { check_pulumi "$BIN/pulumi" && [[ -x "$BIN/pulumi-resource-pulumi-nodejs" ]]; }

## pulumi-language-nodejs
reuse_pulumi-language-nodejs() { copy_from_path pulumi-language-nodejs check_langhost; }
prep_pulumi-language-nodejs() {
  local d="$WORK/pulumi-language-nodejs" m=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 gm
  rm -rf "$d" && mkdir -p "$d" && cd "$d"
  gm=$(mod_field "$m@$PULUMI_LANG_NODEJS_MODVERSION" GoMod)
  [[ -f "$gm" ]] || { echo "$m@$PULUMI_LANG_NODEJS_MODVERSION: not served by the module proxy" >&2; return 1; }
  {
    printf 'module e2etools/pulumi-language-nodejs\n\ngo %s\n\n' "$(gomod_go "$gm")"
    printf 'require (\n\t%s %s\n\tgithub.com/pulumi/pulumi/sdk/v3 v%s\n\tgithub.com/pulumi/pulumi/pkg/v3 v%s\n)\n\n' \
      "$m" "$PULUMI_LANG_NODEJS_MODVERSION" "$PULUMI_VERSION" "$PULUMI_VERSION"
    printf 'replace (\n'
    gomod_remote_replaces "$gm" | sed 's/^/\t/'
    printf ')\n'
  } >go.mod
  grep -q atotto/clipboard go.mod || printf 'replace %s\n' "$CLIPBOARD_REPLACE" >>go.mod
  go list -deps -tags osusergo,grpcnotrace "$m" >/dev/null
}
build_pulumi-language-nodejs() {
  cd "$WORK/pulumi-language-nodejs"
  go build -p "$GO_PAR" -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$BIN/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
}
verify_pulumi-language-nodejs() { check_langhost "$BIN/pulumi-language-nodejs"; }

## pulumi-resource-kubernetes
reuse_pulumi-kubernetes() { copy_from_path pulumi-resource-kubernetes check_k8s_provider; }
prep_pulumi-kubernetes() {
  local d="$WORK/pulumi-kubernetes" m=github.com/pulumi/pulumi-kubernetes/provider/v4 mv="$K8S_PROVIDER_MODVERSION" hash dir gm f
  rm -rf "$d" && mkdir -p "$d" && cd "$d"
  if [[ -z "$mv" ]]; then
    hash=$(mod_field "github.com/pulumi/pulumi-kubernetes@v$K8S_PROVIDER_VERSION+incompatible" Hash || true)
    [[ -n "$hash" ]] || { echo "cannot resolve pulumi-kubernetes tag v$K8S_PROVIDER_VERSION (not served by the module proxy?); set K8S_PROVIDER_MODVERSION" >&2; return 1; }
    mv=$(mod_field "$m@$hash" Version)
  fi
  dir=$(mod_field "$m@$mv" Dir)
  gm=$(mod_field "$m@$mv" GoMod)
  [[ -d "$dir" && -f "$gm" ]] || { echo "$m@$mv: not served by the module proxy" >&2; return 1; }
  {
    printf 'module e2etools/pulumi-kubernetes\n\ngo %s\n\n' "$(gomod_go "$gm")"
    gomod_godebug "$gm"
    printf 'require %s %s\n\n' "$m" "$mv"
    printf 'replace (\n'
    gomod_remote_replaces "$gm" | sed 's/^/\t/'
    printf ')\n'
  } >go.mod
  # main.go embeds schema-embed.json and terraform-mapping-embed.json, which the module lacks:
  # generate them in a copy of the main package.
  mkdir -p cmd && for f in main.go generate.go schema.json terraform-mapping.json helm-mapping.json; do
    [[ -f "$dir/cmd/pulumi-resource-kubernetes/$f" ]] && install -m 0644 "$dir/cmd/pulumi-resource-kubernetes/$f" cmd/
  done
  (cd cmd && VERSION="$K8S_PROVIDER_VERSION" go run generate.go)
  go list -deps ./cmd >/dev/null
}
build_pulumi-kubernetes() {
  cd "$WORK/pulumi-kubernetes"
  go build -p "$GO_PAR" -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=v$K8S_PROVIDER_VERSION" \
    -o "$BIN/pulumi-resource-kubernetes" ./cmd
}
verify_pulumi-kubernetes() { check_k8s_provider "$BIN/pulumi-resource-kubernetes"; }

## pulumi-resource-command
reuse_pulumi-command() { copy_from_path pulumi-resource-command check_command_provider; }
prep_pulumi-command() {
  local d="$WORK/pulumi-command" m=github.com/pulumi/pulumi-command/provider gm
  rm -rf "$d" && mkdir -p "$d" && cd "$d"
  gm=$(mod_field "$m@$COMMAND_PROVIDER_MODVERSION" GoMod)
  [[ -f "$gm" ]] || { echo "$m@$COMMAND_PROVIDER_MODVERSION: not served by the module proxy" >&2; return 1; }
  {
    printf 'module e2etools/pulumi-command\n\ngo %s\n\n' "$(gomod_go "$gm")"
    gomod_godebug "$gm"
    printf 'require %s %s\n\n' "$m" "$COMMAND_PROVIDER_MODVERSION"
    printf 'replace (\n'
    gomod_remote_replaces "$gm" | sed 's/^/\t/'
    printf ')\n'
  } >go.mod
  go list -deps "$m/cmd/pulumi-resource-command" >/dev/null
}
build_pulumi-command() {
  cd "$WORK/pulumi-command"
  go build -p "$GO_PAR" -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-command/provider/pkg/version.Version=v$COMMAND_PROVIDER_VERSION" \
    -o "$BIN/pulumi-resource-command" github.com/pulumi/pulumi-command/provider/cmd/pulumi-resource-command
}
verify_pulumi-command() { check_command_provider "$BIN/pulumi-resource-command"; }

## helm
check_helm() { [[ "$("$1" version --template '{{.Version}}' 2>/dev/null)" == "v$HELM_VERSION" ]]; }
reuse_helm() { copy_from_path helm check_helm; }
prep_helm() {
  local d="$WORK/helm" gm
  rm -rf "$d" && mkdir -p "$d" && cd "$d"
  gm=$(mod_field "helm.sh/helm/v3@v$HELM_VERSION" GoMod)
  {
    printf 'module e2etools/helm\n\ngo %s\n\nrequire helm.sh/helm/v3 v%s\n\n' "$(gomod_go "$gm")" "$HELM_VERSION"
    printf 'replace (\n'
    gomod_remote_replaces "$gm" | sed 's/^/\t/'
    printf ')\n'
  } >go.mod
  go list -deps helm.sh/helm/v3/cmd/helm >/dev/null
}
build_helm() {
  cd "$WORK/helm"
  go build -p "$GO_PAR" -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    -o "$BIN/helm" helm.sh/helm/v3/cmd/helm
}
verify_helm() { check_helm "$BIN/helm"; }

## kwok (sigs.k8s.io/kwok: the `kwok` controller only; kwokctl is not needed)
reuse_kwok() { copy_from_path kwok check_kwok && install_kwok_stages; }
# kwok 0.8 simulates nothing without Stage objects ("no stages found"): its own default set, read
# from the module at the pinned version (the kustomize "fast" stages: node-initialize, a heartbeat
# without leases, pod ready / complete / delete), one multi-document file beside the binary.
install_kwok_stages() {
  local dir f out="$BIN/kwok-stages.yaml.tmp"
  dir=$(mod_field "sigs.k8s.io/kwok@v$KWOK_VERSION" Dir) || return 1
  : >"$out"
  for f in "$dir"/kustomize/stage/node/fast/node-initialize.yaml "$dir"/kustomize/stage/node/heartbeat/node-heartbeat.yaml "$dir"/kustomize/stage/pod/fast/pod-*.yaml; do
    [[ -f "$f" ]] || { echo "kwok stages: $f missing" >&2; return 1; }
    printf -- '---\n' >>"$out" && cat "$f" >>"$out"
  done
  mv -f "$out" "$BIN/kwok-stages.yaml"
}
prep_kwok() {
  local d="$WORK/kwok" gm
  rm -rf "$d" && mkdir -p "$d" && cd "$d"
  gm=$(mod_field "sigs.k8s.io/kwok@v$KWOK_VERSION" GoMod)
  [[ -f "$gm" ]] || { echo "sigs.k8s.io/kwok@v$KWOK_VERSION: go.mod not downloadable" >&2; return 1; }
  {
    printf 'module e2etools/kwok\n\ngo %s\n\n' "$(gomod_go "$gm")"
    gomod_godebug "$gm"
    printf 'require sigs.k8s.io/kwok v%s\n\n' "$KWOK_VERSION"
    printf 'replace (\n'
    gomod_remote_replaces "$gm" | sed 's/^/\t/'
    printf ')\n'
  } >go.mod
  go list -deps sigs.k8s.io/kwok/cmd/kwok >/dev/null
}
build_kwok() {
  cd "$WORK/kwok"
  # hack/releases.sh stamps consts.Version the same way
  go build -p "$GO_PAR" -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=v$KWOK_VERSION" -o "$BIN/kwok" sigs.k8s.io/kwok/cmd/kwok
  install_kwok_stages
}
verify_kwok() { check_kwok "$BIN/kwok" && grep -q "kind: Stage" "$BIN/kwok-stages.yaml"; }

# ---- main ------------------------------------------------------------------------------------------
# slowest first
# Built in this order, one at a time: what every e2e scenario needs first (etcd, helm, the Pulumi CLI,
# the API server), then the real provider (without it the stand-in runs), then the pieces the module
# proxy does not serve today (they fail at once, and the stand-ins run). A build that .ci/run stops
# at its time budget so keeps the most useful pieces.
ALL_PIECES=(etcd helm pulumi kubernetes pulumi-kubernetes kube-scheduler kwok pulumi-command pulumi-language-nodejs)
# Pieces known to the script but not built unless asked for (E2E_TOOLS_PIECES): none today.
OPTIONAL_PIECES=()
read -r -a PIECES <<<"${E2E_TOOLS_PIECES:-${ALL_PIECES[*]}}"

T0=$(now)
todo=()
for p in "${PIECES[@]}"; do
  declare -F "prep_$p" >/dev/null || { log "unknown piece $p (known: ${ALL_PIECES[*]} ${OPTIONAL_PIECES[*]})"; exit 2; }
  if "verify_$p" 2>/dev/null; then
    stamp_ok "$p" || write_stamp "$p" existing 0 0
    continue
  fi
  REUSED_FROM=
  if reuse_from_cache "$p" && "verify_$p" 2>/dev/null; then
    log "reusing $p from $REUSED_FROM (same piece key)"
    write_stamp "$p" "cache:$REUSED_FROM" 0 0
    continue
  fi
  if (set +e; "reuse_$p") 2>>"$LOGS/$p.reuse.log"; then
    "verify_$p" && { write_stamp "$p" path 0 0; continue; }
  fi
  todo+=("$p")
done

failed=()
# E2E_TOOLS_NO_BUILD=1: only reuse and verify (what a stopped build left in the cache), build nothing.
if ((${#todo[@]})) && [[ "${E2E_TOOLS_NO_BUILD:-0}" == 1 ]]; then
  log "not building (E2E_TOOLS_NO_BUILD=1); missing: ${todo[*]}"
  failed=("${todo[@]}")
  todo=()
fi
if ((${#todo[@]})); then
  log "cache $CACHE, bin $BIN; to build: ${todo[*]} (logs in $LOGS)"
  # Phase 1: module set-up and downloads, all pieces at once (network-bound).
  declare -A prep_pid prep_start
  for p in "${todo[@]}"; do
    prep_start[$p]=$(now)
    ( set -euo pipefail; "prep_$p"; echo "$(($(now) - prep_start[$p]))" >"$WORK/.$p.prep_s" ) >"$LOGS/$p.prep.log" 2>&1 &
    prep_pid[$p]=$!
  done
  # Phase 2: compile one piece at a time (2 cores: go build -p 2 keeps both busy), slowest first.
  for p in "${todo[@]}"; do
    if ! wait "${prep_pid[$p]}"; then
      log "FAILED to prepare $p: $(tail -n 3 "$LOGS/$p.prep.log" | tr '\n' ' ')"
      failed+=("$p")
      continue
    fi
    # Another build-tools run on the same cache may have built the piece meanwhile.
    if "verify_$p" 2>/dev/null; then
      log "$p: already built (by another run), reusing"
      stamp_ok "$p" || write_stamp "$p" existing 0 0
      continue
    fi
    prep_s=$(cat "$WORK/.$p.prep_s" 2>/dev/null || echo 0)
    log "building $p (prepared in ${prep_s}s) ..."
    t=$(now)
    if ( set -euo pipefail; "build_$p" ) >"$LOGS/$p.build.log" 2>&1 && "verify_$p" 2>>"$LOGS/$p.build.log"; then
      build_s=$(($(now) - t))
      write_stamp "$p" built "$prep_s" "$build_s"
      log "built $p in ${build_s}s"
      rm -rf "${WORK:?}/$p" "$WORK/.$p.prep_s"
    else
      log "FAILED to build $p: $(tail -n 5 "$LOGS/$p.build.log" | tr '\n' ' ')"
      failed+=("$p")
    fi
  done
fi
log "done in $(($(now) - T0))s${failed[*]:+; FAILED: ${failed[*]}}"
echo "$BIN"
if ((${#failed[@]})) && [[ "${E2E_TOOLS_ALLOW_MISSING:-0}" != 1 ]]; then exit 1; fi
