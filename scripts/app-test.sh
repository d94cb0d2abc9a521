#!/usr/bin/env bash
# The web app's checks: Debian's Chromium (installed once), npm dependencies from the lockfile,
# lint and format, the type check and production build (which must not carry the test wallet),
# the Vitest unit tests (share math against the Rust golden vectors), and the end-to-end test in headless Chromium against a local validator running the
# SBF program (app/e2e/run.mjs; screenshots in app/test-artifacts/). Needs target/debug/localnet
# and target/deploy/exposure_vault.so (scripts/test.sh builds both before calling this).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
log() { printf '[app-test] %s\n' "$*"; }

command -v node >/dev/null && command -v npm >/dev/null || {
  log "node and npm are required (Debian: apt-get install nodejs npm)"
  exit 1
}
if ! command -v chromium >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  log "apt-get install chromium"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

cd "$REPO/app"
npm ci --no-audit --no-fund --loglevel=error
npm run lint          # ESLint (typescript-eslint, react-hooks) and Prettier
npm run build
if grep -q __EXPOSURE_VAULT_TEST_WALLET__ dist/assets/*.js; then
  log "the production bundle carries the test wallet"
  exit 1
fi
npx vitest run
node e2e/run.mjs      # builds its own bundle with the test wallet (--mode e2e, dist-e2e/)
