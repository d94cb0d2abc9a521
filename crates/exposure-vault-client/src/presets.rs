//! Parameter sets shared by the tests, the localnet demo and the CU report.
use exposure_vault::state::{MarketRiskParams, VaultParams};

/// Vault parameters of the tests and the localnet demo: 6-decimal collateral, 10M cap, 1 unit minimum.
pub fn vault_params() -> VaultParams {
    VaultParams {
        deposit_cap: 10_000_000 * 1_000_000,
        min_deposit: 1,
        liquidation_penalty_bps: 250,
        liquidator_share_bps: 5_000,
        conf_multiplier_bps: 20_000,
        // The LiteSVM tests request and complete in one transaction; the localnet vault
        // (`localnet::seed`) and the delay tests set a real delay.
        withdrawal_delay_secs: 0,
    }
}

/// Market risk parameters of the tests and the localnet demo (`MarketRiskParams::PRESET`).
pub fn market_risk() -> MarketRiskParams {
    MarketRiskParams::PRESET
}
