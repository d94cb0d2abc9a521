#!/usr/bin/env bash
# Deploys target/deploy/exposure_vault.so (loader v3, upgradeable) to the validator on
# 127.0.0.1:${1:-8899} at the committed LOCALNET-ONLY program id (keys/README.md), with the
# localnet admin as upgrade authority. Re-running with the same .so is a no-op.
# Users with the Solana CLI can equally run `anchor deploy` or `solana program deploy`.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
exec "$REPO/scripts/localnet" --rpc-port "${1:-8899}" deploy
