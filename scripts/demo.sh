#!/usr/bin/env bash
# README command 1, the main job on a fresh machine: installs the SBF toolchain and a real
# solana-test-validator (agave 4.2.2) when missing, builds the SBF program, starts the validator
# on 127.0.0.1 with a fresh ledger, deploys the program (loader v3), seeds a demo vault, deposits
# from a CLI wallet keypair file, runs one keeper cycle, prints what happened, and stops.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
exec "$REPO/scripts/localnet" demo "$@"
