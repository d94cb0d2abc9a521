use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::events::VolSurfaceUpdated;
use crate::math::black76;
use crate::math::surface::{self, Posted, Slice, SurfacePoint};
use crate::oracle;
use crate::state::*;

#[derive(Accounts)]
pub struct UpdateVolSurface<'info> {
    /// The vault.
    #[account(has_one = keeper @ VaultError::UnauthorizedKeeper)]
    pub vault: Account<'info, Vault>,

    /// The vault's keeper: signs.
    pub keeper: Signer<'info>,

    /// The market whose surface changes; this slot's price is recorded.
    #[account(
        mut,
        has_one = vault @ VaultError::WrongVault,
        has_one = surface @ VaultError::WrongMarket,
        has_one = book @ VaultError::WrongMarket,
    )]
    pub market: Account<'info, Market>,

    /// The surface: the slices in force and the change window's anchor.
    #[account(mut)]
    pub surface: AccountLoader<'info, VolSurface>,

    /// The listed series, where the change limit is measured.
    pub book: AccountLoader<'info, SeriesBook>,

    /// The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).
    /// CHECK: validated by `oracle::read_market_price` against the market's oracle configuration.
    pub oracle: UncheckedAccount<'info>,
}

impl UpdateVolSurface<'_> {
    /// Checks `slices` against the window's anchor at every listed, unexpired series, at the
    /// moneyness each has at `spot`, this slot's price: a limit measured at a stale price binds
    /// where the series no longer trade.
    pub fn validate(
        &self,
        anchor: &VolSurface,
        slices: &[Slice],
        now: i64,
        spot: u64,
    ) -> Result<()> {
        surface::validate_surface(slices, now).map_err(VaultError::from)?;
        let book = self.book.load()?;
        let spot = i64::try_from(spot).map_err(|_| VaultError::PricingFailed)?;
        let ln_spot = black76::ln(spot).ok_or(VaultError::PricingFailed)?;
        let mut points = book
            .series
            .iter()
            .filter(|s| s.is_listed() && s.expiry_ts > now)
            .filter_map(|s| {
                let ln_strike = black76::ln(i64::try_from(s.strike).ok()?)?;
                Some(SurfacePoint {
                    expiry_ts: s.expiry_ts,
                    k: ln_strike - ln_spot,
                })
            });
        let next = Posted {
            slices,
            fit_ts: now,
        };
        // The market's first surface has no anchor: it need only price every listed series.
        let (old, count) = anchor.anchor_math_slices();
        let anchor = if anchor.anchor_count == 0 {
            next
        } else {
            Posted {
                slices: &old[..count],
                fit_ts: anchor.anchor_fit_ts,
            }
        };
        surface::check_points(
            anchor,
            next,
            &mut points,
            u64::from(self.market.risk.surface_max_change_bps),
        )
        .map_err(VaultError::from)?;
        Ok(())
    }
}

pub fn handle_update_vol_surface(
    ctx: Context<UpdateVolSurface>,
    slices: Vec<SviSlice>,
) -> Result<()> {
    let clock = Clock::get()?;
    let now = clock.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let price = oracle::read_market_price(
        &mut accounts.market,
        &accounts.oracle.to_account_info(),
        &clock,
    )?;
    let count = slices.len();
    require!(
        count > 0 && count <= VolSurface::MAX_SLICES,
        VaultError::SurfaceParamOutOfBounds
    );
    let mut math = [Slice::default(); VolSurface::MAX_SLICES];
    for (slot, slice) in math.iter_mut().zip(&slices) {
        *slot = slice.to_math();
    }
    let mut surface = accounts.surface.load_mut()?;
    // A new window starts from the surface in force: the anchor never jumps to the update
    // being checked.
    let window = i64::from(accounts.market.risk.surface_max_age_secs);
    if surface.anchor_count == 0 || now.saturating_sub(surface.window_start_ts) >= window {
        surface.anchor_slices = surface.slices;
        surface.anchor_count = surface.slice_count;
        surface.anchor_fit_ts = surface.updated_ts;
        surface.window_start_ts = now;
    }
    accounts.validate(&surface, &math[..count], now, price.price)?;
    surface.slices = [SviSlice::default(); VolSurface::MAX_SLICES];
    surface.slices[..count].copy_from_slice(&slices);
    surface.slice_count = count as u8;
    surface.updated_ts = now;
    emit!(VolSurfaceUpdated {
        market: accounts.market.key(),
        updated_ts: now,
        slices,
    });
    Ok(())
}
