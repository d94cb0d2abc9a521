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
use super::batch::{vector_unit, VectorUnit, Vectorisable};
use super::black::OptionKind;
use super::iv::{
    halley_step, implied_vol, inverse_norm_cdf_lower, normalised_call, Halley, IvError, Moneyness,
    NEAR_INTRINSIC_ULPS,
};
use super::simd_math::{exp, ln, norm_cdf};

/// A lane is done when its last step, whatever kind it was (Halley, Newton or bisection), moved
/// s by at most this much relative, or by no more than evaluation noise: the remaining error is
/// then bounded by the step itself.
const CONVERGED_STEP: f64 = 1e-12;

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
    let valid =
        beta_otm > NEAR_INTRINSIC_ULPS * f64::EPSILON * beta.max(intrinsic) && beta_otm < up;

    let s_c = (2.0 * x.abs()).sqrt().max(1e-300);
    let b_c = if x == 0.0 {
        0.0
    } else {
        normalised_call::<Vectorisable>(m, s_c).0
    };
    let lower = beta_otm < b_c;
    let guess_lower = (2.0 * xm * xm / (xm.abs() - 4.0 * ln((beta_otm / b_c).max(1e-300)))).sqrt();
    let tail = norm_cdf(-0.5 * s_c) * (up - beta_otm) / (up - b_c);
    let guess_upper = (-2.0 * inverse_norm_cdf_lower::<Vectorisable>(tail)).max(s_c);
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
    match vector_unit() {
        // SAFETY: the features each kernel is compiled for were detected by `vector_unit`.
        #[cfg(target_arch = "x86_64")]
        VectorUnit::Avx512 => unsafe { kernel_avx512(batch, prices, out) },
        #[cfg(target_arch = "x86_64")]
        VectorUnit::Avx2 => unsafe { kernel_avx2(batch, prices, out) },
        // No vector unit: every lane stays NaN and goes to the scalar solver below.
        _ => {}
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
