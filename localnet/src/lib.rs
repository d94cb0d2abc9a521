//! Localnet: a real `solana-test-validator` (agave 4.2.2, installed by
//! `scripts/install-validator`) running the SBF build of the program.
//!
//! - [`validator`]: start on 127.0.0.1 with a fresh ledger, wait for health, stop on drop.
//! - [`seed`]: deploy the program through loader v3 and create the demo: collateral mint,
//!   Pyth-layout oracle accounts written by the localnet publisher, the vault, markets, series
//!   and surfaces. Addresses go to `.localnet/demo.json`.
//! - [`wallet`]: a depositor's wallet deposit and withdraw, as a CLI wallet would send them.
//!
//! The program keypair in `keys/` and every key under `.localnet/` are for localnet only.
pub mod seed;
pub mod validator;
pub mod wallet;

use std::path::{Path, PathBuf};

/// The repository root (this crate lives in `<root>/localnet`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
