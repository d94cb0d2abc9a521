use anchor_lang::prelude::*;

use crate::controller::{self, hedge as venue, trading};
use crate::error::{OrOverflow, VaultError};
use crate::events::{HedgeQuoteCancelled, OptionHedgeRebalanced};
use crate::math::black76;
use crate::math::fixed::Rounding;
use crate::math::hedge::{cuts_option_risk, vol_within_edge, OPTION_HEDGE_MIN_CUT_BPS};
use crate::math::margin::premium;
use crate::math::precision::quote_to_collateral;
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct RebalanceOptionHedge<'info> {
    /// The vault, which buys or sells the option.
    #[account(mut, has_one = keeper @ VaultError::UnauthorizedKeeper)]
    pub vault: Account<'info, Vault>,

    /// The vault's keeper: signs.
    pub keeper: Signer<'info>,

    /// The market of the series.
    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
        has_one = surface @ VaultError::WrongMarket,
        has_one = hedge_book @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The series book: open interest moves.
    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    /// The market's surface: the fill's vol is bounded against it.
    pub surface: AccountLoader<'info, VolSurface>,

    /// The hedge book holding the provider's option quote; the sequence advances.
    #[account(mut)]
    pub hedge_book: AccountLoader<'info, HedgeBook>,

    /// The vault's mark registry, re-synced after the fill.
    #[account(mut, has_one = vault @ VaultError::WrongMarkRegistry)]
    pub mark_registry: AccountLoader<'info, MarkRegistry>,

    /// The provider behind the best live quote on the series.
    #[account(mut, has_one = vault @ VaultError::WrongMarginAccountVault)]
    pub provider: AccountLoader<'info, MarginAccount>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

impl RebalanceOptionHedge<'_> {
    pub fn validate(
        &self,
        hedge_book: &HedgeBook,
        provider: &MarginAccount,
        surface: &VolSurface,
        expected_seq: u64,
        size: i64,
        now: i64,
    ) -> Result<()> {
        require!(
            !self.vault.is_paused(pause::TRADING),
            VaultError::TradingPaused
        );
        require!(
            hedge_book.rebalance_seq == expected_seq,
            VaultError::RebalanceSequenceMismatch
        );
        require!(size != 0, VaultError::ZeroAmount);
        require!(provider.hedge_provider == 1, VaultError::NotHedgeProvider);
        require_keys_eq!(
            provider.hedge_market,
            self.market.key(),
            VaultError::WrongMarket
        );
        require!(
            surface.is_fresh(now, self.market.risk.surface_max_age_secs),
            VaultError::SurfaceStale
        );
        Ok(())
    }
}

pub fn handle_rebalance_option_hedge(
    ctx: Context<RebalanceOptionHedge>,
    expected_seq: u64,
    series_index: u8,
    size: i64,
    limit_vol: u64,
) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let mut hedge_book = accounts.hedge_book.load_mut()?;
    let mut registry = accounts.mark_registry.load_mut()?;
    let mut provider = accounts.provider.load_mut()?;
    let surface = accounts.surface.load()?;
    accounts.validate(&hedge_book, &provider, &surface, expected_seq, size, now)?;
    let price = oracle::read_market_price(
        &mut accounts.market,
        &accounts.oracle.to_account_info(),
        &clock,
    )?;
    let spot = price.price;
    let vault_buys = size > 0;

    let (slot, option_slot) = venue::select_option_quote(&hedge_book, series_index, size, now)?;
    require_keys_eq!(
        hedge_book.quotes[slot].provider,
        accounts.provider.key(),
        VaultError::NotBestHedgeQuote
    );
    let quote = hedge_book.quotes[slot].options[option_slot];
    let vol = quote.vol(vault_buys);

    let mut book = accounts.book.load_mut()?;
    let index = usize::from(series_index);
    let model = controller::mark_tradeable_series(&mut book, series_index, &surface, spot, now)?;
    let series = &book.series[index];
    let seconds = u64::try_from(series.expiry_ts - now).map_err(|_| VaultError::SeriesExpired)?;
    let fill = black76::black76(series.option_side(), spot, series.strike, seconds, vol)
        .ok_or(VaultError::PricingFailed)?;

    // The premium at the provider's vol, rounded for the vault.
    let decimals = accounts.vault.collateral_decimals;
    let rounding = if vault_buys {
        Rounding::Down
    } else {
        Rounding::Up
    };
    let gross = premium(fill.price, size.unsigned_abs(), 0, !vault_buys).or_overflow()?;
    let paid = quote_to_collateral(gross, decimals, rounding).or_overflow()?;

    // The provider after the fill, premium included, must meet initial margin unless the fill
    // only shrinks its position. A quote it cannot carry is withdrawn instead of filled, so an
    // unbacked best quote cannot block option hedging.
    let old = provider.position_size(accounts.market.index, series_index);
    let new = old.checked_sub(size).or_overflow()?;
    if !trading::only_reduces(old, new) {
        let fill = venue::OptionFill {
            series_index,
            size_after: new,
            collateral_after: if vault_buys {
                provider.collateral.checked_add(paid)
            } else {
                provider.collateral.checked_sub(paid)
            },
        };
        // Any backing check that cannot be evaluated cancels the quote it judges: it never
        // blocks the hedge (SECURITY.md, "Hedge providers").
        let backed = venue::meets_initial_after(
            &provider,
            &fill,
            &book,
            &accounts.market,
            &accounts.vault,
            &price,
            now,
        )
        .unwrap_or(false);
        if !backed {
            let option = &mut hedge_book.quotes[slot].options[option_slot];
            option.max_vault_buy = 0;
            option.max_vault_sell = 0;
            emit!(HedgeQuoteCancelled {
                market: accounts.market.key(),
                margin_account: accounts.provider.key(),
                oracle_price: spot,
            });
            return Ok(());
        }
    }

    // The provider takes the other side of the vault: its position moves by −size, the
    // vault's by +size; the fill must cut the vault's option risk (vega and gamma).
    let (exposure_before, sums_before) = controller::vault_exposure_and_vega_gamma(&book)?;
    let series = &book.series[index];
    let exposure_after = exposure_before.add(size, &series.mark()).or_overflow()?;
    let sums_after = sums_before.add(size, series).or_overflow()?;
    let risk = accounts.market.risk;
    let (_, after) = trading::check_caps(&exposure_before, &exposure_after, &risk, spot)?;
    let (greeks_before, greeks_after) = (sums_before.in_quote(), sums_after.in_quote());
    require!(
        cuts_option_risk(
            greeks_before,
            greeks_after,
            (risk.max_net_vega, risk.max_net_gamma),
            OPTION_HEDGE_MIN_CUT_BPS
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
        vol_within_edge(
            vol,
            model.vol,
            accounts.market.risk.max_option_hedge_vol_edge_bps,
            vault_buys
        ),
        VaultError::OptionHedgeVolAboveMarketLimit
    );

    book.series[index].move_position(old, new).or_overflow()?;
    require!(
        provider.set_position(accounts.market.index, series_index, new),
        VaultError::TooManyPositions
    );
    let vault = &mut accounts.vault;
    venue::pay_option_premium(vault, &mut provider, paid, vault_buys)?;
    let option = &mut hedge_book.quotes[slot].options[option_slot];
    if vault_buys {
        option.max_vault_buy = option
            .max_vault_buy
            .checked_sub(size.unsigned_abs())
            .or_overflow()?;
    } else {
        option.max_vault_sell = option
            .max_vault_sell
            .checked_sub(size.unsigned_abs())
            .or_overflow()?;
    }

    trading::resync_vault_side(
        vault,
        &mut registry,
        &book,
        &accounts.market,
        &price,
        exposure_after,
        now,
    )?;
    hedge_book.rebalance_seq = expected_seq.checked_add(1).or_overflow()?;

    emit!(OptionHedgeRebalanced {
        market: accounts.market.key(),
        provider: accounts.provider.key(),
        seq: expected_seq,
        series_index,
        size,
        vol,
        surface_vol: model.vol,
        oracle_price: spot,
        premium: paid,
        vault_net_delta: after.delta.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
        vault_net_vega: after.vega.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
    });
    Ok(())
}
