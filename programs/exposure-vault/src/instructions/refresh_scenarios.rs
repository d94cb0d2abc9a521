use anchor_lang::prelude::*;

use crate::controller;
use crate::error::VaultError;
use crate::events::ScenariosRefreshed;
use crate::math::portfolio::Grid;
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct RefreshScenarios<'info> {
    /// The market whose portfolio-margin scenario cache is recomputed.
    #[account(
        mut,
        has_one = book @ VaultError::WrongMarket,
        has_one = surface @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The series book holding the cache.
    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    /// The market's surface.
    pub surface: AccountLoader<'info, VolSurface>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

impl RefreshScenarios<'_> {
    pub fn validate(&self, first_series: u8, series_count: u8) -> Result<()> {
        require!(
            self.market.risk.portfolio().enabled(),
            VaultError::PortfolioMarginNotEnabled
        );
        let end = usize::from(first_series) + usize::from(series_count);
        require!(
            series_count > 0 && end <= SeriesBook::MAX_SERIES,
            VaultError::InvalidSeriesRange
        );
        Ok(())
    }
}

pub fn handle_refresh_scenarios(
    ctx: Context<RefreshScenarios>,
    first_series: u8,
    series_count: u8,
) -> Result<()> {
    let accounts = &mut *ctx.accounts;
    accounts.validate(first_series, series_count)?;
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let price = oracle::read_market_price(
        &mut accounts.market,
        &accounts.oracle.to_account_info(),
        &clock,
    )?;
    let grid = Grid::new(accounts.market.risk.portfolio(), price.price)
        .ok_or(VaultError::ParamOutOfBounds)?;
    let surface = accounts.surface.load()?;
    let mut book = accounts.book.load_mut()?;
    let first = usize::from(first_series);
    let mut refreshed = 0u8;
    // Listed series too, not only held ones: a PM trader's first trade in a series needs them.
    for series in book.series[first..first + usize::from(series_count)]
        .iter_mut()
        .filter(|s| s.is_listed() || (s.has_open_interest() && !s.is_settled()))
    {
        controller::store_scenarios(series, &grid, &surface, now)?;
        refreshed += 1;
    }
    emit!(ScenariosRefreshed {
        market: accounts.market.key(),
        first_series,
        series_refreshed: refreshed,
        spot: price.price,
    });
    Ok(())
}
