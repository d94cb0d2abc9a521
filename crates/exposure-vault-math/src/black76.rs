//! Black-76 price, delta and vega in integer fixed point, for pricing on-chain.
//!
//! Model: Black-76 on the forward F (with zero rates F is the oracle spot), T = seconds / 365
//! days. Intermediate values are binary fixed point with 40 fractional bits in an i64 (`Fp`,
//! |x| < 2^23). SBF has 64-bit multiply and divide but nothing wider: a Rust i128 product or
//! quotient becomes a software libcall of 80–600 CU. So products go through one 64×64→128
//! multiply on 32-bit halves (`mul_wide`) and quotients through one 128/64 long division; money
//! is F·N(d1) − K·N(d2), so no K/F quotient is formed at all.
//!
//! Elementary functions, each with its bound in units of 2^-40 ≈ 9.1e-13:
//! - ln: exponent split, then 2·atanh((m−1)/(m+1)) on m ∈ [√½, √2), 9 terms;
//! - exp on (−∞, 0]: Cody-Waite split by ln 2 and a degree-14 Taylor polynomial;
//! - N(x): Hart's double-precision rational (as published by West, 2005), e^{−x²/2}·P(|x|)/Q(|x|)
//!   for |x| < 7.07, tail 0 beyond (N(−7.07) < 8e-13, below one unit). The same e^{−x²/2} gives
//!   the density for vega.
//!
//! Deterministic, no floating point, no panics: every operation is checked and an input
//! outside the domain returns `None`.

/// Fractional bits of the fixed-point representation.
pub const FRAC_BITS: u32 = 40;
/// 1.0 in Fp.
pub const ONE: i64 = 1 << FRAC_BITS;
/// Seconds in the 365-day year that T is measured in.
pub const SECONDS_PER_YEAR: u64 = 365 * 24 * 3600;
/// Longest time to expiry priced: 16 years (keeps √T and σ√T well inside `Fp`).
pub const MAX_SECONDS: u64 = 16 * SECONDS_PER_YEAR;
/// Highest volatility priced, in 1e-6: 2,000%.
pub const MAX_VOL: u64 = 20_000_000;
/// Volatility and delta carry 6 decimals.
const VOL_SCALE: u64 = 1_000_000;

/// ln 2 · 2^40, rounded.
const LN2: i64 = 762_123_384_786;
/// √2 · 2^40.
const SQRT2: i64 = 1_554_944_255_988;
/// 1/√(2π) · 2^40.
const INV_SQRT_2PI: i64 = 438_641_676_113;

/// A real number x stored as round(x · 2^40).
pub type Fp = i64;

/// round(v · 2^40) for v ≥ 0, evaluated at compile time for the coefficient tables: no float
/// operation is left in the program.
const fn to_fp(v: f64) -> Fp {
    (v * ONE as f64 + 0.5) as i64
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

/// The full 128-bit product of two u64 as (high, low) words, from four 32×32 products: the one
/// wide multiply every other routine uses.
#[inline(always)]
pub fn mul_wide(x: u64, y: u64) -> (u64, u64) {
    const LOW: u64 = 0xffff_ffff;
    let (x1, x0, y1, y0) = (x >> 32, x & LOW, y >> 32, y & LOW);
    let (p00, p01, p10, p11) = (x0 * y0, x0 * y1, x1 * y0, x1 * y1);
    let mid = (p00 >> 32) + (p01 & LOW) + (p10 & LOW);
    let low = (mid << 32) | (p00 & LOW);
    let high = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    (high, low)
}

/// round(x · y / 2^40) for unsigned x, y; None above u64::MAX.
#[inline(always)]
fn mul_shift(x: u64, y: u64) -> Option<u64> {
    let (high, low) = mul_wide(x, y);
    let (low, carry) = low.overflowing_add(1 << (FRAC_BITS - 1));
    let high = high + carry as u64;
    if high >> FRAC_BITS != 0 {
        return None;
    }
    Some((high << (64 - FRAC_BITS)) | (low >> FRAC_BITS))
}

/// x·y in Fp with round-half-away-from-zero, or None when it leaves Fp's range.
#[inline(always)]
pub fn mul(x: Fp, y: Fp) -> Option<Fp> {
    let magnitude = i64::try_from(mul_shift(x.unsigned_abs(), y.unsigned_abs())?).ok()?;
    Some(if (x < 0) != (y < 0) {
        -magnitude
    } else {
        magnitude
    })
}

/// x/y in Fp rounded toward zero, or None for y = 0 or a quotient outside Fp.
#[inline(always)]
pub fn div(x: Fp, y: Fp) -> Option<Fp> {
    let (n, d) = (x.unsigned_abs(), y.unsigned_abs());
    let high = n >> (64 - FRAC_BITS);
    if d == 0 || high >= d {
        return None;
    }
    let (q, _) = sbf_i128::div_128_by_64(high, n << FRAC_BITS, d);
    let q = i64::try_from(q).ok()?;
    Some(if (x < 0) != (y < 0) { -q } else { q })
}

/// Natural logarithm of x > 0 (x is read as Fp; for an integer n, ln(n) − ln(m) = ln(n/m)
/// whatever the scale).
pub fn ln(x: Fp) -> Option<Fp> {
    if x <= 0 {
        return None;
    }
    // x = m·2^e with m ∈ [1, 2) in Fp, then into [√½, √2).
    let bits = 63 - x.leading_zeros() as i32; // index of the top bit
    let mut e = bits - FRAC_BITS as i32;
    let mut m = if e >= 0 { x >> e } else { x << (-e) };
    if m > SQRT2 {
        m >>= 1;
        e += 1;
    }
    let s = div(m - ONE, m + ONE)?;
    let s2 = mul(s, s)?;
    // 1 + s²/3 + s⁴/5 + … + s¹⁶/17 in Horner form.
    let mut p = ATANH_SERIES[0];
    for c in &ATANH_SERIES[1..] {
        p = mul(p, s2)? + c;
    }
    let ln_m = 2 * mul(s, p)?;
    Some(ln_m + e as i64 * LN2)
}

/// 1/17, 1/15, …, 1/3, 1 in Fp: the odd series of atanh(s)/s in s², highest term first.
const ATANH_SERIES: [Fp; 9] = table([
    1.0 / 17.0,
    1.0 / 15.0,
    1.0 / 13.0,
    1.0 / 11.0,
    1.0 / 9.0,
    1.0 / 7.0,
    1.0 / 5.0,
    1.0 / 3.0,
    1.0,
]);

/// e^x for x ≤ 0 (0 once it is below 2^-64 of a unit).
pub fn exp_neg(x: Fp) -> Option<Fp> {
    if x > 0 {
        return None;
    }
    // x = −k·(ln2/16) + r with r ∈ (−ln2/16, 0], then e^x = 2^-(k/16)·e^r = 2^-n·2^-(j/16)·e^r
    // for k = 16n + j. ln2/16 is split in two (Cody-Waite) so k·(ln2/16) keeps every bit.
    // Unsigned division: SBF has no signed one.
    let k = x.unsigned_abs() / LN2_16_HIGH as u64;
    let (n, j) = (k / 16, (k % 16) as usize);
    if n > 63 {
        return Some(0);
    }
    let k = k as i64;
    let r = x + k * LN2_16_HIGH + ((k * LN2_16_LOW_Q20) >> 20);
    // Taylor series of e^r to degree 6 (|r| < 0.0434: truncation below 2^-47), in Horner form
    // over compile-time coefficients 1/k!, so no division runs.
    let mut p = EXP_TAYLOR[6];
    for c in EXP_TAYLOR[..6].iter().rev() {
        p = mul(p, r)? + c;
    }
    Some(mul(p, EXP2_NEG_SIXTEENTHS[j])? >> n)
}

/// ln2/16 · 2^40 = 47_632_711_549.113…: integer part, and the fraction · 2^20.
const LN2_16_HIGH: i64 = 47_632_711_549;
const LN2_16_LOW_Q20: i64 = 118_649;

/// 2^(−j/16) in Fp for j = 0..16.
const EXP2_NEG_SIXTEENTHS: [Fp; 16] = [
    1_099_511_627_776,
    1_052_895_941_925,
    1_008_256_608_221,
    965_509_835_819,
    924_575_386_327,
    885_376_423_200,
    847_839_367_509,
    811_893_759_832,
    777_472_127_994,
    744_509_860_419,
    712_945_084_849,
    682_718_552_210,
    653_773_525_390,
    626_055_672_747,
    599_512_966_123,
    574_095_583_180,
];

/// 1/k! · 2^40 for k = 0..=6.
const EXP_TAYLOR: [Fp; 7] = {
    let mut out = [0; 7];
    let mut factorial = 1.0f64;
    let mut k = 0;
    while k < 7 {
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

/// Standard normal CDF N(x) and the Gaussian kernel e^{−x²/2} (the density without 1/√(2π)),
/// which the CDF computes anyway.
pub fn norm_cdf_and_kernel(x: Fp) -> Option<(Fp, Fp)> {
    let a = x.checked_abs()?;
    let kernel = exp_neg(-(mul(a, a)? / 2))?;
    let tail = if a >= HART_CUTOFF {
        0
    } else {
        let mut p = HART_P_FP[0];
        for c in &HART_P_FP[1..] {
            p = mul(p, a)? + c;
        }
        let mut q = HART_Q_FP[0];
        for c in &HART_Q_FP[1..] {
            q = mul(q, a)? + c;
        }
        mul(kernel, div(p, q)?)?
    };
    Some((if x > 0 { ONE - tail } else { tail }, kernel))
}

/// Standard normal CDF.
pub fn norm_cdf(x: Fp) -> Option<Fp> {
    norm_cdf_and_kernel(x).map(|(cdf, _)| cdf)
}

/// ⌊√x⌋ (Newton's method from a power-of-two start above the root; native 64-bit divisions).
pub fn isqrt(x: u64) -> u64 {
    if x < 2 {
        return x;
    }
    let bits = 64 - x.leading_zeros();
    let mut r = 1u64 << bits.div_ceil(2);
    loop {
        let next = (r + x / r) >> 1;
        if next >= r {
            return r;
        }
        r = next;
    }
}

/// √x in Fp for x ≥ 0: the integer root of the raw value (20 fractional bits) and two Newton
/// steps to full precision.
pub fn sqrt(x: Fp) -> Option<Fp> {
    if x < 0 {
        return None;
    }
    if x == 0 {
        return Some(0);
    }
    let mut root = (isqrt(x as u64) as i64).checked_shl(FRAC_BITS / 2)?.max(1);
    for _ in 0..2 {
        root = (root + div(x, root)?).div_euclid(2).max(1);
    }
    Some(root)
}

/// √T in Fp for T = seconds / year, seconds ≤ MAX_SECONDS. √seconds starts from the integer
/// root of seconds·2^34 (17 fractional bits) and two Newton steps in Fp bring it to full
/// precision; the scale 1/√year is applied last with a 62-bit constant, so even a one-second
/// expiry keeps every bit.
pub fn sqrt_years(seconds: u64) -> Option<Fp> {
    if seconds == 0 {
        return Some(0);
    }
    let mut root = isqrt(seconds << 34) << (FRAC_BITS - 17); // √seconds in Fp, seconds < 2^29
    for _ in 0..2 {
        // seconds/root in Fp = seconds·2^80 / root; the high word seconds·2^16 is below root.
        let (quotient, _) = sbf_i128::div_128_by_64(seconds << 16, 0, root);
        root = (root + quotient).div_ceil(2);
    }
    let (high, low) = mul_wide(root, INV_SQRT_YEAR_Q62);
    let (low, carry) = low.overflowing_add(1 << 61);
    i64::try_from(((high + carry as u64) << 2) | (low >> 62)).ok()
}

/// round(2^62 / √(seconds per year)).
const INV_SQRT_YEAR_Q62: u64 = 821_214_157_163_268;

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

/// amount · frac for an amount in PRICE_PRECISION and frac ≥ 0 in Fp, rounded half up.
pub(crate) fn money(amount: u64, frac: Fp) -> Option<u64> {
    mul_shift(amount, u64::try_from(frac).ok()?)
}

/// d1 and d2 from ln(F/K) and σ√T > 0. Beyond |d1| ≥ 16 both N(d1) and N(d2) are 0 or 1 to
/// 2^-40: the quotient that could leave Fp is skipped.
fn d1_d2(x: Fp, sd: Fp) -> Option<(Fp, Fp)> {
    let d1 = if x.unsigned_abs() >= 16 * sd.unsigned_abs() {
        x.signum() * 16 * ONE
    } else {
        div(x, sd)? + sd / 2
    };
    Some((d1, d1 - sd))
}

/// A volatility in 1e-6 as Fp.
pub fn vol_fp(vol: u64) -> Option<Fp> {
    if vol > MAX_VOL {
        return None;
    }
    div(vol as i64, VOL_SCALE as i64)
}

/// Black-76 for a forward and strike in PRICE_PRECISION, time to expiry in seconds and
/// volatility in 1e-6 (600_000 = 60%). At expiry (t = 0) or zero volatility it returns the
/// intrinsic value with a step delta. `None` for zero prices or inputs outside the domain
/// (forward or strike ≥ 2^62, seconds > MAX_SECONDS, vol > MAX_VOL).
pub fn black76(
    side: OptionSide,
    forward: u64,
    strike: u64,
    seconds: u64,
    vol: u64,
) -> Option<Black76> {
    if forward == 0 || strike == 0 || forward >= 1 << 62 || strike >= 1 << 62 {
        return None;
    }
    if seconds > MAX_SECONDS || vol > MAX_VOL {
        return None;
    }
    let sqrt_t = sqrt_years(seconds)?;
    let sd = mul(sqrt_t, div(vol as i64, VOL_SCALE as i64)?)?; // σ√T
    if sd == 0 {
        let intrinsic = match side {
            OptionSide::Call => forward.saturating_sub(strike),
            OptionSide::Put => strike.saturating_sub(forward),
        };
        let delta = match (side, intrinsic > 0) {
            (OptionSide::Call, true) => VOL_SCALE as i64,
            (OptionSide::Put, true) => -(VOL_SCALE as i64),
            _ => 0,
        };
        return Some(Black76 {
            price: intrinsic,
            delta,
            vega: 0,
        });
    }
    let x = ln(forward as i64)? - ln(strike as i64)?; // ln(F/K)
    let (d1, d2) = d1_d2(x, sd)?;
    let (price, delta, kernel) = match side {
        OptionSide::Call => {
            let (n1, kernel) = norm_cdf_and_kernel(d1)?;
            let n2 = norm_cdf(d2)?;
            let price = money(forward, n1)?.saturating_sub(money(strike, n2)?);
            (price, n1, kernel)
        }
        OptionSide::Put => {
            let (n1, kernel) = norm_cdf_and_kernel(-d1)?;
            let n2 = norm_cdf(-d2)?;
            let price = money(strike, n2)?.saturating_sub(money(forward, n1)?);
            (price, -n1, kernel)
        }
    };
    // vega = F·n(d1)·√T.
    let pdf = mul(INV_SQRT_2PI, kernel)?;
    Some(Black76 {
        price,
        delta: mul(delta, VOL_SCALE as i64)?,
        vega: money(forward, mul(pdf, sqrt_t)?)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_f(x: Fp) -> f64 {
        x as f64 / ONE as f64
    }

    fn fp(v: f64) -> Fp {
        (v * ONE as f64).round() as i64
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
        assert_eq!(isqrt(1u64 << 62), 1u64 << 31);
        assert_eq!(isqrt(u64::MAX), u32::MAX as u64);
        assert_eq!(isqrt(99), 9);
        for seconds in [1u64, 60, 3_600, 86_400, SECONDS_PER_YEAR, MAX_SECONDS] {
            let t = seconds as f64 / SECONDS_PER_YEAR as f64;
            let got = to_f(sqrt_years(seconds).unwrap());
            assert!(
                (got - t.sqrt()).abs() < 4.0 * unit,
                "√T for {seconds}s: {got}"
            );
        }
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
    fn wide_products_match_u128() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let y = x.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15;
            let (high, low) = mul_wide(x, y);
            assert_eq!(((high as u128) << 64) | low as u128, x as u128 * y as u128);
        }
        assert_eq!(mul(-ONE, ONE / 2), Some(-ONE / 2));
        assert_eq!(div(-ONE, 4 * ONE), Some(-ONE / 4));
        assert_eq!(mul(i64::MAX, 2 * ONE), None);
        assert_eq!(div(ONE, 0), None);
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
