use anchor_lang::prelude::*;

use crate::math::black76::OptionSide;
use crate::math::margin::{MarkedPosition, SeriesMark};
use crate::math::portfolio::ScenarioPnl;

use super::PerpState;

/// Lifecycle of a slot in the series book.
pub mod series_status {
    pub const EMPTY: u8 = 0;
    pub const LISTED: u8 = 1;
    /// Delisted with zero open interest: the slot may be listed again.
    pub const DELISTED: u8 = 2;
    /// Expired with a recorded settlement price; positions settle at intrinsic value. The slot
    /// may be listed again once open interest is zero.
    pub const SETTLED: u8 = 3;
    /// Expired with a proposed settlement price that an earlier valid update may still replace
    /// until `Series::settlement_final_ts` (`settle_series`).
    pub const SETTLING: u8 = 4;
}

pub const SIDE_CALL: u8 = 0;
pub const SIDE_PUT: u8 = 1;

/// One European, cash-settled option series and its cached model mark.
#[zero_copy]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Series {
    /// Strike in PRICE_PRECISION.
    pub strike: u64,
    pub expiry_ts: i64,
    /// Sum of traders' long and short sizes (SIZE_PRECISION). The vault holds the opposite:
    /// `open_short − open_long`.
    pub open_long: u64,
    pub open_short: u64,
    /// Cached model mark: per-unit price (PRICE_PRECISION), delta (DELTA_PRECISION) and vega (per
    /// 1.00 vol, PRICE_PRECISION) at `mark_spot`, computed at `mark_ts`.
    pub mark_price: u64,
    pub mark_delta: i64,
    pub mark_vega: u64,
    pub mark_spot: u64,
    pub mark_ts: i64,
    /// The settlement price (proposed while SETTLING, final once SETTLED).
    pub settlement_price: u64,
    pub side: u8,
    pub status: u8,
    pub _padding: [u8; 6],
    /// Publish time of the settlement price, and when the proposal becomes final.
    pub settlement_publish_time: i64,
    pub settlement_final_ts: i64,
    /// Cached dollar gamma per unit for a 1% move (quote), from the mark's vega.
    pub mark_gamma: u64,
    /// Portfolio-margin cache (`refresh_scenarios`): the per-unit value change at every scenario
    /// of the market's grid, and when it was computed (fresh for `marks_max_age_secs`, like the
    /// mark). An account's PM requirement is then sums of these times sizes.
    pub scenario_ts: i64,
    pub scenario_pnl: [i64; 20],
    /// The spot the scenario grid was centred on: the cache counts only while the market's
    /// price is within `PortfolioParams::max_scenario_drift_bps` of it.
    pub scenario_spot: u64,
}

// The IDL needs the cache's length as a literal; it is the grid's.
const _: () = assert!(core::mem::size_of::<ScenarioPnl>() == 20 * 8);

impl Series {
    pub fn option_side(&self) -> OptionSide {
        if self.side == SIDE_PUT {
            OptionSide::Put
        } else {
            OptionSide::Call
        }
    }

    pub fn is_listed(&self) -> bool {
        self.status == series_status::LISTED
    }

    pub fn is_settled(&self) -> bool {
        self.status == series_status::SETTLED
    }

    pub fn is_settling(&self) -> bool {
        self.status == series_status::SETTLING
    }

    /// Intrinsic value per unit at `price` (PRICE_PRECISION).
    pub fn intrinsic(&self, price: u64) -> u64 {
        match self.option_side() {
            OptionSide::Call => price.saturating_sub(self.strike),
            OptionSide::Put => self.strike.saturating_sub(price),
        }
    }

    pub fn has_open_interest(&self) -> bool {
        self.open_long > 0 || self.open_short > 0
    }

    /// The vault's signed position: it is short what traders are long.
    pub fn vault_position(&self) -> Option<i64> {
        if self.open_long == self.open_short {
            // Most slots: nothing open, no 128-bit arithmetic.
            return Some(0);
        }
        i64::try_from(i128::from(self.open_short) - i128::from(self.open_long)).ok()
    }

    pub fn mark(&self) -> SeriesMark {
        SeriesMark {
            price: self.mark_price,
            delta: self.mark_delta,
            vega: self.mark_vega,
            spot: self.mark_spot,
            gamma: self.mark_gamma,
        }
    }

    pub fn marked(&self, size: i64) -> MarkedPosition {
        MarkedPosition {
            size,
            side: self.option_side(),
            strike: self.strike,
            mark: self.mark(),
            settled: self.is_settled(),
        }
    }

    /// Moves one holder's position from `old` to `new`, keeping each side's open interest the
    /// sum of holders' positions on that side (and within i64, so the vault's position, their
    /// difference, is always representable). None, and no change, on overflow.
    pub fn move_position(&mut self, old: i64, new: i64) -> Option<()> {
        let long = |s: i64| s.max(0).unsigned_abs();
        let short = |s: i64| s.min(0).unsigned_abs();
        let open_long = self
            .open_long
            .checked_sub(long(old))?
            .checked_add(long(new))?;
        let open_short = self
            .open_short
            .checked_sub(short(old))?
            .checked_add(short(new))?;
        let bound = i64::MAX.unsigned_abs();
        if open_long > bound || open_short > bound {
            return None;
        }
        self.open_long = open_long;
        self.open_short = open_short;
        Some(())
    }

    pub fn mark_is_fresh(&self, now: i64, max_age_secs: u32) -> bool {
        self.mark_ts > 0 && now.saturating_sub(self.mark_ts) <= i64::from(max_age_secs)
    }

    /// Whether the scenario cache may judge an account at `spot` and `now`: young enough, and
    /// centred within `max_drift_bps` of `spot` (a grid formed at another spot misplaces every
    /// scenario by the drift, and legs refreshed in different chunks at different spots would
    /// not even share one grid).
    pub fn scenarios_are_fresh(
        &self,
        now: i64,
        max_age_secs: u32,
        spot: u64,
        max_drift_bps: u64,
    ) -> bool {
        // 64-bit products (SBF has no native 128-bit multiply): a price below 10^15 (a billion
        // dollars) times 10,000 fits; a saturated drift only refuses.
        let drift = self.scenario_spot.abs_diff(spot).saturating_mul(10_000);
        self.scenario_ts > 0
            && now.saturating_sub(self.scenario_ts) <= i64::from(max_age_secs)
            && drift <= spot.saturating_mul(max_drift_bps)
    }
}

/// Every series of one market, in fixed slots (`list_series` takes the first free one), and the
/// vault's hedge perpetual: the vault's whole book in the market.
#[account(zero_copy)]
pub struct SeriesBook {
    pub market: Pubkey,
    pub series: [Series; SeriesBook::MAX_SERIES],
    pub bump: u8,
    pub _padding: [u8; 7],
    /// The vault's hedge-leg perpetual in this market (the providers hold the other side).
    pub vault_hedge: PerpState,
}

impl SeriesBook {
    pub const MAX_SERIES: usize = 32;

    /// The vault's non-zero positions with their marks.
    pub fn vault_positions(&self) -> impl Iterator<Item = MarkedPosition> + '_ {
        self.series.iter().filter_map(|s| match s.vault_position() {
            Some(0) | None => None,
            Some(size) => Some(s.marked(size)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `create_market` creates the book through a system-program CPI, which allocates at most
    /// 10 KiB (MAX_PERMITTED_DATA_INCREASE): the portfolio-margin cache must fit inside it.
    #[test]
    fn the_series_book_fits_one_cpi_allocation() {
        let space = 8 + core::mem::size_of::<SeriesBook>();
        assert!(space <= 10_240, "{space}");
    }
}
