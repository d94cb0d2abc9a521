//! Volatility surface: raw-SVI smiles per expiry, total-variance interpolation across expiries,
//! and static no-arbitrage checks.
//!
//! Raw SVI (Gatheral 2004): total variance w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²)) at
//! log-moneyness k = ln(K/F). The fit is the quasi-explicit method of De Marco & Martini
//! (Zeliade, 2009). For fixed (m, σ), w is linear in (a, ρbσ, bσ): solve that 3×3 least
//! squares, then search (m, σ) with Nelder-Mead. Five parameters per expiry, which is also what
//! the program stores on-chain (`exposure_vault::state::SviSlice`).
use exposure_vault::math::precision::SVI_PARAM_PRECISION;
use exposure_vault::state::SviSlice;

/// Raw SVI parameters of one expiry.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SviRaw {
    pub a: f64,
    pub b: f64,
    pub rho: f64,
    pub m: f64,
    pub sigma: f64,
}

impl SviRaw {
    /// Total implied variance at log-moneyness k.
    #[inline]
    pub fn total_variance(&self, k: f64) -> f64 {
        let d = k - self.m;
        self.a + self.b * (self.rho * d + (d * d + self.sigma * self.sigma).sqrt())
    }

    /// (w, w', w'') at k.
    pub fn derivatives(&self, k: f64) -> (f64, f64, f64) {
        let d = k - self.m;
        let r = (d * d + self.sigma * self.sigma).sqrt();
        (
            self.total_variance(k),
            self.b * (self.rho + d / r),
            self.b * self.sigma * self.sigma / (r * r * r),
        )
    }

    /// Parameter sanity: b ≥ 0, |ρ| < 1, σ > 0, minimum variance a + bσ√(1−ρ²) ≥ 0.
    pub fn is_admissible(&self) -> bool {
        self.b >= 0.0
            && self.rho.abs() < 1.0
            && self.sigma > 0.0
            && self.a + self.b * self.sigma * (1.0 - self.rho * self.rho).sqrt() >= 0.0
            && [self.a, self.b, self.rho, self.m, self.sigma]
                .iter()
                .all(|v| v.is_finite())
    }

    /// Gatheral's butterfly density factor g(k); g < 0 means a negative risk-neutral density.
    pub fn butterfly_g(&self, k: f64) -> f64 {
        let (w, w1, w2) = self.derivatives(k);
        let term = 1.0 - k * w1 / (2.0 * w);
        term * term - 0.25 * w1 * w1 * (1.0 / w + 0.25) + 0.5 * w2
    }

    /// The on-chain form: each parameter scaled by SVI_PARAM_PRECISION and rounded.
    pub fn to_onchain(&self, expiry_ts: i64) -> SviSlice {
        let q = |v: f64| (v * SVI_PARAM_PRECISION as f64).round() as i64;
        SviSlice {
            expiry_ts,
            a: q(self.a),
            b: q(self.b),
            rho: q(self.rho),
            m: q(self.m),
            sigma: q(self.sigma),
        }
    }

    pub fn from_onchain(slice: &SviSlice) -> Self {
        let f = |v: i64| v as f64 / SVI_PARAM_PRECISION as f64;
        Self {
            a: f(slice.a),
            b: f(slice.b),
            rho: f(slice.rho),
            m: f(slice.m),
            sigma: f(slice.sigma),
        }
    }
}

/// One market quote: log-moneyness and implied volatility, with a weight (e.g. vega).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SmileQuote {
    pub k: f64,
    pub iv: f64,
    #[serde(default = "one")]
    pub weight: f64,
}

fn one() -> f64 {
    1.0
}

impl SmileQuote {
    /// A quote given as an option price: its implied volatility at k = ln(K/F), F = S·e^{rT}.
    pub fn from_price(
        kind: crate::pricing::OptionKind,
        spot: f64,
        strike: f64,
        t: f64,
        rate: f64,
        price: f64,
        weight: f64,
    ) -> Result<Self, crate::pricing::IvError> {
        let iv = crate::pricing::implied_vol(kind, spot, strike, t, rate, price)?;
        let forward = spot * (rate * t).exp();
        Ok(Self {
            k: (strike / forward).ln(),
            iv,
            weight,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum SurfaceError {
    #[error("a smile needs at least 5 quotes with finite k, iv > 0 and weight > 0 (got {0})")]
    NotEnoughQuotes(usize),
    #[error("expiry must be > 0 years (got {0})")]
    InvalidExpiry(f64),
    #[error("expiries must be strictly increasing")]
    UnsortedExpiries,
    #[error("no admissible SVI parameters fit these quotes")]
    NoAdmissibleFit,
}

/// Result of fitting one expiry.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct SmileFit {
    pub params: SviRaw,
    /// Root mean square error in implied volatility (absolute, e.g. 0.002 = 0.2 vol points).
    pub rmse_iv: f64,
}

/// Fits raw SVI to quotes of one expiry `t` (years).
pub fn fit_smile(t: f64, quotes: &[SmileQuote]) -> Result<SmileFit, SurfaceError> {
    if !(t.is_finite() && t > 0.0) {
        return Err(SurfaceError::InvalidExpiry(t));
    }
    let pts: Vec<(f64, f64, f64)> = quotes
        .iter()
        .filter(|q| q.k.is_finite() && q.iv.is_finite() && q.iv > 0.0 && q.weight > 0.0)
        .map(|q| (q.k, q.iv * q.iv * t, q.weight))
        .collect();
    if pts.len() < 5 {
        return Err(SurfaceError::NotEnoughQuotes(pts.len()));
    }
    let k_min = pts.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let k_max = pts.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let w_max = pts.iter().map(|p| p.1).fold(0.0, f64::max);

    // Outer search over (m, ln σ); inner linear least squares for (a, d = ρbσ, c = bσ).
    let objective = |m: f64, ln_sigma: f64| -> (f64, Option<SviRaw>) {
        let sigma = ln_sigma.exp();
        match inner_fit(&pts, m, sigma, w_max) {
            Some((params, err)) => (err, Some(params)),
            None => (f64::INFINITY, None),
        }
    };
    let span = (k_max - k_min).max(0.05);
    let mut best: Option<(f64, SviRaw)> = None;
    for m0 in [
        k_min + 0.25 * span,
        0.5 * (k_min + k_max),
        k_max - 0.25 * span,
    ] {
        for s0 in [0.05 * span, 0.3 * span] {
            let (err, params) = nelder_mead_2d(&objective, [m0, s0.ln()], [0.1 * span, 0.5]);
            if let Some(p) = params {
                if best.is_none_or(|(e, _)| err < e) {
                    best = Some((err, p));
                }
            }
        }
    }
    let (_, params) = best.ok_or(SurfaceError::NoAdmissibleFit)?;
    let rmse_iv = (pts
        .iter()
        .map(|&(k, w, _)| {
            let model = params.total_variance(k).max(0.0);
            ((model / t).sqrt() - (w / t).sqrt()).powi(2)
        })
        .sum::<f64>()
        / pts.len() as f64)
        .sqrt();
    Ok(SmileFit { params, rmse_iv })
}

/// Weighted least squares for (a, d, c) at fixed (m, σ), projected onto the Zeliade domain
/// 0 ≤ c ≤ 4σ, |d| ≤ c, |d| ≤ 4σ − c, 0 ≤ a ≤ max w (which keeps ρ in (−1, 1) and the
/// minimum variance non-negative).
fn inner_fit(pts: &[(f64, f64, f64)], m: f64, sigma: f64, w_max: f64) -> Option<(SviRaw, f64)> {
    if !(sigma.is_finite() && sigma > 1e-6) {
        return None;
    }
    // Normal equations of w ≈ a + d·y + c·z, y = (k−m)/σ, z = √(y²+1).
    let mut ata = [[0.0f64; 3]; 3];
    let mut atb = [0.0f64; 3];
    for &(k, w, wt) in pts {
        let y = (k - m) / sigma;
        let row = [1.0, y, (y * y + 1.0).sqrt()];
        for i in 0..3 {
            atb[i] += wt * row[i] * w;
            for j in 0..3 {
                ata[i][j] += wt * row[i] * row[j];
            }
        }
    }
    let [mut a, mut d, mut c] = solve3(ata, atb)?;
    c = c.clamp(1e-12, 4.0 * sigma);
    d = d.clamp(-c.min(4.0 * sigma - c), c.min(4.0 * sigma - c));
    a = a.clamp(0.0, w_max.max(1e-12));
    let b = c / sigma;
    let rho = (d / c).clamp(-0.999_999, 0.999_999);
    let params = SviRaw {
        a,
        b,
        rho,
        m,
        sigma,
    };
    if !params.is_admissible() {
        return None;
    }
    let err = pts
        .iter()
        .map(|&(k, w, wt)| wt * (params.total_variance(k) - w).powi(2))
        .sum::<f64>();
    Some((params, err))
}

fn solve3(m: [[f64; 3]; 3], v: [f64; 3]) -> Option<[f64; 3]> {
    let det = |m: &[[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(&m);
    if d.abs() < 1e-300 || !d.is_finite() {
        return None;
    }
    let mut out = [0.0; 3];
    for (col, slot) in out.iter_mut().enumerate() {
        let mut mc = m;
        for row in 0..3 {
            mc[row][col] = v[row];
        }
        *slot = det(&mc) / d;
    }
    Some(out)
}

/// Minimal Nelder-Mead in two dimensions (the SVI outer search is smooth and low-dimensional).
fn nelder_mead_2d<F>(f: &F, start: [f64; 2], step: [f64; 2]) -> (f64, Option<SviRaw>)
where
    F: Fn(f64, f64) -> (f64, Option<SviRaw>),
{
    let eval = |p: [f64; 2]| f(p[0], p[1]);
    let mut simplex = [
        start,
        [start[0] + step[0], start[1]],
        [start[0], start[1] + step[1]],
    ];
    let mut values = simplex.map(eval);
    for _ in 0..400 {
        let mut order = [0usize, 1, 2];
        order.sort_by(|&i, &j| values[i].0.total_cmp(&values[j].0));
        let [best, mid, worst] = order;
        if (values[worst].0 - values[best].0).abs() <= 1e-16 * (1.0 + values[best].0.abs()) {
            break;
        }
        let centroid = [
            0.5 * (simplex[best][0] + simplex[mid][0]),
            0.5 * (simplex[best][1] + simplex[mid][1]),
        ];
        let along = |t: f64| {
            [
                centroid[0] + t * (simplex[worst][0] - centroid[0]),
                centroid[1] + t * (simplex[worst][1] - centroid[1]),
            ]
        };
        let reflected = along(-1.0);
        let r = eval(reflected);
        if r.0 < values[best].0 {
            let expanded = along(-2.0);
            let e = eval(expanded);
            if e.0 < r.0 {
                simplex[worst] = expanded;
                values[worst] = e;
            } else {
                simplex[worst] = reflected;
                values[worst] = r;
            }
        } else if r.0 < values[mid].0 {
            simplex[worst] = reflected;
            values[worst] = r;
        } else {
            let contracted = along(0.5);
            let c = eval(contracted);
            if c.0 < values[worst].0 {
                simplex[worst] = contracted;
                values[worst] = c;
            } else {
                for i in [mid, worst] {
                    simplex[i] = [
                        0.5 * (simplex[i][0] + simplex[best][0]),
                        0.5 * (simplex[i][1] + simplex[best][1]),
                    ];
                    values[i] = eval(simplex[i]);
                }
            }
        }
    }
    values
        .into_iter()
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap_or((f64::INFINITY, None))
}

/// A surface: SVI slices at increasing expiries (years), interpolated in total variance.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct VolSurface {
    pub slices: Vec<(f64, SviRaw)>,
}

/// One static-arbitrage violation found on the check grid.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub enum ArbitrageViolation {
    /// Negative density: g(k) < 0 on the slice at `t`.
    Butterfly { t: f64, k: f64, g: f64 },
    /// Total variance falls from expiry `t1` to `t2` at k.
    Calendar {
        t1: f64,
        t2: f64,
        k: f64,
        w1: f64,
        w2: f64,
    },
}

impl VolSurface {
    pub fn new(mut slices: Vec<(f64, SviRaw)>) -> Result<Self, SurfaceError> {
        slices.sort_by(|a, b| a.0.total_cmp(&b.0));
        if slices.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err(SurfaceError::UnsortedExpiries);
        }
        if let Some(&(t, _)) = slices.iter().find(|(t, _)| t.is_nan() || *t <= 0.0) {
            return Err(SurfaceError::InvalidExpiry(t));
        }
        Ok(Self { slices })
    }

    /// Fits every expiry: `smiles` are (t in years, quotes).
    pub fn fit(smiles: &[(f64, Vec<SmileQuote>)]) -> Result<(Self, Vec<SmileFit>), SurfaceError> {
        let fits = smiles
            .iter()
            .map(|(t, q)| fit_smile(*t, q))
            .collect::<Result<Vec<_>, _>>()?;
        let surface = Self::new(
            smiles
                .iter()
                .map(|s| s.0)
                .zip(fits.iter().map(|f| f.params))
                .collect(),
        )?;
        Ok((surface, fits))
    }

    /// Total variance at (k, t): linear in t between slices (at fixed k), proportional to t
    /// before the first slice and beyond the last (constant implied vol).
    pub fn total_variance(&self, k: f64, t: f64) -> f64 {
        let s = &self.slices;
        match s.iter().position(|(ti, _)| *ti >= t) {
            None => s.last().map_or(0.0, |(tn, p)| p.total_variance(k) * t / tn),
            Some(0) => s[0].1.total_variance(k) * t / s[0].0,
            Some(i) => {
                let (t0, p0) = s[i - 1];
                let (t1, p1) = s[i];
                let u = (t - t0) / (t1 - t0);
                (1.0 - u) * p0.total_variance(k) + u * p1.total_variance(k)
            }
        }
    }

    /// Implied volatility at log-moneyness k and expiry t (years).
    pub fn implied_vol(&self, k: f64, t: f64) -> f64 {
        (self.total_variance(k, t).max(0.0) / t).sqrt()
    }

    /// Butterfly (g(k) ≥ 0 per slice) and calendar (w non-decreasing in t) checks on a k grid.
    pub fn arbitrage_violations(
        &self,
        k_range: (f64, f64),
        points: usize,
    ) -> Vec<ArbitrageViolation> {
        let grid: Vec<f64> = (0..points)
            .map(|i| k_range.0 + (k_range.1 - k_range.0) * i as f64 / (points.max(2) - 1) as f64)
            .collect();
        let mut out = Vec::new();
        for &(t, p) in &self.slices {
            for &k in &grid {
                let g = p.butterfly_g(k);
                if g < -1e-12 {
                    out.push(ArbitrageViolation::Butterfly { t, k, g });
                }
            }
        }
        for pair in self.slices.windows(2) {
            let ((t1, p1), (t2, p2)) = (pair[0], pair[1]);
            for &k in &grid {
                let (w1, w2) = (p1.total_variance(k), p2.total_variance(k));
                if w2 < w1 - 1e-14 {
                    out.push(ArbitrageViolation::Calendar { t1, t2, k, w1, w2 });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn truth() -> SviRaw {
        SviRaw {
            a: 0.02,
            b: 0.12,
            rho: -0.35,
            m: 0.03,
            sigma: 0.25,
        }
    }

    fn quotes(p: &SviRaw, t: f64) -> Vec<SmileQuote> {
        (0..25)
            .map(|i| {
                let k = -1.2 + 0.1 * i as f64;
                SmileQuote {
                    k,
                    iv: (p.total_variance(k) / t).sqrt(),
                    weight: 1.0,
                }
            })
            .collect()
    }

    #[test]
    fn fit_recovers_a_known_smile() {
        let t = 0.25;
        let fit = fit_smile(t, &quotes(&truth(), t)).unwrap();
        assert!(fit.rmse_iv < 1e-4, "rmse {}", fit.rmse_iv);
        for k in [-1.0, -0.3, 0.0, 0.4, 1.0] {
            let (want, got) = (truth().total_variance(k), fit.params.total_variance(k));
            assert!(
                (want - got).abs() < 1e-4 * want.max(1e-3),
                "k={k}: {want} vs {got}"
            );
        }
    }

    #[test]
    fn fits_from_option_prices() {
        use crate::pricing::{greeks, OptionKind, OptionParams};
        let (spot, t, rate): (f64, f64, f64) = (100.0, 0.25, 0.02);
        let forward = spot * (rate * t).exp();
        let quotes: Vec<SmileQuote> = (0..21)
            .map(|i| {
                let k = -0.8 + 0.08 * i as f64;
                let strike = forward * k.exp();
                // OTM options, as a venue would quote them.
                let kind = if k < 0.0 {
                    OptionKind::Put
                } else {
                    OptionKind::Call
                };
                let vol = (truth().total_variance(k) / t).sqrt();
                let price = greeks(&OptionParams {
                    kind,
                    spot,
                    strike,
                    t,
                    vol,
                    rate,
                })
                .unwrap()
                .price;
                SmileQuote::from_price(kind, spot, strike, t, rate, price, 1.0).unwrap()
            })
            .collect();
        let fit = fit_smile(t, &quotes).unwrap();
        assert!(fit.rmse_iv < 1e-4, "rmse {}", fit.rmse_iv);
        assert!((fit.params.total_variance(0.0) - truth().total_variance(0.0)).abs() < 1e-5);
    }

    #[test]
    fn detects_calendar_and_butterfly_arbitrage() {
        let good =
            VolSurface::new(vec![(0.1, truth()), (0.5, SviRaw { a: 0.08, ..truth() })]).unwrap();
        assert!(good.arbitrage_violations((-1.5, 1.5), 61).is_empty());
        let calendar =
            VolSurface::new(vec![(0.1, SviRaw { a: 0.08, ..truth() }), (0.5, truth())]).unwrap();
        assert!(calendar
            .arbitrage_violations((-1.5, 1.5), 61)
            .iter()
            .any(|v| matches!(v, ArbitrageViolation::Calendar { .. })));
        // Very steep wings with a tiny floor: negative density.
        let steep = SviRaw {
            a: 0.0,
            b: 2.0,
            rho: 0.9,
            m: 0.0,
            sigma: 0.01,
        };
        let butterfly = VolSurface::new(vec![(0.1, steep)]).unwrap();
        assert!(butterfly
            .arbitrage_violations((-1.5, 1.5), 61)
            .iter()
            .any(|v| matches!(v, ArbitrageViolation::Butterfly { .. })));
    }

    #[test]
    fn interpolates_in_total_variance() {
        let s =
            VolSurface::new(vec![(0.1, truth()), (0.5, SviRaw { a: 0.08, ..truth() })]).unwrap();
        let w = s.total_variance(0.0, 0.3);
        let expected =
            0.5 * (truth().total_variance(0.0) + SviRaw { a: 0.08, ..truth() }.total_variance(0.0));
        assert!((w - expected).abs() < 1e-15);
        assert!((s.total_variance(0.0, 0.05) - truth().total_variance(0.0) * 0.5).abs() < 1e-15);
    }

    #[test]
    fn onchain_round_trip_is_exact_to_precision() {
        let slice = truth().to_onchain(1_800_000_000);
        let back = SviRaw::from_onchain(&slice);
        assert!((back.rho - truth().rho).abs() < 1e-9 && (back.sigma - truth().sigma).abs() < 1e-9);
    }
}
