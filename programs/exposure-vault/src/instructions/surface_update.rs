use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::VolSurfaceUpdated;
use crate::math::surface::{self, Slice};
use crate::state::*;

/// Keeper: posts the market's volatility surface (one raw-SVI smile per expiry, expiry
/// ascending). Rejected unless every smile is in bounds with positive variance everywhere, ATM
/// total variance is non-decreasing in expiry, and — against a surface that is still fresh —
/// no expiry's ATM variance moves by more than `surface_max_change_bps`.
#[derive(Accounts)]
pub struct UpdateVolSurface<'info> {
    #[account(has_one = keeper @ VaultError::UnauthorizedKeeper)]
    pub vault: Account<'info, Vault>,

    pub keeper: Signer<'info>,

    #[account(
        has_one = vault @ VaultError::WrongVault,
        has_one = surface @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    #[account(mut)]
    pub surface: AccountLoader<'info, VolSurface>,
}

impl UpdateVolSurface<'_> {
    pub fn validate(&self, previous: &VolSurface, slices: &[Slice], now: i64) -> Result<()> {
        surface::validate_surface(slices, now).map_err(VaultError::from)?;
        let risk = &self.market.risk;
        if previous.is_fresh(now, risk.surface_max_age_secs) {
            let (old, count) = previous.math_slices();
            surface::check_change(
                &old[..count],
                slices,
                u64::from(risk.surface_max_change_bps),
            )
            .map_err(VaultError::from)?;
        }
        Ok(())
    }
}

pub fn handler(ctx: Context<UpdateVolSurface>, slices: Vec<SviSlice>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let count = slices.len();
    require!(
        count > 0 && count <= VolSurface::MAX_SLICES,
        VaultError::SurfaceParamOutOfBounds
    );
    let mut math = [Slice::default(); VolSurface::MAX_SLICES];
    for (slot, slice) in math.iter_mut().zip(&slices) {
        *slot = slice.to_math();
    }
    let mut surface = ctx.accounts.surface.load_mut()?;
    ctx.accounts.validate(&surface, &math[..count], now)?;
    surface.slices = [SviSlice::default(); VolSurface::MAX_SLICES];
    surface.slices[..count].copy_from_slice(&slices);
    surface.slice_count = count as u8;
    surface.updated_ts = now;
    emit!(VolSurfaceUpdated {
        market: ctx.accounts.market.key(),
        updated_ts: now,
        slices,
    });
    Ok(())
}
