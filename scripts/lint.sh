#!/usr/bin/env bash
# Static checks, run by `npm test` and `npm run lint`: types, lint rules, formatting.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tsc -p tsconfig.json --noEmit
tsc -p packages/mini-app/tsconfig.json --noEmit
eslint --max-warnings=0 .
prettier --check --log-level=warn .
