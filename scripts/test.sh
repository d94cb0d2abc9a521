#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs the SBF toolchain (cached),
# installs the local validator (cached), builds the real .so, checks formatting and lints, runs
# unit, integration (SBF in LiteSVM), property and end-to-end (JSON-RPC against
# solana-test-validator) tests, checks the committed IDL, regenerates the compute-unit report,
# and builds and tests the web app (Vitest, and headless Chromium against the validator).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
step() { printf '\n==> %s\n' "$*"; }

step "SBF toolchain + program build"
bash scripts/build-sbf.sh

step "local validator (agave 4.2.2: cached, verified prebuilt, or built from the crate registry)"
scripts/install-validator

step "rustfmt"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "tests (unit, integration on the SBF .so in LiteSVM, property, JSON-RPC e2e on the validator)"
cargo test --workspace

step "IDL and TypeScript types current (idl/)"
./target/debug/idl --check

step "compute-unit report"
# `cargo test` above already built the tests crate's binaries (cargo builds a package's bins for
# its integration tests) with the test step's feature set. `cargo run -p` or `cargo build --bins`
# resolve features differently and would recompile much of the agave stack (~7 min cold).
if [ ! -x target/debug/cu-report ]; then
  cargo test -q -p exposure-vault-tests --no-run
fi
./target/debug/cu-report

step "Anchor CLI route (keys, idl build, anchor test --validator legacy) when anchor-cli 1.2.2 is installed"
bash scripts/anchor-route.sh

step "web app: build, Vitest, end-to-end in headless Chromium against the validator"
bash scripts/app-test.sh
