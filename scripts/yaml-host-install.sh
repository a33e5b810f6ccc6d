#!/usr/bin/env bash
# Provide `pulumi-language-yaml`, the language host that runs YAML programs (the plugin face's
# end-to-end test, test/e2e/plugin.yaml.e2e.test.ts).
#
# Why: the usual installers download it from get.pulumi.com, which CI and sandboxed machines
# cannot reach; Go modules are reachable (through a module proxy), so it is built with
# `go install github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@<version>` (about 4 minutes
# on 2 cores, 45 MB) and cached.
#
# Order of preference (first found wins):
#   1. `pulumi-language-yaml` on PATH;
#   2. the cache: ${PULUMI_YAML_CACHE:-${XDG_CACHE_HOME:-~/.cache}/pulumi-clickhouse-cloud/yaml-<version>}/;
#   3. a build into that cache (needs Go).
#
# Usage: scripts/yaml-host-install.sh [--print-env] [--force]
#   --print-env  print only `export PULUMI_YAML_HOST_DIR=... PATH=...` (for `eval "$(...)"`)
#   --force      skip steps 1-2 and build again
# Environment: PULUMI_YAML_VERSION (default 1.25.0), PULUMI_YAML_CACHE.
set -euo pipefail

VERSION="${PULUMI_YAML_VERSION:-1.25.0}"
VERSION="${VERSION#v}"
CACHE_DIR="${PULUMI_YAML_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-clickhouse-cloud/yaml-$VERSION}"
HOST=pulumi-language-yaml

print_env=false
force=false
for arg in "$@"; do
  case "$arg" in
    --print-env) print_env=true ;;
    --force) force=true ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "yaml-host-install: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "yaml-host-install: $*" >&2; }
die() { echo "yaml-host-install: error: $*" >&2; exit 1; }

dir=""
if ! $force; then
  if found="$(command -v "$HOST" 2>/dev/null)"; then
    dir="$(dirname "$found")"
    log "using $found (on PATH)"
  elif [[ -x "$CACHE_DIR/$HOST" ]]; then
    dir="$CACHE_DIR"
    log "using $CACHE_DIR/$HOST (cached build of $VERSION)"
  fi
fi

if [[ -z "$dir" ]]; then
  command -v go >/dev/null 2>&1 || die "no $HOST on PATH or in $CACHE_DIR, and no Go toolchain to build it"
  mkdir -p "$CACHE_DIR"
  log "building $HOST $VERSION into $CACHE_DIR (a few minutes)"
  # -mod=mod: the module's own go.sum decides, whatever GOFLAGS the environment sets.
  GOBIN="$CACHE_DIR" GOFLAGS=-mod=mod go install "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$VERSION" >&2 \
    || die "go install github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$VERSION failed"
  dir="$CACHE_DIR"
fi

if $print_env; then
  printf 'export PULUMI_YAML_HOST_DIR=%q\n' "$dir"
  printf 'export PATH=%q:"$PATH"\n' "$dir"
else
  echo "$dir/$HOST"
fi
