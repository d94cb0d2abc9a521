use anchor_lang::prelude::*;

use super::Market;

/// What one market contributes to the vault's NAV and locked collateral.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MarketExposure {
    /// Mid mark value of the vault's option positions in the market (quote; long > 0).
    pub mark_value: i64,
    /// Initial margin of those positions (quote): collateral LPs can never withdraw.
    pub initial_margin: u64,
    /// Until when the marks behind these numbers are fresh; i64::MAX with no positions.
    pub valid_until: i64,
}

/// Per-market mark cache of the vault, so deposits and withdrawals read NAV from three fields
/// of `Vault` instead of revaluing every market (see docs/ARCHITECTURE.md, "Mark cache").
#[account(zero_copy)]
pub struct MarkRegistry {
    pub vault: Pubkey,
    pub markets: [MarketExposure; Market::MAX_MARKETS_PER_VAULT as usize],
}

impl MarkRegistry {
    /// Sum of mark values, sum of initial margins and the earliest expiry of freshness.
    pub fn totals(&self) -> Option<(i64, u64, i64)> {
        self.markets
            .iter()
            .try_fold((0i64, 0u64, i64::MAX), |(value, margin, until), m| {
                Some((
                    value.checked_add(m.mark_value)?,
                    margin.checked_add(m.initial_margin)?,
                    until.min(m.valid_until),
                ))
            })
    }
}
