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
    expiries
        .iter()
        .map(|&expiry| {
            let t = (expiry - now) as f64 / YEAR_SECS;
            let (b, sigma) = (0.2 * t.sqrt().max(0.05), 0.1);
            svi(
                expiry,
                atm_vol * atm_vol * t - b * sigma,
                b,
                -0.3,
                0.0,
                sigma,
            )
        })
        .collect()
}
