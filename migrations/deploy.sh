#!/usr/bin/env bash
# Deploys target/deploy/exposure_vault.so to a validator.
#
#   migrations/deploy.sh [RPC_URL]     (default http://127.0.0.1:8899)
#
# With the Solana CLI on PATH this is a loader-v3 (upgradeable) deploy at the committed
# localnet program id (keys/README.md). Without it, start the local validator with the program
# loaded at genesis instead:
#   solana-test-validator --upgradeable-program Bq4pNo2rrQ1kTMGGjKqgox2j42G1MYUMi18HdFoYcVfq \
#       target/deploy/exposure_vault.so ~/.config/solana/id.json
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
RPC=${1:-http://127.0.0.1:8899}
SO=$REPO/target/deploy/exposure_vault.so
KEYPAIR=$REPO/keys/exposure_vault-keypair.json
[ -f "$SO" ] || { echo "missing $SO: run scripts/build-sbf.sh (or anchor build)" >&2; exit 1; }
case "$RPC" in
  *127.0.0.1*|*localhost*) ;;
  *) echo "refusing to deploy the public localnet keypair to $RPC" >&2; exit 1 ;;
esac
if command -v solana >/dev/null; then
  solana program deploy --url "$RPC" --program-id "$KEYPAIR" "$SO"
else
  echo "Solana CLI not found: load the program at validator genesis with" >&2
  echo "  solana-test-validator --upgradeable-program Bq4pNo2rrQ1kTMGGjKqgox2j42G1MYUMi18HdFoYcVfq $SO <upgrade-authority-keypair>" >&2
  exit 2
fi
