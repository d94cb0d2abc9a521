use anchor_lang::prelude::*;

/// One expiry of the volatility surface in raw-SVI form: total variance
/// w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²)) at log-moneyness k = ln(K/F).
/// Each parameter is scaled by `math::precision::SVI_PARAM_PRECISION`. The keeper exports
/// exactly this type (`keeper::pricing::svi::SviRaw::to_onchain`).
#[derive(
    AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq,
)]
pub struct SviSlice {
    /// Expiry as a unix timestamp (seconds).
    pub expiry_ts: i64,
    pub a: i64,
    pub b: i64,
    pub rho: i64,
    pub m: i64,
    pub sigma: i64,
}
