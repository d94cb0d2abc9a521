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

/// Market risk parameters of the tests and the localnet demo: Deribit-like factors (IM 15%/10%, MM 7.5%/5%),
/// $1M delta and $50k vega caps, 50–450 bps spread, 10 bps fee, 10-minute surface and marks,
/// a 10-minute settlement window, liquidation on prices up to 5 minutes old, LP flows priced
/// against a 1% spot move.
pub fn market_risk() -> MarketRiskParams {
    MarketRiskParams {
        initial_a_bps: 1_500,
        initial_b_bps: 1_000,
        maintenance_a_bps: 750,
        maintenance_b_bps: 500,
        max_net_delta: 1_000_000 * 1_000_000,
        max_net_vega: 50_000 * 1_000_000,
        base_spread_bps: 50,
        max_spread_bps: 450,
        taker_fee_bps: 10,
        surface_max_change_bps: 5_000,
        surface_max_age_secs: 600,
        marks_max_age_secs: 600,
        settlement_window_secs: 600,
        liquidation_oracle_max_age_secs: 300,
        perp_initial_bps: 1_000,
        perp_maintenance_bps: 500,
        lp_price_band_bps: 100,
    }
}
