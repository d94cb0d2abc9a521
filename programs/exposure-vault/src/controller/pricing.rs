use anchor_lang::prelude::*;

use crate::error::VaultError;
use crate::math::black76::{self, Black76};
use crate::math::portfolio::Grid;
use crate::math::surface::{self, SurfaceError};
use crate::state::{Series, SeriesBook, VolSurface};

impl From<SurfaceError> for VaultError {
    fn from(e: SurfaceError) -> Self {
        match e {
            SurfaceError::ParamOutOfBounds => VaultError::SurfaceParamOutOfBounds,
            SurfaceError::NegativeVariance => VaultError::SurfaceNegativeVariance,
            SurfaceError::CalendarArbitrage => VaultError::SurfaceCalendarArbitrage,
            SurfaceError::ChangeTooLarge => VaultError::SurfaceChangeTooLarge,
            SurfaceError::BeyondSurface => VaultError::SeriesBeyondSurface,
            SurfaceError::Math => VaultError::PricingFailed,
        }
    }
}

/// A fresh model valuation of one series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeriesQuote {
    pub greeks: Black76,
    /// Volatility read off the surface (VOL_PRECISION).
    pub vol: u64,
    /// Dollar gamma per unit for a 1% move (`math::margin::dollar_gamma`).
    pub dollar_gamma: u64,
}

/// Black-76 on the oracle spot with the volatility the surface gives the series' strike and
/// expiry. An expired series is worth its intrinsic value (no volatility needed).
pub fn price_series(
    series: &Series,
    surface: &VolSurface,
    spot: u64,
    now: i64,
) -> Result<SeriesQuote> {
    let seconds = seconds_to_expiry(series, now);
    let vol = series_vol(series, surface, spot, now)?;
    let greeks = black76::black76(series.option_side(), spot, series.strike, seconds, vol)
        .ok_or(VaultError::PricingFailed)?;
    Ok(SeriesQuote {
        greeks,
        vol,
        dollar_gamma: crate::math::margin::dollar_gamma(greeks.vega, vol, seconds),
    })
}

fn seconds_to_expiry(series: &Series, now: i64) -> u64 {
    u64::try_from(series.expiry_ts.saturating_sub(now)).unwrap_or(0)
}

/// The surface's vol at the series' strike and expiry for spot `spot` (0 once expired).
fn series_vol(series: &Series, surface: &VolSurface, spot: u64, now: i64) -> Result<u64> {
    Ok(if seconds_to_expiry(series, now) == 0 {
        0
    } else {
        let (slices, count) = surface.math_slices();
        let strike = i64::try_from(series.strike).map_err(|_| VaultError::PricingFailed)?;
        let spot = i64::try_from(spot).map_err(|_| VaultError::PricingFailed)?;
        let k = black76::ln(strike)
            .zip(black76::ln(spot))
            .map(|(ln_k, ln_s)| ln_k - ln_s)
            .ok_or(VaultError::PricingFailed)?;
        surface::implied_vol(&slices[..count], surface.updated_ts, series.expiry_ts, k)
            .map_err(VaultError::from)?
    })
}

/// Revalues the series at every scenario of `grid` (formed at the oracle spot) with the surface
/// vol at its strike, and caches the values beside its mark (`Series::scenario_pnl`).
pub fn store_scenarios(
    series: &mut Series,
    grid: &Grid,
    surface: &VolSurface,
    now: i64,
) -> Result<()> {
    let vol = series_vol(series, surface, grid.spot, now)?;
    series.scenario_pnl = grid
        .series_scenarios(
            series.option_side(),
            series.strike,
            seconds_to_expiry(series, now),
            vol,
        )
        .ok_or(VaultError::PricingFailed)?;
    series.scenario_ts = now;
    series.scenario_spot = grid.spot;
    Ok(())
}

/// The series a trade fills (`trade_option`, `rebalance_option_hedge`): slot `index` of `book`,
/// listed and unexpired, priced afresh at `spot` and stored as its mark. Returns the quote.
pub fn mark_tradeable_series(
    book: &mut SeriesBook,
    index: u8,
    surface: &VolSurface,
    spot: u64,
    now: i64,
) -> Result<SeriesQuote> {
    let series = book
        .series
        .get_mut(usize::from(index))
        .ok_or(VaultError::SeriesNotListed)?;
    require!(series.is_listed(), VaultError::SeriesNotListed);
    require!(now < series.expiry_ts, VaultError::SeriesExpired);
    let quote = price_series(series, surface, spot, now)?;
    store_mark(series, &quote, spot, now);
    Ok(quote)
}

/// Stores a fresh valuation as the series' cached mark.
pub fn store_mark(series: &mut Series, quote: &SeriesQuote, spot: u64, now: i64) {
    series.mark_price = quote.greeks.price;
    series.mark_delta = quote.greeks.delta;
    series.mark_vega = quote.greeks.vega;
    series.mark_gamma = quote.dollar_gamma;
    series.mark_spot = spot;
    series.mark_ts = now;
}
