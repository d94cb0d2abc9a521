use anchor_lang::prelude::*;

use crate::math::surface::{Slice, Svi};

/// One expiry of the volatility surface in raw-SVI form: total variance
/// w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²)) at log-moneyness k = ln(K/F).
/// Each parameter is scaled by `math::precision::SVI_PARAM_PRECISION`. The keeper exports
/// exactly this type (`keeper::pricing::svi::SviRaw::to_onchain`).
///
/// Both an instruction argument (Borsh) and the zero-copy layout stored in `VolSurface`, so it
/// derives Pod by hand instead of through `#[zero_copy]` (whose IDL impl would clash with the
/// Borsh derive's under `idl-build`).
#[derive(
    AnchorSerialize,
    AnchorDeserialize,
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    bytemuck::Pod,
    bytemuck::Zeroable,
)]
#[repr(C)]
pub struct SviSlice {
    /// Expiry as a unix timestamp (seconds).
    pub expiry_ts: i64,
    pub a: i64,
    pub b: i64,
    pub rho: i64,
    pub m: i64,
    pub sigma: i64,
}

impl SviSlice {
    pub fn to_math(&self) -> Slice {
        Slice {
            expiry_ts: self.expiry_ts,
            svi: Svi {
                a: self.a,
                b: self.b,
                rho: self.rho,
                m: self.m,
                sigma: self.sigma,
            },
        }
    }
}

/// The market's volatility surface, posted by the keeper authority (`update_vol_surface`).
#[account(zero_copy)]
pub struct VolSurface {
    pub market: Pubkey,
    /// When the keeper fitted and posted it; trading stops once it is older than the market's
    /// `surface_max_age_secs`.
    pub updated_ts: i64,
    pub slices: [SviSlice; VolSurface::MAX_SLICES],
    pub slice_count: u8,
    pub bump: u8,
    pub anchor_count: u8,
    pub _padding: [u8; 5],
    /// The surface at the start of the current change window, its fit time and the window's
    /// start: every update within the window is checked against it, so chained small updates
    /// cannot add up past `surface_max_change_bps` (SECURITY.md, "Keeper key").
    pub anchor_slices: [SviSlice; VolSurface::MAX_SLICES],
    pub anchor_fit_ts: i64,
    pub window_start_ts: i64,
}

impl VolSurface {
    pub const MAX_SLICES: usize = 8;

    /// The posted slices in the math crate's form, expiry ascending.
    pub fn math_slices(&self) -> ([Slice; Self::MAX_SLICES], usize) {
        Self::to_math(&self.slices, self.slice_count)
    }

    /// The change window's anchor surface in the math crate's form.
    pub fn anchor_math_slices(&self) -> ([Slice; Self::MAX_SLICES], usize) {
        Self::to_math(&self.anchor_slices, self.anchor_count)
    }

    fn to_math(
        slices: &[SviSlice; Self::MAX_SLICES],
        count: u8,
    ) -> ([Slice; Self::MAX_SLICES], usize) {
        let mut out = [Slice::default(); Self::MAX_SLICES];
        let count = usize::from(count).min(Self::MAX_SLICES);
        for (slot, slice) in out.iter_mut().zip(&slices[..count]) {
            *slot = slice.to_math();
        }
        (out, count)
    }

    /// Whether a series expiring at `expiry_ts` may be listed under this surface: the surface in
    /// force prices it and, while a change window is open, so does the window's anchor, so the
    /// change limit binds at the new series from its first price (SECURITY.md, "Keeper key").
    /// A market with no surface yet may list anything: its first surface must price every
    /// listed series.
    pub fn may_list(&self, expiry_ts: i64, now: i64, window_secs: u32) -> bool {
        let covers = |slices: &[SviSlice; Self::MAX_SLICES], count: u8| {
            slices[..usize::from(count).min(Self::MAX_SLICES)]
                .iter()
                .any(|s| s.expiry_ts >= expiry_ts)
        };
        if self.slice_count == 0 {
            return true;
        }
        let window_open = self.anchor_count > 0
            && now.saturating_sub(self.window_start_ts) < i64::from(window_secs);
        covers(&self.slices, self.slice_count)
            && (!window_open || covers(&self.anchor_slices, self.anchor_count))
    }

    pub fn is_fresh(&self, now: i64, max_age_secs: u32) -> bool {
        self.slice_count > 0 && now.saturating_sub(self.updated_ts) <= i64::from(max_age_secs)
    }
}
