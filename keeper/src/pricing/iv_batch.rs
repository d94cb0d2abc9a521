//! Vectorised implied volatility for many quotes at once (surface fitting, book revaluation).
//!
//! Each lane runs the scalar solver's method (`iv.rs`): the OTM-call mapping, the region split
//! at s_c = √(2|x|), Jäckel's region guesses and safeguarded Halley steps. The branches become
//! selects, and the lanes take a fixed number of steps in lockstep, so the loop vectorises like
//! the Greeks kernel. A lane whose last step is not below the acceptance threshold, or whose
//! input is outside the solver's domain, is re-solved by the scalar solver. So results and
//! errors are those of `implied_vol`, and only the speed differs.
// Coefficients are quoted with the digits their sources publish (musl/FreeBSD, Acklam) so
// they can be checked against them; the compiler rounds them to the same f64 either way.
#![allow(clippy::excessive_precision)]
use super::batch::OptionBatch;
use super::batch::Vectorisable;
use super::black::OptionKind;
use super::iv::{halley_step, implied_vol, normalised_call, Halley, IvError, Moneyness};
use super::simd_math::{exp, ln, norm_cdf};

/// A lane is done when its last step, whatever kind it was (Halley, Newton or bisection), moved
/// s by at most this much relative, or by no more than evaluation noise: the remaining error is
/// then bounded by the step itself.
const CONVERGED_STEP: f64 = 1e-12;

/// Acklam's inverse normal CDF for p in (0, 0.5] (relative error ~1e-9): the initial guess only.
#[inline(always)]
fn inverse_norm_cdf_lower(p: f64) -> f64 {
    let p = p.max(1e-300);
    // Lower tail.
    let q = (-2.0 * ln(p)).sqrt();
    let tail_num = (-7.784_894_002_430_293e-03f64)
        .mul_add(q, -3.223_964_580_411_365e-01)
        .mul_add(q, -2.400_758_277_161_838e+00)
        .mul_add(q, -2.549_732_539_343_734e+00)
        .mul_add(q, 4.374_664_141_464_968e+00)
        .mul_add(q, 2.938_163_982_698_783e+00);
    let tail_den = 7.784_695_709_041_462e-03f64
        .mul_add(q, 3.224_671_290_700_398e-01)
        .mul_add(q, 2.445_134_137_142_996e+00)
        .mul_add(q, 3.754_408_661_907_416e+00)
        .mul_add(q, 1.0);
    // Central region.
    let c = p - 0.5;
    let r = c * c;
    let mid_num = (-3.969_683_028_665_376e+01f64)
        .mul_add(r, 2.209_460_984_245_205e+02)
        .mul_add(r, -2.759_285_104_469_687e+02)
        .mul_add(r, 1.383_577_518_672_690e+02)
        .mul_add(r, -3.066_479_806_614_716e+01)
        .mul_add(r, 2.506_628_277_459_239e+00)
        * c;
    let mid_den = (-5.447_609_879_822_406e+01f64)
        .mul_add(r, 1.615_858_368_580_409e+02)
        .mul_add(r, -1.556_989_798_598_866e+02)
        .mul_add(r, 6.680_131_188_771_972e+01)
        .mul_add(r, -1.328_068_155_288_572e+01)
        .mul_add(r, 1.0);
    if p < 0.024_25 {
        tail_num / tail_den
    } else {
        mid_num / mid_den
    }
}

/// One lane: σ, or NaN when the scalar solver must decide (error or slow convergence).
#[inline(always)]
fn solve_lane(w: f64, spot: f64, strike: f64, t: f64, rate: f64, price: f64) -> f64 {
    let forward = spot * exp(rate * t);
    let discount = exp(-rate * t);
    let beta = price / discount / (forward * strike).sqrt();
    let x = ln(forward / strike);
    // 2·sinh(x/2) without cancellation: Taylor series near zero, exponentials elsewhere.
    let h = 0.5 * x;
    let h2 = h * h;
    let sinh_series = h
        * (1.0 / 39_916_800.0f64)
            .mul_add(h2, 1.0 / 362_880.0)
            .mul_add(h2, 1.0 / 5_040.0)
            .mul_add(h2, 1.0 / 120.0)
            .mul_add(h2, 1.0 / 6.0)
            .mul_add(h2, 1.0);
    let sinh_h = if h.abs() < 0.3 {
        sinh_series
    } else {
        0.5 * (exp(h) - exp(-h))
    };
    let intrinsic = (w * 2.0 * sinh_h).max(0.0);
    let beta_otm = beta - intrinsic;

    let xm = -x.abs();
    let up = exp(0.5 * xm); // also b_max
    let m = Moneyness {
        x: xm,
        up,
        down: exp(-0.5 * xm),
    };
    let valid = beta_otm > 32.0 * f64::EPSILON * beta.max(intrinsic) && beta_otm < up;

    let s_c = (2.0 * x.abs()).sqrt().max(1e-300);
    let b_c = if x == 0.0 {
        0.0
    } else {
        normalised_call::<Vectorisable>(m, s_c).0
    };
    let lower = beta_otm < b_c;
    let guess_lower = (2.0 * xm * xm / (xm.abs() - 4.0 * ln((beta_otm / b_c).max(1e-300)))).sqrt();
    let tail = norm_cdf(-0.5 * s_c) * (up - beta_otm) / (up - b_c);
    let guess_upper = (-2.0 * inverse_norm_cdf_lower(tail)).max(s_c);
    let lo = if lower { 0.0 } else { s_c };
    let hi = if lower { s_c } else { f64::INFINITY };
    let mut s = if lower { guess_lower } else { guess_upper };
    if !(s > lo && s < hi && s.is_finite()) {
        s = if lower { 0.5 * s_c } else { 2.0 * s_c.max(0.5) };
    }

    let ln_beta = ln(beta_otm.max(1e-300));
    let mut state = Halley::start(s, lo, hi);
    // Unrolled on purpose: a straight-line body is what the loop vectoriser can widen.
    state = halley_step::<Vectorisable>(state, m, lower, beta_otm, ln_beta, CONVERGED_STEP);
    state = halley_step::<Vectorisable>(state, m, lower, beta_otm, ln_beta, CONVERGED_STEP);
    state = halley_step::<Vectorisable>(state, m, lower, beta_otm, ln_beta, CONVERGED_STEP);
    state = halley_step::<Vectorisable>(state, m, lower, beta_otm, ln_beta, CONVERGED_STEP);
    state = halley_step::<Vectorisable>(state, m, lower, beta_otm, ln_beta, CONVERGED_STEP);
    let (s, last_step) = (state.s, state.last_step);
    let tolerance = (CONVERGED_STEP * s).max(state.noise_step);
    let converged = valid && last_step <= tolerance && s.is_finite() && s > 0.0;
    if converged {
        s / t.sqrt()
    } else {
        f64::NAN
    }
}

#[inline(always)]
fn kernel_body(batch: &OptionBatch, prices: &[f64], out: &mut [f64]) {
    let n = batch.len();
    let (kind, spot, strike) = (&batch.kind[..n], &batch.spot[..n], &batch.strike[..n]);
    let (t, rate, prices, out) = (&batch.t[..n], &batch.rate[..n], &prices[..n], &mut out[..n]);
    for i in 0..n {
        let w = if kind[i] == OptionKind::Call {
            1.0
        } else {
            -1.0
        };
        out[i] = solve_lane(w, spot[i], strike[i], t[i], rate[i], prices[i]);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx2,fma")]
unsafe fn kernel_avx512(batch: &OptionBatch, prices: &[f64], out: &mut [f64]) {
    kernel_body(batch, prices, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn kernel_avx2(batch: &OptionBatch, prices: &[f64], out: &mut [f64]) {
    kernel_body(batch, prices, out)
}

/// Implied volatilities of `prices` for the options of `batch` (its `vol` column is ignored).
/// `out[i]` is σ, or NaN where the result is the error listed for index i.
pub fn implied_vol_batch(
    batch: &OptionBatch,
    prices: &[f64],
    out: &mut Vec<f64>,
) -> Vec<(usize, IvError)> {
    let n = batch.len().min(prices.len());
    out.clear();
    out.resize(n, f64::NAN);
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
            && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the features the function is compiled for were just detected.
            unsafe { kernel_avx512(batch, prices, out) };
        } else if std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: as above.
            unsafe { kernel_avx2(batch, prices, out) };
        }
    }
    let mut errors = Vec::new();
    for (i, slot) in out.iter_mut().enumerate() {
        if slot.is_nan() {
            let p = batch.get(i);
            match implied_vol(p.kind, p.spot, p.strike, p.t, p.rate, prices[i]) {
                Ok(iv) => *slot = iv,
                Err(e) => errors.push((i, e)),
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::batch::{batch_greeks_scalar, GreeksBatch};

    #[test]
    fn inverse_cdf_guess_is_close() {
        for i in 1..1_000 {
            let p = 0.5 * i as f64 / 1_000.0;
            let exact = -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p);
            assert!(
                (inverse_norm_cdf_lower(p) - exact).abs() < 1e-8 * exact.abs().max(1.0),
                "p={p}"
            );
        }
        let deep = -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * 1e-200);
        assert!((inverse_norm_cdf_lower(1e-200) / deep - 1.0).abs() < 1e-8);
    }

    #[test]
    fn batch_matches_scalar_solver_results_and_errors() {
        let mut batch = crate::bench::random_batch(20_000, 9);
        // Wings and degenerate quotes.
        for m in [0.2, 0.9, 1.0, 1.1, 5.0] {
            for t in [1.0 / 525_600.0, 1.0 / 365.0, 2.0] {
                for vol in [0.05, 1.0, 3.0] {
                    batch.push(crate::pricing::OptionParams {
                        kind: OptionKind::Put,
                        spot: 100.0,
                        strike: 100.0 * m,
                        t,
                        vol,
                        rate: 0.01,
                    });
                }
            }
        }
        let mut greeks = GreeksBatch::with_len(batch.len());
        batch_greeks_scalar(&batch, &mut greeks);
        let mut prices = greeks.price.clone();
        prices[0] = -1.0; // invalid input
        prices[1] = batch.spot[1] * 2.0; // above the maximum
        let mut out = Vec::new();
        let errors = implied_vol_batch(&batch, &prices, &mut out);
        for i in 0..batch.len() {
            let p = batch.get(i);
            match implied_vol(p.kind, p.spot, p.strike, p.t, p.rate, prices[i]) {
                // The scalar solver's contract (iv.rs tests): within the conditioning bound
                // where vega ≥ 1e-8·S, else any σ that reprices the option.
                Ok(iv) if greeks.vega[i] >= 1e-8 * p.spot => {
                    let tol = 1e-10f64.max(8.0 * f64::EPSILON * prices[i] / greeks.vega[i]);
                    assert!(
                        (out[i] - iv).abs() <= 2.0 * tol,
                        "{p:?}: batch {} scalar {iv}",
                        out[i]
                    );
                }
                Ok(_) => {
                    let repriced =
                        crate::pricing::greeks(&crate::pricing::OptionParams { vol: out[i], ..p })
                            .unwrap()
                            .price;
                    assert!(
                        (repriced - prices[i]).abs() <= 1e-12 * p.spot,
                        "{p:?}: batch σ {} reprices to {repriced}",
                        out[i]
                    );
                }
                Err(e) => assert!(
                    errors.contains(&(i, e)),
                    "{p:?}: scalar error {e} missing from batch"
                ),
            }
        }
    }
}
