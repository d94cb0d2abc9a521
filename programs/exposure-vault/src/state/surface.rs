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
    pub _padding: [u8; 6],
}

impl VolSurface {
    pub const MAX_SLICES: usize = 8;

    /// The posted slices in the math crate's form, expiry ascending.
    pub fn math_slices(&self) -> ([Slice; Self::MAX_SLICES], usize) {
        let mut out = [Slice::default(); Self::MAX_SLICES];
        let count = usize::from(self.slice_count).min(Self::MAX_SLICES);
        for (slot, slice) in out.iter_mut().zip(&self.slices[..count]) {
            *slot = slice.to_math();
        }
        (out, count)
    }

    pub fn is_fresh(&self, now: i64, max_age_secs: u32) -> bool {
        self.slice_count > 0 && now.saturating_sub(self.updated_ts) <= i64::from(max_age_secs)
    }
}
