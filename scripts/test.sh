#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs the SBF toolchain (cached),
# builds the real .so, checks formatting and lints, runs unit, integration (SBF in LiteSVM) and
# property tests, and regenerates the compute-unit report.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
step() { printf '\n==> %s\n' "$*"; }

step "SBF toolchain + program build"
bash scripts/build-sbf.sh

step "rustfmt"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "tests (unit, integration on the SBF .so, property)"
cargo test --workspace

step "compute-unit report"
# Built with the workspace's feature set, as by the test step above, so nothing recompiles;
# `cargo run -p` would resolve features for one package and rebuild the program and harness.
cargo build -q --workspace --bins
./target/debug/cu-report
