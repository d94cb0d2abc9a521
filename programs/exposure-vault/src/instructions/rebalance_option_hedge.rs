use anchor_lang::prelude::*;

use crate::controller::hedge as venue;
use crate::error::VaultError;
use crate::events::{HedgeQuoteCancelled, OptionHedgeRebalanced};
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
    let mut book = accounts.book.load_mut()?;
    let outcome = venue::HedgeRebalance {
        vault: &mut accounts.vault,
        registry: &mut registry,
        book: &mut book,
        hedge_book: &mut hedge_book,
        market: &accounts.market,
        provider: &mut provider,
        price,
        now,
    }
    .fill_option(
        &surface,
        &accounts.provider.key(),
        expected_seq,
        series_index,
        size,
        limit_vol,
    )?;
    let (market, provider) = (accounts.market.key(), accounts.provider.key());
    let clamp = |x: i128| x.clamp(i64::MIN as i128, i64::MAX as i128) as i64;
    match outcome {
        venue::OptionRebalanceOutcome::QuoteCancelled => emit!(HedgeQuoteCancelled {
            market,
            margin_account: provider,
            oracle_price: price.price,
        }),
        venue::OptionRebalanceOutcome::Filled {
            vol,
            surface_vol,
            premium,
            net,
        } => emit!(OptionHedgeRebalanced {
            market,
            provider,
            seq: expected_seq,
            series_index,
            size,
            vol,
            surface_vol,
            oracle_price: price.price,
            premium,
            vault_net_delta: clamp(net.delta),
            vault_net_vega: clamp(net.vega),
        }),
    }
    Ok(())
}
