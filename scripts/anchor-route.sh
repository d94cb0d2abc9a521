#!/usr/bin/env bash
# The Anchor CLI route, as an Anchor user runs it, when anchor-cli 1.2.2 is installed
# (scripts/install-anchor; skipped with a note otherwise):
#   1. `anchor keys list` names the address in Anchor.toml and declare_id!;
#   2. `anchor idl build` gives the committed idl/exposure_vault.json;
#   3. `anchor test --skip-build --validator legacy` starts the project's solana-test-validator
#      (Anchor 1.x defaults to Surfpool, whose CLI the registries here do not carry), loads the
#      SBF build and runs Anchor.toml's [scripts] test: the LiteSVM suite and the JSON-RPC
#      end-to-end test against that validator.
# Needs scripts/build-sbf.sh and scripts/install-validator first (scripts/test.sh runs both).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
export PATH="$REPO/.tools/bin:$PATH"
log() { printf '[anchor-route] %s\n' "$*" >&2; }

if ! anchor --version 2>/dev/null | grep -qx 'anchor-cli 1.2.2'; then
  log "anchor-cli 1.2.2 not installed (scripts/install-anchor): skipping the Anchor CLI route"
  exit 0
fi

# The provider wallet Anchor.toml names; a fresh machine has none.
wallet="$HOME/.config/solana/id.json"
if [ ! -f "$wallet" ]; then
  mkdir -p "$(dirname "$wallet")"
  python3 scripts/gen-keypair.py "$wallet" >/dev/null
  log "wrote a new local wallet $wallet"
fi

id=$(grep -oP 'declare_id!\("\K[^"]+' programs/exposure-vault/src/lib.rs)
toml=$(grep -oP '^exposure_vault = "\K[^"]+' Anchor.toml)
keys=$(anchor keys list | grep -oP '^exposure_vault: \K\S+')
log "keys list: $keys, Anchor.toml: $toml, declare_id!: $id"
[ "$keys" = "$id" ] && [ "$toml" = "$id" ] || { log "ERROR: program addresses disagree"; exit 1; }

out=target/anchor-idl.json
anchor idl build -p exposure_vault -o "$out" -- --target-dir "$REPO/target/anchor-idl-build" >/dev/null
python3 - "$out" idl/exposure_vault.json <<'PY'
import json, sys
built, committed = (json.load(open(p)) for p in sys.argv[1:])
if built != committed:
    keys = sorted(k for k in set(built) | set(committed) if built.get(k) != committed.get(k))
    sys.exit(f"[anchor-route] ERROR: anchor idl build differs from idl/exposure_vault.json in {keys}")
print("[anchor-route] anchor idl build == idl/exposure_vault.json", file=sys.stderr)
PY

anchor test --skip-build --validator legacy
