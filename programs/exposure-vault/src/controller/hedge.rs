//! The hedge venue. Every change `rebalance_hedge` and liquidation make to the hedge leg goes
//! through this module: quote selection, the fill and moving realised PnL into collateral. A
//! CPI adapter to an external perp venue (docs/ARCHITECTURE.md, "Hedge leg") replaces this module; the
//! handlers only see `select_quote`, `fill` and `realise_if_flat`.
use anchor_lang::prelude::*;

use crate::error::OrOverflow;
use crate::error::VaultError;
use crate::math::fixed::Rounding;
use crate::math::hedge::{
    after_full_fills, best_quote, fill_price, only_reduces, trade, within_slippage, StandingQuote,
};
use crate::math::margin::{Exposure, SeriesMark};
use crate::math::precision::{collateral_to_quote, quote_to_collateral, DELTA_PRECISION};
use crate::oracle::OraclePrice;
use crate::state::{
    HedgeBook, HedgeQuote, MarginAccount, Market, OptionQuote, PerpState, SeriesBook, Vault,
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
    let fills = after_full_fills(current, &standing, price.price).or_overflow()?;
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
    let quote = i64::try_from(quote).map_err(|_| VaultError::MathOverflow)?;
    let moved = if pnl > 0 { quote } else { -quote };
    vault_side.quote_entry = vault_side.quote_entry.checked_add(moved).or_overflow()?;
    provider_side.quote_entry = pnl - moved;
    let collateral = i64::try_from(collateral).map_err(|_| VaultError::MathOverflow)?;
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

/// `exposure` plus the vault's perpetual: one unit of delta per unit of size, no vega.
pub fn with_hedge_delta(exposure: Exposure, vault_side: &PerpState) -> Result<Exposure> {
    let unit = SeriesMark {
        delta: DELTA_PRECISION,
        ..SeriesMark::default()
    };
    exposure.add(vault_side.size, &unit).or_overflow()
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
    for (capacity, provider_sells) in [(quote.max_vault_buy, true), (quote.max_vault_sell, false)] {
        let size = i64::try_from(capacity).map_err(|_| VaultError::InvalidOptionQuote)?;
        let after = if provider_sells {
            current.checked_sub(size)
        } else {
            current.checked_add(size)
        }
        .or_overflow()?;
        if capacity == 0 || super::trading::only_reduces(current, after) {
            continue;
        }
        let fill = OptionFill {
            series_index: quote.series_index,
            size_after: after,
            collateral_after: Some(provider.collateral),
        };
        if !meets_initial_after(provider, &fill, book, market, vault, price, now)? {
            return Ok(false);
        }
    }
    Ok(true)
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
    require!(
        filled.set_position(market.index, fill.series_index, fill.size_after),
        VaultError::TooManyPositions
    );
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
