use anchor_lang::prelude::*;

use crate::controller;
use crate::error::VaultError;
use crate::events::MarksRefreshed;
use crate::oracle;
use crate::state::*;

/// Permissionless crank: re-prices every series with open interest at the oracle spot and the
/// posted surface (an ageing surface still gives marks that follow spot; trading is what a stale
/// surface stops), then refreshes the vault's exposure in the mark registry. Deposits and
/// withdrawals need it within `marks_max_age_secs` while the vault holds positions.
#[derive(Accounts)]
pub struct RefreshMarks<'info> {
    #[account(mut)]
    pub vault: Account<'info, Vault>,

    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
        has_one = surface @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    pub surface: AccountLoader<'info, VolSurface>,

    #[account(mut)]
    pub mark_registry: AccountLoader<'info, MarkRegistry>,

    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

pub fn handler(ctx: Context<RefreshMarks>) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let mut registry = accounts.mark_registry.load_mut()?;
    require_keys_eq!(registry.vault, accounts.vault.key(), VaultError::WrongVault);
    let price = oracle::read_market_price(
        &mut accounts.market,
        &accounts.oracle.to_account_info(),
        &clock,
        0,
    )?;
    let surface = accounts.surface.load()?;
    let mut book = accounts.book.load_mut()?;
    let mut refreshed = 0u8;
    for series in book
        .series
        .iter_mut()
        .filter(|s| s.has_open_interest() && !s.is_settled())
    {
        let quote = controller::price_series(series, &surface, price.price, now)?;
        controller::store_mark(series, &quote, price.price, now);
        refreshed += 1;
    }
    let exposure = controller::market_exposure(
        &book,
        &accounts.market,
        accounts.vault.params.conf_multiplier_bps,
        &price,
        accounts.vault.collateral_decimals,
    )?;
    controller::sync_registry(
        &mut accounts.vault,
        &mut registry,
        accounts.market.index,
        exposure,
    )?;
    emit!(MarksRefreshed {
        market: accounts.market.key(),
        series_refreshed: refreshed,
        vault_mark_value: exposure.mark_value,
        vault_initial_margin: exposure.initial_margin,
        spot: price.price,
    });
    Ok(())
}
