//! Black-76 price, delta and vega in integer fixed point, for pricing on-chain.
//!
//! Model: Black-76 on the forward F (with zero rates F is the oracle spot), T = seconds / 365
//! days. All intermediate values are binary fixed point with 40 fractional bits in i128
//! (`Fp`), so rescaling after a product is a shift rather than a software u128 division on
//! SBF. Dimensionless quantities (K/F, d1, N(d)) carry the precision; money is converted back
//! to PRICE_PRECISION only at the end.
//!
//! Elementary functions, each with its bound in units of 2^-40 ≈ 9.1e-13:
//! - ln: exponent split, then 2·atanh((m−1)/(m+1)) on m ∈ [√½, √2), 9 terms;
//! - exp on (−∞, 0]: Cody-Waite split by ln 2 and a degree-14 Taylor polynomial;
//! - N(x): Hart's double-precision rational (as published by West, 2005), e^{−x²/2}·P(|x|)/Q(|x|)
//!   for |x| < 7.07, tail 0 beyond (N(−7.07) < 8e-13, below one unit).
//!
//! Deterministic, no floating point, no panics: every operation is checked and an input
//! outside the domain returns `None`.

/// Fractional bits of the fixed-point representation.
pub const FRAC_BITS: u32 = 40;
const ONE: i128 = 1 << FRAC_BITS;
/// Seconds in the 365-day year that T is measured in.
pub const SECONDS_PER_YEAR: u64 = 365 * 24 * 3600;

/// ln 2 · 2^40, rounded.
const LN2: i128 = 762_123_384_786;
/// √2 · 2^40.
const SQRT2: i128 = 1_554_944_255_988;
/// 1/√(2π) · 2^40.
const INV_SQRT_2PI: i128 = 438_641_676_113;

/// A real number x stored as round(x · 2^40).
type Fp = i128;

/// round(v · 2^40) for v ≥ 0, evaluated at compile time for the coefficient tables: no float
/// operation is left in the program.
const fn to_fp(v: f64) -> Fp {
    (v * ONE as f64 + 0.5) as i128
}

const fn table<const N: usize>(values: [f64; N]) -> [Fp; N] {
    let mut out = [0; N];
    let mut i = 0;
    while i < N {
        out[i] = to_fp(values[i]);
        i += 1;
    }
    out
}

/// Largest magnitude `mul` accepts per operand: the product then stays below 2^126, so the
/// 128-bit multiply itself cannot overflow. (A `checked_mul` on i128 lowers to the
/// overflow-reporting `__muloti4` libcall, several times the cost of the plain multiply on SBF.)
const MUL_OPERAND_LIMIT: i128 = 1 << 63;

/// x·y with round-half-up, or None when an operand is out of range.
#[inline(always)]
fn mul(x: Fp, y: Fp) -> Option<Fp> {
    if x.unsigned_abs() >= MUL_OPERAND_LIMIT as u128
        || y.unsigned_abs() >= MUL_OPERAND_LIMIT as u128
    {
        return None;
    }
    Some((x.wrapping_mul(y) + (1 << (FRAC_BITS - 1))) >> FRAC_BITS)
}

/// x/y rounded toward zero, or None for y = 0 or |x| ≥ 2^86 (so x·2^40 fits).
#[inline(always)]
fn div(x: Fp, y: Fp) -> Option<Fp> {
    if y == 0 || x.unsigned_abs() >= 1u128 << 86 {
        return None;
    }
    Some((x << FRAC_BITS) / y)
}

/// Natural logarithm of x > 0.
pub fn ln(x: Fp) -> Option<Fp> {
    if x <= 0 {
        return None;
    }
    // x = m·2^e with m ∈ [1, 2) in Fp, then into [√½, √2).
    let bits = 127 - x.leading_zeros() as i32; // index of the top bit
    let mut e = bits - FRAC_BITS as i32;
    let mut m = if e >= 0 { x >> e } else { x << (-e) };
    if m > SQRT2 {
        m >>= 1;
        e += 1;
    }
    let s = div(m - ONE, m + ONE)?;
    let s2 = mul(s, s)?;
    // 1 + s²/3 + s⁴/5 + … + s¹⁶/17 in Horner form.
    let mut p = ONE / 17;
    for k in [15, 13, 11, 9, 7, 5, 3] {
        p = mul(p, s2)? + ONE / k;
    }
    p = mul(p, s2)? + ONE;
    let ln_m = 2 * mul(s, p)?;
    Some(ln_m + e as i128 * LN2)
}

/// e^x for x ≤ 0 (0 once it is below 2^-64 of a unit).
pub fn exp_neg(x: Fp) -> Option<Fp> {
    if x > 0 {
        return None;
    }
    let n = (-x) / LN2; // x = −n·ln2 + r with r ∈ (−ln2, 0]
    if n > 64 {
        return Some(0);
    }
    let r = x + n * LN2;
    // Taylor series of e^r to degree 14 (|r| < ln 2: truncation below 2^-45), in Horner form
    // over compile-time coefficients 1/k!, so no division runs.
    let mut p = EXP_TAYLOR[14];
    for c in EXP_TAYLOR[..14].iter().rev() {
        p = mul(p, r)? + c;
    }
    Some(p >> n)
}

/// 1/k! · 2^40 for k = 0..=14.
const EXP_TAYLOR: [Fp; 15] = {
    let mut out = [0; 15];
    let mut factorial = 1.0f64;
    let mut k = 0;
    while k < 15 {
        if k > 0 {
            factorial *= k as f64;
        }
        out[k] = to_fp(1.0 / factorial);
        k += 1;
    }
    out
};

/// Hart's coefficients for N(−x) = e^{−x²/2}·P(x)/Q(x), 0 ≤ x < 7.07.
const HART_P: [f64; 7] = [
    3.526_249_659_989_11e-2,
    0.700_383_064_443_688,
    6.373_962_203_531_65,
    33.912_866_078_383,
    112.079_291_497_871,
    221.213_596_169_931,
    220.206_867_912_376,
];
const HART_Q: [f64; 8] = [
    8.838_834_764_831_84e-2,
    1.755_667_163_182_64,
    16.064_177_579_207,
    86.780_732_202_946_1,
    296.564_248_779_674,
    637.333_633_378_831,
    793.826_512_519_948,
    440.413_735_824_752,
];
const HART_P_FP: [Fp; 7] = table(HART_P);
const HART_Q_FP: [Fp; 8] = table(HART_Q);
const HART_CUTOFF: Fp = 7_774_721_279_939; // 7.07106781186547 · 2^40

/// Standard normal CDF.
pub fn norm_cdf(x: Fp) -> Option<Fp> {
    let a = x.checked_abs()?;
    let tail = if a >= HART_CUTOFF {
        0
    } else {
        let e = exp_neg(-(mul(a, a)? / 2))?;
        let mut p = HART_P_FP[0];
        for c in &HART_P_FP[1..] {
            p = mul(p, a)? + c;
        }
        let mut q = HART_Q_FP[0];
        for c in &HART_Q_FP[1..] {
            q = mul(q, a)? + c;
        }
        mul(e, div(p, q)?)?
    };
    Some(if x > 0 { ONE - tail } else { tail })
}

/// ⌊√x⌋ for x ≥ 0 (Newton's method on u128 from a power-of-two start above the root).
fn isqrt(x: u128) -> u128 {
    if x < 2 {
        return x;
    }
    let bits = 128 - x.leading_zeros();
    let mut r = 1u128 << bits.div_ceil(2);
    loop {
        let next = (r + x / r) >> 1;
        if next >= r {
            return r;
        }
        r = next;
    }
}

/// Call or put.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionSide {
    Call,
    Put,
}

/// Black-76 output: `price` in PRICE_PRECISION per unit of underlying, `delta` ∂P/∂F in
/// 1e-6 units (−1e6..=1e6), `vega` ∂P/∂σ per 1.00 of volatility in PRICE_PRECISION.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Black76 {
    pub price: u64,
    pub delta: i64,
    pub vega: u64,
}

/// Black-76 for a forward and strike in PRICE_PRECISION, time to expiry in seconds and
/// volatility in 1e-6 (600_000 = 60%). At expiry (t = 0) or zero volatility it returns the
/// intrinsic value with a step delta. `None` for zero prices or out-of-range inputs
/// (forward/strike ratio beyond 2^±40, σ²T above 2^20).
pub fn black76(
    side: OptionSide,
    forward: u64,
    strike: u64,
    seconds: u64,
    vol: u64,
) -> Option<Black76> {
    if forward == 0 || strike == 0 {
        return None;
    }
    const VOL_SCALE: u128 = 1_000_000;
    // σ²T in Fp: vol² · seconds · 2^40 / (1e12 · seconds_per_year).
    let variance = (vol as u128)
        .checked_mul(vol as u128)?
        .checked_mul(seconds as u128)?
        .checked_mul(ONE as u128)?
        / (VOL_SCALE * VOL_SCALE * SECONDS_PER_YEAR as u128);
    if variance == 0 {
        let intrinsic = match side {
            OptionSide::Call => forward.saturating_sub(strike),
            OptionSide::Put => strike.saturating_sub(forward),
        };
        let delta = match (side, intrinsic > 0) {
            (OptionSide::Call, true) => 1_000_000,
            (OptionSide::Put, true) => -1_000_000,
            _ => 0,
        };
        return Some(Black76 {
            price: intrinsic,
            delta,
            vega: 0,
        });
    }
    if variance > (1u128 << (FRAC_BITS + 20)) {
        return None;
    }
    let sd = isqrt(variance << FRAC_BITS) as i128; // σ√T in Fp
                                                   // K/F in Fp; x = ln(F/K) = −ln(K/F).
    let k_over_f = ((strike as u128) << FRAC_BITS) / forward as u128;
    if k_over_f == 0 || k_over_f > (1u128 << (2 * FRAC_BITS)) {
        return None;
    }
    let k_over_f = k_over_f as i128;
    let x = -ln(k_over_f)?;
    let d1 = div(x, sd)? + sd / 2;
    let d2 = d1 - sd;
    let (price_rel, delta) = match side {
        OptionSide::Call => {
            let n1 = norm_cdf(d1)?;
            (n1 - mul(k_over_f, norm_cdf(d2)?)?, n1)
        }
        OptionSide::Put => {
            let n1 = norm_cdf(-d1)?;
            (mul(k_over_f, norm_cdf(-d2)?)? - n1, -n1)
        }
    };
    // n(d1)·√T: vega = F·n(d1)·√T, with √T = sd/σ.
    let pdf = mul(INV_SQRT_2PI, exp_neg(-(mul(d1, d1)? / 2))?)?;
    let sqrt_t = div(sd, ((vol as i128) << FRAC_BITS) / VOL_SCALE as i128)?;
    let vega_rel = mul(pdf, sqrt_t)?;
    let to_money = |rel: Fp| -> Option<u64> {
        u64::try_from((rel.max(0) as u128).checked_mul(forward as u128)? >> FRAC_BITS).ok()
    };
    Some(Black76 {
        price: to_money(price_rel)?,
        delta: ((delta * 1_000_000) >> FRAC_BITS) as i64,
        vega: to_money(vega_rel)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_f(x: Fp) -> f64 {
        x as f64 / ONE as f64
    }

    fn fp(v: f64) -> Fp {
        (v * ONE as f64).round() as i128
    }

    #[test]
    fn elementary_functions_are_accurate_to_a_few_units() {
        let unit = 1.0 / ONE as f64;
        for i in 1..2_000 {
            let x = i as f64 * 0.013;
            // Against ln of the quantised input: 1/x amplifies the input's own rounding.
            let e = (to_f(ln(fp(x)).unwrap()) - to_f(fp(x)).ln()).abs() / unit;
            assert!(e < 8.0, "ln {x}: {e} units");
            assert!(
                (to_f(exp_neg(fp(-x)).unwrap()) - (-x).exp()).abs() < 8.0 * unit,
                "exp {x}"
            );
        }
        for i in -1_000..1_000 {
            let x = i as f64 * 0.009;
            let reference = 0.5 * libm::erfc(-x / std::f64::consts::SQRT_2);
            assert!(
                (to_f(norm_cdf(fp(x)).unwrap()) - reference).abs() < 8.0 * unit,
                "N({x})"
            );
        }
        assert_eq!(isqrt(1u128 << 100), 1u128 << 50);
        assert_eq!(isqrt(99), 9);
    }

    proptest::proptest! {
        /// Any inputs: no panic, and a result within no-arbitrage bounds.
        #[test]
        fn never_panics_and_respects_bounds(f: u64, k: u64, secs: u64, vol: u64, call: bool) {
            let side = if call { OptionSide::Call } else { OptionSide::Put };
            if let Some(r) = black76(side, f, k, secs, vol) {
                let bound = if call { f } else { k };
                proptest::prop_assert!(r.price <= bound.saturating_add(1));
                proptest::prop_assert!(r.delta.abs() <= 1_000_000);
            }
        }
    }

    #[test]
    fn expiry_and_degenerate_inputs() {
        let itm = black76(OptionSide::Call, 110_000_000, 100_000_000, 0, 600_000).unwrap();
        assert_eq!((itm.price, itm.delta, itm.vega), (10_000_000, 1_000_000, 0));
        let otm = black76(OptionSide::Put, 110_000_000, 100_000_000, 3_600, 0).unwrap();
        assert_eq!((otm.price, otm.delta), (0, 0));
        assert_eq!(black76(OptionSide::Call, 0, 1, 1, 1), None);
        assert!(black76(OptionSide::Call, u64::MAX, u64::MAX, u64::MAX, u64::MAX).is_none());
    }
}
