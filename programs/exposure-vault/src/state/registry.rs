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
    /// |net dollar delta| × the market's `lp_price_band_bps` (collateral units): how far NAV
    /// could move over the spot move LP flows are priced against.
    pub lp_band: u64,
}

/// The vault-wide sums of the registry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegistryTotals {
    pub mark_value: i64,
    pub initial_margin: u64,
    pub valid_until: i64,
    pub lp_band: u64,
}

/// Per-market mark cache of the vault, so deposits and withdrawals read NAV from three fields
/// of `Vault` instead of revaluing every market (see docs/ARCHITECTURE.md, "Mark cache").
#[account(zero_copy)]
pub struct MarkRegistry {
    pub vault: Pubkey,
    pub markets: [MarketExposure; Market::MAX_MARKETS_PER_VAULT as usize],
    /// How unpaid settlement claims are funded. Here rather than in `Vault`: zero-copy, it
    /// costs nothing to the instructions that never touch it.
    pub claims: ClaimsPool,
}

/// The distribution of cash to unpaid settlement claims (`controller::settlement`): every claim
/// is funded by the same fraction, so no claimant gains by calling first.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ClaimsPool {
    /// LP cash set aside for claims and not yet collected (inside `Vault::lp_assets` and
    /// `Vault::unpaid_claims`).
    pub earmarked: u64,
    /// Π(1 − fraction funded) over this epoch's distributions (`INDEX_ONE` at its start): a
    /// claim snapshotted at index i is still owed in the proportion `index / i`.
    pub index: u64,
    /// Advances when a distribution funds every claim; a snapshot of an older epoch is funded.
    pub epoch: u32,
    pub _padding: [u8; 4],
}

impl ClaimsPool {
    pub const INDEX_ONE: u64 = 1_000_000_000_000_000_000;
}

impl MarkRegistry {
    /// What LP flows add to their band while markets cannot re-mark: for every market whose
    /// marks are stale at `now`, its initial margin plus the size of its mark value, so a stale
    /// market is valued at the worse side for whoever moves (SECURITY.md, "LP flows").
    pub fn stale_band(&self, now: i64) -> Option<u64> {
        self.markets
            .iter()
            .filter(|m| m.valid_until < now)
            .try_fold(0u64, |sum, m| {
                sum.checked_add(m.initial_margin)?
                    .checked_add(m.mark_value.unsigned_abs())
            })
    }

    /// Sums of mark values, initial margins and LP bands, and the earliest end of freshness, over
    /// the vault's `market_count` markets (the slots beyond are never written).
    pub fn totals(&self, market_count: u16) -> Option<RegistryTotals> {
        let start = RegistryTotals {
            valid_until: i64::MAX,
            ..RegistryTotals::default()
        };
        let live = usize::from(market_count).min(self.markets.len());
        self.markets[..live].iter().try_fold(start, |sum, m| {
            Some(RegistryTotals {
                mark_value: sum.mark_value.checked_add(m.mark_value)?,
                initial_margin: sum.initial_margin.checked_add(m.initial_margin)?,
                valid_until: sum.valid_until.min(m.valid_until),
                lp_band: sum.lp_band.checked_add(m.lp_band)?,
            })
        })
    }
}
