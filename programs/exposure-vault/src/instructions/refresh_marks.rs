use anchor_lang::prelude::*;

use crate::controller;
use crate::error::VaultError;
use crate::events::MarksRefreshed;
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct RefreshMarks<'info> {
    /// The vault (confidence multiplier, collateral decimals).
    #[account(mut)]
    pub vault: Account<'info, Vault>,

    /// The market re-marked at this slot's price.
    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
        has_one = surface @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The series book whose marks are recomputed.
    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    /// The market's surface.
    pub surface: AccountLoader<'info, VolSurface>,

    /// The vault's mark registry: the market's valuation, recorded for this slot.
    #[account(mut, has_one = vault @ VaultError::WrongMarkRegistry)]
    pub mark_registry: AccountLoader<'info, MarkRegistry>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

pub fn handle_refresh_marks(ctx: Context<RefreshMarks>) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let mut registry = accounts.mark_registry.load_mut()?;
    let price = oracle::read_market_price(
        &mut accounts.market,
        &accounts.oracle.to_account_info(),
        &clock,
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
