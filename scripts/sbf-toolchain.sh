#!/usr/bin/env bash
# Installs the upstream-rustc + LLVM 23 SBF toolchain from package registries only
# (Debian packages + the Rust crate registry), into a private root; nothing is installed system-wide.
#
# Why: the Solana platform-tools download is unreachable here, but Debian ships a rustc whose
# library source can `-Z build-std` for a custom `target_os = "solana"` spec, and the
# `sbpf-linker` crate links SBPF v3 `.so` files with LLVM 23 (from Debian sid, run under sid's
# own glibc loader so the host system is untouched). See docs/TOOLCHAIN.md.
#
# Idempotent: each stage writes a stamp file and is skipped when done. Re-run freely.
# Output: prints `SBF_ROOT=<dir>`; `source scripts/sbf-env.sh` to use it.
set -euo pipefail

SBF_ROOT=${SBF_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/exposure-vault/sbf}
REPO=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$SBF_ROOT"/{debs,deb-root,sid-debs,sid-root,apt/lists/partial,apt/cache/archives/partial,bin,stamps,llvm23/lib}

log() { printf '[sbf-toolchain] %s\n' "$*" >&2; }
die() { printf '[sbf-toolchain] ERROR: %s\n' "$*" >&2; exit 1; }
done_stage() { [ -f "$SBF_ROOT/stamps/$1" ]; }
mark_stage() { touch "$SBF_ROOT/stamps/$1"; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# Pinned versions measured to work (2026-11). Each falls back to the newest available
# version with a warning when the pin has left the mirror, because Debian security and sid move.
RUST_WEB_VERSION=1.96.0+dfsg1-1~deb12u2
DEB_PKGS_PINNED=(rustc-web libstd-rust-web-1.96 libstd-rust-web-dev rust-web-src cargo-web libllvm22)
DEB_PKGS_LIBS=(libgit2-1.5 libhttp-parser2.9 libmbedtls14 libmbedcrypto7 libmbedx509-1)
SID_LLVM_VERSION=1:23.1.4-2
SID_PKGS=(libc6 libstdc++6 libgcc-s1 libxml2-16 libz3-4 libzstd1 zlib1g libedit2 libffi8 libbsd0 libmd0 libtinfo6 liblzma5)
SBPF_LINKER_VERSION=0.2.6

command -v apt-get >/dev/null || die "apt-get not found: this script needs a Debian 12 (bookworm) host"
# Downloads land in our private cache, which the unprivileged _apt user cannot write.
APT_SANDBOX=(-o APT::Sandbox::User=root)
command -v dpkg >/dev/null || die "dpkg not found"
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first"

download_pinned() { # <apt options...> -- <version> <pkg>
  local -a opts=(); while [ "$1" != "--" ]; do opts+=("$1"); shift; done; shift
  local ver=$1 pkg=$2
  if ! apt-get "${APT_SANDBOX[@]}" "${opts[@]}" download "$pkg=$ver" >/dev/null 2>&1; then
    log "WARNING: $pkg=$ver is no longer on the mirror; taking the newest $pkg"
    apt-get "${APT_SANDBOX[@]}" "${opts[@]}" download "$pkg" >/dev/null || die "Debian package $pkg could not be downloaded"
  fi
}

# 1. Debian rustc 1.96 with its library source (bookworm-security), unpacked privately.
if ! done_stage debs; then
  log "stage 1/5: Debian rustc-web + rust-web-src"
  $SUDO apt-get update -qq || die "apt-get update failed"
  cd "$SBF_ROOT/debs"
  for p in "${DEB_PKGS_PINNED[@]}"; do
    if [ "$p" = libllvm22 ]; then
      apt-get "${APT_SANDBOX[@]}" download "$p" >/dev/null || die "Debian package $p could not be downloaded"
    else
      download_pinned -- "$RUST_WEB_VERSION" "$p"
    fi
  done
  apt-get "${APT_SANDBOX[@]}" download "${DEB_PKGS_LIBS[@]}" >/dev/null || die "could not download ${DEB_PKGS_LIBS[*]}"
  rm -rf "$SBF_ROOT/deb-root"; mkdir -p "$SBF_ROOT/deb-root"
  for f in *.deb; do dpkg -x "$f" "$SBF_ROOT/deb-root"; done
  [ -x "$SBF_ROOT/deb-root/usr/bin/rustc" ] || die "rustc-web did not unpack a rustc"
  mark_stage debs
fi

# 2. Patch std for target_os = "solana" (abort syscall, no writable statics, unsupported PAL).
SRC=$SBF_ROOT/deb-root/usr/lib/rustlib/src/rust
if ! done_stage std-patch; then
  log "stage 2/5: patching std for target_os=solana"
  [ -d "$SRC/library/std" ] || die "rust-web-src did not unpack library sources at $SRC"
  (cd "$SRC" && patch -p0 --forward --batch < "$REPO/toolchain/std-solana-os.patch") \
    || die "std patch did not apply to $SRC"
  mark_stage std-patch
fi

# 3. LLVM 23 from Debian sid, through a private apt state (the host's apt state is untouched).
if ! done_stage sid; then
  log "stage 3/5: libLLVM 23 from Debian sid (private apt state)"
  MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
  printf 'deb %s sid main\n' "$MIRROR" > "$SBF_ROOT/apt/sources.list"; touch "$SBF_ROOT/apt/status"
  APTOPT=(-o "Dir::Etc::SourceList=$SBF_ROOT/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$SBF_ROOT/apt/lists" -o "Dir::Cache=$SBF_ROOT/apt/cache"
          -o "Dir::State::Status=$SBF_ROOT/apt/status")
  apt-get "${APT_SANDBOX[@]}" "${APTOPT[@]}" update -qq || die "apt-get update for sid failed"
  cd "$SBF_ROOT/sid-debs"
  download_pinned "${APTOPT[@]}" -- "$SID_LLVM_VERSION" libllvm23
  apt-get "${APT_SANDBOX[@]}" "${APTOPT[@]}" download "${SID_PKGS[@]}" >/dev/null || die "could not download sid runtime libraries"
  rm -rf "$SBF_ROOT/sid-root"; mkdir -p "$SBF_ROOT/sid-root"
  for f in *.deb; do dpkg -x "$f" "$SBF_ROOT/sid-root"; done
  LLVM_SO=$(ls "$SBF_ROOT"/sid-root/usr/lib/x86_64-linux-gnu/libLLVM.so.23* 2>/dev/null | head -n1)
  [ -n "$LLVM_SO" ] || die "libllvm23 did not unpack libLLVM.so.23"
  ln -sf "$LLVM_SO" "$SBF_ROOT/llvm23/lib/libLLVM.so"
  mark_stage sid
fi

# 4. sbpf-linker built against LLVM 23.
if ! done_stage sbpf-linker; then
  log "stage 4/5: cargo install sbpf-linker@$SBPF_LINKER_VERSION (LLVM 23; 5-11 min on 2 cores)"
  LLVM_PREFIX="$SBF_ROOT/llvm23" RUSTFLAGS="-C link-arg=-Wl,--allow-shlib-undefined" \
    CARGO_TARGET_DIR="$SBF_ROOT/sbpf-linker-target" \
    cargo install "sbpf-linker@$SBPF_LINKER_VERSION" --locked --no-default-features \
      --features bpf-linker/llvm-23 --root "$SBF_ROOT/tools" \
    || die "sbpf-linker build failed"
  rm -rf "$SBF_ROOT/sbpf-linker-target"
  mark_stage sbpf-linker
fi

# 5. Linker wrapper (runs sbpf-linker under sid's loader) and target spec.
log "stage 5/5: linker wrapper and target spec"
cat > "$SBF_ROOT/bin/sbpf-linker-wrap" <<WRAP
#!/bin/sh
# Generated by scripts/sbf-toolchain.sh: sid's libLLVM 23 needs sid's glibc.
SID=$SBF_ROOT/sid-root/usr/lib/x86_64-linux-gnu
exec "\$SID/ld-linux-x86-64.so.2" --library-path "\$SID" "$SBF_ROOT/tools/bin/sbpf-linker" "\$@"
WRAP
chmod +x "$SBF_ROOT/bin/sbpf-linker-wrap"
"$SBF_ROOT/bin/sbpf-linker-wrap" --version >/dev/null 2>&1 || die "sbpf-linker does not run under sid's loader"
cp "$REPO/toolchain/bpfel-solana-solana.json" "$SBF_ROOT/bpfel-solana-solana.json"
echo "SBF_ROOT=$SBF_ROOT"
