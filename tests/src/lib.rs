//! Test harness: the real SBF `exposure_vault.so` inside LiteSVM.
//!
//! `TestEnv` owns the VM, a funded payer, mint and token-account helpers, Pyth account writers
//! (real byte layouts) and clock control. `VaultFixture` wraps one initialised vault and builds
//! its instructions from the program crate's own Anchor types.
pub mod env;
pub mod options;
pub mod pyth;
pub mod vault;

pub use env::{events, expect_error, program_so_path, TestEnv, TxError, TxResult};
pub use vault::{default_params, default_risk, Depositor, VaultFixture};
