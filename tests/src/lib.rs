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

/// Sequences a system fuzz runs: `var` (FUZZ_CASES, or PROPTEST_CASES for the LP model) when set,
/// else `default` (the CI's short run; docs/BENCHMARKS.md records the 10,000-sequence runs).
pub fn fuzz_cases(var: &str, default: u32) -> u32 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
