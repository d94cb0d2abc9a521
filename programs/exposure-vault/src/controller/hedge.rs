//! The hedge venue. Every change `rebalance_hedge` and liquidation make to the hedge leg goes
//! through this module: quote selection, the fill and moving realised PnL into collateral. A
//! CPI adapter to an external perp venue (docs/ARCHITECTURE.md, "Hedge leg") replaces this module; the
//! handlers only see `select_quote`, `fill` and `realise_if_flat`.
use anchor_lang::prelude::*;

use crate::error::OrOverflow;
use crate::error::VaultError;
use crate::math::fixed::Rounding;
use crate::math::hedge::{
    after_full_fills, best_quote, fill_price, hedges_net_delta, only_reduces, trade,
    within_slippage, PerpPosition, StandingQuote,
};
use crate::math::precision::{collateral_to_quote, quote_to_collateral};
use crate::oracle::OraclePrice;
use crate::state::{
    HedgeBook, HedgeQuote, MarginAccount, MarkRegistry, Market, OptionQuote, PerpState, SeriesBook,
    Vault,
};

/// Whether `provider` would still meet initial margin after the vault filled `quote` whole, on
/// each side it offers, at the oracle price: the collateral behind a standing quote. A side whose
/// fill only shrinks the provider's perpetual adds no risk and needs nothing more.
pub fn quote_is_backed(
    provider: &MarginAccount,
    quote: &HedgeQuote,
    book: &SeriesBook,
    market: &Market,
    vault: &Vault,
    price: &OraclePrice,
    now: i64,
) -> Result<bool> {
    let current = provider.hedge.get();
    let standing = quote.standing();
    // A quote whose full fill does not even fit the arithmetic is not backed by anything.
    let Some(fills) = after_full_fills(current, &standing, price.price) else {
        return Ok(false);
    };
    for (perp, taker_buys) in fills.into_iter().zip([true, false]) {
        if standing.capacity(taker_buys) == 0 || only_reduces(&current, &perp) {
            continue;
        }
        let health = super::account_health_with_perp(
            provider,
            perp,
            book,
            market,
            vault.params.conf_multiplier_bps,
            price,
            vault.collateral_decimals,
            now,
        )?;
        if !health.meets_initial() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether every standing quote of `provider` (its perpetual quote and each live option quote)
/// is still backed: what a change to its collateral or margin rule must keep true.
#[allow(clippy::too_many_arguments)]
pub fn standing_quotes_are_backed(
    provider: &MarginAccount,
    quote: Option<&HedgeQuote>,
    book: &SeriesBook,
    market: &Market,
    vault: &Vault,
    price: &OraclePrice,
    now: i64,
) -> Result<bool> {
    let Some(quote) = quote else {
        return Ok(true);
    };
    if !quote_is_backed(provider, quote, book, market, vault, price, now)? {
        return Ok(false);
    }
    for option in quote.options.iter().filter(|q| q.is_live(now)) {
        if !option_quote_is_backed(provider, option, book, market, vault, price, now)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The slot of the best live quote that fills `size` (> 0: the vault buys) whole.
pub fn select_quote(hedge_book: &HedgeBook, size: i64, now: i64) -> Result<usize> {
    let mut standing = [StandingQuote {
        max_taker_buy: 0,
        max_taker_sell: 0,
        spread_bps: 0,
        expiry_ts: 0,
    }; HedgeBook::MAX_PROVIDERS];
    let registered = hedge_book.registered();
    for (slot, quote) in standing.iter_mut().zip(registered) {
        *slot = quote.standing();
    }
    Ok(best_quote(&standing[..registered.len()], size, now).ok_or(VaultError::NoLiveHedgeQuote)?)
}

/// The vault trades `size` against the quote in `slot` at the oracle price ± its spread, within
/// `max_slippage_bps` of the oracle; the quote's capacity on that side is used up. Returns the
/// fill price.
pub fn fill(
    hedge_book: &mut HedgeBook,
    slot: usize,
    vault_side: &mut PerpState,
    provider_side: &mut PerpState,
    size: i64,
    oracle_price: u64,
    max_slippage_bps: u16,
) -> Result<u64> {
    let quote = hedge_book
        .quotes
        .get_mut(slot)
        .ok_or(VaultError::NoLiveHedgeQuote)?;
    let vault_buys = size > 0;
    let price = fill_price(oracle_price, quote.spread_bps, vault_buys).or_overflow()?;
    require!(
        within_slippage(price, oracle_price, max_slippage_bps, vault_buys),
        VaultError::HedgeSlippageExceeded
    );
    let capacity = if vault_buys {
        &mut quote.max_vault_buy
    } else {
        &mut quote.max_vault_sell
    };
    *capacity = capacity
        .checked_sub(size.unsigned_abs())
        .ok_or(VaultError::NoLiveHedgeQuote)?;
    close_at(vault_side, provider_side, size, price)?;
    Ok(price)
}

/// `taker` trades `size` with `maker` at `price` (liquidation closes a provider's side at the
/// oracle price this way).
pub fn close_at(taker: &mut PerpState, maker: &mut PerpState, size: i64, price: u64) -> Result<()> {
    let (mut t, mut m) = (taker.get(), maker.get());
    trade(&mut t, &mut m, size, price).or_overflow()?;
    taker.set(t);
    maker.set(m);
    Ok(())
}

/// Once a provider's side is flat its PnL is realised: signed collateral units to move to
/// (> 0) or from (< 0) the provider, against the vault's LP assets. A loss moves whole: both
/// PnL fields move by the whole quote amount while the collateral is rounded up, so the provider
/// ends exactly flat. A gain is paid up to `payable` (what the LPs' assets can give); anything
/// the vault cannot pay stays on both sides as the provider's recorded claim, paid by a later
/// realisation, never dropped.
pub fn realise_if_flat(
    provider_side: &mut PerpState,
    vault_side: &mut PerpState,
    collateral_decimals: u8,
    payable: u64,
) -> Result<i64> {
    let pnl = provider_side.quote_entry;
    if provider_side.size != 0 || pnl == 0 {
        return Ok(0);
    }
    let owed = pnl.unsigned_abs();
    let (collateral, quote) = if pnl > 0 {
        let full = quote_to_collateral(owed, collateral_decimals, Rounding::Down).or_overflow()?;
        if full <= payable {
            (full, owed)
        } else {
            let quote = collateral_to_quote(payable, collateral_decimals, Rounding::Down)
                .or_overflow()?
                .min(owed);
            (payable, quote)
        }
    } else {
        let collateral =
            quote_to_collateral(owed, collateral_decimals, Rounding::Up).or_overflow()?;
        (collateral, owed)
    };
    let quote = i64::try_from(quote).ok().or_overflow()?;
    let moved = if pnl > 0 { quote } else { -quote };
    vault_side.quote_entry = vault_side.quote_entry.checked_add(moved).or_overflow()?;
    provider_side.quote_entry = pnl - moved;
    let collateral = i64::try_from(collateral).ok().or_overflow()?;
    Ok(if pnl > 0 { collateral } else { -collateral })
}

/// Moves realised PnL (collateral units, > 0 to the provider) between the LPs' assets and the
/// provider's collateral; both stay inside the vault's token account.
pub fn pay_realised(vault: &mut Vault, provider_collateral: &mut u64, realised: i64) -> Result<()> {
    let amount = realised.unsigned_abs();
    let (lp_assets, trader_collateral, collateral) = if realised >= 0 {
        (
            vault
                .lp_assets
                .checked_sub(amount)
                .ok_or(VaultError::InsufficientVaultCollateral)?,
            vault.trader_collateral.checked_add(amount),
            provider_collateral.checked_add(amount),
        )
    } else {
        (
            vault.lp_assets.checked_add(amount).or_overflow()?,
            vault.trader_collateral.checked_sub(amount),
            Some(
                provider_collateral
                    .checked_sub(amount)
                    .ok_or(VaultError::HedgeProviderUnderMargined)?,
            ),
        )
    };
    vault.trader_collateral = trader_collateral.ok_or(VaultError::AccountingMismatch)?;
    *provider_collateral = collateral.or_overflow()?;
    vault.lp_assets = lp_assets;
    Ok(())
}

/// Whether `provider` would still meet initial margin, at the vault's marks, after the vault
/// filled `quote` whole on each side it offers: the collateral behind a standing option quote.
/// A side whose fill only shrinks the provider's position needs nothing more.
pub fn option_quote_is_backed(
    provider: &MarginAccount,
    quote: &OptionQuote,
    book: &SeriesBook,
    market: &Market,
    vault: &Vault,
    price: &OraclePrice,
    now: i64,
) -> Result<bool> {
    let current = provider.position_size(market.index, quote.series_index);
    // The provider sells what the vault buys, and buys what it sells.
    let mut sizes = [current; 2];
    for (size, (capacity, provider_sells)) in sizes
        .iter_mut()
        .zip([(quote.max_vault_buy, true), (quote.max_vault_sell, false)])
    {
        let filled = i64::try_from(capacity).map_err(|_| VaultError::InvalidOptionQuote)?;
        let after = if provider_sells {
            current.checked_sub(filled)
        } else {
            current.checked_add(filled)
        }
        .or_overflow()?;
        // A side that only shrinks the position adds no risk: valued as it stands.
        if capacity > 0 && !super::trading::only_reduces(current, after) {
            *size = after;
        }
    }
    if sizes == [current; 2] {
        return Ok(true);
    }
    let healths = super::account_health_at_sizes(
        provider,
        quote.series_index,
        sizes,
        book,
        market,
        vault.params.conf_multiplier_bps,
        price,
        vault.collateral_decimals,
        now,
    )?;
    Ok(sizes
        .iter()
        .zip(healths)
        .all(|(&size, health)| size == current || health.meets_initial()))
}

/// A provider's option position and collateral after a fill it offered (`collateral_after`
/// None: it could not pay the premium).
pub struct OptionFill {
    pub series_index: u8,
    pub size_after: i64,
    pub collateral_after: Option<u64>,
}

/// Whether `provider` would meet initial margin, at the vault's marks, after `fill`: a what-if on
/// a copy of the account, nothing written.
pub fn meets_initial_after(
    provider: &MarginAccount,
    fill: &OptionFill,
    book: &SeriesBook,
    market: &Market,
    vault: &Vault,
    price: &OraclePrice,
    now: i64,
) -> Result<bool> {
    let Some(collateral) = fill.collateral_after else {
        return Ok(false);
    };
    let mut filled = *provider;
    filled.collateral = collateral;
    // An account with no free position slot cannot carry the fill either.
    if !filled.set_position(market.index, fill.series_index, fill.size_after) {
        return Ok(false);
    }
    Ok(super::account_health(
        &filled,
        book,
        market,
        vault.params.conf_multiplier_bps,
        price,
        vault.collateral_decimals,
        now,
    )?
    .meets_initial())
}

/// The best live option quote on `series_index` that fills `size` (> 0: the vault buys) whole:
/// the lowest ask or the highest bid, the first on ties. Returns (provider slot, quote slot).
pub fn select_option_quote(
    hedge_book: &HedgeBook,
    series_index: u8,
    size: i64,
    now: i64,
) -> Result<(usize, usize)> {
    let vault_buys = size > 0;
    let mut best: Option<(usize, usize, u64)> = None;
    for (slot, quote) in hedge_book.registered().iter().enumerate() {
        for (i, option) in quote.options.iter().enumerate() {
            if option.series_index != series_index
                || !option.is_live(now)
                || option.capacity(vault_buys) < size.unsigned_abs()
            {
                continue;
            }
            let vol = option.vol(vault_buys);
            let better = match best {
                None => true,
                Some((_, _, v)) if vault_buys => vol < v,
                Some((_, _, v)) => vol > v,
            };
            if better {
                best = Some((slot, i, vol));
            }
        }
    }
    best.map(|(slot, i, _)| (slot, i))
        .ok_or_else(|| error!(VaultError::NoLiveOptionQuote))
}

/// Moves an option hedge's premium (collateral units, rounded for the vault) between the LPs'
/// assets and the provider: the vault pays for what it buys, the provider for what it buys.
pub fn pay_option_premium(
    vault: &mut Vault,
    provider: &mut MarginAccount,
    premium: u64,
    vault_buys: bool,
) -> Result<()> {
    if vault_buys {
        vault.book_lps_pay_trader(premium)?;
        provider.collateral = provider.collateral.checked_add(premium).or_overflow()?;
    } else {
        provider.collateral = provider
            .collateral
            .checked_sub(premium)
            .ok_or(VaultError::HedgeProviderUnderMargined)?;
        vault.book_trader_pays_lps(premium)?;
    }
    Ok(())
}

/// The vault's hedge trading against a provider's quote, over loaded accounts: `rebalance_hedge`
/// (`fill_perp`) and `rebalance_option_hedge` (`fill_option`) without loading and events.
pub struct HedgeRebalance<'a> {
    pub vault: &'a mut Vault,
    pub registry: &'a mut MarkRegistry,
    pub book: &'a mut SeriesBook,
    pub hedge_book: &'a mut HedgeBook,
    pub market: &'a Market,
    pub provider: &'a mut MarginAccount,
    pub price: OraclePrice,
    pub now: i64,
}

/// What a rebalance did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PerpRebalanceOutcome {
    /// The provider's quote could not be shown backed: cancelled, nothing traded.
    QuoteCancelled,
    Filled {
        fill_price: u64,
        spread_bps: u16,
        /// The vault's net dollar delta in the market after the fill.
        vault_net_delta: i128,
        /// PnL realised to the provider (collateral units; < 0 paid by it).
        realised_to_provider: i64,
    },
}

impl HedgeRebalance<'_> {
    /// Trades the vault's perpetual by `size` (> 0 the vault buys) against the best live quote,
    /// which must be the provider's, within `max_slippage_bps`; the hedge book's sequence moves
    /// to `expected_seq + 1`. The fill must cut the vault's net delta by half its notional, the
    /// provider must meet initial margin after it (or only shrink its perpetual), and LP equity
    /// must cover any rise in the vault's margin.
    pub fn fill_perp(
        self,
        provider_key: &Pubkey,
        expected_seq: u64,
        size: i64,
        max_slippage_bps: u16,
    ) -> Result<PerpRebalanceOutcome> {
        let (market, price, now) = (self.market, self.price, self.now);
        let slot = select_quote(self.hedge_book, size, now)?;
        require_keys_eq!(
            self.hedge_book.quotes[slot].provider,
            *provider_key,
            VaultError::NotBestHedgeQuote
        );
        let spread_bps = self.hedge_book.quotes[slot].spread_bps;
        let provider_before = self.provider.hedge.get();
        // Any backing check that cannot be evaluated cancels the quote it judges: it never
        // blocks the hedge (SECURITY.md, "Hedge providers").
        let backed = quote_is_backed(
            self.provider,
            &self.hedge_book.quotes[slot],
            self.book,
            market,
            self.vault,
            &price,
            now,
        )
        .unwrap_or(false);
        if !backed {
            let quote = &mut self.hedge_book.quotes[slot];
            quote.max_vault_buy = 0;
            quote.max_vault_sell = 0;
            return Ok(PerpRebalanceOutcome::QuoteCancelled);
        }
        let net_delta = |book: &SeriesBook| -> Result<i128> {
            Ok(super::vault_exposure(book)?
                .in_quote(price.price)
                .or_overflow()?
                .0)
        };
        let delta_before = net_delta(self.book)?;
        let fill_price = fill(
            self.hedge_book,
            slot,
            &mut self.book.vault_hedge,
            &mut self.provider.hedge,
            size,
            price.price,
            max_slippage_bps,
        )?;
        self.hedge_book.rebalance_seq = expected_seq.checked_add(1).or_overflow()?;
        let decimals = self.vault.collateral_decimals;
        let realised = realise_if_flat(
            &mut self.provider.hedge,
            &mut self.book.vault_hedge,
            decimals,
            self.vault.lp_assets,
        )?;
        pay_realised(self.vault, &mut self.provider.collateral, realised)?;
        let conf_multiplier = self.vault.params.conf_multiplier_bps;
        let health = super::account_health(
            self.provider,
            self.book,
            market,
            conf_multiplier,
            &price,
            decimals,
            now,
        )?;
        // A fill that only shrinks the provider's perpetual is always welcome: it lowers its risk.
        require!(
            health.meets_initial() || only_reduces(&provider_before, &self.provider.hedge.get()),
            VaultError::HedgeProviderUnderMargined
        );
        let delta_after = net_delta(self.book)?;
        let traded = PerpPosition {
            size,
            quote_entry: 0,
        }
        .notional(price.price)
        .or_overflow()?;
        require!(
            hedges_net_delta(delta_before, delta_after, traded),
            VaultError::RebalanceDoesNotReduceDelta
        );
        let margin_before = self.registry.markets[usize::from(market.index)].initial_margin;
        let exposure =
            super::market_exposure(self.book, market, conf_multiplier, &price, decimals)?;
        super::sync_registry(self.vault, self.registry, market.index, exposure)?;
        super::trading::require_vault_covers_margin(
            self.vault,
            margin_before,
            exposure.initial_margin,
        )?;
        Ok(PerpRebalanceOutcome::Filled {
            fill_price,
            spread_bps,
            vault_net_delta: delta_after,
            realised_to_provider: realised,
        })
    }
}

/// What an option hedge did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionRebalanceOutcome {
    /// The provider could not be shown to carry the fill: its quote is cancelled, nothing
    /// traded.
    QuoteCancelled,
    Filled {
        /// The provider's vol the option traded at, and the surface's.
        vol: u64,
        surface_vol: u64,
        /// Collateral units the vault paid (a buy) or received (a sale).
        premium: u64,
        /// The vault's net Greeks in the market after the fill.
        net: super::trading::NetGreeks,
    },
}

impl HedgeRebalance<'_> {
    /// Trades `size` of series `series_index` (> 0 the vault buys) against the best live option
    /// quote, which must be the provider's, no worse than `limit_vol` and within the market's
    /// vol edge (measured against `surface`); the hedge book's sequence moves to
    /// `expected_seq + 1`. The fill must cut the vault's option risk, and the provider must
    /// carry it (else its quote is cancelled).
    pub fn fill_option(
        self,
        surface: &crate::state::VolSurface,
        provider_key: &Pubkey,
        expected_seq: u64,
        series_index: u8,
        size: i64,
        limit_vol: u64,
    ) -> Result<OptionRebalanceOutcome> {
        let (market, price, now) = (self.market, self.price, self.now);
        let spot = price.price;
        let vault_buys = size > 0;
        let (slot, option_slot) = select_option_quote(self.hedge_book, series_index, size, now)?;
        require_keys_eq!(
            self.hedge_book.quotes[slot].provider,
            *provider_key,
            VaultError::NotBestHedgeQuote
        );
        let vol = self.hedge_book.quotes[slot].options[option_slot].vol(vault_buys);
        let index = usize::from(series_index);
        let model = super::mark_tradeable_series(self.book, series_index, surface, spot, now)?;
        let series = &self.book.series[index];
        let seconds =
            u64::try_from(series.expiry_ts - now).map_err(|_| VaultError::SeriesExpired)?;
        let fill =
            crate::math::black76::black76(series.option_side(), spot, series.strike, seconds, vol)
                .ok_or(VaultError::PricingFailed)?;
        // The premium at the provider's vol, rounded for the vault.
        let rounding = if vault_buys {
            Rounding::Down
        } else {
            Rounding::Up
        };
        let gross = crate::math::margin::premium(fill.price, size.unsigned_abs(), 0, !vault_buys)
            .or_overflow()?;
        let paid =
            quote_to_collateral(gross, self.vault.collateral_decimals, rounding).or_overflow()?;

        // The provider after the fill, premium included, must meet initial margin unless the
        // fill only shrinks its position. A quote it cannot carry is withdrawn instead of filled,
        // so an unbacked best quote cannot block option hedging. Any backing check that cannot
        // be evaluated cancels the quote it judges (SECURITY.md, "Hedge providers").
        let old = self.provider.position_size(market.index, series_index);
        let new = old.checked_sub(size).or_overflow()?;
        if !super::trading::only_reduces(old, new) {
            let after = OptionFill {
                series_index,
                size_after: new,
                collateral_after: if vault_buys {
                    self.provider.collateral.checked_add(paid)
                } else {
                    self.provider.collateral.checked_sub(paid)
                },
            };
            let backed = meets_initial_after(
                self.provider,
                &after,
                self.book,
                market,
                self.vault,
                &price,
                now,
            )
            .unwrap_or(false);
            if !backed {
                let option = &mut self.hedge_book.quotes[slot].options[option_slot];
                option.max_vault_buy = 0;
                option.max_vault_sell = 0;
                return Ok(OptionRebalanceOutcome::QuoteCancelled);
            }
        }

        // The provider takes the other side of the vault: its position moves by −size, the
        // vault's by +size; the fill must cut the vault's option risk (vega and gamma).
        let (exposure_before, sums_before) = super::vault_exposure_and_vega_gamma(self.book)?;
        let series = &self.book.series[index];
        let exposure_after = exposure_before.add(size, &series.mark()).or_overflow()?;
        let sums_after = sums_before.add(size, series).or_overflow()?;
        let risk = &market.risk;
        let (_, net) = super::trading::check_caps(&exposure_before, &exposure_after, risk, spot)?;
        require!(
            crate::math::hedge::cuts_option_risk(
                sums_before.in_quote(),
                sums_after.in_quote(),
                (risk.max_net_vega, risk.max_net_gamma),
                crate::math::hedge::OPTION_HEDGE_MIN_CUT_BPS
            ),
            VaultError::OptionHedgeDoesNotCutOptionRisk
        );
        // The keeper's limit and the market's bound on what the vault pays over the surface.
        require!(
            if vault_buys {
                vol <= limit_vol
            } else {
                vol >= limit_vol
            },
            VaultError::HedgeSlippageExceeded
        );
        require!(
            crate::math::hedge::vol_within_edge(
                vol,
                model.vol,
                risk.max_option_hedge_vol_edge_bps,
                vault_buys
            ),
            VaultError::OptionHedgeVolAboveMarketLimit
        );

        self.book.series[index]
            .move_position(old, new)
            .or_overflow()?;
        require!(
            self.provider.set_position(market.index, series_index, new),
            VaultError::TooManyPositions
        );
        pay_option_premium(self.vault, self.provider, paid, vault_buys)?;
        let option = &mut self.hedge_book.quotes[slot].options[option_slot];
        let left = if vault_buys {
            &mut option.max_vault_buy
        } else {
            &mut option.max_vault_sell
        };
        *left = left.checked_sub(size.unsigned_abs()).or_overflow()?;
        super::trading::resync_vault_side(
            self.vault,
            self.registry,
            self.book,
            market,
            &price,
            exposure_after,
            now,
        )?;
        self.hedge_book.rebalance_seq = expected_seq.checked_add(1).or_overflow()?;
        Ok(OptionRebalanceOutcome::Filled {
            vol,
            surface_vol: model.vol,
            premium: paid,
            net,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::{account_health, account_health_at_sizes};
    use crate::math::margin::Health;
    use crate::math::precision::SIZE_PRECISION;
    use crate::state::{series_status, MarketRiskParams, OracleConfig, OracleKind, SIDE_CALL};

    const NOW: i64 = 1_700_000_000;
    const SPOT: u64 = 65_000_000_000;

    /// A deterministic stream of pseudo-random numbers (SplitMix64).
    struct Draws(u64);

    impl Draws {
        fn next(&mut self, below: u64) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) % below
        }

        fn size(&mut self) -> i64 {
            (self.next(20 * SIZE_PRECISION) as i64) - 10 * SIZE_PRECISION as i64
        }
    }

    fn market() -> Market {
        Market {
            vault: Pubkey::default(),
            index: 0,
            bump: 0,
            symbol: [0; 16],
            oracle: OracleConfig {
                kind: OracleKind::PythPull,
                price_account: Pubkey::default(),
                feed_id: [0; 32],
                max_age_secs: 60,
                max_conf_bps: 200,
            },
            risk: MarketRiskParams::PRESET,
            book: Pubkey::default(),
            surface: Pubkey::default(),
            hedge_book: Pubkey::default(),
            last_price: 0,
            last_conf: 0,
            last_publish_time: 0,
            last_price_slot: 0,
        }
    }

    /// Twenty listed series marked now, at strikes around spot, calls and puts.
    fn book(draws: &mut Draws) -> Box<SeriesBook> {
        let mut book: Box<SeriesBook> = Box::new(bytemuck::Zeroable::zeroed());
        for (i, series) in book.series.iter_mut().take(20).enumerate() {
            series.status = series_status::LISTED;
            series.side = (i % 2) as u8;
            series.strike = SPOT / 10 * (8 + draws.next(5));
            series.expiry_ts = NOW + 30 * 86_400;
            series.mark_price = 1_000_000_000 + draws.next(9_000_000_000);
            series.mark_delta =
                draws.next(1_000_000) as i64 * if series.side == SIDE_CALL { 1 } else { -1 };
            series.mark_vega = draws.next(80_000_000_000);
            series.mark_gamma = draws.next(3_000_000_000);
            series.mark_spot = SPOT - 500_000_000 + draws.next(1_000_000_000);
            series.mark_ts = NOW;
        }
        book
    }

    /// The what-ifs `account_health_at_sizes` replaces: a copy of the account per size.
    fn one_by_one(
        account: &MarginAccount,
        series_index: u8,
        sizes: [i64; 2],
        book: &SeriesBook,
        market: &Market,
        price: &OraclePrice,
    ) -> Result<[Health; 2]> {
        let mut out = [Health::default(); 2];
        for (health, size) in out.iter_mut().zip(sizes) {
            let mut filled = *account;
            require!(
                filled.set_position(market.index, series_index, size),
                VaultError::TooManyPositions
            );
            *health = account_health(&filled, book, market, 10_000, price, 6, NOW)?;
        }
        Ok(out)
    }

    /// One pass for both sides of a quote gives, bit for bit, what a what-if per side gives, for
    /// random accounts (options, a perpetual, full or not) under both margin rules.
    #[test]
    fn health_at_two_sizes_in_one_pass_equals_a_what_if_per_size() {
        let mut draws = Draws(7);
        let market = market();
        let price = OraclePrice {
            price: SPOT,
            conf: 20_000_000,
            publish_time: NOW,
        };
        let (mut compared, mut refused) = ([0usize; 2], 0);
        for case in 0..2_000 {
            let book = book(&mut draws);
            let mut account: MarginAccount = bytemuck::Zeroable::zeroed();
            account.collateral = draws.next(200_000_000_000);
            account.margin_mode = (case % 2) as u8;
            for _ in 0..draws.next(25) {
                let series = draws.next(20) as u8;
                // False once all 16 slots are taken: accounts full and not.
                let _ = account.set_position(0, series, draws.size());
            }
            if draws.next(2) == 0 {
                account.hedge.size = draws.size();
                account.hedge.quote_entry = -account.hedge.size * 65_000;
            }
            // PM needs each held series' scenario cache: here every value is a loss of its mark.
            let mut book = book;
            for series in book.series.iter_mut().take(20) {
                series.scenario_ts = NOW;
                series.scenario_spot = SPOT;
                series.scenario_pnl = core::array::from_fn(|k| {
                    -(series.mark_price as i64 / 1_000) * (k as i64 % 5) / 4
                });
            }
            let series_index = draws.next(20) as u8;
            let current = account.position_size(0, series_index);
            let sizes = [current, draws.size(), draws.size()];
            let sizes = [sizes[draws.next(3) as usize], sizes[draws.next(3) as usize]];
            let one_pass = account_health_at_sizes(
                &account,
                series_index,
                sizes,
                &book,
                &market,
                10_000,
                &price,
                6,
                NOW,
            );
            let expected = one_by_one(&account, series_index, sizes, &book, &market, &price);
            match (one_pass, expected) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "case {case}");
                    compared[usize::from(account.margin_mode)] += 1;
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a, b, "case {case}");
                    refused += 1;
                }
                (a, b) => panic!("case {case}: {a:?} vs {b:?}"),
            }
        }
        assert!(
            compared.iter().all(|&n| n > 500) && refused > 0,
            "{compared:?} {refused}"
        );
    }
}
