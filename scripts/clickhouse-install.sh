#!/usr/bin/env bash
# Provide `clickhouse-server` (and `clickhouse-client`) for the emulator's real servers
# (emulator/realServers.ts, docs/emulator.md) and their tests.
#
# Why: the emulator can give each service a real server; Debian ships one (clickhouse-server
# 18.16.1, about 10 MB, in the distribution's own archive), so it is installed with apt-get.
#
# Order of preference (first found wins):
#   1. CLICKHOUSE_SERVER_BIN, `clickhouse-server` on PATH, or /usr/sbin/clickhouse-server;
#   2. `apt-get install clickhouse-server clickhouse-client` (as root, or through `sudo -n`),
#      after `apt-get update` when the package lists do not know the package.
# It also needs openssl (the servers' TLS certificate), installed the same way when missing.
#
# Usage: scripts/clickhouse-install.sh [--print-env]
#   --print-env  print only `export CLICKHOUSE_SERVER_BIN=...` (for `eval "$(...)"`)
set -euo pipefail

print_env=false
for arg in "$@"; do
  case "$arg" in
    --print-env) print_env=true ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "clickhouse-install: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "clickhouse-install: $*" >&2; }
die() { echo "clickhouse-install: error: $*" >&2; exit 1; }

find_server() {
  if [[ -n "${CLICKHOUSE_SERVER_BIN:-}" && -x "$CLICKHOUSE_SERVER_BIN" ]]; then echo "$CLICKHOUSE_SERVER_BIN"; return; fi
  if command -v clickhouse-server >/dev/null 2>&1; then command -v clickhouse-server; return; fi
  for f in /usr/sbin/clickhouse-server /usr/local/sbin/clickhouse-server; do
    if [[ -x "$f" ]]; then echo "$f"; return; fi
  done
}

apt() {
  if [[ "$(id -u)" == 0 ]]; then DEBIAN_FRONTEND=noninteractive apt-get "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo DEBIAN_FRONTEND=noninteractive apt-get "$@"
  else die "clickhouse-server is not installed and apt-get needs root: run 'sudo apt-get install clickhouse-server clickhouse-client openssl'"
  fi
}

install_packages() {
  command -v apt-get >/dev/null 2>&1 || die "no apt-get here: install clickhouse-server yourself and set CLICKHOUSE_SERVER_BIN"
  log "installing $* with apt-get"
  if ! apt install -y -q "$@" >&2; then
    log "apt-get install failed; updating the package lists and trying once more"
    apt update -q >&2
    apt install -y -q "$@" >&2
  fi
}

bin="$(find_server)"
if [[ -z "$bin" ]]; then
  install_packages clickhouse-server clickhouse-client
  bin="$(find_server)"
  [[ -n "$bin" ]] || die "apt-get installed clickhouse-server but no binary was found"
fi
command -v openssl >/dev/null 2>&1 || install_packages openssl

if $print_env; then
  echo "export CLICKHOUSE_SERVER_BIN=$bin"
else
  log "using $bin"
fi
