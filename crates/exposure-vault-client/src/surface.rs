//! SVI slices from real parameters (the program stores them in 1e-9 fixed point).
use exposure_vault::state::SviSlice;

const YEAR_SECS: f64 = 365.0 * 86_400.0;

/// A raw-SVI slice `w(k) = a + b(ρ(k−m) + √((k−m)² + σ²))` for `expiry_ts`.
pub fn svi(expiry_ts: i64, a: f64, b: f64, rho: f64, m: f64, sigma: f64) -> SviSlice {
    let fixed = |v: f64| (v * 1e9).round() as i64;
    SviSlice {
        expiry_ts,
        a: fixed(a),
        b: fixed(b),
        rho: fixed(rho),
        m: fixed(m),
        sigma: fixed(sigma),
    }
}

/// A skewed surface with ATM vol `atm_vol` at every expiry (put skew ρ = −0.3), fitted at `now`;
/// the wing slope `b` grows with √T so the smile flattens in variance-per-year terms.
pub fn skewed_surface(now: i64, expiries: &[i64], atm_vol: f64) -> Vec<SviSlice> {
    const RHO: f64 = -0.3;
    const SIGMA: f64 = 0.1;
    expiries
        .iter()
        .map(|&expiry| {
            let t = (expiry - now) as f64 / YEAR_SECS;
            let atm_variance = atm_vol * atm_vol * t;
            let mut b = 0.2 * t.sqrt().max(0.05);
            // Minutes-to-expiry slices: the √T slope would push the smile's minimum variance
            // a + bσ√(1−ρ²) below zero; keep half the ATM variance as the floor instead.
            if atm_variance - b * SIGMA * (1.0 - (1.0 - RHO * RHO).sqrt()) <= 0.0 {
                b = 0.5 * atm_variance / SIGMA;
            }
            svi(expiry, atm_variance - b * SIGMA, b, RHO, 0.0, SIGMA)
        })
        .collect()
}
