//! Implied volatility: safeguarded Halley iteration on the normalised Black function, after
//! Jäckel, "By Implication" (2006).
//!
//! Every quote is mapped to the out-of-the-money call with the same time value, in normalised
//! form b(x, s) = e^{x/2}·N(x/s + s/2) − e^{−x/2}·N(x/s − s/2), with x = ln(F/K) ≤ 0 and
//! s = σ√T. b is convex below the inflection point s_c = √(2|x|) and concave above it, so:
//! below s_c we solve ln b(s) = ln β (well conditioned for tiny prices), above it b(s) = β.
//! Each starts from Jäckel's region guess. A bracket that only ever shrinks keeps every step
//! inside the region, falling back to Newton and then bisection: the solve converges for
//! every arbitrage-free price.
// Acklam's coefficients are quoted with the digits he published.
#![allow(clippy::excessive_precision)]
use super::black::{Libm, Math, OptionKind};
use super::normal::{norm_cdf, INV_SQRT_2PI};

#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum IvError {
    #[error("invalid input: {0}")]
    InvalidInput(&'static str),
    #[error("price is below the option's intrinsic value: no volatility reproduces it")]
    BelowIntrinsic,
    #[error("price equals intrinsic value: implied volatility is zero")]
    AtIntrinsic,
    #[error("price is at or above the no-arbitrage maximum (spot for calls, discounted strike for puts)")]
    AboveMaximum,
}

const MAX_ITERATIONS: usize = 64;
/// A time value within this many ulps of the price counts as zero (rounding in discounting,
/// normalisation and the intrinsic subtraction); shared by the scalar and batch solvers.
pub(crate) const NEAR_INTRINSIC_ULPS: f64 = 32.0;

/// Black-Scholes implied volatility of a European option price (same model as `greeks`).
pub fn implied_vol(
    kind: OptionKind,
    spot: f64,
    strike: f64,
    t: f64,
    rate: f64,
    price: f64,
) -> Result<f64, IvError> {
    if !(spot.is_finite() && spot > 0.0) {
        return Err(IvError::InvalidInput("spot must be finite and > 0"));
    }
    if !(strike.is_finite() && strike > 0.0) {
        return Err(IvError::InvalidInput("strike must be finite and > 0"));
    }
    if !(t.is_finite() && t > 0.0) {
        return Err(IvError::InvalidInput(
            "time to expiry must be finite and > 0",
        ));
    }
    if !rate.is_finite() {
        return Err(IvError::InvalidInput("rate must be finite"));
    }
    if !(price.is_finite() && price >= 0.0) {
        return Err(IvError::InvalidInput("price must be finite and >= 0"));
    }
    let forward = spot * (rate * t).exp();
    let discount = (-rate * t).exp();
    // Undiscounted and normalised by √(FK).
    let beta = price / discount / (forward * strike).sqrt();
    let x = (forward / strike).ln();
    let s = normalised_implied_s(kind, x, beta)?;
    Ok(s / t.sqrt())
}

/// s = σ√T such that the normalised price of `kind` at log-moneyness `x` is `beta`.
pub fn normalised_implied_s(kind: OptionKind, x: f64, beta: f64) -> Result<f64, IvError> {
    let theta = kind.sign();
    // e^{x/2} − e^{−x/2} as 2·sinh(x/2): no cancellation near the money, where the difference
    // of exponentials would cost ~ε·(S+K) of absolute precision in the time value.
    let intrinsic = (theta * 2.0 * (0.5 * x).sinh()).max(0.0);
    let beta_otm = beta - intrinsic;
    // Tolerate rounding (discounting, normalisation and the subtraction itself) near intrinsic.
    let tiny = NEAR_INTRINSIC_ULPS * f64::EPSILON * beta.max(intrinsic);
    if beta_otm < -tiny {
        return Err(IvError::BelowIntrinsic);
    }
    if beta_otm <= tiny {
        return Err(IvError::AtIntrinsic);
    }
    let x = -x.abs();
    let b_max = (0.5 * x).exp();
    if beta_otm >= b_max {
        return Err(IvError::AboveMaximum);
    }
    Ok(solve_otm_call(x, beta_otm, b_max))
}

/// Log-moneyness with its half-exponentials, computed once per solve.
#[derive(Clone, Copy)]
pub(crate) struct Moneyness {
    pub(crate) x: f64,
    pub(crate) up: f64,
    pub(crate) down: f64,
}

impl Moneyness {
    fn new(x: f64) -> Self {
        Self {
            x,
            up: (0.5 * x).exp(),
            down: (-0.5 * x).exp(),
        }
    }
}

/// Normalised OTM call value and its first two derivatives in s (x ≤ 0, s > 0).
#[inline(always)]
pub(crate) fn normalised_call<M: Math>(m: Moneyness, s: f64) -> (f64, f64, f64) {
    let d1 = m.x / s + 0.5 * s;
    let d2 = d1 - s;
    let b = m.up * M::norm_cdf(d1) - m.down * M::norm_cdf(d2);
    let b1 = m.up * INV_SQRT_2PI * M::exp(-0.5 * d1 * d1);
    let b2 = b1 * (m.x * m.x / (s * s * s) - 0.25 * s);
    (b.max(0.0), b1, b2)
}

/// An iterate: the point, its bracket, and what the step that led to it says about convergence.
#[derive(Clone, Copy)]
pub(crate) struct Halley {
    pub(crate) s: f64,
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    pub(crate) last_step: f64,
    /// Step size that evaluation noise alone produces here: 8ε·b/b′ (the conditioning limit,
    /// 8ε·P/vega in price terms, that the accuracy contract is stated against).
    pub(crate) noise_step: f64,
    /// The last Halley step was below the settle threshold or the noise floor.
    pub(crate) settled: bool,
}

impl Halley {
    pub(crate) fn start(s: f64, lo: f64, hi: f64) -> Self {
        Self {
            s,
            lo,
            hi,
            last_step: f64::INFINITY,
            noise_step: 0.0,
            settled: false,
        }
    }
}

/// One safeguarded Halley step on ln b = ln β (lower region) or b = β (upper region). Branches
/// are written as selects so that the batch solver's lanes vectorise; the scalar solver loops
/// over the same step. A step at or below `settle`·s (or the noise floor) is taken, clamped into
/// the bracket, which at the root may just have closed on s itself; any other step that leaves
/// the bracket becomes a Newton step, then a bisection (a doubling while the bracket is open).
#[inline(always)]
pub(crate) fn halley_step<M: Math>(
    h: Halley,
    m: Moneyness,
    lower: bool,
    beta: f64,
    ln_beta: f64,
    settle: f64,
) -> Halley {
    let Halley {
        s, mut lo, mut hi, ..
    } = h;
    let (b, b1, b2) = normalised_call::<M>(m, s);
    let g = b1 / b;
    let (f, f1, f2) = if lower {
        (M::ln(b.max(f64::MIN_POSITIVE)) - ln_beta, g, b2 / b - g * g)
    } else {
        (b - beta, b1, b2)
    };
    if f > 0.0 {
        hi = s;
    } else {
        lo = s;
    }
    let newton = -f / f1;
    let halley = newton / (1.0 + 0.5 * newton * f2 / f1).max(0.5);
    let noise_step = if b1 > 0.0 {
        8.0 * f64::EPSILON * b / b1
    } else {
        0.0
    };
    let mut next = s + halley;
    let settled = halley.abs() <= (settle * s).max(noise_step);
    if settled {
        next = next.max(lo).min(hi);
    } else {
        if !(next > lo && next < hi) {
            next = s + newton;
        }
        if !(next > lo && next < hi && next.is_finite()) {
            next = if hi.is_finite() {
                0.5 * (lo + hi)
            } else {
                2.0 * s
            };
        }
    }
    Halley {
        s: next,
        lo,
        hi,
        last_step: (next - s).abs(),
        noise_step,
        settled,
    }
}

/// Acklam's inverse normal CDF for p in (0, 0.5] (relative error ~1e-9): the upper-region
/// initial guess of both solvers. Plain multiply-adds, so the scalar instance does not call a
/// software `fma`.
#[inline(always)]
pub(crate) fn inverse_norm_cdf_lower<M: Math>(p: f64) -> f64 {
    let p = p.max(1e-300);
    // Lower tail, q = √(−2 ln p).
    let q = (-2.0 * M::ln(p)).sqrt();
    let tail_num = ((((-7.784_894_002_430_293e-03 * q - 3.223_964_580_411_365e-01) * q
        - 2.400_758_277_161_838e+00)
        * q
        - 2.549_732_539_343_734e+00)
        * q
        + 4.374_664_141_464_968e+00)
        * q
        + 2.938_163_982_698_783e+00;
    let tail_den = (((7.784_695_709_041_462e-03 * q + 3.224_671_290_700_398e-01) * q
        + 2.445_134_137_142_996e+00)
        * q
        + 3.754_408_661_907_416e+00)
        * q
        + 1.0;
    // Central region, c = p − ½.
    let c = p - 0.5;
    let r = c * c;
    let mid_num = (((((-3.969_683_028_665_376e+01 * r + 2.209_460_984_245_205e+02) * r
        - 2.759_285_104_469_687e+02)
        * r
        + 1.383_577_518_672_690e+02)
        * r
        - 3.066_479_806_614_716e+01)
        * r
        + 2.506_628_277_459_239e+00)
        * c;
    let mid_den = ((((-5.447_609_879_822_406e+01 * r + 1.615_858_368_580_409e+02) * r
        - 1.556_989_798_598_866e+02)
        * r
        + 6.680_131_188_771_972e+01)
        * r
        - 1.328_068_155_288_572e+01)
        * r
        + 1.0;
    if p < 0.024_25 {
        tail_num / tail_den
    } else {
        mid_num / mid_den
    }
}

/// Halley steps smaller than this (relative to s) are taken without another evaluation: with
/// cubic convergence the error left after such a step is far below one ulp.
const ACCEPT_STEP: f64 = 1e-7;

fn solve_otm_call(x: f64, beta: f64, b_max: f64) -> f64 {
    let m = Moneyness::new(x);
    let s_c = (2.0 * x.abs()).sqrt();
    let b_c = if s_c > 0.0 {
        normalised_call::<Libm>(m, s_c).0
    } else {
        0.0
    };
    let lower = beta < b_c;
    let (lo, hi) = if lower {
        (0.0, s_c)
    } else {
        (s_c, f64::INFINITY)
    };
    let mut s = if lower {
        (2.0 * x * x / (x.abs() - 4.0 * (beta / b_c).ln())).sqrt()
    } else {
        let tail = norm_cdf(-0.5 * s_c) * (b_max - beta) / (b_max - b_c);
        (-2.0 * inverse_norm_cdf_lower::<Libm>(tail)).max(s_c)
    };
    if !(s.is_finite() && s > lo && s < hi) {
        s = if hi.is_finite() {
            0.5 * (lo + hi)
        } else {
            lo.max(1.0) * 2.0
        };
    }
    let ln_beta = beta.ln();
    let mut h = Halley::start(s, lo, hi);
    for _ in 0..MAX_ITERATIONS {
        h = halley_step::<Libm>(h, m, lower, beta, ln_beta, ACCEPT_STEP);
        if h.settled || h.last_step <= 2.0 * f64::EPSILON * h.s {
            return h.s;
        }
    }
    h.s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::black::{greeks, OptionParams};

    /// Target: |σ − σ_true| ≤ 1e-10 where vega ≥ 1e-8·S (vega relative to spot). A double
    /// price P carries rounding of a few ulps, so no solver can do better than ~ε·P/vega: where
    /// that conditioning bound exceeds 1e-10 (deep in-the-money, short expiry) the assertion is
    /// the bound 8ε·P/vega instead (input rounding 0.5ε, normalisation ~3.5ε, intrinsic ~ε,
    /// convergence 2ε). Below vega 1e-8·S the price carries no information about σ:
    /// the solver must return `AtIntrinsic` or a σ that reprices the option.
    fn round_trip(kind: OptionKind, spot: f64, strike: f64, t: f64, vol: f64, rate: f64) {
        let p = OptionParams {
            kind,
            spot,
            strike,
            t,
            vol,
            rate,
        };
        let g = greeks(&p).unwrap();
        let result = implied_vol(kind, spot, strike, t, rate, g.price);
        if g.vega >= 1e-8 * spot {
            let iv = result.unwrap_or_else(|e| panic!("{p:?} price={}: {e}", g.price));
            let bound = 1e-10f64.max(8.0 * f64::EPSILON * g.price / g.vega);
            assert!(
                (iv - vol).abs() <= bound,
                "{p:?}: got {iv}, bound {bound:e}"
            );
        } else if let Ok(iv) = result {
            let repriced = greeks(&OptionParams { vol: iv, ..p }).unwrap().price;
            assert!(
                (repriced - g.price).abs() <= 1e-12 * spot,
                "{p:?}: iv {iv} reprices to {repriced}"
            );
        } else {
            assert_eq!(result, Err(IvError::AtIntrinsic));
        }
    }

    #[test]
    fn recovers_vol_across_regimes() {
        for kind in [OptionKind::Call, OptionKind::Put] {
            for strike in [50.0, 90.0, 100.0, 110.0, 200.0] {
                for vol in [0.05, 0.3, 1.0, 3.0] {
                    for t in [1.0 / 365.0, 0.25, 2.0] {
                        round_trip(kind, 100.0, strike, t, vol, 0.02);
                    }
                }
            }
        }
    }

    #[test]
    fn inverse_cdf_guess_is_close() {
        let exact = |p: f64| -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p);
        for i in 1..1_000 {
            let p = 0.5 * i as f64 / 1_000.0;
            let err = (inverse_norm_cdf_lower::<Libm>(p) - exact(p)).abs();
            assert!(err < 1e-8 * exact(p).abs().max(1.0), "p={p}");
        }
        assert!((inverse_norm_cdf_lower::<Libm>(1e-200) / exact(1e-200) - 1.0).abs() < 1e-8);
    }

    #[test]
    fn rejects_prices_outside_no_arbitrage_bounds() {
        use OptionKind::*;
        assert_eq!(
            implied_vol(Call, 100.0, 90.0, 0.5, 0.0, 9.0),
            Err(IvError::BelowIntrinsic)
        );
        assert_eq!(
            implied_vol(Call, 100.0, 90.0, 0.5, 0.0, 10.0),
            Err(IvError::AtIntrinsic)
        );
        assert_eq!(
            implied_vol(Call, 100.0, 90.0, 0.5, 0.0, 100.0),
            Err(IvError::AboveMaximum)
        );
        assert_eq!(
            implied_vol(Put, 100.0, 90.0, 0.5, 0.0, 95.0),
            Err(IvError::AboveMaximum)
        );
        assert!(matches!(
            implied_vol(Put, 100.0, 90.0, 0.5, 0.0, f64::NAN),
            Err(IvError::InvalidInput(_))
        ));
        assert!(matches!(
            implied_vol(Put, 100.0, 90.0, -1.0, 0.0, 1.0),
            Err(IvError::InvalidInput(_))
        ));
    }
}
