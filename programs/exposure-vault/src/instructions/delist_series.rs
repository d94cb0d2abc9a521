use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::SeriesDelisted;
use crate::state::*;

#[derive(Accounts)]
pub struct DelistSeries<'info> {
    /// The vault.
    #[account(has_one = admin @ VaultError::UnauthorizedAdmin)]
    pub vault: Account<'info, Vault>,

    /// The vault's admin: signs.
    pub admin: Signer<'info>,

    /// The market of the series.
    #[account(
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The series book: the series stops listing new trades.
    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,
}

impl DelistSeries<'_> {
    pub fn validate(&self, book: &SeriesBook, series_index: u8) -> Result<()> {
        let series = book
            .series
            .get(usize::from(series_index))
            .ok_or(VaultError::SeriesNotListed)?;
        require!(series.is_listed(), VaultError::SeriesNotListed);
        require!(
            !series.has_open_interest(),
            VaultError::SeriesHasOpenInterest
        );
        Ok(())
    }
}

pub fn handle_delist_series(ctx: Context<DelistSeries>, series_index: u8) -> Result<()> {
    let mut book = ctx.accounts.book.load_mut()?;
    ctx.accounts.validate(&book, series_index)?;
    book.series[usize::from(series_index)].status = series_status::DELISTED;
    emit!(SeriesDelisted {
        market: ctx.accounts.market.key(),
        series_index,
    });
    Ok(())
}
