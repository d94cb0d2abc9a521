//! An option trade against the vault over the account types, apart from loading and events
//! (`instructions/trade_option.rs`): the vault's exposure caps, the price the trader pays or
//! receives, and the premium moving between the margin account and LP assets.
use anchor_lang::prelude::*;

use crate::error::{OrOverflow, VaultError};
use crate::events::OptionTraded;
use crate::math::fixed::{mul_div, Rounding};
use crate::math::margin::{
    inventory_lean_bps, inventory_price, oracle_choice_charge, oracle_choice_move_e7, premium,
    spread_bps, trade_fee_rate_e8, utilisation_bps, Exposure, FEE_RATE_DENOMINATOR,
};
use crate::math::precision::quote_to_collateral;
use crate::oracle::OraclePrice;
use crate::state::{MarginAccount, MarkRegistry, Market, MarketRiskParams, SeriesBook, Vault};

use super::SeriesQuote;

/// The vault's net dollar delta and vega per vol point after the trade (quote units).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetGreeks {
    pub delta: i128,
    pub vega: i128,
}

/// Refuses a trade that takes the vault's net delta or vega past its cap, further from zero;
/// one that brings either back toward zero always passes. Returns the Greeks before and after.
pub fn check_caps(
    before: &Exposure,
    after: &Exposure,
    risk: &MarketRiskParams,
    spot: u64,
) -> Result<(NetGreeks, NetGreeks)> {
    let (delta_before, vega_before) = before.in_quote(spot).or_overflow()?;
    let (delta, vega) = after.in_quote(spot).or_overflow()?;
    let breaches = |before: i128, after: i128, cap: u64| {
        after.unsigned_abs() > u128::from(cap) && after.unsigned_abs() > before.unsigned_abs()
    };
    require!(
        !breaches(delta_before, delta, risk.max_net_delta),
        VaultError::DeltaCapExceeded
    );
    require!(
        !breaches(vega_before, vega, risk.max_net_vega),
        VaultError::VegaCapExceeded
    );
    Ok((
        NetGreeks {
            delta: delta_before,
            vega: vega_before,
        },
        NetGreeks { delta, vega },
    ))
}

/// What a trade costs before it moves: the model price moved by the vault's inventory, the
/// spread (wider as the vault's caps fill), the oracle choice charge, the premium in quote and
/// the fee in collateral units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TradeCharge {
    /// Per-unit price after the inventory shift, and the shift (VOL_PRECISION).
    pub price: u64,
    pub vol_shift: i64,
    pub spread_bps: u64,
    /// What the age of the slot's oracle update could be worth to the trader beyond the spread
    /// (quote): added to a buyer's premium, taken from a seller's.
    pub oracle_choice: u64,
    /// Premium in quote (USD, 6 decimals), spread and oracle choice charge included.
    pub gross: u64,
    /// Taker fee plus the vega-utilisation fee on the premium at the spread, in collateral
    /// units, rounded up.
    pub fee: u64,
}

/// The charge for `size` units of a series valued at `quote`, with the vault's Greeks in the
/// market before and after the trade (caps, spread, vega fee), its vega and dollar gamma in the
/// series' expiry after it (inventory pricing), and the slot's oracle price (the choice charge:
/// a caller chooses among updates up to the oracle's age limit, so a trade at an update `age`
/// seconds old pays what the market's 99.9th-percentile move over that age is worth on it,
/// beyond the spread; an update of this second pays nothing more).
pub fn charge(
    quote: &SeriesQuote,
    size: i64,
    (before, after): (NetGreeks, NetGreeks),
    (expiry_vega_after, expiry_gamma_after): (i128, i128),
    risk: &MarketRiskParams,
    decimals: u8,
    (spot, oracle_age_secs): (u64, u64),
) -> Result<TradeCharge> {
    let model = &quote.greeks;
    let lean = inventory_lean_bps(
        expiry_vega_after,
        risk.max_net_vega,
        expiry_gamma_after,
        risk.max_net_gamma,
    )
    .or_overflow()?;
    let (price, vol_shift) = inventory_price(
        model.price,
        model.vega,
        quote.vol,
        lean,
        risk.inventory_skew_bps,
    )
    .or_overflow()?;
    let utilisation = utilisation_bps(
        after.delta,
        after.vega,
        risk.max_net_delta,
        risk.max_net_vega,
    );
    let spread = spread_bps(risk.base_spread_bps, risk.max_spread_bps, utilisation);
    let buy = size > 0;
    let at_spread = premium(price, size.unsigned_abs(), spread, buy).or_overflow()?;
    let oracle_choice = oracle_choice_charge(
        model.delta,
        quote.dollar_gamma,
        spot,
        oracle_choice_move_e7(risk.oracle_choice_move_bps, oracle_age_secs),
        price,
        spread,
        size.unsigned_abs(),
    )
    .or_overflow()?;
    let gross = if buy {
        at_spread.checked_add(oracle_choice).or_overflow()?
    } else {
        at_spread.saturating_sub(oracle_choice)
    };
    let rate = trade_fee_rate_e8(
        risk.taker_fee_bps,
        before.vega,
        after.vega,
        risk.max_net_vega,
        risk.vega_fee_bps,
    );
    let fee_quote = mul_div(at_spread, rate, FEE_RATE_DENOMINATOR, Rounding::Up).or_overflow()?;
    Ok(TradeCharge {
        price,
        vol_shift,
        spread_bps: spread,
        oracle_choice,
        gross,
        fee: quote_to_collateral(fee_quote, decimals, Rounding::Up).or_overflow()?,
    })
}

/// Moves the premium, rounded for the vault, between the margin account and LP assets, within
/// the trader's `limit` (the most a buyer pays, the least a seller receives). Returns it.
pub fn pay_premium(
    vault: &mut Vault,
    margin: &mut MarginAccount,
    charge: &TradeCharge,
    buy: bool,
    limit: u64,
) -> Result<u64> {
    let decimals = vault.collateral_decimals;
    if buy {
        let cost = quote_to_collateral(charge.gross, decimals, Rounding::Up)
            .and_then(|p| p.checked_add(charge.fee))
            .or_overflow()?;
        require!(cost <= limit, VaultError::SlippageExceeded);
        margin.collateral = margin
            .collateral
            .checked_sub(cost)
            .ok_or(VaultError::InsufficientCollateral)?;
        vault.book_trader_pays_lps(cost)?;
        Ok(cost)
    } else {
        let proceeds = quote_to_collateral(charge.gross, decimals, Rounding::Down)
            .or_overflow()?
            .saturating_sub(charge.fee);
        require!(proceeds >= limit, VaultError::SlippageExceeded);
        vault.book_lps_pay_trader(proceeds)?;
        margin.collateral = margin.collateral.checked_add(proceeds).or_overflow()?;
        Ok(proceeds)
    }
}

/// After a fill moved the vault's side of `market` to `exposure_after`: revalues that side at its
/// fresh marks, records it in the registry (NAV inputs, locked collateral), and needs LP equity
/// to cover any rise in the vault's margin. Trades and option hedges share it.
#[inline(always)]
pub fn resync_vault_side(
    vault: &mut Vault,
    registry: &mut MarkRegistry,
    book: &SeriesBook,
    market: &Market,
    price: &OraclePrice,
    exposure_after: Exposure,
    now: i64,
) -> Result<()> {
    let margin_before = registry.markets[usize::from(market.index)].initial_margin;
    let exposure = super::market_exposure_with(
        book,
        market,
        vault.params.conf_multiplier_bps,
        price,
        vault.collateral_decimals,
        exposure_after,
    )?;
    require!(exposure.valid_until >= now, VaultError::MarksStale);
    super::sync_registry(vault, registry, market.index, exposure)?;
    require_vault_covers_margin(vault, margin_before, exposure.initial_margin)
}

/// A trade that raises the vault's initial margin needs LP equity to cover it all.
pub fn require_vault_covers_margin(
    vault: &Vault,
    margin_before: u64,
    margin_after: u64,
) -> Result<()> {
    if margin_after > margin_before {
        require!(
            vault.covers_locked_margin(),
            VaultError::InsufficientVaultCollateral
        );
    }
    Ok(())
}

/// One option trade against the vault over loaded accounts: the series priced and marked, the
/// position moved on both sides, the vault's caps, the charge and the premium, and the vault's
/// side re-synced. The trader's margin is judged after (`require_trader_margin`), with the other
/// markets it holds.
pub struct OptionTrade<'a> {
    pub vault: &'a mut Vault,
    pub registry: &'a mut MarkRegistry,
    pub book: &'a mut SeriesBook,
    pub surface: &'a crate::state::VolSurface,
    pub market: &'a Market,
    pub margin: &'a mut MarginAccount,
    pub price: OraclePrice,
    pub now: i64,
}

/// What an option trade moved: for the margin check and the `OptionTraded` event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionTradeOutcome {
    pub quote: SeriesQuote,
    pub charge: TradeCharge,
    /// Collateral units the trader paid (a buy) or received (a sale).
    pub premium: u64,
    /// The trader's position before and after, and whether the trade only shrank it.
    pub old: i64,
    pub new: i64,
    pub reduces: bool,
    /// The vault's net Greeks in the market, and its vega and dollar gamma in the series'
    /// expiry, after the trade.
    pub net: NetGreeks,
    pub expiry_vega: i128,
    pub expiry_gamma: i128,
}

impl OptionTradeOutcome {
    /// The trade's `OptionTraded` event.
    pub fn event(
        &self,
        market: Pubkey,
        margin_account: Pubkey,
        series_index: u8,
        size: i64,
        spot: u64,
    ) -> OptionTraded {
        let clamp = |x: i128| x.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
        OptionTraded {
            market,
            margin_account,
            series_index,
            size,
            model_price: self.charge.price,
            spread_bps: self.charge.spread_bps,
            oracle_choice: self.charge.oracle_choice,
            premium: self.premium,
            fee: self.charge.fee,
            spot,
            vol: self.quote.vol,
            inventory_vol_shift: self.charge.vol_shift,
            vault_net_delta: clamp(self.net.delta),
            vault_net_vega: clamp(self.net.vega),
            expiry_net_vega: clamp(self.expiry_vega),
            expiry_net_gamma: clamp(self.expiry_gamma),
        }
    }
}

impl OptionTrade<'_> {
    /// Trades `size` of series `series_index` (> 0 the trader buys) within `limit`.
    pub fn fill(self, series_index: u8, size: i64, limit: u64) -> Result<OptionTradeOutcome> {
        let (market, price, now) = (self.market, self.price, self.now);
        let quote =
            super::mark_tradeable_series(self.book, series_index, self.surface, price.price, now)?;
        let index = usize::from(series_index);
        let old = self.margin.position_size(market.index, series_index);
        let new = old.checked_add(size).or_overflow()?;
        let reduces = only_reduces(old, new);
        require!(
            reduces || !self.vault.is_paused(crate::state::pause::REDUCE_ONLY),
            VaultError::TradingReduceOnly
        );
        // The vault takes the other side: its position in the series moves by −size, in the
        // market's book (caps) and in the series' expiry (inventory pricing reads it after).
        let (exposure_before, expiry_before) =
            super::vault_exposure_and_expiry(self.book, self.book.series[index].expiry_ts)?;
        let series = &mut self.book.series[index];
        let vault_side = size.checked_neg().or_overflow()?;
        let exposure_after = exposure_before
            .add(vault_side, &series.mark())
            .or_overflow()?;
        let expiry_after = expiry_before
            .add(vault_side, series)
            .or_overflow()?
            .in_quote();
        series.move_position(old, new).or_overflow()?;
        require!(
            self.margin.set_position(market.index, series_index, new),
            VaultError::TooManyPositions
        );
        let risk = &market.risk;
        let (net_before, net) = check_caps(&exposure_before, &exposure_after, risk, price.price)?;
        let oracle_age = u64::try_from(now.saturating_sub(price.publish_time)).unwrap_or(0);
        let charge = charge(
            &quote,
            size,
            (net_before, net),
            (expiry_after.vega, expiry_after.gamma),
            risk,
            self.vault.collateral_decimals,
            (price.price, oracle_age),
        )?;
        let premium = pay_premium(self.vault, self.margin, &charge, size > 0, limit)?;
        resync_vault_side(
            self.vault,
            self.registry,
            self.book,
            market,
            &price,
            exposure_after,
            now,
        )?;
        Ok(OptionTradeOutcome {
            quote,
            charge,
            premium,
            old,
            new,
            reduces,
            net,
            expiry_vega: expiry_after.vega,
            expiry_gamma: expiry_after.gamma,
        })
    }
}

/// The trader's side of `outcome`: every trade that raises the account's requirement meets
/// initial margin, whatever its direction. Under the standard rule each position carries its own
/// requirement, so a trade that only shrinks one never raises it. Under portfolio margin selling
/// the long leg of a spread can: there a reducing trade that leaves the account below initial
/// must at least not raise its requirement (de-risking stays possible). `health_of` judges an
/// account across every market it holds.
pub fn require_trader_margin(
    margin: &mut MarginAccount,
    market_index: u16,
    series_index: u8,
    outcome: &OptionTradeOutcome,
    health_of: impl Fn(&MarginAccount) -> Result<crate::math::margin::Health>,
) -> Result<()> {
    if outcome.reduces && !margin.is_portfolio() {
        return Ok(());
    }
    let after = health_of(margin)?;
    if after.meets_initial() {
        return Ok(());
    }
    require!(outcome.reduces, VaultError::InsufficientMargin);
    margin.set_position(market_index, series_index, outcome.old);
    let before = health_of(margin);
    margin.set_position(market_index, series_index, outcome.new);
    let before = before?;
    require!(
        after.initial <= before.initial && after.maintenance <= before.maintenance,
        VaultError::InsufficientMargin
    );
    Ok(())
}

/// Whether moving a position from `old` to `new` only shrinks it (never flips it).
pub fn only_reduces(old: i64, new: i64) -> bool {
    new.signum() * old.signum() >= 0 && new.unsigned_abs() < old.unsigned_abs()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::black76::Black76;

    const SPOT: u64 = 65_000_000_000;

    fn quote(greeks: Black76) -> SeriesQuote {
        SeriesQuote {
            greeks,
            vol: 600_000,
            dollar_gamma: 0,
        }
    }

    fn risk() -> MarketRiskParams {
        MarketRiskParams::PRESET
    }

    #[test]
    fn only_reduces_never_counts_a_flip() {
        assert!(only_reduces(-5, -2));
        assert!(only_reduces(5, 0));
        assert!(!only_reduces(5, -1));
        assert!(!only_reduces(0, 1));
        assert!(!only_reduces(-2, -3));
    }

    #[test]
    fn an_idle_vault_charges_the_base_spread_and_the_fee_rounds_up() {
        let idle = NetGreeks { delta: 0, vega: 0 };
        let model = Black76 {
            price: 1_000_000_000,
            delta: 0,
            vega: 0,
        };
        // One unit at $1,000: 50 bps over is $1,005 for a buyer; the 10 bps fee is $1.005.
        let c = charge(
            &quote(model),
            1_000_000,
            (idle, idle),
            (0, 0),
            &risk(),
            6,
            (SPOT, 0),
        )
        .expect("charge");
        assert_eq!(c.spread_bps, 50);
        assert_eq!(c.gross, 1_005_000_000);
        assert_eq!(c.fee, 1_005_000);
        // A seller receives 50 bps under.
        let s = charge(
            &quote(model),
            -1_000_000,
            (idle, idle),
            (0, 0),
            &risk(),
            6,
            (SPOT, 0),
        )
        .expect("charge");
        assert_eq!(s.gross, 995_000_000);
    }

    #[test]
    fn a_full_cap_charges_the_widest_spread() {
        let full = NetGreeks {
            delta: 1_000_000 * 1_000_000,
            vega: 0,
        };
        let model = Black76 {
            price: 1_000_000_000,
            delta: 0,
            vega: 0,
        };
        let idle = NetGreeks { delta: 0, vega: 0 };
        assert_eq!(
            charge(
                &quote(model),
                1_000_000,
                (idle, full),
                (0, 0),
                &risk(),
                6,
                (SPOT, 0)
            )
            .expect("charge")
            .spread_bps,
            450
        );
    }

    #[test]
    fn a_buyer_of_vega_from_a_short_vega_vault_pays_the_skew_and_the_vega_fee() {
        let model = Black76 {
            price: 1_000_000_000,
            delta: 0,
            vega: 2_000_000_000,
        };
        let risk = risk();
        let before = NetGreeks {
            delta: 0,
            vega: -(risk.max_net_vega as i128) / 4,
        };
        let after = NetGreeks {
            delta: 0,
            vega: -(risk.max_net_vega as i128) / 2,
        };
        // One expiry held: its vega is the market's.
        let buy = charge(
            &quote(model),
            1_000_000,
            (before, after),
            (after.vega, 0),
            &risk,
            6,
            (SPOT, 0),
        )
        .expect("buy");
        // Half the cap: 2.5% of 60% = 1.5 vol points; vega $2,000 → +$30.
        assert_eq!((buy.price, buy.vol_shift), (1_030_000_000, 15_000));
        // The fee: 10 bps taker + 20 bps × half the cap = 20 bps of the gross premium.
        assert_eq!(buy.fee, (buy.gross * 20).div_ceil(10_000));
        // Selling it back reduces the vault's vega: the shift follows the book after (a quarter
        // of the cap, +$15), and no vega fee.
        let sell = charge(
            &quote(model),
            -1_000_000,
            (after, before),
            (before.vega, 0),
            &risk,
            6,
            (SPOT, 0),
        )
        .expect("sell");
        assert_eq!(sell.price, 1_015_000_000);
        assert_eq!(sell.fee, (sell.gross * 10).div_ceil(10_000));
    }

    #[test]
    fn a_trade_at_an_old_update_pays_the_choice_beyond_the_spread_either_way() {
        let idle = NetGreeks { delta: 0, vega: 0 };
        // A 30-day ATM call at $65,000: $4,600, delta 0.5.
        let atm = quote(Black76 {
            price: 4_600_000_000,
            delta: 500_000,
            vega: 0,
        });
        let fresh =
            charge(&atm, 1_000_000, (idle, idle), (0, 0), &risk(), 6, (SPOT, 0)).expect("fresh");
        assert_eq!(fresh.oracle_choice, 0);
        assert_eq!(fresh.gross, 4_623_000_000);
        // 60 s old at the presets' 80 bps: 0.5 · $65,000 · 0.8% = $260, $23 of it in the spread.
        let old = charge(
            &atm,
            1_000_000,
            (idle, idle),
            (0, 0),
            &risk(),
            6,
            (SPOT, 60),
        )
        .expect("old");
        assert_eq!(old.oracle_choice, 237_000_000);
        assert_eq!(old.gross, fresh.gross + 237_000_000);
        // The fee is on the premium at the spread, whatever the update's age.
        assert_eq!(old.fee, fresh.fee);
        let sell = charge(
            &atm,
            -1_000_000,
            (idle, idle),
            (0, 0),
            &risk(),
            6,
            (SPOT, 60),
        )
        .expect("sell");
        assert_eq!(sell.gross, 4_577_000_000 - 237_000_000);
    }
}
