#!/usr/bin/env bash
# Provide a working `pulumi` CLI able to run this project's Node.js/TypeScript programs offline.
#
# Why: the usual installers download the CLI from get.pulumi.com, which CI and sandboxed machines
# cannot reach. Go modules are reachable (through a module proxy), so when no usable CLI is found
# the CLI is built from github.com/pulumi/pulumi/pkg/v3, and the Node.js language host from
# tools/pulumi-language-nodejs (our own minimal host: the official one is not published as a
# fetchable module version). The dynamic-provider plugin shim ships inside @pulumi/pulumi.
#
# Order of preference (first that is complete wins):
#   1. `pulumi` on PATH with `pulumi-language-nodejs` beside it or on PATH;
#   2. $PULUMI_INSTALL_DIR (default ~/.pulumi/versions/<version>/bin), then any other
#      ~/.pulumi/versions/*/bin holding both binaries;
#   3. build both into $PULUMI_INSTALL_DIR (build files are kept in
#      ${XDG_CACHE_HOME:-~/.cache}/pulumi-clickhouse-cloud/, outside the repository).
# A build is reused on later runs; the language host is rebuilt when its sources change.
#
# Usage: scripts/pulumi-install.sh [--print-env] [--force]
#   --print-env  print only shell `export` lines (for `eval "$(scripts/pulumi-install.sh --print-env)"`)
#   --force      skip steps 1-2 and rebuild whatever is stale in $PULUMI_INSTALL_DIR
# Environment: PULUMI_VERSION (default 3.274.1), PULUMI_INSTALL_DIR, PULUMI_BUILD_CACHE.
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-3.274.1}"
PULUMI_VERSION="${PULUMI_VERSION#v}"
INSTALL_DIR="${PULUMI_INSTALL_DIR:-$HOME/.pulumi/versions/$PULUMI_VERSION/bin}"
CACHE_ROOT="${PULUMI_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-clickhouse-cloud}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOST_SRC="$REPO_ROOT/tools/pulumi-language-nodejs"
SHIM_NAME="pulumi-resource-pulumi-nodejs"

print_env=false
force=false
for arg in "$@"; do
  case "$arg" in
    --print-env) print_env=true ;;
    --force) force=true ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "pulumi-install: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "pulumi-install: $*" >&2; }
die() { echo "pulumi-install: error: $*" >&2; exit 1; }

export PULUMI_SKIP_UPDATE_CHECK=true

# Hash of the language host sources, recorded next to the built binary to detect staleness.
host_source_hash() {
  (cd "$HOST_SRC" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-16)
}

# Path of the dynamic-provider shim inside the project's installed @pulumi/pulumi.
find_shim_source() {
  local pkg
  pkg="$(cd "$REPO_ROOT" && node -p "require.resolve('@pulumi/pulumi/package.json')" 2>/dev/null)" || true
  if [[ -n "$pkg" && -f "$(dirname "$pkg")/$SHIM_NAME" ]]; then
    echo "$(dirname "$pkg")/$SHIM_NAME"
  fi
}

# Make sure $1 (a bin dir holding pulumi) can start dynamic providers: the shim must be beside
# pulumi or on PATH. Copies it in when missing and the directory is writable.
ensure_shim() {
  local dir="$1" src
  [[ -x "$dir/$SHIM_NAME" ]] && return 0
  command -v "$SHIM_NAME" >/dev/null 2>&1 && return 0
  src="$(find_shim_source)"
  [[ -n "$src" ]] || die "@pulumi/pulumi is not installed in $REPO_ROOT (run 'npm ci' first): $SHIM_NAME is needed for dynamic providers"
  [[ -w "$dir" ]] || die "$dir/$SHIM_NAME is missing and $dir is not writable; copy $src there"
  install -m 0755 "$src" "$dir/$SHIM_NAME"
  log "copied $SHIM_NAME into $dir"
}

report() {
  local dir="$1" how="$2" ver
  ver="$("$dir/pulumi" version 2>/dev/null || echo unknown)"
  if $print_env; then
    printf 'export PULUMI_CLI_DIR=%q\n' "$dir"
    printf 'export PATH=%q:"$PATH"\n' "$dir"
  else
    echo "pulumi CLI ($how): $dir/pulumi $ver"
    echo "language host: $dir/pulumi-language-nodejs"
    echo "to use it in this shell:"
    printf '  export PULUMI_CLI_DIR=%q PATH=%q:"$PATH"\n' "$dir" "$dir"
  fi
  exit 0
}

# Used by steps 1 and 2.
complete_dir() { [[ -x "$1/pulumi" && -x "$1/pulumi-language-nodejs" ]]; }
host_fresh() {
  # A host we built records the hash of its sources; other (official) hosts are taken as they are.
  local stamp="$1/.pulumi-language-nodejs.source"
  [[ ! -f "$stamp" ]] || [[ "$(cat "$stamp")" == "$(host_source_hash)" ]]
}

# ---- 1. Already on PATH ---------------------------------------------------------------------
if ! $force && command -v pulumi >/dev/null 2>&1; then
  dir="$(cd "$(dirname "$(command -v pulumi)")" && pwd)"
  if { [[ -x "$dir/pulumi-language-nodejs" ]] && host_fresh "$dir"; } ||
     { [[ ! -e "$dir/pulumi-language-nodejs" ]] && command -v pulumi-language-nodejs >/dev/null 2>&1; }; then
    ensure_shim "$dir"
    report "$dir" "found on PATH"
  fi
fi

# ---- 2. Already installed under ~/.pulumi/versions ------------------------------------------
if ! $force; then
  if complete_dir "$INSTALL_DIR" && host_fresh "$INSTALL_DIR"; then
    ensure_shim "$INSTALL_DIR"
    report "$INSTALL_DIR" "installed"
  fi
  shopt -s nullglob
  for dir in "$HOME"/.pulumi/versions/*/bin; do
    if [[ "$dir" != "$INSTALL_DIR" ]] && complete_dir "$dir" && host_fresh "$dir"; then
      ensure_shim "$dir"
      report "$dir" "installed"
    fi
  done
  shopt -u nullglob
fi

# ---- 3. Build from Go modules ---------------------------------------------------------------
command -v go >/dev/null 2>&1 || die "no usable pulumi CLI found and 'go' is not installed to build one"
command -v node >/dev/null 2>&1 || die "'node' is required"
mkdir -p "$INSTALL_DIR" "$CACHE_ROOT"

# Serialise concurrent runs (parallel CI jobs, test workers) on one lock.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/install.lock"
  flock 9
fi

export CGO_ENABLED=0
LDFLAGS="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"

build_cli() {
  local build="$CACHE_ROOT/build/pulumi-$PULUMI_VERSION" pkgmod started
  started=$SECONDS
  log "building pulumi v$PULUMI_VERSION from Go modules in $build (first build takes several minutes)"
  mkdir -p "$build"
  if [[ ! -f "$build/go.mod" ]]; then
    (
      cd "$build"
      rm -f go.mod go.sum
      go mod init localbuild/pulumi-cli >/dev/null 2>&1
      # `go install pkg@version` refuses modules with replace directives, so copy pkg's
      # non-local replace lines (local ones point into the pulumi repo checkout) into our module.
      pkgmod="$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
      [[ -f "$pkgmod" ]] || die "could not download github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION"
      awk '
        /^replace[[:space:]]*\($/ { inblock = 1; next }
        inblock && /^\)/ { inblock = 0; next }
        inblock { line = $0 }
        !inblock && /^replace[[:space:]]/ { line = $0; sub(/^replace[[:space:]]+/, "", line) }
        line != "" && line ~ /=>/ {
          split(line, parts, "=>"); target = parts[2]; gsub(/^[[:space:]]+/, "", target)
          if (target !~ /^\.|^\//) print "replace " line
        }
        { line = "" }
      ' "$pkgmod" >>go.mod
      printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"\n' >tools.go
      go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
      go mod tidy
    ) || { rm -f "$build/go.mod"; die "preparing the pulumi build module failed"; }
  fi
  (cd "$build" && go build -trimpath -tags osusergo,grpcnotrace -ldflags "$LDFLAGS" \
      -o "$INSTALL_DIR/.pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) \
    || die "building pulumi failed (see the go output above)"
  mv -f "$INSTALL_DIR/.pulumi.tmp" "$INSTALL_DIR/pulumi"
  log "built pulumi in $((SECONDS - started))s"
}

build_host() {
  local started=$SECONDS
  log "building pulumi-language-nodejs from $HOST_SRC"
  (cd "$HOST_SRC" && go build -trimpath -ldflags "$LDFLAGS" -o "$INSTALL_DIR/.pulumi-language-nodejs.tmp" .) \
    || die "building pulumi-language-nodejs failed"
  mv -f "$INSTALL_DIR/.pulumi-language-nodejs.tmp" "$INSTALL_DIR/pulumi-language-nodejs"
  host_source_hash >"$INSTALL_DIR/.pulumi-language-nodejs.source"
  log "built pulumi-language-nodejs in $((SECONDS - started))s"
}

if [[ ! -x "$INSTALL_DIR/pulumi" ]] || [[ "$("$INSTALL_DIR/pulumi" version 2>/dev/null)" != "v$PULUMI_VERSION" ]]; then
  build_cli
fi
if [[ ! -x "$INSTALL_DIR/pulumi-language-nodejs" ]] || ! host_fresh "$INSTALL_DIR" || [[ ! -f "$INSTALL_DIR/.pulumi-language-nodejs.source" ]]; then
  build_host
fi
ensure_shim "$INSTALL_DIR"
report "$INSTALL_DIR" "built"
