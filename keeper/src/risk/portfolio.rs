//! Portfolio Greeks: per-market and total dollar Greeks plus per-expiry vega buckets.
//!
//! Units, per position of `size` contracts (positive long, negative short), one contract on one
//! unit of underlying:
//! - `delta_usd` = Δ·S·size: dollar exposure to the underlying;
//! - `gamma_usd` = Γ·S²·size / 100: change of `delta_usd` for a 1% move in S;
//! - `vega_usd` = vega·size / 100: P&L for +1 vol point;
//! - `theta_usd` = theta·size / 365: P&L for one calendar day.
use std::collections::BTreeMap;

use crate::pricing::black::{greeks, OptionKind, OptionParams, PricingError};
use crate::pricing::svi::VolSurface;

/// One option position in a market.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Position {
    pub market: String,
    pub kind: OptionKind,
    pub strike: f64,
    /// Time to expiry in years.
    pub t: f64,
    /// Contracts: positive long, negative short.
    pub size: f64,
}

/// What a market needs for valuation.
#[derive(Clone, Debug)]
pub struct MarketState {
    pub spot: f64,
    pub rate: f64,
    pub surface: VolSurface,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct DollarGreeks {
    pub value: f64,
    pub delta_usd: f64,
    pub gamma_usd: f64,
    pub vega_usd: f64,
    pub theta_usd: f64,
}

impl DollarGreeks {
    fn add(&mut self, o: &DollarGreeks) {
        self.value += o.value;
        self.delta_usd += o.delta_usd;
        self.gamma_usd += o.gamma_usd;
        self.vega_usd += o.vega_usd;
        self.theta_usd += o.theta_usd;
    }
}

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct PortfolioGreeks {
    pub per_market: BTreeMap<String, DollarGreeks>,
    pub total: DollarGreeks,
    /// Vega (USD per vol point) by expiry in years, ascending.
    pub vega_buckets: Vec<(f64, f64)>,
}

impl PortfolioGreeks {
    /// Adds `greeks` (a linear position, say) to `market` and to the total.
    pub fn add_to_market(&mut self, market: &str, greeks: &DollarGreeks) {
        self.per_market
            .entry(market.to_string())
            .or_default()
            .add(greeks);
        self.total.add(greeks);
    }
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RiskError {
    #[error("position {0} references unknown market {1}")]
    UnknownMarket(usize, String),
    #[error("position {0}: {1}")]
    Pricing(usize, PricingError),
}

/// Implied vol for a position from its market's surface, at log-moneyness ln(K/F).
pub fn position_vol(m: &MarketState, strike: f64, t: f64) -> f64 {
    let forward = m.spot * (m.rate * t).exp();
    m.surface.implied_vol((strike / forward).ln(), t)
}

/// Dollar Greeks of one position.
pub fn position_greeks(m: &MarketState, p: &Position) -> Result<DollarGreeks, PricingError> {
    let g = greeks(&OptionParams {
        kind: p.kind,
        spot: m.spot,
        strike: p.strike,
        t: p.t,
        vol: position_vol(m, p.strike, p.t),
        rate: m.rate,
    })?;
    Ok(DollarGreeks {
        value: g.price * p.size,
        delta_usd: g.delta * m.spot * p.size,
        gamma_usd: g.gamma * m.spot * m.spot * p.size / 100.0,
        vega_usd: g.vega * p.size / 100.0,
        theta_usd: g.theta * p.size / 365.0,
    })
}

/// Aggregates a book.
pub fn aggregate(
    positions: &[Position],
    markets: &BTreeMap<String, MarketState>,
) -> Result<PortfolioGreeks, RiskError> {
    let mut out = PortfolioGreeks::default();
    let mut buckets: BTreeMap<u64, f64> = BTreeMap::new();
    for (i, p) in positions.iter().enumerate() {
        let m = markets
            .get(&p.market)
            .ok_or_else(|| RiskError::UnknownMarket(i, p.market.clone()))?;
        let g = position_greeks(m, p).map_err(|e| RiskError::Pricing(i, e))?;
        out.per_market.entry(p.market.clone()).or_default().add(&g);
        out.total.add(&g);
        *buckets.entry(p.t.to_bits()).or_default() += g.vega_usd;
    }
    out.vega_buckets = buckets
        .into_iter()
        .map(|(t, v)| (f64::from_bits(t), v))
        .collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::svi::SviRaw;

    fn flat(vol: f64) -> VolSurface {
        // a = σ²·T at T = 1 with b = 0 is a flat 'vol' smile.
        VolSurface::new(vec![(
            1.0,
            SviRaw {
                a: vol * vol,
                b: 0.0,
                rho: 0.0,
                m: 0.0,
                sigma: 0.1,
            },
        )])
        .unwrap()
    }

    #[test]
    fn straddle_is_delta_neutral_and_long_vega() {
        let mut markets = BTreeMap::new();
        markets.insert(
            "BTC".to_string(),
            MarketState {
                spot: 100.0,
                rate: 0.0,
                surface: flat(0.5),
            },
        );
        let t = 0.25;
        let strike = 100.0 * (0.5f64 * 0.5 * 0.5 * t).exp(); // d1 = 0: call delta exactly ½
        let book = vec![
            Position {
                market: "BTC".into(),
                kind: OptionKind::Call,
                strike,
                t,
                size: 1.0,
            },
            Position {
                market: "BTC".into(),
                kind: OptionKind::Put,
                strike,
                t,
                size: 1.0,
            },
        ];
        let g = aggregate(&book, &markets).unwrap();
        assert!(g.total.delta_usd.abs() < 1e-9, "{}", g.total.delta_usd);
        assert!(g.total.vega_usd > 0.0 && g.total.gamma_usd > 0.0 && g.total.theta_usd < 0.0);
        assert_eq!(g.vega_buckets.len(), 1);
        let short: Vec<_> = book
            .iter()
            .map(|p| Position {
                size: -p.size,
                ..p.clone()
            })
            .collect();
        let s = aggregate(&short, &markets).unwrap();
        assert!((s.total.vega_usd + g.total.vega_usd).abs() < 1e-12);
    }

    #[test]
    fn unknown_market_is_an_error() {
        let book = vec![Position {
            market: "ETH".into(),
            kind: OptionKind::Call,
            strike: 1.0,
            t: 1.0,
            size: 1.0,
        }];
        assert_eq!(
            aggregate(&book, &BTreeMap::new()),
            Err(RiskError::UnknownMarket(0, "ETH".into()))
        );
    }
}
