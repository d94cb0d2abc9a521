#!/usr/bin/env bash
# Builds programs/exposure-vault to a real SBPF v3 `.so` with upstream rustc + LLVM 23, offline
# from package registries, and writes target/deploy/exposure_vault.so (+ the localnet keypair).
#
# Users with the Solana CLI can instead run `anchor build` or `cargo build-sbf`; this script is
# for machines where platform-tools cannot be downloaded. See docs/TOOLCHAIN.md.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"

SBF_ROOT=$(bash scripts/sbf-toolchain.sh | sed -n 's/^SBF_ROOT=//p')
[ -n "$SBF_ROOT" ] || { echo "[build-sbf] toolchain setup failed" >&2; exit 1; }
DEBROOT=$SBF_ROOT/deb-root

# Debian's rustc 1.96 and cargo, whose library source is patched for target_os = "solana".
export PATH=$DEBROOT/usr/bin:$PATH
export LD_LIBRARY_PATH=$DEBROOT/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export RUSTC=$DEBROOT/usr/bin/rustc
export RUSTDOC=$DEBROOT/usr/bin/rustdoc
export RUSTC_BOOTSTRAP=1                  # -Z build-std, -Z json-target-spec, abi_unadjusted
export RUSTC_BOOTSTRAP_SYNTHETIC_TARGET=1 # std for a target that is not built in
unset RUSTUP_TOOLCHAIN
export CARGO_TARGET_DIR=$REPO/target/sbf-upstream
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-$(nproc)}
# With --target these apply to the SBF crates only, never to build scripts or proc macros.
export RUSTFLAGS="-C linker=$SBF_ROOT/bin/sbpf-linker-wrap -Z unstable-options -C panic=immediate-abort \
 -C link-arg=--llvm-args=-bpf-stack-size=4096 -C relocation-model=static -C passes=lower-atomic"
unset CARGO_ENCODED_RUSTFLAGS

TARGET_SPEC=$SBF_ROOT/bpfel-solana-solana.json
OUT=$CARGO_TARGET_DIR/bpfel-solana-solana/release
mkdir -p target/deploy

# One cargo invocation per program: built together, cargo would unify the features of
# exposure-vault and the probe's `no-entrypoint` would strip the program's entrypoint.
build_program() { # <package> <lib name>
  echo "[build-sbf] $(rustc --version) -> $1 for bpfel-solana-solana (SBPF v3)" >&2
  cargo build -Z json-target-spec -Z build-std=std,panic_abort -Z build-std-features= \
    --release --target "$TARGET_SPEC" -p "$1" --lib --features upstream-sbf
  # The custom target spec keeps rustc's default `lib` prefix for cdylibs.
  local so=$OUT/lib$2.so
  [ -f "$so" ] || so=$OUT/$2.so
  [ -f "$so" ] || { echo "[build-sbf] build produced no $2.so in $OUT" >&2; exit 1; }
  cp "$so" "target/deploy/$2.so"
}

# SBF_ONLY=probe rebuilds just the benchmark probe (fast iteration on the math crate).
[ "${SBF_ONLY:-}" = probe ] || build_program exposure-vault exposure_vault
# Benchmark-only program that meters the shared math on SBF (CU report).
build_program exposure-vault-cu-probe exposure_vault_cu_probe
# LOCALNET ONLY: the price publisher a local validator loads at the Pyth receiver's address.
[ "${SBF_ONLY:-}" = probe ] || build_program exposure-vault-localnet-oracle exposure_vault_localnet_oracle
# The disclosure record (SECURITY.md) must survive the link: query-security-txt and explorers
# find it by its delimiters.
if [ "${SBF_ONLY:-}" != probe ] && ! grep -aq '=======BEGIN SECURITY.TXT V1=======' target/deploy/exposure_vault.so; then
  echo "[build-sbf] target/deploy/exposure_vault.so carries no security.txt record" >&2; exit 1
fi
# Anchor's convention; the committed keypair is for localnet only (see keys/README.md).
cp keys/exposure_vault-keypair.json target/deploy/exposure_vault-keypair.json
echo "[build-sbf] wrote target/deploy/exposure_vault.so ($(stat -c %s target/deploy/exposure_vault.so) bytes)" >&2
