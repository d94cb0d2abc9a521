//! Return models calibrated from a user's price series (CSV `timestamp,price`, unix seconds):
//! GARCH(1,1) with Student-t innovations by maximum likelihood (variance targeting, grid over
//! α, β, ν), and Merton jump-diffusion by moments (returns beyond 4 robust σ are jumps).
use serde::Serialize;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SeriesError {
    #[error("price file {0}: {1}")]
    File(String, String),
    #[error("line {line}: {reason}")]
    Malformed { line: usize, reason: String },
    #[error("need at least {need} prices, got {got}")]
    TooShort { need: usize, got: usize },
    #[error("timestamps must increase (line {0})")]
    NotIncreasing(usize),
}

#[derive(Clone, Debug)]
pub struct PriceSeries {
    /// Log returns.
    pub returns: Vec<f64>,
    /// Median spacing of the observations, seconds.
    pub step_secs: f64,
}

impl PriceSeries {
    pub fn parse(text: &str) -> Result<Self, SeriesError> {
        let mut points: Vec<(f64, f64)> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split(',').map(str::trim);
            let (Some(ts), Some(price), None) = (cols.next(), cols.next(), cols.next()) else {
                return Err(SeriesError::Malformed {
                    line: i + 1,
                    reason: "expected `timestamp,price`".into(),
                });
            };
            let (Ok(ts), Ok(price)) = (ts.parse::<f64>(), price.parse::<f64>()) else {
                if points.is_empty() && i == 0 {
                    continue; // a header
                }
                return Err(SeriesError::Malformed {
                    line: i + 1,
                    reason: format!("not numbers: {line:?}"),
                });
            };
            if !(price.is_finite() && price > 0.0) {
                return Err(SeriesError::Malformed {
                    line: i + 1,
                    reason: format!("price {price} is not positive"),
                });
            }
            if points.last().is_some_and(|(t, _)| ts <= *t) {
                return Err(SeriesError::NotIncreasing(i + 1));
            }
            points.push((ts, price));
        }
        const NEED: usize = 50;
        if points.len() < NEED {
            return Err(SeriesError::TooShort {
                need: NEED,
                got: points.len(),
            });
        }
        let mut gaps: Vec<f64> = points.windows(2).map(|w| w[1].0 - w[0].0).collect();
        gaps.sort_by(f64::total_cmp);
        Ok(Self {
            returns: points.windows(2).map(|w| (w[1].1 / w[0].1).ln()).collect(),
            step_secs: gaps[gaps.len() / 2],
        })
    }

    /// A `timestamp,price` CSV, or one of the project's normalised OHLCV files
    /// (`examples/data/*.csv.gz`, the closes; a return across an exchange outage, more than
    /// twice the usual step, is left out rather than counted as one move).
    pub fn load(path: &std::path::Path) -> Result<Self, SeriesError> {
        use crate::backtest::data::{parse_closes, read_text, OHLCV_HEADER};
        let name = path.display().to_string();
        let text = read_text(path).map_err(|e| SeriesError::File(name.clone(), e.to_string()))?;
        if !text.starts_with(OHLCV_HEADER) {
            return Self::parse(&text);
        }
        let bars = parse_closes(&name, &text)
            .map_err(|e| SeriesError::File(name.clone(), e.to_string()))?;
        let mut gaps: Vec<i64> = bars.windows(2).map(|w| w[1].ts - w[0].ts).collect();
        gaps.sort_unstable();
        let step = gaps.get(gaps.len() / 2).copied().unwrap_or(0);
        let returns: Vec<f64> = bars
            .windows(2)
            .filter(|w| w[1].ts - w[0].ts <= 2 * step)
            .map(|w| (w[1].close / w[0].close).ln())
            .collect();
        if returns.len() < 50 {
            return Err(SeriesError::TooShort {
                need: 50,
                got: returns.len(),
            });
        }
        Ok(Self {
            returns,
            step_secs: step as f64,
        })
    }

    fn variance(&self) -> f64 {
        let n = self.returns.len() as f64;
        let mean = self.returns.iter().sum::<f64>() / n;
        self.returns.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1.0)
    }
}

/// GARCH(1,1)-t per observation step: σ²ₜ = ω + α·r²ₜ₋₁ + β·σ²ₜ₋₁, rₜ = σₜ·εₜ, ε ~ t_ν scaled
/// to unit variance.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct Garch {
    pub omega: f64,
    pub alpha: f64,
    pub beta: f64,
    pub nu: f64,
    pub step_secs: f64,
    pub log_likelihood: f64,
}

fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// Log-likelihood of standardised Student-t (unit variance) residuals.
fn garch_t_loglik(returns: &[f64], omega: f64, alpha: f64, beta: f64, nu: f64, var0: f64) -> f64 {
    let c = ln_gamma((nu + 1.0) / 2.0)
        - ln_gamma(nu / 2.0)
        - 0.5 * ((nu - 2.0) * std::f64::consts::PI).ln();
    let mut var = var0;
    let mut ll = 0.0;
    for &r in returns {
        ll += c - 0.5 * var.ln() - (nu + 1.0) / 2.0 * (1.0 + r * r / ((nu - 2.0) * var)).ln();
        var = omega + alpha * r * r + beta * var;
    }
    ll
}

impl Garch {
    pub fn fit(series: &PriceSeries) -> Self {
        let var = series.variance();
        let mut best = Self {
            omega: var,
            alpha: 0.0,
            beta: 0.0,
            nu: 30.0,
            step_secs: series.step_secs,
            log_likelihood: f64::NEG_INFINITY,
        };
        for nu in [3.0, 4.0, 5.0, 6.0, 8.0, 12.0, 30.0] {
            for a in 1..=30 {
                let alpha = a as f64 * 0.01;
                for b in 0..=49 {
                    let beta = 0.5 + b as f64 * 0.01;
                    if alpha + beta >= 0.999 {
                        continue;
                    }
                    let omega = var * (1.0 - alpha - beta);
                    let ll = garch_t_loglik(&series.returns, omega, alpha, beta, nu, var);
                    if ll > best.log_likelihood {
                        best = Self {
                            omega,
                            alpha,
                            beta,
                            nu,
                            step_secs: series.step_secs,
                            log_likelihood: ll,
                        };
                    }
                }
            }
        }
        best
    }

    /// The same process at a `step_secs` step: unconditional variance scaled with time, and
    /// persistence per step α+β raised to the step ratio (approximate temporal aggregation).
    pub fn at_step(&self, step_secs: f64) -> Self {
        let ratio = step_secs / self.step_secs;
        let persistence = (self.alpha + self.beta).powf(ratio);
        let share = if self.alpha + self.beta > 0.0 {
            self.alpha / (self.alpha + self.beta)
        } else {
            0.0
        };
        let unconditional = self.unconditional_variance() * ratio;
        Self {
            omega: unconditional * (1.0 - persistence),
            alpha: persistence * share,
            beta: persistence * (1.0 - share),
            nu: self.nu,
            step_secs,
            log_likelihood: self.log_likelihood,
        }
    }

    pub fn unconditional_variance(&self) -> f64 {
        self.omega / (1.0 - self.alpha - self.beta).max(1e-9)
    }

    pub fn annual_vol(&self) -> f64 {
        (self.unconditional_variance() * 365.0 * 86_400.0 / self.step_secs).sqrt()
    }
}

/// Merton jump-diffusion per observation step.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct JumpDiffusion {
    pub sigma: f64,
    pub lambda: f64,
    pub jump_mean: f64,
    pub jump_vol: f64,
    pub step_secs: f64,
}

impl JumpDiffusion {
    pub fn fit(series: &PriceSeries) -> Self {
        let mut sorted = series.returns.clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        let mut dev: Vec<f64> = series.returns.iter().map(|r| (r - median).abs()).collect();
        dev.sort_by(f64::total_cmp);
        let robust_sigma = 1.4826 * dev[dev.len() / 2];
        let (jumps, normal): (Vec<f64>, Vec<f64>) = series
            .returns
            .iter()
            .partition(|r| (*r - median).abs() > 4.0 * robust_sigma);
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        let sd = |v: &[f64]| {
            let m = mean(v);
            (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len().max(2) - 1) as f64).sqrt()
        };
        Self {
            sigma: sd(&normal),
            lambda: jumps.len() as f64 / series.returns.len() as f64,
            jump_mean: if jumps.is_empty() { 0.0 } else { mean(&jumps) },
            jump_vol: if jumps.len() > 1 { sd(&jumps) } else { 0.0 },
            step_secs: series.step_secs,
        }
    }

    /// The same process at a `step_secs` step (diffusion variance and intensity scale with time).
    pub fn at_step(&self, step_secs: f64) -> Self {
        let ratio = step_secs / self.step_secs;
        Self {
            sigma: self.sigma * ratio.sqrt(),
            lambda: self.lambda * ratio,
            step_secs,
            ..*self
        }
    }
}
