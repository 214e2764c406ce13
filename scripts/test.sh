#!/usr/bin/env bash
# Runs the whole test suite: typecheck, then every Vitest test (unit + integration).
# Integration tests need PostgreSQL 15 server binaries; when they are missing and we
# are root, they are installed with apt. Set CPOR_TEST_DATABASE_URL to use an existing
# server instead, or CPOR_PG_BIN to point at binaries elsewhere.
# Extra arguments are passed to `vitest run` (e.g. a file filter).
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n==> %s\n' "$*"; }

PG_BIN="${CPOR_PG_BIN:-/usr/lib/postgresql/15/bin}"

section "PostgreSQL 15 binaries"
if [[ -n "${CPOR_TEST_DATABASE_URL:-}" ]]; then
  echo "using existing server from CPOR_TEST_DATABASE_URL; no local cluster needed"
elif [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" && -x "$PG_BIN/postgres" ]]; then
  echo "found in $PG_BIN"
elif [[ "$(id -u)" -eq 0 ]]; then
  echo "not found in $PG_BIN; installing postgresql-15 with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y postgresql-15
  if [[ ! -x "$PG_BIN/pg_ctl" ]]; then
    echo "error: postgresql-15 installed but $PG_BIN/pg_ctl is still missing" >&2
    exit 1
  fi
else
  echo "error: PostgreSQL 15 binaries not found at $PG_BIN and not running as root." >&2
  echo "       Install postgresql-15 (sudo apt-get install -y postgresql-15), set CPOR_PG_BIN," >&2
  echo "       or set CPOR_TEST_DATABASE_URL to an existing server." >&2
  exit 1
fi

section "Typecheck (tsc --noEmit, server and web)"
npx tsc --noEmit
npx tsc --noEmit -p web

section "Build the web app (vite build)"
npx vite build --logLevel warn

section "Build the server bundle (esbuild; bin/cpor.js runs it, as after npm start)"
node scripts/build-server.mjs

section "Lint (biome)"
npx biome lint src test web/src

section "Chromium (for the browser tests)"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ -x "$CHROMIUM" ]]; then
  echo "found $CHROMIUM"
elif [[ "$(id -u)" -eq 0 ]]; then
  echo "not found; installing Debian's chromium with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y chromium
else
  echo "error: Chromium not found at $CHROMIUM and not running as root." >&2
  echo "       Install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH." >&2
  exit 1
fi

section "Tests (vitest run: unit and integration)"
npx vitest run "$@"

if [[ $# -eq 0 ]]; then
  section "Browser tests (vitest run: e2e on Chromium)"
  npx vitest run --config vitest.e2e.config.ts
fi

section "All tests passed"
