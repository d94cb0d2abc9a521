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
    /// The slot whose accepted oracle price these values were taken at; 0 when they were taken
    /// at a price the market did not record. LP flows need it to be their own slot.
    pub priced_slot: u64,
    /// The earliest expiry among the vault's positions in series not yet settled (i64::MAX
    /// with none). From then until the series' final price its value is fixed by a price not
    /// yet known, never by live spot, so LP flows count the market at its worse side.
    pub next_expiry_ts: i64,
    /// Until when the price these values were taken at is within the oracle's age limit. Past
    /// it the market may be unable to re-mark (its oracle down), so LP flows count it at its
    /// worse side rather than wait for it.
    pub price_valid_until: i64,
}

impl MarketExposure {
    /// The vault holds something in this market whose value moves with a price.
    pub fn holds_positions(&self) -> bool {
        self.valid_until != i64::MAX
    }
}

/// The vault-wide sums of the registry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegistryTotals {
    pub mark_value: i64,
    pub initial_margin: u64,
    pub valid_until: i64,
    pub lp_band: u64,
    /// The oldest `priced_slot` of the markets holding positions (u64::MAX with none).
    pub priced_slot: u64,
    pub next_expiry_ts: i64,
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
    /// Per market, what its longs in settled series are still owed outside the claims
    /// (collateral units), as of the last settlement in that market. The claims pool is the
    /// vault's, so its distribution waits for every market's longs, whichever market a call
    /// names (SECURITY.md, "Unpaid settlement"). A liquidation that sells such a long to the
    /// vault leaves the entry high until the next settlement call: that only delays a
    /// distribution, never favours one claimant.
    pub settled_longs_owed: [u64; Market::MAX_MARKETS_PER_VAULT as usize],
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
    /// Records what market `market_index`'s longs in settled series are still owed and returns
    /// the vault-wide total: what a claim distribution must wait for.
    pub fn record_longs_owed(&mut self, market_index: u16, owed_here: u64) -> Option<u64> {
        *self.settled_longs_owed.get_mut(usize::from(market_index))? = owed_here;
        self.settled_longs_owed
            .iter()
            .try_fold(0u64, |sum, owed| sum.checked_add(*owed))
    }

    /// What LP flows add to their band for markets whose value now is not known: marks stale
    /// at `now`, a price older than the oracle's age limit (the market may be unable to
    /// re-mark), or a series past expiry awaiting its final price.
    /// Each such market counts its initial margin plus the size of its mark value, so it is
    /// valued at the worse side for whoever moves (SECURITY.md, "LP flows"). Every other
    /// market holding positions must have been valued at the accepted price of `slot`
    /// (`MarksNotCurrent`): an LP flow never prices at marks an adversary chose to leave old.
    pub fn lp_band_at(
        &self,
        now: i64,
        slot: u64,
    ) -> core::result::Result<u64, crate::error::VaultError> {
        use crate::error::VaultError;
        self.markets
            .iter()
            .filter(|m| m.holds_positions())
            .try_fold(0u64, |sum, m| {
                if m.valid_until < now || now >= m.next_expiry_ts || now > m.price_valid_until {
                    sum.checked_add(m.initial_margin)
                        .and_then(|s| s.checked_add(m.mark_value.unsigned_abs()))
                        .ok_or(VaultError::MathOverflow)
                } else if m.priced_slot == slot {
                    Ok(sum)
                } else {
                    Err(VaultError::MarksNotCurrent)
                }
            })
    }

    /// Sums of mark values, initial margins and LP bands, and the earliest end of freshness, over
    /// the vault's `market_count` markets (the slots beyond are never written).
    pub fn totals(&self, market_count: u16) -> Option<RegistryTotals> {
        let start = RegistryTotals {
            valid_until: i64::MAX,
            priced_slot: u64::MAX,
            next_expiry_ts: i64::MAX,
            ..RegistryTotals::default()
        };
        let live = usize::from(market_count).min(self.markets.len());
        self.markets[..live].iter().try_fold(start, |sum, m| {
            Some(RegistryTotals {
                mark_value: sum.mark_value.checked_add(m.mark_value)?,
                initial_margin: sum.initial_margin.checked_add(m.initial_margin)?,
                valid_until: sum.valid_until.min(m.valid_until),
                lp_band: sum.lp_band.checked_add(m.lp_band)?,
                priced_slot: if m.holds_positions() {
                    sum.priced_slot.min(m.priced_slot)
                } else {
                    sum.priced_slot
                },
                next_expiry_ts: sum.next_expiry_ts.min(m.next_expiry_ts),
            })
        })
    }
}
