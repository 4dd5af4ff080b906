#!/usr/bin/env bash
# Makes sure Debian's chromium is at /usr/bin/chromium for the Mini App's browser tests (playwright-core drives it;
# playwright's own browser download cannot work on a machine that reaches only package registries).
# Idempotent and quick when chromium is present: one file test. Otherwise `apt-get update` once, then install.
set -euo pipefail
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ -x "$chromium_path" ]]; then
  exit 0
fi
say() { printf '[cardgate] %s\n' "$*" >&2; }
if ! command -v apt-get >/dev/null 2>&1; then
  say "chromium is missing at $chromium_path and there is no apt-get here: install chromium, or set CHROMIUM_PATH"
  exit 1
fi
sudo_prefix=()
if [[ "$(id -u)" != "0" ]]; then
  sudo_prefix=(sudo -n)
fi
say "installing chromium for the browser tests (apt-get; once per machine)…"
started=$SECONDS
export DEBIAN_FRONTEND=noninteractive
# apt's own lines go to a log printed only when it fails, so a green test run stays quiet.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { "${sudo_prefix[@]}" apt-get update -qq && "${sudo_prefix[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; } >"$log" 2>&1; then
  cat "$log" >&2
  say "chromium could not be installed (above: apt-get's output)"
  exit 1
fi
say "chromium installed in $((SECONDS - started)) s"
