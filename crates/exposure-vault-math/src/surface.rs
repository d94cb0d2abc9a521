//! The volatility surface in raw-SVI form (Gatheral): per expiry, total implied variance
//! w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²)) at log-moneyness k = ln(K/F), and linear
//! interpolation of total variance in time between expiries (the term structure).
//!
//! The checks are the ones affordable on-chain: parameter bounds, a positive minimum of every
//! smile (so variance is positive at every strike, listed or not), Lee's wing-slope bound
//! b·(1 + |ρ|) ≤ 2, total ATM variance non-decreasing in expiry, and a bounded change of ATM
//! variance per update. All in `black76::Fp` (Q40) arithmetic.
use crate::black76::{self, div, mul, Fp, ONE, SECONDS_PER_YEAR};
use crate::fixed::{mul_div, Rounding};
use crate::precision::{BPS_DENOMINATOR, SVI_PARAM_PRECISION, VOL_PRECISION};

/// One raw-SVI smile, each parameter scaled by SVI_PARAM_PRECISION (1e9).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Svi {
    pub a: i64,
    pub b: i64,
    pub rho: i64,
    pub m: i64,
    pub sigma: i64,
}

/// Parameter bounds (in SVI_PARAM_PRECISION): generous for any listed crypto option, tight
/// enough that every intermediate stays inside Fp.
pub const MAX_ABS_A: i64 = 4 * SVI_PARAM_PRECISION;
pub const MAX_B: i64 = 2 * SVI_PARAM_PRECISION;
pub const MAX_ABS_RHO: i64 = SVI_PARAM_PRECISION - SVI_PARAM_PRECISION / 1_000; // 0.999
pub const MAX_ABS_M: i64 = 2 * SVI_PARAM_PRECISION;
pub const MIN_SIGMA: i64 = SVI_PARAM_PRECISION / 10_000; // 1e-4
pub const MAX_SIGMA: i64 = 4 * SVI_PARAM_PRECISION;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SurfaceError {
    ParamOutOfBounds,
    NegativeVariance,
    CalendarArbitrage,
    ChangeTooLarge,
    BeyondSurface,
    Math,
}

fn fp(v: i64) -> Result<Fp, SurfaceError> {
    div(v, SVI_PARAM_PRECISION).ok_or(SurfaceError::Math)
}

impl Svi {
    pub fn validate(&self) -> Result<(), SurfaceError> {
        let within = |v: i64, lo: i64, hi: i64| (lo..=hi).contains(&v);
        let ok = within(self.a, -MAX_ABS_A, MAX_ABS_A)
            && within(self.b, 0, MAX_B)
            && within(self.rho, -MAX_ABS_RHO, MAX_ABS_RHO)
            && within(self.m, -MAX_ABS_M, MAX_ABS_M)
            && within(self.sigma, MIN_SIGMA, MAX_SIGMA)
            // Lee's moment bound on the wings: the slope of w(k) stays below 2.
            && (self.b as i128) * (SVI_PARAM_PRECISION + self.rho.abs()) as i128
                <= 2 * (SVI_PARAM_PRECISION as i128) * (SVI_PARAM_PRECISION as i128);
        if !ok {
            return Err(SurfaceError::ParamOutOfBounds);
        }
        if self.min_variance()? <= 0 {
            return Err(SurfaceError::NegativeVariance);
        }
        Ok(())
    }

    /// w(k) in Fp.
    pub fn total_variance(&self, k: Fp) -> Result<Fp, SurfaceError> {
        let d = k - fp(self.m)?;
        let sigma = fp(self.sigma)?;
        let math = || -> Option<Fp> {
            let root = black76::sqrt(mul(d, d)?.checked_add(mul(sigma, sigma)?)?)?;
            let wing = mul(fp(self.rho).ok()?, d)?.checked_add(root)?;
            fp(self.a).ok()?.checked_add(mul(fp(self.b).ok()?, wing)?)
        };
        math().ok_or(SurfaceError::Math)
    }

    /// The smile's minimum, a + b·σ·√(1 − ρ²), reached at k = m + ρσ/√(1−ρ²)·(−1).
    pub fn min_variance(&self) -> Result<Fp, SurfaceError> {
        let math = || -> Option<Fp> {
            let rho = fp(self.rho).ok()?;
            let root = black76::sqrt(ONE - mul(rho, rho)?)?;
            let floor = mul(mul(fp(self.b).ok()?, fp(self.sigma).ok()?)?, root)?;
            fp(self.a).ok()?.checked_add(floor)
        };
        math().ok_or(SurfaceError::Math)
    }
}

/// One expiry of a posted surface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Slice {
    pub expiry_ts: i64,
    pub svi: Svi,
}

/// Checks a whole surface posted at `now`: every smile valid, expiries strictly increasing and
/// in the future, ATM total variance non-decreasing in expiry (no calendar arbitrage at the
/// money).
pub fn validate_surface(slices: &[Slice], now: i64) -> Result<(), SurfaceError> {
    let mut previous: Option<(i64, Fp)> = None;
    for slice in slices {
        slice.svi.validate()?;
        let atm = slice.svi.total_variance(0)?;
        match previous {
            None if slice.expiry_ts <= now => return Err(SurfaceError::ParamOutOfBounds),
            Some((expiry, _)) if slice.expiry_ts <= expiry => {
                return Err(SurfaceError::ParamOutOfBounds)
            }
            Some((_, prev_atm)) if atm < prev_atm => return Err(SurfaceError::CalendarArbitrage),
            _ => {}
        }
        previous = Some((slice.expiry_ts, atm));
    }
    Ok(())
}

/// Bounds the move of ATM total variance per expiry between two posted surfaces: an expiry in
/// both may change by at most `max_change_bps` of its previous value.
pub fn check_change(
    previous: &[Slice],
    next: &[Slice],
    max_change_bps: u64,
) -> Result<(), SurfaceError> {
    for slice in next {
        let Some(old) = previous.iter().find(|s| s.expiry_ts == slice.expiry_ts) else {
            continue;
        };
        let (before, after) = (old.svi.total_variance(0)?, slice.svi.total_variance(0)?);
        let allowed = mul_div(
            before.unsigned_abs(),
            max_change_bps,
            BPS_DENOMINATOR,
            Rounding::Down,
        )
        .ok_or(SurfaceError::Math)?;
        if after.abs_diff(before) > allowed {
            return Err(SurfaceError::ChangeTooLarge);
        }
    }
    Ok(())
}

/// A point where the surface prices something that trades: a listed series' expiry and its
/// log-moneyness at the market's spot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SurfacePoint {
    pub expiry_ts: i64,
    pub k: Fp,
}

/// A surface with the time it was fitted (`implied_vol`'s `fit_ts`).
#[derive(Clone, Copy, Debug)]
pub struct Posted<'a> {
    pub slices: &'a [Slice],
    pub fit_ts: i64,
}

/// Checks `next` against `anchor` (the surface at the start of the change window) where it
/// matters: at every listed point, implied variance may move by at most `max_change_bps` of the
/// anchor's, whatever the slices' expiries or the wings do between listed strikes. Both must
/// price every listed point (`BeyondSurface` otherwise): a posted surface can never freeze
/// marks nor drop a listed expiry, and a point the anchor cannot price would have no limit at
/// all, which is how a series listed at a new expiry escaped it (`list_series` therefore
/// requires the anchor to cover the expiry it lists).
pub fn check_points(
    anchor: Posted,
    next: Posted,
    points: &mut dyn Iterator<Item = SurfacePoint>,
    max_change_bps: u64,
) -> Result<(), SurfaceError> {
    for point in points {
        let after = implied_vol(next.slices, next.fit_ts, point.expiry_ts, point.k)?;
        let before = implied_vol(anchor.slices, anchor.fit_ts, point.expiry_ts, point.k)?;
        // Variances in VOL_PRECISION²: vols stay far below 1e9, so the squares fit in u64.
        let (before, after) = (
            before.checked_mul(before).ok_or(SurfaceError::Math)?,
            after.checked_mul(after).ok_or(SurfaceError::Math)?,
        );
        let allowed = mul_div(before, max_change_bps, BPS_DENOMINATOR, Rounding::Down)
            .ok_or(SurfaceError::Math)?;
        if after.abs_diff(before) > allowed {
            return Err(SurfaceError::ChangeTooLarge);
        }
    }
    Ok(())
}

/// Black-76 volatility (VOL_PRECISION) for an expiry at log-moneyness `k`, from a surface fitted
/// at `fit_ts`. Total variance is read off the expiry's own smile, interpolated linearly in time
/// between the two smiles around it, or scaled at constant variance rate before the first one;
/// beyond the last expiry there is no price. The rate w/T uses T from the fit time, so a surface
/// ageing within its staleness limit does not drift in vol.
pub fn implied_vol(
    slices: &[Slice],
    fit_ts: i64,
    expiry_ts: i64,
    k: Fp,
) -> Result<u64, SurfaceError> {
    if expiry_ts <= fit_ts {
        return Ok(0);
    }
    let index = slices
        .iter()
        .position(|s| s.expiry_ts >= expiry_ts)
        .ok_or(SurfaceError::BeyondSurface)?;
    let upper = &slices[index];
    let w_upper = upper.svi.total_variance(k)?;
    // Ratios of two spans of seconds: div of raw integers gives their quotient in Fp.
    let ratio = |numerator: i64, denominator: i64| -> Result<Fp, SurfaceError> {
        div(numerator, denominator).ok_or(SurfaceError::Math)
    };
    let variance = if upper.expiry_ts == expiry_ts {
        w_upper
    } else if index == 0 {
        let scale = ratio(expiry_ts - fit_ts, upper.expiry_ts - fit_ts)?;
        mul(w_upper, scale).ok_or(SurfaceError::Math)?
    } else {
        let lower = &slices[index - 1];
        let w_lower = lower.svi.total_variance(k)?;
        let weight = ratio(
            expiry_ts - lower.expiry_ts,
            upper.expiry_ts - lower.expiry_ts,
        )?;
        w_lower + mul(w_upper - w_lower, weight).ok_or(SurfaceError::Math)?
    };
    if variance <= 0 {
        return Err(SurfaceError::NegativeVariance);
    }
    let years = ratio(expiry_ts - fit_ts, SECONDS_PER_YEAR as i64)?;
    let rate = div(variance, years).ok_or(SurfaceError::Math)?;
    let vol = black76::sqrt(rate).ok_or(SurfaceError::Math)?;
    let vol = mul(vol, VOL_PRECISION as i64).ok_or(SurfaceError::Math)?;
    u64::try_from(vol).map_err(|_| SurfaceError::Math)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: f64 = SVI_PARAM_PRECISION as f64;

    fn svi(a: f64, b: f64, rho: f64, m: f64, sigma: f64) -> Svi {
        let s = |v: f64| (v * P).round() as i64;
        Svi {
            a: s(a),
            b: s(b),
            rho: s(rho),
            m: s(m),
            sigma: s(sigma),
        }
    }

    fn w_f64(p: &Svi, k: f64) -> f64 {
        let (a, b, rho, m, sigma) = (
            p.a as f64 / P,
            p.b as f64 / P,
            p.rho as f64 / P,
            p.m as f64 / P,
            p.sigma as f64 / P,
        );
        a + b * (rho * (k - m) + ((k - m).powi(2) + sigma * sigma).sqrt())
    }

    #[test]
    fn total_variance_matches_f64() {
        let p = svi(0.02, 0.1, -0.4, 0.05, 0.2);
        for i in -40..=40 {
            let k = i as f64 * 0.05;
            let got = p.total_variance((k * ONE as f64) as i64).unwrap() as f64 / ONE as f64;
            assert!((got - w_f64(&p, k)).abs() < 1e-11, "k={k}");
        }
        let min = p.min_variance().unwrap() as f64 / ONE as f64;
        let brute = (-4000..4000)
            .map(|i| w_f64(&p, i as f64 * 0.001))
            .fold(f64::MAX, f64::min);
        assert!((min - brute).abs() < 1e-7);
    }

    /// The keeper-key attacks of SECURITY.md: shifting an expiry by a second (no slice matches,
    /// so the ATM check sees nothing) and moving only the wings (ATM unchanged) are both caught
    /// at the listed points; a surface that cannot price an open series is refused.
    #[test]
    fn listed_points_catch_expiry_shifts_wing_moves_and_unpriceable_surfaces() {
        const YEAR: i64 = 31_536_000;
        let smile = |a, b| svi(a, b, -0.3, 0.0, 0.2);
        let old = [Slice {
            expiry_ts: YEAR,
            svi: smile(0.3, 0.1),
        }];
        let anchor = Posted {
            slices: &old,
            fit_ts: 0,
        };
        let k = |x: f64| (x * ONE as f64) as Fp;
        let points = [
            SurfacePoint {
                expiry_ts: YEAR,
                k: 0,
            },
            SurfacePoint {
                expiry_ts: YEAR,
                k: k(0.7),
            },
        ];
        let check = |slices: &[Slice]| {
            let next = Posted { slices, fit_ts: 0 };
            check_points(anchor, next, &mut points.iter().copied(), 2_000)
        };
        // Expiry shifted by one second, vol cut from ~58% to ~22%: the ATM check misses it.
        let shifted = [Slice {
            expiry_ts: YEAR + 1,
            svi: smile(0.02, 0.03),
        }];
        assert_eq!(check_change(&old, &shifted, 2_000), Ok(()));
        assert_eq!(check(&shifted), Err(SurfaceError::ChangeTooLarge));
        // Wings five times steeper, ATM variance unchanged (b·σ is the ATM contribution with m = 0 and
        // ρ·k = 0 at k = 0: keep a + b·σ fixed).
        let wings = [Slice {
            expiry_ts: YEAR,
            svi: svi(0.32 - 0.5 * 0.2, 0.5, -0.3, 0.0, 0.2),
        }];
        assert_eq!(check_change(&old, &wings, 2_000), Ok(()));
        assert_eq!(check(&wings), Err(SurfaceError::ChangeTooLarge));
        // A small move passes; a surface ending before a listed series does not.
        assert_eq!(
            check(&[Slice {
                expiry_ts: YEAR,
                svi: smile(0.31, 0.1),
            }]),
            Ok(())
        );
        let short = [Slice {
            expiry_ts: YEAR - 1,
            svi: smile(0.3, 0.1),
        }];
        assert_eq!(check(&short), Err(SurfaceError::BeyondSurface));
        // Nor is a listed point the anchor cannot price left unchecked: a fresh expiry beyond
        // the anchor's last smile is refused, not taken at whatever vol is posted there.
        let beyond = [SurfacePoint {
            expiry_ts: YEAR + 86_400,
            k: 0,
        }];
        let wide = [Slice {
            expiry_ts: YEAR + 86_400,
            svi: smile(3.0, 0.1),
        }];
        let next = Posted {
            slices: &wide,
            fit_ts: 0,
        };
        assert_eq!(
            check_points(anchor, next, &mut beyond.iter().copied(), 2_000),
            Err(SurfaceError::BeyondSurface)
        );
    }

    #[test]
    fn rejects_bad_smiles_and_calendar_arbitrage() {
        assert_eq!(
            svi(-0.05, 0.1, 0.0, 0.0, 0.1).validate(),
            Err(SurfaceError::NegativeVariance)
        );
        assert_eq!(
            svi(0.02, 1.5, 0.5, 0.0, 0.1).validate(),
            Err(SurfaceError::ParamOutOfBounds)
        );
        assert_eq!(
            svi(0.02, 0.1, 1.0, 0.0, 0.1).validate(),
            Err(SurfaceError::ParamOutOfBounds)
        );
        let near = Slice {
            expiry_ts: 1_000,
            svi: svi(0.04, 0.1, -0.3, 0.0, 0.2),
        };
        let far = Slice {
            expiry_ts: 2_000,
            svi: svi(0.01, 0.1, -0.3, 0.0, 0.2),
        };
        assert_eq!(
            validate_surface(&[near, far], 0),
            Err(SurfaceError::CalendarArbitrage)
        );
        assert_eq!(
            validate_surface(&[far, near], 0),
            Err(SurfaceError::ParamOutOfBounds)
        );
        assert_eq!(
            validate_surface(&[near], 1_000),
            Err(SurfaceError::ParamOutOfBounds)
        );
        let far = Slice {
            expiry_ts: 2_000,
            svi: svi(0.06, 0.1, -0.3, 0.0, 0.2),
        };
        assert_eq!(validate_surface(&[near, far], 0), Ok(()));
        let bumped = Slice {
            expiry_ts: 1_000,
            svi: svi(0.08, 0.1, -0.3, 0.0, 0.2),
        };
        assert_eq!(
            check_change(&[near], &[bumped], 5_000),
            Err(SurfaceError::ChangeTooLarge)
        );
        assert_eq!(check_change(&[near], &[bumped], 10_000), Ok(()));
    }

    #[test]
    fn implied_vol_interpolates_total_variance_in_time() {
        let year = SECONDS_PER_YEAR as i64;
        // Flat smiles: 0.04 total variance at 1y (20% vol), 0.18 at 2y (30% vol).
        let s1 = Slice {
            expiry_ts: year,
            svi: svi(0.04, 0.0, 0.0, 0.0, 0.1),
        };
        let s2 = Slice {
            expiry_ts: 2 * year,
            svi: svi(0.18, 0.0, 0.0, 0.0, 0.1),
        };
        let vol = |expiry| implied_vol(&[s1, s2], 0, expiry, 0).unwrap();
        assert!(vol(year).abs_diff(200_000) <= 1);
        assert!(vol(2 * year).abs_diff(300_000) <= 1);
        assert!(vol(year / 2).abs_diff(200_000) <= 1); // constant rate before the first
                                                       // Halfway: w = 0.11 over 1.5y.
        let mid = (0.11f64 / 1.5).sqrt() * 1e6;
        assert!((vol(3 * year / 2) as f64 - mid).abs() <= 1.0);
        assert_eq!(
            implied_vol(&[s1, s2], 0, 3 * year, 0),
            Err(SurfaceError::BeyondSurface)
        );
        assert_eq!(implied_vol(&[s1, s2], 10, 5, 0), Ok(0));
    }
}
