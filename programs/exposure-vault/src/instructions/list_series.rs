use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::SeriesListed;
use crate::math::black76::MAX_SECONDS;
use crate::state::*;

#[derive(Accounts)]
pub struct ListSeries<'info> {
    /// The vault.
    #[account(has_one = admin @ VaultError::UnauthorizedAdmin)]
    pub vault: Account<'info, Vault>,

    /// The vault's admin: signs.
    pub admin: Signer<'info>,

    /// The market that lists the series.
    #[account(
        has_one = vault @ VaultError::WrongVault,
        has_one = book @ VaultError::WrongMarket,
        has_one = surface @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The series book: the series takes the first free slot.
    #[account(mut)]
    pub book: AccountLoader<'info, SeriesBook>,

    /// The surface in force and its change window's anchor must both price the new expiry.
    pub surface: AccountLoader<'info, VolSurface>,
}

impl ListSeries<'_> {
    pub fn validate(&self, strike: u64, expiry_ts: i64, side: u8, now: i64) -> Result<()> {
        let horizon = now.saturating_add(MAX_SECONDS as i64);
        require!(
            strike > 0
                && strike < (1 << 62)
                && expiry_ts > now
                && expiry_ts <= horizon
                && (side == SIDE_CALL || side == SIDE_PUT),
            VaultError::InvalidSeries
        );
        require!(
            self.surface
                .load()?
                .may_list(expiry_ts, now, self.market.risk.surface_max_age_secs),
            VaultError::SeriesBeyondSurface
        );
        Ok(())
    }
}

pub fn handle_list_series(
    ctx: Context<ListSeries>,
    strike: u64,
    expiry_ts: i64,
    side: u8,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    ctx.accounts.validate(strike, expiry_ts, side, now)?;
    let mut book = ctx.accounts.book.load_mut()?;
    require!(
        !book.series.iter().any(|s| s.is_listed()
            && s.strike == strike
            && s.expiry_ts == expiry_ts
            && s.side == side),
        VaultError::DuplicateSeries
    );
    let index = book
        .series
        .iter()
        .position(|s| !s.is_listed() && !s.has_open_interest())
        .ok_or(VaultError::TooManySeries)?;
    book.series[index] = Series {
        strike,
        expiry_ts,
        side,
        status: series_status::LISTED,
        ..Series::default()
    };
    emit!(SeriesListed {
        market: ctx.accounts.market.key(),
        series_index: index as u8,
        strike,
        expiry_ts,
        side,
    });
    Ok(())
}
