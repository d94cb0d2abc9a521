#!/usr/bin/env bash
# The main job on a fresh machine: build the real SBF program, start the in-process chain
# (LiteSVM), initialise a vault and a market, deposit and withdraw, print the balances.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
bash scripts/build-sbf.sh
cargo run -q -p exposure-vault-tests --bin demo
