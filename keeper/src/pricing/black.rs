//! Closed-form Black-Scholes price and Greeks for one European option.
use super::normal::{norm_cdf, INV_SQRT_2PI};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptionKind {
    Call,
    Put,
}

impl OptionKind {
    /// +1 for calls, −1 for puts.
    #[inline]
    pub fn sign(self) -> f64 {
        match self {
            OptionKind::Call => 1.0,
            OptionKind::Put => -1.0,
        }
    }
}

/// Inputs of one valuation. `t` is in years (expiry days / 365).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OptionParams {
    pub kind: OptionKind,
    pub spot: f64,
    pub strike: f64,
    pub t: f64,
    pub vol: f64,
    pub rate: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum PricingError {
    #[error("spot must be finite and > 0 (got {0})")]
    InvalidSpot(f64),
    #[error("strike must be finite and > 0 (got {0})")]
    InvalidStrike(f64),
    #[error("time to expiry must be finite and >= 0 years (got {0})")]
    InvalidTime(f64),
    #[error("volatility must be finite and > 0 (got {0})")]
    InvalidVol(f64),
    #[error("rate must be finite (got {0})")]
    InvalidRate(f64),
}

impl OptionParams {
    pub fn validate(&self) -> Result<(), PricingError> {
        if !(self.spot.is_finite() && self.spot > 0.0) {
            return Err(PricingError::InvalidSpot(self.spot));
        }
        if !(self.strike.is_finite() && self.strike > 0.0) {
            return Err(PricingError::InvalidStrike(self.strike));
        }
        if !(self.t.is_finite() && self.t >= 0.0) {
            return Err(PricingError::InvalidTime(self.t));
        }
        if !(self.vol.is_finite() && self.vol > 0.0) {
            return Err(PricingError::InvalidVol(self.vol));
        }
        if !self.rate.is_finite() {
            return Err(PricingError::InvalidRate(self.rate));
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Greeks {
    pub price: f64,
    pub delta: f64,
    pub gamma: f64,
    pub vega: f64,
    pub theta: f64,
    pub rho: f64,
    pub vanna: f64,
    pub volga: f64,
}

/// Price only.
pub fn price(p: &OptionParams) -> Result<f64, PricingError> {
    Ok(greeks(p)?.price)
}

/// Price and all Greeks. At T = 0 the option is worth its intrinsic value and only delta
/// (the payoff's slope; ½ at the money) is non-zero.
pub fn greeks(p: &OptionParams) -> Result<Greeks, PricingError> {
    p.validate()?;
    if p.t == 0.0 {
        return Ok(at_expiry(p));
    }
    Ok(greeks_unchecked(
        p.kind, p.spot, p.strike, p.t, p.vol, p.rate,
    ))
}

fn at_expiry(p: &OptionParams) -> Greeks {
    let w = p.kind.sign();
    let intrinsic = (w * (p.spot - p.strike)).max(0.0);
    let delta = if p.spot == p.strike {
        0.5 * w
    } else if intrinsic > 0.0 {
        w
    } else {
        0.0
    };
    Greeks {
        price: intrinsic,
        delta,
        ..Greeks::default()
    }
}

/// The elementary functions the closed forms need: libm for single valuations, the branch-free
/// versions (`simd_math`) in the vectorised batch kernel.
pub trait Math {
    fn ln(x: f64) -> f64;
    fn exp(x: f64) -> f64;
    fn norm_cdf(x: f64) -> f64;
}

/// libm-backed functions (the reference path).
pub struct Libm;

impl Math for Libm {
    #[inline(always)]
    fn ln(x: f64) -> f64 {
        x.ln()
    }
    #[inline(always)]
    fn exp(x: f64) -> f64 {
        x.exp()
    }
    #[inline(always)]
    fn norm_cdf(x: f64) -> f64 {
        norm_cdf(x)
    }
}

/// The closed forms, for validated inputs with T > 0.
#[inline]
pub fn greeks_unchecked(kind: OptionKind, s: f64, k: f64, t: f64, vol: f64, r: f64) -> Greeks {
    greeks_with::<Libm>(kind.sign(), s, k, t, vol, r)
}

/// The closed forms with `w` = +1 (call) or −1 (put).
#[inline(always)]
pub fn greeks_with<M: Math>(w: f64, s: f64, k: f64, t: f64, vol: f64, r: f64) -> Greeks {
    let sqrt_t = t.sqrt();
    let sd = vol * sqrt_t;
    let d1 = (M::ln(s / k) + (r + 0.5 * vol * vol) * t) / sd;
    let d2 = d1 - sd;
    let k_df = k * M::exp(-r * t);
    let nd1 = M::norm_cdf(w * d1);
    let nd2 = M::norm_cdf(w * d2);
    let pdf1 = INV_SQRT_2PI * M::exp(-0.5 * d1 * d1);
    let price = w * (s * nd1 - k_df * nd2);
    let vega = s * pdf1 * sqrt_t;
    Greeks {
        price: price.max(0.0),
        delta: w * nd1,
        gamma: pdf1 / (s * sd),
        vega,
        theta: -s * pdf1 * vol / (2.0 * sqrt_t) - w * r * k_df * nd2,
        rho: w * k_df * t * nd2,
        vanna: -pdf1 * d2 / vol,
        volga: vega * d1 * d2 / vol,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(kind: OptionKind) -> OptionParams {
        OptionParams {
            kind,
            spot: 100.0,
            strike: 105.0,
            t: 0.5,
            vol: 0.6,
            rate: 0.03,
        }
    }

    #[test]
    fn put_call_parity() {
        let c = greeks(&params(OptionKind::Call)).unwrap();
        let p = greeks(&params(OptionKind::Put)).unwrap();
        let forward_value = 100.0 - 105.0 * (-0.03f64 * 0.5).exp();
        assert!((c.price - p.price - forward_value).abs() < 1e-12);
        assert!((c.delta - p.delta - 1.0).abs() < 1e-15);
        assert!((c.gamma - p.gamma).abs() < 1e-15 && (c.vega - p.vega).abs() < 1e-12);
    }

    #[test]
    fn bad_inputs_are_errors_never_nan() {
        let ok = params(OptionKind::Call);
        for (bad, want) in [
            (
                OptionParams { spot: 0.0, ..ok },
                PricingError::InvalidSpot(0.0),
            ),
            (
                OptionParams { strike: -1.0, ..ok },
                PricingError::InvalidStrike(-1.0),
            ),
            (
                OptionParams { t: -1e-9, ..ok },
                PricingError::InvalidTime(-1e-9),
            ),
            (
                OptionParams { vol: 0.0, ..ok },
                PricingError::InvalidVol(0.0),
            ),
        ] {
            assert_eq!(greeks(&bad), Err(want));
        }
        assert!(matches!(
            greeks(&OptionParams {
                spot: f64::NAN,
                ..ok
            }),
            Err(PricingError::InvalidSpot(_))
        ));
        assert!(matches!(
            greeks(&OptionParams {
                vol: f64::INFINITY,
                ..ok
            }),
            Err(PricingError::InvalidVol(_))
        ));
        assert!(matches!(
            greeks(&OptionParams {
                rate: f64::NAN,
                ..ok
            }),
            Err(PricingError::InvalidRate(_))
        ));
    }

    #[test]
    fn expiry_is_intrinsic() {
        let g = greeks(&OptionParams {
            t: 0.0,
            spot: 110.0,
            ..params(OptionKind::Call)
        })
        .unwrap();
        assert_eq!((g.price, g.delta, g.gamma), (5.0, 1.0, 0.0));
    }
}
