#!/usr/bin/env bash
# Provide a Node.js binary of a given release line (22, 24, ...) for CI and for local runs of the
# "oldest supported" and "newest" combinations, taken from the npm registry only.
#
# Why the npm registry: CI and sandboxed machines reach the npm registry and nothing else, and the
# registry serves the official Node.js binaries as the packages `node-<os>-<cpu>` (one release per
# Node.js version, with the `bin/node` of nodejs.org). `npm pack` fetches them through npm's own
# cache and checks their integrity against the registry's record.
#
# The binary is kept in ${XDG_CACHE_HOME:-~/.cache}/pulumi-clickhouse-cloud/node/<version>/bin,
# outside the repository; a later run with the same line reuses the newest cached version when the
# registry cannot be asked. `npm` itself is the one on PATH (a script, it runs on the `node` first
# on PATH).
#
# Usage: scripts/node-install.sh LINE [--print-env]
#   LINE         a major version (24) or an exact version (24.22.3)
#   --print-env  print only `export PATH=...` for `eval "$(scripts/node-install.sh 24 --print-env)"`
#                (otherwise the bin folder is printed)
# Environment: NODE_INSTALL_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/pulumi-clickhouse-cloud/node).
set -euo pipefail

line=""
print_env=false
for arg in "$@"; do
  case "$arg" in
    --print-env) print_env=true ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "node-install: unknown option '$arg' (see --help)" >&2; exit 2 ;;
    *) line="$arg" ;;
  esac
done
[[ -n "$line" ]] || { echo "node-install: which Node.js line? e.g. scripts/node-install.sh 24" >&2; exit 2; }

log() { echo "node-install: $*" >&2; }
die() { echo "node-install: error: $*" >&2; exit 1; }

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) die "no npm package of the Node.js binary for $(uname -s)" ;;
esac
case "$(uname -m)" in
  x86_64|amd64) cpu=x64 ;;
  aarch64|arm64) cpu=arm64 ;;
  *) die "no npm package of the Node.js binary for $(uname -m)" ;;
esac
pkg="node-$os-$cpu"
cache="${NODE_INSTALL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-clickhouse-cloud/node}"
mkdir -p "$cache"

# The newest cached version of the line, if any.
cached_version() {
  local v
  for v in $(ls "$cache" 2>/dev/null | sort -V -r); do
    if [[ -x "$cache/$v/bin/node" && ( "$v" == "$line" || "$v" == "$line".* ) ]]; then echo "$v"; return; fi
  done
}

# `npm view` lists the matching versions in no particular order: take the highest.
version="$(npm view "$pkg@$line" version --json 2>/dev/null | tr -d '[]", ' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | sort -V | tail -n 1)" || true
if [[ -z "$version" ]]; then
  version="$(cached_version)"
  [[ -n "$version" ]] || die "cannot ask the npm registry for $pkg@$line and nothing of that line is cached in $cache"
  log "registry not reachable: using the cached $version"
fi

dir="$cache/$version"
if [[ ! -x "$dir/bin/node" ]]; then
  # Serialise concurrent runs on one lock, as scripts/pulumi-install.sh does.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$cache/.install.lock"
    flock 9
  fi
  if [[ ! -x "$dir/bin/node" ]]; then
    log "fetching $pkg@$version from the npm registry"
    tmp="$(mktemp -d "$cache/.tmp.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null) || die "npm pack $pkg@$version failed"
    tar -xzf "$tmp"/"$pkg"-*.tgz -C "$tmp" package/bin/node package/LICENSE
    "$tmp/package/bin/node" --version >/dev/null || die "the fetched node binary does not run on this machine"
    mkdir -p "$tmp/out/bin"
    mv "$tmp/package/bin/node" "$tmp/out/bin/node"
    mv "$tmp/package/LICENSE" "$tmp/out/LICENSE"
    rm -rf "$dir"
    mv "$tmp/out" "$dir"
  fi
fi

if $print_env; then
  printf 'export PATH=%q:"$PATH"\n' "$dir/bin"
else
  echo "$dir/bin"
fi
